"""Map solver values back to a :class:`~jianfu.models.timetable.Timetable`.

Group ``g`` is class ``g``, activity ``a`` is requirement ``a`` and a lesson slot is
``(schedule, day, period)``, so lessons map one to one. Concrete venues are chosen
within each pool greedily by start time over the pool's capacity units: the model
keeps every instant within the pool's capacity, so a free unit always exists.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Callable

from ...models.core import Problem
from ...models.timetable import Lesson, Session, Timetable


def chosen(problem: Problem, value: Callable[[object], int], v) -> tuple[
        list[tuple[int, int]], list[tuple[int, int]]]:
    """(activity, slot) pairs of lessons and (group, slot) pairs of sessions set to 1."""
    lessons = [(a, s) for (a, s), var in v.x.items() if value(var)]
    sessions = [(g, s) for (g, s), var in v.session.items() if value(var)]
    return lessons, sessions


def needed_sessions(problem: Problem, lessons: list[tuple[int, int]],
                    sessions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Drop sessions the daily-activity rule does not need (they only load the ground)."""
    rule = problem.constraint("daily_activity")
    target = int(rule.param("minutes", 0)) if rule else 0
    pe_minutes: dict[tuple[int, int], int] = defaultdict(int)
    for a, s in lessons:
        act = problem.activities[a]
        if act.pe:
            pe_minutes[(act.group, problem.slots[s].day)] += problem.slots[s].minutes
    kept = []
    for g, s in sessions:
        d = problem.slots[s].day
        group = problem.groups[g]
        fixed = group.fixed_activity_minutes[d] if group.fixed_activity_minutes else 0
        if fixed + pe_minutes[(g, d)] < target:
            kept.append((g, s))
    return kept


def assign_venues(problem: Problem, uses: list[tuple[int, int, object]]
                  ) -> dict[object, int]:
    """Venue per use ``(pool, slot, key)``: interval partitioning over capacity units."""
    out: dict[object, int] = {}
    by_pool_day: dict[tuple[int, int], list[tuple[int, int, object]]] = defaultdict(list)
    for pool, s, key in uses:
        slot = problem.slots[s]
        by_pool_day[(pool, slot.day)].append((slot.start, slot.end, key))
    for (pool, _), items in by_pool_day.items():
        units = [[venue, -1] for venue, cap in zip(problem.pools[pool].venues,
                                                    problem.pools[pool].capacities)
                 for _ in range(cap)]
        for start, end, key in sorted(items, key=lambda u: (u[0], u[1], str(u[2]))):
            free = next((u for u in units if u[1] <= start), None)
            if free is None:   # cannot happen when the capacity constraint holds
                free = min(units, key=lambda u: u[1])
            free[1] = end
            out[key] = free[0]
    return out


def to_timetable(problem: Problem, lessons: list[tuple[int, int]],
                 sessions: list[tuple[int, int]]) -> Timetable:
    """Lessons and (needed) sessions as a timetable with concrete venues."""
    sessions = needed_sessions(problem, lessons, sessions)
    uses: list[tuple[int, int, object]] = []
    for a, s in lessons:
        pool = problem.activities[a].pool
        if pool is not None:
            uses.append((pool, s, ("lesson", a, s)))
    if problem.session_pool is not None:
        for g, s in sessions:
            uses.append((problem.session_pool, s, ("session", g, s)))
    venue = assign_venues(problem, uses)
    out_lessons = []
    for a, s in lessons:
        act, slot = problem.activities[a], problem.slots[s]
        out_lessons.append(Lesson(act.group, slot.day, slot.period, act.subject, act.teacher,
                                  venue.get(("lesson", a, s))))
    out_sessions = [Session(g, problem.slots[s].day, venue.get(("session", g, s)))
                    for g, s in sessions]
    return Timetable(tuple(out_lessons), tuple(out_sessions))
