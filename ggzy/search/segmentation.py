"""Chinese word segmentation (jieba) for the public search, shared by indexing
and querying so that both see the same words.

Documents are indexed with every precise-mode word plus every dictionary word
inside it (jieba's search mode, without its 3-character limit); queries are cut
in precise mode, so a query word is found wherever the same characters were
written as a word or inside a longer one. Each token is lower-cased and reduced to letters
and digits, so that SQLite FTS5 (unicode61), PostgreSQL (lexemes as-is) and
Elasticsearch/OpenSearch (whitespace analyzer) see exactly the same tokens.
"""

import re
import threading
from dataclasses import dataclass
from pathlib import Path

import jieba

USER_DICT = Path(__file__).with_name("data") / "userdict.txt"
# A project code written as in the trading system: letters, digits and separators.
CODE_RE = re.compile(r"^(?=.*[0-9A-Za-z])[0-9A-Za-z][0-9A-Za-z\-_/.#]*$")
PIECE_RE = re.compile(r"[^\W_]+")
MAX_QUERY_TERMS = 20

_tokenizer: jieba.Tokenizer | None = None
_lock = threading.Lock()


def tokenizer() -> jieba.Tokenizer:
    """jieba's dictionary with the trading terms, loaded once per process (~1.5 s)."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                instance = jieba.Tokenizer()
                instance.initialize()
                instance.load_userdict(str(USER_DICT))
                _tokenizer = instance
    return _tokenizer


def pieces(word: str) -> list[str]:
    """Letters-and-digits runs of a word, lower-cased (what every backend tokenises alike)."""
    return PIECE_RE.findall(word.lower())


def normalize_code(code: str) -> str:
    """JZ2026-GC-018 → jz2026gc018: one token for a whole project code."""
    return "".join(pieces(code))


def _words_for_search(text: str):
    """Precise-mode words, each preceded by every dictionary word inside it (like
    jieba's search mode, which stops at 3 characters: 中标候选人 is inside
    中标候选人公示 too)."""
    instance = tokenizer()
    freq = instance.FREQ
    for word in instance.cut(text):
        n = len(word)
        if n > 2:
            for i in range(n - 1):
                for j in range(i + 2, n + 1 if i else n):
                    if freq.get(word[i:j]):
                        yield word[i:j]
        yield word


def index_tokens(text: str) -> list[str]:
    """Search-mode tokens of a text, in order, each once."""
    seen: dict[str, None] = {}
    for word in _words_for_search(text):
        for piece in pieces(word):
            seen.setdefault(piece, None)
    return list(seen)


def index_text(*texts: str, codes: tuple[str, ...] = ()) -> str:
    """The space-joined tokens stored in the index: the texts' words and, for
    each code, its whole normalised form (so a full or leading code matches)."""
    tokens = index_tokens("\n".join(t for t in texts if t))
    for code in codes:
        normalized = normalize_code(code)
        if normalized and normalized not in tokens:
            tokens.append(normalized)
    return " ".join(tokens)


# --------------------------------------------------------------------------- queries


@dataclass(frozen=True)
class Term:
    """One query word, matched by any of its alternatives; an alternative is a
    tuple of tokens that must all be present. ``prefix`` marks the first
    alternative (a whole project code) as a prefix match."""

    alternatives: tuple[tuple[str, ...], ...]
    prefix: bool = False
    highlight: tuple[str, ...] = ()


def _word_term(word: str) -> Term | None:
    word_pieces = pieces(word)
    if not word_pieces:
        return None
    if len(word_pieces) > 1:
        return Term(alternatives=(tuple(word_pieces),), highlight=tuple(word_pieces))
    (token,) = word_pieces
    return Term(alternatives=((token,),), highlight=(token,))


def parse_query(query: str) -> list[Term]:
    """All words must match, in any order (焦作 道路 改造); a project code
    matches as a whole code (or its beginning) or as all of its parts."""
    terms: list[Term] = []
    for part in query.split():
        if CODE_RE.match(part):
            parts = tuple(pieces(part))
            normalized = normalize_code(part)
            alternatives = ((normalized,), parts) if len(parts) > 1 else ((normalized,),)
            terms.append(Term(alternatives=alternatives, prefix=True, highlight=(part, *parts)))
            continue
        for word in tokenizer().cut(part):
            term = _word_term(word)
            if term is not None:
                terms.append(term)
    return list(dict.fromkeys(terms))[:MAX_QUERY_TERMS]


def highlight_words(terms: list[Term]) -> list[str]:
    words = {w.lower() for term in terms for w in term.highlight if w}
    return sorted(words, key=len, reverse=True)
