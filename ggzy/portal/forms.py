import re

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from ggzy.accounts.models import Department

from .models import LINE_SPACING_PT_RANGE, ColumnPolicy, SiteIdentity
from .services import IDENTITY_FIELDS, POLICY_FIELDS, column_policy_update, site_identity_update

DOMAIN_RE = re.compile(r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")


class ColumnPolicyForm(WagtailAdminModelForm):
    source_departments = forms.ModelMultipleChoiceField(
        queryset=None, required=False, label=_("信息来源科室"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):

        super().__init__(*args, **kwargs)
        self.fields["source_departments"].queryset = Department.objects.all()
        # The field's own error (确保该值小于或等于 72。) instead of the check constraint's
        # name, which the model validation would show for an out-of-range spacing.
        low, high = LINE_SPACING_PT_RANGE
        spacing = self.fields["line_spacing_pt"]
        spacing.validators += [MinValueValidator(low), MaxValueValidator(high)]
        spacing.widget.attrs.update(min=low, max=high)

    class Meta:
        model = ColumnPolicy
        fields = [*POLICY_FIELDS, "source_departments"]

    def save(self, commit=True):
        return column_policy_update(
            policy=self.instance,
            data={f: self.cleaned_data[f] for f in POLICY_FIELDS},
            source_departments=self.cleaned_data["source_departments"],
            actor=getattr(self, "for_user", None),
        )


class SiteIdentityForm(forms.ModelForm):
    """设置 › 网站标识 (the 网站管理员): saved through ``site_identity_update``."""

    class Meta:
        model = SiteIdentity
        fields = list(IDENTITY_FIELDS)

    def clean_domain(self):
        domain = self.cleaned_data["domain"].strip().lower().removeprefix("https://").removeprefix("http://")
        domain = domain.strip("/")
        host, _sep, port = domain.partition(":")
        if not DOMAIN_RE.fullmatch(host) or (port and not port.isdigit()):
            raise forms.ValidationError(
                _("请填写网站域名，例如 ggzy.jiaozuo.gov.cn（不含 http:// 和路径）。")
            )
        return domain

    def save(self, commit=True):
        return site_identity_update(
            data={f: self.cleaned_data[f] for f in IDENTITY_FIELDS}, actor=getattr(self, "for_user", None)
        )
