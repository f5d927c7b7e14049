from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateTimeInput

from .models import SuspensionNotice
from .services import NOTICE_FIELDS, notice_validate


class SuspensionNoticeForm(WagtailAdminModelForm):
    """Create/edit form: the service's own checks, shown on the fields."""

    class Meta:
        model = SuspensionNotice
        fields = NOTICE_FIELDS
        widgets = {
            "starts_at": AdminDateTimeInput(),
            "ends_at": AdminDateTimeInput(),
            "body": forms.Textarea(attrs={"rows": 6}),
            "urgent_reason": forms.Textarea(attrs={"rows": 2}),
        }

    schedule = None

    def clean(self):
        data = super().clean()
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at is None or ends_at is None:
            return data
        try:
            self.schedule = notice_validate(
                starts_at=starts_at,
                ends_at=ends_at,
                urgent_reason=data.get("urgent_reason") or "",
                notice=self.instance if self.instance.pk else None,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for name, errors in exc.error_dict.items():
                    for error in errors:
                        self.add_error(name if name in self.fields else None, error)
            else:
                raise
        return data


class SuspensionCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("取消原因"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写取消原因。")},
    )
