"""Real SSH devices for the network tests: fakenos serves the Huawei VRP, H3C Comware
and Cisco IOS command lines on free loopback ports; each test sets the running and
saved configurations the devices print (``fake_devices.set(...)``)."""

from __future__ import annotations

import os
import socket
import threading

import pytest

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import make_user
from ggzy.credentials.tests.factories import SECRET, make_credential, people, set_by_two

USERNAME = "backup"
OTHER_PASSWORD = "Another#Device-2026!pw"

HUAWEI = """!Software Version V200R019C10SPC500
#
sysname CORE-SW
#
snmp-agent community read cipher %^%#Hd7xCoreCommunity%^%#
#
aaa
 local-user admin password irreversible-cipher $1a$HuaweiAdminHash$
 local-user admin privilege level 15
#
stelnet server enable
#
return"""

COMWARE = """ sysname ACCESS-SW
#
 snmp-agent community read AccessRead
#
local-user admin class manage
 password hash $h$6$ComwareAdminHash==
 service-type ssh
#
return"""

CISCO = """Building configuration...

Current configuration : 1024 bytes
!
! Last configuration change at 10:00:00 UTC Mon Mar 1 2026
hostname EDGE-RTR
!
enable secret 9 $9$CiscoEnableHash
username admin privilege 15 secret 9 $9$CiscoAdminHash
snmp-server community EdgeCommunity RO
!
line vty 0 4
 transport input ssh
!
end"""

PLATFORM_CONFIGS = {"huawei_vrp": HUAWEI, "hp_comware": COMWARE, "cisco_ios": CISCO}
VERSION_COMMANDS = {
    "huawei_vrp": "display version",
    "hp_comware": "display version",
    "cisco_ios": "show version",
}
# What the devices answer to the version command (六), as the real ones print it.
VERSION_OUTPUTS = {
    "huawei_vrp": """Huawei Versatile Routing Platform Software
VRP (R) software, Version 5.170 (S5735 {version})
Copyright (C) 2000-2021 HUAWEI TECH Co., Ltd.
HUAWEI S5735-L48T4X-A1 Routing Switch uptime is 12 days, 3 hours, 5 minutes""",
    "hp_comware": """H3C Comware Software, Version {version}
Copyright (c) 2004-2021 New H3C Technologies Co., Ltd. All rights reserved.
H3C S5130S-52S-EI uptime is 0 weeks, 3 days, 2 hours, 11 minutes""",
    "cisco_ios": """Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version {version}, \
RELEASE SOFTWARE (fc2)
Technical Support: http://www.cisco.com/techsupport
Copyright (c) 1986-2020 by Cisco Systems, Inc.
ROM: Bootstrap program is C2960X boot loader""",
}
DEFAULT_VERSIONS = {
    "huawei_vrp": "V200R019C10SPC500",
    "hp_comware": "7.1.070, Release 6328",
    "cisco_ios": "15.2(7)E3",
}


def version_output(platform: str, version: str) -> str:
    return VERSION_OUTPUTS[platform].format(version=version)


COMMANDS = {
    "huawei_vrp": ("display current-configuration", "display saved-configuration"),
    "hp_comware": ("display current-configuration", "display saved-configuration"),
    "cisco_ios": ("show running-config", "show startup-config"),
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class FakeDevices:
    """One fakenos host per platform (password ``SECRET``) and one with another password."""

    def __init__(self):
        import fakenos
        from fakenos import FakeNOS
        from fakenos.core.nos import Nos

        base = os.path.join(os.path.dirname(fakenos.__file__), "plugins", "nos", "platforms_yaml")
        self.state: dict[str, dict] = {}
        self.ports: dict[str, int] = {}
        plugins, hosts = [], {}
        for name, platform in (*((p, p) for p in COMMANDS), ("other", "cisco_ios")):
            nos = Nos(filename=os.path.join(base, f"{platform}.yaml"))
            nos.name = f"ggzy_{name}"
            running_cmd, saved_cmd = COMMANDS[platform]
            prompts = ["{base_prompt}>", "{base_prompt}#"]
            nos.commands[running_cmd] = {
                "output": self._output(name, "running"),
                "help": "",
                "prompt": prompts,
            }
            nos.commands[saved_cmd] = {"output": self._output(name, "saved"), "help": "", "prompt": prompts}
            nos.commands[VERSION_COMMANDS[platform]] = {
                "output": self._output(name, "version"),
                "help": "",
                "prompt": prompts,
            }
            plugins.append(nos)
            self.ports[name] = free_port()
            hosts[name] = {
                "port": self.ports[name],
                "nos": {"plugin": nos.name},
                "username": USERNAME,
                "password": OTHER_PASSWORD if name == "other" else SECRET,
            }
        self.net = FakeNOS(inventory={"hosts": hosts}, plugins=plugins)
        self.reset()

    def _output(self, name: str, kind: str):
        def output(*args, **kwargs):
            state = self.state[name]
            if state["hang"]:
                # A device that stops in the middle of its output (until the test ends).
                state["gate"].wait(60)
                return ""
            if kind != "version" and state["cut"]:
                # A read that ends mid-configuration: the first half of its lines.
                state["cut"] -= 1
                lines = state[kind].split("\n")
                return "\n".join(lines[: len(lines) // 2])
            return state[kind]

        return output

    def reset(self):
        for name in self.ports:
            platform = name if name in PLATFORM_CONFIGS else "cisco_ios"
            text = PLATFORM_CONFIGS[platform]
            self.state[name] = {
                "running": text,
                "saved": text,
                "version": version_output(platform, DEFAULT_VERSIONS[platform]),
                "hang": False,
                "cut": 0,
                "gate": threading.Event(),
            }

    def release_all(self):
        for state in self.state.values():
            state["gate"].set()

    def set(
        self,
        name: str,
        *,
        running: str | None = None,
        saved: str | None = None,
        version: str | None = None,
        hang: bool = False,
        cut: int = 0,
    ):
        """``cut``: so many of the next configuration reads end halfway."""
        if version is not None:
            self.state[name]["version"] = version
        if running is not None:
            self.state[name]["running"] = running
        if saved is not None:
            self.state[name]["saved"] = saved
        self.state[name]["hang"] = hang
        self.state[name]["cut"] = cut


@pytest.fixture(scope="session")
def _fakenos():
    devices = FakeDevices()
    devices.net.start()
    yield devices
    devices.release_all()
    devices.net.stop()


@pytest.fixture
def fake_devices(_fakenos, settings):
    settings.NETWORK_SSH_TIMEOUT = 3
    _fakenos.reset()
    yield _fakenos
    _fakenos.release_all()


class Team:
    def __init__(self):
        self.head, self.network_admin = people()
        self.security_admin = make_user(RoleKey.SECURITY_ADMIN)
        self.audit_admin = make_user(RoleKey.AUDIT_ADMIN)
        self.system_admin = make_user(RoleKey.SYSTEM_ADMIN)
        self.machine_room_admin = make_user(RoleKey.MACHINE_ROOM_ADMIN)
        self.drafter = make_user(RoleKey.DRAFTER, department="jianshe")
        self._credential = None

    def credential(self):
        """A vault credential released for the configuration backup, password SECRET."""
        if self._credential is None:
            self._credential = make_credential(
                self.network_admin, name="设备备份账号", username=USERNAME, system_use="network.config_backup"
            )
            set_by_two(self._credential, self.network_admin, self.head)
        return self._credential


@pytest.fixture
def team(center):
    return Team()


@pytest.fixture
def make_device(team, fake_devices):
    from ggzy.network.models import Device

    def make(name="核心交换机", host="huawei_vrp", **extra):
        platform = extra.pop("platform", host if host in COMMANDS else "cisco_ios")
        return Device.objects.create(
            name=name,
            kind=extra.pop("kind", "switch"),
            vendor=extra.pop("vendor", "华为"),
            platform=platform,
            mgmt_address=extra.pop("mgmt_address", "127.0.0.1"),
            ssh_port=extra.pop("ssh_port", fake_devices.ports.get(host, 22)),
            credential=extra.pop("credential", team.credential()),
            owner=extra.pop("owner", team.network_admin),
            **extra,
        )

    return make
