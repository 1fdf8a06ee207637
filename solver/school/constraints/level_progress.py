"""level_progress (教案齐头): the activities of each record have lessons on the same days.

One boolean per (record, day) says "the record's classes have this subject today";
each activity's day indicator equals it, so every class of the teacher keeps the
same days.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from ....models.core import Problem
from ..variables import Variables


def add_level_progress(model: cp_model.CpModel, problem: Problem, v: Variables) -> None:
    for k, rule in enumerate(problem.records("level_progress")):
        for d in range(len(problem.days)):
            hs = [v.day_has(model, problem, a, d) for a in rule.activities]
            if all(isinstance(h, int) for h in hs):
                continue
            same = model.NewBoolVar(f"level[{k},{d}]")
            for h in hs:
                v.enforce(model, model.Add(h == same), "level_progress", "level", k)
