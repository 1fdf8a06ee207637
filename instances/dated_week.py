"""This week's timetable with dates: which lessons are taught on which date of a term week.

A holiday drops its day; a make-up day (调休上课) teaches the lessons of the weekday it
follows; a 单双周 lesson is taught in the term weeks of its parity
(:meth:`~jianfu.models.calendar.SchoolCalendar.week_number`). 调代课 notices and dated
week views read the week from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..models.calendar import WEEKDAY_NAMES, MakeUpDay, SchoolCalendar
from ..models.school import School
from ..models.timetable import Lesson, Timetable
from .calendar_ics import weekday_of
from .views import week_mark

__all__ = ["DatedDay", "dated_week", "format_dated_week", "school_day_of"]


@dataclass(frozen=True, slots=True)
class DatedDay:
    """One school date: the school day taught (an index into ``school.days``), its
    lessons by period, and the make-up day it is (or ``None``)."""

    date: date
    day: int
    lessons: tuple[Lesson, ...]
    makeup: MakeUpDay | None = None


def school_day_of(school: School, calendar: SchoolCalendar, d: date) -> int | None:
    """The index into ``school.days`` of the day taught on ``d``, ``None`` without school."""
    weekday = calendar.day_of(d)
    if weekday is None:
        return None
    for i, name in enumerate(school.days):
        if weekday_of(name, i) == weekday:
            return i
    return None


def dated_week(school: School, timetable: Timetable, calendar: SchoolCalendar, when: date,
               *, cls: int | None = None, teacher: int | None = None) -> list[DatedDay]:
    """The school dates of the week (Monday to Sunday) holding ``when``, each with its
    lessons (of class ``cls`` / teacher ``teacher`` when given)."""
    calendar = calendar.with_weekdays({weekday_of(n, i) for i, n in enumerate(school.days)})
    parity = 1 if calendar.week_number(when) % 2 else 2
    out = []
    for d, _ in calendar.week_dates(when):
        day = school_day_of(school, calendar, d)
        if day is None:
            continue
        lessons = tuple(sorted(
            (x for x in timetable.lessons if x.day == day and (x.week is None or x.week == parity)
             and (cls is None or x.cls == cls) and (teacher is None or x.teacher == teacher)),
            key=lambda x: (x.period, x.cls)))
        out.append(DatedDay(d, day, lessons, calendar.makeup_on(d)))
    return out


def format_dated_week(school: School, days: list[DatedDay], *, view: str = "class") -> str:
    """The week as text, a line per date: ``2026-10-10 周六（调休，上周五的课）：1 语文（王芳）…``;
    ``view`` ``"teacher"`` names the class instead of the teacher."""
    lines = []
    for dd in days:
        head = f"{dd.date.isoformat()} {WEEKDAY_NAMES[dd.date.weekday()]}"
        if dd.makeup is not None:
            head += f"（调休，上{school.days[dd.day]}的课）"
        cells = []
        for x in dd.lessons:
            who = school.classes[x.cls].name if view == "teacher" else school.teachers[x.teacher].name
            cells.append(f"{x.period + 1} {school.subjects[x.subject].name}{week_mark(x)}（{who}）")
        lines.append(f"{head}：{'  '.join(cells) or '无课 no lessons'}")
    return "\n".join(lines)
