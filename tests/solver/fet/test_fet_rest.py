"""The CP-SAT families of the group "rest" kinds, each alone on a minimal FET problem.

As in ``test_fet_families.py``: the hard rule holds (the checker finds nothing),
literals fixed to a timetable that breaks it make the model INFEASIBLE, it binds (the
most breaking starts taken at once differs from the free problem), and at a weight
below 100 % a fixed breaking timetable costs the checker's amount.
"""

from __future__ import annotations

import pytest

from jianfu.models.fet import FetConstraint, FetProblem
from jianfu.solver.fet.model import FetModel

from models.fet_helpers import con, mini
from models.test_fet_check_rest import FOUR, REST_SCOPES, SPAN_SCOPES, WEEK_SCOPES
from models.test_fet_check_rooms import THREE, buildings
from test_fet_families import INFEASIBLE, OPTIMAL, run


def test_max_simultaneous_in_selected_slots() -> None:
    kind = "ActivitiesMaxSimultaneousInSelectedTimeSlots"

    def problem(*cs: FetConstraint) -> FetProblem:
        return mini(*cs, days=1)
    rule = con(kind, activities=(1, 2, 3), slots=tuple((0, h) for h in range(4)), max=1)
    # holds: the day's four hours hold the four hours of lessons one at a time
    r = run(problem(rule))
    assert r.status == OPTIMAL and not {r.at(1)[1], r.at(2)[1]} & {r.at(3)[1], r.at(3)[1] + 1}
    # must fail
    assert run(problem(rule), {1: (0, 0), 3: (0, 0)}).status == INFEASIBLE
    # binds
    most = ((1, (0, 0)), (3, (0, 0)))
    assert run(problem(rule), most=most).best == 1
    assert run(problem(), most=most).best == 2
    # soft at 40 %: one slot over
    soft = con(kind, 40, activities=(1, 2, 3), slots=tuple((0, h) for h in range(4)), max=1)
    assert run(problem(soft), {1: (0, 0), 3: (0, 0)}).objective == pytest.approx(0.4)
    assert run(problem(soft)).objective == 0


def test_occupy_max_different_rooms() -> None:
    kind = "ActivitiesOccupyMaxDifferentRooms"
    anywhere = tuple(con("ActivityPreferredRooms", activity=a, rooms=(0, 1, 2)) for a in (1, 2, 3))

    def problem(*cs: FetConstraint) -> FetProblem:
        return mini(*anywhere, *cs, rooms=3)
    rule = con(kind, activities=(1, 2, 3), max=1)
    # holds: one room for all three (their rooms are not pooled then)
    fm = FetModel(problem(rule))
    fm.build()
    assert not fm.pools
    r = run(problem(rule))
    assert r.status == OPTIMAL and len({pl.room for pl in r.solution.placements.values()}) == 1
    # must fail
    assert run(problem(rule), rooms={1: 0, 2: 1}).status == INFEASIBLE
    # binds: A3 beside A1 at once needs another room
    most = ((1, (0, 0)), (3, (0, 0)))
    assert run(problem(rule), most=most).best == 1
    assert run(problem(), most=most).best == 2
    # soft at 50 %: two rooms
    soft = con(kind, 50, activities=(1, 2, 3), max=1)
    assert run(problem(soft), rooms={1: 0, 2: 1}).objective == pytest.approx(0.5)
    assert run(problem(soft)).objective == 0


#: A1, A4 in R0 (B1), A2, A3 in R1 (B2), by 100 % rules
ROOMED4 = tuple(con("ActivityPreferredRoom", activity=a, rooms=(r,))
                for a, r in ((1, 0), (2, 1), (3, 1), (4, 0)))


@pytest.mark.parametrize("kind", WEEK_SCOPES)
def test_max_building_changes_per_week(kind: str) -> None:
    def problem(*cs: FetConstraint) -> FetProblem:
        return buildings(mini(*ROOMED4, *cs, acts=FOUR, days=2))
    rule = con(kind, bound=1, **WEEK_SCOPES[kind])
    # D0: B1 B2, D1: B2 B1 — one change a day, two in the week
    both = {1: (0, 0), 2: (0, 1), 3: (1, 0), 4: (1, 1)}
    # holds
    r = run(problem(rule))
    assert r.status == OPTIMAL
    # must fail, though each day keeps a per-day bound of 1
    assert run(problem(rule), both).status == INFEASIBLE
    day = con(kind.replace("Week", "Day"), bound=1, **WEEK_SCOPES[kind])
    assert run(problem(day), both).status == OPTIMAL
    # binds
    most = tuple(both.items())
    assert run(problem(rule), most=most).best == 3
    assert run(problem(), most=most).best == 4
    # soft at 40 %: one change over the bound
    soft = con(kind, 40, bound=1, **WEEK_SCOPES[kind])
    assert run(problem(soft), both).objective == pytest.approx(0.4)
    assert run(problem(soft)).objective == 0


def test_building_changes_per_week_of_three_lessons() -> None:
    # B1 B2 B1 on one day is two changes: over a weekly bound of 1, not over 2
    rooms = tuple(con("ActivityPreferredRoom", activity=a, rooms=(r,))
                  for a, r in ((1, 0), (2, 1), (3, 0)))
    fix = {1: (0, 0), 2: (0, 1), 3: (0, 2)}
    for bound, status in ((1, INFEASIBLE), (2, OPTIMAL)):
        rule = con("TeacherMaxBuildingChangesPerWeek", teacher=0, bound=bound)
        assert run(buildings(mini(*rooms, rule, acts=THREE, days=2)), fix).status == status


@pytest.mark.parametrize("kind", REST_SCOPES)
def test_min_resting_hours(kind: str) -> None:
    def problem(*cs: FetConstraint) -> FetProblem:
        return mini(*cs, days=2)

    def rule(weight: float = 100, circular: bool = False) -> FetConstraint:
        return con(kind, weight, bound=4, circular=circular, **REST_SCOPES[kind])
    late_early = {1: (0, 3), 2: (1, 0)}
    # holds
    r = run(problem(rule()))
    assert r.status == OPTIMAL
    # must fail: no rest; A1 at H2 and A2 at H2 rest three hours, one short; H2 and H3
    # rest four
    assert run(problem(rule()), late_early).status == INFEASIBLE
    assert run(problem(rule()), {1: (0, 2), 2: (1, 2)}).status == INFEASIBLE
    assert run(problem(rule()), {1: (0, 2), 2: (1, 3)}).status == OPTIMAL
    # binds
    most = tuple(late_early.items())
    assert run(problem(rule()), most=most).best == 1
    assert run(problem(), most=most).best == 2
    # circular: D1's last lesson to D0's first
    wrap = {1: (1, 3), 2: (0, 0)}
    assert run(problem(rule()), wrap).status == OPTIMAL
    assert run(problem(rule(circular=True)), wrap).status == INFEASIBLE
    # soft at 50 %: four hours short
    assert run(problem(rule(50)), late_early).objective == pytest.approx(2.0)
    assert run(problem(rule(50))).objective == 0


@pytest.mark.parametrize("kind", SPAN_SCOPES)
def test_max_span_per_day(kind: str) -> None:
    def problem(*cs: FetConstraint) -> FetProblem:
        return mini(*cs, days=2)

    def rule(weight: float = 100) -> FetConstraint:
        return con(kind, weight, bound=2, **SPAN_SCOPES[kind])
    wide = {1: (0, 0), 2: (0, 3)}
    # holds
    assert run(problem(rule())).status == OPTIMAL
    # must fail: four hours from A1 to A2, or three; two hold
    assert run(problem(rule()), wide).status == INFEASIBLE
    assert run(problem(rule()), {1: (0, 0), 2: (0, 2)}).status == INFEASIBLE
    assert run(problem(rule()), {1: (0, 1), 2: (0, 2)}).status == OPTIMAL
    # binds
    most = tuple(wide.items())
    assert run(problem(rule()), most=most).best == 1
    assert run(problem(), most=most).best == 2
    # soft at 50 %: two hours over
    assert run(problem(rule(50)), wide).objective == pytest.approx(1.0)
    assert run(problem(rule(50))).objective == 0


def test_max_days_between_activities() -> None:
    def problem(*cs: FetConstraint) -> FetProblem:
        return mini(*cs, days=4)

    def rule(weight: float = 100) -> FetConstraint:
        return con("MaxDaysBetweenActivities", weight, activities=(1, 2), max_days=1)
    far = {1: (0, 0), 2: (3, 0)}
    # holds
    r = run(problem(rule()))
    assert r.status == OPTIMAL and abs(r.at(1)[0] - r.at(2)[0]) <= 1
    # must fail
    assert run(problem(rule()), {1: (0, 0), 2: (2, 0)}).status == INFEASIBLE
    assert run(problem(rule()), {1: (2, 0), 2: (1, 0)}).status == OPTIMAL
    # binds
    most = tuple(far.items())
    assert run(problem(rule()), most=most).best == 1
    assert run(problem(), most=most).best == 2
    # soft at 50 %: two days too far
    assert run(problem(rule(50)), far).objective == pytest.approx(1.0)
    assert run(problem(rule(50))).objective == 0


def test_same_room_if_consecutive() -> None:
    anywhere = tuple(con("ActivityPreferredRooms", activity=a, rooms=(0, 1)) for a in (1, 2))

    def problem(*cs: FetConstraint) -> FetProblem:
        return mini(*anywhere, *cs, rooms=2)
    rule = con("ActivitiesSameRoomIfConsecutive", activities=(1, 2))
    back_to_back = {1: (0, 0), 2: (0, 1)}
    # holds
    r = run(problem(rule), back_to_back)
    assert r.status == OPTIMAL
    assert r.solution.placements[1].room == r.solution.placements[2].room
    # must fail, not with an hour between
    assert run(problem(rule), back_to_back, rooms={1: 0, 2: 1}).status == INFEASIBLE
    assert run(problem(rule), {1: (0, 0), 2: (0, 2)}, rooms={1: 0, 2: 1}).status == OPTIMAL
    # binds: kept apart in rooms by 100 % rules, they cannot be back to back
    apart = (con("ActivityPreferredRoom", activity=1, rooms=(0,)),
             con("ActivityPreferredRoom", activity=2, rooms=(1,)))
    most = tuple(back_to_back.items())
    assert run(mini(*apart, rule, rooms=2), most=most).best == 1
    assert run(mini(*apart, rooms=2), most=most).best == 2
    # soft at 50 %
    soft = con("ActivitiesSameRoomIfConsecutive", 50, activities=(1, 2))
    assert run(problem(soft), back_to_back, rooms={1: 0, 2: 1}).objective == pytest.approx(0.5)
    assert run(problem(soft), back_to_back).objective == 0
