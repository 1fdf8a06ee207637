"""Map solver values back to a core :class:`~jianfu.models.core_check.CoreSolution` or,
for a school, to a :class:`~jianfu.models.timetable.Timetable`.

For a school, group ``g`` is class ``g``, activity ``a`` places one requirement (or the
members of a combined lesson, 合班) and a lesson slot is ``(schedule, day, period)``, so
a placement maps to one lesson per group: each class its own subject
(``Activity.group_subjects``), all of them the activity's teacher and venue; a split
lesson (分组, ``Activity.parts``) maps to one lesson of its class per part, each with
the part's subject, teacher and group name, the parts that need a venue in the one venue;
a 走班 block likewise, for every member class; an alternating slot (单双周,
``Activity.alternate``) maps to one lesson per side, each with its week (``Lesson.week``).
Concrete venues
are chosen within each pool greedily by start time over the pool's capacity units,
a placement of several periods keeping one venue throughout: the model keeps every
instant within the pool's capacity, so for unit lessons a free unit always exists.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Callable

from ...models.core import Problem
from ...models.core_check import CoreSolution, covered
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
            for c in covered(problem, a, s):
                for g in act.groups:
                    pe_minutes[(g, problem.slots[c].day)] += problem.slots[c].minutes
    kept = []
    for g, s in sessions:
        d = problem.slots[s].day
        group = problem.groups[g]
        fixed = group.fixed_activity_minutes[d] if group.fixed_activity_minutes else 0
        if fixed + pe_minutes[(g, d)] < target:
            kept.append((g, s))
    return kept


def assign_venues(problem: Problem, uses: list[tuple[int, tuple[int, ...], object]]
                  ) -> dict[object, int]:
    """Venue per use ``(pool, slots, key)``: first fit by start time over capacity units.

    A unit is free for a use when none of its earlier uses overlaps any of the use's
    slots; for uses of one slot each this is interval partitioning, which never needs
    more units than the most uses at one instant.
    """
    out: dict[object, int] = {}
    by_pool_day: dict[tuple[int, int], list[tuple[int, int, tuple[int, ...], object]]] = \
        defaultdict(list)
    for pool, slots, key in uses:
        first = problem.slots[slots[0]]
        by_pool_day[(pool, first.day)].append((first.start, problem.slots[slots[-1]].end,
                                               slots, key))
    for (pool, _), items in by_pool_day.items():
        units: list[tuple[int, list[tuple[int, int]]]] = [
            (venue, []) for venue, cap in zip(problem.pools[pool].venues,
                                              problem.pools[pool].capacities)
            for _ in range(cap)]
        for _, _, slots, key in sorted(items, key=lambda u: (u[0], u[1], str(u[3]))):
            spans = [(problem.slots[s].start, problem.slots[s].end) for s in slots]

            def fits(busy: list[tuple[int, int]]) -> bool:
                return not any(st < e and b < en for st, en in spans for b, e in busy)

            venue, busy = next((u for u in units if fits(u[1])),
                               min(units, key=lambda u: len(u[1])))   # cannot happen
            busy.extend(spans)
            out[key] = venue
    return out


def to_solution(problem: Problem, starts: list[tuple[int, int]],
                sessions: list[tuple[int, int]]) -> CoreSolution:
    """Placements and (needed) sessions as a core solution with concrete venues."""
    sessions = needed_sessions(problem, starts, sessions)
    uses: list[tuple[int, tuple[int, ...], object]] = []
    for a, s in starts:
        act = problem.activities[a]
        for pool in act.pools:
            uses.append((pool, covered(problem, a, s), act.venue_key(a, s, pool)))
    if problem.session_pool is not None:
        for g, s in sessions:
            uses.append((problem.session_pool, (s,), ("session", g, s)))
    return CoreSolution(tuple(sorted(starts)), tuple(sorted(sessions)),
                        assign_venues(problem, uses))


def to_timetable(problem: Problem, lessons: list[tuple[int, int]],
                 sessions: list[tuple[int, int]]) -> Timetable:
    """A school's lessons and (needed) sessions as a timetable with concrete venues."""
    solution = to_solution(problem, lessons, sessions)
    out_lessons = []
    for a, s in solution.starts:
        act, slot = problem.activities[a], problem.slots[s]
        venue = solution.venues.get(("lesson", a, s))
        if act.parts:   # 分组, 走班: per class, one lesson per group with its subject, teacher, venue
            for g in act.groups:
                for label, subject, teacher, pool in act.parts:
                    out_lessons.append(Lesson(
                        g, slot.day, slot.period, subject, teacher,
                        None if pool is None else solution.venues.get(act.venue_key(a, s, pool)),
                        label))
            continue
        if act.alternate:   # 单双周: one lesson per side, held in its week
            for week, subject, teacher, uses in act.alternate:
                out_lessons.append(Lesson(act.group, slot.day, slot.period, subject, teacher,
                                          venue if uses else None, week=week))
            continue
        subjects = act.group_subjects or (act.subject,) * len(act.groups)
        for g, subject in zip(act.groups, subjects):
            out_lessons.append(Lesson(g, slot.day, slot.period, subject, act.teacher,
                                      solution.venues.get(("lesson", a, s))))
    out_sessions = [Session(g, problem.slots[s].day, solution.venues.get(("session", g, s)))
                    for g, s in solution.sessions]
    return Timetable(tuple(out_lessons), tuple(out_sessions))
