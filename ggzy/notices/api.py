"""The intake API for the trading system (信息传递制度 (二)), mounted at /api/v1/.

Thin: authentication, rate limit and status codes here; the work is in
services.notice_intake. Every call is recorded with services.api_call_log.
"""

import datetime as dt
import logging
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer
from pydantic import ConfigDict, Field
from wagtail.models import Page

from ggzy.incidents.alerts import raise_alert
from ggzy.incidents.choices import IncidentType

from . import services
from .choices import NoticeKind
from .models import ApiToken, IntakeNotice
from .selectors import notice_status

logger = logging.getLogger(__name__)

# Page ids are positive 32-bit integers on every database the project runs on.
MAX_PAGE_ID = 2**31 - 1

api = NinjaAPI(
    title="焦作市公共资源交易中心 交易公告接收接口",
    version="1",
    description=(
        "交易系统推送交易公告、公示。需在请求头中携带 `Authorization: Bearer <令牌>`；"
        "推送后生成草稿并进入栏目审批流程，不会直接发布。"
    ),
    urls_namespace="notices_api",
    docs_url=None,  # the Swagger UI loads assets from a CDN; the schema is at /api/v1/openapi.json
)


# --------------------------------------------------------------------------- schemas


class CandidateIn(Schema):
    rank: int = Field(ge=1, le=3, description="排名（1–3）")
    name: str = Field(max_length=200, description="候选人名称")
    price: Decimal = Field(description="投标报价（元）")
    project_lead: str = Field("", max_length=100, description="项目负责人")


class AttachmentIn(Schema):
    filename: str = Field(max_length=200, description="文件名（如 招标文件.pdf）")
    content_base64: str = Field(description="文件内容，base64 编码；按内容识别类型（.docx/.xlsx/.pdf）并审查")


class NoticeIn(Schema):
    """A notice by field name; which fields a kind needs is checked per kind (422)."""

    model_config = ConfigDict(extra="forbid")

    kind: str = Field(description="公告类型：" + "、".join(NoticeKind.values))
    external_id: str = Field(max_length=100, description="交易系统中的公告编号（幂等键）")
    title: str | None = Field(None, max_length=255, description="标题；缺省为项目名称+公告类型")
    # core
    project_code: str | None = None
    section_code: str | None = None
    project_name: str | None = None
    owner_name: str | None = None
    owner_credit_code: str | None = None
    agency_name: str | None = None
    contact: str | None = None
    announced_at: dt.datetime | None = None
    body: str | None = Field(None, description="正文（HTML）")
    attachments: list[AttachmentIn] | None = Field(
        None, max_length=10, description="附件（最多10个）；更新时给出则整体替换，省略则保留原附件"
    )
    # tender / procurement
    pickup_start: dt.datetime | None = None
    pickup_end: dt.datetime | None = None
    bid_deadline: dt.datetime | None = None
    bid_opening: dt.datetime | None = None
    bid_opening_room: str | None = Field(None, max_length=100, description="开标地点（如：第一开标室）")
    budget: Decimal | None = None
    budget_unit: str | None = Field(None, description="yuan 或 wan_yuan")
    # prequalification / candidates
    control_price: Decimal | None = None
    publicity_start: dt.date | None = None
    publicity_end: dt.date | None = None
    objection_method: str | None = None
    candidates: list[CandidateIn] | None = None
    # results
    winner_name: str | None = None
    award_amount: Decimal | None = None
    amount_unit: str | None = None
    award_date: dt.date | None = None
    # change notice
    changes: str | None = Field(None, description="被变更公告的 external_id（procurement.change）")
    change_summary: str | None = None
    # land / property
    subject_name: str | None = None
    location: str | None = None
    area: Decimal | None = None
    land_use: str | None = None
    starting_price: Decimal | None = None
    reserve_price: Decimal | None = None
    deposit: Decimal | None = None
    price_unit: str | None = None
    listing_start: dt.date | None = None
    listing_end: dt.date | None = None
    transaction_price: Decimal | None = None
    transferee: str | None = None
    transaction_date: dt.date | None = None


class NoticeOut(Schema):
    id: int
    external_id: str
    kind: str
    status: str = Field(description="draft / in review / published / rejected")
    url: str | None = Field(None, description="发布后的公开地址")


class ErrorOut(Schema):
    detail: str


class FieldErrorsOut(Schema):
    detail: str
    errors: dict[str, list[str]]


# --------------------------------------------------------------------------- helpers


def _remote_addr(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _log(request, status: int, *, kind="", external_id="", page_id=None, detail=""):
    services.api_call_log(
        token=getattr(request, "api_token", None),
        method=request.method,
        path=request.path,
        status=status,
        kind=kind,
        external_id=external_id,
        page_id=page_id,
        remote_addr=_remote_addr(request),
        detail=detail,
    )


def _alert_blocked(request, *, kind: str, external_id: str, errors: dict) -> None:
    token = getattr(request, "api_token", None)
    raise_alert(
        source="screening",
        key=f"intake-api:{token.pk if token else '-'}",
        title=_("接口推送的附件含违禁内容，已拦截"),
        incident_type=IncidentType.MALWARE,
        detail=_("令牌 %(token)s，类型 %(kind)s，外部编号 %(id)s：%(errors)s")
        % {
            "token": token or "-",
            "kind": kind,
            "id": external_id,
            "errors": "；".join(m for messages in errors.values() for m in messages)[:1500],
        },
        links=[(_("接口调用记录"), "/admin/notices/calls/")],
    )


def _public_url(page: Page, request) -> str | None:
    if not page.live:
        return None
    return page.get_full_url(request)


def _out(page: Page, intake_kind: str, external_id: str, request) -> dict:
    return {
        "id": page.pk,
        "external_id": external_id,
        "kind": intake_kind,
        "status": str(notice_status(page)),
        "url": _public_url(page, request),
    }


class TokenAuth(HttpBearer):
    """Authorization: Bearer <token> (stored as SHA-256, revocable)."""

    def authenticate(self, request, token):
        api_token = services.api_token_authenticate(token)
        if api_token is not None:
            request.api_token = api_token
        return api_token


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc):
    _log(request, 401, detail="missing or bad token")
    return api.create_response(request, {"detail": _("令牌缺失、无效或已吊销。")}, status=401)


def _field_errors(exc) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        loc = [str(p) for p in error.get("loc", ()) if p not in ("body", "payload")]
        errors.setdefault(".".join(loc) or "__all__", []).append(error.get("msg", ""))
    return errors


@api.exception_handler(NinjaValidationError)
def invalid_body(request, exc):
    errors = _field_errors(exc)
    _log(request, 422, detail=str(errors)[:2000])
    return api.create_response(request, {"detail": _("请求内容有误。"), "errors": errors}, status=422)


@api.exception_handler(HttpError)
def http_error(request, exc):
    """Ninja's own 4xx (a body that is not JSON, a bad path): logged, in Chinese."""
    status = exc.status_code if 400 <= exc.status_code < 500 else 400
    _log(request, status, detail=str(exc)[:2000])
    detail = _("请求格式有误（请求体应为 JSON 对象）。")
    return api.create_response(request, {"detail": detail}, status=status)


@api.exception_handler(Http404)
def not_found(request, exc):
    _log(request, 404, detail="not found")
    return api.create_response(request, {"detail": _("找不到该地址。")}, status=404)


@api.exception_handler(Exception)
def server_error(request, exc):
    """A fault of ours: still logged (in its own transaction, so that the row survives
    the failed call), and answered in Chinese. The tests hold that no input gets here."""
    logger.exception("intake API call failed: %s %s", request.method, request.path)
    try:
        with transaction.atomic():
            _log(request, 500, detail=f"{type(exc).__name__}: {exc}"[:2000])
    except Exception:  # the database itself failed: the exception above is logged
        logger.exception("intake API call could not be logged")
    return api.create_response(request, {"detail": _("服务器内部错误，请稍后重试或联系中心。")}, status=500)


def _rate_limited(request) -> bool:
    return services.api_rate_limited(token=request.api_token)


# --------------------------------------------------------------------------- endpoints


@api.post(
    "/notices/",
    auth=TokenAuth(),
    response={
        200: NoticeOut,
        201: NoticeOut,
        400: ErrorOut,
        403: ErrorOut,
        409: ErrorOut,
        422: FieldErrorsOut,
        429: ErrorOut,
    },
    summary="推送交易公告（生成草稿并提交审批）",
)
def notice_push(request, payload: NoticeIn):
    """Create a draft in the kind's column and start the column's chain; the same
    external_id again updates the draft (200), or answers 409 once published."""
    data = payload.model_dump(exclude_unset=True)
    if data.get("candidates") is not None:
        data["candidates"] = [dict(c) for c in data["candidates"]]
    kind, external_id = data.get("kind", ""), data.get("external_id", "")
    if _rate_limited(request):
        _log(request, 429, kind=kind, external_id=external_id)
        return Status(429, {"detail": _("调用过于频繁，请稍后再试。")})
    try:
        notice, created = services.notice_intake(token=request.api_token, data=data)
    except services.UnknownKind:
        _log(request, 400, kind=kind, external_id=external_id, detail="unknown kind")
        return Status(
            400,
            {
                "detail": _("未知的公告类型“%(kind)s”，可用类型：%(kinds)s。")
                % {"kind": kind, "kinds": "、".join(NoticeKind.values)}
            },
        )
    except PermissionDenied as exc:
        _log(request, 403, kind=kind, external_id=external_id, detail=str(exc))
        return Status(403, {"detail": str(exc)})
    except services.AlreadyPublished as exc:
        _log(request, 409, kind=kind, external_id=external_id, page_id=exc.page.pk)
        return Status(
            409,
            {
                "detail": _(
                    "外部编号“%(external_id)s”的公告已发布（id %(id)s），不能再修改；"
                    "如需变更请推送变更公告（kind=procurement.change，changes 填写原公告的 external_id）。"
                )
                % {"external_id": external_id, "id": exc.page.pk}
            },
        )
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        _log(request, 422, kind=kind, external_id=external_id, detail=str(errors)[:2000])
        if isinstance(exc, services.ContentBlocked):
            # 应急预案 第四条 (不良信息): after the intake's own transaction was rolled back.
            _alert_blocked(request, kind=kind, external_id=external_id, errors=errors)
        return Status(422, {"detail": _("公告内容未通过校验。"), "errors": errors})
    status = 201 if created else 200
    _log(request, status, kind=kind, external_id=external_id, page_id=notice.pk)
    return Status(status, _out(notice, kind, external_id, request))


@api.get(
    "/notices/{notice_id}",
    auth=TokenAuth(),
    response={200: NoticeOut, 404: ErrorOut, 429: ErrorOut},
    summary="查询推送公告的状态",
)
def notice_get(request, notice_id: int):
    """Status (draft / in review / published / rejected) and the public URL once published."""
    if _rate_limited(request):
        _log(request, 429)
        return Status(429, {"detail": _("调用过于频繁，请稍后再试。")})
    token: ApiToken = request.api_token
    if not 1 <= notice_id <= MAX_PAGE_ID:  # -1 or 10**22 is no page (and no row to look up)
        _log(request, 404, detail=f"id out of range: {notice_id}"[:200])
        return Status(404, {"detail": _("找不到该公告。")})
    intake = IntakeNotice.objects.select_related("page").filter(page_id=notice_id).first()
    if intake is None or not token.allows(intake.kind):
        _log(request, 404, page_id=notice_id)
        return Status(404, {"detail": _("找不到该公告。")})
    _log(request, 200, kind=intake.kind, external_id=intake.external_id, page_id=notice_id)
    return Status(200, _out(intake.page.specific, intake.kind, intake.external_id, request))
