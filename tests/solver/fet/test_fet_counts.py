"""The counts group's FetModel families alone on :func:`models.fet_helpers.mini`:
holds, must fail, binds and soft cost, as in ``test_fet_families.py``; then hard
instances where each kind forces the answer, through :func:`solve_fet_problem`."""

from __future__ import annotations

import pytest
from jianfu.models.fet_check import score_fet
from jianfu.solver.fet.solve import solve_fet_problem
from models.fet_helpers import at, con, mini
from test_fet_families import INFEASIBLE, OPTIMAL, THREE, run

#: one-hour activities: T0/S0 twice, T1/S1 twice
FOUR = ((1, (0,), (0,), 0, ()),) * 2 + ((1, (1,), (1,), 0, ()),) * 2

DAILY = {"StudentsSetMaxHoursDaily": {"students": "S0", "subgroups": (0,)},
         "StudentsMaxHoursDaily": {}}


@pytest.mark.parametrize("kind", DAILY)
def test_students_max_hours_daily(kind: str) -> None:
    rule = con(kind, bound=1, **DAILY[kind])
    together = {1: (0, 0), 2: (0, 1)}
    r = run(mini(rule, acts=THREE[:2]))
    assert r.status == OPTIMAL and r.at(1)[0] != r.at(2)[0]
    assert run(mini(rule, acts=THREE[:2]), together).status == INFEASIBLE
    assert run(mini(rule, acts=THREE[:2]), most=tuple(together.items())).best == 1
    assert run(mini(acts=THREE[:2]), most=tuple(together.items())).best == 2
    # soft at 50 %: three hours on day 0 are one day over, as fet-cl scores it
    soft = con(kind, 50, bound=1, **DAILY[kind])
    monday = {1: (0, 0), 2: (0, 1), 3: (0, 2)}
    assert run(mini(soft, acts=THREE), monday).objective == pytest.approx(0.5)
    assert run(mini(soft, acts=THREE)).objective == 0


def test_identical_subgroups_each_cost_a_soft_unit() -> None:
    # S0 and S1 attend both lessons: each is one day over, as the checker counts
    both = ((1, (0,), (0, 1), 0, ()),) * 2
    soft = con("StudentsMaxHoursDaily", 50, bound=1)
    assert run(mini(soft, acts=both), {1: (0, 0), 2: (0, 1)}).objective == pytest.approx(1.0)


CONTINUOUS = {"TeacherMaxHoursContinuously": {"teacher": 0},
              "TeachersMaxHoursContinuously": {},
              "StudentsSetMaxHoursContinuously": {"students": "S0", "subgroups": (0,)},
              "StudentsMaxHoursContinuously": {}}


@pytest.mark.parametrize("kind", CONTINUOUS)
def test_max_hours_continuously(kind: str) -> None:
    scope = CONTINUOUS[kind]
    rule = con(kind, bound=2, **scope)
    row = {1: (0, 0), 2: (0, 1), 3: (0, 2)}
    # holds, and must fail: three in a row
    assert run(mini(rule, acts=THREE)).status == OPTIMAL
    assert run(mini(rule, acts=THREE), row).status == INFEASIBLE
    # a break or a not-available hour between ends the run (fet-cl agrees)
    split = {1: (0, 0), 2: (0, 1), 3: (0, 3)}
    assert run(mini(rule, con("BreakTimes", slots=((0, 2),)), acts=THREE), split).status == OPTIMAL
    na = con("StudentsSetNotAvailableTimes", students="S0", subgroups=(0,), slots=((0, 2),))
    assert run(mini(rule, na, acts=THREE), split).status == OPTIMAL
    # binds: after two in a row the third may not follow
    assert run(mini(rule, acts=THREE), {1: (0, 0), 2: (0, 1)}, most=((3, (0, 2)),)).best == 0
    assert run(mini(acts=THREE), {1: (0, 0), 2: (0, 1)}, most=((3, (0, 2)),)).best == 1
    # soft at 50 %, a maximum of one: one unit per longer run
    soft = con(kind, 50, bound=1, **scope)
    assert run(mini(soft, acts=THREE), row).objective == pytest.approx(0.5)
    two_runs = {1: (0, 0), 2: (0, 1), 3: (1, 2), 4: (1, 3)}
    assert run(mini(soft, acts=THREE + THREE[:1]), two_runs).objective == pytest.approx(1.0)
    assert run(mini(soft, acts=THREE)).objective == 0


def test_max_hours_continuously_below_a_long_activity() -> None:
    # activity 3 lasts two hours: a maximum of one cannot hold for T1
    assert run(mini(con("TeachersMaxHoursContinuously", bound=1))).status == INFEASIBLE
    soft = con("TeachersMaxHoursContinuously", 50, bound=1)
    assert run(mini(soft)).objective == pytest.approx(0.5)


def test_teachers_max_days_per_week() -> None:
    rule = con("TeachersMaxDaysPerWeek", bound=1)
    r = run(mini(rule, acts=FOUR))
    assert r.status == OPTIMAL and r.at(1)[0] == r.at(2)[0] and r.at(3)[0] == r.at(4)[0]
    apart = {3: (0, 0), 4: (1, 0)}            # T1 on two days
    assert run(mini(rule, acts=FOUR), apart).status == INFEASIBLE
    assert run(mini(rule, acts=FOUR), most=tuple(apart.items())).best == 1
    assert run(mini(acts=FOUR), most=tuple(apart.items())).best == 2
    soft = con("TeachersMaxDaysPerWeek", 50, bound=1)
    spread = {1: (0, 0), 2: (1, 0), 3: (0, 1), 4: (2, 1)}
    assert run(mini(soft, acts=FOUR), spread).objective == pytest.approx(2 * 0.5)


MIN_DAYS = {"TeacherMinDaysPerWeek": {"teacher": 0}, "TeachersMinDaysPerWeek": {}}


@pytest.mark.parametrize("kind", MIN_DAYS)
def test_min_days_per_week(kind: str) -> None:
    rule = con(kind, bound=2, **MIN_DAYS[kind])
    r = run(mini(rule, acts=FOUR))
    assert r.status == OPTIMAL and r.at(1)[0] != r.at(2)[0]
    same = {1: (0, 0), 2: (0, 1)}
    assert run(mini(rule, acts=FOUR), same).status == INFEASIBLE
    assert run(mini(rule, acts=FOUR), most=tuple(same.items())).best == 1
    assert run(mini(acts=FOUR), most=tuple(same.items())).best == 2
    # soft at 50 %: three days for two lessons, one day short at best
    soft = con(kind, 50, bound=3, **MIN_DAYS[kind])
    units = 1 if kind == "TeacherMinDaysPerWeek" else 2
    assert run(mini(soft, acts=FOUR)).objective == pytest.approx(units * 0.5)
    assert run(mini(soft, acts=FOUR), same).objective == pytest.approx((units + 1) * 0.5)


def test_teacher_without_lessons_cannot_keep_min_days() -> None:
    assert run(mini(con("TeachersMinDaysPerWeek", bound=1), teachers=3)).status == INFEASIBLE
    assert run(mini(con("TeachersMinDaysPerWeek", bound=1))).status == OPTIMAL


INTERVAL = {"TeacherIntervalMaxDaysPerWeek": {"teacher": 0},
            "TeachersIntervalMaxDaysPerWeek": {},
            "StudentsSetIntervalMaxDaysPerWeek": {"students": "S0", "subgroups": (0,)},
            "StudentsIntervalMaxDaysPerWeek": {}}


@pytest.mark.parametrize("kind", INTERVAL)
def test_interval_max_days_per_week(kind: str) -> None:
    scope, everyone = INTERVAL[kind], not INTERVAL[kind]
    # hours 2 and 3, to the end of the day
    rule = con(kind, start=2, end=4, bound=0, **scope)
    r = run(mini(rule))
    assert r.status == OPTIMAL and r.at(1)[1] < 2 and r.at(2)[1] < 2
    assert r.at(3)[1] == 0 or not everyone          # two hours from hour 0 only
    assert run(mini(rule), {1: (0, 2)}).status == INFEASIBLE
    assert run(mini(rule), {3: (0, 1)}).status == (INFEASIBLE if everyone else OPTIMAL)
    assert run(mini(rule), most=((1, (0, 3)),)).best == 0
    assert run(mini(), most=((1, (0, 3)),)).best == 1
    # a maximum of one day
    one = con(kind, start=2, end=4, bound=1, **scope)
    assert run(mini(one), {1: (0, 2), 2: (1, 3)}).status == INFEASIBLE
    assert run(mini(one), {1: (0, 2), 2: (0, 3)}).status == OPTIMAL
    soft = con(kind, 50, start=2, end=4, bound=0, **scope)
    assert run(mini(soft), {1: (0, 2), 2: (1, 3), 3: (0, 0)}).objective == pytest.approx(1.0)
    assert run(mini(soft)).objective == 0


# hard instances where each kind forces the answer: (kind, constraints, check)
COUNTS_BINDS = [
    ("StudentsSetMaxHoursDaily",
     [con("StudentsSetMaxHoursDaily", students="S0", subgroups=(0,), bound=1),
      con("TeacherMaxDaysPerWeek", teacher=0, bound=2)],
     lambda r: at(r, 1)[0] != at(r, 2)[0]),
    ("TeacherMaxHoursContinuously",
     [con("TeacherMaxHoursContinuously", teacher=0, bound=1),
      con("TeacherMaxDaysPerWeek", teacher=0, bound=1)],
     lambda r: abs(at(r, 1)[1] - at(r, 2)[1]) > 1),
    ("TeachersMaxDaysPerWeek", [con("TeachersMaxDaysPerWeek", bound=1)],
     lambda r: at(r, 1)[0] == at(r, 2)[0]),
    ("TeacherMinDaysPerWeek", [con("TeacherMinDaysPerWeek", teacher=0, bound=2)],
     lambda r: at(r, 1)[0] != at(r, 2)[0]),
    ("StudentsIntervalMaxDaysPerWeek",
     [con("StudentsIntervalMaxDaysPerWeek", start=2, end=4, bound=0)],
     lambda r: at(r, 1)[1] < 2 and at(r, 2)[1] < 2 and at(r, 3)[1] == 0),
]


@pytest.mark.parametrize("kind,cs,ok", COUNTS_BINDS, ids=[b[0] for b in COUNTS_BINDS])
def test_hard_kind_binds(kind: str, cs: list, ok) -> None:
    p = mini(*cs)
    r = solve_fet_problem(p, time_limit=10, workers=1)
    assert r.solution is not None, r.explanation
    assert score_fet(p, r.solution).compliant
    assert ok(r)
