"""Domain rules: lesson_outside_periods, morning_start, teacher_unavailable.

In a normal solve these cost nothing: ``x[a, s]`` exists only for allowed slots. In
explain mode the domains are relaxed to the day shape and the bans come back here as
guarded constraints, so a core can name the teacher or the class whose domain is
too small.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from ....models.core import Problem
from ..variables import Variables


def add_domains(model: cp_model.CpModel, problem: Problem, v: Variables) -> None:
    if not v.explain:
        return
    for a, act in enumerate(problem.activities):
        early = set(problem.groups[act.group].early)
        off = set(problem.teachers[act.teacher].unavailable)
        for s, var in v.of_activity[a]:
            if s in early:
                v.enforce(model, model.Add(var == 0), "morning_start", "group", act.group)
            if s in off:
                v.enforce(model, model.Add(var == 0), "teacher_unavailable", "teacher", act.teacher)
