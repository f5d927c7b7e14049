"""Pull all with bounded concurrency, the upload of a configuration for a device that
cannot be reached (四(二)), and saved versions needing change records too (四(四))."""

import datetime as dt
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ggzy.accounts.tests.factories import login_as
from ggzy.audit.models import AuditEvent
from ggzy.compliance.registry import all_checks
from ggzy.core.tests.access import is_refusal
from ggzy.incidents.models import Alert
from ggzy.network import services, ssh
from ggzy.network.models import AuditResult, ConfigVersion, PullAttempt

from .audit_configs import GOOD
from .conftest import HUAWEI

pytestmark = pytest.mark.django_db


def check(name):
    return all_checks()[f"network.{name}"].func(today=dt.date.today())


def test_pull_all_runs_at_most_the_configured_sessions_at_once(
    make_device, fake_devices, settings, monkeypatch
):
    settings.NETWORK_SSH_TIMEOUT = 20
    for i in range(3):
        for host in ("huawei_vrp", "hp_comware", "cisco_ios"):
            make_device(name=f"{host}-{i}", host=host)
    # Count the SSH sessions open at once around the real fetch (the devices are real).
    real, lock, state = ssh.fetch_configs, threading.Lock(), {"now": 0, "max": 0}

    def counting(**kwargs):
        with lock:
            state["now"] += 1
            state["max"] = max(state["max"], state["now"])
        try:
            return real(**kwargs)
        finally:
            with lock:
                state["now"] -= 1

    monkeypatch.setattr(ssh, "fetch_configs", counting)
    attempts = services.pull_all(workers=3)
    assert [a.outcome for a in attempts] == ["ok"] * 9, [a.reason for a in attempts]
    assert 1 < state["max"] <= 3
    assert AuditResult.objects.filter(current=True).values("device").distinct().count() == 9


def test_a_hanging_device_does_not_hold_up_the_others(make_device, fake_devices, settings):
    settings.NETWORK_SSH_TIMEOUT = 3
    make_device(name="a-core")
    make_device(name="b-access", host="hp_comware")
    make_device(name="c-edge", host="cisco_ios")
    fake_devices.set("huawei_vrp", hang=True)
    settings.NETWORK_PULL_WORKERS = 3
    outcomes = {a.device.name: a.outcome for a in services.pull_all()}
    assert outcomes["a-core"] == "timeout"
    # The others were pulled; with the bound raised for them a loaded machine does not fail them.
    assert PullAttempt.objects.filter(outcome="ok").count() + list(outcomes.values()).count("timeout") == 3


def test_pull_all_from_the_index_is_the_network_admins(client, team, make_device, fake_devices, settings):
    settings.NETWORK_SSH_TIMEOUT = 20
    make_device()
    for role in ("security_admin", "audit_admin", "system_admin", "drafter"):
        login_as(client, getattr(team, role))
        assert is_refusal(client.post(reverse("network_pull_all")))
    assert not PullAttempt.objects.exists()
    login_as(client, team.network_admin)
    response = client.post(reverse("network_pull_all"), follow=True)
    assert "1 台设备已备份" in response.content.decode()
    assert AuditEvent.objects.filter(action="network.config.pulled", actor=team.network_admin).exists()


@pytest.mark.parametrize(
    "role", ["network_admin", "security_admin", "audit_admin", "system_admin", "drafter"]
)
def test_upload_screen_per_role(client, team, make_device, role):
    device = make_device(name="离线防火墙", host="none", platform="huawei_vrp", mgmt_address="")
    login_as(client, getattr(team, role))
    response = client.get(reverse("network_upload") + f"?device={device.pk}")
    if role != "network_admin":
        assert is_refusal(response)
        upload = SimpleUploadedFile("fw.cfg", GOOD["huawei_vrp"].encode())
        assert is_refusal(
            client.post(reverse("network_upload"), {"device": device.pk, "running_file": upload})
        )
        assert not ConfigVersion.objects.exists()
        return
    assert response.status_code == 200
    # No configuration, a binary file: clear messages, nothing written.
    response = client.post(reverse("network_upload"), {"device": device.pk})
    assert "请上传或粘贴运行配置" in response.content.decode()
    binary = SimpleUploadedFile("fw.bin", b"\x00\x01\x02\xff\xfe")
    response = client.post(reverse("network_upload"), {"device": device.pk, "running_file": binary})
    assert "不是文本文件" in response.content.decode()
    # A file cut short (no closing "return"): refused, by its field, nothing written.
    cut = SimpleUploadedFile("fw.cfg", GOOD["huawei_vrp"].removesuffix("return").encode())
    response = client.post(reverse("network_upload"), {"device": device.pk, "running_file": cut})
    assert "运行配置不完整：华为 VRP 的配置以“return”一行结束" in response.content.decode()
    saved_cut = SimpleUploadedFile("saved.cfg", GOOD["huawei_vrp"][:40].encode())
    whole = SimpleUploadedFile("fw.cfg", GOOD["huawei_vrp"].encode())
    response = client.post(
        reverse("network_upload"), {"device": device.pk, "running_file": whole, "saved_file": saved_cut}
    )
    assert "启动配置不完整" in response.content.decode()
    assert not ConfigVersion.objects.exists()
    upload = SimpleUploadedFile("fw.cfg", GOOD["huawei_vrp"].encode("gb18030"))
    response = client.post(reverse("network_upload"), {"device": device.pk, "running_file": upload})
    assert response.status_code == 302, response.content.decode()[-3000:]
    version = ConfigVersion.objects.get(device=device, kind="running")
    assert "stelnet server enable" in version.content.text
    # Audited, and audited like a pull (the results on the device).
    assert AuditEvent.objects.filter(action="network.config.pulled", actor=team.network_admin).exists()
    assert AuditResult.objects.filter(version=version, current=True).count() == 9


def test_a_changed_saved_configuration_needs_a_change_record_too(make_device, fake_devices, team, settings):
    settings.NETWORK_SSH_TIMEOUT = 20
    device = make_device()
    services.pull_device(device=device)
    # Only the saved configuration changes (someone saved an earlier edit).
    saved = HUAWEI.replace("stelnet server enable", "stelnet server enable\n#\nsysname CORE-SW-2")
    fake_devices.set("huawei_vrp", saved=saved)
    attempt = services.pull_device(device=device)
    assert attempt.saved.number == 2 and attempt.saved.needs_change
    assert check("changes_recorded").status == "failing"
    assert Alert.objects.filter(key=f"unapproved-change:{device.pk}").exists()
    change = services.change_record(
        actor=team.network_admin,
        device=device,
        summary="保存配置",
        reason="保存更名",
        planned_at=timezone.now(),
        for_version=attempt.saved,
        late_reason="保存时未登记",
    )
    services.change_decide(actor=team.security_admin, change=change, approve=True)
    assert check("changes_recorded").status == "met"

    # A change approved beforehand covers the running and the saved version pulled together.
    planned = services.change_record(
        actor=team.network_admin, device=device, summary="再改名", reason="规范", planned_at=timezone.now()
    )
    services.change_decide(actor=team.security_admin, change=planned, approve=True)
    both = saved.replace("CORE-SW-2", "CORE-SW-3")
    fake_devices.set("huawei_vrp", running=both, saved=both)
    attempt = services.pull_device(device=device)
    assert attempt.running.change == planned and attempt.saved.change == planned
    assert check("changes_recorded").status == "met"
