"""The static site's project views and the home page's daily re-render (issue 20)."""

import pytest
import time_machine
from django.conf import settings

from ggzy.core.scheduling import load_schedule
from ggzy.notices.choices import NoticeKind as K
from ggzy.notices.tests.factories import at, publish_notice
from ggzy.sitebuild import services
from ggzy.sitebuild.manifest import load_manifest
from ggzy.sitebuild.tasks import rerender_home

from .helpers import build, file_of, files

pytestmark = pytest.mark.django_db

CODE = "JZ2026-XM-9"


def test_build_writes_a_project_view_per_code_and_a_publish_updates_it(
    client, root, django_capture_on_commit_callbacks
):
    with time_machine.travel(at("2026-11-02", "10:00")):
        tender = publish_notice(K.CONSTRUCTION_TENDER, project_code=CODE, title="招标公告")
    build()

    project = f"xm/{CODE}/index.html"
    assert (root / project).read_bytes() == client.get(f"/xm/{CODE}/").content
    assert load_manifest(root)[project]["source"] == f"project:{tender.pk}"
    notice_html = (root / file_of(tender.url)).read_text()
    assert f'href="/xm/{CODE}/">本项目全部公告' in notice_html

    with time_machine.travel(at("2026-11-10", "10:00")), django_capture_on_commit_callbacks(execute=True):
        result = publish_notice(K.CONSTRUCTION_RESULT, project_code=CODE, title="中标结果公示")
    html = (root / project).read_text()
    assert html.index("招标公告") < html.index("中标结果公示")
    assert (root / project).read_bytes() == client.get(f"/xm/{CODE}/").content
    assert services.site_verify().intact

    # No notice of the code published any more: the project view goes too.
    with django_capture_on_commit_callbacks(execute=True):
        result.unpublish()
        tender.unpublish()
    assert not (root / project).exists()
    assert project not in load_manifest(root)
    assert services.site_verify().intact


def test_a_tampered_project_view_is_restored_from_the_database(root):
    with time_machine.travel(at("2026-11-02", "10:00")):
        publish_notice(K.CONSTRUCTION_TENDER, project_code=CODE)
    build()
    project = root / f"xm/{CODE}/index.html"
    original = project.read_bytes()
    project.write_text("defaced")

    result = services.site_check(restore=True)

    assert f"xm/{CODE}/index.html" in result.report.modified
    assert result.after.intact
    assert project.read_bytes() == original


def test_home_is_rendered_again_each_day_for_the_bid_schedule(root):
    with time_machine.travel(at("2026-11-02", "10:00")):
        publish_notice(
            K.CONSTRUCTION_TENDER,
            project_name="次日开标的工程",
            bid_deadline=at("2026-11-24", "09:30"),
            bid_opening=at("2026-11-24", "09:30"),
        )
    with time_machine.travel(at("2026-11-16", "08:00"), tick=False):  # Monday: 16th–19th, not the 24th
        build()
    assert "次日开标的工程" not in (root / "index.html").read_text()

    with time_machine.travel(at("2026-11-23", "00:01"), tick=False):
        outcome = rerender_home.call()
    assert outcome["written"] == 1
    assert "次日开标的工程" in (root / "index.html").read_text()
    assert services.site_verify().intact
    assert set(load_manifest(root)) == files(root)
    scheduled = {task.path: task.crontab for task in load_schedule()}
    assert (
        scheduled["ggzy.sitebuild.tasks.rerender_home"]
        == settings.GGZY_SCHEDULE["ggzy.sitebuild.tasks.rerender_home"]
    )
