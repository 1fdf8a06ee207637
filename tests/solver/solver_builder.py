"""A small builder of mini schools for the engine tests (names in, indices out).

The default day (40-minute periods)::

    P1 08:30  P2 09:20  大课间 10:00–10:30  P3 10:30  P4 11:20  lunch 12:00–14:00
    P5 14:00  P6 14:50  课外活动 15:40–16:40
"""

from __future__ import annotations

import dataclasses
from typing import Sequence

from jianfu.models.checker import check, summarize
from jianfu.models.policy import NATIONAL, Policy, parse_clock
from jianfu.models.school import (
    BellSchedule, Category, DaySchedule, Requirement, School, SchoolClass, Segment, SegmentKind,
    Subject, Teacher, Venue,
)

K = SegmentKind
DAYS = ("周一", "周二", "周三", "周四", "周五")
SUBJECTS = (
    Subject("语文", "Chinese", Category.MAIN),
    Subject("数学", "Mathematics", Category.MAIN),
    Subject("体育", "PE", Category.PE, venue_kind="ground"),
    Subject("音乐", "Music", Category.ARTS, venue_kind="music"),
    Subject("美术", "Art", Category.ARTS),
    Subject("科学", "Science", Category.SCIENCE),
)


def day(periods: int = 6, *, start: str = "08:30", length: int = 40, gap: int = 10,
        long_after: int | None = 2, lunch_after: int | None = 4,
        activity: int | None = 60) -> DaySchedule:
    segs: list[Segment] = []
    t = parse_clock(start)
    for p in range(1, periods + 1):
        segs.append(Segment(K.LESSON, t, t + length))
        t += length
        if p == periods:
            break
        if p == long_after:
            segs.append(Segment(K.LONG_BREAK, t, t + 30))
            t += 30
        elif p == lunch_after:
            segs.append(Segment(K.LUNCH, t, t + 120))
            t += 120
        else:
            segs.append(Segment(K.BREAK, t, t + gap))
            t += gap
    if activity:
        segs.append(Segment(K.ACTIVITY, t + 10, t + 10 + activity))
    return DaySchedule(tuple(segs))


def schedule(name: str = "作息", days: int = 2, **kw) -> BellSchedule:
    return BellSchedule(name, tuple(day(**kw) for _ in range(days)))


def school(classes: Sequence[tuple], requirements: Sequence[tuple], *, days: int = 2,
           schedules: Sequence[BellSchedule] | None = None, teachers: Sequence[Teacher] = (),
           venues: Sequence[Venue] = (Venue("操场", "ground", 2), Venue("音乐教室", "music")),
           **day_kw) -> School:
    """``classes``: ``(name, grade[, schedule[, periods_per_day]])``;
    ``requirements``: ``(class, subject, teacher, periods[, doubles])``."""
    scheds = tuple(schedules) if schedules else (schedule(days=days, **day_kw),)
    given = {t.name: t for t in teachers}
    for r in requirements:
        given.setdefault(r[2], Teacher(r[2]))
    tlist = tuple(given.values())
    cls = tuple(SchoolClass(c[0], c[1], c[2] if len(c) > 2 else 0,
                            tuple(c[3]) if len(c) > 3 else None) for c in classes)
    ci = {c.name: i for i, c in enumerate(cls)}
    si = {s.name: i for i, s in enumerate(SUBJECTS)}
    ti = {t.name: i for i, t in enumerate(tlist)}
    reqs = tuple(Requirement(ci[r[0]], si[r[1]], ti[r[2]], r[3], r[4] if len(r) > 4 else 0)
                 for r in requirements)
    return School("测试学校", DAYS[:days], scheds, SUBJECTS, cls, tlist, tuple(venues), reqs)


def fit(s: School, *, weights: dict | None = None, zero: bool = False, **changes) -> Policy:
    """A policy whose weekly totals and PE minimum match the school; activity 30 min.

    ``zero=True`` sets every soft weight to 0 except those in ``weights``.
    """
    weekly, pe = list(NATIONAL.weekly_periods), list(NATIONAL.pe_per_week)
    for g in s.grades:
        c = s.classes_of_grade(g)[0]
        reqs = [s.requirements[r] for r in s.requirements_of_class[c]]
        weekly[g - 1] = sum(r.periods for r in reqs)
        pe[g - 1] = sum(r.periods for r in reqs if s.subjects[r.subject].is_pe)
    w = NATIONAL.weights
    if zero:
        w = dataclasses.replace(w, **{k: 0 for k in ("main_morning", "subject_once_daily",
                                                     "pe_placement", "teacher_gaps",
                                                     "teacher_consecutive", "parallel_step",
                                                     "spread")})
    if weights:
        w = dataclasses.replace(w, **weights)
    values = dict(weekly_periods=tuple(weekly), pe_per_week=tuple(pe),
                  daily_activity_minutes=30, weights=w)
    values.update(changes)
    return dataclasses.replace(NATIONAL, **values)


def verified(s: School, p: Policy, result, kept=None):
    """Assert the checker finds no hard violation and agrees with every solver term."""
    assert result.timetable is not None, result.explanation
    violations = check(s, p, result.timetable, kept=kept)
    summary = summarize(violations, p)
    hard = [v.message for v in violations if v.hard]
    assert not hard, hard
    for rule, units in result.terms.items():
        assert summary.terms[rule].units == units, (rule, units, summary.terms[rule])
    assert abs(summary.objective - result.objective) < 1e-6, (summary.objective, result.objective)
    assert result.bound <= result.objective + 1e-9, (result.bound, result.objective)
    return summary
