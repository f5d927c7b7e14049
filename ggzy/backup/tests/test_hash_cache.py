"""The backup's hash cache (``backup.files.HashCache``): a file is read again only when
its size, mtime or inode changed; entries of files gone are dropped at the end of a run;
a cache written by an earlier version (a sixth, unused column) keeps working."""

import hashlib
import sqlite3

from ggzy.backup.files import HashCache, walk_entries


def entries(root):
    return dict(walk_entries(root))


def test_unchanged_files_come_from_the_cache_and_gone_ones_are_dropped(tmp_path):
    root = tmp_path / "data"
    root.mkdir()
    (root / "a.txt").write_text("a")
    (root / "b.txt").write_text("b")
    cache = tmp_path / "hashes.sqlite3"
    with HashCache(cache) as first:
        digests = {name: first.entry(item)["sha256"] for name, item in entries(root).items()}
    assert (first.hits, first.misses) == (0, 2)
    assert digests["a.txt"] == hashlib.sha256(b"a").hexdigest()

    (root / "b.txt").unlink()
    (root / "a.txt").write_text("changed")
    with HashCache(cache) as second:
        found = {name: second.entry(item)["sha256"] for name, item in entries(root).items()}
    assert (second.hits, second.misses) == (0, 1)
    assert found == {"a.txt": hashlib.sha256(b"changed").hexdigest()}
    with sqlite3.connect(cache) as db:
        assert [row[0].rsplit("/", 1)[-1] for row in db.execute("SELECT path FROM hashes")] == ["a.txt"]

    with HashCache(cache) as third:
        for item in entries(root).values():
            third.entry(item)
    assert (third.hits, third.misses) == (1, 0)


def test_a_cache_of_the_earlier_layout_keeps_working(tmp_path):
    root = tmp_path / "data"
    root.mkdir()
    (root / "a.txt").write_text("a")
    cache = tmp_path / "hashes.sqlite3"
    with sqlite3.connect(cache) as db:
        db.execute(
            "CREATE TABLE hashes (path TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, "
            "inode INTEGER, sha256 TEXT, seen INTEGER)"
        )
    for _run in range(2):
        with HashCache(cache) as run:
            for item in entries(root).values():
                run.entry(item)
    assert (run.hits, run.misses) == (1, 0)
