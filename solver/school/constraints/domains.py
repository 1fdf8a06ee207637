"""Domain rules: lesson_outside_periods, morning_start, teacher_unavailable.

In a normal solve these cost nothing: ``x[a, s]`` exists only for allowed starts. In
explain mode the domains are relaxed to the groups' day shapes and the bans come
back here as guarded constraints (a placement is banned when any slot it covers is
early for one of its groups or unavailable to one of its teachers), so a core can
name the teacher or the class whose domain is too small.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from ....models.core import Problem
from ..variables import Variables


def add_domains(model: cp_model.CpModel, problem: Problem, v: Variables) -> None:
    if not v.explain:
        return
    for a, act in enumerate(problem.activities):
        for s, var in v.of_activity[a]:
            span = problem.span(s, act.duration) or (s,)
            for g in act.groups:
                if set(span) & set(problem.groups[g].early):
                    v.enforce(model, model.Add(var == 0), "morning_start", "group", g)
            for t in act.teachers:
                if set(span) & set(problem.teachers[t].unavailable):
                    v.enforce(model, model.Add(var == 0), "teacher_unavailable", "teacher", t)
