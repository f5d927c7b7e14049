"""Screening services: the compiled lexicon, screening text and documents,
and reading extra lexicon files for the CLI."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ggzy.accounts.choices import RoleKey
from ggzy.audit import services as audit

from .extract import DocumentError, Limits, extract
from .models import FindingAcknowledgement, LexiconEntry
from .rules import BLOCK, SEVERITIES, Finding, Lexicon, LexiconTerm, screen_masked, screen_text

__all__ = [
    "DocumentError",
    "LexiconFileError",
    "active_lexicon",
    "finding_acknowledge",
    "lexicon_invalidate",
    "lexicon_terms_from_file",
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
