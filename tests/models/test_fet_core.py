"""FET problems compile into the generic core: grid, resources, domains, records."""

from __future__ import annotations

from pathlib import Path

import pytest
from jianfu.instances.fet import read_fet
from jianfu.models.core import SlotKind
from jianfu.models.fet_core import compile_fet

from .fet_helpers import con, mini

SMALL = Path(__file__).parents[1] / "instances" / "data" / "fet" / "small.fet"
H = 4       # mini's hours per day


def cell(d: int, h: int) -> int:
    return d * H + h


def starts(prob, i: int) -> set[tuple[int, int]]:
    return {(prob.slots[s].day, prob.slots[s].period) for s in prob.activities[i].slots}


def grid(days: int = 3, hours: int = H, duration: int = 1) -> set[tuple[int, int]]:
    return {(d, h) for d in range(days) for h in range(hours - duration + 1)}


def test_grid_resources_and_activities():
    acts = ((1, (0,), (0,), 0, ()), (2, (0, 1), (0, 1), 1, (0,)), (1, (), (1,), 0, ()))
    prob = compile_fet(mini(acts=acts))
    assert len(prob.slots) == 3 * H and prob.days == ("D0", "D1", "D2")
    assert all(s.kind is SlotKind.LESSON and s.schedule == 0 for s in prob.slots)
    assert [(s.day, s.period) for s in prob.slots[:5]] == [(0, 0), (0, 1), (0, 2), (0, 3), (1, 0)]
    assert prob.slots[1].start == prob.slots[0].end           # hours follow each other
    assert prob.next_slot[cell(0, 2)] == cell(0, 3) and prob.next_slot[cell(0, 3)] == -1
    assert [g.name for g in prob.groups] == ["S0", "S1"]
    assert [t.name for t in prob.teachers] == ["T0", "T1"]
    a, joint, untaught = prob.activities
    assert (a.name, a.count, a.duration, a.source) == ("1", 1, 1, 0)
    assert (joint.groups, joint.teachers, joint.duration, joint.tags, joint.subject) == \
        ((0, 1), (0, 1), 2, (0,), 1)
    assert untaught.teachers == ()
    assert prob.activities_of_teacher == ((0, 1), (1,))
    assert prob.activities_of_group == ((0, 1), (1, 2))
    # with no rule an activity may start anywhere its duration fits in the day
    assert starts(prob, 0) == grid() and starts(prob, 1) == grid(duration=2)


def test_long_days_get_valid_synthetic_clock_times():
    prob = compile_fet(mini(hours=30))
    assert len(prob.slots) == 90 and prob.slots[29].end <= 24 * 60
    assert all(a.end == b.start for a, b in zip(prob.slots[:29], prob.slots[1:30]))


def test_hard_breaks_leave_the_grid_but_not_the_domains():
    brk = con("BreakTimes", slots=((0, 1), (1, 1), (2, 1)))
    prob = compile_fet(mini(brk))
    assert len(prob.slots) == 3 * H
    assert starts(prob, 0) == {(d, h) for d in range(3) for h in (0, 2, 3)}
    assert starts(prob, 2) == {(d, 2) for d in range(3)}       # two hours: only 2-3 is clear
    assert cell(0, 1) not in prob.groups[0].slots
    soft = compile_fet(mini(con("BreakTimes", 50, slots=((0, 1),))))
    assert starts(soft, 0) == grid()                           # a soft break bans nothing


def test_not_available_times_of_teachers_and_students_sets():
    t = con("TeacherNotAvailableTimes", teacher=0, slots=((0, 0), (0, 1)))
    s = con("StudentsSetNotAvailableTimes", students="ALL", subgroups=(0, 1), slots=((1, 3),))
    soft = con("TeacherNotAvailableTimes", 80, teacher=1, slots=((2, 0),))
    prob = compile_fet(mini(t, s, soft))
    assert prob.teachers[0].unavailable == (cell(0, 0), cell(0, 1))
    assert prob.teachers[1].unavailable == ()
    assert prob.groups[0].unavailable == prob.groups[1].unavailable == (cell(1, 3),)
    assert starts(prob, 0) == grid() - {(0, 0), (0, 1), (1, 3)}
    # two hours for T1/S1: not across (1, 3); T1's soft time is not a ban
    assert starts(prob, 2) == grid(duration=2) - {(1, 2)}


def test_preferred_starting_times_and_time_slots():
    one = con("ActivityPreferredStartingTime", activity=1, day=1, hour=None)
    many = con("ActivitiesPreferredStartingTimes", teacher=0, starts=((1, 0), (1, 2), (2, 2)))
    slots = con("ActivityPreferredTimeSlots", activity=3, slots=((0, 1), (0, 2), (0, 3), (1, 0)))
    prob = compile_fet(mini(one, many, slots))
    assert starts(prob, 0) == {(1, 0), (1, 2)}                 # both rules on activity 1
    assert starts(prob, 1) == {(1, 0), (1, 2), (2, 2)}         # the filter binds T0's
    assert starts(prob, 2) == {(0, 1), (0, 2)}                 # both hours must be preferred
    soft = compile_fet(mini(con("ActivityPreferredStartingTime", 90, activity=1, day=1)))
    assert starts(soft, 0) == grid()


def test_same_starting_time_intersects_domains():
    same = con("ActivitiesSameStartingTime", activities=(1, 3))
    na = con("TeacherNotAvailableTimes", teacher=1, slots=((0, 0), (1, 0), (2, 0)))
    prob = compile_fet(mini(same, na))
    both = grid(duration=2) - {(d, 0) for d in range(3)}
    assert starts(prob, 0) == starts(prob, 2) == both
    assert starts(prob, 1) == grid()                           # not in the constraint


def test_no_allowed_start_compiles_to_an_empty_domain():
    prob = compile_fet(mini(con("ActivityPreferredStartingTimes", activity=3, starts=((0, 3),))))
    assert prob.activities[2].slots == ()


def test_every_fet_constraint_becomes_a_record_naming_what_it_binds():
    cs = (con("BasicCompulsoryTime"),
          con("MinDaysBetweenActivities", 95, activities=(2, 1), min_days=1, consecutive=True),
          con("TwoActivitiesConsecutive", first=3, second=1),
          con("TeachersMaxHoursDaily", bound=3),
          con("TeacherMaxDaysPerWeek", teacher=1, bound=2),
          con("StudentsMaxGapsPerWeek", 70, bound=0),
          con("StudentsSetMinHoursDaily", students="S1", subgroups=(1,), bound=2,
              allow_empty=False),
          con("ActivityPreferredStartingTime", 40, activity=2, day=None, hour=3),
          con("ActivitiesPreferredTimeSlots", 60, subject=0, slots=((0, 0),)),
          con("SubjectPreferredRoom", subject=1, rooms=(1,)),
          con("TeacherHomeRoom", 50, teacher=0, rooms=(0,)),
          con("RoomNotAvailableTimes", room=0, slots=((2, 2),)))
    p = mini(*cs, rooms=2)
    prob = compile_fet(p)
    assert [c.family for c in prob.constraints] == [c.kind for c in cs]
    by = {c.family: c for c in prob.constraints}
    md = by["MinDaysBetweenActivities"]
    assert (md.hard, md.weight, md.activities, md.param("min_days"), md.param("consecutive")) == \
        (False, 95, (1, 0), 1, True)
    assert by["BasicCompulsoryTime"].hard and by["BasicCompulsoryTime"].activities == ()
    assert by["TwoActivitiesConsecutive"].activities == (2, 0)          # first, second
    assert by["TeachersMaxHoursDaily"].teachers == (0, 1)               # every teacher
    assert by["TeacherMaxDaysPerWeek"].teachers == (1,)
    assert by["StudentsMaxGapsPerWeek"].groups == (0, 1)                # every subgroup
    assert by["StudentsSetMinHoursDaily"].groups == (1,)
    assert by["ActivityPreferredStartingTime"].slots == tuple(cell(d, 3) for d in range(3))
    assert by["ActivityPreferredStartingTime"].activities == (1,)
    assert by["ActivitiesPreferredTimeSlots"].activities == (0, 1)      # the filter, resolved
    assert by["ActivitiesPreferredTimeSlots"].slots == (cell(0, 0),)
    assert by["SubjectPreferredRoom"].activities == (2,)
    assert by["TeacherHomeRoom"].activities == (0, 1)
    assert by["RoomNotAvailableTimes"].slots == (cell(2, 2),)
    assert by["RoomNotAvailableTimes"].param("room") == 0
    assert [x.capacity for x in prob.pools] == [r.capacity for r in p.rooms]
    assert len(prob.records("MinDaysBetweenActivities")) == 1


def test_small_fet_file_compiles_with_its_indices():
    p = read_fet(SMALL)
    prob = compile_fet(p)
    assert len(prob.activities) == len(p.activities)
    assert len(prob.constraints) == len(p.constraints)
    assert len(prob.slots) == p.n_days * p.n_hours
    for a, core in zip(p.activities, prob.activities, strict=True):
        assert (core.name, core.groups, core.teachers, core.duration) == \
            (str(a.id), a.subgroups, a.teachers, a.duration)
        assert core.slots, f"activity {a.id} lost every start"
        ends = {prob.slots[s].period + a.duration for s in core.slots}
        assert max(ends) <= p.n_hours


@pytest.mark.parametrize("kind", ["MinDaysBetweenActivities", "ActivitiesSameStartingTime"])
def test_records_keep_many_of_one_family(kind):
    params = {"MinDaysBetweenActivities": {"min_days": 1, "consecutive": False},
              "ActivitiesSameStartingTime": {}}[kind]
    cs = [con(kind, 100, activities=(1, 2), **params), con(kind, 50, activities=(1, 3), **params)]
    prob = compile_fet(mini(*cs))
    assert [(c.hard, c.activities) for c in prob.records(kind)] == [(True, (0, 1)), (False, (0, 2))]
