"""This week's dated timetable: holidays dropped, make-up days teaching another day."""

from __future__ import annotations

from datetime import date

from jianfu.instances.dated_week import dated_week, format_dated_week, school_day_of
from jianfu.models.calendar import Holiday, MakeUpDay, SchoolCalendar
from jianfu.models.timetable import Lesson, Timetable

TERM = SchoolCalendar(date(2026, 9, 28), date(2026, 10, 16),
                      (Holiday(date(2026, 10, 1), date(2026, 10, 7), "国庆节"),),
                      (MakeUpDay(date(2026, 10, 10), 4, "国庆调休"),))


def test_a_holiday_week_with_a_make_up_saturday(school, timetable):
    week = dated_week(school, timetable, TERM, date(2026, 10, 7), cls=0)
    assert [(d.date, d.day) for d in week] == [
        (date(2026, 10, 8), 3), (date(2026, 10, 9), 4), (date(2026, 10, 10), 4)]
    friday = [x for x in timetable.lessons if x.cls == 0 and x.day == 4]
    assert sorted(week[2].lessons, key=lambda x: x.period) == sorted(friday, key=lambda x: x.period)
    assert week[2].makeup is not None and week[1].makeup is None
    text = format_dated_week(school, week)
    assert text.splitlines()[2].startswith("2026-10-10 周六（调休，上周五的课）：1 ")
    assert school_day_of(school, TERM, date(2026, 10, 5)) is None
    assert dated_week(school, timetable, TERM, date(2026, 10, 20)) == []   # after the term


def test_every_other_week_lessons_by_term_week(school):
    sci, art = school.subject_index["科学"], school.subject_index["美术"]
    zhao, liu = school.teacher_index["赵敏"], school.teacher_index["刘洋"]
    tt = Timetable((Lesson(0, 0, 0, sci, zhao, week=1), Lesson(0, 0, 0, art, liu, week=2)))
    # week 1 (单周) holds 28 Sept; week 3 (单周) 12 Oct; week 2 (双周, Monday off) has none
    assert [x.subject for d in dated_week(school, tt, TERM, date(2026, 9, 28)) for x in d.lessons] \
        == [sci]
    assert [x.subject for d in dated_week(school, tt, TERM, date(2026, 10, 12)) for x in d.lessons] \
        == [sci]
    term = SchoolCalendar(date(2026, 9, 28), date(2026, 10, 16))
    assert [x.subject for d in dated_week(school, tt, term, date(2026, 10, 5)) for x in d.lessons] \
        == [art]
