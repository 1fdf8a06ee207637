"""The CP-SAT model optimises FET 6.8.5's units, as the checker scores them, and a FET
solve reports the checker's score of its timetable.

Per kind whose unit was once jianfu's own: a timetable fixed to break the rule costs
exactly FET's amount × weight, and where the unit matters the optimum is FET's.
"""

from __future__ import annotations

import pytest
from ortools.sat.python import cp_model

from jianfu.models.fet import FetProblem
from jianfu.models.fet_check import score_fet
from jianfu.solver.fet import solve as fet_solve
from jianfu.solver.fet.model import FetModel
from jianfu.solver.fet.solve import solve_fet_problem

from models.fet_helpers import con, mini

Cell = tuple[int, int]


def cost(p: FetProblem, fix: dict[int, Cell] | None = None) -> float:
    """The optimum with the starts ``fix``ed; the checker scores its timetable the same."""
    fm = FetModel(p)
    fm.build()
    for aid, cell in (fix or {}).items():
        fm.m.Add(fm.starts_of(aid)[cell] == 1)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 10
    assert solver.Solve(fm.m) == cp_model.OPTIMAL
    objective = sum(fm.term_values(solver).values())
    score = score_fet(p, fm.solution(solver))
    assert score.compliant and score.soft == pytest.approx(objective)
    return objective


LONG = ((3, (0,), (0,), 0),)


@pytest.mark.parametrize("kind,params", [
    ("ActivityPreferredTimeSlots", {"activity": 1}),
    ("ActivitiesPreferredTimeSlots", {"teacher": 0}),
    ("SubactivitiesPreferredTimeSlots", {"teacher": 0, "component": 1})])
def test_time_slots_cost_each_hour_outside(kind: str, params: dict) -> None:
    rule = con(kind, 50, slots=((0, 2), (0, 3)), **params)
    p = mini(rule, acts=LONG, hours=5)
    assert cost(p, {1: (0, 0)}) == pytest.approx(2 * 0.5)
    assert cost(p, {1: (1, 0)}) == pytest.approx(3 * 0.5)
    # binds: the least hours outside is one (the slots hold two of three hours)
    assert cost(p) == pytest.approx(0.5)


SPREAD = ((1, (0,), (0,), 0), (2, (0,), (0,), 0))


def test_teacher_min_hours_daily_one_per_day_short() -> None:
    rule = con("TeacherMinHoursDaily", 50, teacher=0, bound=3, allow_empty=True)
    p = mini(rule, acts=SPREAD)
    assert cost(p, {1: (0, 0), 2: (1, 0)}) == pytest.approx(2 * 0.5)
    assert cost(p) == 0


def test_students_min_hours_daily_hours_short() -> None:
    rule = con("StudentsSetMinHoursDaily", 50, students="S0", subgroups=(0,), bound=3,
               allow_empty=True)
    assert cost(mini(rule, acts=SPREAD), {1: (0, 0), 2: (1, 0)}) == pytest.approx(3 * 0.5)


def test_students_not_available_each_subgroup() -> None:
    both = ((1, (0,), (0, 1), 0),)
    rule = con("StudentsSetNotAvailableTimes", 30, students="ALL", subgroups=(0, 1),
               slots=((0, 0),))
    assert cost(mini(rule, acts=both), {1: (0, 0)}) == pytest.approx(2 * 0.3)
    assert cost(mini(rule, acts=both)) == 0


def test_early_late_day_counts_twice() -> None:
    rule = con("StudentsEarlyMaxBeginningsAtSecondHour", 50, bound=0)
    one = ((1, (0,), (0,), 0),)
    assert cost(mini(rule, acts=one), {1: (0, 2)}) == pytest.approx(2 * 0.5)
    assert cost(mini(rule, acts=one), {1: (0, 1)}) == pytest.approx(0.5)


def test_max_days_costs_hours_of_least_busy_days() -> None:
    acts = ((1, (0,), (0,), 0), (2, (0,), (0,), 0), (1, (0,), (0,), 0))
    rule = con("TeacherMaxDaysPerWeek", 50, teacher=0, bound=1)
    p = mini(rule, acts=acts, hours=5)
    assert cost(p, {1: (0, 0), 2: (1, 0), 3: (2, 0)}) == pytest.approx(2 * 0.5)
    assert cost(p, {1: (0, 0), 2: (1, 0), 3: (1, 2)}) == pytest.approx(1 * 0.5)
    # binds: all four hours fit on one day
    assert cost(p) == 0
    # with four hours a day the 2-hour lesson and one 1-hour lesson share a day: one
    # hour left over, not a whole day
    rule2 = con("TeacherMaxDaysPerWeek", 50, teacher=0, bound=1)
    assert cost(mini(rule2, acts=acts + ((1, (0,), (0,), 0),), hours=4)) == \
        pytest.approx(1 * 0.5)


def test_solve_reports_the_checkers_score(monkeypatch: pytest.MonkeyPatch) -> None:
    """A FEASIBLE stop's CP-SAT objective can exceed the timetable's true cost (excess
    variables are only bounded below): here CP-SAT's terms are inflated, and the result
    still carries the checker's objective and terms, the bound at most the objective."""
    gaps = con("TeacherMaxGapsPerWeek", 50, teacher=0, bound=0)
    p = mini(gaps, con("ActivityPreferredStartingTime", activity=1, day=0, hour=0),
             con("ActivityPreferredStartingTime", activity=2, day=0, hour=2))
    real = FetModel.term_values
    monkeypatch.setattr(FetModel, "term_values",
                        lambda self, s: {k: v + 3.0 for k, v in real(self, s).items()})
    r = solve_fet_problem(p, time_limit=5, workers=1, search=False)
    score = score_fet(p, r.solution)
    assert r.objective == pytest.approx(score.soft) == pytest.approx(0.5)
    assert r.terms == {"TeacherMaxGapsPerWeek": pytest.approx(0.5)}
    assert r.bound <= r.objective
    assert fet_solve.checked_terms(p, r.solution) == r.terms
