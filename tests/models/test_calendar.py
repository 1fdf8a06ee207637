"""The school calendar: which timetable day is taught on a date, built-in holidays, the
default term."""

from __future__ import annotations

from datetime import date

import pytest

from jianfu.models.calendar import (
    Holiday, MakeUpDay, SchoolCalendar, default_term, national_holidays)
from jianfu.models.errors import InputError


def _autumn_2026() -> SchoolCalendar:
    return SchoolCalendar(date(2026, 9, 1), date(2027, 1, 22),
                          (Holiday(date(2026, 10, 1), date(2026, 10, 7), "国庆节"),
                           Holiday(date(2027, 1, 1), date(2027, 1, 1), "元旦")),
                          (MakeUpDay(date(2026, 9, 20), 3, "国庆调休"),
                           MakeUpDay(date(2026, 10, 10), 4, "国庆调休")))


@pytest.mark.parametrize("when, day", [
    (date(2026, 8, 31), None),      # before the term
    (date(2026, 9, 1), 1),          # Tuesday
    (date(2026, 9, 19), None),      # Saturday
    (date(2026, 9, 20), 3),         # Sunday teaching Thursday's lessons
    (date(2026, 10, 1), None),      # 国庆
    (date(2026, 10, 7), None),
    (date(2026, 10, 8), 3),
    (date(2026, 10, 10), 4),        # Saturday teaching Friday's lessons
    (date(2027, 1, 1), None),       # 元旦, a Friday
    (date(2027, 1, 22), 4),
    (date(2027, 1, 25), None),      # after the term
])
def test_day_of(when, day):
    assert _autumn_2026().day_of(when) == day


def test_teaching_dates_and_weeks():
    cal = _autumn_2026()
    dates = cal.teaching_dates()
    # 104 weekdays from 1 Sept to 22 Jan, less 5 of 国庆 and 元旦's Friday, plus 2 make-up days
    assert len(dates) == 104 - 6 + 2
    assert dates[:2] == [date(2026, 9, 1), date(2026, 9, 2)]
    assert date(2026, 9, 20) in dates and date(2026, 10, 5) not in dates
    assert [cal.week_number(date(2026, 9, d)) for d in (1, 6, 7, 20, 21)] == [1, 1, 2, 3, 4]
    assert cal.week_dates(date(2026, 10, 7)) == [(date(2026, 10, 8), 3), (date(2026, 10, 9), 4),
                                                  (date(2026, 10, 10), 4)]


def test_a_six_day_school_has_saturdays():
    cal = SchoolCalendar(date(2026, 9, 1), date(2026, 9, 30)).with_weekdays(set(range(6)))
    assert cal.day_of(date(2026, 9, 5)) == 5 and cal.day_of(date(2026, 9, 6)) is None


def test_describe_says_the_term_its_holidays_and_make_up_days():
    assert _autumn_2026().describe() == (
        "学期 term：2026-09-01 至 2027-01-22；假日 holidays: 国庆节 10月1日–7日，元旦 1月1日；"
        "调休上课 make-up days: 9月20日周日上周四的课，10月10日周六上周五的课")


def test_national_holidays_2026():
    got = [(h.name, h.start.isoformat(), h.end.isoformat()) for h in national_holidays(2026)]
    assert got == [("元旦", "2026-01-01", "2026-01-01"), ("春节", "2026-02-16", "2026-02-19"),
                   ("清明节", "2026-04-05", "2026-04-05"), ("劳动节", "2026-05-01", "2026-05-05"),
                   ("端午节", "2026-06-19", "2026-06-19"), ("中秋节", "2026-09-25", "2026-09-25"),
                   ("国庆节", "2026-10-01", "2026-10-07")]


def test_before_2025_the_spring_festival_is_shorter_and_before_2020_labour_day():
    got = {h.name: (h.start, h.end) for h in national_holidays(2024)}
    assert got["春节"] == (date(2024, 2, 10), date(2024, 2, 12))
    assert got["劳动节"] == (date(2024, 5, 1), date(2024, 5, 5))   # the 5-day break since 2020
    assert [h.end for h in national_holidays(2019) if h.name == "劳动节"] == [date(2019, 5, 1)]


def test_a_year_without_a_lunar_table_has_the_fixed_date_holidays_only():
    assert [h.name for h in national_holidays(2040)] == ["元旦", "劳动节", "国庆节"]


@pytest.mark.parametrize("today, start, end, name", [
    (date(2026, 12, 2), date(2026, 9, 1), date(2027, 1, 22), "2026–2027学年第一学期（秋季）"),
    (date(2026, 1, 10), date(2025, 9, 1), date(2026, 1, 16), "2025–2026学年第一学期（秋季）"),
    (date(2026, 1, 25), date(2026, 3, 2), date(2026, 7, 3), "2025–2026学年第二学期（春季）"),
    (date(2026, 5, 6), date(2026, 3, 2), date(2026, 7, 3), "2025–2026学年第二学期（春季）"),
    (date(2026, 7, 20), date(2026, 9, 1), date(2027, 1, 22), "2026–2027学年第一学期（秋季）"),
    (date(2027, 8, 15), date(2027, 9, 1), date(2028, 1, 21), "2027–2028学年第一学期（秋季）"),
])
def test_default_term(today, start, end, name):
    term = default_term(today)
    assert (term.start, term.end, term.name) == (start, end, name)


def test_default_term_has_the_built_in_holidays_of_its_dates():
    term = default_term(date(2026, 12, 2))
    assert [(h.name, h.start) for h in term.holidays] == [
        ("中秋节", date(2026, 9, 25)), ("国庆节", date(2026, 10, 1)), ("元旦", date(2027, 1, 1))]
    assert term.makeup == ()    # make-up days are never guessed


@pytest.mark.parametrize("build, where", [
    (lambda: SchoolCalendar(date(2026, 9, 1), date(2026, 8, 1)), "end"),
    (lambda: Holiday(date(2026, 10, 7), date(2026, 10, 1)), "end"),
    (lambda: MakeUpDay(date(2026, 10, 10), 7), "follows"),
    (lambda: SchoolCalendar(date(2026, 9, 1), date(2026, 9, 30), (),
                            (MakeUpDay(date(2026, 10, 10), 4),)), "makeup[0].date"),
    (lambda: SchoolCalendar(date(2026, 9, 1), date(2026, 10, 30),
                            (Holiday(date(2026, 10, 1), date(2026, 10, 7)),),
                            (MakeUpDay(date(2026, 10, 3), 4),)), "makeup[0].date"),
])
def test_bad_calendars_name_the_field(build, where):
    with pytest.raises(InputError) as err:
        build()
    assert err.value.where == where


def test_off_days_are_the_school_days_lost_to_holidays():
    assert _autumn_2026().off_days() == [
        (date(2026, 10, d), "国庆节") for d in (1, 2, 5, 6, 7)] + [(date(2027, 1, 1), "元旦")]
    assert _autumn_2026().holiday_name(date(2026, 10, 3)) == "国庆节"
    assert _autumn_2026().holiday_name(date(2026, 10, 8)) is None
