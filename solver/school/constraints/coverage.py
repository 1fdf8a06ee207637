"""coverage (开齐开足): every activity gets exactly its weekly count of lessons."""

from __future__ import annotations

from ortools.sat.python import cp_model

from ....models.core import Problem
from ..variables import Variables


def add_coverage(model: cp_model.CpModel, problem: Problem, v: Variables) -> None:
    for a, act in enumerate(problem.activities):
        row = [var for _, var in v.of_activity[a]]
        v.enforce(model, model.Add(sum(row) == act.count), "coverage", "activity", a)
