"""The publish root's copy under the site writer's lock (issue 19: a backup must not
block publishing for more than a moment): only the paths whose manifest entries changed
since the unlocked pass began are relinked under the lock."""

import sqlite3

from ggzy.backup.files import manifest_changes, sync_paths, sync_tree
from ggzy.sitebuild.manifest import SCHEMA


def _manifest(path, entries):
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA)
    conn.executemany(
        "INSERT INTO entry VALUES (?, ?, ?, 'page:1', 'page', 1, 0, 0)",
        [(name, sha, 1) for name, sha in entries.items()],
    )
    conn.commit()
    conn.close()
    return path


def test_only_what_was_published_meanwhile_is_relinked(tmp_path):
    root, stage = tmp_path / "site", tmp_path / "stage"
    (root / "xw").mkdir(parents=True)
    for name, text in {"index.html": "home", "xw/a.html": "a", "xw/b.html": "b-old"}.items():
        (root / name).write_text(text)
    before = _manifest(tmp_path / "before.sqlite3", {"index.html": "1", "xw/a.html": "2", "xw/b.html": "3"})
    assert sync_tree(root, stage) == 3  # the unlocked pass

    # Published meanwhile: b replaced (a new file renamed over it), a removed, c added.
    (root / "xw/b.tmp").write_text("b-new")
    (root / "xw/b.tmp").rename(root / "xw/b.html")
    (root / "xw/a.html").unlink()
    (root / "xw/c.html").write_text("c")
    after = _manifest(tmp_path / "after.sqlite3", {"index.html": "1", "xw/b.html": "4", "xw/c.html": "5"})

    changed = manifest_changes(before, after)
    assert sorted(changed) == ["xw/a.html", "xw/b.html", "xw/c.html"]  # not index.html
    assert sync_paths(root, stage, changed) == 0  # one removed, one added
    assert (stage / "xw/b.html").read_text() == "b-new" and (stage / "xw/c.html").read_text() == "c"
    assert not (stage / "xw/a.html").exists() and (stage / "index.html").read_text() == "home"
    assert manifest_changes(after, after) == []
