"""Highlight matched words: the text is escaped piece by piece first, and only
then are the matches wrapped in <mark>, so page content can never inject markup."""

import re
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

EXCERPT_CHARS = 160


@lru_cache(maxsize=256)
def _pattern(words: tuple[str, ...]) -> re.Pattern | None:
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)


def highlight(text: str, words: tuple[str, ...]) -> SafeString:
    """``text`` escaped, with every occurrence of ``words`` (longest first) in <mark>."""
    pattern = _pattern(words)
    if pattern is None:
        return escape(text)
    out, last = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 (every piece escaped above)


def excerpt(text: str, words: tuple[str, ...], size: int = EXCERPT_CHARS) -> SafeString:
    """About ``size`` characters of ``text`` around its first match, highlighted."""
    text = " ".join(text.split())
    pattern = _pattern(words)
    match = pattern.search(text) if pattern else None
    start = max(0, match.start() - size // 4) if match else 0
    end = min(len(text), start + size)
    body = highlight(text[start:end], words)
    return mark_safe(("…" if start else "") + body + ("…" if end < len(text) else ""))  # noqa: S308
