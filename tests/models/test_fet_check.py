"""The FET checker: each supported kind holds on one timetable and breaks on another."""

from __future__ import annotations

import pytest
from jianfu.models.fet import SUPPORTED, FetSolution, Placement, room_rules
from jianfu.models.fet_check import CHECKS, ROOM_KINDS, check_fet, score_fet

from .fet_helpers import con, mini


def sol(*places: tuple) -> FetSolution:
    """Placements of activities 1, 2, 3 … as (day, hour[, room])."""
    return FetSolution({i + 1: Placement(*p) for i, p in enumerate(places)})


OK = sol((0, 0), (1, 0), (0, 0))           # A1 D0H0, A2 D1H0, A3 D0H0-H1

# kind, constraint, holding solution, breaking solution, amount in the breaking one
CASES = [
    ("BreakTimes", con("BreakTimes", slots=((1, 1),)), OK, sol((0, 0), (1, 1), (0, 0)), 1),
    ("TeacherNotAvailableTimes", con("TeacherNotAvailableTimes", teacher=0, slots=((0, 0),)),
     sol((0, 1), (1, 0), (0, 0)), OK, 1),
    ("StudentsSetNotAvailableTimes",
     con("StudentsSetNotAvailableTimes", students="ALL", subgroups=(0, 1), slots=((0, 1),)),
     sol((1, 1), (2, 0), (1, 2)), OK, 1),
    ("ActivityPreferredStartingTime",
     con("ActivityPreferredStartingTime", activity=1, day=0, hour=None), OK,
     sol((2, 0), (1, 0), (0, 0)), 1),
    ("ActivityPreferredStartingTimes",
     con("ActivityPreferredStartingTimes", activity=3, starts=((0, 0), (1, 2))), OK,
     sol((0, 0), (1, 0), (0, 1)), 1),
    ("ActivitiesPreferredStartingTimes",
     con("ActivitiesPreferredStartingTimes", teacher=0, starts=((0, 0), (1, 0))), OK,
     sol((0, 3), (1, 3), (0, 0)), 2),
    ("ActivityPreferredTimeSlots",
     con("ActivityPreferredTimeSlots", activity=3, slots=((0, 0), (0, 1))), OK,
     sol((0, 0), (1, 0), (0, 1)), 1),
    ("ActivitiesPreferredTimeSlots",
     con("ActivitiesPreferredTimeSlots", subject=0, slots=((0, 0), (1, 0))), OK,
     sol((0, 0), (0, 1), (0, 0)), 1),
    ("MinDaysBetweenActivities",
     con("MinDaysBetweenActivities", activities=(1, 2), min_days=2, consecutive=False),
     sol((0, 0), (2, 0), (0, 0)), OK, 1),
    ("ActivitiesSameStartingTime", con("ActivitiesSameStartingTime", activities=(1, 3)), OK,
     sol((1, 0), (0, 0), (0, 0)), 1),
    ("TwoActivitiesConsecutive", con("TwoActivitiesConsecutive", first=3, second=1),
     sol((0, 2), (1, 0), (0, 0)), OK, 1),
    ("TeacherMaxDaysPerWeek", con("TeacherMaxDaysPerWeek", teacher=0, bound=1),
     sol((0, 0), (0, 1), (0, 0)), OK, 1),
    ("TeacherMaxHoursDaily", con("TeacherMaxHoursDaily", teacher=0, bound=1), OK,
     sol((0, 0), (0, 1), (0, 0)), 1),
    ("TeachersMaxHoursDaily", con("TeachersMaxHoursDaily", bound=1), sol((0, 0), (1, 0), (0, 0)),
     sol((0, 0), (0, 1), (1, 0)), 1),         # one-hour A3 here (see ACTS)
    ("TeacherMinHoursDaily", con("TeacherMinHoursDaily", teacher=0, bound=2, allow_empty=True),
     sol((0, 0), (0, 1), (0, 0)), OK, 2),     # OK: 1 hour on D0 and on D1
    ("TeachersMinHoursDaily", con("TeachersMinHoursDaily", bound=2, allow_empty=True),
     sol((0, 0), (0, 1), (0, 0)), OK, 2),
    ("TeacherMaxGapsPerWeek", con("TeacherMaxGapsPerWeek", teacher=0, bound=0),
     sol((0, 0), (0, 1), (0, 0)), sol((0, 0), (0, 2), (1, 0)), 1),
    ("TeachersMaxGapsPerWeek", con("TeachersMaxGapsPerWeek", bound=0),
     sol((0, 0), (0, 1), (0, 0)), sol((0, 0), (0, 3), (1, 0)), 2),
    ("TeacherMaxGapsPerDay", con("TeacherMaxGapsPerDay", teacher=0, bound=1),
     sol((0, 0), (0, 2), (1, 0)), sol((0, 0), (0, 3), (1, 0)), 1),
    ("TeachersMaxGapsPerDay", con("TeachersMaxGapsPerDay", bound=0),
     OK, sol((0, 0), (0, 3), (1, 0)), 2),
    ("StudentsMaxGapsPerWeek", con("StudentsMaxGapsPerWeek", bound=0),
     OK, sol((0, 0), (0, 2), (1, 0)), 1),
    ("StudentsSetMaxGapsPerWeek",
     con("StudentsSetMaxGapsPerWeek", students="S0", subgroups=(0,), bound=0),
     OK, sol((0, 0), (0, 2), (1, 0)), 1),
    ("StudentsSetMinHoursDaily",
     con("StudentsSetMinHoursDaily", students="S1", subgroups=(1,), bound=2, allow_empty=True),
     OK, sol((0, 0), (1, 0), (0, 3)), 1),     # A3 at H3 overflows: 1 hour counted
    ("StudentsMinHoursDaily", con("StudentsMinHoursDaily", bound=1, allow_empty=False),
     sol((0, 0), (1, 0)), sol((0, 0), (0, 1)), 2),   # both subgroups free on D1
    ("StudentsEarlyMaxBeginningsAtSecondHour",
     con("StudentsEarlyMaxBeginningsAtSecondHour", bound=0), OK,
     sol((0, 1), (1, 2), (0, 0)), 3),         # D0 at 2nd hour, D1 at 3rd: late, and a late beginning (FET)
    ("StudentsSetEarlyMaxBeginningsAtSecondHour",
     con("StudentsSetEarlyMaxBeginningsAtSecondHour", students="S0", subgroups=(0,), bound=1),
     sol((0, 1), (1, 0), (0, 0)), sol((0, 1), (1, 1), (0, 0)), 1),
]


# problems other than the default for some cases
ACTS = {"TeachersMaxHoursDaily": {"acts": ((1, (0,), (0,), 0, ()), (1, (0,), (0,), 0, ()),
                                            (1, (1,), (1,), 1, ()))},
        "StudentsMinHoursDaily": {"days": 2, "acts": ((1, (0,), (0, 1), 0, ()),
                                                      (1, (1,), (0, 1), 0, ()))}}


@pytest.mark.parametrize("kind,c,good,bad,amount", CASES, ids=[c[0] for c in CASES])
def test_kind_holds_and_breaks(kind: str, c, good, bad, amount) -> None:
    p = mini(c, **ACTS.get(kind, {}))
    assert [v for v in check_fet(p, good) if v.rule.startswith(kind)] == []
    found = [v for v in check_fet(p, bad) if v.rule == kind]
    assert sum(v.amount for v in found) == amount
    assert all(v.hard for v in found)


def test_every_supported_kind_is_checked() -> None:
    assert set(CHECKS) | ROOM_KINDS == SUPPORTED


def test_soft_weight_scales_cost() -> None:
    c = con("MinDaysBetweenActivities", 95, activities=(1, 2), min_days=1, consecutive=False)
    p = mini(c)
    vs = check_fet(p, sol((0, 0), (0, 1), (1, 0)))
    assert [(v.rule, v.hard, v.amount, v.weight) for v in vs] == \
        [("MinDaysBetweenActivities", False, 1, 0.95)]
    assert score_fet(p, sol((0, 0), (0, 1), (1, 0))).soft == pytest.approx(0.95)
    assert score_fet(p, sol((0, 0), (0, 1), (1, 0))).compliant


def test_consecutive_if_same_day_is_hard() -> None:
    c = con("MinDaysBetweenActivities", 95, activities=(1, 2), min_days=1, consecutive=True)
    p = mini(c)
    assert score_fet(p, sol((0, 0), (0, 1), (1, 0))).compliant
    vs = check_fet(p, sol((0, 0), (0, 2), (1, 0)))
    assert {v.rule for v in vs if v.hard} == {"MinDaysBetweenActivities.consecutive"}


def test_basic_time_clashes_and_overflow() -> None:
    p = mini()
    vs = check_fet(p, sol((0, 0), (0, 0), (0, 3)))
    # T0 and S0 clash at D0 H0; A3 runs past the last hour
    assert sorted((v.rule, v.amount) for v in vs) == [("BasicCompulsoryTime", 1)] * 3
    assert score_fet(p, FetSolution({1: Placement(0, 0)})).hard == 2     # two unplaced


def test_subgroup_clash_through_year() -> None:
    acts = ((1, (0,), (0, 1), 0, ()), (1, (1,), (1,), 0, ()))
    p = mini(acts=acts)
    assert score_fet(p, FetSolution({1: Placement(0, 0), 2: Placement(0, 0)})).hard == 1
    assert score_fet(p, FetSolution({1: Placement(0, 0), 2: Placement(0, 1)})).hard == 0


def test_breaks_and_not_available_are_not_gaps() -> None:
    p = mini(con("BreakTimes", slots=((0, 1),)), con("TeachersMaxGapsPerWeek", bound=0))
    assert score_fet(p, sol((0, 0), (0, 2), (1, 0))).compliant
    p = mini(con("TeacherNotAvailableTimes", teacher=0, slots=((0, 1),)),
             con("TeachersMaxGapsPerWeek", bound=0))
    assert score_fet(p, sol((0, 0), (0, 2), (1, 0))).compliant


@pytest.mark.parametrize("kind", ["SubjectPreferredRoom", "ActivityPreferredRooms",
                                  "TeacherHomeRoom"])
def test_room_kinds(kind: str) -> None:
    params = {"SubjectPreferredRoom": {"subject": 0, "rooms": (1,)},
              "ActivityPreferredRooms": {"activity": 1, "rooms": (1, 2)},
              "TeacherHomeRoom": {"teacher": 0, "rooms": (1,)}}[kind]
    p = mini(con(kind, **params), rooms=3)
    assert score_fet(p, sol((0, 0, 1), (1, 0, 1), (0, 0))).compliant
    assert score_fet(p, sol((0, 0, 0), (1, 0, 1), (0, 0))).hard == 1
    assert score_fet(p, sol((0, 0), (1, 0, 1), (0, 0))).hard == 1       # no room at all


# FET's home-room precedence, as fet-cl 6.8.5 applies it
# (tests/instances/data/fet/home_vs_subject_room.fet): a home room gives way to the
# activity's preferred rooms
HOME_AND_SUBJECT = (con("TeacherHomeRoom", teacher=0, rooms=(0,)),
                    con("SubjectPreferredRoom", subject=0, rooms=(1,)))


def test_home_room_kept_in_preferred_room() -> None:
    p = mini(*HOME_AND_SUBJECT, rooms=3)
    assert check_fet(p, sol((0, 0, 1), (1, 0, 1), (0, 0))) == []     # A1, A2 in the subject's
    vs = check_fet(p, sol((0, 0, 0), (1, 0, 0), (0, 0)))              # in the home room
    assert [(v.rule, v.hard) for v in vs] == [("SubjectPreferredRoom", True)] * 2
    vs = check_fet(p, sol((0, 0, 2), (1, 0), (0, 0)))                 # elsewhere, nowhere
    assert sorted(v.rule for v in vs) == ["SubjectPreferredRoom"] * 2 + ["TeacherHomeRoom"] * 2


def test_home_room_binds_an_activity_without_preferred_room() -> None:
    # the subject room is on Y (A3, T1): A1 and A2 of T0 have only their home room
    p = mini(con("TeacherHomeRoom", teacher=0, rooms=(0,)),
             con("SubjectPreferredRoom", subject=1, rooms=(1,)), rooms=2)
    assert score_fet(p, sol((0, 0, 0), (1, 0, 0), (2, 0, 1))).compliant
    vs = check_fet(p, sol((0, 0, 1), (1, 0, 0), (2, 0, 1)))
    assert [(v.rule, v.hard, v.venue) for v in vs] == [("TeacherHomeRoom", True, "R1")]


def test_soft_preferred_room_keeps_the_home_room_too() -> None:
    # fet-cl scores a 90 % home room kept in the room of a 60 % subject room
    p = mini(con("TeacherHomeRoom", 90, teacher=0, rooms=(0,)),
             con("SubjectPreferredRoom", 60, subject=0, rooms=(1,)), rooms=3)
    assert score_fet(p, sol((0, 0, 1), (1, 0, 1), (0, 0))).soft == 0
    assert score_fet(p, sol((0, 0, 0), (1, 0, 1), (0, 0))).soft == pytest.approx(0.6)
    assert score_fet(p, sol((0, 0, 2), (1, 0, 1), (0, 0))).soft == pytest.approx(0.6 + 0.9)


def test_room_rules_list_the_rooms_keeping_each_rule() -> None:
    # home room: itself, the rooms every 100 % preferred rule allows, a soft rule's rooms
    p = mini(con("TeacherHomeRoom", teacher=0, rooms=(0,)),
             con("SubjectPreferredRooms", subject=0, rooms=(1, 2)),
             con("ActivityPreferredRooms", activity=1, rooms=(2, 3)),
             con("ActivityPreferredRoom", 50, activity=1, rooms=(4,)), rooms=5)
    rules = room_rules(p)
    assert rules[0] == [({0, 2, 4}, 0), ({1, 2}, 1), ({2, 3}, 2), ({4}, 3)]
    assert rules[1] == [({0, 1, 2}, 0), ({1, 2}, 1)]
    assert 2 not in rules                                 # A3: subject Y, teacher T1


def test_room_clash_and_not_available() -> None:
    p = mini(con("RoomNotAvailableTimes", room=0, slots=((1, 0),)), rooms=1)
    vs = check_fet(p, sol((0, 0, 0), (1, 0, 0), (0, 0, 0)))
    assert sorted(v.rule for v in vs) == ["BasicCompulsorySpace", "RoomNotAvailableTimes"]


def test_students_filter_binds_activities_sharing_students() -> None:
    # FET's setsShareStudents: a filter on ALL binds the activity of S0 only
    c = con("ActivitiesPreferredStartingTimes", students="ALL", starts=((0, 0), (1, 0), (2, 0)))
    vs = check_fet(mini(c), sol((0, 0), (1, 1), (2, 0)))
    assert [(v.rule, v.amount) for v in vs] == [("ActivitiesPreferredStartingTimes", 1)]


def test_break_between_keeps_activities_consecutive() -> None:
    p = mini(con("BreakTimes", slots=((0, 2),)), con("TwoActivitiesConsecutive", first=3,
                                                       second=1))
    assert score_fet(p, sol((0, 3), (1, 0), (0, 0))).compliant      # A3 H0-H1, break, A1 H3
    p = mini(con("TwoActivitiesConsecutive", first=3, second=1))
    assert score_fet(p, sol((0, 3), (1, 0), (0, 0))).hard == 1


def test_break_between_does_not_make_min_days_pair_consecutive() -> None:
    # fet-cl cannot place a locked pair split by a break (checked against fet 6.8.5)
    p = mini(con("BreakTimes", slots=((0, 1),)),
             con("MinDaysBetweenActivities", 95, activities=(1, 2), min_days=1, consecutive=True))
    vs = check_fet(p, sol((0, 0), (0, 2), (1, 0)))
    assert {v.rule for v in vs if v.hard} == {"MinDaysBetweenActivities.consecutive"}
