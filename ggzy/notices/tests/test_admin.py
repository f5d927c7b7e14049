import hashlib
import re

import pytest
from django.urls import reverse

from ggzy.accounts.choices import RoleKey as R
from ggzy.accounts.tests.factories import login_as, make_user
from ggzy.audit.models import AuditEvent
from ggzy.notices.models import ApiCallLog, ApiToken
from ggzy.notices.services import api_call_log, api_token_create

pytestmark = pytest.mark.django_db


def test_system_admin_creates_a_token_shown_once(client):
    login_as(client, make_user(R.SYSTEM_ADMIN))
    url = reverse("notices_api_tokens:add")
    response = client.post(
        url, {"name": "交易系统", "kinds": ["construction.tender", "land.grant"]}, follow=True
    )
    assert response.status_code == 200
    text = " ".join(str(m) for m in response.context["messages"])
    raw = re.search(r"(ggzy_\S+)", text).group(1)
    token = ApiToken.objects.get(name="交易系统")
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert token.kinds == ["construction.tender", "land.grant"]
    listing = client.get(reverse("notices_api_tokens:index")).content.decode()
    assert token.prefix in listing and raw not in listing


def test_system_admin_revokes_a_token(client):
    token, _raw = api_token_create(name="旧系统", kinds=["land.grant"])
    admin = make_user(R.SYSTEM_ADMIN)
    login_as(client, admin)
    response = client.post(
        reverse("notices_api_tokens:edit", args=[token.pk]),
        {"kinds": ["land.grant", "construction.tender"], "revoke": "on"},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    updated = AuditEvent.objects.get(action="notices.apitoken.updated")
    assert updated.actor == admin and updated.before == {"kinds": ["land.grant"]}
    assert updated.after == {"kinds": ["construction.tender", "land.grant"]}
    assert AuditEvent.objects.get(action="notices.apitoken.revoked").actor == admin


@pytest.mark.parametrize("role", [R.PUBLISHER, R.WEBSITE_ADMIN, R.DRAFTER])
def test_other_roles_cannot_manage_tokens(client, role):
    login_as(client, make_user(role))
    assert client.get(reverse("notices_api_tokens:index")).status_code in (302, 403)
    assert client.get(reverse("notices_api_tokens:add")).status_code in (302, 403)


def test_system_admin_reads_the_call_log(client):
    api_call_log(token=None, method="POST", path="/api/v1/notices/", status=401, detail="missing token")
    login_as(client, make_user(R.SYSTEM_ADMIN))
    response = client.get(reverse("notices_api_calls:index"))
    assert response.status_code == 200 and "/api/v1/notices/" in response.content.decode()
    assert ApiCallLog.objects.count() == 1
