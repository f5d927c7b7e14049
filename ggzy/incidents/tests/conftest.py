import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.tests.factories import make_user
from ggzy.incidents.choices import ContactGroup
from ggzy.incidents.models import Contact


class _Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.received.append(
            {"path": self.path, "headers": dict(self.headers), "json": json.loads(body.decode())}
        )
        status = self.server.status
        self.send_response(status)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook_receiver(settings):
    """A real HTTP server on loopback standing in for the SMS/IM gateway."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    server.received = []
    server.status = 200
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.INCIDENT_WEBHOOK_URL = f"http://127.0.0.1:{server.server_port}/hook"
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def roster(db):
    """The 领导小组 (lead with an account) and the 应急领导小组."""
    lead_user = make_user(RoleKey.LEADER, email="lead@example.org")
    lead = Contact.objects.create(
        name="王组长",
        group=ContactGroup.LEADERSHIP,
        is_lead=True,
        phone="13900000001",
        email="lead@example.org",
        user=lead_user,
    )
    member = Contact.objects.create(
        name="李成员", group=ContactGroup.LEADERSHIP, phone="13900000002", email="li@example.org"
    )
    emergency = Contact.objects.create(
        name="赵主任", group=ContactGroup.EMERGENCY, phone="13900000003", email="zhao@example.org"
    )
    return {"lead": lead, "lead_user": lead_user, "member": member, "emergency": emergency}
