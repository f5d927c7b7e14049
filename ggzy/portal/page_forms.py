"""Editor form parts shared by every item of a column (kept apart from forms.py,
which imports the models)."""

from django.utils.translation import gettext_lazy as _


class SourceDepartmentFormMixin:
    """信息来源 (附表 column policy) is required on every item and defaults to the
    drafter's department."""

    source_field = "source_department"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get(self.source_field)
        if field is None:
            return
        field.required = True
        field.label = _("信息来源")
        field.error_messages["required"] = _("请选择信息来源（发布信息的科室）。")
        user = getattr(self, "for_user", None)
        instance = getattr(self, "instance", None)
        if (
            instance is not None
            and not getattr(instance, f"{self.source_field}_id", None)
            and getattr(user, "department_id", None)
            and not self.initial.get(self.source_field)
        ):
            self.initial[self.source_field] = user.department_id
