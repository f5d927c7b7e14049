"""When a notice goes up: N working days before the start, on the holiday/调休
calendar; a year without data is a warning and an earlier display, never a crash."""

import datetime as dt

import pytest

from ggzy.core.calendar import holiday_blocks, longest_holiday_block, subtract_working_days
from ggzy.core.models import CalendarDay, CalendarYear
from ggzy.suspensions.schedule import notice_schedule

from .factories import at

pytestmark = pytest.mark.django_db
D = dt.date


def display(start, end=None, **kwargs):
    return notice_schedule(starts_at=start, ends_at=end or start + dt.timedelta(hours=8), **kwargs)


def test_subtract_working_days_counts_back_over_weekends():
    assert subtract_working_days(D(2026, 11, 30), 3).date == D(2026, 11, 25)  # Mon → Wed before
    assert subtract_working_days(D(2026, 11, 30), 0).date == D(2026, 11, 30)
    with pytest.raises(ValueError):
        subtract_working_days(D(2026, 11, 30), -1)


def test_plain_week_three_working_days_before_the_start_day():
    schedule = display(at(2026, 11, 30, 9))  # Monday 09:00
    assert schedule.display_from == at(2026, 11, 25, 0, 0)  # Wednesday: Wed, Thu, Fri announced
    assert schedule.warning == "" and schedule.unverified_years == ()
    assert schedule.lead_ok(at(2026, 11, 24, 23, 59)) and not schedule.lead_ok(at(2026, 11, 25, 9, 0))


def test_holidays_are_not_working_days():
    # 2026-09-25..27 is the 中秋节 holiday (Fri–Sun): the count skips Friday.
    assert display(at(2026, 9, 28, 8)).display_from == at(2026, 9, 22)
    # The National Day block (10-01..10-07) lies between: a start on 10-09 counts 10-08, 09-30, 09-29.
    assert display(at(2026, 10, 9, 8)).display_from == at(2026, 9, 29)


def test_make_up_saturdays_and_sundays_are_working_days():
    # 2026-09-20 (Sunday) is a 调休 working day: Mon 21, Sun 20, Fri 18.
    assert display(at(2026, 9, 22, 8)).display_from == at(2026, 9, 18)
    # 2026-10-10 (Saturday) too: Sat 10, Fri 9, Thu 8.
    assert display(at(2026, 10, 12, 8)).display_from == at(2026, 10, 8)


def test_setting_changes_the_lead(settings):
    settings.SUSPENSION_NOTICE_WORKING_DAYS = 5
    assert display(at(2026, 11, 30, 9)).display_from == at(2026, 11, 23)
    settings.SUSPENSION_NOTICE_WORKING_DAYS = 0
    schedule = display(at(2026, 11, 30, 9))
    assert schedule.display_from == at(2026, 11, 30) and schedule.lead_ok(at(2026, 11, 30, 8))


def test_a_year_without_data_is_counted_safely_and_flagged():
    longest = longest_holiday_block()
    assert longest == 10  # 2020's 春节, extended to 01-24..02-02
    # 2027 has no arrangement yet: Mon–Fri gives 2027-01-06; a holiday block may
    # hide there, so the notice goes up a longest block earlier.
    schedule = display(at(2027, 1, 11, 9))
    assert schedule.display_from == at(2026, 12, 27)
    assert schedule.unverified_years == (2027,) and schedule.safety_days == 10
    assert "2027年的法定节假日安排尚未录入" in schedule.warning and "提前10天" in schedule.warning
    # Once the State Council's arrangement is recorded, the count is exact again.
    CalendarYear.objects.create(year=2027, source="国办发明电")
    CalendarDay.objects.create(date=D(2027, 1, 1), kind="holiday", name="元旦")
    schedule = display(at(2027, 1, 11, 9))
    assert schedule.display_from == at(2027, 1, 6) and schedule.warning == ""


def test_a_window_that_ends_in_a_year_without_data_is_flagged_but_not_moved():
    schedule = display(at(2026, 12, 30, 18), at(2027, 1, 4, 8))
    assert schedule.display_from == at(2026, 12, 25)  # counted in 2026 (known)
    assert schedule.unverified_years == (2027,) and schedule.safety_days == 0
    assert "2027年" in schedule.warning


def test_holiday_blocks_are_merged_with_names():
    (national_day,) = holiday_blocks(D(2026, 9, 29), D(2026, 10, 3))
    assert (national_day.first, national_day.last, national_day.days) == (D(2026, 10, 1), D(2026, 10, 7), 7)
    assert "国庆节" in national_day.name
    assert holiday_blocks(D(2026, 11, 1), D(2026, 12, 31)) == []
