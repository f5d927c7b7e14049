"""Forms of the vendor screens; the rules are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ggzy.accounts.models import User
from ggzy.core.validators import ControlCharacterFormMixin
from ggzy.facility import selectors as facility_selectors

from .choices import EVALUATION_CRITERIA, RequestState, SelectionMethod, UpgradeResult
from .models import Contract, OutsourcingRequest, SelectionRecord, Vendor, VendorStaff

DATETIME = {
    "widget": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    "input_formats": ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
}
DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class Base(ControlCharacterFormMixin, forms.Form):
    pass


class DecisionForm(Base):
    approve = forms.TypedChoiceField(
        label=_("意见"), choices=[("1", _("同意")), ("0", _("不同意"))], coerce=lambda v: v == "1"
    )
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RequestForm(Base):
    title = forms.CharField(label=_("外包项目"), max_length=200)
    scope = forms.CharField(label=_("外包范围"), widget=forms.Textarea(attrs={"rows": 3}))
    lacks_capability = forms.BooleanField(
        label=_("本单位没有此项业务所需的设备、专业人员或专门技术"), required=False
    )
    lowers_cost = forms.BooleanField(label=_("外包可以降低成本"), required=False)
    more_benefit = forms.BooleanField(label=_("外包能产生比自己运作更多的利益"), required=False)
    reason = forms.CharField(label=_("理由说明"), widget=forms.Textarea(attrs={"rows": 3}))


class VendorForm(Base):
    name = forms.CharField(label=_("单位名称"), max_length=200)
    credit_code = forms.CharField(label=_("统一社会信用代码"), max_length=18)
    contact = forms.CharField(label=_("联系人"), max_length=60, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=40, required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)


class StaffForm(Base):
    name = forms.CharField(label=_("姓名"), max_length=60)
    id_number = forms.CharField(label=_("身份证号码"), max_length=22, help_text=_("只保存脱敏后的号码。"))
    role = forms.CharField(label=_("岗位"), max_length=60, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=40, required=False)


class SelectionForm(Base):
    request = forms.ModelChoiceField(
        label=_("外包申请（已批准）"), queryset=OutsourcingRequest.objects.filter(state=RequestState.APPROVED)
    )
    method = forms.ChoiceField(label=_("方式"), choices=SelectionMethod.choices)
    held_on = forms.DateField(label=_("日期"), **DATE)
    participants = forms.CharField(label=_("参与单位"), widget=forms.Textarea(attrs={"rows": 2}))
    vendor = forms.ModelChoiceField(label=_("确定的承包商"), queryset=Vendor.objects.all())
    summary = forms.CharField(label=_("过程与结果"), widget=forms.Textarea(attrs={"rows": 3}))
    upload = forms.FileField(label=_("相关文件（可选）"), required=False)


class ContractForm(Base):
    selection = forms.ModelChoiceField(label=_("选定记录"), queryset=SelectionRecord.objects.all())
    number = forms.CharField(label=_("合同编号"), max_length=60)
    title = forms.CharField(label=_("合同名称"), max_length=200)
    scope = forms.CharField(label=_("服务范围"), widget=forms.Textarea(attrs={"rows": 3}))
    sla = forms.CharField(label=_("服务水平（SLA）"), widget=forms.Textarea(attrs={"rows": 3}))
    starts_on = forms.DateField(label=_("起始日期"), **DATE)
    ends_on = forms.DateField(label=_("终止日期"), **DATE)
    value = forms.DecimalField(label=_("合同金额（元）"), max_digits=14, decimal_places=2)
    upload = forms.FileField(label=_("合同文件"), required=False)
    upload_2 = forms.FileField(label=_("附件"), required=False)

    def __init__(self, *args, vendor: Vendor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["selection"].queryset = SelectionRecord.objects.filter(vendor=vendor)


class EvaluationForm(Base):
    contract = forms.ModelChoiceField(label=_("合同"), queryset=Contract.objects.none(), required=False)
    period = forms.CharField(label=_("考核期间"), max_length=40, help_text=_("如：2026年第四季度"))
    comment = forms.CharField(label=_("评价意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, vendor: Vendor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract"].queryset = Contract.objects.filter(vendor=vendor)
        for key, label, maximum in EVALUATION_CRITERIA:
            self.fields[f"score_{key}"] = forms.IntegerField(
                label=_("%(label)s（0–%(max)s）") % {"label": label, "max": maximum}, required=False
            )

    def scores(self) -> dict:
        return {key: self.cleaned_data.get(f"score_{key}") for key, _l, _m in EVALUATION_CRITERIA}


class VisitForm(Base):
    staff = forms.ModelChoiceField(label=_("上门人员"), queryset=VendorStaff.objects.filter(active=True))
    purpose = forms.CharField(label=_("服务内容"), widget=forms.Textarea(attrs={"rows": 3}))
    planned_on = forms.DateField(label=_("计划日期"), **DATE)
    letter = forms.FileField(label=_("单位介绍信"), required=False)
    id_document = forms.FileField(label=_("身份证明"), required=False)


class ArrivalForm(Base):
    escort = forms.ModelChoiceField(label=_("陪同人员"), queryset=User.objects.filter(is_active=True))
    rooms = forms.CharField(label=_("进入区域"), max_length=200)
    machine_rooms = forms.ModelMultipleChoiceField(
        label=_("进入机房"),
        queryset=facility_selectors.rooms(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("所选机房记入进入机房登记，由机房管理员在门口核验身份证明后登记进入。"),
    )


class DepartureForm(Base):
    work_done = forms.CharField(label=_("工作内容"), widget=forms.Textarea(attrs={"rows": 3}))


class RemoteForm(Base):
    staff = forms.ModelChoiceField(label=_("远程操作人员"), queryset=VendorStaff.objects.all())
    started_at = forms.DateTimeField(label=_("开始时间"), **DATETIME)
    ended_at = forms.DateTimeField(label=_("结束时间"), **DATETIME)
    source = forms.CharField(label=_("来源（地址/方式）"), max_length=200)
    systems = forms.CharField(label=_("涉及系统"), max_length=200)
    work_done = forms.CharField(label=_("操作内容"), widget=forms.Textarea(attrs={"rows": 3}))
    upload = forms.FileField(
        label=_("录像截图或日志文件（可选）"),
        required=False,
        help_text=_("日志请存为 .txt；截图为 PNG、JPEG；报告为 PDF。"),
    )


class UpgradeForm(Base):
    vendor = forms.ModelChoiceField(label=_("系统提供商"), queryset=Vendor.objects.all())
    system = forms.CharField(label=_("系统"), max_length=120)
    from_version = forms.CharField(label=_("当前版本"), max_length=60)
    to_version = forms.CharField(label=_("目标版本"), max_length=60)
    details = forms.CharField(label=_("升级内容"), widget=forms.Textarea(attrs={"rows": 4}))
    planned_at = forms.DateTimeField(label=_("计划实施时间"), **DATETIME)


class ExecutedForm(Base):
    executed_at = forms.DateTimeField(label=_("实施时间"), **DATETIME)


class ResultForm(Base):
    result = forms.ChoiceField(label=_("结果"), choices=UpgradeResult.choices)
    note = forms.CharField(label=_("结果说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(Base):
    note = forms.CharField(label=_("处理情况"), widget=forms.Textarea(attrs={"rows": 2}))
