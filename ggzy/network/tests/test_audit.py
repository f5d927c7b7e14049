"""The configuration audit on configurations served by real SSH devices (fakenos):
网络安全管理办法 二(六)、三(四)、五(一)(二)、七. Each platform's good configuration meets
every rule; the bad one fails each broken rule with the lines that prove it, secrets
masked; the results per version, the device page and the live check follow."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from ggzy.accounts.tests.factories import login_as
from ggzy.compliance.registry import all_checks
from ggzy.core.tests.access import is_refusal
from ggzy.network import services
from ggzy.network.models import AuditResult

from .audit_configs import BAD, BAD_SECRETS, BROKEN, COLLECTOR, GOOD

pytestmark = pytest.mark.django_db

PLATFORMS = ("huawei_vrp", "hp_comware", "cisco_ios")


def audit_check():
    return all_checks()["network.config_audit"].func(today=dt.date.today())


@pytest.fixture
def collector(settings):
    settings.NETWORK_SYSLOG_COLLECTOR = COLLECTOR


def results(attempt):
    return {r.rule: r for r in AuditResult.objects.filter(version=attempt.running)}


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_good_configuration_meets_every_rule(make_device, fake_devices, collector, platform):
    fake_devices.set(platform, running=GOOD[platform], saved=GOOD[platform])
    device = make_device(name=f"good-{platform}", host=platform, key_device=True)
    attempt = services.pull_device(device=device)
    assert attempt.outcome == "ok", attempt.reason
    found = results(attempt)
    assert set(found) == set(BROKEN[platform]) | {"command_log"}
    assert {r: f.outcome for r, f in found.items() if f.outcome != "pass"} == {}
    # Every rule cites its clause; proving lines are stored (e.g. the SSH line).
    assert {f.clause for f in found.values()} >= {"wlaq.7.1", "wlaq.7.2", "wlaq.7.3", "wlaq.5.1", "wlaq.2.6"}
    assert COLLECTOR in found["syslog_collector"].lines
    result = audit_check()
    assert result.status == "met", result.detail
    assert all(result.for_clause(c).status == "met" for c in ("wlaq.7.1", "wlaq.7.2", "wlaq.3.4"))


@pytest.mark.parametrize("platform", PLATFORMS)
def test_a_bad_configuration_fails_each_broken_rule_with_its_masked_lines(
    make_device, fake_devices, collector, platform
):
    fake_devices.set(platform, running=BAD[platform], saved=BAD[platform])
    device = make_device(name=f"bad-{platform}", host=platform, key_device=True)
    attempt = services.pull_device(device=device)
    assert attempt.outcome == "ok", attempt.reason
    found = results(attempt)
    assert {r for r, f in found.items() if f.outcome == "fail"} == BROKEN[platform]
    assert "telnet" in found["ssh_only"].lines
    for result in found.values():
        assert not any(secret in result.lines for secret in BAD_SECRETS)
    assert "******" in found["no_plain_passwords"].lines
    check = audit_check()
    assert check.status == "failing" and device.name in check.detail
    assert check.for_clause("wlaq.7.1").status == "failing"


def test_the_device_page_shows_the_results_to_the_confidential_roles_only(
    client, team, make_device, fake_devices, collector
):
    fake_devices.set("cisco_ios", running=BAD["cisco_ios"], saved=BAD["cisco_ios"])
    device = make_device(name="边界路由器", host="cisco_ios", key_device=True)
    services.pull_device(device=device)
    for role in ("network_admin", "security_admin", "audit_admin"):
        login_as(client, getattr(team, role))
        page = client.get(reverse("network_device", args=[device.pk])).content.decode()
        assert 'id="audit-ssh_only" class="audit-fail"' in page
        assert "transport input telnet ssh" in page and "wlaq.7.1" in page
        assert not any(secret in page for secret in BAD_SECRETS)
    for role in ("system_admin", "machine_room_admin"):
        login_as(client, getattr(team, role))
        page = client.get(reverse("network_device", args=[device.pk])).content.decode()
        assert 'id="audit"' not in page and "transport input" not in page
    login_as(client, team.drafter)
    assert is_refusal(client.get(reverse("network_device", args=[device.pk])))


def test_a_fixed_configuration_turns_the_check_met_and_results_are_kept_per_version(
    make_device, fake_devices, collector
):
    fake_devices.set("huawei_vrp", running=BAD["huawei_vrp"], saved=BAD["huawei_vrp"])
    device = make_device(key_device=True)
    first = services.pull_device(device=device)
    assert audit_check().status == "failing"
    fake_devices.set("huawei_vrp", running=GOOD["huawei_vrp"], saved=GOOD["huawei_vrp"])
    second = services.pull_device(device=device)
    assert second.running.number == 2
    assert audit_check().status == "met"
    # The first version's results are kept (history), no longer current.
    assert AuditResult.objects.filter(version=first.running, outcome="fail").count() == 8
    assert not AuditResult.objects.filter(version=first.running, current=True).exists()
    # Pulling the same configuration again does not audit it twice.
    services.pull_device(device=device)
    assert AuditResult.objects.filter(device=device).count() == 18


def test_2fa_applies_to_key_devices_only_and_the_collector_is_a_setting(make_device, fake_devices, settings):
    fake_devices.set(
        "cisco_ios",
        running=GOOD["cisco_ios"].replace("aaa authentication login default group tacacs+ local\n", ""),
    )
    settings.NETWORK_SYSLOG_COLLECTOR = "10.7.7.7"
    device = make_device(name="接入路由器", host="cisco_ios", key_device=False)
    found = results(services.pull_device(device=device))
    assert found["aaa_2fa"].outcome == "na"
    assert found["syslog_collector"].outcome == "fail" and "10.7.7.7" in found["syslog_collector"].detail

    # The register marks it a key device, the collector is corrected: network_audit re-reads.
    device.key_device = True
    device.save()
    settings.NETWORK_SYSLOG_COLLECTOR = COLLECTOR
    out = StringIO()
    call_command("network_audit", stdout=out)
    assert "接入路由器: aaa_2fa (wlaq.7.3)" in out.getvalue()
    current = {r.rule: r.outcome for r in AuditResult.objects.filter(device=device, current=True)}
    assert current["aaa_2fa"] == "fail" and current["syslog_collector"] == "pass"
    assert "1 device(s) audited, 1 failed rule(s)" in out.getvalue()


def test_the_check_is_one_query(make_device, fake_devices, collector, django_assert_max_num_queries):
    for platform in PLATFORMS:
        fake_devices.set(platform, running=BAD[platform], saved=BAD[platform])
        services.pull_device(device=make_device(name=platform, host=platform))
    with django_assert_max_num_queries(1):
        result = audit_check()
    assert result.status == "failing"
    assert result.for_clause("wlaq.7.3").status == "no_data"  # no key device: 2FA not applicable


def test_no_data_before_any_audit(center):
    assert audit_check().status == "no_data"
