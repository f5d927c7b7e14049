"""Screening services: the compiled lexicon, screening text and documents,
and reading extra lexicon files for the CLI."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ggzy.accounts.choices import RoleKey
from ggzy.audit import services as audit
from ggzy.audit.choices import Outcome
from ggzy.core.permissions import role_has_perm

from .extract import DocumentError, Limits, extract
from .models import FindingAcknowledgement, LexiconEntry
from .rules import BLOCK, SEVERITIES, Finding, Lexicon, LexiconTerm, screen_masked, screen_text

__all__ = [
    "DocumentError",
    "LexiconFileError",
    "LexiconImport",
    "active_lexicon",
    "finding_acknowledge",
    "lexicon_import",
    "lexicon_invalidate",
    "lexicon_terms_from_file",
    "lexicon_terms_from_upload",
    "page_release_blocked",
    "screen",
    "screen_document",
    "screen_path",
]

_lock = threading.Lock()
_compiled: tuple[tuple, Lexicon] | None = None


def lexicon_invalidate() -> None:
    """Drop this process's compiled automaton (other processes notice the change
    through the fingerprint below)."""
    global _compiled
    with _lock:
        _compiled = None


def _fingerprint() -> tuple:
    """Changes whenever an entry is added, edited or deleted: one cheap query,
    and correct across gunicorn workers even with a per-process cache."""
    from django.db.models import Count, Max

    row = LexiconEntry.objects.aggregate(count=Count("id"), latest=Max("updated_at"), top=Max("id"))
    return (row["count"], row["latest"], row["top"])


def _database_terms() -> list[LexiconTerm]:

    return [
        LexiconTerm(category, term, severity)
        for category, term, severity in LexiconEntry.objects.filter(active=True).values_list(
            "category", "term", "severity"
        )
    ]


STARTER_LEXICON = Path(__file__).resolve().parent / "data" / "starter_lexicon.tsv"


def starter_terms() -> list[LexiconTerm]:
    """The lexicon shipped with ggzy (also loaded into the database by migration)."""
    return lexicon_terms_from_file(STARTER_LEXICON)


def active_lexicon(extra: Iterable[LexiconTerm] = ()) -> Lexicon:
    """The database lexicon, compiled once per process and cached until an entry
    changes. With extra terms (the CLI's --lexicon), a one-off automaton."""
    global _compiled
    extra = list(extra)
    if extra:
        return Lexicon([*_database_terms(), *extra])
    version = _fingerprint()
    with _lock:
        if _compiled is not None and _compiled[0] == version:
            return _compiled[1]
    lexicon = Lexicon(_database_terms())
    with _lock:
        _compiled = (version, lexicon)
    return lexicon


class LexiconFileError(ValueError):
    def __init__(self, path: Path | str, line: int, reason: str):
        self.path, self.line, self.reason = str(path), line, reason
        super().__init__(f"{path}, line {line}: {reason}")


def lexicon_terms_from_file(path: Path | str) -> list[LexiconTerm]:
    """UTF-8, one ``category<TAB>term`` a line (an optional third column gives the
    severity, block or warn); blank lines and lines starting with # are skipped."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise LexiconFileError(path, 0, f"cannot read: {exc.strerror}") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise LexiconFileError(path, line, "not valid UTF-8") from exc
    terms = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        columns = line.split("\t")
        if len(columns) not in (2, 3):
            raise LexiconFileError(path, number, "expected category<TAB>term")
        category, term = columns[0].strip(), columns[1].strip()
        severity = columns[2].strip() if len(columns) == 3 else BLOCK
        if not category or not category.replace("_", "").replace("-", "").isalnum() or not category.isascii():
            raise LexiconFileError(path, number, f"bad category {category!r} (letters, digits, _ or -)")
        if not term:
            raise LexiconFileError(path, number, "empty term")
        if severity not in SEVERITIES:
            raise LexiconFileError(path, number, f"bad severity {severity!r} (block or warn)")
        terms.append(LexiconTerm(category, term, severity))
    return terms


# --------------------------------------------------------------------------- importing the center's lists

IMPORT_MAX_BYTES = 5 * 1024 * 1024
IMPORT_MAX_TERMS = 20000
TERM_MIN_CHARS = 2  # a one-character term would block ordinary text
TERM_MAX_CHARS = 100  # LexiconEntry.term
XLSX_HEADERS = {"词语", "违禁词", "敏感词", "term", "terms"}


@dataclass(frozen=True)
class LexiconImport:
    category: str
    created: list[str]
    existing: list[str]
    dry_run: bool


def _import_lines(name: str, data: bytes) -> list[tuple[int, str]]:
    """(line or row number, raw term) from a .txt (UTF-8, one term a line, # comments)
    or an .xlsx (first column of the first sheet, an optional header row)."""
    suffix = Path(name).suffix.lower()
    if suffix == ".txt":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise ValidationError(_("第 %(line)d 行不是 UTF-8 编码的文本。") % {"line": line}) from exc
        return [
            (number, line)
            for number, line in enumerate(text.splitlines(), start=1)
            if line.strip() and not line.lstrip().startswith("#")
        ]
    if suffix == ".xlsx":
        import openpyxl

        from .extract import Limits, _open_zip

        try:
            _open_zip(data, Limits.from_settings())  # zip-bomb and encryption checks first
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except DocumentError as exc:
            raise ValidationError(exc.message_zh) from exc
        except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
            raise ValidationError(
                _("无法读取该 Excel 文件（.xlsx）：文件已损坏或不是 Excel 工作簿。")
            ) from exc
        try:
            rows = []
            for number, (value, *_rest) in enumerate(
                workbook.worksheets[0].iter_rows(max_col=1, values_only=True), start=1
            ):
                if value is None or not str(value).strip():
                    continue
                if number == 1 and str(value).strip().lower() in XLSX_HEADERS:
                    continue
                rows.append((number, str(value)))
                if len(rows) > IMPORT_MAX_TERMS:
                    break
            return rows
        finally:
            workbook.close()
    raise ValidationError(_("只能导入 .txt（每行一个词）或 .xlsx（第一列）文件。"))


def lexicon_terms_from_upload(*, name: str, data: bytes) -> list[str]:
    """The terms of an uploaded word list, checked: every bad line is reported
    (with its number) and nothing is returned unless all are good."""
    if len(data) > IMPORT_MAX_BYTES:
        raise ValidationError(_("文件过大（上限 %(mb)d MB）。") % {"mb": IMPORT_MAX_BYTES // (1024 * 1024)})
    lines = _import_lines(name, data)
    if len(lines) > IMPORT_MAX_TERMS:
        raise ValidationError(_("词语过多（上限 %(n)d 个），请分批导入。") % {"n": IMPORT_MAX_TERMS})
    errors, terms, seen = [], [], set()
    for number, raw in lines:
        term = raw.strip()
        if "\t" in term or "\n" in term:
            errors.append(_("第 %(line)d 行：一行只能有一个词（不能含制表符）。") % {"line": number})
        elif len(term) < TERM_MIN_CHARS:
            errors.append(
                _("第 %(line)d 行：“%(term)s”太短，单个字会误拦正常内容。") % {"line": number, "term": term}
            )
        elif len(term) > TERM_MAX_CHARS:
            errors.append(_("第 %(line)d 行：超过 %(n)d 个字。") % {"line": number, "n": TERM_MAX_CHARS})
        elif term not in seen:
            seen.add(term)
            terms.append(term)
    if errors:
        shown = errors[:20]
        if len(errors) > len(shown):
            shown.append(_("……共 %(n)d 处错误。") % {"n": len(errors)})
        raise ValidationError(shown)
    if not terms:
        raise ValidationError(_("文件中没有词语。"))
    return terms


def lexicon_import(
    *, category: str, name: str, data: bytes, actor=None, severity: str = BLOCK, dry_run: bool = False
) -> LexiconImport:
    """Import the center's own word list into one category (网站管理制度 第十四条;
    信息发布管理制度 一(四)). All or nothing: a bad file imports no term and the
    refused attempt is audited. Existing terms are left as they are."""
    from .choices import LexiconCategory

    if actor is not None and not role_has_perm(actor, "screening.add_lexiconentry"):
        raise PermissionDenied(_("您没有维护违禁词库的权限。"))
    try:
        if category not in LexiconCategory.values:
            raise ValidationError(_("未知的违禁词类别：%(key)s") % {"key": category})
        if severity not in SEVERITIES:
            raise ValidationError(_("未知的处理方式：%(key)s") % {"key": severity})
        terms = lexicon_terms_from_upload(name=name, data=data)
    except ValidationError as exc:
        with transaction.atomic():
            audit.record(
                action="screening.lexicon.import_refused",
                actor=actor,
                actor_username=None if actor is not None else "cli",
                outcome="failure",
                object_type="screening.lexicon",
                object_repr=category,
                file=name[:200],
                errors=[str(m) for m in exc.messages[:20]],
            )
        raise
    with transaction.atomic():
        existing = set(
            LexiconEntry.objects.filter(category=category, term__in=terms).values_list("term", flat=True)
        )
        created = [t for t in terms if t not in existing]
        result = LexiconImport(category, created, [t for t in terms if t in existing], dry_run)
        if dry_run:
            return result
        LexiconEntry.objects.bulk_create(
            [
                LexiconEntry(
                    category=category,
                    term=t,
                    severity=severity,
                    note=_("导入：%(file)s") % {"file": name[:150]},
                )
                for t in created
            ]
        )
        audit.record(
            action="screening.lexicon.imported",
            actor=actor,
            actor_username=None if actor is not None else "cli",
            object_type="screening.lexicon",
            object_repr=category,
            file=name[:200],
            created=len(created),
            existing=len(result.existing),
            severity=severity,
        )
        transaction.on_commit(lexicon_invalidate)  # bulk_create sends no signal
    return result


def screen(text: str, *, lexicon: Lexicon | None = None, source: str = "") -> list[Finding]:
    """Screen text with the database lexicon unless one is given."""
    return screen_text(text, lexicon=lexicon if lexicon is not None else active_lexicon(), source=source)


# --------------------------------------------------------------------------- documents

STRUCTURE_EXCERPT_CHARS = 40


def screen_document(
    data: bytes, *, name: str, lexicon: Lexicon | None = None, limits: Limits | None = None
) -> list[Finding]:
    """Check a file by content and screen all of its text (body, tables, headers,
    footers, footnotes, comments, deleted text, sheets, pages). DocumentError if
    it cannot be read or is not what its name claims."""
    lexicon = lexicon if lexicon is not None else active_lexicon()
    extracted = extract(data, name=name, limits=limits or Limits.from_settings())
    findings: list[Finding] = list(extracted.findings)
    masked_parts = []
    for source, text in extracted.parts:
        part_findings, masked = screen_masked(text, lexicon=lexicon, source=source)
        findings.extend(part_findings)
        masked_parts.append(masked)
    for index, rule, severity, start, end, label in extracted.marks:
        source, _ = extracted.parts[index]
        snippet = masked_parts[index][start : min(end, start + STRUCTURE_EXCERPT_CHARS)]
        snippet = " ".join(snippet.split())
        if end - start > STRUCTURE_EXCERPT_CHARS:
            snippet += "…"
        findings.append(Finding(rule, severity, f"{label}：{snippet}" if snippet else label, start, source))
    return findings


def screen_path(
    path: Path | str, *, lexicon: Lexicon | None = None, limits: Limits | None = None
) -> list[Finding]:
    """screen_document for a file on disk, refusing oversized files before reading them."""
    limits = limits or Limits.from_settings()
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > limits.max_bytes:
            raise DocumentError(
                f"the file is larger than the limit of {limits.max_bytes / 1048576:g} MB",
                _("文件超过 %(mb)s MB 的大小限制") % {"mb": f"{limits.max_bytes / 1048576:g}"},
            )
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(
            f"cannot read the file: {exc.strerror}", _("无法读取文件：%(reason)s") % {"reason": exc.strerror}
        ) from exc
    return screen_document(data, name=path.name, lexicon=lexicon, limits=limits)


# --------------------------------------------------------------------------- acknowledgements


@transaction.atomic
def finding_acknowledge(*, page, finding: Finding, reason: str, actor):
    """A 信息发布管理小组 member lets a warning through, with a reason, for the
    page's latest revision (网站政务信息发布的管理规定 二(二)(四)). Blocking
    findings cannot be acknowledged: the content must change."""

    if not actor.has_role(RoleKey.REVIEW_GROUP):
        raise PermissionDenied(_("只有信息发布管理小组成员可以确认警告。"))
    if finding.blocking:
        raise ValidationError(_("阻止发布的问题不能确认放行，须修改内容。"), code="blocking")
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise ValidationError(_("请填写确认理由（至少 4 个字）。"), code="reason")
    acknowledgement, created = FindingAcknowledgement.objects.get_or_create(
        revision=page.get_latest_revision(),
        rule=finding.rule,
        source=finding.source[:255],
        offset=finding.offset,
        defaults={
            "page": page,
            "page_title": page.title,
            "excerpt": finding.excerpt[:500],
            "reason": reason,
            "acknowledged_by": actor,
        },
    )
    if created:
        audit.record(
            action="screening.warning.acknowledged",
            actor=actor,
            obj=page,
            after={"rule": finding.rule, "excerpt": finding.excerpt, "reason": reason},
        )
    return acknowledgement


# --------------------------------------------------------------------------- the editor's refused releases


def page_release_blocked(
    *,
    actor,
    page,
    parent,
    requested: str,
    findings: dict[str, list[Finding]],
    revision_id: int | None,
) -> None:
    """Record that screening refused a submit or publish in the page editor
    (网站管理制度 第八条、第十四条), in the transaction that saved the edits as a
    draft (``revision``; none when the form had other errors and nothing was
    saved). The rule ids and fields, not the matched text."""
    audit.record(
        action="screening.page.release_blocked",
        outcome=Outcome.FAILURE,
        actor=actor,
        **(
            {"obj": page}
            if page is not None
            else {"object_type": "wagtailcore.page", "object_id": "", "object_repr": str(parent)}
        ),
        requested=requested,
        draft_saved=revision_id is not None,
        revision=revision_id,
        parent=parent.pk if parent is not None else None,
        rules=sorted({f.rule for found in findings.values() for f in found}),
        fields=sorted(findings),
    )
