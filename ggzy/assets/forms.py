"""Forms of the ledger screens; the rules are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ggzy.accounts.models import Department, User
from ggzy.vendors.forms import DATE, Base

from .choices import AssetKind, DisposalMethod


class AssetForm(Base):
    number = forms.CharField(label=_("资产编号"), max_length=40)
    kind = forms.ChoiceField(label=_("类别"), choices=AssetKind.choices)
    name = forms.CharField(label=_("名称"), max_length=120)
    model = forms.CharField(label=_("型号"), max_length=120, required=False)
    serial = forms.CharField(label=_("序列号"), max_length=120, required=False)
    department = forms.ModelChoiceField(label=_("使用科室"), queryset=Department.objects.all())
    holder = forms.ModelChoiceField(
        label=_("使用人"), queryset=User.objects.filter(is_active=True), required=False
    )
    location = forms.CharField(label=_("存放地点"), max_length=120, required=False)
    purchased_on = forms.DateField(label=_("购置日期"), required=False, **DATE)
    purchase_value = forms.DecimalField(
        label=_("购置金额（元）"), max_digits=12, decimal_places=2, required=False
    )
    warranty_until = forms.DateField(label=_("保修截止"), required=False, **DATE)


class AssignForm(Base):
    holder = forms.ModelChoiceField(label=_("使用人"), queryset=User.objects.filter(is_active=True))
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class ReturnForm(Base):
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class RepairForm(Base):
    asset = forms.ModelChoiceField(label=_("资产"), queryset=None)
    fault = forms.CharField(label=_("故障描述"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, assets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["asset"].queryset = assets


class ResolveForm(Base):
    resolution = forms.CharField(label=_("处理结果"), widget=forms.Textarea(attrs={"rows": 2}))


class AppraiseForm(Base):
    appraisal = forms.CharField(label=_("技术鉴定意见"), widget=forms.Textarea(attrs={"rows": 3}))


class DisposeForm(Base):
    method = forms.ChoiceField(label=_("处置方式"), choices=DisposalMethod.choices)
    wipe_method = forms.CharField(label=_("数据清除方式"), max_length=200, required=False)
    wipe_evidence = forms.FileField(label=_("数据清除证明"), required=False)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class ImportForm(Base):
    upload = forms.FileField(label=_("资产台账（.xlsx）"))
