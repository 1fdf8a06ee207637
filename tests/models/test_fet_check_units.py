"""The checker counts each kind in FET 6.8.5's own unit (its constraints' fitness):
"this timetable costs exactly N" for the kinds whose unit was once jianfu's own."""

from __future__ import annotations

import pytest
from jianfu.models.fet import FetSolution, Placement
from jianfu.models.fet_check import check_fet, score_fet

from .fet_helpers import con, mini


def sol(*places: tuple) -> FetSolution:
    """Placements of activities 1, 2, 3 … as (day, hour)."""
    return FetSolution({i + 1: Placement(*p) for i, p in enumerate(places)})


def amount(kind: str, *cs, places: FetSolution, **kw) -> float:
    return sum(v.amount for v in check_fet(mini(*cs, **kw), places) if v.rule == kind)


#: one three-hour activity of T0/S0
LONG = ((3, (0,), (0,), 0),)


@pytest.mark.parametrize("kind,params", [
    ("ActivityPreferredTimeSlots", {"activity": 1}),
    ("ActivitiesPreferredTimeSlots", {"teacher": 0}),
    ("SubactivitiesPreferredTimeSlots", {"teacher": 0, "component": 1}),
])
def test_time_slots_cost_each_hour_outside(kind: str, params: dict) -> None:
    rule = con(kind, 50, slots=((0, 2), (0, 3)), **params)
    # hours 0, 1 outside, hour 2 inside: two units, 2 × 0.5
    assert amount(kind, rule, places=sol((0, 0)), acts=LONG, hours=5) == 2
    assert score_fet(mini(rule, acts=LONG, hours=5), sol((0, 0))).soft == pytest.approx(1.0)
    assert amount(kind, rule, places=sol((0, 1)), acts=LONG, hours=5) == 1
    assert amount(kind, rule, places=sol((1, 0)), acts=LONG, hours=5) == 3


#: T0/S0: one hour on D0, two on D1, nothing on D2
SPREAD = ((1, (0,), (0,), 0), (2, (0,), (0,), 0))


@pytest.mark.parametrize("kind,params", [
    ("TeacherMinHoursDaily", {"teacher": 0}), ("TeachersMinHoursDaily", {})])
def test_teacher_min_hours_daily_is_one_per_day_short(kind: str, params: dict) -> None:
    rule = con(kind, 50, bound=3, allow_empty=True, **params)
    # D0 two hours short, D1 one: two days short (FET), not three hours; D2 empty
    assert amount(kind, rule, places=sol((0, 0), (1, 0)), acts=SPREAD) == 2


@pytest.mark.parametrize("kind,params", [
    ("StudentsSetMinHoursDaily", {"students": "S0", "subgroups": (0,)}),
    ("StudentsMinHoursDaily", {})])
def test_students_min_hours_daily_is_hours_short(kind: str, params: dict) -> None:
    rule = con(kind, 50, bound=3, allow_empty=True, **params)
    # S0: 2 + 1 hours short; S1 has no lessons at all (an allowed empty week)
    assert amount(kind, rule, places=sol((0, 0), (1, 0)), acts=SPREAD) == 3
    strict = con(kind, 50, bound=3, allow_empty=False, **params)
    # without empty days D2 is 3 hours short too (and for StudentsMinHoursDaily S1's
    # three days, 9 hours)
    extra = 9 if kind == "StudentsMinHoursDaily" else 0
    assert amount(kind, strict, places=sol((0, 0), (1, 0)), acts=SPREAD) == 6 + extra


def test_students_not_available_counts_each_subgroup() -> None:
    # one activity of both subgroups in the set's not-available hour: 2 units (FET
    # counts each subgroup's hour), 2 × 0.3
    both = ((1, (0,), (0, 1), 0),)
    rule = con("StudentsSetNotAvailableTimes", 30, students="ALL", subgroups=(0, 1),
               slots=((0, 0),))
    assert amount("StudentsSetNotAvailableTimes", rule, places=sol((0, 0)), acts=both) == 2
    assert score_fet(mini(rule, acts=both), sol((0, 0))).soft == pytest.approx(0.6)
    one = con("StudentsSetNotAvailableTimes", 30, students="S0", subgroups=(0,),
              slots=((0, 0),))
    assert amount("StudentsSetNotAvailableTimes", one, places=sol((0, 0)), acts=both) == 1


def test_early_late_day_is_a_late_beginning_too() -> None:
    rule = con("StudentsEarlyMaxBeginningsAtSecondHour", 50, bound=0)
    one = ((1, (0,), (0,), 0),)
    # begins at the third hour: one late day, and one beginning after the first
    assert amount("StudentsEarlyMaxBeginningsAtSecondHour", rule, places=sol((0, 2)),
                  acts=one) == 2
    assert amount("StudentsEarlyMaxBeginningsAtSecondHour", rule, places=sol((0, 1)),
                  acts=one) == 1
    loose = con("StudentsEarlyMaxBeginningsAtSecondHour", 50, bound=1)
    assert amount("StudentsEarlyMaxBeginningsAtSecondHour", loose, places=sol((0, 2)),
                  acts=one) == 1


@pytest.mark.parametrize("kind,params", [
    ("TeacherMaxDaysPerWeek", {"teacher": 0}), ("TeachersMaxDaysPerWeek", {})])
def test_max_days_costs_hours_of_least_busy_days(kind: str, params: dict) -> None:
    # T0 on D0 (1 hour), D1 (2 hours), D2 (1 hour); max 1 day: the two least busy
    # days would go, 1 + 1 hours (FET), not 2 days over
    acts = ((1, (0,), (0,), 0), (2, (0,), (0,), 0), (1, (0,), (0,), 0))
    rule = con(kind, 50, bound=1, **params)
    assert amount(kind, rule, places=sol((0, 0), (1, 0), (2, 0)), acts=acts) == 2
    # max 2: only D0 or D2 goes, 1 hour
    rule2 = con(kind, 50, bound=2, **params)
    assert amount(kind, rule2, places=sol((0, 0), (1, 0), (2, 0)), acts=acts) == 1
    assert amount(kind, rule2, places=sol((0, 0), (1, 0), (1, 2)), acts=acts) == 0
