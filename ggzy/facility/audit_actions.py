"""The audit action names the facility app records (``ggzy.core.actions``)."""

from django.utils.translation import gettext_lazy as _

from ggzy.core.actions import register_actions

ACTIONS = {
    "facility.room.created": _("登记机房/监控室"),
    "facility.sensor.created": _("登记环境传感器/UPS"),
    "facility.duty_log.saved": _("填写值班记录"),
    "facility.duty_log.signed": _("交班签收值班记录"),
    "facility.duty_log.rejected": _("值班记录被拒绝"),
    "facility.visit.requested": _("登记进入机房申请"),
    "facility.visit.decided": _("批准进入机房申请"),
    "facility.visit.entered": _("登记来访人员进入机房"),
    "facility.visit.left": _("登记来访人员离开机房"),
    "facility.visit.refused_entry": _("拒绝未经批准的进入"),
    "facility.viewing.requested": _("登记监控录像调阅申请"),
    "facility.viewing.decided": _("审批监控录像调阅申请"),
    "facility.viewing.recorded": _("登记监控录像调阅/复制"),
    "facility.viewing.returned": _("登记调阅资料归还"),
    "facility.viewing.rejected": _("监控录像调阅操作被拒绝"),
    "facility.register.saved": _("保存机房登记（机房、传感器、值班、钥匙、涉密计算机、灭火器、监控日志）"),
    "facility.recording.archived": _("监控录像存档"),
    "facility.recording.downloaded": _("下载存档的监控录像"),
    "facility.recording.refused": _("拒绝对存档录像的操作"),
}
register_actions("facility", ACTIONS)
