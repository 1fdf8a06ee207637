"""Independent checker of a placement of a core :class:`~jianfu.models.core.Problem`.

The specification the school engine meets on any core problem, whatever the shape of
its activities: several groups (a combined lesson), several teachers, placements of
several periods, activities tied to start together. A :class:`CoreSolution` says
where each placement starts, which after-class sessions are held and which venue
each placement and session uses. :func:`check_core` returns one
:class:`~jianfu.models.violation.Violation` per broken hard rule instance, and
:func:`core_terms` the soft rules' penalty units, in the units the school engine
minimises.

The rules, read on the core (docs/rules.md, "The core"):

* ``start_domain``: a placement starts in one of its activity's allowed starts and
  its ``duration`` periods fit in the day (:meth:`Problem.span`).
* ``coverage``: every activity has exactly ``count`` placements.
* ``fixed_slot``: every fixed start of an activity (``Activity.fixed``) holds one of
  its placements.
* ``same_start``: activities of a ``same_start`` record start at the same slots.
* ``level_progress``: activities of a ``level_progress`` record (教案齐头) have lesson
  periods on the same days.
* ``class_clash`` / ``teacher_clash``: a group / teacher is in at most one lesson at
  any instant (slots overlap by clock time); a placement occupies every group and
  teacher of its activity for each period it covers; placements of an activity
  without groups never overlap each other.
* ``venue_capacity``: lessons needing a pool plus sessions on the session pool are
  at most the pool's capacity at any instant; every use has a venue of its pool and a
  venue holds at most its own capacity at any instant.
* ``teacher_daily_max``: a teacher's lesson periods per day are at most its maximum.
* ``double_period``: an activity with doubles has at least that many disjoint pairs
  of its lessons in joined periods (the left-to-right scan of each run).
* ``daily_activity``: on each school day of a group, long-break minutes + minutes of
  its PE lesson periods + the session's minutes reach the record's ``minutes``.
* ``daily_pe``: (when the record exists) a PE lesson period on each school day.
* ``session_slot``: sessions only in a group's activity slots, at most one a day.
* ``study_cap``: lesson minutes + self-study minutes per group and day ≤ its cap.

Soft units (:func:`core_terms`): ``main_morning`` main-subject lesson periods in the
afternoon; ``pe_placement`` PE lesson periods in period 1 or right after lunch;
``subject_once_daily`` placements of an activity on a day beyond
``max(1, ⌈count / school days⌉)`` (+1 with doubles); ``spread`` pairs of adjacent days
that both hold an activity with 2 ≤ count − doubles < school days; ``parallel_step``
per (cohort, subject) and day, ``min(k, n − k)`` of the cohort's n single-group
activities, k of them placed that day; ``teacher_gaps`` free period indices between a
teacher's first and last lesson of a day; ``teacher_consecutive`` windows of
``max + 1`` consecutive taught period indices with no lunch inside; ``head_teacher_first``
per pair (``groups[i]``, ``teachers[i]``) of its record and day, 1 when no lesson period of
an activity with that group and teacher is the group's first slot of the day
(:meth:`Problem.first_slots`); ``teacher_wish`` per wish ``(teacher, weight, slots)`` of
its record's ``wishes``, weight × the teacher's lesson periods in those slots. An activity's
school days are the days all its groups are at school. This module imports no solver.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from .core import Problem, SlotKind
from .violation import Violation


@dataclass(frozen=True, slots=True)
class CoreSolution:
    """Placements ``(activity, start slot)``, sessions ``(group, activity slot)`` and venues.

    ``venues`` maps ``("lesson", activity, start)`` (with the pool appended for an
    activity's :attr:`~jianfu.models.core.Activity.extra_pools`) and
    ``("session", group, slot)`` to a venue index; uses without a pool have none.
    """

    starts: tuple[tuple[int, int], ...]
    sessions: tuple[tuple[int, int], ...] = ()
    venues: Mapping[tuple[str, int, int], int] = field(default_factory=dict)


def _hard(rule: str, message: str, amount: float = 1) -> Violation:
    return Violation(rule, True, message, amount)


def _soft(rule: str, message: str, amount: float, weight: float) -> Violation:
    return Violation(rule, False, message, amount, weight)


def covered(problem: Problem, a: int, start: int) -> tuple[int, ...]:
    """The slots a placement of activity ``a`` starting in ``start`` occupies."""
    return problem.span(start, problem.activities[a].duration) or (start,)


def _overlaps(problem: Problem, uses: Iterable[tuple[int, object]]) -> list[tuple[object, ...]]:
    """Sets of uses ``(slot, key)`` that share an instant, each as large as it gets."""
    by_day: dict[int, list[tuple[int, object]]] = defaultdict(list)
    for s, key in uses:
        by_day[problem.slots[s].day].append((s, key))
    out = []
    for items in by_day.values():
        for t in sorted({problem.slots[s].start for s, _ in items}):
            here = tuple(key for s, key in items
                         if problem.slots[s].start <= t < problem.slots[s].end)
            if len(here) > 1:
                out.append(here)
    return out


def check_core(problem: Problem, solution: CoreSolution) -> list[Violation]:
    """Every broken hard rule instance of ``solution`` (empty when it is compliant)."""
    out: list[Violation] = []
    acts = problem.activities
    placements: dict[int, list[int]] = defaultdict(list)
    for a, s in solution.starts:
        if not 0 <= a < len(acts) or not 0 <= s < len(problem.slots):
            out.append(_hard("start_domain", f"placement ({a}, {s}) refers to nothing"))
            continue
        placements[a].append(s)
        if s not in acts[a].slots or problem.span(s, acts[a].duration) is None:
            out.append(_hard("start_domain", f"{acts[a].name} 不能从时段 {s} 开始 cannot "
                                             f"start in slot {s}"))
    for a, act in enumerate(acts):
        n = len(placements.get(a, ()))
        if n != act.count:
            out.append(_hard("coverage", f"{act.name} 每周 {n} 次，应为 {act.count} — placed "
                                         f"{n} times, needs {act.count}", abs(n - act.count)))
        for s in act.fixed:
            if s not in placements.get(a, ()):
                out.append(_hard("fixed_slot", f"{act.name} 固定从时段 {s} 开始，但没有 — has no "
                                               f"placement at its fixed start {s}"))
    for k, rule in enumerate(problem.records("same_start")):
        first = sorted(placements.get(rule.activities[0], ()))
        for b in rule.activities[1:]:
            if sorted(placements.get(b, ())) != first:
                out.append(_hard("same_start", f"{acts[b].name} 未与 {acts[rule.activities[0]].name} "
                                               f"同时开始 does not start with it (record {k})"))
    for k, rule in enumerate(problem.records("level_progress")):
        first = {problem.slots[c].day for s in placements.get(rule.activities[0], ())
                 for c in covered(problem, rule.activities[0], s)}
        for b in rule.activities[1:]:
            days = {problem.slots[c].day for s in placements.get(b, ()) for c in covered(problem, b, s)}
            if days != first:
                out.append(_hard("level_progress", f"{acts[b].name} 与 {acts[rule.activities[0]].name} "
                                                   f"上课日不同 not on the same days (record {k})"))
    lessons = [(a, s, c) for a, starts in placements.items() for s in starts
               for c in covered(problem, a, s)]
    out.extend(_clashes(problem, lessons))
    out.extend(_venues(problem, solution, placements))
    out.extend(_teacher_daily_max(problem, lessons))
    out.extend(_doubles(problem, placements))
    out.extend(_activity(problem, solution, lessons))
    out.extend(_study_cap(problem, lessons))
    return out


def _clashes(problem: Problem, lessons: list[tuple[int, int, int]]) -> list[Violation]:
    out = []
    acts = problem.activities
    for family, of, names in (("class_clash", lambda act: act.groups, problem.groups),
                              ("teacher_clash", lambda act: act.teachers, problem.teachers)):
        uses: dict[int, list[tuple[int, object]]] = defaultdict(list)
        for a, s, c in lessons:
            for r in of(acts[a]):
                uses[r].append((c, (a, s)))
        for r, items in uses.items():
            for clash in _overlaps(problem, items):
                out.append(_hard(family, f"{names[r].name} 同时有 {len(clash)} 节课 has "
                                         f"{len(clash)} lessons at once", len(clash) - 1))
    alone: dict[int, list[tuple[int, object]]] = defaultdict(list)
    for a, s, c in lessons:
        if not acts[a].groups:
            alone[a].append((c, (a, s)))
    for a, items in alone.items():
        for clash in _overlaps(problem, items):
            out.append(_hard("class_clash", f"{acts[a].name} 的两次课重叠 placements overlap",
                             len(clash) - 1))
    return out


def _venues(problem: Problem, solution: CoreSolution, placements: Mapping[int, list[int]]
            ) -> list[Violation]:
    out = []
    acts = problem.activities
    per_pool: dict[int, list[tuple[int, object]]] = defaultdict(list)
    per_venue: dict[int, list[tuple[int, object]]] = defaultdict(list)
    for a, starts in placements.items():
        for pool in acts[a].pools:   # one venue of each pool the activity needs
            for s in starts:
                key = acts[a].venue_key(a, s, pool)
                venue = solution.venues.get(key)
                if venue not in problem.pools[pool].venues:
                    out.append(_hard("venue_capacity", f"{acts[a].name} 没有合适的场地 has no "
                                                       f"venue of its kind ({venue})"))
                for c in covered(problem, a, s):
                    per_pool[pool].append((c, key))
                    if venue is not None:
                        per_venue[venue].append((c, key))
    if problem.session_pool is not None:
        for g, s in solution.sessions:
            venue = solution.venues.get(("session", g, s))
            if venue not in problem.pools[problem.session_pool].venues:
                out.append(_hard("venue_capacity", f"{problem.groups[g].name} 的课外活动没有场地 "
                                                   f"session has no venue ({venue})"))
            per_pool[problem.session_pool].append((s, ("session", g, s)))
            if venue is not None:
                per_venue[venue].append((s, ("session", g, s)))
    for p, items in per_pool.items():
        cap = problem.pools[p].capacity
        for clash in _overlaps(problem, items):
            if len(clash) > cap:
                out.append(_hard("venue_capacity", f"{problem.pools[p].kind} 同时 {len(clash)} "
                                                   f"个班使用，容量 {cap} — {len(clash)} uses, "
                                                   f"capacity {cap}", len(clash) - cap))
    capacity = {v: c for pool in problem.pools for v, c in zip(pool.venues, pool.capacities)}
    for venue, items in per_venue.items():
        for clash in _overlaps(problem, items):
            if len(clash) > capacity.get(venue, 0):
                out.append(_hard("venue_capacity", f"场地 {venue} 同时 {len(clash)} 个班使用 "
                                                   f"venue {venue} holds {len(clash)} uses",
                                 len(clash) - capacity.get(venue, 0)))
    return out


def _teacher_daily_max(problem: Problem, lessons: list[tuple[int, int, int]]) -> list[Violation]:
    per: dict[tuple[int, int], int] = defaultdict(int)
    for a, _, c in lessons:
        for t in problem.activities[a].teachers:
            per[(t, problem.slots[c].day)] += 1
    out = []
    for (t, d), n in sorted(per.items()):
        most = problem.teachers[t].max_per_day
        if most is not None and n > most:
            out.append(_hard("teacher_daily_max", f"{problem.teachers[t].name} {problem.days[d]} "
                                                  f"{n} 节，超过 {most} — {n} periods, max {most}",
                             n - most))
    return out


def _doubles(problem: Problem, placements: Mapping[int, list[int]]) -> list[Violation]:
    out = []
    for a, act in enumerate(problem.activities):
        if not act.doubles:
            continue
        mine = set(placements.get(a, ()))
        pairs, used = 0, set()
        for s in sorted(mine, key=lambda x: (problem.slots[x].day, problem.slots[x].start)):
            nxt = problem.next_slot[s]
            if s not in used and nxt in mine and nxt not in used:
                used.update((s, nxt))
                pairs += 1
        if pairs < act.doubles:
            out.append(_hard("double_period", f"{act.name} 连堂 {pairs} 次，应至少 {act.doubles} "
                                              f"— {pairs} double periods, needs {act.doubles}",
                             act.doubles - pairs))
    return out


def _activity(problem: Problem, solution: CoreSolution, lessons: list[tuple[int, int, int]]
              ) -> list[Violation]:
    out = []
    pe_minutes: dict[tuple[int, int], int] = defaultdict(int)
    pe_days: set[tuple[int, int]] = set()
    for a, _, c in lessons:
        if problem.activities[a].pe:
            for g in problem.activities[a].groups:
                pe_minutes[(g, problem.slots[c].day)] += problem.slots[c].minutes
                pe_days.add((g, problem.slots[c].day))
    session_minutes: dict[tuple[int, int], int] = defaultdict(int)
    per_day: dict[tuple[int, int], int] = defaultdict(int)
    for g, s in solution.sessions:
        slot = problem.slots[s]
        if s not in problem.groups[g].activity_slots or slot.kind is not SlotKind.ACTIVITY:
            out.append(_hard("session_slot", f"{problem.groups[g].name} 的课外活动不在活动时段 "
                                             f"session outside an activity slot ({s})"))
        per_day[(g, slot.day)] += 1
        session_minutes[(g, slot.day)] += slot.minutes
    for (g, d), n in sorted(per_day.items()):
        if n > 1:
            out.append(_hard("session_slot", f"{problem.groups[g].name} {problem.days[d]} 有 {n} "
                                             f"次课外活动 — {n} sessions in one day", n - 1))
    rule = problem.constraint("daily_activity")
    target = int(rule.param("minutes", 0)) if rule is not None else 0
    daily_pe = problem.constraint("daily_pe") is not None
    for g, group in enumerate(problem.groups):
        for d in group.school_days:
            fixed = group.fixed_activity_minutes[d] if group.fixed_activity_minutes else 0
            got = fixed + pe_minutes[(g, d)] + session_minutes[(g, d)]
            if rule is not None and got < target:
                out.append(_hard("daily_activity", f"{group.name} {problem.days[d]} 体育活动 "
                                                   f"{got} 分钟，不足 {target} — {got} of "
                                                   f"{target} minutes", target - got))
            if daily_pe and (g, d) not in pe_days:
                out.append(_hard("daily_pe", f"{group.name} {problem.days[d]} 没有体育课 "
                                             f"— no PE lesson"))
    return out


def _study_cap(problem: Problem, lessons: list[tuple[int, int, int]]) -> list[Violation]:
    if problem.constraint("study_cap") is None:
        return []
    minutes: dict[tuple[int, int], int] = defaultdict(int)
    for a, _, c in lessons:
        for g in problem.activities[a].groups:
            minutes[(g, problem.slots[c].day)] += problem.slots[c].minutes
    out = []
    for g, group in enumerate(problem.groups):
        if group.study_cap is None:
            continue
        for d in range(len(problem.days)):
            fixed = group.fixed_study_minutes[d] if group.fixed_study_minutes else 0
            total = minutes[(g, d)] + fixed
            if total > group.study_cap:
                out.append(_hard("study_cap", f"{group.name} {problem.days[d]} 在校学习 {total} "
                                              f"分钟，超过 {group.study_cap} — {total} minutes, "
                                              f"cap {group.study_cap}", total - group.study_cap))
    return out


@dataclass(frozen=True, slots=True)
class CoreScore:
    """The checker's answer for a core placement: hard records and soft units."""

    hard: int
    terms: dict[str, int]

    @property
    def compliant(self) -> bool:
        return self.hard == 0


def score_core(problem: Problem, solution: CoreSolution) -> CoreScore:
    return CoreScore(len(check_core(problem, solution)), core_terms(problem, solution))


# --- soft rules ----------------------------------------------------------------------

def core_terms(problem: Problem, solution: CoreSolution) -> dict[str, int]:
    """Penalty units of every soft rule the problem has (weight > 0), by rule id."""
    units = {}
    for v in core_soft(problem, solution):
        units[v.rule] = units.get(v.rule, 0) + int(v.amount)
    return {rule.family: units.get(rule.family, 0) for rule in problem.constraints
            if not rule.hard and rule.weight and rule.family in _SOFT}


def core_soft(problem: Problem, solution: CoreSolution) -> list[Violation]:
    """One soft violation per penalised instance, with its units and weight."""
    placements: dict[int, list[int]] = defaultdict(list)
    for a, s in solution.starts:
        placements[a].append(s)
    lessons = [(a, c) for a, starts in placements.items() for s in starts
               for c in covered(problem, a, s)]
    out: list[Violation] = []
    for rule in problem.constraints:
        if rule.hard or not rule.weight or rule.family not in _SOFT:
            continue
        for message, amount in _SOFT[rule.family](problem, placements, lessons, rule):
            if amount:
                out.append(_soft(rule.family, message, amount, rule.weight))
    return out


def _main_morning(problem, placements, lessons, rule):
    for a, c in lessons:
        if problem.activities[a].main and problem.slots[c].afternoon:
            yield f"{problem.activities[a].name} 主科在下午 main subject in the afternoon", 1


def _pe_placement(problem, placements, lessons, rule):
    for a, c in lessons:
        slot = problem.slots[c]
        if problem.activities[a].pe and (slot.period == 0 or slot.after_lunch):
            yield f"{problem.activities[a].name} 体育课在第1节或午饭后 PE first or after lunch", 1


def _per_day(problem: Problem, starts: Iterable[int]) -> dict[int, int]:
    out: dict[int, int] = defaultdict(int)
    for s in starts:
        out[problem.slots[s].day] += 1
    return out


def _subject_once_daily(problem, placements, lessons, rule):
    for a, act in enumerate(problem.activities):
        days = max(1, len(problem.school_days_of(a)))
        most = max(1, math.ceil(act.count / days)) + (1 if act.doubles else 0)
        for d, n in _per_day(problem, placements.get(a, ())).items():
            if n > most:
                yield f"{act.name} {problem.days[d]} {n} 次 — {n} on one day", n - most


def _spread(problem, placements, lessons, rule):
    for a, act in enumerate(problem.activities):
        if not 2 <= act.count - act.doubles < len(problem.school_days_of(a)):
            continue
        on = _per_day(problem, placements.get(a, ()))
        for d in range(len(problem.days) - 1):
            if on.get(d) and on.get(d + 1):
                yield f"{act.name} 连续两天 on two adjacent days ({problem.days[d]})", 1


def _parallel_step(problem, placements, lessons, rule):
    cohorts: dict[tuple[str, int], list[int]] = defaultdict(list)
    for a, act in enumerate(problem.activities):
        if len(act.groups) == 1 and problem.groups[act.groups[0]].cohort:
            cohorts[(problem.groups[act.groups[0]].cohort, act.subject)].append(a)
    for (cohort, subject), members in cohorts.items():
        n = len(members)
        if n < 2:
            continue
        for d in range(len(problem.days)):
            k = sum(1 for a in members if _per_day(problem, placements.get(a, ())).get(d))
            yield f"{cohort} 科目 {subject} {problem.days[d]} 平行班不同步 out of step", min(k, n - k)


def _teacher_days(problem: Problem, lessons) -> dict[tuple[int, int], dict[int, bool]]:
    """(teacher, day) → period index → is the lesson there in an afternoon slot."""
    out: dict[tuple[int, int], dict[int, bool]] = defaultdict(dict)
    for a, c in lessons:
        slot = problem.slots[c]
        for t in problem.activities[a].teachers:
            out[(t, slot.day)][slot.period] = slot.afternoon
    return out


def _teacher_gaps(problem, placements, lessons, rule):
    for (t, d), periods in _teacher_days(problem, lessons).items():
        gaps = sum(1 for p in range(min(periods), max(periods) + 1) if p not in periods)
        yield f"{problem.teachers[t].name} {problem.days[d]} 空 {gaps} 节 — {gaps} gaps", gaps


def _teacher_consecutive(problem, placements, lessons, rule):
    limit = int(rule.param("max", 3))
    for (t, d), periods in _teacher_days(problem, lessons).items():
        runs = 0
        for p in periods:
            window = range(p, p + limit + 1)
            if all(q in periods for q in window) and not any(
                    periods[j + 1] and not periods[j] for j in window[:-1]):
                runs += 1
        yield f"{problem.teachers[t].name} {problem.days[d]} 连上超过 {limit} 节 — long runs", runs


def _head_teacher_first(problem, placements, lessons, rule):
    covered = {(g, t, c) for a, c in lessons for g in problem.activities[a].groups
               for t in problem.activities[a].teachers}
    for g, t in zip(rule.groups, rule.teachers):
        for d, first in problem.first_slots(g).items():
            if (g, t, first) not in covered:
                yield (f"{problem.groups[g].name} {problem.days[d]} 第一节不是班主任 "
                       f"{problem.teachers[t].name} 的课 — first period not the head teacher's"), 1


def _teacher_wish(problem, placements, lessons, rule):
    for t, weight, slots in rule.param("wishes", ()):
        bad = set(slots)
        n = sum(1 for a, c in lessons if c in bad and t in problem.activities[a].teachers)
        yield f"{problem.teachers[t].name} 的意愿未满足 wish not met: {n} lesson period(s)", n * weight


_SOFT = {
    "main_morning": _main_morning,
    "pe_placement": _pe_placement,
    "subject_once_daily": _subject_once_daily,
    "spread": _spread,
    "parallel_step": _parallel_step,
    "teacher_gaps": _teacher_gaps,
    "teacher_consecutive": _teacher_consecutive,
    "head_teacher_first": _head_teacher_first,
    "teacher_wish": _teacher_wish,
}
