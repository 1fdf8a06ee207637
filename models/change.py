"""调代课: one week's changes to the timetable, and the lessons a change moved.

A :class:`ChangedWeek` is the school's weekly timetable as it is held in one dated week:
some lessons moved (调课), some taught by a cover teacher (代课, ``Lesson.cover``), the
lessons of a class away cancelled (停课), with the absences and outings that caused them.
:func:`jianfu.models.checker.check_week` is its specification (docs/rules.md, 调代课).

:func:`lesson_moves` pairs the lessons of an old and a new timetable that moved, for the
``--keep`` report and the 调课通知.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable

from .school import School
from .timetable import Lesson, Timetable

__all__ = ["Absence", "Away", "ChangedWeek", "ChangePlan", "Cover", "DayOf", "Move",
           "SwapRequest", "WeekRequest", "lesson_moves", "qualified", "week_dates", "weekday"]

#: A date to its timetable day (0 = 周一), ``None`` when there is no school that day.
DayOf = Callable[[date], "int | None"]


def weekday(d: date) -> int | None:
    """The plain calendar: Monday–Friday are 周一–周五 (0–4), the weekend has no school."""
    n = d.weekday()
    return n if n < 5 else None


def week_dates(any_day: date, day_of: DayOf = weekday, days: int = 5) -> dict[int, date]:
    """The timetable days held in the calendar week (Monday–Sunday) of ``any_day``: day
    index → its date. A day with no date (a holiday) is not held that week.

    Raises ``ValueError`` when two dates of the week follow the same timetable day (a
    make-up day, 调休, on a week whose own day is held too).
    """
    monday = any_day - timedelta(days=any_day.weekday())
    out: dict[int, date] = {}
    for k in range(7):
        d = monday + timedelta(days=k)
        n = day_of(d)
        if n is None or not 0 <= n < days:
            continue
        if n in out:
            raise ValueError(f"{out[n]} 和 {d} 都按同一天的课表上课 — {out[n]} and {d} both "
                             f"follow timetable day {n + 1}")
        out[n] = d
    return out


def _overlaps(away: Absence | Away, day: int, start: int, end: int) -> bool:
    """Whether ``away``'s time on its day overlaps ``start``–``end`` of ``day``."""
    return away.day == day and away.start < end and start < away.end


@dataclass(frozen=True, slots=True)
class Absence:
    """Teacher ``teacher`` is away (请假, 培训) on timetable day ``day`` from ``start`` to
    ``end`` (minutes after midnight; a whole day is 0–1440)."""

    teacher: int
    day: int
    start: int
    end: int
    reason: str = ""

    def overlaps(self, day: int, start: int, end: int) -> bool:
        return _overlaps(self, day, start, end)


@dataclass(frozen=True, slots=True)
class Away:
    """Class ``cls`` is out of school (研学, 春游) on timetable day ``day`` from ``start``
    to ``end``: its lessons then are cancelled (停课)."""

    cls: int
    day: int
    start: int
    end: int
    reason: str = ""

    def overlaps(self, day: int, start: int, end: int) -> bool:
        return _overlaps(self, day, start, end)


@dataclass(frozen=True, slots=True)
class ChangedWeek:
    """One dated week of the timetable after its changes.

    ``base`` is the weekly timetable; ``timetable`` the lessons held this week (moved
    lessons where they went, cover lessons with ``cover`` set and their cover teacher);
    ``cancelled`` the base lessons not held because their class is away. ``dates`` maps
    each timetable day held this week to its date (a day without one, a holiday, is not
    held and nothing of it may change).
    """

    base: Timetable
    timetable: Timetable
    cancelled: tuple[Lesson, ...] = ()
    absences: tuple[Absence, ...] = ()
    away: tuple[Away, ...] = ()
    dates: tuple[tuple[int, date], ...] = ()

    def date_of(self, day: int) -> date | None:
        return dict(self.dates).get(day)

    @property
    def monday(self) -> date | None:
        if not self.dates:
            return None
        d = self.dates[0][1]
        return d - timedelta(days=d.weekday())


@dataclass(frozen=True, slots=True)
class Move:
    """A lesson of class ``cls`` and ``subject`` that moved from (``day``, ``period``) to
    (``to_day``, ``to_period``), periods 0-based; ``week`` as on the lesson (单双周).
    ``teacher`` is the lesson's teacher in the new timetable."""

    cls: int
    subject: int
    teacher: int
    day: int
    period: int
    to_day: int
    to_period: int
    week: int | None = None

    def text(self, school: School) -> str:
        """``七年级1班 数学（王芳） 周一第3节 → 周三第2节``."""
        return (f"{school.classes[self.cls].name} {school.subjects[self.subject].name}"
                f"（{school.teachers[self.teacher].name}） {school.days[self.day]}第"
                f"{self.period + 1}节 → {school.days[self.to_day]}第{self.to_period + 1}节")


def lesson_moves(school: School, timetable: Timetable, kept: Timetable,
                 kept_school: School | None = None) -> list[Move]:
    """The lessons of ``kept`` that moved in ``timetable``, each with where it went.

    Lessons are matched as the ``moved_lesson`` rule matches them: by class, subject,
    day, period and week (by names when ``kept_school``, the school ``kept`` was made
    for, is given), the first group of a split lesson or 走班 block standing for it. Per
    class, subject and week the slots left are paired with the slots taken in week
    order; a lesson whose class or subject is gone, or with nowhere to go, is left out.
    """
    old = kept_school or school

    def slots(tt: Timetable, sch: School) -> dict[tuple[str, str, int | None], set[tuple[str, int]]]:
        out: dict[tuple[str, str, int | None], set[tuple[str, int]]] = defaultdict(set)
        for x in tt.lessons:
            if sch.group_rank(x.cls, x.group, x.subject) == 0:
                out[(sch.classes[x.cls].name, sch.subjects[x.subject].name, x.week)].add(
                    (sch.days[x.day], x.period))
        return out

    before, after = slots(kept, old), slots(timetable, school)
    teacher_at = {(x.cls, x.subject, x.day, x.period, x.week): x.teacher
                  for x in timetable.lessons}
    order = {name: d for d, name in enumerate(school.days)}
    moves = []
    for key in sorted(before):
        cname, sname, week = key
        c, s = school.class_index.get(cname), school.subject_index.get(sname)
        if c is None or s is None:
            continue
        left = sorted((order[d], p) for d, p in before[key] - after.get(key, set())
                      if d in order)
        taken = sorted((order[d], p) for d, p in after.get(key, set()) - before[key])
        for (d, p), (d2, p2) in zip(left, taken):
            moves.append(Move(c, s, teacher_at[(c, s, d2, p2, week)], d, p, d2, p2, week))
    return moves


def qualified(school: School, teacher: int, subject: int) -> bool:
    """Whether ``teacher`` may cover (代课) a lesson of ``subject``: it is one of their
    ``subjects``, or they teach it already (a requirement, a group of a split lesson or
    of a 走班 block)."""
    if subject in school.teachers[teacher].subjects:
        return True
    if any(school.requirements[q].subject == subject
           for q in school.requirements_of_teacher[teacher]):
        return True
    groups = [g for k in school.splits for g in k.groups] + \
             [g for b in school.blocks for g in b.groups]
    return any(g.teacher == teacher and g.subject == subject for g in groups)


@dataclass(frozen=True, slots=True)
class Cover:
    """A cover lesson (代课): ``lessons`` (one, or the classes of a 合班) of ``absent`` are
    taught by ``teacher`` instead."""

    lessons: tuple[Lesson, ...]
    absent: int
    teacher: int


@dataclass(frozen=True, slots=True)
class SwapRequest:
    """Two teachers ask to exchange their lessons (互换): ``first``'s lesson at (``day``,
    ``period``) and ``second``'s at (``day2``, ``period2``), periods 0-based, in one class."""

    first: int
    day: int
    period: int
    second: int
    day2: int
    period2: int


@dataclass(frozen=True, slots=True)
class ChangePlan:
    """What :func:`jianfu.solver.school.change.plan_week` proposes for one week.

    ``week`` is the changed week (``None`` when no plan keeps the rules, ``reasons`` then
    says who and why); ``moves`` the lessons moved (调课), ``covers`` the cover lessons
    (代课), ``cancelled`` the lessons of a class away (停课). ``rejected``: the plan found
    failed the checker (a bug of jianfu's, ``reasons`` gives the checker's records);
    ``proven``: without a plan, that none exists is proven (else the search timed out).
    """

    week: ChangedWeek | None
    moves: tuple[Move, ...] = ()
    covers: tuple[Cover, ...] = ()
    reasons: tuple[str, ...] = ()
    rejected: bool = False
    proven: bool = True   # without a plan: proven impossible (not a time-out)

    @property
    def found(self) -> bool:
        return self.week is not None


@dataclass(frozen=True, slots=True)
class WeekRequest:
    """The changes asked for one week: its days held (day → date, ``week_dates``), the
    absences, the classes away and the swaps."""

    dates: dict[int, date]
    absences: tuple[Absence, ...] = ()
    away: tuple[Away, ...] = ()
    swaps: tuple[SwapRequest, ...] = ()
