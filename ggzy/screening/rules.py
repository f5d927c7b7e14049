"""Pure-Python screening rules: personal data, classification marks and the
prohibited-terms lexicon. No Django here, so the CLI, the editor and the
benchmark share one engine.

Regulations:
- 网站政务信息发布的管理规定 一(二): no state secrets, no personal privacy.
- 网站政务信息发布的管理规定 一(三): classification follows the 国家保密局 rules
  (markings such as 机密★10年).
- 网站管理制度 第八条、第十四条; 信息发布管理制度 一(四): no prohibited content.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import asdict, dataclass

import ahocorasick

__all__ = [
    "BLOCK",
    "WARN",
    "Finding",
    "Lexicon",
    "LexiconTerm",
    "excerpt",
    "mask_sensitive",
    "normalize_for_matching",
    "screen_masked",
    "screen_text",
]

BLOCK = "block"
WARN = "warn"
SEVERITIES = (BLOCK, WARN)

EXCERPT_CONTEXT = 8  # characters of context either side of a match
MASK = "*"


@dataclass(frozen=True)
class Finding:
    """One thing a reviewer must see: which rule, how serious, where, and a
    masked excerpt that never carries a full ID or card number."""

    rule: str
    severity: str
    excerpt: str
    offset: int
    source: str = ""

    @property
    def blocking(self) -> bool:
        return self.severity == BLOCK

    def as_dict(self) -> dict:
        return asdict(self)


# --------------------------------------------------------------------------- PII

# 18-character resident ID (GB 11643-1999): 17 digits and a check character,
# which may be written with single spaces between groups and a lower-case x.
_ID_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])[1-8](?: ?[0-9]){16} ?[0-9Xx](?![0-9A-Za-z])")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

# Payment cards: 16-19 digits, optionally grouped by spaces or hyphens.
_CARD_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])[0-9](?:[ -]?[0-9]){15,18}(?![0-9A-Za-z])")

# Mainland mobile numbers: 1[3-9]x xxxx xxxx, optionally +86/86. Landlines start
# with a 0 area code (0391-xxxxxxx) or are 7-8 digits, so they never match.
_MOBILE_CANDIDATE = re.compile(
    r"(?<![0-9A-Za-z+])(?:\+?86[ -]?)?1[3-9][0-9](?:[ -]?[0-9]{4}){2}(?![0-9A-Za-z])"
)

# Superset of the three: 11 or more digits, single spaces or hyphens between,
# an optional leading + and trailing X.
_NUMBERISH = re.compile(r"\+?[0-9](?:[ -]?[0-9]){10,}[Xx]?")

# 国家保密局 marking: 密级★保密期限 (e.g. 机密★10年, 秘密★, 绝密★长期), and the
# internal-use markings that must never reach the public site.
_CLASSIFIED = re.compile(
    r"(?:绝密|机密|秘密)\s*★\s*(?:[0-9一二三四五六七八九十]+\s*(?:年|个月|月|日|天)|长期)?"
    r"|内部资料|内部文件|注意保密"
)


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit() or ch in "Xx").upper()


def is_resident_id(candidate: str, *, today: datetime.date | None = None) -> bool:
    """GB 11643: valid check character and a real birth date not in the future."""
    number = _digits(candidate)
    if len(number) != 18 or not number[:17].isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != number[17]:
        return False
    try:
        born = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return datetime.date(1900, 1, 1) <= born <= (today or datetime.date.today())


def luhn_valid(number: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(number)):
        digit = int(char)
        if index % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def _mask_digits(span: str, keep_head: int, keep_tail: int) -> str:
    """Mask the digits of span except the first keep_head and last keep_tail,
    keeping separators so the masked text has the same length (offsets hold)."""
    positions = [i for i, ch in enumerate(span) if ch.isdigit() or ch in "XxＸｘ"]
    hidden = set(positions[keep_head : len(positions) - keep_tail])
    return "".join(MASK if i in hidden else ch for i, ch in enumerate(span))


@dataclass(frozen=True)
class _Span:
    rule: str
    severity: str
    start: int
    end: int
    masked: str  # same length as text[start:end]


# Full-width digits, X, +, - and the ideographic space, one for one (offsets
# hold), so that "４１０８０２…" is found like "410802…".
_PII_FOLD = str.maketrans(
    {
        **{0xFF10 + i: str(i) for i in range(10)},
        0xFF38: "X",
        0xFF58: "x",
        0xFF0B: "+",
        0xFF0D: "-",
        0x3000: " ",
    }
)


_FULL_WIDTH_DIGIT = re.compile("[０-９]")


def _pii_spans(original: str) -> list[_Span]:
    # Patterns and checks run on the folded copy; folding is only paid for when
    # there is a full-width digit at all.
    text = original.translate(_PII_FOLD) if _FULL_WIDTH_DIGIT.search(original) else original
    spans: list[_Span] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= s or start >= e for s, e in taken)

    # One scan finds the number-like regions (11+ digits with single separators);
    # the precise patterns only run inside them, one character of margin either
    # side so that their look-behind and look-ahead see the real neighbours.
    for region in _NUMBERISH.finditer(text):
        low, high = max(0, region.start() - 1), min(len(text), region.end() + 1)
        # Search ID candidates one position at a time so that an invalid candidate
        # does not hide a valid one that overlaps it.
        pos = low
        while (match := _ID_CANDIDATE.search(text, pos, high)) is not None:
            if is_resident_id(match.group()):
                spans.append(
                    _Span(
                        "pii.id_card",
                        BLOCK,
                        match.start(),
                        match.end(),
                        _mask_digits(original[match.start() : match.end()], 3, 2),
                    )
                )
                taken.append(match.span())
                pos = match.end()
            else:
                pos = match.start() + 1
        for match in _CARD_CANDIDATE.finditer(text, low, high):
            number = _digits(match.group())
            # ISO/IEC 7812 major industry 3-6 (UnionPay 62, Visa 4, Mastercard 5, ...):
            # keeps most 16-19 digit serials and codes that happen to pass Luhn out.
            if number[0] in "3456" and luhn_valid(number) and free(*match.span()):
                spans.append(
                    _Span(
                        "pii.bank_card",
                        WARN,
                        match.start(),
                        match.end(),
                        _mask_digits(original[match.start() : match.end()], 4, 4),
                    )
                )
                taken.append(match.span())
        for match in _MOBILE_CANDIDATE.finditer(text, low, high):
            if free(*match.span()):
                spans.append(
                    _Span(
                        "pii.mobile",
                        WARN,
                        match.start(),
                        match.end(),
                        _mask_digits(original[match.start() : match.end()], 3, 4),
                    )
                )
                taken.append(match.span())
    return spans


# Safety net for excerpts: whatever rule put it there, no run of 15+ digits
# (a 15-digit old-style ID, a card, an ID with a typo) is shown in full.
_LONG_DIGITS = re.compile(r"\d(?:[ -]?\d){14,}[0-9XxＸｘ]?")


def _apply(text: str, spans: Iterable[_Span]) -> str:
    """text with each span replaced by its masked form (same length overall)."""
    pieces: list[str] = []
    done = 0
    for span in sorted(spans, key=lambda s: s.start):
        if span.end <= done:
            continue  # inside a span already masked
        skip = max(0, done - span.start)
        pieces.append(text[done : span.start + skip])
        pieces.append(span.masked[skip:])
        done = span.end
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


def mask_sensitive(text: str) -> str:
    """The text with every ID, card and mobile number masked (same length)."""
    masked = _apply(text, _pii_spans(text))
    return _LONG_DIGITS.sub(lambda m: _mask_digits(m.group(), 3, 2), masked)


# --------------------------------------------------------------------------- lexicon

# Characters ignored between the characters of a term: whitespace, punctuation,
# symbols, controls, format characters (zero-width joiners). \W covers them all
# except "_" (a word character for re).
_IGNORED = re.compile(r"[\W_]+")
_KEPT_RUNS = re.compile(r"[^\W_]+")

# Texts are normalised in chunks cut before a line break or an ideographic full
# stop (starters that never compose with what precedes them), so that mapping a
# match back to the original only needs the chunk it is in.
CHUNK_CHARS = 4096


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _normalize(text: str) -> str:
    # Dropping ignored characters first leaves mostly CJK, for which NFKC's quick
    # check returns at once; a second pass removes what NFKC or case folding made
    # (e.g. ⑴ → (1)).
    kept = _IGNORED.sub("", text)
    folded = _fold(kept)
    return _IGNORED.sub("", folded) if folded != kept else folded


def normalize_for_matching(text: str) -> str:
    """NFKC (full-width → half-width), case-folded, without ignored characters."""
    return _normalize(text)


def _chunks(text: str) -> list[tuple[int, int]]:
    bounds = []
    start = 0
    while start < len(text):
        end = start + CHUNK_CHARS
        if end >= len(text):
            end = len(text)
        else:
            cuts = [c for c in (text.find("\n", end), text.find("。", end)) if c != -1]
            end = min(cuts) if cuts else len(text)
        bounds.append((start, end))
        start = end
    return bounds


class _OffsetMap:
    """Maps positions in the normalised text of a chunk back to the chunk."""

    def __init__(self, text: str):
        # Same steps as _normalize: drop ignored characters, then fold.
        kept = _IGNORED.sub("", text)
        folded = _fold(kept)
        self.per_char: list[int] | None = None
        self.normalized_starts: list[int] = []
        self.original_starts: list[int] = []
        if len(folded) == len(kept) and not _IGNORED.search(folded):
            # Fast path (almost all text): one character for one character.
            position = 0
            for run in _KEPT_RUNS.finditer(text):
                self.normalized_starts.append(position)
                self.original_starts.append(run.start())
                position += run.end() - run.start()
            self.normalized = folded
        else:
            # A character expanded (e.g. ß → ss, ㈱ → (株)): map character by character.
            pieces: list[str] = []
            origin: list[int] = []
            for index, char in enumerate(text):
                if _IGNORED.match(char):
                    continue
                piece = _IGNORED.sub("", _fold(char))
                pieces.append(piece)
                origin.extend([index] * len(piece))
            self.normalized = "".join(pieces)
            self.per_char = origin

    def original(self, position: int) -> int:
        if self.per_char is not None:
            return self.per_char[min(position, len(self.per_char) - 1)]
        run = bisect_right(self.normalized_starts, position) - 1
        return self.original_starts[run] + (position - self.normalized_starts[run])


def _as_bytes_str(text: str) -> str:
    """The UTF-8 bytes of text as a str of code points 0-255. pyahocorasick scans
    a node's transitions linearly, so thousands of CJK first characters at the
    root make it crawl; over UTF-8 bytes every node has at most a few dozen."""
    return text.encode("utf-8").decode("latin-1")


@dataclass(frozen=True)
class LexiconTerm:
    category: str
    term: str
    severity: str = BLOCK


class Lexicon:
    """Prohibited terms compiled into one Aho-Corasick automaton. Build once and
    reuse: compiling a 10,000-term lexicon takes far longer than screening a page."""

    def __init__(self, terms: Iterable[LexiconTerm]):
        self.automaton = ahocorasick.Automaton()
        self.size = 0
        for entry in terms:
            key = normalize_for_matching(entry.term)
            if not key:
                continue
            if entry.severity not in SEVERITIES:
                raise ValueError(f"unknown severity {entry.severity!r} for term {entry.term!r}")
            encoded = _as_bytes_str(key)
            existing = self.automaton.get(encoded, None)
            # One key, several entries: the strictest severity wins.
            if existing is not None and (existing[1] == BLOCK or entry.severity == WARN):
                continue
            self.automaton.add_word(encoded, (entry.category, entry.severity, len(encoded)))
            self.size += existing is None
        if self.size:
            self.automaton.make_automaton()

    def __len__(self) -> int:
        return self.size

    def matches(self, text: str) -> list[tuple[str, str, int, int]]:
        """(category, severity, start, end) in the original text."""
        if not self.size:
            return []
        bounds = _chunks(text)
        normalized = [_normalize(text[start:end]) for start, end in bounds]
        encoded = [n.encode("utf-8") for n in normalized]
        joined = b"".join(encoded)
        hits = list(self.automaton.iter(joined.decode("latin-1")))
        if not hits:
            return []
        # Byte offset of each chunk in the joined text.
        chunk_bytes = []
        position = 0
        for chunk in encoded:
            chunk_bytes.append(position)
            position += len(chunk)
        maps: dict[int, _OffsetMap] = {}

        def original(byte_position: int) -> int:
            index = bisect_right(chunk_bytes, byte_position) - 1
            start, end = bounds[index]
            offsets = maps.get(index)
            if offsets is None:
                offsets = maps[index] = _OffsetMap(text[start:end])
            local = byte_position - chunk_bytes[index]
            # UTF-8 byte offset → character offset within the chunk's normalised text.
            chars = len(encoded[index][:local].decode("utf-8", errors="ignore"))
            if offsets.normalized != normalized[index]:  # rare NFKC corner cases
                chars = min(chars, max(len(offsets.normalized) - 1, 0))
            return start + offsets.original(chars)

        results = []
        for end, (category, severity, length) in hits:
            first = end - length + 1
            results.append((category, severity, original(first), original(end) + 1))
        return results


EMPTY_LEXICON = Lexicon(())


# --------------------------------------------------------------------------- screening


def _excerpt(masked_text: str, start: int, end: int) -> str:
    left = max(0, start - EXCERPT_CONTEXT)
    right = min(len(masked_text), end + EXCERPT_CONTEXT)
    snippet = masked_text[left:right]
    snippet = _LONG_DIGITS.sub(lambda m: _mask_digits(m.group(), 3, 2), snippet)
    snippet = " ".join(snippet.split())
    return ("…" if left > 0 else "") + snippet + ("…" if right < len(masked_text) else "")


def _mask_term(term: str) -> str:
    # Reviewers see which term matched by its first character and length only:
    # the excerpt itself must not republish prohibited content.
    return term[:1] + MASK * (len(term) - 1) if len(term) > 1 else MASK


def screen_masked(
    text: str, *, lexicon: Lexicon | None = None, source: str = ""
) -> tuple[list[Finding], str]:
    """Findings in text (ordered by offset), and the text with every match masked
    (same length), from which other findings about this text take excerpts."""
    if not text:
        return [], text
    spans = _pii_spans(text)
    for match in _CLASSIFIED.finditer(text):
        spans.append(_Span("classified.mark", BLOCK, match.start(), match.end(), match.group()))
    for category, severity, start, end in (lexicon or EMPTY_LEXICON).matches(text):
        original = text[start:end]
        spans.append(_Span(f"lexicon.{category}", severity, start, end, _mask_term(original)))
    masked = _apply(text, spans)
    findings = {
        (s.rule, s.start): Finding(s.rule, s.severity, _excerpt(masked, s.start, s.end), s.start, source)
        for s in spans
    }
    return sorted(findings.values(), key=lambda f: (f.offset, f.rule)), masked


def screen_text(text: str, *, lexicon: Lexicon | None = None, source: str = "") -> list[Finding]:
    """All findings in text, in order of offset."""
    return screen_masked(text, lexicon=lexicon, source=source)[0]


def excerpt(masked_text: str, start: int, end: int) -> str:
    """A short excerpt around [start, end) of an already masked text."""
    return _excerpt(masked_text, start, end)
