"""The external connections (外联, 网络安全管理办法 二(七)(九)(十)), the wireless exceptions
(二(八)) and the isolation of the important segments (二(三)): registered by the 网络管理员,
decided by the 安全管理员 (never the registrant or requester) with a reason, audited;
confidential to the 网络管理员, 安全管理员 and 审计管理员 (四(三)); their live checks met,
failing and without data; the wireless expiry alert through the incidents module."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import login_as, make_user
from ggzy.audit.models import AuditEvent
from ggzy.compliance.registry import all_checks
from ggzy.core.tests.access import is_refusal
from ggzy.incidents.models import Alert
from ggzy.network import external
from ggzy.network.models import Device, ExternalConnection, Segment, WirelessException
from ggzy.network.registers import NETWORK_REGISTERS
from ggzy.network.tasks import wireless_expiry

pytestmark = pytest.mark.django_db

CONFIDENTIAL_ROLES = ("network_admin", "security_admin", "audit_admin")
OTHER_ROLES = ("system_admin", "machine_room_admin", "drafter")


def run(name: str, today: dt.date | None = None):
    return all_checks()[f"network.{name}"].func(today=today or timezone.localdate())


def days(n: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=n)).isoformat()


@pytest.fixture
def firewall(team):
    return Device.objects.create(
        name="出口防火墙", kind="firewall", platform="huawei_vrp", owner=team.network_admin
    )


@pytest.fixture
def segment(team):
    return NETWORK_REGISTERS.save(
        register=NETWORK_REGISTERS["segments"],
        instance=None,
        data={"name": "无线访客网段", "cidr": "10.9.50.0/24", "isolated_by_vlan": "on"},
        actor=team.network_admin,
    )


def internet(point, **over):
    data = {
        "name": "互联网出口",
        "kind": "internet",
        "counterpart": "中国电信",
        "points": [point.pk],
        "policy": "仅出站 HTTPS；入站只到门户的反向代理",
        "firewall": "on",
        "nat": "on",
        "monitored": "on",
        "review_on": days(200),
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def register(team, data) -> ExternalConnection:
    return external.connection_save(instance=None, data=data, actor=team.network_admin)


def approve(team, connection, note="同意接入"):
    return external.connection_decide(
        actor=team.security_admin, connection=connection, approve=True, note=note
    )


# --------------------------------------------------------------------------- 外联


def test_the_network_admin_registers_and_the_security_admin_approves_with_a_reason(client, team, firewall):
    login_as(client, team.network_admin)
    response = client.post(reverse("network_connection_new"), internet(firewall))
    assert response.status_code == 302
    connection = ExternalConnection.objects.get()
    assert connection.state == "pending" and connection.registered_by == team.network_admin
    assert AuditEvent.objects.filter(
        action="network.connection.saved", actor_id=team.network_admin.pk
    ).exists()
    result = run("external_connections_authorised")
    assert result.status == "failing" and "未批准" in result.detail
    assert result.per_clause["wlaq.2.7"].status == "failing"
    assert result.per_clause["wlaq.2.9.1"].status == "met"  # declared; approval is 2.7's business
    # The registrant sees no decision form, and a POST of it is refused.
    page = client.get(reverse("network_connection", args=[connection.pk])).content.decode()
    assert "提交审批" not in page and "互联网出口" in page
    assert is_refusal(
        client.post(reverse("network_connection", args=[connection.pk]), {"approve": "1", "note": "自批"})
    )

    login_as(client, team.security_admin)
    url = reverse("network_connection", args=[connection.pk])
    response = client.post(url, {"approve": "1", "note": ""})
    assert response.status_code == 200 and "审批须说明理由" in response.content.decode()
    assert client.post(url, {"approve": "1", "note": "防火墙与地址转换已核实"}).status_code == 302
    connection.refresh_from_db()
    assert connection.state == "approved" and connection.approver == team.security_admin
    event = AuditEvent.objects.get(action="network.connection.decided")
    assert event.actor_id == team.security_admin.pk
    result = run("external_connections_authorised")
    assert result.status == "met"
    assert {c: r.status for c, r in result.per_clause.items()} == {
        "wlaq.2.7": "met",
        "wlaq.2.9": "met",
        "wlaq.2.9.1": "met",
        "wlaq.2.9.2": "met",
        "wlaq.2.10": "met",  # 2.10.3: the point is monitored
        "wlaq.2.10.1": "no_data",
        "wlaq.2.10.2": "no_data",
        "wlaq.2.10.3": "met",
    }


def test_the_registrant_never_approves_even_as_security_admin(team, firewall):
    both = make_user(RoleKey.NETWORK_ADMIN, RoleKey.SECURITY_ADMIN)
    connection = external.connection_save(instance=None, data=internet(firewall), actor=both)
    with pytest.raises(PermissionDenied, match="登记人"):
        external.connection_decide(actor=both, connection=connection, approve=True, note="自批")
    with pytest.raises(PermissionDenied, match="安全管理员"):
        external.connection_decide(actor=team.audit_admin, connection=connection, approve=True, note="越权")
    approve(team, connection)


def test_an_internet_connection_needs_firewall_and_nat_before_approval(client, team, firewall):
    connection = register(team, internet(firewall, nat=None, firewall=None))
    result = run("external_connections_authorised")
    assert result.per_clause["wlaq.2.9.1"].status == "failing"
    assert result.per_clause["wlaq.2.9.2"].status == "failing"
    assert result.per_clause["wlaq.2.9"].status == "failing"
    login_as(client, team.security_admin)
    page = client.get(reverse("network_connection", args=[connection.pk])).content.decode()
    assert "批准前须声明的控制措施" in page
    response = client.post(
        reverse("network_connection", args=[connection.pk]), {"approve": "1", "note": "同意"}
    )
    text = response.content.decode()
    assert response.status_code == 200 and "互联网接入须先声明控制措施" in text and "地址转换（NAT）" in text
    connection.refresh_from_db()
    assert connection.state == "pending"
    assert not AuditEvent.objects.filter(action="network.connection.decided").exists()
    # A rejection (with its reason) is allowed; a rejected connection is not in force.
    assert (
        client.post(
            reverse("network_connection", args=[connection.pk]), {"approve": "0", "note": "未部署 NAT"}
        ).status_code
        == 302
    )
    connection.refresh_from_db()
    assert connection.state == "rejected"
    assert run("external_connections_authorised").status == "no_data"


def test_the_internet_point_devices_include_a_firewall(team, firewall):
    router = Device.objects.create(name="出口路由器", kind="router", platform="cisco_ios")
    connection = register(team, internet(firewall, points=[router.pk]))
    result = run("external_connections_authorised")
    assert result.per_clause["wlaq.2.9.2"].status == "failing" and "无防火墙等安全设备" in result.detail
    with pytest.raises(ValidationError, match="防火墙等安全设备"):
        approve(team, connection)
    connection = external.connection_save(
        instance=connection,
        data=internet(firewall, points=[router.pk, firewall.pk]),
        actor=team.network_admin,
    )
    approve(team, connection)
    assert run("external_connections_authorised").status == "met"


def test_inter_network_kinds_need_acl_redundancy_and_monitoring(team, firewall):
    router = Device.objects.create(name="政务外网路由器", kind="router", platform="huawei_vrp")
    egov = register(
        team,
        internet(
            firewall,
            name="电子政务外网",
            kind="egov",
            points=[router.pk],
            firewall=None,
            nat=None,
            monitored=None,
        ),
    )
    result = run("external_connections_authorised")
    states = {c: r.status for c, r in result.per_clause.items()}
    assert states["wlaq.2.10.1"] == states["wlaq.2.10.2"] == states["wlaq.2.10.3"] == "failing"
    assert states["wlaq.2.9.1"] == "no_data"
    with pytest.raises(ValidationError, match="安全冗余"):
        approve(team, egov)
    egov = external.connection_save(
        instance=egov,
        data=internet(
            firewall,
            name="电子政务外网",
            kind="egov",
            points=[router.pk],
            firewall=None,
            nat=None,
            acl="on",
            redundancy="on",
        ),
        actor=team.network_admin,
    )
    approve(team, egov)
    assert run("external_connections_authorised").status == "met"
    # A point device taken out of use: the interconnection is no longer monitored (二(十)3).
    Device.objects.filter(pk=router.pk).update(active=False)
    result = run("external_connections_authorised")
    assert result.per_clause["wlaq.2.10.3"].status == "failing" and "互连点设备" in result.detail


def test_the_review_date_follows_the_kind_and_expires(team, firewall):
    remote = register(
        team, internet(firewall, name="厂商远程运维", kind="remote", nat=None, review_on=days(120))
    )
    with pytest.raises(ValidationError, match="90 天"):
        approve(team, remote)
    remote = external.connection_save(
        instance=remote,
        data=internet(firewall, name="厂商远程运维", kind="remote", nat=None, review_on=days(60)),
        actor=team.network_admin,
    )
    approve(team, remote)
    assert run("external_connections_authorised").status == "met"
    with time_machine.travel(timezone.now() + dt.timedelta(days=61), tick=False):
        result = run("external_connections_authorised")
        assert result.status == "failing" and "已过复核日期" in result.detail
        assert result.per_clause["wlaq.2.7"].status == "failing"


def test_an_edit_needs_a_new_approval_and_a_retirement_a_reason(client, team, firewall):
    connection = approve(team, register(team, internet(firewall)))
    login_as(client, team.network_admin)
    edit = reverse("network_connection_edit", args=[connection.pk])
    response = client.post(edit, internet(firewall, review_on=timezone.localdate().isoformat()))
    assert response.status_code == 200 and "复核日期须晚于今天" in response.content.decode()
    assert client.post(edit, internet(firewall, policy="新增出站 SMTP")).status_code == 302
    connection.refresh_from_db()
    assert connection.state == "pending" and connection.approver is None
    saved = AuditEvent.objects.filter(action="network.connection.saved").order_by("pk").last()
    assert "policy" in saved.after and "policy" in saved.before and saved.extra["reapproval"] is True
    assert run("external_connections_authorised").status == "failing"

    retire = reverse("network_connection_retire", args=[connection.pk])
    assert client.post(retire, {"reason": ""}).status_code == 302
    connection.refresh_from_db()
    assert connection.state == "pending"
    assert client.post(retire, {"reason": "线路已拆除"}).status_code == 302
    connection.refresh_from_db()
    assert connection.state == "retired" and connection.retire_reason == "线路已拆除"
    assert AuditEvent.objects.filter(action="network.connection.retired").exists()
    assert run("external_connections_authorised").status == "no_data"
    # Retired rows are not edited (registered again instead).
    assert client.post(edit, internet(firewall)).status_code == 302
    connection.refresh_from_db()
    assert connection.state == "retired"


def test_bad_input_gives_chinese_errors_and_writes_nothing(client, team, firewall):
    login_as(client, team.network_admin)
    response = client.post(reverse("network_connection_new"), internet(firewall, points=[], name=""))
    text = response.content.decode()
    assert response.status_code == 200 and "请选择互连点设备" in text and "必需字段" in text
    assert not ExternalConnection.objects.exists()
    register(team, internet(firewall))
    response = client.post(reverse("network_connection_new"), internet(firewall))
    assert "已有同名的外联" in response.content.decode()


# --------------------------------------------------------------------------- 无线接入例外


def wireless(team, segment, **over):
    data = {
        "location": "三楼开标室",
        "ssid": "GGZY-BID",
        "purpose": "远程异地评标临时接入",
        "requested_by": team.system_admin.pk,
        "segment": segment.pk,
        "encryption": "wpa2_enterprise",
        "valid_from": days(0),
        "valid_until": days(30),
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def test_wireless_exception_needs_an_expiry_and_the_security_admin(client, team, segment):
    login_as(client, team.network_admin)
    response = client.post(reverse("network_wireless_new"), wireless(team, segment, valid_until=None))
    assert "无线接入例外须有到期日" in response.content.decode()
    response = client.post(reverse("network_wireless_new"), wireless(team, segment, valid_until=days(-1)))
    assert "到期日不能早于开始日" in response.content.decode()
    assert not WirelessException.objects.exists()
    assert client.post(reverse("network_wireless_new"), wireless(team, segment)).status_code == 302
    exception = WirelessException.objects.get()
    assert exception.state == "pending"
    # Neither the requester (here a 安全管理员) nor the registrant approves.
    requester = make_user(RoleKey.SECURITY_ADMIN)
    exception.requested_by = requester
    exception.save(update_fields=["requested_by"])
    with pytest.raises(PermissionDenied):
        external.wireless_decide(actor=requester, exception=exception, approve=True, note="自批")
    with pytest.raises(PermissionDenied):
        external.wireless_decide(actor=team.network_admin, exception=exception, approve=True, note="自批")
    login_as(client, team.security_admin)
    url = reverse("network_wireless", args=[exception.pk])
    assert client.post(url, {"approve": "1", "note": "同意，限开标期间"}).status_code == 302
    exception.refresh_from_db()
    assert exception.state == "approved" and exception.approver == team.security_admin
    assert AuditEvent.objects.filter(action="network.wireless.decided").exists()
    assert run("wireless_exceptions_valid").status == "met"


def test_an_open_network_or_an_unisolated_segment_is_not_approved(team, segment):
    bare = Segment.objects.create(name="办公网段")
    exception = external.wireless_save(
        instance=None, data=wireless(team, bare, encryption="open"), actor=team.network_admin
    )
    with pytest.raises(ValidationError) as caught:
        external.wireless_decide(actor=team.security_admin, exception=exception, approve=True, note="同意")
    assert "无线接入须加密" in str(caught.value) and "未登记隔离措施" in str(caught.value)
    with pytest.raises(ValidationError, match="一年"):
        long = external.wireless_save(
            instance=None, data=wireless(team, segment, valid_until=days(400)), actor=team.network_admin
        )
        external.wireless_decide(actor=team.security_admin, exception=long, approve=True, note="同意")


def test_an_expired_exception_fails_and_alerts(team, segment):
    assert run("wireless_exceptions_valid").status == "no_data"
    exception = external.wireless_save(instance=None, data=wireless(team, segment), actor=team.network_admin)
    assert run("wireless_exceptions_valid").status == "met"  # requested, not in use
    external.wireless_decide(actor=team.security_admin, exception=exception, approve=True, note="同意")
    assert wireless_expiry.call() == 0
    now = timezone.now()
    with time_machine.travel(now + dt.timedelta(days=25), tick=False):
        assert run("wireless_exceptions_valid").status == "met"
        assert wireless_expiry.call() == 1
        alert = Alert.objects.get(source="network", status="open")
        assert "即将到期" in alert.title and alert.key == f"wireless-exception:{exception.pk}"
    with time_machine.travel(now + dt.timedelta(days=31), tick=False):
        result = run("wireless_exceptions_valid")
        assert result.status == "failing" and "已过期" in result.detail
        wireless_expiry.call()
        assert Alert.objects.filter(source="network", status="open").count() == 1  # grouped
        external.wireless_retire(actor=team.security_admin, exception=exception, reason="会议已结束")
        assert not Alert.objects.filter(source="network", status="open").exists()
        assert run("wireless_exceptions_valid").status == "no_data"
        assert AuditEvent.objects.filter(action="network.wireless.retired").exists()


def test_an_access_point_without_a_valid_exception_fails(team, segment):
    ap = Device.objects.create(name="开标室AP", kind="wireless", platform="other")
    result = run("wireless_exceptions_valid")
    assert result.status == "failing" and "开标室AP" in result.detail
    exception = external.wireless_save(
        instance=None, data=wireless(team, segment, access_points=[ap.pk]), actor=team.network_admin
    )
    assert run("wireless_exceptions_valid").status == "failing"  # not approved yet
    external.wireless_decide(actor=team.security_admin, exception=exception, approve=True, note="同意")
    assert run("wireless_exceptions_valid").status == "met"


# --------------------------------------------------------------------------- 二(三) 重要网段隔离


def test_important_segments_state_their_isolation_and_guard(team, firewall):
    assert run("segments_isolated").status == "no_data"
    regs = NETWORK_REGISTERS
    core = regs.save(
        register=regs["segments"],
        instance=None,
        data={"name": "交易核心网段", "important": "on"},
        actor=team.network_admin,
    )
    result = run("segments_isolated")
    assert result.status == "failing" and "未登记隔离措施" in result.detail
    core = regs.save(
        register=regs["segments"],
        instance=core,
        data={"name": "交易核心网段", "important": "on", "isolated_by_vlan": "on", "isolated_by_acl": "on"},
        actor=team.network_admin,
    )
    # The register holds a firewall: the important segment must be guarded by one.
    result = run("segments_isolated")
    assert result.status == "failing" and "无防火墙等安全设备防护" in result.detail
    regs.save(
        register=regs["segments"],
        instance=core,
        data={"name": "交易核心网段", "important": "on", "isolated_by_vlan": "on", "guards": [firewall.pk]},
        actor=team.network_admin,
    )
    assert run("segments_isolated").status == "met"
    saved = AuditEvent.objects.filter(action="network.register.saved").order_by("pk").last()
    assert "出口防火墙" in saved.after["guards"]
    # Without any security device registered, the stated means suffice.
    Device.objects.filter(pk=firewall.pk).update(active=False)
    assert run("segments_isolated").status == "met"


def test_each_check_is_a_bounded_number_of_queries(team, firewall, segment, django_assert_max_num_queries):
    for n in range(6):
        approve(team, register(team, internet(firewall, name=f"外联{n}")))
        exception = external.wireless_save(
            instance=None, data=wireless(team, segment, ssid=f"SSID{n}"), actor=team.network_admin
        )
        external.wireless_decide(actor=team.security_admin, exception=exception, approve=True, note="同意")
        Device.objects.create(name=f"AP{n}", kind="wireless", platform="other")
        Segment.objects.create(name=f"重要网段{n}", important=True, isolated_by_firewall=True)
    for name, bound in (
        ("external_connections_authorised", 1),
        ("wireless_exceptions_valid", 2),
        ("segments_isolated", 2),
    ):
        with django_assert_max_num_queries(bound):
            run(name)


# --------------------------------------------------------------------------- 四(三) who sees them


@pytest.mark.parametrize("role", CONFIDENTIAL_ROLES + OTHER_ROLES)
def test_only_the_confidential_roles_see_the_registers(client, team, firewall, segment, role):
    connection = register(team, internet(firewall))
    exception = external.wireless_save(instance=None, data=wireless(team, segment), actor=team.network_admin)
    login_as(client, getattr(team, role))
    pages = [
        client.get(reverse("network_connections")),
        client.get(reverse("network_connection", args=[connection.pk])),
        client.get(reverse("network_wireless_list")),
        client.get(reverse("network_wireless", args=[exception.pk])),
    ]
    writes = [
        client.get(reverse("network_connection_new")),
        client.get(reverse("network_connection_edit", args=[connection.pk])),
        client.get(reverse("network_wireless_new")),
        client.get(reverse("network_wireless_edit", args=[exception.pk])),
    ]
    if role in OTHER_ROLES:
        assert all(is_refusal(r) for r in pages + writes)
        return
    assert all(r.status_code == 200 for r in pages)
    text = "".join(r.content.decode() for r in pages)
    assert "互联网出口" in text and "10.9.50.0/24" in text
    if role == "network_admin":
        assert all(r.status_code == 200 for r in writes)
    else:
        assert all(is_refusal(r) for r in writes)
    if role == "audit_admin":  # read-only: neither decides nor retires
        assert "提交审批" not in text and "停用外联" not in text
        assert is_refusal(
            client.post(reverse("network_connection_retire", args=[connection.pk]), {"reason": "x"})
        )
    if role == "security_admin":
        assert "提交审批" in text
