"""CP-SAT runs of FetModel on small FET problems, shared by the family tests of
``tests/solver/fet``: :func:`run` solves with starts (and rooms) fixed and passes every
solution through the checker; :class:`Run` is what it returns."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from ortools.sat.python import cp_model

from jianfu.models.fet import FetConstraint, FetProblem, FetSolution
from jianfu.models.fet_check import score_fet
from jianfu.solver.fet.model import FetModel

from models.fet_helpers import mini

Cell = tuple[int, int]
OPTIMAL, INFEASIBLE = cp_model.OPTIMAL, cp_model.INFEASIBLE
#: one hour each for T0/S0 and T1/S1: nothing shared
APART = ((1, (0,), (0,), 0, ()), (1, (1,), (1,), 0, ()))
#: three one-hour activities of T0/S0
THREE = ((1, (0,), (0,), 0, ()),) * 3


@dataclass(frozen=True)
class Run:
    status: int
    objective: float | None          # Σ amount × weight% / 100; None when infeasible
    solution: FetSolution | None
    best: int | None                 # the most ``most`` literals true at once

    def at(self, aid: int) -> Cell:
        pl = self.solution.placements[aid]
        return pl.day, pl.hour


def built(*cs: FetConstraint, **kw: object) -> FetModel:
    fm = FetModel(mini(*cs, **kw))
    fm.build()
    return fm


def run(p: FetProblem, fix: dict[int, Cell] | None = None, *,
        rooms: dict[int, int | None] | None = None, most: tuple[tuple[int, Cell], ...] = ()
        ) -> Run:
    """Build and solve ``p`` with activity ``aid`` fixed to start in ``fix[aid]`` (and in
    room ``rooms[aid]``); with ``most``, maximise how many of those starts are taken
    (for problems without soft terms). A solution found is passed through the checker:
    it keeps every hard rule and costs what the model says."""
    fm = FetModel(p)
    fm.build()
    for aid, cell in (fix or {}).items():
        fm.m.Add(fm.starts_of(aid)[cell] == 1)
    for aid, room in (rooms or {}).items():
        fm.m.Add(fm.y[p.index_of(aid)][room] == 1)
    if most:
        assert not fm.terms
        fm.m.Maximize(sum(fm.starts_of(aid).get(cell, 0) for aid, cell in most))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 60  # ends at the optimum
    status = solver.Solve(fm.m)
    if status == INFEASIBLE:
        return Run(status, None, None, None)
    assert status == OPTIMAL
    solution = fm.solution(solver)
    objective = sum(fm.term_values(solver).values())
    score = score_fet(p, solution)
    assert score.compliant, score.by_rule
    assert score.soft == pytest.approx(objective)
    return Run(status, objective, solution, round(solver.ObjectiveValue()) if most else None)


def starts(fm: FetModel, aid: int) -> set[Cell]:
    return set(fm.starts_of(aid))
