"""Writing the screens' static files (网络设备管理制度 第九条: fed only by published notices).

SCREENS_ROOT holds, per enabled screen, ``<key>/index.html`` (the page, written once
and rewritten only when the screen's settings or the assets change) and
``<key>/data.json`` (what it shows today), plus ``assets/screen.<hash>.css|js``.
Files are written atomically (sitebuild's temp file + rename) and only when their
bytes change, so hundreds of screens polling every 30 s are served by nginx (or the
embedded file layer) from files that rarely change. A file that differs on disk from
what ggzy last wrote, or a file ggzy never wrote, is put back or removed and audited:
nothing reaches a screen except through the approval chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ggzy.audit.services import record
from ggzy.sitebuild.files import atomic_write, exclusive_lock, remove_file, safe_join, walk_files

from .choices import Section
from .models import Screen
from .selectors import feeds_on

ASSET_DIR = Path(__file__).parent / "assets"
ASSETS = ("screen.css", "screen.js")
VERSION_MARK = "__GGZY_SCREEN_VERSION__"
WEEKDAYS = (
    gettext_noop("星期一"),
    gettext_noop("星期二"),
    gettext_noop("星期三"),
    gettext_noop("星期四"),
    gettext_noop("星期五"),
    gettext_noop("星期六"),
    gettext_noop("星期日"),
)
OLD_ASSET = re.compile(r"^assets/screen\.[0-9a-f]{12}\.(css|js)$")


def screens_root() -> Path:
    return Path(settings.SCREENS_ROOT)


def lock_path(root: Path) -> Path:
    return root.with_name(root.name + ".lock")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def asset_files() -> dict[str, tuple[str, bytes]]:
    """asset name → (published name with its content hash, bytes)."""
    result = {}
    for name in ASSETS:
        data = (ASSET_DIR / name).read_bytes()
        stem, ext = name.rsplit(".", 1)
        result[name] = (f"assets/{stem}.{sha256(data)[:12]}.{ext}", data)
    return result


def section_titles() -> dict[str, str]:
    return {
        Section.OPENINGS: _("今日开标"),
        Section.PUBLICITY: _("今日公示"),
        Section.NOTICES: _("通知"),
    }


def render_page(screen: Screen, assets: dict[str, tuple[str, bytes]]) -> bytes:
    """The screen's page: a shell that loads ``data.json`` every refresh interval."""
    titles = section_titles()
    html = render_to_string(
        "screens/screen.html",
        {
            "screen": screen,
            "site_name": settings.WAGTAIL_SITE_NAME,
            "sections": [(key, titles[key]) for key in screen.sections],
            "css_url": "/screens/" + assets["screen.css"][0],
            "js_url": "/screens/" + assets["screen.js"][0],
            "version": VERSION_MARK,
        },
    )
    # The page knows its own version: data.json names the page version it goes with,
    # and a screen whose page changed reloads it.
    version = sha256(html.encode())[:12]
    return html.replace(VERSION_MARK, version).encode()


def page_version(page: bytes) -> str:
    marker = b'data-version="'
    start = page.index(marker) + len(marker)
    return page[start : page.index(b'"', start)].decode()


def render_data(screen: Screen, feeds: dict, *, day: dt.date, version: str) -> bytes:
    data = {
        "version": version,
        "day": day.isoformat(),
        "weekday": _(WEEKDAYS[day.weekday()]),
        "sections": {key: feeds[key] for key in screen.sections},
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


@dataclass
class PublishResult:
    screens: int = 0
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)  # changed or added on disk, put right


def _current(path: Path) -> bytes | None:
    """The file's bytes; None when absent; b"" for a symlink (never read through)."""
    if path.is_symlink():
        return b""
    try:
        return path.read_bytes() if path.is_file() else None
    except OSError:
        return None


def screens_publish(*, now: dt.datetime | None = None, root: Path | None = None) -> PublishResult:
    """Write every enabled screen's page and today's data, and the assets; remove
    the files of disabled screens and anything ggzy did not write. Cheap when nothing
    changed: one read per file, no write."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    root = Path(root or screens_root())
    root.mkdir(parents=True, exist_ok=True)
    result = PublishResult()
    with exclusive_lock(lock_path(root)):
        assets = asset_files()
        feeds = feeds_on(day)
        screens = list(Screen.objects.all())
        expected: dict[str, bytes] = dict(assets.values())
        known: dict[str, str] = {}  # our last write of a screen file: relative → sha256
        changed_rows = []
        # A page depends only on these settings (never on the screen's name or place), and
        # the data only on the sections: render each combination once, not once per screen.
        pages: dict[tuple, bytes] = {}
        datas: dict[tuple, bytes] = {}
        for screen in screens:
            for name, sha in (("index.html", screen.page_sha256), ("data.json", screen.data_sha256)):
                if sha:
                    known[f"{screen.key}/{name}"] = sha
            if not screen.enabled:
                if screen.page_sha256 or screen.data_sha256:  # its files go below, quietly
                    screen.page_sha256 = screen.data_sha256 = ""
                    changed_rows.append(screen)
                continue
            result.screens += 1
            look = (tuple(screen.sections), screen.refresh_seconds, screen.scroll_speed)
            if look not in pages:
                pages[look] = render_page(screen, assets)
            page = pages[look]
            shows = (tuple(screen.sections), page_version(page))
            if shows not in datas:
                datas[shows] = render_data(screen, feeds, day=day, version=shows[1])
            data = datas[shows]
            expected[f"{screen.key}/index.html"] = page
            expected[f"{screen.key}/data.json"] = data
            shas = (sha256(page), sha256(data))
            if (screen.page_sha256, screen.data_sha256) != shas:
                screen.page_sha256, screen.data_sha256 = shas
                changed_rows.append(screen)
        for relative, data in expected.items():
            target = safe_join(root, relative)
            on_disk = _current(target)
            if on_disk == data:
                continue
            if relative in known and (on_disk is None or sha256(on_disk) != known[relative]):
                result.repaired.append(relative)  # changed or deleted since ggzy wrote it
            elif on_disk is not None and relative not in known:
                result.repaired.append(relative)  # an asset changed under its hashed name
            if target.is_symlink():
                target.unlink()
            # No fsync per file: the next tick rewrites whatever a crash lost.
            atomic_write(target, data, durable=False)
            result.written.append(relative)
        for relative, path in list(walk_files(root)):
            if relative in expected:
                continue
            # A disabled screen's files and assets of an earlier version go quietly.
            ours = not path.is_symlink() and (relative in known or OLD_ASSET.match(relative) is not None)
            remove_file(root, path)
            (result.removed if ours else result.repaired).append(relative)
        if changed_rows:
            Screen.objects.bulk_update(changed_rows, ["page_sha256", "data_sha256"])
        if result.repaired:
            # 网络设备管理制度 第九条: what a screen shows was changed outside the approval chain.
            record(
                action="screens.files.repaired",
                outcome="failure",
                object_type="screens.screensroot",
                object_repr=str(root),
                files=sorted(result.repaired)[:100],
            )
    return result


def publish_on_commit() -> None:
    """After a register change or a publish/unpublish: rewrite the files once committed."""
    from . import tasks  # the task module imports this one

    transaction.on_commit(tasks.refresh_screens.enqueue, robust=True)
