"""The signed manifest of the publish root (网页防篡改).

Every published file with its SHA-256, size and source (the page or asset it
comes from), signed with HMAC-SHA256. Key and manifest live outside the publish
root (网络安全管理办法 二(十一), 网络信息安全故障应急预案 第六条): whoever can
write the public files can neither forge the manifest nor learn the key.

The manifest is a small SQLite file, so that one publish reads and rewrites a
few entries, not all of them (issue 8: publish-to-live must not grow with the
site). Its signature is a two-level hash tree:

- entries fall into ``BUCKETS`` buckets by a hash of their path; a bucket's
  digest is the SHA-256 of its entries in path order;
- the root signature is the HMAC of the version, the generation time and every
  bucket digest in order.

Opening checks the root signature against the stored bucket digests. A bucket's
entries are checked against its digest before any of them is read or changed,
so an update never re-signs an entry that was tampered with; a full check
(``verify``) recomputes every bucket. An entry deleted from the file without
the key is found by that full check (its bucket no longer matches).
"""

import hashlib
import hmac
import os
import sqlite3
from collections.abc import Iterable, Iterator, MutableMapping
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from ggzy.core.iterables import batched

from .files import fsync_directory

VERSION = 2
BUCKETS = 4096
EMPTY = hashlib.sha256(b"").digest()
SCHEMA = """
CREATE TABLE entry (
    path TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    source TEXT NOT NULL,
    kind TEXT NOT NULL,      -- page | feed | sitemap | asset
    owner INTEGER NOT NULL,  -- page id (page, feed), else 0
    number INTEGER NOT NULL, -- list page (page), chunk (sitemap), else 0
    bucket INTEGER NOT NULL
);
CREATE INDEX entry_owner ON entry (owner, kind);
CREATE INDEX entry_kind ON entry (kind, number);
CREATE INDEX entry_bucket ON entry (bucket, path);
CREATE TABLE bucket (id INTEGER PRIMARY KEY, digest BLOB NOT NULL);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class ManifestError(Exception):
    """The manifest is missing, unreadable or its signature does not match."""


class ManifestMissing(ManifestError):
    """No manifest yet: the site was never built into this root."""


def manifest_path(root: Path) -> Path:
    """The configured manifest for PUBLISH_ROOT; for another root (build_site
    --out DIR) a sibling ``DIR-manifest.sqlite3``, likewise outside the root."""
    root = Path(root)
    if root.resolve() == Path(settings.PUBLISH_ROOT).resolve():
        return Path(settings.SITE_MANIFEST_PATH)
    return root.resolve().parent / f"{root.resolve().name}-manifest.sqlite3"


def lock_path(root: Path) -> Path:
    path = manifest_path(root)
    return path.with_name(path.name + ".lock")


def parse_source(source: str) -> tuple[str, int, int]:
    """``page:12:3`` → ("page", 12, 3); ``feed:12`` → ("feed", 12, 0);
    ``sitemap:2`` → ("sitemap", 2, 0); ``asset`` → ("asset", 0, 0)."""
    kind, _, rest = source.partition(":")
    numbers = [int(x) for x in rest.split(":")] if rest else []
    numbers += [0] * (2 - len(numbers))
    return kind, numbers[0], numbers[1]


def entry(data: bytes, source: str) -> dict:
    return {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data), "source": source}


# --------------------------------------------------------------------------- signing


def bucket_of(path: str) -> int:
    return int.from_bytes(hashlib.sha256(path.encode("utf-8")).digest()[:2], "big") % BUCKETS


def _row(path: str, e: dict) -> tuple:
    kind, a, b = parse_source(e["source"])
    owner = a if kind in ("page", "feed") else 0
    number = b if kind == "page" else a if kind == "sitemap" else 0
    return (path, e["sha256"], e["size"], e["source"], kind, owner, number, bucket_of(path))


def _bucket_digest(rows: Iterable[tuple[str, str, int, str]]) -> bytes:
    """SHA-256 over (path, sha256, size, source) rows in path order (NUL never
    occurs in a file name)."""
    digest = hashlib.sha256()
    for path, sha, size, source in rows:
        digest.update(f"{path}\0{sha}\0{size}\0{source}\n".encode())
    return digest.digest()


def _root_signature(generated_at: str, digests: list[bytes]) -> str:
    key = settings.SITE_MANIFEST_KEY.encode("utf-8")
    mac = hmac.new(key, f"ggzy-site-manifest\0{VERSION}\0{generated_at}\0".encode(), hashlib.sha256)
    mac.update(b"".join(digests))
    return mac.hexdigest()


def _bucket_rows(conn: sqlite3.Connection, bucket: int) -> list[tuple]:
    """A bucket's (path, sha256, size, source) rows in path order, as digested."""
    return conn.execute(
        "SELECT path, sha256, size, source FROM entry WHERE bucket = ? ORDER BY path", (bucket,)
    ).fetchall()


def _all_digests(conn: sqlite3.Connection) -> list[bytes]:
    """Every bucket's digest, in one ordered pass over the entries."""
    digests, current, rows = [EMPTY] * BUCKETS, None, []
    for bucket, *row in conn.execute(
        "SELECT bucket, path, sha256, size, source FROM entry ORDER BY bucket, path"
    ):
        if bucket != current:
            if current is not None:
                digests[current] = _bucket_digest(rows)
            current, rows = bucket, []
        rows.append(row)
    if current is not None:
        digests[current] = _bucket_digest(rows)
    return digests


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        conn.execute("PRAGMA synchronous = FULL")  # fails here if the file is not SQLite
    except sqlite3.DatabaseError:
        conn.close()
        raise
    return conn


def _sign(conn: sqlite3.Connection, digests: list[bytes]) -> None:
    generated_at = timezone.now().isoformat()
    conn.executemany(
        "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
        [
            ("version", str(VERSION)),
            ("generated_at", generated_at),
            ("hmac_sha256", _root_signature(generated_at, digests)),
        ],
    )


# --------------------------------------------------------------------------- the stored manifest


class _Entries(MutableMapping):
    """Path → {sha256, size, source}, read bucket by bucket, each bucket checked
    against its signed digest on first use; changes go to the open transaction."""

    def __init__(self, manifest: "Manifest"):
        self._m = manifest
        self._rows: dict[str, dict] = {}

    def _load(self, bucket: int) -> None:
        m = self._m
        if bucket in m._checked:
            return
        rows = _bucket_rows(m._conn, bucket)
        if _bucket_digest(rows) != m._digests[bucket]:
            raise ManifestError(f"manifest signature does not match: {m.path}")
        for path, sha, size, source in rows:
            self._rows[path] = {"sha256": sha, "size": size, "source": source}
        m._checked.add(bucket)

    def __getitem__(self, path: str) -> dict:
        self._load(bucket_of(path))
        return self._rows[path]

    def __contains__(self, path) -> bool:
        self._load(bucket_of(path))
        return path in self._rows

    def __setitem__(self, path: str, value: dict) -> None:
        row = _row(path, value)
        self._load(row[-1])
        if self._rows.get(path) == value:
            return
        self._m._conn.execute("INSERT OR REPLACE INTO entry VALUES (?, ?, ?, ?, ?, ?, ?, ?)", row)
        self._rows[path] = dict(value)
        self._m._dirty.add(row[-1])

    def __delitem__(self, path: str) -> None:
        bucket = bucket_of(path)
        self._load(bucket)
        del self._rows[path]
        self._m._conn.execute("DELETE FROM entry WHERE path = ?", (path,))
        self._m._dirty.add(bucket)

    def __iter__(self) -> Iterator[str]:
        for bucket in range(BUCKETS):
            self._load(bucket)
        return iter(list(self._rows))

    def __len__(self) -> int:
        return self._m._conn.execute("SELECT count(*) FROM entry").fetchone()[0]


class Manifest:
    """An open, signature-checked manifest. Use as a context manager: changes
    are one transaction, written and re-signed by ``save()``; leaving without
    ``save()`` discards them."""

    def __init__(self, path: Path, conn: sqlite3.Connection, digests: list[bytes], generated_at: str):
        self.path = path
        self._conn = conn
        self._digests = digests
        self._checked: set[int] = set()
        self._dirty: set[int] = set()
        self.generated_at = generated_at
        self.files = _Entries(self)

    def __enter__(self) -> "Manifest":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._conn.in_transaction:
            self._conn.execute("ROLLBACK")
        self._conn.close()

    def _checked_paths(self, sql: str, params: tuple) -> list[tuple]:
        rows = self._conn.execute(sql, params).fetchall()
        return [row for row in rows if row[0] in self.files]  # checks each row's bucket

    def paths_of(self, page_ids: Iterable[int]) -> dict[int, set[str]]:
        """Page id → the files it publishes (its list pages and, for a column, its feed)."""
        result: dict[int, set[str]] = {}
        for chunk in batched(page_ids, 500):
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT path, owner FROM entry WHERE owner IN ({marks}) AND kind IN ('page', 'feed')"  # noqa: S608
            for path, owner in self._checked_paths(sql, tuple(chunk)):
                result.setdefault(owner, set()).add(path)
        return result

    def numbers(self, kind: str, owner: int = 0) -> set[int]:
        """The numbers ≥ 1 of a page's list pages (kind "page") or of the sitemap
        chunks. Not checked against the signature (thousands of archive pages of
        a big column): they only choose what to render, and a forged or deleted
        entry is found by the full check."""
        sql = "SELECT number FROM entry WHERE kind = ? AND owner = ? AND number >= 1"
        return {number for (number,) in self._conn.execute(sql, (kind, owner))}

    def numbered_from(self, kind: str, owner: int, first: int) -> list[str]:
        """The numbered files from ``first`` on, in number order (to remove), checked."""
        sql = "SELECT path, number FROM entry WHERE kind = ? AND owner = ? AND number >= ? ORDER BY number"
        return [path for path, _ in self._checked_paths(sql, (kind, owner, max(1, first)))]

    def save(self) -> None:
        """Re-digest the changed buckets, re-sign and commit."""
        for bucket in sorted(self._dirty):
            rows = _bucket_rows(self._conn, bucket)
            self._digests[bucket] = _bucket_digest(rows)
            self._conn.execute("UPDATE bucket SET digest = ? WHERE id = ?", (self._digests[bucket], bucket))
        _sign(self._conn, self._digests)
        self._conn.execute("COMMIT")
        self._dirty.clear()
        self._conn.execute("BEGIN IMMEDIATE")


def open_manifest(root: Path) -> Manifest:
    """Open the root's manifest for reading and updating (the caller holds the
    root's lock); raises ManifestMissing / ManifestError."""
    path = manifest_path(root)
    if not path.is_file():
        raise ManifestMissing(f"manifest missing: {path}")
    try:
        conn = _connect(path)
    except sqlite3.DatabaseError as exc:
        raise ManifestError(f"manifest unreadable: {path}") from exc
    try:
        conn.execute("BEGIN IMMEDIATE")
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        digests = [row[0] for row in conn.execute("SELECT digest FROM bucket ORDER BY id")]
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise ManifestError(f"manifest unreadable: {path}") from exc
    if meta.get("version") != str(VERSION) or len(digests) != BUCKETS:
        conn.close()
        raise ManifestError(f"manifest version {meta.get('version')!r} unknown: {path}")
    expected = _root_signature(meta.get("generated_at", ""), digests)
    if not hmac.compare_digest(meta.get("hmac_sha256", ""), expected):
        conn.close()
        raise ManifestError(f"manifest signature does not match: {path}")
    return Manifest(path, conn, digests, meta.get("generated_at", ""))


def load_manifest(root: Path) -> dict[str, dict]:
    """Every entry of the root's manifest, fully checked (tests, small roots)."""
    with open_manifest(root) as manifest:
        return dict(manifest.files)


# --------------------------------------------------------------------------- full check


def verify_entries(root: Path, walked: Iterable[str]) -> tuple["Manifest", list[str], list[str], Iterator]:
    """Check every bucket of the manifest and compare it with the paths found
    in the publish root, in the database rather than in memory (the root may
    hold hundreds of thousands of files). Returns the open manifest, the added
    paths, the missing paths and an iterator over (path, sha256, size) of the
    listed files that exist (to compare their bytes)."""
    manifest = open_manifest(root)
    conn = manifest._conn
    if _all_digests(conn) != manifest._digests:
        manifest.close()
        raise ManifestError(f"manifest signature does not match: {manifest.path}")
    conn.execute("CREATE TEMP TABLE walked (path TEXT PRIMARY KEY)")
    batch: list[tuple[str]] = []
    for relative in walked:
        batch.append((relative,))
        if len(batch) == 5000:
            conn.executemany("INSERT OR IGNORE INTO walked VALUES (?)", batch)
            batch = []
    conn.executemany("INSERT OR IGNORE INTO walked VALUES (?)", batch)
    added = [
        r[0]
        for r in conn.execute(
            "SELECT path FROM walked WHERE path NOT IN (SELECT path FROM entry) ORDER BY path"
        )
    ]
    missing = [
        r[0]
        for r in conn.execute(
            "SELECT path FROM entry WHERE path NOT IN (SELECT path FROM walked) ORDER BY path"
        )
    ]
    present = conn.execute(
        "SELECT e.path, e.sha256, e.size FROM entry e JOIN walked w ON w.path = e.path ORDER BY e.path"
    )
    return manifest, added, missing, present


# --------------------------------------------------------------------------- a new manifest (full build)


class NewManifest:
    """A manifest written from scratch by a full build, streamed into a temporary
    file beside the real one and renamed over it by ``save()`` (a reader sees
    the old manifest or the new one, never half of one)."""

    def __init__(self, root: Path):
        self.path = manifest_path(root)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._temp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        self._temp.unlink(missing_ok=True)
        self._conn = _connect(self._temp)
        self._conn.execute("PRAGMA synchronous = OFF")  # one fsync of the finished file in save()
        self._conn.executescript(SCHEMA)
        self._conn.execute("BEGIN")
        self._batch: list[tuple] = []

    def add(self, entries: dict[str, dict]) -> None:
        self._batch.extend(_row(path, e) for path, e in entries.items())
        if len(self._batch) >= 5000:
            self._flush()

    def _flush(self) -> None:
        self._conn.executemany("INSERT OR REPLACE INTO entry VALUES (?, ?, ?, ?, ?, ?, ?, ?)", self._batch)
        self._batch = []

    def __contains__(self, path: str) -> bool:
        self._flush()
        return self._conn.execute("SELECT 1 FROM entry WHERE path = ?", (path,)).fetchone() is not None

    def count(self, kind: str) -> int:
        self._flush()
        return self._conn.execute("SELECT count(*) FROM entry WHERE kind = ?", (kind,)).fetchone()[0]

    def save(self) -> Path:
        self._flush()
        digests = _all_digests(self._conn)
        self._conn.executemany("INSERT INTO bucket (id, digest) VALUES (?, ?)", enumerate(digests))
        _sign(self._conn, digests)
        self._conn.execute("COMMIT")
        self._conn.close()
        os.chmod(self._temp, 0o600)
        with open(self._temp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(self._temp, self.path)
        fsync_directory(self.path.parent)
        return self.path

    def discard(self) -> None:
        self._conn.close()
        self._temp.unlink(missing_ok=True)
