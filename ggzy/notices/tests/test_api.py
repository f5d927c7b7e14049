"""The intake API: every status code, idempotency, scope, atomicity, audit rows."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from wagtail.models import Page

from ggzy.accounts.choices import RoleKey as R
from ggzy.accounts.tests.factories import make_user
from ggzy.notices.models import ApiCallLog, ApiToken, CandidatesNotice, IntakeNotice, ProcurementChangeNotice
from ggzy.notices.services import api_token_create, api_token_revoke
from ggzy.notices.tests.factories import CREDIT_CODE
from ggzy.publishing.services import task_act
from ggzy.publishing.tests.factories import approve

pytestmark = pytest.mark.django_db

URL = "/api/v1/notices/"


@pytest.fixture
def token():
    token, raw = api_token_create(
        name="交易系统",
        kinds=["construction.candidates", "construction.tender", "procurement.tender", "procurement.change"],
    )
    token.raw = raw
    return token


def candidates_body(external_id="JY-2026-0001", **overrides):
    body = {
        "kind": "construction.candidates",
        "external_id": external_id,
        "project_code": "JZ2026-GC-018",
        "section_code": "01",
        "project_name": "焦作市人民路改造工程",
        "owner_name": "焦作市城市管理局",
        "owner_credit_code": CREDIT_CODE,
        "agency_name": "河南某招标代理有限公司",
        "publicity_start": "2026-11-02",
        "publicity_end": "2026-11-05",
        "objection_method": "公示期内以书面形式向招标人提出异议。",
        "candidates": [
            {"rank": 1, "name": "甲建设集团有限公司", "price": "11800000.00", "project_lead": "王建国"},
            {"rank": 2, "name": "乙建设有限公司", "price": "11950000.00", "project_lead": "李明"},
        ],
        "body": "<p>中标候选人公示</p>",
    }
    body.update(overrides)
    return body


def post(client, body, raw):
    headers = {"Authorization": f"Bearer {raw}"} if raw else {}
    return client.post(URL, body, content_type="application/json", headers=headers)


def test_push_creates_a_draft_in_its_column_and_starts_the_chain(client, token):
    response = post(client, candidates_body(), token.raw)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "in review" and data["kind"] == "construction.candidates"
    notice = CandidatesNotice.objects.get(pk=data["id"])
    assert not notice.live
    assert notice.get_parent().slug == "zbgs"
    assert notice.current_workflow_task.name == "科室负责人审核"
    assert notice.title == "焦作市人民路改造工程中标候选人公示"
    revision = notice.get_latest_revision_as_object()
    assert [(c.rank, c.name, c.project_lead) for c in revision.candidates.all()] == [
        (1, "甲建设集团有限公司", "王建国"),
        (2, "乙建设有限公司", "李明"),
    ]
    requester = notice.current_workflow_state.requested_by
    assert requester.department.code == "jianshe" and not requester.has_usable_password()
    log = ApiCallLog.objects.get()
    assert (log.status, log.token, log.external_id, log.page_id) == (201, token, "JY-2026-0001", notice.pk)


def test_same_external_id_updates_the_draft_and_restarts_review(client, token):
    first = post(client, candidates_body(), token.raw).json()
    response = post(client, candidates_body(project_name="焦作市人民路改造工程（二期）"), token.raw)
    assert response.status_code == 200
    assert response.json()["id"] == first["id"]
    notice = CandidatesNotice.objects.get(pk=first["id"])
    assert notice.get_latest_revision_as_object().project_name == "焦作市人民路改造工程（二期）"
    assert notice.current_workflow_state.status == "in_progress"
    assert IntakeNotice.objects.count() == 1 and CandidatesNotice.objects.count() == 1


def test_status_follows_the_chain_and_published_notices_answer_409(client, token):
    data = post(client, candidates_body(), token.raw).json()
    headers = {"Authorization": f"Bearer {token.raw}"}
    assert client.get(f"{URL}{data['id']}", headers=headers).json()["status"] == "in review"

    head = make_user(R.DEPARTMENT_HEAD, department="jianshe")
    publisher = make_user(R.PUBLISHER, department="xinxi")
    task_act(page=CandidatesNotice.objects.get(pk=data["id"]), actor=head, action="reject")
    assert client.get(f"{URL}{data['id']}", headers=headers).json()["status"] == "rejected"

    post(client, candidates_body(), token.raw)  # the trading system corrects it: back in review
    notice = CandidatesNotice.objects.get(pk=data["id"])
    approve(notice, head)
    approve(CandidatesNotice.objects.get(pk=data["id"]), make_user(R.REVIEW_GROUP, department="zonghe"))
    approve(CandidatesNotice.objects.get(pk=data["id"]), publisher)
    got = client.get(f"{URL}{data['id']}", headers=headers).json()
    assert got["status"] == "published" and got["url"].endswith("/jyxx/jsgc/zbgs/jy-2026-0001/")

    response = post(client, candidates_body(), token.raw)
    assert response.status_code == 409
    assert "procurement.change" in response.json()["detail"]


def test_unknown_kind_is_400(client, token):
    response = post(client, candidates_body(kind="construction.unknown"), token.raw)
    assert response.status_code == 400 and "未知的公告类型" in response.json()["detail"]


@pytest.mark.parametrize("raw", ["", "ggzy_not-a-real-token", "Basic abc"])
def test_missing_or_bad_token_is_401(client, token, raw):
    response = post(client, candidates_body(), raw)
    assert response.status_code == 401
    assert ApiCallLog.objects.filter(status=401).count() == 1
    assert not IntakeNotice.objects.exists()


def test_revoked_token_is_401(client, token):
    api_token_revoke(token=token)
    assert post(client, candidates_body(), token.raw).status_code == 401


def test_kind_outside_the_token_scope_is_403(client, token):
    response = post(client, candidates_body(kind="land.grant"), token.raw)
    assert response.status_code == 403 and "无权推送" in response.json()["detail"]
    assert ApiCallLog.objects.get().status == 403


def test_bad_fields_are_422_per_field_and_nothing_is_written(client, token):
    pages_before = Page.objects.count()
    body = candidates_body(owner_credit_code="91410800MA44KJ7X30", publicity_end="2026-11-03")
    del body["project_name"]
    response = post(client, body, token.raw)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert "校验位错误" in errors["owner_credit_code"][0]
    assert "project_name" in errors
    assert "第五十四条" in errors["publicity_end"][0] and "最早应为2026-11-05" in errors["publicity_end"][0]
    assert Page.objects.count() == pages_before
    assert not IntakeNotice.objects.exists()
    assert ApiCallLog.objects.get().status == 422


def test_malformed_values_are_422(client, token):
    response = post(client, candidates_body(publicity_start="2 November", surprise="x"), token.raw)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert "publicity_start" in errors and "surprise" in errors


def test_candidates_must_be_one_to_three(client, token):
    rows = [{"rank": r, "name": f"候选人{r}", "price": "1"} for r in (1, 2, 3)]
    response = post(
        client, candidates_body(candidates=[*rows, {"rank": 3, "name": "x", "price": "1"}]), token.raw
    )
    assert response.status_code == 422 and "candidates" in response.json()["errors"]


def test_change_notice_links_to_the_original_and_checks_fifteen_days(client, token):
    deadline = timezone.localtime() + dt.timedelta(days=40)
    tender = {
        "kind": "procurement.tender",
        "external_id": "CG-1",
        "project_code": "JZCG-2026-1",
        "project_name": "某设备采购",
        "owner_name": "焦作市某局",
        "owner_credit_code": CREDIT_CODE,
        "pickup_start": timezone.localtime().isoformat(),
        "pickup_end": (timezone.localtime() + dt.timedelta(days=10)).isoformat(),
        "bid_deadline": deadline.isoformat(),
    }
    assert post(client, tender, token.raw).status_code == 201
    change = {
        "kind": "procurement.change",
        "external_id": "CG-1-BG1",
        "changes": "CG-1",
        "project_code": "JZCG-2026-1",
        "project_name": "某设备采购",
        "owner_name": "焦作市某局",
        "owner_credit_code": CREDIT_CODE,
        "change_summary": "投标截止时间调整。",
        "bid_deadline": (timezone.localtime() + dt.timedelta(days=5)).isoformat(),
    }
    response = post(client, change, token.raw)
    assert response.status_code == 422 and "至少15日前" in response.json()["errors"]["bid_deadline"][0]
    change["bid_deadline"] = (timezone.localtime() + dt.timedelta(days=30)).isoformat()
    response = post(client, change, token.raw)
    assert response.status_code == 201
    notice = ProcurementChangeNotice.objects.get(pk=response.json()["id"])
    assert notice.changed_notice_id == IntakeNotice.objects.get(external_id="CG-1").page_id
    assert post(client, {**change, "external_id": "CG-2", "changes": "nope"}, token.raw).status_code == 422


def test_rate_limit_per_token_is_429(client, token, settings):
    settings.GGZY_API_RATE_LIMIT = 2
    _other, other_raw = api_token_create(name="另一系统", kinds=["construction.candidates"])
    headers = {"Authorization": f"Bearer {token.raw}"}
    with time_machine.travel(timezone.now().replace(second=1), tick=False):  # one window
        codes = [client.get(f"{URL}999999", headers=headers).status_code for _ in range(3)]
        assert codes == [404, 404, 429]
        assert client.get(f"{URL}999999", headers={"Authorization": f"Bearer {other_raw}"}).status_code == 404
        assert post(client, candidates_body(), token.raw).status_code == 429
    assert ApiCallLog.objects.filter(status=429).count() == 2


def test_get_only_shows_notices_in_the_token_scope(client, token):
    data = post(client, candidates_body(), token.raw).json()
    _other, other_raw = api_token_create(name="土地系统", kinds=["land.grant"])
    response = client.get(f"{URL}{data['id']}", headers={"Authorization": f"Bearer {other_raw}"})
    assert response.status_code == 404


def test_openapi_schema_is_published(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/notices/" in schema["paths"]
    assert "bearer" in str(schema["components"]["securitySchemes"]).lower()


def test_tokens_are_stored_hashed(token):
    stored = ApiToken.objects.get(pk=token.pk)
    assert token.raw not in (stored.token_hash, stored.prefix) and len(stored.token_hash) == 64
    assert token.raw.startswith(stored.prefix)


def test_create_api_token_command_prints_the_token_once():
    out = StringIO()
    call_command("create_api_token", "--name", "交易系统2", "--kinds", "land.grant,land.result", stdout=out)
    raw = out.getvalue().split()[-1]
    token = ApiToken.objects.get(name="交易系统2")
    assert token.kinds == ["land.grant", "land.result"] and raw.startswith(token.prefix)
    with pytest.raises(CommandError, match="未知的公告类型"):
        call_command("create_api_token", "--name", "x", "--kinds", "land.nope", stdout=StringIO())


def test_pushed_html_is_reduced_to_the_editor_features(client, token):
    body = '<p onclick="x()">公示内容</p><script>alert(1)</script><iframe src="http://evil"></iframe>'
    data = post(client, candidates_body(body=body), token.raw).json()
    stored = CandidatesNotice.objects.get(pk=data["id"]).get_latest_revision_as_object().body
    assert "公示内容" in stored and "data-block-key" in stored
    assert "script" not in stored and "iframe" not in stored and "onclick" not in stored


def test_every_api_call_is_in_the_audit_chain(client):
    from ggzy.audit.models import AuditEvent
    from ggzy.audit.verify import verify_chain

    before = AuditEvent.objects.filter(action="notices.api.called").count()
    response = client.post("/api/v1/notices/", data="{}", content_type="application/json")
    assert response.status_code == 401
    event = AuditEvent.objects.filter(action="notices.api.called").order_by("-pk").first()
    assert AuditEvent.objects.filter(action="notices.api.called").count() == before + 1
    assert event.outcome == "failure" and event.actor_username == "api:anonymous"
    assert verify_chain().ok


# --------------------------------------------------------------------------- attachments


def _b64(data: bytes) -> str:
    import base64

    return base64.b64encode(data).decode()


def test_pushed_attachments_are_checked_screened_and_attached(client, token, settings):
    from ggzy.screening.tests import documents as d

    body = candidates_body(
        attachments=[
            {"filename": "评标报告.docx", "content_base64": _b64(d.docx(paragraphs=("评标结果。",)))}
        ]
    )
    response = post(client, body, token.raw)
    assert response.status_code == 201, response.content
    notice = CandidatesNotice.objects.get(pk=response.json()["id"]).get_latest_revision_as_object()
    (block,) = notice.attachments
    assert block.value.title == "评标报告" and block.value.file.read().startswith(b"PK")


@pytest.mark.parametrize(
    "attachment,message",
    [
        ({"filename": "a.pdf", "content_base64": "not base64!!"}, "不是有效的 base64"),
        ({"filename": "setup.pdf", "content_base64": _b64(b"MZ\x90\x00" + b"\x00" * 200)}, "不接受此类文件"),
    ],
)
def test_bad_attachments_are_refused_and_nothing_is_written(client, token, attachment, message):
    from wagtail.documents import get_document_model

    response = post(client, candidates_body(attachments=[attachment]), token.raw)
    assert response.status_code == 422, response.content
    assert message in str(response.json()["errors"]["attachments.0"])
    assert not IntakeNotice.objects.exists() and not get_document_model().objects.exists()


def test_attachment_with_an_id_number_is_refused_and_its_file_removed(client, token, settings, tmp_path):
    from wagtail.documents import get_document_model

    from ggzy.screening.tests import documents as d
    from ggzy.screening.tests.helpers import resident_id

    settings.MEDIA_ROOT = tmp_path
    data = d.docx(paragraphs=(f"联系人身份证 {resident_id()}",))
    response = post(
        client,
        candidates_body(attachments=[{"filename": "名单.docx", "content_base64": _b64(data)}]),
        token.raw,
    )
    assert response.status_code == 422
    assert "pii.id_card" in str(response.json()["errors"]) or "身份证" in str(response.json()["errors"])
    assert not get_document_model().objects.exists()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_files_stored_for_a_call_that_fails_later_are_removed(client, token, settings, tmp_path):
    from wagtail.documents import get_document_model

    from ggzy.screening.tests import documents as d
    from ggzy.screening.tests.helpers import resident_id

    settings.MEDIA_ROOT = tmp_path
    body = candidates_body(
        body=f"<p>联系人身份证 {resident_id()}</p>",  # refused at submission, after the files were stored
        attachments=[
            {"filename": "评标报告.docx", "content_base64": _b64(d.docx(paragraphs=("评标结果。",)))}
        ],
    )
    response = post(client, body, token.raw)
    assert response.status_code == 422, response.content
    assert not IntakeNotice.objects.exists() and not get_document_model().objects.exists()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
