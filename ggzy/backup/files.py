"""Files: streamed hashes, walks, the lock-held copy of the publish root."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

BLOCK = 1 << 20


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def walk(root: Path) -> Iterator[tuple[str, Path]]:
    """Regular files below ``root`` as (POSIX relative path, path); symlinks are not followed."""
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
                stack.append((item.path, relative + "/"))
            elif item.is_file(follow_symlinks=False):
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


def link_tree(source: Path, dest: Path) -> int:
    """Hard-link every file of ``source`` into ``dest`` (copy across file systems).
    The site writer replaces files by rename, so the links keep the bytes of the
    moment they were made. Returns the number of files."""
    count = 0
    for relative, path in walk(source):
        target = dest / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, target)
        except OSError as exc:
            if exc.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK):
                raise
            shutil.copy2(path, target)
        count += 1
    return count


def copy_sqlite(source: Path, dest: Path) -> None:
    """A consistent copy of an SQLite file (the online backup API)."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(dest)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
