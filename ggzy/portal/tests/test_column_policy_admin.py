import pytest
from django.urls import reverse

from ggzy.accounts.choices import RoleKey
from ggzy.accounts.models import Department
from ggzy.accounts.tests.factories import login_as, make_user
from ggzy.portal.models import ColumnPolicy

pytestmark = pytest.mark.django_db


def policy_form(policy: ColumnPolicy, **changes):
    data = {
        "column_type": policy.column_type,
        "info_types": policy.info_types,
        "external_sources": policy.external_sources,
        "update_time_limit": policy.update_time_limit,
        "font_family": policy.font_family,
        "font_size": policy.font_size,
        "font_color": policy.font_color,
        "line_spacing_pt": str(policy.line_spacing_pt),
        "source_departments": [str(pk) for pk in policy.source_departments.values_list("pk", flat=True)],
    }
    data.update(changes)
    return data


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("column_policies:index"))
    assert response.status_code == 302 and "/admin/login/" in response.url


@pytest.mark.parametrize("role", [RoleKey.DRAFTER, RoleKey.SYSTEM_ADMIN, RoleKey.AUDIT_ADMIN])
def test_roles_without_permission_cannot_edit_policies(client, role):
    login_as(client, make_user(role))
    policy = ColumnPolicy.objects.get(column__slug="zwgk")
    assert client.get(reverse("column_policies:index")).status_code in (302, 403)
    response = client.post(
        reverse("column_policies:edit", args=[policy.pk]), policy_form(policy, font_size="小四")
    )
    assert response.status_code in (302, 403)
    policy.refresh_from_db()
    assert policy.font_size == "4号"


def test_website_admin_edits_a_policy(client):
    login_as(client, make_user(RoleKey.WEBSITE_ADMIN))
    policy = ColumnPolicy.objects.get(column__slug="zwgk")
    assert client.get(reverse("column_policies:index")).status_code == 200
    xinxi = Department.objects.get(code="xinxi")
    response = client.post(
        reverse("column_policies:edit", args=[policy.pk]),
        policy_form(policy, font_size="小四", update_time_limit="daily", source_departments=[str(xinxi.pk)]),
    )
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.font_size == "小四" and policy.update_time_limit == "daily"
    assert list(policy.source_departments.all()) == [xinxi]
    # no adding or deleting policies: one per column, made with the column
    assert client.get("/admin/column-policies/new/").status_code in (302, 403)
    assert client.get(f"/admin/column-policies/delete/{policy.pk}/").status_code in (302, 403)


def test_bad_policy_input_is_refused_and_nothing_changes(client):
    login_as(client, make_user(RoleKey.WEBSITE_ADMIN))
    policy = ColumnPolicy.objects.get(column__slug="zwgk")
    for bad in [{"line_spacing_pt": "500"}, {"font_color": "red;}body{display:none"}, {"font_size": "巨大"}]:
        response = client.post(reverse("column_policies:edit", args=[policy.pk]), policy_form(policy, **bad))
        assert response.status_code == 200, bad
        policy.refresh_from_db()
        assert policy.font_size == "4号" and policy.font_color == "#000000"


def test_policy_edits_in_the_admin_are_audited(client):
    from ggzy.audit.models import AuditEvent

    login_as(client, make_user(RoleKey.WEBSITE_ADMIN))
    policy = ColumnPolicy.objects.get(column__slug="zwgk")
    client.post(reverse("column_policies:edit", args=[policy.pk]), policy_form(policy, font_size="小四"))
    # once, from the service, with before/after
    (event,) = AuditEvent.objects.filter(action__startswith="portal.column", object_id=str(policy.pk))
    assert event.action == "portal.column_policy.updated"
