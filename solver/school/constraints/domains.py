"""Domain rules: lesson_outside_periods, morning_start, teacher_unavailable, forbidden_slot.

In a normal solve these cost nothing: ``x[a, s]`` exists only for allowed starts. In
explain mode the domains are relaxed to the groups' day shapes and the bans come
back here as guarded constraints (a placement is banned when any slot it covers is
early for one of its groups or unavailable to one of its teachers), so a core can
name the teacher or the class whose domain is too small. A start the activity's
domain lacks for no such reason (a requirement's forbidden periods, FET's preferred
times) is banned under the activity's ``forbidden_slot`` literal.
"""

from __future__ import annotations

from ortools.sat.python import cp_model

from ....models.core import Problem
from ..variables import Variables


def add_domains(model: cp_model.CpModel, problem: Problem, v: Variables) -> None:
    if not v.explain:
        return
    for a, act in enumerate(problem.activities):
        allowed = set(act.slots)
        for s, var in v.of_activity[a]:
            span = problem.span(s, act.duration) or (s,)
            other = s in allowed
            for g in act.groups:
                if set(span) & set(problem.groups[g].early):
                    v.enforce(model, model.Add(var == 0), "morning_start", "group", g)
                    other = True
            for t in act.teachers:
                if set(span) & set(problem.teachers[t].unavailable):
                    v.enforce(model, model.Add(var == 0), "teacher_unavailable", "teacher", t)
                    other = True
            if not other:
                v.enforce(model, model.Add(var == 0), "forbidden_slot", "activity", a)
