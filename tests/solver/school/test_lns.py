"""LNS on top of CP-SAT: it keeps every hard rule, never worsens the timetable, and
leaves the model as it found it."""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

import jianfu.solver.school.solve as engine
from jianfu.instances.generator import generate_school
from jianfu.models.core import compile_school
from jianfu.models.policy import load_policy
from jianfu.solver.school.build import build
from jianfu.solver.school.hint import add_hint
from jianfu.solver.school.lns import Costs, Incumbent, _Fixings, improve
from jianfu.solver.school.objective import add_objective

from builders import verified


def _school():
    policy = load_policy("national")
    return generate_school("primary", 1, seed=3, policy=policy), policy


def test_rounds_never_worsen_and_restore_the_model() -> None:
    school, policy = _school()
    problem = compile_school(school, policy)
    model = cp_model.CpModel()
    v = build(model, problem)
    add_objective(model, problem, v)
    # the engine's warm start, read back as a solution of the model with the objective
    assert add_hint(model, problem, v, time_limit=60) is not None
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.fix_variables_to_their_hinted_value = True
    assert solver.Solve(model) in (cp_model.FEASIBLE, cp_model.OPTIMAL)
    model.ClearHints()
    start = Incumbent.of(solver)
    before = [tuple(var.domain) for var in model.Proto().variables]
    seen: list[int] = []
    best = improve(model, problem, v, start, deadline=time.perf_counter() + 4, workers=1,
                   seed=0, t0=time.perf_counter(), on_improve=lambda _t, obj: seen.append(obj))
    assert [tuple(var.domain) for var in model.Proto().variables] == before
    assert not model.Proto().solution_hint.vars
    assert best.objective <= start.objective
    assert seen == sorted(seen, reverse=True) and (not seen or seen[-1] == best.objective)
    # the incumbent is a solution of the whole model: fixing every variable to it holds
    check = model.Clone()
    for i, value in enumerate(best.values):
        check.Proto().variables[i].domain[0] = check.Proto().variables[i].domain[1] = value
    again = cp_model.CpSolver()
    again.parameters.num_workers = 1
    assert again.Solve(check) == cp_model.OPTIMAL
    assert round(again.ObjectiveValue()) == best.objective


def test_solve_with_lns_returns_a_checked_timetable(monkeypatch) -> None:
    school, policy = _school()
    monkeypatch.setattr(engine, "LNS_FROM_S", 0.0)
    monkeypatch.setattr(engine, "LNS_FROM_GROUPS", 0)
    monkeypatch.setattr(engine, "LNS_MAIN_S", 0.5)
    monkeypatch.setattr(engine, "LNS_MAIN_SHARE", 0.0)
    real = engine.improve
    rounds: list[float] = []

    def short(*args, deadline: float, **kw):   # two seconds of LNS, however long the limit
        rounds.append(deadline)
        return real(*args, deadline=min(deadline, time.perf_counter() + 2), **kw)
    monkeypatch.setattr(engine, "improve", short)
    result = engine.solve(school, policy, time_limit=120, workers=1, seed=0)
    assert rounds, "LNS did not run"
    assert result.status in (engine.Status.FEASIBLE, engine.Status.OPTIMAL)
    verified(school, policy, result)
    objectives = [row.objective for row in result.statistics.rows]
    assert objectives == sorted(objectives, reverse=True)


def test_costs_add_up_to_the_rules_units() -> None:
    """Where a neighbourhood starts is drawn by what the incumbent pays there: the
    per-teacher, per-cohort and per-class costs add up to the rules' weighted units."""
    policy = load_policy("national")
    school = generate_school("primary", 2, seed=5, policy=policy)
    problem = compile_school(school, policy)
    assert not any(len(act.groups) > 1 for act in problem.activities)
    model = cp_model.CpModel()
    v = build(model, problem)
    weights = add_objective(model, problem, v)
    assert add_hint(model, problem, v, time_limit=60) is not None
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 5
    assert solver.Solve(model) in (cp_model.FEASIBLE, cp_model.OPTIMAL)
    costs = Costs.of(problem, v, Incumbent.of(solver).values)

    def cost(*rules: str) -> float:
        return sum(weights[r] * solver.Value(v.terms[r]) for r in rules if r in v.terms)

    assert cost("teacher_gaps", "teacher_consecutive") > 0
    assert sum(costs.teacher.values()) == cost("teacher_gaps", "teacher_consecutive")
    assert sum(costs.cohort.values()) == cost("parallel_step")
    assert sum(costs.group.values()) == cost("spread", "subject_once_daily", "main_morning",
                                             "pe_placement")


def test_fixings_follow_each_round_and_restore_every_domain() -> None:
    """Only the starts whose domain changes are written between rounds, so each round's
    domains must still be exactly: outside the neighbourhood fixed to that round's
    values, inside it as built — also when a kept lesson's value changed."""
    school, policy = _school()
    problem = compile_school(school, policy)
    model = cp_model.CpModel()
    v = build(model, problem)
    proto = model.Proto()
    built = [tuple(var.domain) for var in proto.variables]
    starts = {a: [var.Index() for _, var in row] for a, row in enumerate(v.of_activity)}
    fixings = _Fixings(proto, v)
    n = len(problem.activities)
    rounds = [(set(range(0, n, 3)), 0), (set(range(1, n, 4)), 1), (set(), 1), (set(range(n)), 0)]
    for free, phase in rounds:
        values = [(i + phase) % 2 for i in range(len(proto.variables))]
        fixings.fix(free, values)
        for a, row in starts.items():
            for i in row:
                lo, hi = built[i]
                want = built[i] if a in free or lo == hi else (values[i], values[i])
                assert tuple(proto.variables[i].domain) == want, (a, i)
    fixings.fix(set(range(0, n, 2)), [1] * len(proto.variables))
    fixings.restore()
    assert [tuple(var.domain) for var in proto.variables] == built
