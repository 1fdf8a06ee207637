"""fixed_slot (固定): every fixed start of an activity holds one of its placements.

A fixed start outside the activity's domain (its teacher away, before the morning
start) leaves no variable: the precheck says so first
(:func:`jianfu.solver.school.explain.precheck`); here it makes the model infeasible.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from ....models.core import Problem
from ..variables import Variables


def add_fixed_slot(model: cp_model.CpModel, problem: Problem, v: Variables) -> None:
    for a, act in enumerate(problem.activities):
        for s in act.fixed:
            var = v.at(a, s)
            ct = model.Add(var == 1) if var is not None else model.AddBoolOr([])
            v.enforce(model, ct, "fixed_slot", "activity", a)
