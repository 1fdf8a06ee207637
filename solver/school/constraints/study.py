"""study_cap (在校集中学习时间): lesson + self-study minutes per group and day ≤ cap."""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from ....models.core import Problem
from ..variables import Variables


def add_study_cap(model: cp_model.CpModel, problem: Problem, v: Variables) -> None:
    if problem.constraint("study_cap") is None:
        return
    for g, group in enumerate(problem.groups):
        if group.study_cap is None:
            continue
        most: dict[int, int] = defaultdict(int)
        for s in group.slots:
            most[problem.slots[s].day] += problem.slots[s].minutes
        terms: dict[int, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
        for a in problem.activities_of_group[g]:
            for s, var in v.occupied[a]:
                terms[problem.slots[s].day].append((problem.slots[s].minutes, var))
        for d in range(len(problem.days)):
            fixed = group.fixed_study_minutes[d] if group.fixed_study_minutes else 0
            if most[d] + fixed <= group.study_cap:
                continue   # cannot bind: the day shape alone keeps it under the cap
            v.enforce(model, model.Add(sum(m * var for m, var in terms[d]) + fixed
                                       <= group.study_cap), "study_cap", "group", g)


def add_weekly_minutes(model: cp_model.CpModel, problem: Problem, v: Variables) -> None:
    """长短课 (rule ``period_length``): a group's lessons last at least its
    ``period_minutes`` on average over the week, Σ (minutes − standard) ≥ 0 over its
    lessons; emitted only when it may use a period shorter than the standard."""
    for g, group in enumerate(problem.groups):
        if not group.period_minutes:
            continue
        terms = [(problem.slots[s].minutes - group.period_minutes, var)
                 for a in problem.activities_of_group[g] for s, var in v.occupied[a]
                 if problem.slots[s].minutes != group.period_minutes]
        if any(m < 0 for m, _ in terms):
            v.enforce(model, model.Add(sum(m * var for m, var in terms) >= 0),
                      "period_length", "group", g)
