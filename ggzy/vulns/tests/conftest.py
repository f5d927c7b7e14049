import datetime as dt
import socket

import pytest
from django.utils import timezone

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import make_user
from ggzy.vulns import services


class People:
    def __init__(self):
        self.network_admin = make_user(RoleKey.NETWORK_ADMIN)
        self.security_admin = make_user(RoleKey.SECURITY_ADMIN)
        self.system_admin = make_user(RoleKey.SYSTEM_ADMIN)
        self.drafter = make_user(RoleKey.DRAFTER, department="jianshe")


@pytest.fixture
def people(db):
    return People()


@pytest.fixture
def listeners():
    """Real TCP listeners on loopback for nmap to find; closed at the end."""
    sockets = []

    def open_one() -> socket.socket:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        sock.listen(8)
        sockets.append(sock)
        return sock

    yield open_one
    for sock in sockets:
        sock.close()


def make_plan(people, *, scope="127.0.0.1/32", ports="1-1024", approve=True, hours=2):
    now = timezone.now()
    plan = services.plan_create(
        actor=people.network_admin,
        title="年度漏洞扫描（内网）",
        technique="port_scan",
        scope_text=scope,
        ports=ports,
        window_start=now - dt.timedelta(minutes=5),
        window_end=now + dt.timedelta(hours=hours),
        expected_impact="对业务无明显影响，限速每秒 100 包",
        rollback="发现异常立即停止扫描",
    )
    if approve:
        plan = services.plan_decide(plan=plan, actor=people.security_admin, approve=True)
    return plan
