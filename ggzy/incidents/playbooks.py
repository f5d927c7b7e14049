"""The five playbooks: each type opens with its article's steps as a checklist
(网络信息安全故障应急预案 第三–七条), and the platform actions that can carry a step
out (``actions.py``). The step texts are the plan's own words, abridged."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .choices import IncidentType

__all__ = ["PLAYBOOKS", "StepSpec"]


@dataclass(frozen=True)
class StepSpec:
    clause: str  # the clause key in the compliance catalogue (yjya.6.2)
    text: object  # lazy translation
    actions: tuple[str, ...] = ()  # keys of registered playbook actions (actions.py)


PLAYBOOKS: dict[str, tuple[StepSpec, ...]] = {
    # 第三条 通信网络故障
    IncidentType.NETWORK: (
        StepSpec("yjya.3.1", _("计算机操作员及时将故障信息告知网络与信息安全领导小组")),
        StepSpec(
            "yjya.3.2",
            _("查清故障位置或请通信运营商协助查清原因；隔离故障区域，切断故障区与服务器的网络联接"),
        ),
        StepSpec("yjya.3.3", _("系统管理员会同电信或公司技术人员检测故障区域，逐步恢复网络联接和通信")),
        StepSpec("yjya.3.4", _("相关责任人写出故障分析报告，上报领导小组备查")),
    ),
    # 第四条 不良信息和网络病毒
    IncidentType.MALWARE: (
        StepSpec(
            "yjya.4.1",
            _("网络管理员立即断开网线，终止不良信息或病毒传播，并告知领导小组"),
            ("sitebuild.takedown",),
        ),
        StepSpec(
            "yjya.4.2",
            _("领导小组通告局域网内所有用户防病毒方法，隔离网络，指导杀毒处理，直至网络处于安全状态"),
            ("notices.revoke_api_token",),
        ),
        StepSpec(
            "yjya.4.3",
            _("追查不良信息来源；擅自发布、造成不良影响且触犯法律者移交执法部门"),
            ("sitebuild.restore", "sitebuild.online"),
        ),
        StepSpec("yjya.4.4", _("情况严重时立即向应急领导小组报告，请求支援")),
    ),
    # 第五条 计算机软件系统故障
    IncidentType.SOFTWARE: (
        StepSpec("yjya.5.1", _("计算机操作人员立即保存数据，停止该计算机的使用")),
        StepSpec("yjya.5.2", _("部门负责人将情况报告领导小组，不得擅自处理")),
        StepSpec("yjya.5.3", _("领导小组派出技术人员处理；必要时对硬盘进行备份"), ("backup.snapshot",)),
        StepSpec(
            "yjya.5.4",
            _("在保持原始数据安全的情况下修复系统并用备份恢复数据；修复失败立即联系厂商请求技术支援"),
        ),
    ),
    # 第六条 黑客攻击
    IncidentType.ATTACK: (
        StepSpec(
            "yjya.6.1",
            _(
                "断开网络并立即报告领导小组（网络被入侵、网页被篡改、数据被非法拷贝修改删除、发现正在进行的攻击）"
            ),
            ("sitebuild.takedown",),
        ),
        StepSpec(
            "yjya.6.2",
            _("关闭网络，封锁或删除被攻破的登录账号，阻断可疑用户进入网络的通道"),
            ("accounts.lock_user", "notices.revoke_api_token"),
        ),
        StepSpec(
            "yjya.6.3",
            _("清理系统，恢复数据和程序，尽力将系统和网络恢复正常"),
            ("sitebuild.restore", "sitebuild.online"),
        ),
        StepSpec("yjya.8", _("情况严重时立即向应急领导小组报告，请求支援")),
    ),
    # 第七条 机房设备硬件故障
    IncidentType.HARDWARE: (
        StepSpec("yjya.7.1", _("立即确定故障设备及故障原因，进行先期处置")),
        StepSpec("yjya.7.2", _("短时间内无法修复的，启动备份设备保持系统运行；故障设备脱离网络进行排除")),
        StepSpec(
            "yjya.7.3",
            _("故障排除后在网络空闲时替换备用设备；仍未排除的联系厂商与信息中心，填写设备故障报告单"),
        ),
    ),
}
