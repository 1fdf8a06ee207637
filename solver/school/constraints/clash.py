"""class_clash and teacher_clash: at most one lesson per group / teacher at any instant.

A combined lesson occupies every group and teacher it has; a placement of several
periods occupies each of them.

Slots of different bell schedules overlap by clock time (a 40-minute primary period
and a 45-minute junior period), so a teacher's constraint is one "≤ 1" per instant
clique of the slots it may use, not per period index.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from ....models.core import Problem
from ..variables import Variables, by_slot


def add_class_clash(model: cp_model.CpModel, problem: Problem, v: Variables) -> None:
    for g, acts in enumerate(problem.activities_of_group):
        _at_most_one_per_instant(model, problem, v, acts, "class_clash", "group", g)


def add_activity_overlap(model: cp_model.CpModel, problem: Problem, v: Variables) -> None:
    """Placements of one activity never overlap (its groups' clash says so when it has any)."""
    for a, act in enumerate(problem.activities):
        if not act.groups and act.count > 1:
            _at_most_one_per_instant(model, problem, v, (a,), "class_clash", "activity", a)


def add_teacher_clash(model: cp_model.CpModel, problem: Problem, v: Variables) -> None:
    for t, acts in enumerate(problem.activities_of_teacher):
        _at_most_one_per_instant(model, problem, v, acts, "teacher_clash", "teacher", t)


def _at_most_one_per_instant(model: cp_model.CpModel, problem: Problem, v: Variables,
                             acts: tuple[int, ...], family: str, kind: str, index: int) -> None:
    slots = by_slot(problem, v, acts)
    for clique in problem.cliques(slots):
        lits = [var for s in clique for var in slots[s]]
        if len(lits) > 1:
            if v.explain:
                v.enforce(model, model.Add(sum(lits) <= 1), family, kind, index)
            else:
                model.AddAtMostOne(lits)
