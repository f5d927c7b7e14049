"""Configuration backups from real SSH devices (fakenos on loopback): 网络安全管理办法
四(一)(二)(四). Each distinct version is stored once, diffed against the previous one;
running ≠ saved is drift; every failure is recorded with its reason, bounded in time,
and never loses a previous version."""

import socket
import threading
import time

import pytest
from django.core.management import CommandError, call_command

from ggzy.audit.models import AuditEvent
from ggzy.compliance.registry import all_checks
from ggzy.incidents.models import Alert
from ggzy.network import configs, selectors, services, ssh
from ggzy.network.models import ConfigText, ConfigVersion, PullAttempt

from .conftest import CISCO, COMWARE, HUAWEI, SECRET, free_port

pytestmark = pytest.mark.django_db


def check(name, today=None):
    import datetime as dt

    return all_checks()[f"network.{name}"].func(today=today or dt.date.today())


@pytest.mark.parametrize(
    ("host", "marker"), [("huawei_vrp", "CORE-SW"), ("hp_comware", "ACCESS-SW"), ("cisco_ios", "EDGE-RTR")]
)
def test_each_platform_is_pulled_over_ssh_with_the_password_from_the_vault(make_device, host, marker):
    device = make_device(name=f"设备-{host}", host=host)
    attempt = services.pull_device(device=device)
    assert attempt.outcome == "ok", attempt.reason
    assert marker in attempt.running.content.text and attempt.new_versions == 2
    # The volatile lines of a Cisco running config are dropped before hashing.
    assert "Current configuration" not in attempt.running.content.text
    assert attempt.saved.content_id == attempt.running.content_id  # identical text stored once
    used = AuditEvent.objects.filter(action="credentials.secret.used_by_system").get()
    assert used.extra["purpose"] == "network.config_backup"
    # The password is in no row the pull wrote, and no audit event.
    for event in AuditEvent.objects.all():
        assert SECRET not in f"{event.extra}{event.before}{event.after}"
    assert not PullAttempt.objects.filter(reason__contains=SECRET).exists()


def test_same_config_twice_is_one_version_and_a_change_is_a_new_version_with_its_diff(
    make_device, fake_devices
):
    device = make_device()
    services.pull_device(device=device)
    again = services.pull_device(device=device)
    assert again.new_versions == 0 and ConfigVersion.objects.filter(device=device).count() == 2

    changed = HUAWEI.replace("stelnet server enable", "stelnet server enable\n#\nsysname CORE-SW-2")
    fake_devices.set("huawei_vrp", running=changed, saved=changed)
    third = services.pull_device(device=device)
    assert third.new_versions == 2
    assert third.running.number == 2 and third.running.previous.number == 1
    assert "+sysname CORE-SW-2" in third.running.diff
    # running and saved are the same text: stored once.
    assert ConfigText.objects.filter(sha256=configs.sha256(third.running.content.text)).count() == 1


def test_secrets_are_masked_in_the_text_and_the_diff():
    for text in (HUAWEI, COMWARE, CISCO):
        masked = configs.mask(text)
        for secret in (
            "Hd7xCoreCommunity",
            "HuaweiAdminHash",
            "AccessRead",
            "ComwareAdminHash",
            "CiscoEnableHash",
            "CiscoAdminHash",
            "EdgeCommunity",
        ):
            assert secret not in masked
    diff = configs.unified_diff(CISCO, CISCO.replace("EdgeCommunity", "NewCommunity"))
    assert "NewCommunity" not in configs.mask(diff) and "EdgeCommunity" not in configs.mask(diff)
    assert "snmp-server community ****** RO" in configs.mask(diff)


def test_running_differing_from_saved_is_drift_with_the_diff(make_device, fake_devices):
    device = make_device()
    services.pull_device(device=device)
    assert selectors.drifted(device) is None
    assert check("running_matches_saved").status == "met"

    fake_devices.set("huawei_vrp", running=HUAWEI.replace("stelnet server enable", "telnet server enable"))
    services.pull_device(device=device)
    saved, running = selectors.drifted(device)
    assert "+telnet server enable" in configs.unified_diff(saved.content.text, running.content.text)
    result = check("running_matches_saved")
    assert result.status == "failing" and device.name in result.detail
    assert "127.0.0.1" not in result.detail  # 四(三): no address in a check message


def _assert_failure(device, outcome, words, *, within=15):
    started = time.monotonic()
    attempt = services.pull_device(device=device)
    elapsed = time.monotonic() - started
    assert attempt.outcome == outcome, (attempt.outcome, attempt.reason)
    assert any(w in attempt.reason for w in words), attempt.reason
    assert elapsed < within, elapsed
    assert AuditEvent.objects.filter(action="network.config.pull_failed", object_id=str(device.pk)).exists()
    device.refresh_from_db()
    assert device.last_pull_outcome == outcome
    return attempt


def test_failures_are_recorded_bounded_and_keep_the_previous_version(make_device, fake_devices, team):
    device = make_device()
    first = services.pull_device(device=device)
    assert first.outcome == "ok"

    # Unreachable: nothing listens on the port.
    device.ssh_port = free_port()
    device.save()
    _assert_failure(device, "unreachable", ["refused"])

    # Wrong password: the fakenos host that expects another one.
    device.ssh_port = fake_devices.ports["other"]
    device.platform = "cisco_ios"
    device.save()
    _assert_failure(device, "auth_failed", ["authentication"])

    # Timeout: a TCP port that accepts and never speaks SSH.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(4)
    try:
        device.ssh_port = silent.getsockname()[1]
        device.save()
        _assert_failure(device, "timeout", ["within 3 s"])
    finally:
        silent.close()

    # A device that stops in the middle of its output.
    device.ssh_port, device.platform = fake_devices.ports["huawei_vrp"], "huawei_vrp"
    device.save()
    fake_devices.set("huawei_vrp", hang=True)
    _assert_failure(device, "timeout", ["within 3 s", "no prompt"], within=30)
    fake_devices.release_all()

    # The previous version is intact and still the latest.
    assert selectors.latest_version(device, "running") == first.running
    assert ConfigVersion.objects.filter(device=device).count() == 2
    assert threading.active_count() < 200


def test_a_configuration_cut_short_is_read_again_and_never_stored_partial(make_device, fake_devices):
    device = make_device()
    # One read ends halfway (a slow device): read again, the whole text is stored.
    fake_devices.set("huawei_vrp", cut=1)
    first = services.pull_device(device=device)
    assert first.outcome == "ok", first.reason
    assert first.running.content.text == configs.normalise(HUAWEI)
    assert first.saved.content_id == first.running.content_id

    # Cut short twice: a failed pull with its reason, no partial version.
    changed = HUAWEI.replace("stelnet server enable", "stelnet server enable\n#\nsysname CORE-SW-2")
    fake_devices.set("huawei_vrp", running=changed, saved=changed, cut=2)
    attempt = _assert_failure(device, "error", ["cut short (no closing 'return' line)"])
    assert "display current-configuration" in attempt.reason
    assert selectors.latest_version(device, "running") == first.running
    assert ConfigVersion.objects.filter(device=device).count() == 2

    # The saved configuration is held to the same rule.
    fake_devices.set("huawei_vrp", running=changed, saved=changed, cut=0)
    fake_devices.state["huawei_vrp"]["saved"] = changed.removesuffix("return")
    attempt = _assert_failure(device, "error", ["'display saved-configuration' printed"])
    assert ConfigVersion.objects.filter(device=device).count() == 2


@pytest.mark.parametrize(
    "head",
    [
        "",
        ">display current-configuration\n",
        "<CORE-SW>display current-configuration\n",
        "\n<CORE-SW>\n",
        "display current-configuration\n\n",
    ],
    ids=["clean", "prompt-char-echo", "prompt-echo", "bare-prompt", "echo"],
)
def test_what_precedes_the_configuration_is_not_part_of_it(head):
    # What netmiko can leave at the top of an output when the device was slow.
    text = ssh.without_echo(head + HUAWEI, "display current-configuration", "CORE-SW")
    assert text == HUAWEI
    # The configuration's own first lines stay, whatever they look like.
    for first in (
        "#",
        "!Software Version V200R019C10SPC500",
        " sysname ACCESS-SW",
        "Building configuration...",
    ):
        assert ssh.without_echo(f"{first}\nreturn", "display current-configuration", "CORE-SW").startswith(
            first
        )


def test_the_vault_refusing_is_a_recorded_failure(make_device, team):
    from ggzy.credentials.tests.factories import make_credential

    people_only = make_credential(team.network_admin, name="仅限人员", username="backup")
    device = make_device(credential=people_only)
    attempt = _assert_failure(device, "refused", ["not released"])
    assert SECRET not in attempt.reason


def test_network_pull_command(make_device, fake_devices, settings):
    # The healthy pulls get a generous bound (a loaded machine slows netmiko's session
    # set-up past 3 s); the hang below is still bounded, by 8 s per step.
    settings.NETWORK_SSH_TIMEOUT = 20
    make_device()
    make_device(name="接入交换机", host="hp_comware")
    from io import StringIO

    out = StringIO()
    call_command("network_pull", "--device", "核心交换机", stdout=out)
    assert "核心交换机: ok, 2 new version(s)" in out.getvalue()
    assert PullAttempt.objects.count() == 1

    call_command("network_pull", stdout=out)
    assert PullAttempt.objects.count() == 3

    with pytest.raises(CommandError, match="no device named"):
        call_command("network_pull", "--device", "nope")

    fake_devices.set("hp_comware", hang=True)
    settings.NETWORK_SSH_TIMEOUT = 8
    started = time.monotonic()
    with pytest.raises(CommandError, match="1 device"):
        call_command("network_pull", stdout=out)
    assert "接入交换机: timeout" in out.getvalue()
    # Bounded: the session set-up and two commands, each within the bound (with slack).
    assert time.monotonic() - started < 4 * 8


def test_the_task_pulls_every_device(make_device):
    from ggzy.network.tasks import pull_configs

    make_device()
    assert pull_configs.call() == 1
    assert not Alert.objects.exists()


def test_backups_check_turns_overdue_two_days_after_the_last_successful_pull(make_device, fake_devices):
    import datetime as dt

    import time_machine
    from django.utils import timezone

    assert check("configs_backed_up").status == "no_data"
    device = make_device()
    services.pull_device(device=device)
    assert check("configs_backed_up").status == "met"
    with time_machine.travel(timezone.now() + dt.timedelta(days=2, hours=1)):
        fake_devices.set("huawei_vrp", hang=True)
        services.pull_device(device=device)  # a failed pull does not count
        result = check("configs_backed_up")
        assert result.status == "overdue" and device.name in result.detail
