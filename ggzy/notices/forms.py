from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .choices import NoticeKind
from .models import ApiToken


class ApiTokenForm(WagtailAdminModelForm):
    """The 系统管理员 names a token and scopes it to kinds; the value is generated."""

    kinds = forms.MultipleChoiceField(
        label=_("允许推送的公告类型"), choices=NoticeKind.choices, widget=forms.CheckboxSelectMultiple
    )
    revoke = forms.BooleanField(label=_("吊销此令牌"), required=False, help_text=_("吊销后不可恢复。"))

    class Meta:
        model = ApiToken
        fields = ["name"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kinds"].initial = list(self.instance.kinds or [])
        if self.instance.pk is None:
            del self.fields["revoke"]
        else:
            self.fields["name"].disabled = True
            if self.instance.revoked_at:
                for field in self.fields.values():
                    field.disabled = True

    def clean_name(self):
        name = (self.cleaned_data.get("name") or "").strip()
        if not name:
            raise ValidationError(_("请填写令牌名称。"))
        return name
