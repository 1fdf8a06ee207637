"""double_period (连堂): at least ``doubles`` disjoint joined pairs of lessons.

``y[a, s]`` starts a double in ``s`` and its joined successor; starts may not share a
lesson, so their count is at most the checker's left-to-right scan count (which is
the maximum number of disjoint pairs on each run).
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from ....models.core import Problem
from ..variables import Variables


def add_double_period(model: cp_model.CpModel, problem: Problem, v: Variables) -> None:
    for a, act in enumerate(problem.activities):
        if not act.doubles:
            continue
        starts = []
        for s, _ in v.of_activity[a]:
            y = v.y.get((a, s))
            if y is None:
                continue
            nxt = problem.next_slot[s]
            model.AddImplication(y, v.x[(a, s)])
            model.AddImplication(y, v.x[(a, nxt)])
            if (a, nxt) in v.y:
                model.AddBoolOr([y.Not(), v.y[(a, nxt)].Not()])
            starts.append(y)
        v.enforce(model, model.Add(sum(starts) >= act.doubles), "double_period", "activity", a)
