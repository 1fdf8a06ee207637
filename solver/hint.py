"""A greedy start: place lessons one by one where no clash arises, hint CP-SAT with it.

Tightest activities first (fewest spare slots, doubles first); each lesson goes to the
first slot, on the day the activity has the fewest lessons, that keeps its group,
teacher (by clock time) and venue pool free. Lessons it cannot place are left to the
solver; the hint only guides the search.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from ..models.core import Problem
from .variables import Variables


def greedy(problem: Problem, first: list[tuple[int, int]] | None = None) -> set[tuple[int, int]]:
    """(activity, slot) pairs of a clash-free partial timetable."""
    slots = problem.slots
    group_busy: set[tuple[int, int]] = set()
    teacher_busy: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    pool_busy: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    per_day: dict[tuple[int, int], int] = defaultdict(int)
    placed: set[tuple[int, int]] = set()
    count: dict[int, int] = defaultdict(int)
    per_teacher_day: dict[tuple[int, int], int] = defaultdict(int)

    def free(a: int, s: int) -> bool:
        act, slot = problem.activities[a], slots[s]
        if (act.group, s) in group_busy:
            return False
        t = problem.teachers[act.teacher]
        if t.max_per_day is not None and per_teacher_day[(act.teacher, slot.day)] >= t.max_per_day:
            return False
        if any(st < slot.end and slot.start < en for st, en in teacher_busy[(act.teacher, slot.day)]):
            return False
        if act.pool is not None:
            used = sum(1 for st, en in pool_busy[(act.pool, slot.day)]
                       if st < slot.end and slot.start < en)
            if used >= problem.pools[act.pool].capacity:
                return False
        return True

    def put(a: int, s: int) -> None:
        act, slot = problem.activities[a], slots[s]
        group_busy.add((act.group, s))
        teacher_busy[(act.teacher, slot.day)].append((slot.start, slot.end))
        per_teacher_day[(act.teacher, slot.day)] += 1
        if act.pool is not None:
            pool_busy[(act.pool, slot.day)].append((slot.start, slot.end))
        per_day[(a, slot.day)] += 1
        count[a] += 1
        placed.add((a, s))

    for a, s in first or ():
        if count[a] < problem.activities[a].count and s in problem.activities[a].slots and free(a, s):
            put(a, s)
    order = sorted(range(len(problem.activities)),
                   key=lambda a: (-problem.activities[a].doubles,
                                  len(problem.activities[a].slots) - problem.activities[a].count))
    for a in order:
        act = problem.activities[a]
        allowed = set(act.slots)
        for _ in range(act.doubles):
            pairs = [(s, problem.next_slot[s]) for s in act.slots
                     if problem.next_slot[s] in allowed]
            pairs.sort(key=lambda p: (per_day[(a, slots[p[0]].day)], slots[p[0]].afternoon, p[0]))
            for s, n in pairs:
                if count[a] + 2 <= act.count and free(a, s) and free(a, n):
                    put(a, s)
                    put(a, n)
                    break
        while count[a] < act.count:
            cands = sorted(act.slots, key=lambda s: (
                per_day[(a, slots[s].day)], act.main and slots[s].afternoon,
                act.pe and (slots[s].period == 0 or slots[s].after_lunch), s))
            s = next((s for s in cands if (a, s) not in placed and free(a, s)), None)
            if s is None:
                break
            put(a, s)
    return placed


def add_hint(model: cp_model.CpModel, problem: Problem, v: Variables,
             kept: list | None = None) -> int:
    """Hint every lesson variable from :func:`greedy`; return the number placed."""
    first = [(a, s) for _, a, s in kept or () if a is not None and s is not None]
    placed = greedy(problem, first)
    for key, var in v.x.items():
        model.AddHint(var, key in placed)
    return len(placed)
