"""The FET checker on the group "rooms" kinds: home rooms of students sets and
teachers, activity-tag and subject + activity-tag preferred rooms, building changes."""

from __future__ import annotations

from dataclasses import replace

import pytest
from jianfu.models.fet import FetProblem, FetRoom, FetSolution, Placement, room_rules
from jianfu.models.fet_check import building_changes, check_fet, score_fet

from .fet_helpers import con, mini

#: A1 and A3 carry the tag; A1, A2 are subject X of T0/S0, A3 subject Y of T1/S1
TAGGED = ((1, (0,), (0,), 0, (0,)), (1, (0,), (0,), 0, ()), (2, (1,), (1,), 1, (0,)))
#: three one-hour activities of T0/S0
THREE = ((1, (0,), (0,), 0, ()),) * 3


def sol(*places: tuple) -> FetSolution:
    """Placements of activities 1, 2, 3 … as (day, hour[, room])."""
    return FetSolution({i + 1: Placement(*p) for i, p in enumerate(places)})


# kind: (params, the activities it binds)
ROOM_RULES = {
    "StudentsSetHomeRoom": ({"students": "S0", "subgroups": (0,), "rooms": (1,)}, {1, 2}),
    "StudentsSetHomeRooms": ({"students": "S1", "subgroups": (1,), "rooms": (1, 2)}, {3}),
    "TeacherHomeRooms": ({"teacher": 0, "rooms": (1, 2)}, {1, 2}),
    "ActivityTagPreferredRoom": ({"tag": 0, "rooms": (1,)}, {1, 3}),
    "ActivityTagPreferredRooms": ({"tag": 0, "rooms": (1, 2)}, {1, 3}),
    "SubjectActivityTagPreferredRoom": ({"subject": 0, "tag": 0, "rooms": (1,)}, {1}),
    "SubjectActivityTagPreferredRooms": ({"subject": 0, "tag": 0, "rooms": (1, 2)}, {1}),
}


@pytest.mark.parametrize("kind", ROOM_RULES)
def test_room_rule_holds_and_breaks(kind: str) -> None:
    params, bound = ROOM_RULES[kind]
    p = mini(con(kind, **params), acts=TAGGED, rooms=3)
    assert room_rules(p).keys() == {a - 1 for a in bound}
    inside = {a: (a - 1, 0, 1) for a in (1, 2, 3)}
    assert score_fet(p, sol(*inside.values())).compliant
    first = min(bound)
    for room in (0, None):                  # another room, no room: one hard unit
        places = dict(inside) | {first: (first - 1, 0, room)}
        vs = check_fet(p, sol(*places.values()))
        assert [(v.rule, v.amount) for v in vs] == [(kind, 1)]
    soft = mini(con(kind, 65, **params), acts=TAGGED, rooms=3)
    places = {a: (a - 1, 0, 0) for a in (1, 2, 3)}        # every bound one elsewhere
    assert score_fet(soft, sol(*places.values())).soft == pytest.approx(0.65 * len(bound))


def test_students_set_home_room_binds_only_activities_of_that_set_alone() -> None:
    # FET compares the activity's students as written: A2 of S0 and S1 is not bound
    acts = ((1, (0,), (0,), 0), (1, (0,), (0, 1), 0), (1, (1,), (1,), 1))
    p = mini(con("StudentsSetHomeRoom", students="S0", subgroups=(0,), rooms=(1,)), acts=acts,
             rooms=2)
    assert list(room_rules(p)) == [0]
    assert score_fet(p, sol((0, 0, 1), (1, 0), (2, 0))).compliant


@pytest.mark.parametrize("home", [
    con("StudentsSetHomeRoom", students="S0", subgroups=(0,), rooms=(0,)),
    con("TeacherHomeRooms", teacher=0, rooms=(0, 2)),
])
def test_home_room_gives_way_to_tag_room(home) -> None:
    # as TeacherHomeRoom to a subject room (fet-cl 6.8.5, rooms.fet): A1, tagged, may be
    # in the tag's room; A2, without a preferred room, must be in its home room
    p = mini(home, con("ActivityTagPreferredRoom", tag=0, rooms=(1,)), acts=TAGGED, rooms=3)
    assert check_fet(p, sol((0, 0, 1), (1, 0, 0), (2, 0, 1))) == []
    vs = check_fet(p, sol((0, 0, 1), (1, 0, 1), (2, 0, 1)))
    assert [(v.rule, v.hard, v.venue) for v in vs] == [(home.kind, True, "R1")]


def test_preferred_room_kinds_bind_together() -> None:
    # FET: no preferred-room kind takes precedence; the activity keeps each
    p = mini(con("SubjectPreferredRooms", subject=0, rooms=(0, 1)),
             con("ActivityTagPreferredRooms", tag=0, rooms=(1, 2)), acts=TAGGED, rooms=3)
    assert score_fet(p, sol((0, 0, 1), (1, 0, 0), (2, 0, 2))).compliant
    vs = check_fet(p, sol((0, 0, 0), (1, 0, 0), (2, 0, 2)))
    assert [v.rule for v in vs] == ["ActivityTagPreferredRooms"]


# -- building changes --------------------------------------------------------------------

@pytest.mark.parametrize(("day", "min_gaps", "changes"), [
    (["A", "A", "B", None], None, 1),
    (["A", "B", None, "A"], None, 2),
    ([None, "A", None, None, "A"], None, 0),         # hours without a building change nothing
    (["A", "B", None, "A"], 1, 1),                   # B→A after one free hour
    (["A", "B", None, "A"], 2, 2),
    (["A", None, "A", "B"], 1, 1),                   # the free hour was before the A
    (["B", None, None, "A"], 3, 1),
])
def test_building_changes(day: list, min_gaps: int | None, changes: int) -> None:
    assert building_changes(day, min_gaps) == changes


def buildings(p: FetProblem) -> FetProblem:
    """R0, R3 in building B1, R1 in B2, R2 in none."""
    rooms = (FetRoom("R0", "B1"), FetRoom("R1", "B2"), FetRoom("R2"), FetRoom("R3", "B1"))
    return replace(p, rooms=rooms, buildings=("B1", "B2"))


#: scope of each kind: the teacher T0 or subgroup S0, or every one
SCOPES = {
    "TeacherMaxBuildingChangesPerDay": {"teacher": 0},
    "TeachersMaxBuildingChangesPerDay": {},
    "StudentsSetMaxBuildingChangesPerDay": {"students": "S0", "subgroups": (0,)},
    "StudentsMaxBuildingChangesPerDay": {},
    "TeacherMinGapsBetweenBuildingChanges": {"teacher": 0},
    "TeachersMinGapsBetweenBuildingChanges": {},
    "StudentsSetMinGapsBetweenBuildingChanges": {"students": "S0", "subgroups": (0,)},
    "StudentsMinGapsBetweenBuildingChanges": {},
}


@pytest.mark.parametrize("kind", SCOPES)
def test_building_rule_holds_and_breaks(kind: str) -> None:
    # Max 0 or MinGaps 2 on one day: B1 at H0, B2 at H1 or H3
    bound = 0 if "Max" in kind else 2
    p = buildings(mini(con(kind, bound=bound, **SCOPES[kind]), acts=THREE, days=1))
    assert score_fet(p, sol((0, 0, 0), (0, 1, 3), (0, 3, 2))).compliant     # B1 B1 _ none
    vs = check_fet(p, sol((0, 0, 0), (0, 1, 1), (0, 3, 0)))                  # B1 B2 _ B1
    # Max: two changes over 0; MinGaps: B1→B2 after 0 free hours, B2→B1 after 1
    assert [(v.rule, v.amount, v.day) for v in vs] == [(kind, 2, "D0")]
    assert score_fet(p, sol((0, 0, 0), (0, 3, 1), (0, 2))).compliant == ("Max" not in kind)
    soft = buildings(mini(con(kind, 30, bound=bound, **SCOPES[kind]), acts=THREE, days=1))
    assert score_fet(soft, sol((0, 0, 0), (0, 1, 1), (0, 3, 0))).soft == pytest.approx(0.6)


def test_building_rules_count_every_resource_and_day() -> None:
    # T0/S0 and T1/S1 each change once on day 0; Teachers* and Students* count both
    acts = ((1, (0,), (0,), 0), (1, (0,), (0,), 0), (1, (1,), (1,), 0), (1, (1,), (1,), 0))
    places = sol((0, 0, 0), (0, 1, 1), (0, 0, 1), (0, 1, 0))
    for kind in ("TeachersMaxBuildingChangesPerDay", "StudentsMaxBuildingChangesPerDay"):
        p = buildings(mini(con(kind, 50, bound=0), acts=acts))
        assert score_fet(p, places).soft == pytest.approx(2 * 0.5)
    p = buildings(mini(con("TeacherMaxBuildingChangesPerDay", 50, teacher=1, bound=0), acts=acts))
    assert score_fet(p, places).soft == pytest.approx(0.5)
