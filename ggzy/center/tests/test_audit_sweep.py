"""The audit sweep itself (issue 14): it notes an admin POST that writes without
an audit event, and not one that audits or only reads."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from ggzy.accounts.models import Department
from ggzy.audit.services import record
from ggzy.center.tests import audit_sweep

pytestmark = pytest.mark.django_db


@pytest.fixture
def sweep_dir(tmp_path, monkeypatch):
    # This test's findings stay here, out of the run's own sweep.
    monkeypatch.setenv("GGZY_AUDIT_SWEEP_DIR", str(tmp_path))
    return tmp_path


def _post(view, path="/admin/things/7/edit/"):
    return audit_sweep.AuditSweepMiddleware(view)(RequestFactory().post(path))


def test_a_write_without_an_audit_event_is_a_finding(center, sweep_dir):
    def unaudited(request):
        Department.objects.create(code="ceshi", name="测试科")
        return HttpResponse(status=302)

    _post(unaudited)
    (finding,) = audit_sweep.findings()
    assert finding["path"] == "/admin/things/<id>/edit/"
    assert finding["tables"] == ["accounts_department"] and finding["status"] == 302


def test_an_audited_write_a_read_and_a_public_post_are_not(center, sweep_dir):
    def audited(request):
        department = Department.objects.create(code="ceshi", name="测试科")
        record(action="accounts.user.updated", obj=department)
        return HttpResponse(status=302)

    def reads(request):
        list(Department.objects.all())
        return HttpResponse()

    _post(audited)
    _post(reads)
    _post(lambda request: Department.objects.create(code="x", name="x") and HttpResponse(), path="/api/x/")
    assert audit_sweep.findings() == []
