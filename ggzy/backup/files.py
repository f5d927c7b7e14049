"""Files: streamed hashes, walks, the lock-held copy of the publish root."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

BLOCK = 1 << 20


def sha256_file(path: Path | str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def walk_entries(root: Path, *, skip: frozenset[str] = frozenset()) -> Iterator[tuple[str, os.DirEntry]]:
    """Regular files below ``root`` as (POSIX relative path, directory entry); symlinks
    are not followed; the top-level directories named in ``skip`` are left out. The
    entries carry their path as a string and stat without parsing it."""
    stack = [(str(root), "")]
    while stack:
        directory, prefix = stack.pop()
        try:
            entries = list(os.scandir(directory))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for item in entries:
            relative = prefix + item.name
            if item.is_dir(follow_symlinks=False):
                if not (prefix == "" and item.name in skip):
                    stack.append((item.path, relative + "/"))
            elif item.is_file(follow_symlinks=False):
                yield relative, item


def walk(root: Path) -> Iterator[tuple[str, Path]]:
    """Regular files below ``root`` as (POSIX relative path, path); symlinks are not followed."""
    for relative, item in walk_entries(root):
        yield relative, Path(item.path)


@contextlib.contextmanager
def flock(path: Path, *, blocking: bool = True) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def site_lock_path() -> Path:
    """The publish root's writer lock: the same file as
    ``ggzy.sitebuild.manifest.lock_path(PUBLISH_ROOT)`` (sitebuild sits above backup
    in the layer contract; a test holds the two equal)."""
    path = Path(settings.SITE_MANIFEST_PATH)
    return path.with_name(path.name + ".lock")


def sync_tree(source: Path, dest: Path) -> int:
    """Make ``dest`` equal to ``source`` with copies (``_copy``): copy what differs in
    size or mtime (or is a hard link left by an older ggzy), copy what is new, remove
    what is gone; unchanged files cost two stats. Every file of the publish root: the
    first run, or after the staged copies were lost. Returns the number of files."""
    seen: set[str] = set()
    for relative, path in walk(source):
        target = dest / relative
        try:
            now = path.stat()
        except FileNotFoundError:
            continue  # removed by the site writer meanwhile (only without the lock)
        seen.add(relative)
        try:
            staged = target.stat()
            same = (
                staged.st_nlink == 1
                and staged.st_size == now.st_size
                and staged.st_mtime_ns == now.st_mtime_ns
            )
        except FileNotFoundError:
            same = False
        if same:
            continue
        if not _copy(path, target):
            seen.discard(relative)
    for relative, path in list(walk(dest)):
        if relative not in seen:
            path.unlink(missing_ok=True)
    return len(seen)


def _copy(path: Path, target: Path) -> bool:
    """``target`` a copy of ``path`` with its mtime; False when ``path`` is gone. A
    copy, not a hard link: a link would share the inode, so bytes changed in place in
    the publish root (tampering) would reach the staged copy, and stay there after
    sitebuild's tamper check puts the page back by rename (the manifest unchanged,
    nothing relinked). The staged copy holds what the site writer published."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)
    try:
        shutil.copy2(path, target)
    except FileNotFoundError:
        return False
    return True


def manifest_changes(before: Path, after: Path) -> list[str]:
    """The paths whose entry differs between two copies of the site manifest (added,
    changed or removed): what the site writer published between them. The writer
    changes files and manifest together under its lock, so these are the only files
    that can differ from a pass made after ``before`` was copied."""
    conn = sqlite3.connect(f"file:{after}?mode=ro", uri=True)
    try:
        conn.execute("ATTACH DATABASE ? AS old", (f"file:{before}?mode=ro",))
        rows = conn.execute(
            "SELECT n.path FROM main.entry n LEFT JOIN old.entry o ON o.path = n.path"
            " WHERE o.path IS NULL OR o.sha256 <> n.sha256"
            " UNION SELECT o.path FROM old.entry o LEFT JOIN main.entry n ON n.path = o.path"
            " WHERE n.path IS NULL"
        ).fetchall()
    finally:
        conn.close()
    return [path for (path,) in rows]


def site_entries(manifest: Path) -> dict[str, tuple[str, int]]:
    """Path → (sha256, size) of every file a copy of the site manifest lists: one query."""
    conn = sqlite3.connect(f"file:{manifest}?mode=ro", uri=True)
    try:
        return {
            path: (digest, size)
            for path, digest, size in conn.execute("SELECT path, sha256, size FROM entry")
        }
    finally:
        conn.close()


def verify_staged(
    staged: Path, listed: dict[str, tuple[str, int]], paths: list[str] | None, cache_path: Path
) -> list[str]:
    """The staged site files that differ from the signed manifest copy ``listed`` —
    bytes changed in the publish root outside the site writer (tampering) and copied
    before sitebuild's tamper check put them back — removed from the staging
    directory, so that a snapshot holds only what the writer published; their paths.
    ``paths``: the files copied by this run (an incremental run: they are hashed
    again); None: every staged file (a run that walked the whole root: hashed through
    the hash cache at ``cache_path``, kept for the site's files alone, so that the
    runs between two walks neither load nor prune it; files the manifest does not list
    are removed too)."""
    diverged: list[str] = []
    if paths is None:
        seen: set[str] = set()
        with HashCache(cache_path) as cache:
            for relative, item in list(walk_entries(staged)):
                want = listed.get(relative)
                if want is not None and cache.entry(item) == {"sha256": want[0], "size": want[1]}:
                    seen.add(relative)
                    continue
                os.unlink(item.path)  # not what the writer published, or not published at all
        diverged = [relative for relative in listed if relative not in seen]
    else:
        for relative in paths:
            want, target = listed.get(relative), staged / relative
            if want is None:
                continue  # removed by the writer: sync_paths removed the copy
            if not target.is_file() or target.stat().st_size != want[1] or sha256_file(target) != want[0]:
                target.unlink(missing_ok=True)
                diverged.append(relative)
    return sorted(set(diverged))


def sync_paths(source: Path, dest: Path, paths: list[str]) -> int:
    """Bring just ``paths`` of ``dest`` up to date with ``source`` (copy again or remove).
    Returns the change in the number of files."""
    delta = 0
    for relative in paths:
        path, target = source / relative, dest / relative
        had = target.is_file()
        if path.is_file() and not path.is_symlink() and _copy(path, target):
            delta += 0 if had else 1
        elif had:
            target.unlink()
            delta -= 1
    return delta


def copy_sqlite(source: Path, dest: Path) -> None:
    """A consistent copy of an SQLite file (the online backup API)."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(dest)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


class HashCache:
    """SHA-256 of files already hashed by an earlier run, keyed by path and (size,
    mtime_ns, inode): an incremental backup rereads only what changed (the site's
    staged copies keep their inode and mtime). An SQLite file
    in BACKUP_CACHE_DIR, read into memory once per run (a dict lookup per file, not a
    query: ~100 bytes per file, as the snapshot's manifest itself holds every path);
    new hashes are written in one batch and entries not seen in a run are dropped at
    its end."""

    def __init__(self, path: Path):
        self.path = path
        self.hits = 0
        self.misses = 0
        self._db: sqlite3.Connection | None = None
        self._known: dict[str, tuple[int, int, int, str]] = {}
        self._seen: set[str] = set()
        self._new: list[tuple[str, int, int, int, str]] = []

    def __enter__(self) -> HashCache:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(self.path)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS hashes (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, "
            "inode INTEGER, sha256 TEXT)"
        )
        self._known = {
            path: (size, mtime_ns, inode, digest)
            for path, size, mtime_ns, inode, digest in self._db.execute(
                "SELECT path, size, mtime_ns, inode, sha256 FROM hashes"
            )
        }
        return self

    def entry(self, item: os.DirEntry) -> dict[str, object]:
        """{"sha256", "size"} of the file ``item`` (from ``walk_entries``), from the cache
        when size, mtime and inode match."""
        name = item.path
        stat = item.stat(follow_symlinks=False)
        key = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
        known = self._known.get(name)
        self._seen.add(name)
        if known is not None and known[:3] == key:
            self.hits += 1
            digest = known[3]
        else:
            self.misses += 1
            digest = sha256_file(name)
            after = os.stat(name, follow_symlinks=False)
            if (after.st_size, after.st_mtime_ns, after.st_ino) == key:  # not changed while read
                self._new.append((name, *key, digest))
            elif known is not None:
                self._seen.discard(name)  # the stale entry goes at the end
        return {"sha256": digest, "size": stat.st_size}

    def __exit__(self, exc_type, *rest) -> None:
        if exc_type is None:
            gone = [(name,) for name in self._known.keys() - self._seen]
            self._db.executemany("DELETE FROM hashes WHERE path = ?", gone)
            # Columns named: a cache written by an earlier version has a sixth, unused one.
            self._db.executemany(
                "INSERT OR REPLACE INTO hashes (path, size, mtime_ns, inode, sha256) VALUES (?, ?, ?, ?, ?)",
                self._new,
            )
            self._db.commit()
        self._db.close()
