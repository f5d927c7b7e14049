"""The audit action catalogue (ggzy.core.actions): every name any code records is
registered with a Chinese label, unregistered names are refused at run time,
and the viewer and its export show the labels next to the raw names."""

import ast
import re
from io import BytesIO
from pathlib import Path

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import reverse
from wagtail.log_actions import registry as wagtail_log_actions

import ggzy
from ggzy.accounts.choices import RoleKey
from ggzy.accounts.events import emit, security_event
from ggzy.accounts.models import User
from ggzy.accounts.tests.factories import login_as, make_user
from ggzy.audit.audit_actions import WAGTAIL_NOT_FOR_PAGES
from ggzy.audit.forms import action_filter_choices
from ggzy.audit.models import AuditChainHead
from ggzy.audit.receivers import _RECORDED_ELSEWHERE, model_action_name, page_action_name
from ggzy.audit.services import record
from ggzy.core.actions import action_label, families, is_registered, registered_actions

from .test_access import approved_grant

CJK = re.compile(r"[\u4e00-\u9fff]")
SOURCE = Path(ggzy.__file__).parent

# Calls whose action is computed, not written out, each with where its names are
# registered. A new computed call site fails test_computed_action_names_are_known
# until its names are registered and it is listed here.
COMPUTED = {
    # page_action_name(…): the Wagtail page/workflow actions (audit_actions.WAGTAIL_PAGE_ACTIONS).
    ("audit/receivers.py", "on_page_log_entry"),
    # model_action_name(…): the model family (audit_actions.MODEL_FAMILY_PATTERN).
    ("audit/receivers.py", "on_model_log_entry"),
    # emit()'s action, already checked by emit.
    ("audit/receivers.py", "on_security_event"),
    # "<app>.<model>.exported": the model family's verb "exported".
    ("audit/export.py", "as_spreadsheet"),
    # Passes its caller's literal (scanned there) to emit.
    ("accounts/mfa.py", "_refuse_if_throttled"),
    # Passes its callers' literals (compliance.occurrence.rejected / waive_rejected) to record.
    ("compliance/services.py", "_reject"),
    # Passes its callers' literals (credentials.change.refused / confirm_refused,
    # credentials.reveal.refused / failed) to record.
    ("credentials/services.py", "_refuse"),
    # Passes its callers' literals (vulns.scan.refused, vulns.import.refused) to record.
    ("vulns/services.py", "_refusal_audited"),
    # RegisterSet.audit_action: each module's declared literal (incidents.register.saved,
    # facility.register.saved); audit.record refuses an unregistered one, and both are
    # written by their modules' register tests.
    ("compliance/registers.py", "save"),
    # "<action>.approved" / ".rejected" of a read grant: its callers pass "audit.grant" and
    # "devicelogs.grant", whose four names are registered and written by their grant tests.
    ("audit/grants.py", "grant_decide"),
    ("audit/grants.py", "grant_revoke"),
    # network.connection.retired / network.wireless.retired (network/audit_actions.py).
    ("network/external.py", "_retire"),
    # logging.Handler.emit(record) sending the checkpoint digest to syslog: no audit action.
    ("audit/offsite.py", "send_checkpoint"),
}


def _call_name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


class _ActionCalls(ast.NodeVisitor):
    """Collects (function, expression) of every action given to record/emit."""

    def __init__(self):
        self.functions = ["<module>"]
        self.found = []

    def visit_FunctionDef(self, node):
        self.functions.append(node.name)
        self.generic_visit(node)
        self.functions.pop()

    def visit_Call(self, node):
        name = _call_name(node)
        if name == "emit" and node.args:
            self.found.append((self.functions[-1], node.args[0]))
        for keyword in node.keywords:
            if keyword.arg == "action" and name in {"record", "emit", "_refuse_if_throttled"}:
                self.found.append((self.functions[-1], keyword.value))
        self.generic_visit(node)


def _action_expressions():
    """(file, function, expression) of every action given to record/emit in
    ggzy's non-test source."""
    for path in sorted(SOURCE.rglob("*.py")):
        rel = path.relative_to(SOURCE).as_posix()
        if "/tests/" in f"/{rel}" or "/migrations/" in f"/{rel}":
            continue
        calls = _ActionCalls()
        calls.visit(ast.parse(path.read_text(encoding="utf-8")))
        for function, expression in calls.found:
            yield rel, function, expression


def _literals(expression) -> list[str]:
    return [n.value for n in ast.walk(expression) if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def _is_literal(expression) -> bool:
    return isinstance(expression, ast.Constant) or (
        isinstance(expression, ast.IfExp) and _is_literal(expression.body) and _is_literal(expression.orelse)
    )


def test_every_action_written_in_the_source_is_registered():
    found = {
        literal: rel
        for rel, _function, expression in _action_expressions()
        if _is_literal(expression)
        for literal in _literals(expression)
    }
    # The scan sees the recording sites of every app (not a vacuous pass).
    assert len(found) >= 60
    assert {"accounts.mfa.reset", "audit.grant.requested", "accounts.group.page_permission_changed"} <= set(
        found
    )
    assert {"suspensions.notice.cancelled", "notices.api.called", "accounts.departure.closed"} <= set(found)
    unregistered = {literal: rel for literal, rel in found.items() if not is_registered(literal)}
    assert not unregistered, (
        f"record/emit with unregistered actions (add them to <app>/audit_actions.py): {unregistered}"
    )


def test_computed_action_names_are_known():
    computed = {
        (rel, function) for rel, function, expression in _action_expressions() if not _is_literal(expression)
    }
    assert computed == COMPUTED


def test_every_wagtail_log_action_on_a_page_has_a_registered_name():
    actions = [action for action, _label in wagtail_log_actions.get_choices()]
    assert "wagtail.publish" in actions and "wagtail.workflow.approve" in actions
    missing = [
        action
        for action in actions
        if not action.startswith(WAGTAIL_NOT_FOR_PAGES) and not is_registered(page_action_name(action))
    ]
    assert not missing, (
        f"Wagtail log actions without a label in audit_actions.WAGTAIL_PAGE_ACTIONS: {missing}"
    )


def test_every_wagtail_log_action_on_any_admin_model_has_a_registered_name():
    actions = [action for action, _label in wagtail_log_actions.get_choices()]
    models = [
        model
        for model in apps.get_models()
        if (model._meta.app_label, model._meta.model_name) not in _RECORDED_ELSEWHERE
        and (model.__module__.startswith(("ggzy.", "wagtail.")))
    ]
    assert len(models) > 20
    missing = sorted(
        {
            name
            for model in models
            for action in [*actions, "exported"]
            for name in [
                model_action_name(model._meta.app_label, model._meta.model_name, action)
                if action != "exported"
                else f"{model._meta.app_label}.{model._meta.model_name}.exported"
            ]
            if not is_registered(name)
        }
    )
    assert not missing, missing[:20]


def test_the_model_family_names_only_real_models_and_verbs():
    assert action_label("core.calendarday.updated") == "节假日与调休：修改"
    assert is_registered("wagtailimages.image.created") and is_registered(
        "publishing.publicationrecord.exported"
    )
    assert not is_registered("core.nosuchmodel.updated")  # no such model
    assert not is_registered("core.calendarday.updatd")  # no such verb
    assert not is_registered("accounts.user.created_twice")  # accounts names are listed, not derived
    assert not is_registered("accounts.user.updated_by")


def test_every_registered_action_has_a_chinese_label():
    catalogue = registered_actions()
    assert len(catalogue) >= 90
    unlabelled = [
        action for action, (_registrant, label) in catalogue.items() if not CJK.search(label.strip())
    ]
    assert not unlabelled
    assert catalogue["accounts.login.failed"] == ("accounts", "登录失败")
    assert catalogue["publishing.page.published"] == ("audit", "发布页面")
    assert catalogue["accounts.departure.started"][1] == "启动离岗离职手续"
    for family in families():
        assert CJK.search(str(family.description))


# --------------------------------------------------------------------------- run-time guard


@pytest.mark.django_db
def test_record_refuses_an_unregistered_action_and_appends_nothing():
    user = make_user(RoleKey.DRAFTER)
    head = AuditChainHead.objects.get(pk=1).seq
    with pytest.raises(ValueError, match="not registered"), transaction.atomic():
        User.objects.filter(pk=user.pk).update(first_name="改过")
        record(action="accounts.user.creatd", obj=user)
    # The caller's change rolled back with the refused event; the chain did not move.
    assert User.objects.get(pk=user.pk).first_name != "改过"
    assert AuditChainHead.objects.get(pk=1).seq == head


@pytest.mark.django_db
def test_emit_refuses_an_unregistered_action_before_sending():
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    security_event.connect(receiver, weak=False, dispatch_uid="test-catalogue-emit")
    try:
        with pytest.raises(ValueError, match="not registered"):
            emit("accounts.mfa.enroled")
        emit("accounts.mfa.reset")
    finally:
        security_event.disconnect(dispatch_uid="test-catalogue-emit")
    assert [event["action"] for event in received] == ["accounts.mfa.reset"]


# --------------------------------------------------------------------------- the viewer


@pytest.mark.django_db
def test_viewer_shows_labels_and_raw_names_and_filters_by_label(client):
    auditor = make_user(RoleKey.AUDIT_ADMIN)
    approved_grant(auditor)
    record(action="tests.thing.done", object_repr="刚好完成")
    record(action="tests.thing.done_later", object_repr="稍后完成")
    login_as(client, auditor)

    response = client.get(reverse("audit_events"), {"action": "tests.thing.done"})
    page = response.content.decode()
    # A registered name is one action, not a prefix; its label and raw name are shown.
    assert [row.object_repr for row in response.context["rows"]] == ["刚好完成"]
    assert "测试：完成" in page and "<code>tests.thing.done</code>" in page
    # The filter offers the actions by label, grouped by app, with "all of an app".
    assert '<option value="accounts.login.failed">登录失败</option>' in page
    assert '<option value="accounts.">账号与部门：全部操作</option>' in page
    assert '<option value="tests.thing.done" selected>测试：完成</option>' in page

    response = client.get(reverse("audit_events"), {"action": "tests.thing."})
    both = response.content.decode()
    assert [row.object_repr for row in response.context["rows"]] == ["稍后完成", "刚好完成"]
    # A prefix that is not an option stays selected as it is.
    assert '<option value="tests.thing." selected>前缀：tests.thing.</option>' in both


def test_filter_choices_cover_every_registered_action_once():
    values = [
        value
        for _group, options in action_filter_choices()[1:]
        for value, _label in options
        if not value.endswith(".")
    ]
    assert sorted(values) == sorted(registered_actions())


@pytest.mark.django_db
def test_export_has_the_label_and_the_raw_name(client):
    from openpyxl import load_workbook

    auditor = make_user(RoleKey.AUDIT_ADMIN)
    approved_grant(auditor)
    record(action="tests.thing.done", object_repr="导出我")
    login_as(client, auditor)
    response = client.get(reverse("audit_events_export"), {"action": "tests.thing.done"})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    header = rows[0]
    (row,) = rows[1:]
    assert row[header.index("操作")] == "测试：完成"
    assert row[header.index("操作代码")] == "tests.thing.done"
    assert row[header.index("对象")] == "导出我"
