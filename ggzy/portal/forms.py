from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from ggzy.accounts.models import Department

from .models import LINE_SPACING_PT_RANGE, ColumnPolicy
from .services import POLICY_FIELDS, column_policy_update


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
