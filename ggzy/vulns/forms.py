"""Forms of the vulnerability screens; the rules are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ggzy.accounts.models import User
from ggzy.core.validators import ControlCharacterFormMixin

from .choices import FindingStatus, RemovableMedia, Technique

DATETIME = {
    "widget": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    "input_formats": ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
}


class Base(ControlCharacterFormMixin, forms.Form):
    pass


class PlanForm(Base):
    title = forms.CharField(label=_("名称"), max_length=200, required=False)
    technique = forms.ChoiceField(label=_("扫描方式"), choices=Technique.choices)
    scope_text = forms.CharField(
        label=_("扫描范围"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("IP 地址或 CIDR 网段，每行一个，如 10.0.1.0/24。"),
    )
    ports = forms.CharField(label=_("端口范围"), max_length=200, initial="1-1024", required=False)
    window_start = forms.DateTimeField(label=_("开始时间"), **DATETIME)
    window_end = forms.DateTimeField(label=_("结束时间"), **DATETIME)
    max_rate = forms.IntegerField(label=_("每秒最多发包数"), initial=100, min_value=1)
    expected_impact = forms.CharField(
        label=_("预期影响"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    rollback = forms.CharField(label=_("回退措施"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class DecisionForm(Base):
    approve = forms.TypedChoiceField(
        label=_("意见"), choices=[("1", _("同意")), ("0", _("不同意"))], coerce=lambda v: v == "1"
    )
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ScanForm(Base):
    targets = forms.CharField(
        label=_("扫描目标"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("须在方案的扫描范围内。"),
    )


class ImportForm(Base):
    kind = forms.ChoiceField(
        label=_("结果格式"),
        choices=[
            ("nmap", _("nmap XML")),
            ("openvas", _("Greenbone/OpenVAS XML 报告")),
            ("csv", _("通用 CSV（列见文档）")),
            ("lynis", _("lynis 主机基线报告（report.dat）")),
        ],
    )
    report = forms.FileField(label=_("结果文件"))


class AssignForm(Base):
    owner = forms.ModelChoiceField(label=_("责任人"), queryset=User.objects.filter(is_active=True))


class CloseForm(Base):
    status = forms.ChoiceField(
        label=_("处理结果"),
        choices=[
            (FindingStatus.FIXED, FindingStatus.FIXED.label),
            (FindingStatus.FALSE_POSITIVE, FindingStatus.FALSE_POSITIVE.label),
            (FindingStatus.ACCEPTED, FindingStatus.ACCEPTED.label),
        ],
    )
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    accepted_until = forms.DateField(
        label=_("接受风险至"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class AnalysisForm(Base):
    summary = forms.CharField(label=_("结果综述"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    accepted_risks = forms.CharField(
        label=_("接受的风险"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    remediation_plan = forms.CharField(
        label=_("整改计划"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class EndpointForm(Base):
    antivirus = forms.CharField(label=_("杀毒软件"), max_length=100, required=False)
    signatures_updated_on = forms.DateField(
        label=_("病毒库更新日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    last_full_scan_on = forms.DateField(
        label=_("最近全盘查毒"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    removable_media = forms.ChoiceField(label=_("移动存储策略"), choices=RemovableMedia.choices)


class EndpointImportForm(Base):
    upload = forms.FileField(
        label=_("CSV 文件"),
        help_text=_("列：asset_number, antivirus, signatures_updated_on, last_full_scan_on, removable_media"),
    )


class SoftwareImportForm(Base):
    upload = forms.FileField(
        label=_("CSV 文件"),
        help_text=_("每个已安装程序一行；列：asset_number, taken_on, name, version, publisher"),
    )
