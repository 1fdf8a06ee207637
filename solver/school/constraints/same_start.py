"""same_start (同时开始): activities tied to start together, placement for placement.

A ``same_start`` record names activities with equal weekly counts; each of their
start literals is equal slot by slot (a start one of them may not use is closed to
all), so they are placed as one: a 走班 block, the halves of a split class, the
classes of a grade released together.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from ....models.core import Problem
from ..variables import Variables


def add_same_start(model: cp_model.CpModel, problem: Problem, v: Variables) -> None:
    for k, rule in enumerate(problem.records("same_start")):
        first, *others = rule.activities
        for b in others:
            for s in {s for s, _ in v.of_activity[first]} | {s for s, _ in v.of_activity[b]}:
                here, there = v.x.get((first, s)), v.x.get((b, s))
                if here is None or there is None:
                    for var in (here, there):
                        if var is not None:
                            v.enforce(model, model.Add(var == 0), "same_start", "record", k)
                else:
                    v.enforce(model, model.Add(here == there), "same_start", "record", k)
