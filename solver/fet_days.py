"""Days first, then hours: a logic-based decomposition for tightly packed FET files.

When every teacher and class is busy nearly every hour, CP-SAT on the full model
(:class:`~jianfu.solver.fet_model.FetModel`) can spend minutes without a first
timetable, while two smaller questions are quick:

1. *master*: which day each activity goes on, with per-day capacities of every
   teacher and subgroup (exact for fully loaded ones), 100 % MinDaysBetweenActivities,
   ActivitiesSameStartingTime / TwoActivitiesConsecutive on one day, teacher max
   days and max hours a day;
2. *check*, per day: the one-day problem of the activities put on it
   (:func:`day_problem`, optional activities with "present" assumption literals). A
   day that has no timetable gives a core — activities that cannot share the day —
   and the master a cut forbidding them that day. When every day passes, the full
   model with those days assumed (hinted with the days' hours); if that fails its
   core is cut too. Repeat.

Measured (see ``benchmarks/RESULTS.md``, FET peer): on Namibia/FGPS the cores stay
large and 90 s are not enough, so this is opt-in (``solve_fet_problem(...,
decompose=True)``), not the default.

The cut is valid (it forbids only day choices with no timetable), so the loop never
loses a timetable; it stops at a timetable, at a proof that the master has none
(then the file has none) or at the time limit.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from dataclasses import replace

from ortools.sat.python import cp_model

from ..models.fet import FetConstraint, FetProblem
from .fet_model import Cell, FetModel, _Infeasible

logger = logging.getLogger(__name__)


class DayMaster:
    """The day-assignment master problem built from a built :class:`FetModel`."""

    def __init__(self, fm: FetModel) -> None:
        self.fm = fm
        p = fm.p
        self.m = cp_model.CpModel()
        D = p.n_days
        self.dv: list[dict[int, cp_model.IntVar]] = []
        made: dict[int, dict[int, cp_model.IntVar]] = {}
        for xs in fm.x:
            key = id(xs)
            if key not in made:         # activities sharing start literals share days
                days = sorted({d for d, _ in xs})
                made[key] = {d: self.m.NewBoolVar("") for d in days}
                self.m.AddExactlyOne(made[key].values())
            self.dv.append(made[key])
        for table in (fm.by_t, fm.by_s):
            seen: set[frozenset[int]] = set()
            for acts in table.values():
                if frozenset(acts) in seen:
                    continue
                seen.add(frozenset(acts))
                cells = fm.resource_cells(acts)
                full = sum(p.activities[i].duration for i in acts) == len(cells)
                for d in range(D):
                    n = sum(1 for dd, _ in cells if dd == d)
                    e = sum(p.activities[i].duration * self.dv[i][d] for i in acts
                            if d in self.dv[i])
                    self.m.Add(e == n) if full else self.m.Add(e <= n)
        for c in p.constraints:
            if not c.hard:
                continue
            if c.kind == "MinDaysBetweenActivities":
                idx = [p.index_of(a) for a in c.get("activities")]
                k = c.get("min_days")
                for d0 in range(D - min(k, D) + 1):
                    self.m.AddAtMostOne([self.dv[i][d] for i in idx for d in range(d0, d0 + k)
                                         if d in self.dv[i]])
            elif c.kind == "TwoActivitiesConsecutive":
                i, j = p.index_of(c.get("first")), p.index_of(c.get("second"))
                for d in range(D):
                    self.m.Add(self.dv[i].get(d, 0) == self.dv[j].get(d, 0))
            elif c.kind == "TeacherMaxDaysPerWeek":
                acts = fm.by_t.get(c.get("teacher"), [])
                works = [self.m.NewBoolVar("") for _ in range(D)]
                for i in acts:
                    for d, v in self.dv[i].items():
                        self.m.AddImplication(v, works[d])
                self.m.Add(sum(works) <= c.get("bound"))
            elif c.kind in ("TeacherMaxHoursDaily", "TeachersMaxHoursDaily"):
                ts = [c.get("teacher")] if c.get("teacher") is not None else list(fm.by_t)
                for t in ts:
                    acts = fm.by_t.get(t, [])
                    for d in range(D):
                        self.m.Add(sum(p.activities[i].duration * self.dv[i][d] for i in acts
                                       if d in self.dv[i]) <= c.get("bound"))

    def days(self, solver: cp_model.CpSolver) -> list[int]:
        return [next(d for d, v in dv.items() if solver.Value(v)) for dv in self.dv]

    def cut(self, pairs: list[tuple[int, int]]) -> None:
        self.m.AddBoolOr([self.dv[i][d].Not() for i, d in pairs])


_WEEK_ONLY = frozenset({"TeacherMaxDaysPerWeek"})


def day_problem(p: FetProblem, acts: list[int], d: int) -> FetProblem:
    """The one-day problem of day ``d`` with activities ``acts`` (indices).

    Day-local rules keep their meaning; weekly bounds (gaps per week, beginnings at
    the second hour) bound the one day, a relaxation; soft rules are dropped except
    Consecutive_If_Same_Day, which FET applies at any weight.
    """
    ids = {p.activities[i].id for i in acts}
    out: list[FetConstraint] = []
    for c in p.constraints:
        if c.kind in _WEEK_ONLY:
            continue
        consecutive = c.kind == "MinDaysBetweenActivities" and c.get("consecutive")
        if not c.hard and not consecutive:
            continue
        params = dict(c.params)
        for key in ("slots", "starts"):
            if key in params:
                params[key] = tuple((0, h) for dd, h in params[key] if dd == d)
        if "day" in params and params["day"] is not None:
            if params["day"] != d:
                continue
            params["day"] = 0
        if "activity" in params and params["activity"] not in ids:
            continue
        if "activities" in params:
            params["activities"] = tuple(a for a in params["activities"] if a in ids)
            if len(params["activities"]) < 2:
                continue
        if "first" in params and not {params["first"], params["second"]} <= ids:
            continue
        weight = 0.0 if consecutive else c.weight
        out.append(FetConstraint(c.kind, weight, tuple(params.items()), c.index))
    return replace(p, days=(p.days[d],), activities=tuple(p.activities[i] for i in acts),
                   constraints=tuple(out))


def day_core(p: FetProblem, acts: list[int], d: int, *, limit: float,
             seed: int = 0) -> tuple[bool | None, list[int], dict[int, Cell] | None]:
    """Can ``acts`` all go on day ``d``? (yes, no with a core of them, or unknown).

    Returns ``(answer, core, starts)``: ``core`` a subset of ``acts`` that cannot share
    the day (when the answer is no) and ``starts`` index → (d, hour) when yes.
    """
    sub = day_problem(p, acts, d)
    fm = FetModel(sub, optional=True)
    try:
        fm.build()
    except _Infeasible:
        return False, list(acts), None
    lits = list(fm.present.values())
    fm.m.AddAssumptions(lits)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, limit)
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    st = solver.Solve(fm.m)
    if st in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        starts = {}
        for k, xs in enumerate(fm.x):
            (_, h), = [s for s, v in xs.items() if solver.Value(v)]
            starts[acts[k]] = (d, h)
        return True, [], starts
    if st != cp_model.INFEASIBLE:
        return None, [], None
    core = set(solver.SufficientAssumptionsForInfeasibility())
    leaders = [k for k, v in fm.present.items() if v.Index() in core] or list(fm.present)
    # a leader stands for every activity sharing its start literals
    group = {k: [j for j in range(len(acts)) if fm.x[j] is fm.x[k]] for k in leaders}
    return False, sorted({acts[j] for k in leaders for j in group[k]}), None


def solve_by_days(fm: FetModel, *, deadline: float, seed: int = 0,
                  workers: int = 2) -> tuple[cp_model.CpSolver | None, int]:
    """Run the decomposition until ``deadline`` (``time.perf_counter()``).

    Returns a solver holding a timetable of ``fm.m`` (or ``None``) and the number of
    master iterations. Adds assumption literals to ``fm.m`` (cleared before return).
    """
    p = fm.p
    master = DayMaster(fm)
    on_day: dict[tuple[int, int], cp_model.IntVar] = {}
    for i, xs in enumerate(fm.x):
        by_day: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for (d, _), v in xs.items():
            by_day[d].append(v)
        for d, lits in by_day.items():
            lit = fm.m.NewBoolVar(f"day{p.activities[i].id}_{d}")
            fm.m.Add(sum(lits) == 1).OnlyEnforceIf(lit)
            on_day[(i, d)] = lit
    it = 0
    prev: list[int] | None = None
    while time.perf_counter() < deadline:
        it += 1
        ms = cp_model.CpSolver()
        ms.parameters.max_time_in_seconds = max(0.1, deadline - time.perf_counter())
        ms.parameters.num_workers = workers
        ms.parameters.random_seed = seed + it
        if prev is not None:
            master.m.ClearHints()
            hinted: set[int] = set()
            for i, d in enumerate(prev):
                v = master.dv[i][d]
                if v.Index() not in hinted:     # shared day literals hinted once
                    hinted.add(v.Index())
                    master.m.AddHint(v, True)
        st = ms.Solve(master.m)
        if st == cp_model.INFEASIBLE:
            logger.info("day master infeasible after %d cuts", it - 1)
            return None, it
        if st not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            logger.info("day master: %s", ms.StatusName(st))
            return None, it
        days = master.days(ms)
        prev = days
        cuts = 0
        hint: dict[int, Cell] = {}
        for d in range(p.n_days):
            acts = [i for i, dd in enumerate(days) if dd == d]
            if not acts:
                continue
            ok, core, starts = day_core(p, acts, d, seed=seed,
                                        limit=min(5.0, deadline - time.perf_counter()))
            if ok is False:
                master.cut([(i, d) for i in core])
                cuts += 1
            elif starts:
                hint.update(starts)
        if cuts:
            logger.debug("iteration %d: %d day cuts", it, cuts)
            continue
        fm.m.ClearHints()
        hinted_x: set[int] = set()
        for i, s in hint.items():
            if s in fm.x[i] and fm.x[i][s].Index() not in hinted_x:   # shared literals once
                hinted_x.add(fm.x[i][s].Index())
                fm.m.AddHint(fm.x[i][s], True)
        fm.m.ClearAssumptions()
        fm.m.AddAssumptions([on_day[(i, d)] for i, d in enumerate(days)])
        sub = cp_model.CpSolver()
        sub.parameters.max_time_in_seconds = max(0.1, min(20.0, deadline - time.perf_counter()))
        sub.parameters.num_workers = 1       # assumption cores need one worker
        sub.parameters.random_seed = seed
        st = sub.Solve(fm.m)
        if st in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            fm.m.ClearAssumptions()
            logger.info("days-then-hours: timetable after %d master iterations", it)
            return sub, it
        if st != cp_model.INFEASIBLE:
            continue            # undecided within its budget: ask the master again
        core = set(sub.SufficientAssumptionsForInfeasibility())
        pairs = [(i, d) for i, d in enumerate(days) if on_day[(i, d)].Index() in core]
        if not pairs:
            pairs = list(enumerate(days))
        logger.debug("iteration %d: cut of %d day choices", it, len(pairs))
        master.cut(pairs)
    fm.m.ClearAssumptions()
    return None, it
