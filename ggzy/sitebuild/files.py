"""File primitives for the publish root: atomic writes and removals."""

import contextlib
import fcntl
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from stat import S_ISREG

TEMP_PREFIX = ".ggzy-"
TEMP_SUFFIX = ".tmp"
FILE_MODE = 0o644  # nginx (another user) reads the published files


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def same_bytes(path: Path, data: bytes) -> bool:
    """Whether ``path`` is a regular file (not a symlink) holding exactly ``data``."""
    try:
        stat = path.lstat()
    except FileNotFoundError:
        return False
    if not S_ISREG(stat.st_mode) or stat.st_size != len(data):
        return False
    with open(path, "rb") as handle:
        return handle.read() == data


def atomic_write(path: Path, data: bytes, *, mode: int = FILE_MODE, durable: bool = True) -> None:
    """Write ``data`` to ``path`` so that a reader sees the old file or the new
    one, never a half-written one: a temp file in the same directory (same file
    system), fsync, then os.replace (an atomic rename on POSIX). ``durable=False``
    skips the fsync (a full build syncs the file system once at its end; readers
    still never see half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def fsync_directory(path: Path) -> None:
    """Make a rename in ``path`` durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_file(root: Path, path: Path) -> bool:
    """Remove a published file and the directories it leaves empty (up to the root)."""
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    parent = path.parent
    while parent != root and root in parent.parents:
        try:
            parent.rmdir()
        except OSError:
            break
        parent = parent.parent
    return True


def safe_join(root: Path, relative: str) -> Path:
    """``root/relative``, refusing anything that would leave the root. Only the
    directories are resolved: a symlink in place of the file itself is replaced
    by the write (os.replace), never written through."""
    parts = relative.split("/")
    parent = (root / relative).parent.resolve()
    if relative.startswith("/") or ".." in parts or not parent.is_relative_to(root.resolve()):
        raise ValueError(f"path outside the publish root: {relative!r}")
    return root / relative


def walk_files(root: Path) -> Iterator[tuple[str, Path]]:
    """Every non-directory entry below the root (symlinks included, not followed),
    as (POSIX relative path, path). os.scandir reports file types from the
    directory itself, so a site of 100,000 item directories costs no stat per
    directory."""
    stack = [(str(root), "")]
    while stack:
        directory, prefix = stack.pop()
        try:
            entries = list(os.scandir(directory))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for item in entries:
            relative = prefix + item.name
            # A symlinked directory is reported as an entry of its own, never entered.
            if item.is_dir(follow_symlinks=False):
                stack.append((item.path, relative + "/"))
            else:
                yield relative, Path(item.path)


@contextlib.contextmanager
def exclusive_lock(lock_path: Path) -> Iterator[None]:
    """One writer (or checker) of a publish root at a time, across processes
    and threads (flock on a file outside the root)."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
