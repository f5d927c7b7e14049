"""Forms of the facility screens; the rules are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ggzy.core.validators import ControlCharacterFormMixin

from .choices import RecordingMedium

DATE = {"widget": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


class Base(ControlCharacterFormMixin, forms.Form):
    pass


def _text(label, required=False, rows=2):
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}))


class DutyLogForm(Base):
    """网络机房管理制度 一(三) and 一(六), exactly."""

    weather = forms.CharField(label=_("天气状况"), max_length=50, required=False)
    temperature = forms.DecimalField(label=_("室内温度 ℃"), max_digits=5, decimal_places=1, required=False)
    humidity = forms.DecimalField(label=_("室内湿度 %"), max_digits=5, decimal_places=1, required=False)
    power_normal = forms.TypedChoiceField(
        label=_("供电系统"),
        choices=[("1", _("正常")), ("0", _("中断过"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    power_interruptions = _text(_("供电中断情况（何时、多久）"))
    network_status = _text(_("网络和服务器运行情况（是否故障，如何排除）"))
    equipment_use = _text(_("设备使用情况（何人、何设备、使用前后状况）"))
    other_people = _text(_("进入机房的其他人员数量和活动情况"))
    user_requests = _text(_("用户求助和投诉（内容、性质、处理结果）"))
    lights_checked = forms.BooleanField(label=_("灯光已检查"), required=False)
    doors_checked = forms.BooleanField(label=_("门已检查"), required=False)
    windows_checked = forms.BooleanField(label=_("窗已检查"), required=False)
    locks_checked = forms.BooleanField(label=_("锁已检查"), required=False)


class ViewingRequestForm(Base):
    department = forms.CharField(label=_("调阅部门"), max_length=100, required=False)
    person = forms.CharField(label=_("调阅人"), max_length=50, required=False)
    purpose = _text(_("调阅事由"))
    project_code = forms.CharField(label=_("项目编号"), max_length=100, required=False)
    session_date = forms.DateField(label=_("交易日期"), **DATE)
    copy_requested = forms.BooleanField(label=_("需要复制"), required=False)


class DecisionForm(Base):
    approve = forms.TypedChoiceField(
        label=_("意见"), choices=[("1", _("同意")), ("0", _("不同意"))], coerce=lambda v: v == "1"
    )
    note = forms.CharField(label=_("说明"), required=False)


class ViewingRecordForm(Base):
    record = forms.CharField(label=_("调阅或复制情况"), required=False)
    recordings = forms.TypedMultipleChoiceField(
        label=_("外借的存档录像"), coerce=int, required=False, choices=()
    )

    def __init__(self, *args, recordings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recordings"].choices = [(r.pk, str(r)) for r in recordings]


class RecordingForm(Base):
    """监控管理制度 三: 重点项目应按要求刻录光盘，贴好标签及时存档."""

    project_code = forms.CharField(label=_("项目编号"), max_length=60, required=False)
    project_name = forms.CharField(label=_("项目名称"), max_length=200, required=False)
    session_date = forms.DateField(label=_("开标/评标日期"), **DATE)
    room = forms.CharField(label=_("场地"), max_length=100, required=False)
    medium = forms.ChoiceField(label=_("介质"), choices=RecordingMedium.choices)
    label = forms.CharField(label=_("标签"), max_length=100, required=False)
    storage_location = forms.CharField(label=_("存放位置"), max_length=100, required=False)
    retain_until = forms.DateField(label=_("保存期限"), **DATE)
    upload = forms.FileField(label=_("导出文件（可选，视频）"), required=False)


class VisitForm(Base):
    room = forms.ModelChoiceField(label=_("机房"), queryset=None, empty_label=None)
    visitor = forms.CharField(label=_("来访人"), max_length=50, required=False)
    company = forms.CharField(label=_("单位"), max_length=100, required=False)
    purpose = _text(_("事由"))
    escort = forms.CharField(label=_("陪同人"), max_length=50, required=False)
    planned_on = forms.DateField(label=_("来访日期"), **DATE)

    def __init__(self, *args, rooms, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms


class EntryForm(Base):
    id_checked = forms.BooleanField(label=_("已核验身份证明"), required=False)
    overshoes = forms.BooleanField(label=_("已更换专用拖鞋或鞋套"), required=False)
