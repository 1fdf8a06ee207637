"""teacher_daily_max (教师每日节数): a teacher's lessons per day ≤ its maximum."""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from ....models.core import Problem
from ..variables import Variables


def add_teacher_daily_max(model: cp_model.CpModel, problem: Problem, v: Variables) -> None:
    for t, teacher in enumerate(problem.teachers):
        if teacher.max_per_day is None:
            continue
        per_day: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for a in problem.activities_of_teacher[t]:
            for s, var in v.occupied[a]:
                per_day[problem.slots[s].day].append(var)
        for lits in per_day.values():
            if len(lits) > teacher.max_per_day:
                v.enforce(model, model.Add(sum(lits) <= teacher.max_per_day),
                          "teacher_daily_max", "teacher", t)
