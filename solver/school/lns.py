"""Large-neighbourhood search on top of CP-SAT: re-solve part of a timetable, keep the rest.

A school's soft terms (teacher gaps, runs, parallel classes in step, spread) are
coupled across classes through their teachers, so CP-SAT's own neighbourhoods, which
know nothing of classes and teachers, improve a large school slowly. :func:`improve`
takes the best timetable CP-SAT has found and repeats: pick a neighbourhood that
follows the school's structure (:data:`NEIGHBOURHOODS`), starting it more often at
the teachers, grades and classes where the timetable pays most (:class:`Costs`),
fix every other lesson where it is, and let CP-SAT re-solve the rest for a round
(:data:`ROUND_S`) from the current timetable (a complete hint). A better timetable
becomes the new incumbent.

Fixing is done on the model itself: the start literals outside the neighbourhood get
the domain of their current value (:class:`_Fixings` writes only the domains that
change from one round to the next), and every domain is restored when LNS ends, so
no copy of a large model is made. The neighbourhood grows while CP-SAT solves its
rounds to optimality and shrinks when it runs out of time (adaptive LNS). Every
solution of a round is a solution of the whole model (the fixings only narrow it),
so the result keeps every hard rule; the search's lower bound is not changed by
LNS and stays the one CP-SAT proved on the whole model.
"""

from __future__ import annotations

import logging
import math
import random
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model
from ortools.sat.python import cp_model_helper as cmh

from ...models.core import Problem
from ..interrupt import solve_cp
from .variables import Variables

logger = logging.getLogger(__name__)

#: Share of the activities a neighbourhood frees at first, and its bounds.
START_SHARE, MIN_SHARE, MAX_SHARE = 0.12, 0.04, 0.5
#: Seconds per round: CP-SAT re-solves a neighbourhood for at most this long. Rounds
#: almost never prove their neighbourhood optimal, and a round's presolve of the whole
#: (mostly fixed) model took 0.4-0.7 s of 2 s, so rounds are short and presolve light
#: (nine-year x4 at 60 s, seeds 1, 2, 3, 7: median 1021.5 with 2 s rounds, 973.5 with
#: 1 s, 962.5 with 1 s and the light presolve; benchmarks/RESULTS.md).
ROUND_S = 1.0
ROUND_PARAMS = {"cp_model_probing_level": 0, "max_presolve_iterations": 1,
                "symmetry_level": 0}


@dataclass
class Incumbent:
    """The best timetable so far: every model variable's value (as a solver
    response) and the (scaled) objective CP-SAT reported for it."""

    response: cmh.CpSolverResponse
    objective: int

    @classmethod
    def of(cls, solver: cp_model.CpSolver) -> Incumbent:
        return cls(solver.ResponseProto(), round(solver.ObjectiveValue()))

    @classmethod
    def of_values(cls, values: list[int], objective: int) -> Incumbent:
        response = cmh.CpSolverResponse()
        response.solution.extend(values)
        return cls(response, objective)

    @property
    def values(self) -> list[int]:
        return list(self.response.solution)

    # named as CpSolver's, so the timetable is read from either in the same way
    def Value(self, expr: cp_model.LinearExprT) -> int:  # noqa: N802
        """The value of a variable or linear expression in this timetable."""
        return cmh.ResponseHelper.value(self.response, expr)

    def BooleanValue(self, lit: cp_model.IntVar) -> bool:  # noqa: N802
        return cmh.ResponseHelper.boolean_value(self.response, lit)


def _structure(problem: Problem) -> tuple[dict[str, list[int]], dict[int, list[int]],
                                           dict[int, list[int]]]:
    """Activities by cohort, by group and by teacher."""
    by_cohort: dict[str, list[int]] = defaultdict(list)
    by_group: dict[int, list[int]] = defaultdict(list)
    by_teacher: dict[int, list[int]] = defaultdict(list)
    for a, act in enumerate(problem.activities):
        for g in act.groups:
            by_group[g].append(a)
            by_cohort[problem.groups[g].cohort or problem.groups[g].name].append(a)
        for t in act.teachers:
            by_teacher[t].append(a)
    return by_cohort, by_group, by_teacher


@dataclass
class Costs:
    """What the incumbent pays per teacher (gaps, over-long runs), per cohort
    (``parallel_step``) and per class (spread, once-daily, main subjects and PE
    placement): each rule's weight × its units, counted from the lessons as the terms
    count them. Neighbourhoods start more often where it is high (:func:`_weighted`);
    rules with no such owner (teacher wishes, head teacher first) are not counted."""

    teacher: dict[int, float]
    cohort: dict[str, float]
    group: dict[int, float]

    @classmethod
    def of(cls, problem: Problem, v: Variables, values: list[int]) -> Costs:
        w = {family: _weight(problem, family) for family in (
            "teacher_gaps", "teacher_consecutive", "parallel_step", "spread",
            "subject_once_daily", "main_morning", "pe_placement")}
        days_of: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        # (teacher, day) -> period index -> the lesson there is in the afternoon
        periods: dict[tuple[int, int], dict[int, bool]] = defaultdict(dict)
        group = dict.fromkeys(range(len(problem.groups)), 0.0)
        for a, act in enumerate(problem.activities):
            for s, var in v.occupied[a]:
                if values[var.Index()]:
                    slot = problem.slots[s]
                    days_of[a][slot.day] += 1
                    for t in act.teachers:
                        periods[(t, slot.day)][slot.period] = slot.afternoon
                    for g in act.groups:
                        group[g] += (w["main_morning"] * (act.main and slot.afternoon)
                                     + w["pe_placement"] * (act.pe and (
                                         slot.period == 0 or slot.after_lunch)))
            for g in act.groups:
                group[g] += _days_cost(problem, a, days_of[a], w)
        return cls(_teacher_costs(problem, periods, w), _cohort_costs(problem, days_of, w),
                   group)


def _weight(problem: Problem, family: str) -> float:
    rule = problem.constraint(family)
    return rule.weight if rule is not None and not rule.hard else 0.0


def _days_cost(problem: Problem, a: int, per_day: dict[int, int], w: dict[str, float]
               ) -> float:
    """``subject_once_daily`` and ``spread`` of activity ``a`` with these lessons a day."""
    act = problem.activities[a]
    days = len(problem.school_days_of(a))
    most = max(1, math.ceil(act.count / max(1, days))) + (1 if act.doubles else 0)
    spread = w["spread"] if 2 <= act.count - act.doubles < days else 0.0
    return (w["subject_once_daily"] * sum(max(0, n - most) for n in per_day.values())
            + spread * sum(1 for d in per_day if d + 1 in per_day))


def _teacher_costs(problem: Problem, periods: dict[tuple[int, int], dict[int, bool]],
                   w: dict[str, float]) -> dict[int, float]:
    """Gaps and too-long runs (a run breaks at lunch) of each teacher's days."""
    rule = problem.constraint("teacher_consecutive")
    limit = int(rule.param("max", 3)) if rule else 3
    teacher = dict.fromkeys(range(len(problem.teachers)), 0.0)
    for (t, _), ps in periods.items():
        runs = sum(1 for p in ps if all(p + i in ps and ps[p + i] <= ps[p + i - 1]
                                        for i in range(1, limit + 1)))
        teacher[t] += (w["teacher_gaps"] * (max(ps) - min(ps) + 1 - len(ps))
                       + w["teacher_consecutive"] * runs)
    return teacher


def _cohort_costs(problem: Problem, days_of: dict[int, dict[int, int]],
                  w: dict[str, float]) -> dict[str, float]:
    """``parallel_step`` of each cohort: per subject and day, the classes out of step."""
    classes: dict[tuple[str, int], list[int]] = defaultdict(list)
    for a, act in enumerate(problem.activities):
        if len(act.groups) == 1 and not act.alternate and problem.groups[act.group].cohort:
            classes[(problem.groups[act.group].cohort, act.subject)].append(a)
    cohort: dict[str, float] = defaultdict(float)
    for (name, _), acts in classes.items():
        for d in range(len(problem.days)):
            k = sum(1 for a in acts if days_of[a].get(d))
            cohort[name] += w["parallel_step"] * min(k, len(acts) - k)
    return dict(cohort)


def _weighted(rng: random.Random, costs: dict, keys: list) -> object:
    """A key drawn with odds one plus its cost: a costly one more often, any one at all."""
    return rng.choices(keys, weights=[1.0 + costs.get(k, 0.0) for k in keys])[0]


def _grow(problem: Problem, by_group: dict[int, list[int]], by_teacher: dict[int, list[int]],
          rng: random.Random, seed_acts: list[int], size: int) -> set[int]:
    """Activities reached from ``seed_acts`` through shared teachers and classes
    (breadth first, in random order) until ``size`` are free."""
    free: set[int] = set()
    queue = list(seed_acts)
    seen_t: set[int] = set()
    seen_g: set[int] = set()
    while queue and len(free) < size:
        a = queue.pop(0)
        if a in free:
            continue
        free.add(a)
        act = problem.activities[a]
        nxt: list[int] = []
        for t in act.teachers:
            if t not in seen_t:
                seen_t.add(t)
                nxt.extend(by_teacher[t])
        for g in act.groups:
            if g not in seen_g:
                seen_g.add(g)
                nxt.extend(by_group[g])
        rng.shuffle(nxt)
        queue.extend(nxt)
    return free


def _by_teachers(problem: Problem, rng: random.Random, size: int, by_cohort, by_group,
                 by_teacher, costs: Costs) -> set[int]:
    """A teacher's lessons (drawn by what the teacher's day costs), then their classes'
    and those teachers' lessons."""
    t = _weighted(rng, costs.teacher, sorted(by_teacher))
    return _grow(problem, by_group, by_teacher, rng, by_teacher[t], size)


def _by_classes(problem: Problem, rng: random.Random, size: int, by_cohort, by_group,
                by_teacher, costs: Costs) -> set[int]:
    """Whole classes, drawn by what they cost, until the neighbourhood is full."""
    free: set[int] = set()
    groups = sorted(by_group)
    while groups and len(free) < size:
        g = _weighted(rng, costs.group, groups)
        groups.remove(g)
        free.update(by_group[g])
    return free


def _by_cohort(problem: Problem, rng: random.Random, size: int, by_cohort, by_group,
               by_teacher, costs: Costs) -> set[int]:
    """A grade's parallel classes (what ``parallel_step`` couples; drawn by what it
    costs), grown through their teachers when the grade is smaller than the
    neighbourhood."""
    cohort = _weighted(rng, costs.cohort, sorted(by_cohort))
    return _grow(problem, by_group, by_teacher, rng, by_cohort[cohort], size)


NeighbourhoodFn = Callable[..., set[int]]
#: The neighbourhoods, taken in turn.
NEIGHBOURHOODS: tuple[NeighbourhoodFn, ...] = (_by_teachers, _by_cohort, _by_classes)


class _Fixings:
    """The start literals' domains on the model: each either as built or fixed to a value.

    A round fixes every start outside its neighbourhood to the incumbent's value.
    Writing a domain through the proto costs microseconds, and a 36-class school has
    about 12,000 starts, so :meth:`fix` writes only the starts whose domain changes
    since the last round (those of the activities freed then or now, and of lessons
    that moved): 0.25-0.3 s a round less than fixing and restoring all on a 36-class
    school, whose rounds last about 1.3 s. :meth:`restore` puts every domain back as
    built.
    """

    def __init__(self, proto: object, v: Variables) -> None:
        self.variables = proto.variables
        # activity -> (index, domain as built) of each start that is not fixed already
        self.starts: list[list[tuple[int, tuple[int, int]]]] = []
        for row in v.of_activity:
            mine = []
            for _, var in row:
                lo, hi = self.variables[var.Index()].domain
                if lo != hi:
                    mine.append((var.Index(), (lo, hi)))
            self.starts.append(mine)
        self.now: dict[int, int] = {}    # index -> value it is fixed to

    def _write(self, index: int, lo: int, hi: int) -> None:
        domain = self.variables[index].domain
        domain[0], domain[1] = lo, hi

    def fix(self, free: set[int], values: list[int]) -> None:
        """Fix every start of the activities outside ``free`` to ``values``; free the rest."""
        for a, row in enumerate(self.starts):
            if a in free:
                for i, built in row:
                    if self.now.pop(i, None) is not None:
                        self._write(i, *built)
            else:
                for i, _ in row:
                    if self.now.get(i) != values[i]:
                        self.now[i] = values[i]
                        self._write(i, values[i], values[i])

    def restore(self) -> None:
        for row in self.starts:
            for i, built in row:
                if self.now.pop(i, None) is not None:
                    self._write(i, *built)


def improve(model: cp_model.CpModel, problem: Problem, v: Variables, incumbent: Incumbent, *,
            deadline: float, workers: int, seed: int, t0: float,
            on_improve: Callable[[float, int], None] | None = None) -> Incumbent:
    """Improve ``incumbent`` by LNS rounds until ``deadline`` (``time.perf_counter()``).

    ``model`` must hold the objective; it is left as it was given (domains restored,
    hint cleared). ``on_improve(elapsed since t0, scaled objective)`` is called on
    every better timetable.
    """
    rng = random.Random(seed)
    by_cohort, by_group, by_teacher = _structure(problem)
    n = len(problem.activities)
    if not n or not by_teacher:
        return incumbent
    proto = model.Proto()
    fixings = _Fixings(proto, v)
    share = START_SHARE
    rounds = improved = 0
    costs = Costs.of(problem, v, incumbent.values)
    try:
        while time.perf_counter() + 0.5 < deadline:
            pick = NEIGHBOURHOODS[rounds % len(NEIGHBOURHOODS)]
            free = pick(problem, rng, max(2, round(share * n)), by_cohort, by_group, by_teacher,
                        costs)
            values = incumbent.values
            fixings.fix(free, values)
            model.ClearHints()
            proto.solution_hint.vars.extend(range(len(values)))
            proto.solution_hint.values.extend(values)
            solver = cp_model.CpSolver()
            left = deadline - time.perf_counter()
            solver.parameters.max_time_in_seconds = max(0.1, min(ROUND_S, left))
            solver.parameters.num_workers = max(1, workers)
            solver.parameters.random_seed = seed + rounds
            for name, value in ROUND_PARAMS.items():
                setattr(solver.parameters, name, value)
            try:
                code, signum = solve_cp(solver, model)
            finally:
                model.ClearHints()
            rounds += 1
            found = code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
            logger.debug("LNS round %d (%s, %d free): %s, objective %s in %.2fs", rounds,
                         pick.__name__, len(free), solver.StatusName(code),
                         round(solver.ObjectiveValue()) if found else "-", solver.WallTime())
            if signum is not None:
                break
            if found and round(solver.ObjectiveValue()) < incumbent.objective:
                improved += 1
                incumbent = Incumbent.of(solver)
                costs = Costs.of(problem, v, incumbent.values)
                if on_improve is not None:
                    on_improve(time.perf_counter() - t0, incumbent.objective)
            # a neighbourhood searched to the end is too small; one out of time too large
            share = min(MAX_SHARE, share * 1.15) if code == cp_model.OPTIMAL else \
                max(MIN_SHARE, share * 0.9)
    finally:
        fixings.restore()   # every domain as built, whatever ends the loop
    logger.info("LNS: %d rounds, %d improvements, objective %d, last share %.2f",
                rounds, improved, incumbent.objective, share)
    return incumbent
