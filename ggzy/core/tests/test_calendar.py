import datetime as dt

import pytest

from ggzy.core.calendar import add_working_days, calendar_seed, is_working_day, years_without_data
from ggzy.core.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db

D = dt.date


def test_seeded_from_chinese_calendar_for_the_years_it_knows():
    assert CalendarYear.objects.filter(year=2004).exists() and CalendarYear.objects.filter(year=2026).exists()
    assert years_without_data([2026, 2027]) == [2027]
    assert calendar_seed() == (0, 0)  # idempotent


def test_holidays_and_make_up_days():
    assert not is_working_day(D(2026, 10, 1))  # 国庆节, a Thursday
    assert not is_working_day(D(2026, 2, 17))  # 春节
    make_up = CalendarDay.objects.filter(kind="workday", date__year=2026).first()
    assert make_up.date.weekday() >= 5 and is_working_day(make_up.date)  # 调休上班 on a weekend
    assert is_working_day(D(2026, 11, 25)) and not is_working_day(D(2026, 11, 28))


def test_add_working_days_skips_holidays_and_counts_make_up_days():
    # 2026-09-30 (Wed) + 1 working day: 10-01..10-07 are the National Day holiday.
    result = add_working_days(D(2026, 9, 30), 1)
    assert result.date == D(2026, 10, 8) and result.warning == ""
    assert add_working_days(D(2026, 11, 27), 1).date == D(2026, 11, 30)  # Fri → Mon
    assert add_working_days(D(2026, 11, 28), 0).date == D(2026, 11, 30)  # Sat, same day → Mon
    assert add_working_days(D(2026, 11, 25), 0).date == D(2026, 11, 25)


def test_a_year_without_data_is_flagged_not_guessed_silently():
    result = add_working_days(D(2026, 12, 31), 1)
    assert result.date == D(2027, 1, 1)  # Friday, assumed a working day…
    assert result.unverified_years == (2027,)
    assert "2027年的法定节假日安排尚未录入" in result.warning  # …and said so
    CalendarYear.objects.create(year=2027, source="国办发明电〔2026〕")
    CalendarDay.objects.create(date=D(2027, 1, 1), kind="holiday", name="元旦")
    result = add_working_days(D(2026, 12, 31), 1)
    assert result.date == D(2027, 1, 4) and result.warning == ""


def test_calendar_warning_shows_on_the_admin_dashboard(client):
    from ggzy.accounts.choices import RoleKey
    from ggzy.accounts.tests.factories import login_as, make_user

    login_as(client, make_user(RoleKey.WEBSITE_ADMIN))
    html = client.get("/admin/").content.decode()
    assert "工作日历待更新" in html and "2027年" in html
    CalendarYear.objects.create(year=2027)
    assert "工作日历待更新" not in client.get("/admin/").content.decode()


def test_calendar_edits_in_the_admin_are_audited(client):
    from ggzy.accounts.choices import RoleKey
    from ggzy.accounts.tests.factories import login_as, make_user
    from ggzy.audit.models import AuditEvent

    login_as(client, make_user(RoleKey.WEBSITE_ADMIN))
    response = client.post(
        "/admin/calendar/days/new/", {"date": "2027-01-01", "kind": "holiday", "name": "元旦"}
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="core.calendarday.created")
    assert "2027-01-01" in event.object_repr
