"""The CP-SAT families of the group "rooms" kinds, each alone on a minimal FET problem.

As in ``test_fet_families.py``: the hard rule holds (the checker finds nothing),
literals fixed to a timetable that breaks it make the model INFEASIBLE, it binds (the
most breaking starts taken at once, or the room left, differs from the free problem),
and at a weight below 100 % a fixed breaking timetable costs the checker's amount.
"""

from __future__ import annotations

import pytest
from ortools.sat.python import cp_model

from jianfu.models.fet import FetConstraint, FetProblem
from jianfu.models.fet_check import cannot_place
from jianfu.solver.fet.model import FetModel

from models.fet_helpers import con, mini
from models.test_fet_check_rooms import ROOM_RULES, SCOPES, TAGGED, THREE, buildings
from test_fet_families import INFEASIBLE, OPTIMAL, run


def built(p: FetProblem) -> FetModel:
    fm = FetModel(p)
    fm.build()
    return fm


# -- home rooms and tag rooms ------------------------------------------------------------

@pytest.mark.parametrize("kind", ROOM_RULES)
def test_room_rule(kind: str) -> None:
    params, bound = ROOM_RULES[kind]
    rooms = set(params["rooms"])
    p = mini(con(kind, **params), acts=TAGGED, rooms=3)
    # holds: the bound activities are in the rule's rooms, the others in none
    r = run(p)
    assert r.status == OPTIMAL
    for aid, pl in r.solution.placements.items():
        assert (pl.room in rooms) if aid in bound else pl.room is None
    # must fail and binds: no other room (nor none) is left to them
    fm, free = built(p), built(mini(acts=TAGGED, rooms=3))
    for aid in bound:
        i = p.index_of(aid)
        assert set(fm.room_dom[i]) == rooms and free.room_dom[i] == (None,)
    # soft at 70 %: a bound activity in no room costs 0.7
    soft = mini(con(kind, 70, **params), acts=TAGGED, rooms=3)
    assert run(soft, rooms={min(bound): None}).objective == pytest.approx(0.7)
    assert run(soft).objective == 0


def test_home_room_gives_way_to_tag_room() -> None:
    # A1 (tagged) may leave the home room R0 for the tag's R1; A2 may not
    rules = (con("StudentsSetHomeRoom", students="S0", subgroups=(0,), rooms=(0,)),
             con("ActivityTagPreferredRoom", tag=0, rooms=(1,)))
    fm = built(mini(*rules, acts=TAGGED, rooms=3))
    assert fm.room_dom[0] == (1,) and fm.room_dom[1] == (0,)


def test_teacher_and_students_home_rooms_meet() -> None:
    # A1, A2 of T0 and S0: home rooms {R0, R1} and {R1, R2} leave R1; disjoint ones none
    meet = (con("TeacherHomeRooms", teacher=0, rooms=(0, 1)),
            con("StudentsSetHomeRooms", students="S0", subgroups=(0,), rooms=(1, 2)))
    assert built(mini(*meet, rooms=3)).room_dom[0] == (1,)
    apart = (con("TeacherHomeRoom", teacher=0, rooms=(0,)),
             con("StudentsSetHomeRoom", students="S0", subgroups=(0,), rooms=(2,)))
    with pytest.raises(Exception, match="no room meets all its 100% room rules"):
        built(mini(*apart, rooms=3))
    assert cannot_place(mini(*apart, rooms=3), 1)          # and the checker agrees


# -- building changes ----------------------------------------------------------------------

#: A1 in R0 (B1), A2 in R1 (B2), A3 in R0 (B1), by 100 % rules
ROOMED = (con("ActivityPreferredRoom", activity=1, rooms=(0,)),
          con("ActivityPreferredRoom", activity=2, rooms=(1,)),
          con("ActivityPreferredRoom", activity=3, rooms=(0,)))


def building_problem(*cs: FetConstraint, hours: int = 4) -> FetProblem:
    return buildings(mini(*ROOMED, *cs, acts=THREE, days=1, hours=hours))


@pytest.mark.parametrize("kind", [k for k in SCOPES if "Max" in k])
def test_max_building_changes(kind: str) -> None:
    rule = con(kind, bound=1, **SCOPES[kind])
    between = {1: (0, 0), 2: (0, 1), 3: (0, 2)}           # B1 B2 B1: two changes
    # holds: A2 (B2) not between A1 and A3 (B1)
    r = run(building_problem(rule))
    assert r.status == OPTIMAL
    h1, h2, h3 = (r.at(a)[1] for a in (1, 2, 3))
    assert not min(h1, h3) < h2 < max(h1, h3)
    # must fail
    assert run(building_problem(rule), between).status == INFEASIBLE
    # binds
    fix = {1: (0, 0), 3: (0, 2)}
    assert run(building_problem(rule), fix, most=((2, (0, 1)),)).best == 0
    assert run(building_problem(), fix, most=((2, (0, 1)),)).best == 1
    # soft at 40 %: one change over the bound
    soft = con(kind, 40, bound=1, **SCOPES[kind])
    assert run(building_problem(soft), between).objective == pytest.approx(0.4)
    assert run(building_problem(soft)).objective == 0


@pytest.mark.parametrize("kind", [k for k in SCOPES if "MinGaps" in k])
def test_min_gaps_between_building_changes(kind: str) -> None:
    rule = con(kind, bound=1, **SCOPES[kind])
    two = ROOMED[:2]
    acts = THREE[:2]

    def problem(*cs: FetConstraint) -> FetProblem:
        return buildings(mini(*two, *cs, acts=acts, days=1, hours=3))
    # holds: B1 and B2 with an hour between
    r = run(problem(rule))
    assert r.status == OPTIMAL and abs(r.at(1)[1] - r.at(2)[1]) == 2
    # must fail
    assert run(problem(rule), {1: (0, 0), 2: (0, 1)}).status == INFEASIBLE
    # binds
    most = ((1, (0, 0)), (2, (0, 1)))
    assert run(problem(rule), most=most).best == 1
    assert run(problem(), most=most).best == 2
    # soft at 40 %: one change too close
    soft = con(kind, 40, bound=1, **SCOPES[kind])
    assert run(problem(soft), {1: (0, 1), 2: (0, 0)}).objective == pytest.approx(0.4)
    assert run(problem(soft)).objective == 0


def test_an_hour_in_no_building_is_a_gap() -> None:
    # A2 in R2 (no building) between A1 (B1) and A3 (B2): one free hour, so MinGaps 1
    # holds with the three back to back, MinGaps 2 does not
    rooms = (con("ActivityPreferredRoom", activity=1, rooms=(0,)),
             con("ActivityPreferredRoom", activity=2, rooms=(2,)),
             con("ActivityPreferredRoom", activity=3, rooms=(1,)))
    back_to_back = {1: (0, 0), 2: (0, 1), 3: (0, 2)}
    for bound, status in ((1, OPTIMAL), (2, INFEASIBLE)):
        p = buildings(mini(*rooms, con("TeacherMinGapsBetweenBuildingChanges", teacher=0,
                                       bound=bound), acts=THREE, days=1, hours=3))
        assert run(p, back_to_back).status == status


def test_room_choice_keeps_the_building() -> None:
    # A2 may be in R1 (B2) or R3 (B1); between A1 and A3 in B1, no change leaves R3
    rooms = (ROOMED[0], con("ActivityPreferredRooms", activity=2, rooms=(1, 3)), ROOMED[2])
    fix = {1: (0, 0), 2: (0, 1), 3: (0, 2)}
    rule = con("StudentsSetMaxBuildingChangesPerDay", students="S0", subgroups=(0,), bound=0)
    p = buildings(mini(*rooms, rule, acts=THREE, days=1))
    r = run(p, fix)
    assert r.status == OPTIMAL and r.solution.placements[2].room == 3
    assert run(p, fix, rooms={2: 1}).status == INFEASIBLE


def test_identical_subgroups_each_pay() -> None:
    # S0 and S1 attend the same activities: a change costs for each, as the checker says
    acts = tuple((1, (0,), (0, 1), 0, ()) for _ in range(2))
    p = buildings(mini(*ROOMED[:2], con("StudentsMaxBuildingChangesPerDay", 50, bound=0),
                       acts=acts, days=1))
    assert run(p, {1: (0, 0), 2: (0, 1)}).objective == pytest.approx(2 * 0.5)


def test_rooms_of_two_buildings_are_not_pooled() -> None:
    # interchangeable rooms are handed out after solving; across buildings they are not
    # interchangeable for a building rule
    acts = ((1, (0,), (0,), 0, ()), (1, (1,), (1,), 0, ()))
    rooms = (con("ActivityPreferredRooms", activity=1, rooms=(0, 1)),
             con("ActivityPreferredRooms", activity=2, rooms=(0, 1)))
    assert built(buildings(mini(*rooms, acts=acts))).pools
    rule = con("TeachersMaxBuildingChangesPerDay", bound=0)
    fm = built(buildings(mini(*rooms, rule, acts=acts)))
    assert not fm.pools and all(fm.y[i] for i in (0, 1))
    assert cp_model.CpSolver().Solve(fm.m) == OPTIMAL
