"""daily_activity, daily_pe and session_slot: physical activity every school day.

Per group and day: long-break minutes + minutes of its PE lessons + the activity
segment's minutes if it has a session ≥ the policy's daily minutes; with daily PE a PE
lesson every day; at most one session per group and day, only in activity slots.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from ....models.core import Problem
from ..variables import Variables


def _pe_by_day(problem: Problem, v: Variables, g: int) -> dict[int, list[tuple[int, cp_model.IntVar]]]:
    out: dict[int, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
    for a in problem.activities_of_group[g]:
        if problem.activities[a].pe:
            for s, var in v.occupied[a]:
                out[problem.slots[s].day].append((problem.slots[s].minutes, var))
    return out


def add_daily_activity(model: cp_model.CpModel, problem: Problem, v: Variables) -> None:
    rule = problem.constraint("daily_activity")
    if rule is None:
        return
    target = int(rule.param("minutes", 0))
    for g, group in enumerate(problem.groups):
        pe = _pe_by_day(problem, v, g)
        sessions = {problem.slots[s].day: (problem.slots[s].minutes, v.session[(g, s)])
                    for s in group.activity_slots}
        for d in group.school_days:
            need = target - (group.fixed_activity_minutes[d] if group.fixed_activity_minutes else 0)
            if need <= 0:
                continue
            terms = list(pe.get(d, []))
            if d in sessions:
                terms.append(sessions[d])
            v.enforce(model, model.Add(sum(m * var for m, var in terms) >= need),
                      "daily_activity", "group", g)


def add_daily_pe(model: cp_model.CpModel, problem: Problem, v: Variables) -> None:
    if problem.constraint("daily_pe") is None:
        return
    for g, group in enumerate(problem.groups):
        pe = _pe_by_day(problem, v, g)
        for d in group.school_days:
            v.enforce(model, model.Add(sum(var for _, var in pe.get(d, [])) >= 1),
                      "daily_pe", "group", g)


def add_session_slot(model: cp_model.CpModel, problem: Problem, v: Variables) -> None:
    per_day: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    for (g, s), var in v.session.items():
        per_day[(g, problem.slots[s].day)].append(var)
    for lits in per_day.values():
        if len(lits) > 1:
            model.AddAtMostOne(lits)
