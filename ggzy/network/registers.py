"""The device and segment registers (网络安全管理办法 二(三)、四(三)), kept through the
compliance register screens: the 网络管理员 keeps them; the register lists carry
management addresses, so only the confidential roles (rules.CONFIDENTIAL) read them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from ggzy.accounts.models import User
from ggzy.compliance.registers import Register, RegisterForm, RegisterSet
from ggzy.credentials.models import Credential

from . import rules
from .choices import SECURITY_KINDS
from .models import AccountHolder, Device, Segment, Upgrade


class HolderForm(RegisterForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = User.objects.filter(is_active=True).order_by("username")
        self.fields["device"].queryset = Device.objects.order_by("name")


class DeviceForm(RegisterForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = User.objects.filter(is_active=True).order_by("username")
        # Only a credential released for the backup can be used by it (docs/credentials.md).
        self.fields["credential"].queryset = Credential.objects.filter(
            system_use="network.config_backup"
        ).order_by("name")


class SegmentForm(RegisterForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # 二(三): the guards are the firewalls and other security devices.
        self.fields["guards"].queryset = Device.objects.filter(kind__in=SECURITY_KINDS).order_by("name")


NETWORK_REGISTERS = RegisterSet(
    app="network",
    path="network/registers",
    audit_action="network.register.saved",
    may_see=rules.may_see_confidential,
    may_keep=lambda user, register, row: rules.may_keep(user),
    refusal=gettext_lazy("网络设备登记由网络管理员维护。"),
    registers=(
        Register(
            "devices",
            Device,
            (
                "name",
                "kind",
                "vendor",
                "model",
                "serial",
                "platform",
                "mgmt_address",
                "ssh_port",
                "credential",
                "software_version",
                "target_version",
                "owner",
                "key_device",
                "internet_facing",
                "segment",
                "room",
                "rack",
                "active",
            ),
            gettext_lazy("网络设备登记"),
            gettext_lazy(
                "网络安全管理办法 四(三)：设备的管理地址、网段与配置属机密信息，"
                "仅网络管理员、安全管理员（及审计管理员只读）可见；"
                "三(三)：直接责任人拥有超级用户权限。"
            ),
            ("name", "kind", "vendor", "model", "platform", "mgmt_address", "owner", "key_device", "segment"),
            related=("owner", "segment"),
            base_form=DeviceForm,
        ),
        Register(
            "segments",
            Segment,
            (
                "name",
                "cidr",
                "vlan",
                "important",
                "isolated_by_firewall",
                "isolated_by_vlan",
                "isolated_by_acl",
                "guards",
                "isolation",
                "note",
            ),
            gettext_lazy("网段登记"),
            gettext_lazy(
                "网络安全管理办法 二(三)：重要网段用防火墙等安全设备以及 VLAN 或其他访问控制方式"
                "与其他网段隔离；逐项勾选隔离措施并选择防护设备。"
            ),
            (
                "name",
                "cidr",
                "vlan",
                "important",
                "isolated_by_firewall",
                "isolated_by_vlan",
                "isolated_by_acl",
            ),
            base_form=SegmentForm,
        ),
        Register(
            "accounts",
            AccountHolder,
            ("account", "device", "person", "note"),
            gettext_lazy("设备账号持有人"),
            gettext_lazy(
                "网络安全管理办法 三(二)：不同的个人用户必须采用不同的用户名；"
                "三(三)：直接责任人拥有超级用户权限，网络管理员不得私开用户权限给其他人员。"
                "设备上读到的每个账号须在此登记唯一的持有人。"
            ),
            ("account", "device", "person", "note"),
            related=("device", "person"),
            base_form=HolderForm,
        ),
        Register(
            "upgrades",
            Upgrade,
            ("device", "from_version", "to_version", "image_backup", "done_on", "note"),
            gettext_lazy("软件升级记录"),
            gettext_lazy("网络安全管理办法 六：对现有设备系统版本进行备份，并及时更新或升级软件版本。"),
            ("device", "from_version", "to_version", "image_backup", "done_on"),
            related=("device",),
        ),
    ),
)
