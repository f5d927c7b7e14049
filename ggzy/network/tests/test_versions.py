"""网络安全管理办法 六: the software version a device runs, read from its own answer to
``display version`` (Huawei VRP, H3C Comware) / ``show version`` (Cisco IOS) in the
pull's SSH session; the configuration header only when that answer cannot be read."""

import datetime as dt

import pytest

from ggzy.audit.models import AuditEvent
from ggzy.compliance.registry import all_checks
from ggzy.network import services, software
from ggzy.network.models import SoftwareSeen

from .conftest import PLATFORM_CONFIGS, version_output

pytestmark = pytest.mark.django_db


def check(name):
    return all_checks()[f"network.{name}"].func(today=dt.date.today())


@pytest.mark.parametrize(
    ("platform", "version"),
    [
        ("huawei_vrp", "V200R021C00SPC100"),
        ("hp_comware", "7.1.070, Release 6328P03"),
        ("cisco_ios", "15.2(7)E3"),
    ],
)
def test_a_pull_reads_the_version_the_device_reports(make_device, fake_devices, platform, version):
    fake_devices.set(platform, version=version_output(platform, version))
    device = make_device(name=f"dev-{platform}", host=platform)
    attempt = services.pull_device(device=device)
    assert attempt.outcome == "ok", attempt.reason
    assert attempt.reason == ""
    device.refresh_from_db()
    assert device.software_version == version
    assert list(SoftwareSeen.objects.filter(device=device).values_list("version", flat=True)) == [version]


def test_the_device_answer_wins_over_the_configuration_header(make_device, fake_devices):
    # The header says V200R019C10SPC500 (conftest HUAWEI); the device runs a newer release.
    fake_devices.set("huawei_vrp", version=version_output("huawei_vrp", "V200R021C00SPC100"))
    device = make_device(target_version="V200R020C00")
    services.pull_device(device=device)
    device.refresh_from_db()
    assert device.software_version == "V200R021C00SPC100"
    assert check("software_current").status == "met"


def test_a_version_below_the_target_fails_the_check(make_device, fake_devices):
    fake_devices.set("hp_comware", version=version_output("hp_comware", "7.1.045, Release 0106"))
    device = make_device(name="ACCESS-SW", host="hp_comware", target_version="7.1.064, Release 0821P11")
    services.pull_device(device=device)
    result = check("software_current")
    assert result.status == "failing" and "ACCESS-SW" in result.detail


@pytest.mark.parametrize(
    "answer",
    ["", "Error: Unrecognized command found at '^' position."],
    ids=["no-answer", "unreadable"],
)
def test_an_unreadable_answer_keeps_the_header_version_and_says_why(make_device, fake_devices, answer):
    fake_devices.set("huawei_vrp", version=answer)
    device = make_device()
    attempt = services.pull_device(device=device)
    assert attempt.outcome == "ok"
    assert "'display version'" in attempt.reason and "V200R019C10SPC500" in attempt.reason
    device.refresh_from_db()
    assert device.software_version == "V200R019C10SPC500"  # the header of conftest.HUAWEI
    event = AuditEvent.objects.filter(action="network.config.pulled").latest("seq")
    assert event.extra["software_note"] == attempt.reason


def test_an_uploaded_configuration_uses_the_header(make_device, team):
    device = make_device()
    attempt = services.config_record(
        device=device, running=PLATFORM_CONFIGS["huawei_vrp"], actor=team.network_admin
    )
    assert attempt.reason == ""
    device.refresh_from_db()
    assert device.software_version == "V200R019C10SPC500"


@pytest.mark.parametrize(
    ("platform", "text", "version"),
    [
        (
            "huawei_vrp",
            "Huawei Versatile Routing Platform Software\n"
            "VRP (R) software, Version 8.180 (ATN 910C-B V300R003C10SPC500)\n",
            "V300R003C10SPC500",
        ),
        ("huawei_vrp", "VRP (R) software, Version 5.170 (S5700 V200R010C00)\n", "V200R010C00"),
        (
            "hp_comware",
            "H3C Comware Software, Version 7.1.064, Release 0821P11\n",
            "7.1.064, Release 0821P11",
        ),
        (
            "hp_comware",
            "H3C Comware Platform Software\nComware Software, Version 5.20.99, Release 1120\n",
            "5.20.99, Release 1120",
        ),
        (
            "cisco_ios",
            "Cisco IOS Software, IOSv Software (VIOS-ADVENTERPRISEK9-M), Version 15.8(3)M2, "
            "RELEASE SOFTWARE (fc2)",
            "15.8(3)M2",
        ),
        (
            "cisco_ios",
            "Cisco IOS XE Software, Version 16.09.04\n"
            "Cisco IOS Software [Fuji], ISR Software, Version 16.9.4",
            "16.09.04",
        ),
        ("cisco_ios", "% Invalid input detected at '^' marker.", ""),
        ("huawei_vrp", "", ""),
        ("linux", "Linux 6.1", ""),
    ],
)
def test_version_patterns(platform, text, version):
    assert software.version_from_output(text, platform) == version
