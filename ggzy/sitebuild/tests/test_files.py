import os
import threading

import pytest

from ggzy.sitebuild.files import TEMP_SUFFIX, atomic_write, remove_file, safe_join


def test_atomic_write_leaves_no_temp_files_and_readable_mode(tmp_path):
    target = tmp_path / "a" / "index.html"
    atomic_write(target, b"<p>one</p>")
    atomic_write(target, b"<p>two</p>")
    assert target.read_bytes() == b"<p>two</p>"
    assert [p.name for p in target.parent.iterdir()] == ["index.html"]
    assert target.stat().st_mode & 0o777 == 0o644


def test_old_content_stays_readable_until_the_replace(tmp_path, monkeypatch):
    target = tmp_path / "index.html"
    target.write_bytes(b"old page")
    seen = {}
    real_replace = os.replace

    def observing_replace(src, dst):
        # Just before the rename: readers still get the whole old file, and the
        # temp file (same directory) already holds the whole new content.
        seen["reader"] = target.read_bytes()
        seen["temp"] = open(src, "rb").read()  # noqa: SIM115
        seen["same_dir"] = os.path.dirname(src) == str(tmp_path)
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", observing_replace)
    atomic_write(target, b"new page " * 1000)
    assert seen == {"reader": b"old page", "temp": b"new page " * 1000, "same_dir": True}
    assert target.read_bytes() == b"new page " * 1000


def test_failed_write_keeps_the_old_file_and_removes_the_temp(tmp_path, monkeypatch):
    target = tmp_path / "index.html"
    target.write_bytes(b"old page")

    def failing_fsync(fd):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError, match="disk full"):
        atomic_write(target, b"new page")
    assert target.read_bytes() == b"old page"
    assert not list(tmp_path.glob(f"*{TEMP_SUFFIX}"))


def test_concurrent_reader_never_sees_a_partial_file(tmp_path):
    target = tmp_path / "index.html"
    versions = [bytes([65 + i]) * 200_000 for i in range(5)]
    atomic_write(target, versions[0])
    stop = threading.Event()
    bad = []

    def reader():
        while not stop.is_set():
            data = target.read_bytes()
            if data not in versions:
                bad.append(len(data))

    thread = threading.Thread(target=reader)
    thread.start()
    for _ in range(20):
        for version in versions:
            atomic_write(target, version)
    stop.set()
    thread.join()
    assert bad == []


def test_remove_file_prunes_empty_directories_but_not_the_root(tmp_path):
    target = tmp_path / "a" / "b" / "index.html"
    atomic_write(target, b"x")
    assert remove_file(tmp_path, target)
    assert list(tmp_path.iterdir()) == []
    assert tmp_path.exists()


def test_safe_join_refuses_paths_outside_the_root(tmp_path):
    with pytest.raises(ValueError):
        safe_join(tmp_path, "../etc/passwd")
    with pytest.raises(ValueError):
        safe_join(tmp_path, "/etc/passwd")
