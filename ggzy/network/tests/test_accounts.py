"""Device accounts (网络安全管理办法 三(一)(二)(三)) read from pulled configurations
against the holder register; software versions (六); the departures flow listing a
leaving person's device accounts."""

import datetime as dt

import pytest
from django.urls import reverse

from ggzy.accounts.tests.factories import login_as
from ggzy.compliance.registry import all_checks
from ggzy.core.tests.access import is_refusal
from ggzy.departures.handover import handover_entries
from ggzy.network import device_accounts, services, software
from ggzy.network.models import AccountHolder, DeviceAccount, SoftwareSeen
from ggzy.network.registers import NETWORK_REGISTERS

from .audit_configs import BAD, GOOD
from .conftest import version_output

pytestmark = pytest.mark.django_db


def check(name):
    return all_checks()[f"network.{name}"].func(today=dt.date.today())


def hold(actor, account, person, device=None):
    return NETWORK_REGISTERS.save(
        register=NETWORK_REGISTERS["accounts"],
        instance=None,
        data={"account": account, "person": person.pk, "device": device.pk if device else ""},
        actor=actor,
    )


@pytest.mark.parametrize(
    ("platform", "expected"),
    [
        ("huawei_vrp", {("netadmin", "15", True), ("viewer", "1", False)}),
        ("hp_comware", {("netadmin", "network-admin", True)}),
        ("cisco_ios", {("netadmin", "15", True)}),
    ],
)
def test_local_users_and_privilege_levels_per_platform(platform, expected):
    assert {
        (a.name, a.privilege, a.superuser) for a in device_accounts.parse(GOOD[platform], platform)
    } == expected


def test_comware_default_role_and_cisco_default_level():
    comware = (
        "local-user guest class manage\n password hash $h$x\n#\n"
        "local-user ops\n authorization-attribute level 3\n"
    )
    assert {(a.name, a.superuser) for a in device_accounts.parse(comware, "hp_comware")} == {
        ("guest", False),
        ("ops", True),
    }
    assert device_accounts.parse("username op secret 9 $9$x\n", "cisco_ios")[0].privilege == "1"


def test_account_findings_and_their_check(make_device, fake_devices, team):
    fake_devices.set("huawei_vrp", running=GOOD["huawei_vrp"], saved=GOOD["huawei_vrp"])
    device = make_device(owner=team.network_admin)
    assert check("device_accounts").status == "no_data"
    services.pull_device(device=device)
    assert {a.name for a in DeviceAccount.objects.filter(device=device, current=True)} == {
        "netadmin",
        "viewer",
    }
    # 三(二): nobody registered for either account.
    result = check("device_accounts")
    assert result.status == "failing" and result.for_clause("wlaq.3.2").status == "failing"
    assert "核心交换机/netadmin" in result.detail

    # The super-user held by the 直接责任人, the viewer by one person (a global row): met.
    hold(team.network_admin, "netadmin", team.network_admin, device)
    viewer_row = hold(team.network_admin, "viewer", team.system_admin)
    assert check("device_accounts").status == "met"

    # 三(二): a second person on the same account is a shared account.
    hold(team.network_admin, "viewer", team.audit_admin, device)
    result = check("device_accounts")
    assert result.for_clause("wlaq.3.2").status == "failing" and "核心交换机/viewer" in result.detail
    AccountHolder.objects.filter(device=device, account="viewer").delete()

    # 三(三): the super-user account held by someone else than the 直接责任人.
    device.owner = team.security_admin
    device.save()
    result = check("device_accounts")
    assert result.for_clause("wlaq.3.3").status == "failing"
    assert result.for_clause("wlaq.3.2").status == "met"
    assert viewer_row.pk


def test_the_device_page_lists_accounts_and_findings(client, make_device, fake_devices, team):
    fake_devices.set("cisco_ios", running=BAD["cisco_ios"], saved=BAD["cisco_ios"])
    device = make_device(name="边界路由器", host="cisco_ios")
    services.pull_device(device=device)
    login_as(client, team.security_admin)
    page = client.get(reverse("network_device", args=[device.pk])).content.decode()
    assert 'id="accounts"' in page and "finding-unowned" in page and "admin" in page
    login_as(client, team.system_admin)
    page = client.get(reverse("network_device", args=[device.pk])).content.decode()
    assert 'id="accounts"' not in page and "finding-unowned" not in page


def test_departures_list_the_device_accounts_a_leaving_person_holds(make_device, fake_devices, team):
    fake_devices.set("huawei_vrp", running=GOOD["huawei_vrp"], saved=GOOD["huawei_vrp"])
    device = make_device()
    services.pull_device(device=device)
    hold(team.network_admin, "viewer", team.system_admin)
    entries = [e for e in handover_entries(team.system_admin) if e.source == "网络设备账号"]
    assert [(e.label, e.outstanding) for e in entries] == [("核心交换机：viewer", True)]

    # The account is deleted from the device: the next pull shows it handed over.
    fake_devices.set("huawei_vrp", running=GOOD["huawei_vrp"].replace(" local-user viewer", " #"))
    services.pull_device(device=device)
    entries = [e for e in handover_entries(team.system_admin) if e.source == "网络设备账号"]
    assert [(e.outstanding, e.status) for e in entries] == [(False, "已删除")]
    assert not [e for e in handover_entries(team.drafter) if e.source == "网络设备账号"]


@pytest.mark.parametrize(
    "role", ["network_admin", "security_admin", "audit_admin", "system_admin", "drafter"]
)
def test_the_holder_and_upgrade_registers_per_role(client, team, make_device, role):
    device = make_device()
    hold(team.network_admin, "netadmin", team.network_admin, device)
    login_as(client, getattr(team, role))
    for key in ("accounts", "upgrades"):
        listing = client.get(reverse(f"network_register_{key}"))
        new = client.get(reverse(f"network_register_{key}_new"))
        if role in ("network_admin", "security_admin", "audit_admin"):
            assert listing.status_code == 200
        else:
            assert is_refusal(listing)
        assert (new.status_code == 200) if role == "network_admin" else is_refusal(new)


def test_software_versions_history_and_target(make_device, fake_devices, team, client):
    # 六: the version the device reports (display version), not only its configuration header.
    old, new = version_output("huawei_vrp", "V200R010C00"), version_output("huawei_vrp", "V200R019C10SPC600")
    fake_devices.set("huawei_vrp", running=BAD["huawei_vrp"], saved=BAD["huawei_vrp"], version=old)
    device = make_device(target_version="V200R019C10SPC600")
    assert check("software_current").status == "failing"  # not read yet: not proven
    services.pull_device(device=device)
    device.refresh_from_db()
    assert device.software_version == "V200R010C00"
    result = check("software_current")
    assert result.status == "failing" and device.name in result.detail

    # The upgrade, with the backup of the previous image, and the next pull.
    upgrade = NETWORK_REGISTERS.save(
        register=NETWORK_REGISTERS["upgrades"],
        instance=None,
        data={
            "device": device.pk,
            "from_version": "V200R010C00",
            "to_version": "V200R019C10SPC600",
            "image_backup": "ftp://10.1.9.5/images/S5700-V200R010C00.cc",
            "done_on": "2026-11-20",
        },
        actor=team.network_admin,
    )
    fake_devices.set("huawei_vrp", running=GOOD["huawei_vrp"], saved=GOOD["huawei_vrp"], version=new)
    services.pull_device(device=device)
    assert check("software_current").status == "met"
    assert list(
        SoftwareSeen.objects.filter(device=device).order_by("first_seen").values_list("version", flat=True)
    ) == [
        "V200R010C00",
        "V200R019C10SPC600",
    ]
    login_as(client, team.network_admin)
    page = client.get(reverse("network_device", args=[device.pk])).content.decode()
    assert upgrade.image_backup in page and 'id="below-target"' not in page


def test_upgrade_needs_the_image_backup(team, make_device):
    from django.core.exceptions import ValidationError

    device = make_device()
    with pytest.raises(ValidationError):
        NETWORK_REGISTERS.save(
            register=NETWORK_REGISTERS["upgrades"],
            instance=None,
            data={"device": device.pk, "from_version": "a", "to_version": "b", "done_on": "2026-11-20"},
            actor=team.network_admin,
        )
    assert not device.upgrades.exists()


@pytest.mark.parametrize(
    ("version", "target", "below"),
    [
        ("V200R019C10SPC500", "V200R019C10SPC600", True),
        ("V200R020C00", "V200R019C10SPC600", False),
        ("15.2(4)M7", "15.9", True),
        ("15.9", "15.9", False),
        ("7.1.064, Release 0821P11", "7.1.064, Release 0821P16", True),
    ],
)
def test_version_order(version, target, below):
    assert software.below(version, target) is below
