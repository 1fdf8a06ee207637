"""The FET checker on the dayshape kinds: the last lesson of the day, parts of split
activities, occupied slots of a selection, students' gaps per day, hours of a tag.

Amounts are FET 6.8.5's (its ``fitness``, scored by fet-cl on locked timetables): one
per activity that does not end the day, per part starting elsewhere, per hour of a part
outside its slots, per selection over its maximum, gaps over the bound per day, and
one per day (not per hour) or per run of hours over a tag's bound.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from jianfu.models.fet import FetActivity, FetSolution, Placement, component
from jianfu.models.fet_check import check_fet, score_fet

from .fet_helpers import con, mini


def sol(*places: tuple) -> FetSolution:
    """Placements of activities 1, 2, 3 … as (day, hour[, room])."""
    return FetSolution({i + 1: Placement(*p) for i, p in enumerate(places)})


OK = sol((0, 0), (1, 0), (0, 0))           # A1 D0H0, A2 D1H0, A3 D0H0-H1
#: four one-hour lessons of T0 / S0, the first three tagged
TAGGED = {"acts": ((1, (0,), (0,), 0, (0,)),) * 3 + ((1, (0,), (0,), 0, ()),)}
S0 = {"students": "S0", "subgroups": (0,)}

# kind, constraint, holding solution, breaking solution, amount in the breaking one[, problem]
CASES = [
    ("ActivityEndsStudentsDay", con("ActivityEndsStudentsDay", activity=1),
     sol((0, 1), (0, 0), (0, 0)), sol((0, 0), (0, 3), (1, 0)), 1, {}),
    # A3 (S1) after A1 on day 0 does not count: A1's only subgroup is S0
    ("ActivitiesEndStudentsDay", con("ActivitiesEndStudentsDay", teacher=0),
     sol((0, 0), (1, 3), (0, 1)), sol((0, 0), (0, 1), (1, 0)), 1, {}),
    ("SubactivitiesPreferredStartingTimes",
     con("SubactivitiesPreferredStartingTimes", component=1, teacher=0, starts=((0, 0), (1, 0))),
     OK, sol((0, 3), (1, 3), (0, 0)), 2, {}),
    # two hours outside for A3 from (0, 1): one unit each
    ("SubactivitiesPreferredTimeSlots",
     con("SubactivitiesPreferredTimeSlots", component=1, duration=2, slots=((0, 0), (0, 1))),
     OK, sol((0, 0), (1, 0), (0, 2)), 2, {}),
    ("ActivitiesOccupyMaxTimeSlotsFromSelection",
     con("ActivitiesOccupyMaxTimeSlotsFromSelection", activities=(1, 2, 3),
         slots=((0, 0), (0, 1), (1, 0)), max=1),
     sol((0, 0), (2, 0), (1, 2)), OK, 1, {}),
    ("StudentsMaxGapsPerDay", con("StudentsMaxGapsPerDay", bound=0),
     OK, sol((0, 0), (0, 3), (1, 0)), 2, {}),
    ("StudentsSetMaxGapsPerDay", con("StudentsSetMaxGapsPerDay", bound=1, **S0),
     sol((0, 0), (0, 2), (1, 0)), sol((0, 0), (0, 3), (1, 0)), 1, {}),
    # three tagged hours on day 0 against one: one unit for the day, not two
    ("TeacherActivityTagMaxHoursDaily",
     con("TeacherActivityTagMaxHoursDaily", teacher=0, tag=0, bound=1),
     sol((0, 0), (1, 0), (2, 0), (0, 1)), sol((0, 0), (0, 1), (0, 2), (1, 0)), 1, TAGGED),
    ("TeachersActivityTagMaxHoursDaily", con("TeachersActivityTagMaxHoursDaily", tag=0, bound=1),
     sol((0, 0), (1, 0), (2, 0), (0, 1)), sol((0, 0), (0, 1), (1, 2), (1, 0)), 1, TAGGED),
    ("StudentsSetActivityTagMaxHoursDaily",
     con("StudentsSetActivityTagMaxHoursDaily", tag=0, bound=2, **S0),
     sol((0, 0), (0, 2), (2, 0), (0, 1)), sol((0, 0), (0, 1), (0, 2), (1, 0)), 1, TAGGED),
    ("StudentsActivityTagMaxHoursDaily", con("StudentsActivityTagMaxHoursDaily", tag=0, bound=1),
     sol((0, 0), (1, 0), (2, 0), (0, 1)), sol((0, 0), (0, 2), (1, 0), (0, 1)), 1, TAGGED),
    # the untagged A4 at hour 1 splits day 0's tagged hours into two runs of one
    ("TeacherActivityTagMaxHoursContinuously",
     con("TeacherActivityTagMaxHoursContinuously", teacher=0, tag=0, bound=1),
     sol((0, 0), (0, 2), (1, 0), (0, 1)), sol((0, 0), (0, 1), (0, 3), (0, 2)), 1, TAGGED),
    ("TeachersActivityTagMaxHoursContinuously",
     con("TeachersActivityTagMaxHoursContinuously", tag=0, bound=2),
     sol((0, 0), (0, 1), (0, 3), (0, 2)), sol((0, 0), (0, 1), (0, 2), (1, 0)), 1, TAGGED),
    # bound 0: each run is one unit, however long (here a run of two and one of one)
    ("StudentsSetActivityTagMaxHoursContinuously",
     con("StudentsSetActivityTagMaxHoursContinuously", tag=0, bound=0, **S0),
     FetSolution({4: Placement(0, 0)}), sol((0, 0), (0, 1), (1, 3), (0, 2)), 2, TAGGED),
    ("StudentsActivityTagMaxHoursContinuously",
     con("StudentsActivityTagMaxHoursContinuously", tag=0, bound=1),
     sol((0, 0), (0, 2), (1, 0), (0, 1)), sol((0, 1), (0, 2), (1, 0), (1, 1)), 1, TAGGED),
]


@pytest.mark.parametrize("kind,c,good,bad,amount,shape", CASES, ids=[c[0] for c in CASES])
def test_kind_holds_and_breaks(kind: str, c, good, bad, amount, shape) -> None:
    p = mini(c, **shape)
    assert [v for v in check_fet(p, good) if v.rule == kind] == []
    found = [v for v in check_fet(p, bad) if v.rule == kind]
    assert sum(v.amount for v in found) == amount
    assert all(v.hard for v in found)


def test_soft_weight_scales_each_unit() -> None:
    # fet-cl 6.8.5 on this locked timetable: 0.4 for the tag's day, 0.6 for A3's hours
    p = mini(con("TeacherActivityTagMaxHoursDaily", 40, teacher=0, tag=0, bound=1),
             con("SubactivitiesPreferredTimeSlots", 30, component=1, duration=2,
                 slots=((0, 0),)), acts=TAGGED["acts"][:3] + ((2, (1,), (1,), 1, ()),))
    s = sol((0, 0), (0, 1), (0, 2), (1, 1))
    assert score_fet(p, s).soft == pytest.approx(0.4 + 0.6)


# split activity 10 in parts 10, 12, 13 (11 was deleted): FET numbers parts by id
SPLIT = tuple(FetActivity(id=i, duration=1, subject=0, teachers=(0,), students=("S0",),
                          subgroups=(0,), group_id=10) for i in (13, 10, 12))


def test_component_is_counted_by_id_from_the_group_id() -> None:
    assert [component(a) for a in SPLIT] == [4, 1, 3]
    assert component(mini().activity(1)) == 1                 # not split: its own first part
    rule = con("SubactivitiesPreferredStartingTimes", component=3, starts=((0, 0),))
    p = replace(mini(rule), activities=SPLIT)
    at = {10: Placement(1, 0), 12: Placement(1, 1), 13: Placement(0, 0)}
    vs = check_fet(p, FetSolution(at))
    assert [v.message.split()[0] for v in vs] == ["活动12开始时间不在允许列表"]
    # component 2 is id 11, which no activity has: nothing is bound
    p = replace(mini(con("SubactivitiesPreferredStartingTimes", component=2,
                         starts=((0, 0),))), activities=SPLIT)
    assert check_fet(p, FetSolution(at)) == []


def test_a_break_ends_a_run_of_tagged_hours() -> None:
    rule = con("TeacherActivityTagMaxHoursContinuously", teacher=0, tag=0, bound=2)
    at = sol((0, 0), (0, 1), (0, 3), (1, 0))
    assert score_fet(mini(rule, con("BreakTimes", slots=((0, 2),)), **TAGGED), at).compliant
    assert score_fet(mini(rule, **TAGGED), sol((0, 0), (0, 1), (0, 2), (1, 0))).hard == 1


def test_activity_ending_the_day_may_share_it_with_other_classes() -> None:
    # A3 is S1's: later on day 0 than A1, yet A1 ends S0's day
    p = mini(con("ActivityEndsStudentsDay", activity=1))
    assert score_fet(p, sol((0, 0), (1, 0), (0, 2))).compliant
