"""The compliance checks of 技术服务外包、维护管理制度: each status they can return."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from ggzy.vendors import checks, services
from ggzy.vendors.models import Contract, Visit

from .factories import contract, vendor, visit

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def test_contracts_follow_approval(people):
    assert checks.contracts_follow_approval(today=_today()).status == "no_data"
    the_contract = contract(people, vendor(people))
    assert checks.contracts_follow_approval(today=_today()).status == "met"
    # A contract on an unapproved request (written behind the services' back) is a finding.
    Contract.objects.filter(pk=the_contract.pk).update(
        request=services.outsourcing_request_submit(
            title="x",
            scope="x",
            reason="x",
            lacks_capability=True,
            lowers_cost=False,
            more_benefit=False,
            actor=people.dept_head,
        )
    )
    result = checks.contracts_follow_approval(today=_today())
    assert result.status == "failing" and the_contract.number in result.detail


def test_vendor_evaluations_current(people):
    the_vendor = vendor(people)
    contract(people, the_vendor)
    assert checks.vendor_evaluations_current(today=_today()).status == "overdue"
    services.evaluation_record(
        vendor=the_vendor,
        period="本季度",
        scores={"quality": 10, "timeliness": 10, "safety": 10, "cooperation": 10},
        actor=people.network_admin,
    )
    assert checks.vendor_evaluations_current(today=_today()).status == "failing"
    services.evaluation_record(
        vendor=the_vendor,
        period="本季度复评",
        scores={"quality": 25, "timeliness": 20, "safety": 20, "cooperation": 15},
        actor=people.network_admin,
    )
    # One failing evaluation in the quarter still counts against the vendor until the quarter passes.
    assert checks.vendor_evaluations_current(today=_today()).status == "failing"
    with time_machine.travel(timezone.now() + dt.timedelta(days=100), tick=False):
        assert checks.vendor_evaluations_current(today=timezone.localdate()).status == "overdue"


def test_visits_entered_after_approval(people):
    assert checks.visits_entered_after_approval(today=_today()).status == "met"
    the_visit = visit(people)
    Visit.objects.filter(pk=the_visit.pk).update(arrived_at=timezone.now(), state="on_site")
    assert checks.visits_entered_after_approval(today=_today()).status == "failing"


def test_upgrades_approved_before_execution(people):
    upgrade = services.upgrade_file(
        vendor=vendor(people),
        system="OA",
        from_version="1",
        to_version="2",
        details="d",
        planned_at=timezone.now(),
        actor=people.network_admin,
    )
    assert checks.upgrades_approved_before_execution(today=_today()).status == "met"
    services.upgrade_executed(upgrade=upgrade, executed_at=timezone.now(), actor=people.network_admin)
    result = checks.upgrades_approved_before_execution(today=_today())
    assert result.status == "failing" and "OA 2" in result.detail
    services.upgrade_finding_resolve(upgrade=upgrade, note="补办并约谈", actor=people.security_admin)
    assert checks.upgrades_approved_before_execution(today=_today()).status == "met"
    with time_machine.travel(timezone.now() + dt.timedelta(days=10), tick=False):
        assert checks.upgrades_approved_before_execution(today=timezone.localdate()).status == "overdue"
