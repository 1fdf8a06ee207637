"""The FET checker on the group "rest" kinds: simultaneous activities in selected
slots, the rooms an activity set uses, building changes per week, resting hours."""

from __future__ import annotations

import pytest
from jianfu.models.fet_check import check_fet, score_fet

from .fet_helpers import con, mini
from .test_fet_check_rooms import THREE, buildings, sol

#: four one-hour activities of T0/S0
FOUR = THREE + THREE[:1]
#: scope of each kind: the teacher T0 or subgroup S0, or every one
WEEK_SCOPES = {
    "TeacherMaxBuildingChangesPerWeek": {"teacher": 0},
    "TeachersMaxBuildingChangesPerWeek": {},
    "StudentsSetMaxBuildingChangesPerWeek": {"students": "S0", "subgroups": (0,)},
    "StudentsMaxBuildingChangesPerWeek": {},
}
REST_SCOPES = {
    "TeacherMinRestingHours": {"teacher": 0},
    "TeachersMinRestingHours": {},
    "StudentsSetMinRestingHours": {"students": "S0", "subgroups": (0,)},
    "StudentsMinRestingHours": {},
}


def amounts(p, s) -> list[tuple[str, float]]:
    return [(v.rule, v.amount) for v in check_fet(p, s)]


def test_max_simultaneous_counts_each_selected_slot_over() -> None:
    kind = "ActivitiesMaxSimultaneousInSelectedTimeSlots"

    def rule(weight: float = 100, most: int = 1):
        return con(kind, weight, activities=(1, 3), slots=((0, 0), (0, 1)), max=most)
    # A3 (two hours) covers (0, 0) and (0, 1); A1 beside it in one of them: one slot over
    assert amounts(mini(rule()), sol((0, 0), (1, 0), (0, 0))) == [(kind, 1)]
    assert amounts(mini(rule()), sol((0, 1), (1, 0), (0, 0))) == [(kind, 1)]
    assert score_fet(mini(rule()), sol((0, 2), (0, 0), (0, 0))).compliant   # A2 is not listed
    assert amounts(mini(rule(most=0)), sol((1, 0), (1, 1), (0, 0))) == [(kind, 1), (kind, 1)]
    assert score_fet(mini(rule(40, 0)), sol((0, 0), (1, 1), (0, 0))).soft == pytest.approx(0.8)


def test_occupy_max_different_rooms() -> None:
    kind = "ActivitiesOccupyMaxDifferentRooms"
    p = mini(con(kind, activities=(1, 2, 3), max=1), rooms=3)
    assert score_fet(p, sol((0, 0, 1), (0, 1, 1), (1, 0, 1))).compliant
    assert amounts(p, sol((0, 0, 0), (0, 1, 1), (1, 0, 2))) == [(kind, 1)]    # one unit
    assert score_fet(p, sol((0, 0, 0), (0, 1), (1, 0))).compliant             # no room: none
    two = mini(con(kind, activities=(1, 2, 3), max=2), rooms=3)
    assert score_fet(two, sol((0, 0, 0), (0, 1, 1), (1, 0, 1))).compliant
    soft = mini(con(kind, 50, activities=(1, 2, 3), max=1), rooms=3)
    assert score_fet(soft, sol((0, 0, 0), (0, 1, 1), (1, 0, 2))).soft == pytest.approx(0.5)


@pytest.mark.parametrize("kind", WEEK_SCOPES)
def test_building_changes_per_week_sum_the_days(kind: str) -> None:
    # D0: B1 then B2, D1: B2 then B1 — a change each day, none from one day to the next
    # (R0 is in B1, R1 in B2)
    places = sol((0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 0))
    p = buildings(mini(con(kind, bound=1, **WEEK_SCOPES[kind]), acts=FOUR, days=2))
    assert [(v.rule, v.amount, v.day) for v in check_fet(p, places)] == [(kind, 1, None)]
    day = buildings(mini(con(kind.replace("Week", "Day"), bound=1, **WEEK_SCOPES[kind]),
                         acts=FOUR, days=2))
    assert score_fet(day, places).compliant
    # B1 B1 on D0, B2 B2 on D1: no change at all
    assert score_fet(p, sol((0, 0, 0), (0, 1, 0), (1, 0, 1), (1, 1, 1))).compliant
    soft = buildings(mini(con(kind, 30, bound=0, **WEEK_SCOPES[kind]), acts=FOUR, days=2))
    assert score_fet(soft, places).soft == pytest.approx(0.6)


@pytest.mark.parametrize("kind", REST_SCOPES)
def test_resting_hours_between_days(kind: str) -> None:
    scope = REST_SCOPES[kind]

    def p(bound: int, circular: bool = False, weight: float = 100):
        return mini(con(kind, weight, bound=bound, circular=circular, **scope), days=3)
    # A1 last on D0 (hour 4 of 4), A2 first on D1: no rest, two hours short of 2
    late_early = sol((0, 3), (1, 0), (2, 0))
    assert [(v.rule, v.amount, v.day) for v in check_fet(p(2), late_early)] == \
        [(kind, 2, "D0")]
    # rest 3 hours: the free hours after A1 (hour 2) and before A2 (hour 2)
    assert score_fet(p(3), sol((0, 1), (1, 1), (2, 0))).compliant
    assert amounts(p(4), sol((0, 1), (1, 1), (2, 0))) == [(kind, 1)]
    # a free day between: the whole day is rest
    assert score_fet(p(4), sol((0, 3), (2, 0), (1, 0))).compliant
    # circular: the last day's rest runs into the first day
    wrap = sol((2, 3), (0, 0), (1, 2))
    assert score_fet(p(2), wrap).compliant
    assert amounts(p(2, circular=True), wrap) == [(kind, 2)]
    assert score_fet(p(2, weight=50), late_early).soft == pytest.approx(1.0)


def test_resting_hours_count_each_subgroup() -> None:
    # A3 (two hours, S1) ends D0; A1 (S0) starts D1 — only S0 and T0 are short
    acts = ((1, (0,), (0,), 0), (1, (0,), (0,), 0), (2, (1,), (1,), 1))
    places = sol((1, 0), (0, 3), (0, 2))
    for kind, n in (("StudentsMinRestingHours", 1), ("TeachersMinRestingHours", 1)):
        p = mini(con(kind, 50, bound=2, circular=False), acts=acts, days=2)
        assert score_fet(p, places).soft == pytest.approx(n * 0.5 * 2)
    p = mini(con("StudentsSetMinRestingHours", 50, students="S1", subgroups=(1,), bound=2,
                 circular=False), acts=acts, days=2)
    assert score_fet(p, places).compliant


SPAN_SCOPES = {
    "TeacherMaxSpanPerDay": {"teacher": 0},
    "TeachersMaxSpanPerDay": {},
    "StudentsSetMaxSpanPerDay": {"students": "S0", "subgroups": (0,)},
    "StudentsMaxSpanPerDay": {},
}


@pytest.mark.parametrize("kind", SPAN_SCOPES)
def test_span_per_day(kind: str) -> None:
    def p(bound: int, weight: float = 100):
        return mini(con(kind, weight, bound=bound, **SPAN_SCOPES[kind]), days=2)
    # A1 at H0, A2 at H3: a span of four hours, the free ones between count
    wide = sol((0, 0), (0, 3), (1, 0))
    assert [(v.rule, v.amount, v.day) for v in check_fet(p(2), wide)] == [(kind, 2, "D0")]
    assert score_fet(p(4), wide).compliant
    # A3 (T1, S1) spans its two hours: over 1 only for the kinds on every resource
    everyone = kind in ("TeachersMaxSpanPerDay", "StudentsMaxSpanPerDay")
    assert score_fet(p(1), sol((0, 0), (1, 3), (1, 0))).compliant is not everyone
    assert score_fet(p(2, 25), wide).soft == pytest.approx(0.5)


def test_max_days_between_activities_per_pair() -> None:
    kind = "MaxDaysBetweenActivities"
    p = mini(con(kind, activities=(1, 2, 3), max_days=1), days=4)
    assert score_fet(p, sol((0, 0), (1, 0), (1, 1))).compliant
    # A1 on D0, A2 on D3, A3 on D1: pairs (1, 2) two days too far, (2, 3) one
    assert amounts(p, sol((0, 0), (3, 0), (1, 1))) == [(kind, 2), (kind, 1)]
    soft = mini(con(kind, 40, activities=(1, 2, 3), max_days=1), days=4)
    assert score_fet(soft, sol((0, 0), (3, 0), (1, 1))).soft == pytest.approx(1.2)


def test_same_room_if_consecutive() -> None:
    kind = "ActivitiesSameRoomIfConsecutive"
    p = mini(con(kind, activities=(1, 2, 3)), rooms=2)
    # A1 then A2 back to back in two rooms: one unit; A3 (two hours) right before A1 too
    assert amounts(p, sol((0, 2, 0), (0, 3, 1), (1, 0, 0))) == [(kind, 1)]
    assert amounts(p, sol((0, 2, 0), (0, 3, 1), (0, 0, 1))) == [(kind, 1), (kind, 1)]
    assert score_fet(p, sol((0, 2, 0), (0, 3, 0), (0, 0, 0))).compliant
    assert score_fet(p, sol((0, 1, 0), (0, 3, 1), (1, 0, 0))).compliant    # an hour between
    assert score_fet(p, sol((0, 2, 0), (0, 3), (1, 0, 0))).compliant       # no room
