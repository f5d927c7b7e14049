"""Writes for trading announcements: submission into the chain, the intake API's
tokens, pushed notices and the call log.

Nothing here publishes: a notice goes live only when its column's chain
finishes (网站管理制度 第十一条; ggzy.publishing.services.chain_finished).
"""

import base64
import binascii
import datetime as dt
import hashlib
import io
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.documents import get_document_model
from wagtail.models import Page, WorkflowState

from ggzy.accounts import services as accounts
from ggzy.accounts.choices import RoleKey
from ggzy.accounts.models import Department
from ggzy.audit import services as audit
from ggzy.core import ratelimit
from ggzy.core.validators import control_character_errors, storable_text
from ggzy.ingest.uploads import ScreeningBlocked, validate_upload
from ggzy.portal.models import ARTICLE_FEATURES, ColumnPage
from ggzy.publishing.services import submit_for_review

from .choices import KIND_COLUMNS, NoticeKind, kind_department
from .models import NOTICE_MODELS, ApiCallLog, ApiToken, Candidate, IntakeNotice, NoticePage
from .periods import check_statutory_periods
from .validators import candidate_ranks_error

TOKEN_PREFIX = "ggzy_"  # noqa: S105 (a public marker, not a secret)


class UnknownKind(ValueError):
    """A kind string the API does not know (answered 400)."""


class AlreadyPublished(Exception):
    """The external_id's notice is live: changes go through a change notice (answered 409)."""

    def __init__(self, page: Page):
        super().__init__(page.pk)
        self.page = page


# --------------------------------------------------------------------------- submission


def notice_submit(*, notice: NoticePage, actor) -> WorkflowState:
    """Send a notice into its column's approval chain (信息传递制度 (二)), checking the
    statutory periods again: "today" may have moved since the draft was saved."""
    check_statutory_periods(notice.get_latest_revision_as_object())
    return submit_for_review(page=notice, actor=actor)


# --------------------------------------------------------------------------- tokens


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _clean_kinds(kinds) -> list[str]:
    kinds = [k.strip() for k in kinds if k and k.strip()]
    unknown = sorted(set(kinds) - set(NoticeKind.values))
    if unknown:
        raise ValidationError({"kinds": _("未知的公告类型：%(kinds)s") % {"kinds": "、".join(unknown)}})
    if not kinds:
        raise ValidationError({"kinds": _("请至少选择一种公告类型。")})
    return sorted(set(kinds))


@transaction.atomic
def api_token_create(*, name: str, kinds, actor=None) -> tuple[ApiToken, str]:
    """A new token for a system (the trading system); the raw token is returned once
    and only its SHA-256 is stored."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写令牌名称。")})
    if ApiToken.objects.filter(name=name).exists():
        raise ValidationError({"name": _("已存在同名令牌。")})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        name=name,
        prefix=raw[: len(TOKEN_PREFIX) + 8],
        token_hash=_digest(raw),
        kinds=_clean_kinds(kinds),
        created_by=actor,
    )
    # 网络安全管理办法 五(二): issuing a credential is a security-relevant action.
    # The views override Wagtail's save actions, so Wagtail's log does not see it.
    audit.record(action="notices.apitoken.created", actor=actor, obj=token, kinds=token.kinds)
    return token, raw


@transaction.atomic
def api_token_update(*, token: ApiToken, kinds, actor=None) -> ApiToken:
    """Change a token's scope (the kinds it may send)."""
    before, token.kinds = list(token.kinds or []), _clean_kinds(kinds)
    token.save(update_fields=["kinds"])
    if before != token.kinds:
        audit.record(
            action="notices.apitoken.updated",
            actor=actor,
            obj=token,
            before={"kinds": before},
            after={"kinds": token.kinds},
        )
    return token


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor=None) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(action="notices.apitoken.revoked", actor=actor, obj=token)
    return token


def api_token_authenticate(raw: str) -> ApiToken | None:
    """The active token with this value, or None."""
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.filter(token_hash=_digest(raw), revoked_at__isnull=True).first()
    if token is not None:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


def api_rate_limited(*, token: ApiToken, now: float | None = None) -> bool:
    """True when the token has used up this minute's calls (GGZY_API_RATE_LIMIT per minute),
    counted across every worker process (ggzy.core.ratelimit: a database table, or Redis)."""
    limit = settings.GGZY_API_RATE_LIMIT
    if limit <= 0:
        return False
    when = now if now is not None else timezone.now().timestamp()
    return ratelimit.hit(f"notices:api:{token.prefix}", period=60, now=when) > limit


def api_call_log(
    *,
    token: ApiToken | None,
    method: str,
    path: str,
    status: int,
    kind: str = "",
    external_id: str = "",
    page_id: int | None = None,
    remote_addr: str | None = None,
    detail: str = "",
) -> ApiCallLog:
    """Record one intake API call (网络安全管理办法 五): a row for the API's own
    call log and an event in the audit chain."""
    audit.record(
        action="notices.api.called",
        outcome="success" if status < 400 else "failure",
        actor_username=f"api:{token.name}" if token is not None else "api:anonymous",
        object_type="notices.apitoken",
        object_id=str(token.pk) if token is not None else "",
        object_repr=str(token) if token is not None else "",
        method=method,
        path=path,
        status=status,
        kind=kind,
        external_id=external_id,
        page_id=page_id,
    )
    return ApiCallLog.objects.create(
        token=token,
        # What the caller sent, before validation: NUL shown as ␀ (PostgreSQL refuses NUL).
        method=storable_text(method)[:10],
        path=storable_text(path)[:300],
        status=status,
        kind=storable_text(kind or "")[:40],
        external_id=storable_text(external_id or "")[:100],
        page_id=page_id,
        remote_addr=remote_addr or None,
        detail=storable_text(detail),
    )


# --------------------------------------------------------------------------- intake


def api_service_user(*, token: ApiToken, department_code: str):
    """The service user a token's notices are drafted by, one per token and 科室 so that the
    科室负责人 of the sending department reviews them (审核制度 (二)). It cannot log in."""
    return accounts.service_user_ensure(
        username=f"api.{token.pk}.{department_code}",
        department=Department.objects.get(code=department_code),
        role=RoleKey.DRAFTER,
        first_name=token.name[:150],
        last_name=_("（接口）"),
    )


def intake_fields(model: type[NoticePage]) -> list[models.Field]:
    """The fields the API sets by name: the notice's own columns, minus files and links."""
    return [
        f
        for f in model._meta.local_concrete_fields
        if f.editable
        and not f.primary_key
        and f.name not in {"attachments", "changed_notice", "source_department"}
    ]


def _column(kind: str) -> ColumnPage:
    page = None
    for slug in KIND_COLUMNS[kind].split("/"):
        qs = ColumnPage.objects.filter(slug=slug)
        page = qs.child_of(page).get() if page is not None else qs.filter(depth=3).get()
    return page


def _aware(value):
    if isinstance(value, dt.datetime) and timezone.is_naive(value):
        return timezone.make_aware(value)  # ISO 8601 without offset: the center's time (Asia/Shanghai)
    return value


def _candidates(rows) -> list[Candidate]:
    # 招标投标法实施条例 第五十五条: 中标候选人 ranked, no more than three.
    rows = list(rows or [])
    error = candidate_ranks_error(row.get("rank") for row in rows)
    if error:
        raise ValidationError({"candidates": error})
    return [
        Candidate(
            rank=row["rank"],
            name=row.get("name") or "",
            price=row.get("price"),
            project_lead=row.get("project_lead") or "",
            sort_order=row["rank"],
        )
        for row in sorted(rows, key=lambda r: r["rank"])
    ]


def _changed_notice(data: Mapping[str, Any]) -> Page:
    reference = data.get("changes")
    if not reference:
        raise ValidationError({"changes": _("变更公告须填写被变更公告的外部编号（changes）。")})
    intake = IntakeNotice.objects.select_related("page").filter(external_id=reference).first()
    if intake is None:
        raise ValidationError({"changes": _("找不到外部编号为“%(id)s”的公告。") % {"id": reference}})
    return intake.page


def _rich_text(html: str) -> str:
    """The pushed HTML as the editor would store it: only the features editors have
    (no raw HTML or embeds from outside), with the editor's block keys, so that opening
    it in the editor is not itself a change (which would restart the chain). Tables
    from .xlsx are the editor's own uploads: the API cannot point at them."""
    converter = ContentstateConverter([f for f in ARTICLE_FEATURES if f != "xlsx-table"])
    try:
        return converter.to_database_format(converter.from_database_format(html))
    except Exception as exc:  # the converter asserts on HTML it cannot map (issue 14 item 10)
        raise ValidationError(
            {"body": _("正文HTML无法解析（请使用段落、标题、列表、表格、链接等基本格式）。")}
        ) from exc


def _apply(notice: NoticePage, kind: str, data: Mapping[str, Any]) -> None:
    model = NOTICE_MODELS[kind]
    for field in intake_fields(model):
        if field.name in data and data[field.name] is not None:
            setattr(notice, field.name, _aware(data[field.name]))
        elif field.has_default():
            setattr(notice, field.name, field.get_default())
        else:
            setattr(notice, field.name, "" if field.empty_strings_allowed and not field.null else None)
    if data.get("body"):
        notice.body = _rich_text(data["body"])
    label = NoticeKind(kind).label
    notice.title = (data.get("title") or f"{data.get('project_name') or ''}{label}")[:255]
    if kind == NoticeKind.PROCUREMENT_CHANGE:
        notice.changed_notice = _changed_notice(data)
    if kind == NoticeKind.CONSTRUCTION_CANDIDATES:
        notice.candidates = _candidates(data.get("candidates"))


class ContentBlocked(ValidationError):
    """A pushed attachment holds prohibited content (screening blocked it at the intake API)."""


@dataclass(frozen=True)
class IncomingAttachment:
    name: str
    data: bytes


def _attachments(data: Mapping[str, Any]) -> list[IncomingAttachment] | None:
    """Decode and check pushed attachments before anything is written: type by
    content, size, zip safety and screening (信息发布管理制度 (二)(三)(九); 网站管理制度
    第十四条). None when the call sends no attachments (an update keeps the old ones)."""

    rows = data.get("attachments")
    if rows is None:
        return None
    checked = []
    for index, row in enumerate(rows):
        key = f"attachments.{index}"
        name = os.path.basename(str(row.get("filename") or "")).strip() or _("附件%(n)s") % {"n": index + 1}
        try:
            raw = base64.b64decode(row.get("content_base64") or "", validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValidationError({key: _("“%(name)s”的内容不是有效的 base64。") % {"name": name}}) from exc
        try:
            validate_upload(io.BytesIO(raw), name=name, allowed=tuple(settings.SCREENING_DOCUMENT_KINDS))
        except ScreeningBlocked as exc:
            raise ContentBlocked({key: [f"“{name}”：{m}" for m in exc.messages]}) from exc
        except ValidationError as exc:
            raise ValidationError({key: [f"“{name}”：{m}" for m in exc.messages]}) from exc
        checked.append(IncomingAttachment(name, raw))
    return checked


def _store_attachments(notice: NoticePage, incoming: list[IncomingAttachment], stored: list[str]) -> None:
    """Save the checked files as Wagtail documents and attach them to the notice."""
    document_model = get_document_model()
    blocks = []
    for item in incoming:
        document = document_model(title=os.path.splitext(item.name)[0][:255] or item.name)
        document.file.save(item.name, ContentFile(item.data), save=False)
        stored.append(document.file.name)
        document.save()
        blocks.append(("document", document))
    notice.attachments = blocks


def notice_intake(*, token: ApiToken, data: Mapping[str, Any]) -> tuple[NoticePage, bool]:
    """See _notice_intake. Files written for a call that fails are removed again,
    so a refused call leaves nothing behind, in the database or on disk."""
    stored: list[str] = []
    try:
        return _notice_intake(token=token, data=data, stored=stored)
    except BaseException:
        from django.core.files.storage import default_storage

        for name in stored:
            default_storage.delete(name)
        raise


# Intake fields that hold multi-line text (tab and newlines allowed); all others are one line.
MULTI_LINE_FIELDS = frozenset({"body", "objection_method", "change_summary", "location"})


@transaction.atomic
def _notice_intake(*, token: ApiToken, data: Mapping[str, Any], stored: list[str]) -> tuple[NoticePage, bool]:
    """Create (or, for a known external_id, update) a draft from the trading system and
    start its column's chain. Never publishes. Returns (notice, created).

    Raises UnknownKind (400), PermissionDenied (403), AlreadyPublished (409) or a
    ValidationError with per-field messages, statutory periods included (422).
    All or nothing: any error rolls the whole call back.
    """
    # No control characters anywhere (issue 14 item 11): tab and newlines only in multi-line text.
    errors = control_character_errors(dict(data), multiline=MULTI_LINE_FIELDS)
    if errors:
        raise ValidationError(errors)
    kind = data.get("kind") or ""
    if kind not in NOTICE_MODELS:
        raise UnknownKind(kind)
    if not token.allows(kind):
        raise PermissionDenied(_("该令牌无权推送“%(kind)s”类公告。") % {"kind": NoticeKind(kind).label})
    external_id = (data.get("external_id") or "").strip()
    if not external_id:
        raise ValidationError({"external_id": _("请填写外部编号（external_id）。")})

    incoming = _attachments(data)
    user = api_service_user(token=token, department_code=kind_department(kind))
    intake = IntakeNotice.objects.select_for_update().filter(external_id=external_id).first()
    if intake is None:
        notice = NOTICE_MODELS[kind](live=False, owner=user)
        _apply(notice, kind, data)
        column = _column(kind)
        slug = slugify(external_id)[:255]
        if slug and not Page.objects.child_of(column).filter(slug=slug).exists():
            notice.slug = slug  # a readable public address; else Wagtail derives one from the title
        column.add_child(instance=notice)  # full_clean: fields and statutory periods
        created = True
    else:
        if intake.kind != kind:
            raise ValidationError({"kind": _("外部编号“%(id)s”已用于其他类型的公告。") % {"id": external_id}})
        page = intake.page.specific
        if page.live or page.first_published_at:
            raise AlreadyPublished(page)
        notice = page.get_latest_revision_as_object()
        _apply(notice, kind, data)
        notice.full_clean()
        created = False
    if incoming is not None:
        _store_attachments(notice, incoming, stored)
    notice.save_revision(user=user)
    notice = type(notice).objects.get(pk=notice.pk)

    state = notice.current_workflow_state
    if state is not None:
        # The content changed under review: the chain starts again on the new revision.
        state.cancel(user=user)
        notice = type(notice).objects.get(pk=notice.pk)
    notice_submit(notice=notice, actor=user)

    if created:
        IntakeNotice.objects.create(external_id=external_id, kind=kind, page=notice, token=token)
    else:
        intake.token = token
        intake.save(update_fields=["token", "updated_at"])
    return notice, created
