"""Days first, then hours: a logic-based decomposition for tightly packed FET files.

When every teacher and class is busy nearly every hour, CP-SAT on the full model
(:class:`~jianfu.solver.fet_model.FetModel`) can spend minutes without a first
timetable, while two smaller questions are quick:

1. *master*: which day each activity goes on, with per-day capacities of every
   teacher and subgroup (exact for fully loaded ones), 100 % MinDaysBetweenActivities,
   ActivitiesSameStartingTime / TwoActivitiesConsecutive on one day, teacher max
   days and max hours a day;
2. *check*: the full model with those days assumed (assumption literals "activity i
   on day d"). If it has a timetable, done. If not, CP-SAT names a subset of the
   assumptions that cannot hold together, and the master gets a cut forbidding that
   combination of days. Repeat.

The cut is valid (it forbids only day choices with no timetable), so the loop never
loses a timetable; it stops at a timetable, at a proof that the master has none
(then the file has none) or at the time limit.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict

from ortools.sat.python import cp_model

from .fet_model import FetModel

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
