"""The notice on the home page, dynamic and static: up on the right day, down when
the window ends or the notice is cancelled; the static file re-rendered only then."""

import io

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ggzy.suspensions import services
from ggzy.suspensions.models import SuspensionRenderState
from ggzy.suspensions.services import suspension_cancel, suspension_change
from ggzy.suspensions.tasks import refresh_suspension_notices

from .factories import at, schedule_notice, website_admin

pytestmark = pytest.mark.django_db

TITLE = "国庆节期间暂停交易服务的通知"


def home(client) -> str:
    return client.get("/").content.decode()


@pytest.fixture
def national_day():
    """Scheduled on 09-01 for 10-01..10-08; shown from 09-28 (09-25..27 is 中秋节)."""
    with time_machine.travel(at(2026, 9, 1, 10), tick=False):
        return schedule_notice(
            reason_kind="holiday",
            title=TITLE,
            starts_at=at(2026, 10, 1, 0),
            ends_at=at(2026, 10, 8, 0),
            body="10月1日至7日放假，期间暂停交易服务。\n10月8日起恢复正常。",
        )


def test_notice_appears_on_the_nth_working_day_before_and_leaves_when_the_window_ends(client, national_day):
    assert national_day.display_from == at(2026, 9, 28)  # Mon 28, Tue 29, Wed 30: three working days
    with time_machine.travel(at(2026, 9, 27, 23, 59), tick=False):  # 中秋节 holiday, Sunday
        assert TITLE not in home(client)
    with time_machine.travel(at(2026, 9, 28, 0, 1), tick=False):
        html = home(client)
        block = html.split('<section class="suspension-notices"')[1].split("</section>")[0]
        assert 'role="region" aria-labelledby="suspension-notices-heading"' in block
        assert '<h2 id="suspension-notices-heading">暂停交易服务通知</h2>' in block
        assert TITLE in block and "2026年10月1日 00:00" in block and "法定节假日" in block
        assert "<p>10月1日至7日放假，期间暂停交易服务。<br>10月8日起恢复正常。</p>" in block
        assert "/static/suspensions/notices.css" in html
    with time_machine.travel(at(2026, 10, 7, 23, 59), tick=False):
        assert TITLE in home(client)
    with time_machine.travel(at(2026, 10, 8, 0, 0), tick=False):
        assert TITLE not in home(client) and "suspension-notices" not in home(client)


def test_a_cancelled_notice_disappears_at_once(client, national_day):
    with time_machine.travel(at(2026, 9, 29, 9), tick=False):
        assert TITLE in home(client)
        suspension_cancel(notice=national_day, reason="安排调整", actor=website_admin())
        assert TITLE not in home(client)


def test_the_notice_block_costs_one_query_whatever_the_number_of_notices(client):
    with time_machine.travel(at(2026, 11, 2, 10), tick=False):
        home(client)  # warm Wagtail's site cache
        with CaptureQueriesContext(connection) as none:
            home(client)
        for day in (3, 4, 5):
            schedule_notice(
                starts_at=at(2026, 11, day, 8), ends_at=at(2026, 11, day, 9), urgent_reason="演练"
            )
        with CaptureQueriesContext(connection) as three:
            assert home(client).count('class="suspension-notice"') == 3
    assert len(three) == len(none)


# --------------------------------------------------------------------------- static site


@pytest.fixture
def renders(monkeypatch):
    """Calls of the home page re-render (the real one runs)."""
    calls = []
    real = services.home_render

    def spy():
        calls.append(1)
        return real()

    monkeypatch.setattr(services, "home_render", spy)
    return calls


def static_home(settings) -> str:
    return (settings.PUBLISH_ROOT / "index.html").read_text(encoding="utf-8")


def test_static_home_is_re_rendered_when_the_window_starts_and_ends_and_not_otherwise(
    settings, renders, django_capture_on_commit_callbacks
):
    with time_machine.travel(at(2026, 9, 1, 10), tick=False):
        call_command("build_site", stdout=io.StringIO())
        with django_capture_on_commit_callbacks(execute=True):
            notice = schedule_notice(title=TITLE, starts_at=at(2026, 10, 1, 0), ends_at=at(2026, 10, 8, 0))
        assert renders == []  # pending: the home page does not change
        before = static_home(settings)
        assert refresh_suspension_notices.call()["changed"] is False
    with time_machine.travel(at(2026, 9, 27, 23, 59), tick=False):
        assert refresh_suspension_notices.call()["changed"] is False
        assert renders == [] and static_home(settings) == before and TITLE not in before
    with time_machine.travel(at(2026, 9, 28, 0, 1), tick=False):
        result = refresh_suspension_notices.call()
        assert result["rendered"] is True and result["visible"] == [notice.pk]
        assert TITLE in static_home(settings) and renders == [1]
        assert SuspensionRenderState.objects.get().notice_ids == [notice.pk]
    with time_machine.travel(at(2026, 9, 28, 0, 2), tick=False):
        assert refresh_suspension_notices.call()["changed"] is False and renders == [1]
        # Editing a notice on the home page re-renders it on commit.
        with django_capture_on_commit_callbacks(execute=True):
            suspension_change(notice=notice, data={"body": "更新后的通知内容"}, actor=website_admin())
        assert "更新后的通知内容" in static_home(settings) and renders == [1, 1]
    with time_machine.travel(at(2026, 10, 8, 0, 1), tick=False):
        assert refresh_suspension_notices.call()["rendered"] is True
        assert TITLE not in static_home(settings) and len(renders) == 3


def test_static_home_drops_a_cancelled_notice_on_commit(settings, django_capture_on_commit_callbacks):
    with time_machine.travel(at(2026, 9, 29, 9), tick=False):
        call_command("build_site", stdout=io.StringIO())
        with django_capture_on_commit_callbacks(execute=True):
            notice = schedule_notice(
                title=TITLE, starts_at=at(2026, 10, 1, 0), ends_at=at(2026, 10, 8, 0), urgent_reason="补发"
            )
        assert TITLE in static_home(settings)
        with django_capture_on_commit_callbacks(execute=True):
            suspension_cancel(notice=notice, reason="撤销", actor=website_admin())
        assert TITLE not in static_home(settings)


def test_refresh_command_reports_and_dry_run_writes_nothing(settings, national_day):
    out = io.StringIO()
    with time_machine.travel(at(2026, 9, 28, 8), tick=False):
        call_command("suspension_notices_refresh", "--dry-run", stdout=out)
        assert (
            f"visible notices: {national_day.pk}" in out.getvalue()
            and "would be re-rendered" in out.getvalue()
        )
        assert not SuspensionRenderState.objects.exists()
        out = io.StringIO()
        call_command("suspension_notices_refresh", stdout=out)  # no build yet: nothing to update
        assert "changed, but the home page was not re-rendered: manifest missing" in out.getvalue()
        assert not SuspensionRenderState.objects.exists()  # tried again on the next run
        call_command("build_site", stdout=io.StringIO())
        out = io.StringIO()
        call_command("suspension_notices_refresh", stdout=out)
        assert "home page re-rendered" in out.getvalue() and TITLE in static_home(settings)
        out = io.StringIO()
        call_command("suspension_notices_refresh", stdout=out)
        assert "unchanged since the last render" in out.getvalue()


def test_recording_a_new_year_moves_pending_display_times(settings):
    from ggzy.core.models import CalendarDay, CalendarYear

    with time_machine.travel(at(2026, 12, 1, 10), tick=False):
        notice = schedule_notice(starts_at=at(2027, 1, 11, 8), ends_at=at(2027, 1, 11, 18))
        assert notice.display_from == at(2026, 12, 27) and notice.unverified_years == "2027"
        CalendarYear.objects.create(year=2027, source="国办发明电")
        CalendarDay.objects.create(date=at(2027, 1, 1).date(), kind="holiday", name="元旦")
        assert services.suspension_notices_refresh().recomputed == 1
    notice.refresh_from_db()
    assert notice.display_from == at(2027, 1, 6) and notice.unverified_years == ""
