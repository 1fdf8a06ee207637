"""Each constraint family FetModel translates, alone on a minimal FET problem.

The problem is :func:`models.fet_helpers.mini` (three days of four hours; activities
1 and 2 of one hour for teacher T0 and subgroup S0, activity 3 of two hours for T1 and
S1) with only the constraint under test; the model is :class:`FetModel` built on it,
solved by CP-SAT with start (or room) literals fixed where a test says so. Per family:

* holds: the hard constraint alone is solved and the timetable keeps it (the FET
  checker finds nothing, and the values are what the rule forces);
* must fail: literals fixed to a timetable that breaks it make the model INFEASIBLE
  (a hard unary rule is a domain: the breaking start has no literal at all);
* binds: the most breaking literals true at once, or the domain, differs from the
  same problem without the constraint by an exact value;
* soft (weight below 100 %): a timetable fixed to break it by a known amount costs
  exactly amount × weight / 100, the checker's cost, and the free optimum costs 0.
"""

from __future__ import annotations

import pytest

from jianfu.models.fet import FetConstraint, FetSolution, Placement
from jianfu.models.fet_check import score_fet

from fet_runs import APART, INFEASIBLE, OPTIMAL, THREE, Cell, built, run, starts
from models.fet_helpers import con, mini

# -- BasicCompulsoryTime, BasicCompulsorySpace ---------------------------------------------

BASIC_TIME = {
    "teacher": ((1, (0,), (0,), 0, ()), (1, (0,), (1,), 0, ())),      # T0 in both
    "subgroup": ((1, (0,), (0,), 0, ()), (1, (1,), (0,), 0, ())),     # S0 in both
    "duration": ((2, (0,), (0,), 0, ()), (1, (0,), (0,), 0, ())),     # 1 covers hour 1
}


@pytest.mark.parametrize("case", BASIC_TIME)
def test_basic_compulsory_time(case: str) -> None:
    acts = BASIC_TIME[case]
    clash = {1: (0, 0), 2: (0, 1) if case == "duration" else (0, 0)}
    # holds: the checker finds no resource in two activities at once
    assert run(mini(acts=acts)).status == OPTIMAL
    # must fail
    assert run(mini(acts=acts), clash).status == INFEASIBLE
    # binds: with nothing shared both starts may be taken
    assert run(mini(acts=acts), most=tuple(clash.items())).best == 1
    free = (acts[0], (1, (1,), (1,), 0, ()))
    assert run(mini(acts=free), most=tuple(clash.items())).best == 2


def test_basic_compulsory_space() -> None:
    # activities 1 and 2 share nothing but room R0, where 100 % rules put both
    rules = (con("ActivityPreferredRoom", activity=1, rooms=(0,)),
             con("ActivityPreferredRoom", activity=2, rooms=(0,)))
    both = {1: (0, 0), 2: (0, 0)}
    r = run(mini(*rules, acts=APART, rooms=1))
    assert r.status == OPTIMAL and r.at(1) != r.at(2)
    assert {pl.room for pl in r.solution.placements.values()} == {0}
    assert run(mini(*rules, acts=APART, rooms=1), both).status == INFEASIBLE
    assert run(mini(*rules, acts=APART, rooms=1), most=tuple(both.items())).best == 1
    assert run(mini(acts=APART, rooms=1), most=tuple(both.items())).best == 2


# -- hard unary time rules are domains; soft ones cost per start -----------------------------

EVERY = {(d, h) for d in range(3) for h in range(4)}
LONG = {(d, h) for d in range(3) for h in range(3)}           # where activity 3 fits
# kind: (constraint, the activity it binds, its hard domain, a breaking start, units)
UNARY = {
    "BreakTimes": (con("BreakTimes", slots=((0, 1), (1, 1), (2, 1))), 3,
                   {(0, 2), (1, 2), (2, 2)}, (0, 0), 1),
    # a two-hour activity from (0, 1) covers both unavailable hours
    "TeacherNotAvailableTimes": (con("TeacherNotAvailableTimes", teacher=1,
                                     slots=((0, 1), (0, 2))), 3,
                                 LONG - {(0, 0), (0, 1), (0, 2)}, (0, 1), 2),
    "StudentsSetNotAvailableTimes": (con("StudentsSetNotAvailableTimes", students="S1",
                                         subgroups=(1,), slots=((0, 1), (0, 2))), 3,
                                     LONG - {(0, 0), (0, 1), (0, 2)}, (0, 1), 2),
    "ActivityPreferredStartingTime": (con("ActivityPreferredStartingTime", activity=3,
                                          day=1, hour=0), 3, {(1, 0)}, (0, 0), 1),
    "ActivityPreferredStartingTimes": (con("ActivityPreferredStartingTimes", activity=3,
                                           starts=((1, 0), (2, 1))), 3,
                                       {(1, 0), (2, 1)}, (0, 0), 1),
    "ActivitiesPreferredStartingTimes": (con("ActivitiesPreferredStartingTimes", teacher=0,
                                             starts=((0, 0), (1, 3))), 1,
                                         {(0, 0), (1, 3)}, (2, 2), 1),
    # one unit per hour outside (FET's unit): both hours at (0, 0), one at (1, 0)
    "ActivityPreferredTimeSlots": (con("ActivityPreferredTimeSlots", activity=3,
                                       slots=((1, 1), (1, 2), (1, 3))), 3,
                                   {(1, 1), (1, 2)}, (0, 0), 2),
    "ActivitiesPreferredTimeSlots": (con("ActivitiesPreferredTimeSlots", duration=2,
                                         slots=((1, 1), (1, 2), (1, 3))), 3,
                                     {(1, 1), (1, 2)}, (1, 0), 1),
}


@pytest.mark.parametrize("kind", UNARY)
def test_unary_time_rule(kind: str) -> None:
    rule, aid, domain, bad, units = UNARY[kind]
    # holds: the activity starts inside the rule's domain
    r = run(mini(rule))
    assert r.status == OPTIMAL and r.at(aid) in domain
    # must fail and binds: the domain is exactly that; without the rule it is every
    # start where the activity fits
    assert starts(built(rule), aid) == domain and bad not in domain
    assert starts(built(), aid) == (LONG if aid == 3 else EVERY)
    # soft at 70 %: the breaking start costs units × 0.7; free, nothing
    soft = FetConstraint(kind, 70, rule.params)
    assert starts(built(soft), aid) == starts(built(), aid)
    assert run(mini(soft), {aid: bad}).objective == pytest.approx(units * 0.7)
    assert run(mini(soft)).objective == 0


# -- pairwise rules ----------------------------------------------------------------------------

def test_min_days_between_activities() -> None:
    rule = con("MinDaysBetweenActivities", activities=(1, 2), min_days=2, consecutive=False)
    # holds: two days apart, on three days that is days 0 and 2
    r = run(mini(rule))
    assert r.status == OPTIMAL and {r.at(1)[0], r.at(2)[0]} == {0, 2}
    # must fail: one day apart
    near = {1: (0, 0), 2: (1, 0)}
    assert run(mini(rule), near).status == INFEASIBLE
    # binds
    assert run(mini(rule), most=tuple(near.items())).best == 1
    assert run(mini(), most=tuple(near.items())).best == 2


@pytest.mark.parametrize("min_days,second,units", [
    (1, (0, 1), 1),     # same day, one day short
    (2, (0, 1), 2),     # same day, two days short
    (2, (1, 0), 1),     # next day, one day short
    (2, (2, 0), 0),     # two days apart
])
def test_min_days_between_activities_soft(min_days: int, second: Cell, units: int) -> None:
    rule = con("MinDaysBetweenActivities", 60, activities=(1, 2), min_days=min_days,
               consecutive=False)
    assert run(mini(rule), {1: (0, 0), 2: second}).objective == pytest.approx(units * 0.6)
    assert run(mini(rule)).objective == 0


@pytest.mark.parametrize("weight", [60, 0])
def test_min_days_consecutive_if_same_day_at_any_weight(weight: float) -> None:
    """FET keeps Consecutive_If_Same_Day even below 100 %, even at 0 %."""
    rule = con("MinDaysBetweenActivities", weight, activities=(1, 2), min_days=1,
               consecutive=True)
    assert run(mini(rule), {1: (0, 0), 2: (0, 2)}).status == INFEASIBLE
    assert run(mini(rule), {1: (0, 0), 2: (0, 1)}).objective == pytest.approx(weight / 100)
    # without the flag, apart on the same day is allowed
    plain = con("MinDaysBetweenActivities", weight, activities=(1, 2), min_days=1,
                consecutive=False)
    assert run(mini(plain), {1: (0, 0), 2: (0, 2)}).objective == pytest.approx(weight / 100)


def test_activities_same_starting_time() -> None:
    rule = con("ActivitiesSameStartingTime", activities=(1, 3))
    # holds: 1 and 3 start together (they share start literals)
    r = run(mini(rule))
    assert r.status == OPTIMAL and r.at(1) == r.at(3)
    fm = built(rule)
    assert fm.starts_of(1) is fm.starts_of(3)
    # must fail
    assert run(mini(rule), {1: (0, 0), 3: (1, 0)}).status == INFEASIBLE
    # binds: 1 may no longer start in the last hour, where 3 does not fit
    assert starts(fm, 1) == LONG and starts(built(), 1) == EVERY
    # soft at 80 %
    soft = con("ActivitiesSameStartingTime", 80, activities=(1, 3))
    assert run(mini(soft), {1: (0, 0), 3: (1, 0)}).objective == pytest.approx(0.8)
    assert run(mini(soft)).objective == 0
    # FET counts pairs: 1 and 2 together, 3 apart from both is 2 broken pairs
    three = con("ActivitiesSameStartingTime", 50, activities=(1, 2, 3))
    acts = ((1, (0,), (0,), 0), (1, (1,), (1,), 0), (1, (2,), (2,), 1))
    spread = mini(three, acts=acts, teachers=3, subgroups=3)
    assert run(spread, {1: (0, 0), 2: (0, 0), 3: (1, 0)}).objective == pytest.approx(1.0)
    apart = FetSolution({1: Placement(0, 0), 2: Placement(0, 0), 3: Placement(1, 0)})
    assert score_fet(spread, apart).soft == pytest.approx(1.0)


def test_two_activities_consecutive() -> None:
    rule = con("TwoActivitiesConsecutive", first=3, second=1)
    # holds: 3 from (0, 0) covers hours 0-1, so 1 starts at (0, 2)
    r = run(mini(rule), {3: (0, 0)})
    assert r.status == OPTIMAL and r.at(1) == (0, 2)
    # a break hour between does not separate them
    brk = con("BreakTimes", slots=((0, 2),))
    assert run(mini(rule, brk), {3: (0, 0)}).at(1) == (0, 3)
    # must fail
    assert run(mini(rule), {3: (0, 0), 1: (0, 3)}).status == INFEASIBLE
    # binds: with 3 fixed, 1 anywhere else is out
    assert run(mini(rule), {3: (0, 0)}, most=((1, (1, 0)),)).best == 0
    assert run(mini(), {3: (0, 0)}, most=((1, (1, 0)),)).best == 1
    # soft at 50 %
    soft = con("TwoActivitiesConsecutive", 50, first=3, second=1)
    assert run(mini(soft), {3: (0, 0), 1: (1, 0)}).objective == pytest.approx(0.5)
    assert run(mini(soft)).objective == 0


# -- per-resource counting rules -----------------------------------------------------------------

def test_teacher_max_days_per_week() -> None:
    rule = con("TeacherMaxDaysPerWeek", teacher=0, bound=1)
    r = run(mini(rule))
    assert r.status == OPTIMAL and r.at(1)[0] == r.at(2)[0]
    apart = {1: (0, 0), 2: (1, 0)}
    assert run(mini(rule), apart).status == INFEASIBLE
    assert run(mini(rule), most=tuple(apart.items())).best == 1
    assert run(mini(), most=tuple(apart.items())).best == 2
    # soft at 50 %: three days, two over the bound
    soft = con("TeacherMaxDaysPerWeek", 50, teacher=0, bound=1)
    spread = {1: (0, 0), 2: (1, 0), 3: (2, 0)}
    assert run(mini(soft, acts=THREE), spread).objective == pytest.approx(2 * 0.5)
    assert run(mini(soft, acts=THREE)).objective == 0


@pytest.mark.parametrize("kind", ["TeacherMaxHoursDaily", "TeachersMaxHoursDaily"])
def test_teacher_max_hours_daily(kind: str) -> None:
    teacher = {"teacher": 0} if kind == "TeacherMaxHoursDaily" else {}
    rule = con(kind, bound=1, **teacher)
    together = {1: (0, 0), 2: (0, 1)}
    r = run(mini(rule, acts=THREE[:2]))
    assert r.status == OPTIMAL and r.at(1)[0] != r.at(2)[0]
    assert run(mini(rule, acts=THREE[:2]), together).status == INFEASIBLE
    assert run(mini(rule, acts=THREE[:2]), most=tuple(together.items())).best == 1
    assert run(mini(acts=THREE[:2]), most=tuple(together.items())).best == 2
    # over every teacher it also binds T1, whose two-hour activity 3 cannot fit
    assert run(mini(rule)).status == (INFEASIBLE if not teacher else OPTIMAL)
    # soft at 50 %: three hours on day 0 are one day over (fet-cl 6.8.5 scores 0.5)
    soft = con(kind, 50, bound=1, **teacher)
    monday = {1: (0, 0), 2: (0, 1), 3: (0, 2)}
    assert run(mini(soft, acts=THREE), monday).objective == pytest.approx(0.5)
    assert run(mini(soft, acts=THREE)).objective == 0


MIN_HOURS = {
    "TeacherMinHoursDaily": {"teacher": 0},
    "StudentsSetMinHoursDaily": {"students": "S0", "subgroups": (0,)},
}


@pytest.mark.parametrize("kind", MIN_HOURS)
def test_min_hours_daily(kind: str) -> None:
    rule = con(kind, bound=2, allow_empty=True, **MIN_HOURS[kind])
    r = run(mini(rule))
    assert r.status == OPTIMAL and r.at(1)[0] == r.at(2)[0]
    apart = {1: (0, 0), 2: (1, 0)}
    assert run(mini(rule), apart).status == INFEASIBLE
    assert run(mini(rule), most=tuple(apart.items())).best == 1
    assert run(mini(), most=tuple(apart.items())).best == 2
    # without empty days every one of the three needs two of T0's / S0's two hours
    strict = con(kind, bound=2, allow_empty=False, **MIN_HOURS[kind])
    assert run(mini(strict)).status == INFEASIBLE
    # soft at 50 %: two days one hour short each
    soft = con(kind, 50, bound=2, allow_empty=True, **MIN_HOURS[kind])
    assert run(mini(soft), apart).objective == pytest.approx(2 * 0.5)
    assert run(mini(soft)).objective == 0


GAPS = {
    "TeacherMaxGapsPerWeek": {"teacher": 0}, "TeachersMaxGapsPerWeek": {},
    "TeacherMaxGapsPerDay": {"teacher": 0}, "TeachersMaxGapsPerDay": {},
    "StudentsMaxGapsPerWeek": {},
    "StudentsSetMaxGapsPerWeek": {"students": "S0", "subgroups": (0,)},
}


@pytest.mark.parametrize("kind", GAPS)
def test_max_gaps(kind: str) -> None:
    rule = con(kind, bound=0, **GAPS[kind])
    wide = {1: (0, 0), 2: (0, 3)}             # hours 1 and 2 free between: two gaps
    r = run(mini(rule), {1: (0, 0)}, most=((2, (0, 1)), (2, (0, 2))))
    assert r.status == OPTIMAL and r.at(2) == (0, 1)
    assert run(mini(rule), wide).status == INFEASIBLE
    assert run(mini(con(kind, bound=1, **GAPS[kind])), wide).status == INFEASIBLE
    assert run(mini(con(kind, bound=2, **GAPS[kind])), wide).status == OPTIMAL
    # binds: after (0, 0), the start (0, 2) leaves a gap
    assert run(mini(rule), {1: (0, 0)}, most=((2, (0, 2)),)).best == 0
    assert run(mini(), {1: (0, 0)}, most=((2, (0, 2)),)).best == 1
    # soft at 50 %: two gaps over bound 0, one over bound 1
    assert run(mini(con(kind, 50, bound=0, **GAPS[kind])), wide).objective == pytest.approx(1.0)
    assert run(mini(con(kind, 50, bound=1, **GAPS[kind])), wide).objective == pytest.approx(0.5)


@pytest.mark.parametrize("kind,ok", [("TeacherMaxGapsPerDay", True),
                                     ("TeacherMaxGapsPerWeek", False)])
def test_max_gaps_per_day_or_per_week(kind: str, ok: bool) -> None:
    # one gap on each of two days: within one a day, over one a week
    four = ((1, (0,), (0,), 0, ()),) * 4
    fix = {1: (0, 0), 2: (0, 2), 3: (1, 0), 4: (1, 2)}
    r = run(mini(con(kind, bound=1, teacher=0), acts=four), fix)
    assert r.status == (OPTIMAL if ok else INFEASIBLE)


EARLY = {"StudentsEarlyMaxBeginningsAtSecondHour": {},
         "StudentsSetEarlyMaxBeginningsAtSecondHour": {"students": "S0", "subgroups": (0,)}}


@pytest.mark.parametrize("kind", EARLY)
def test_early_max_beginnings_at_second_hour(kind: str) -> None:
    scope = EARLY[kind]
    rule = con(kind, bound=0, **scope)
    # holds: each of S0's days begins in the first hour
    r = run(mini(rule))
    assert r.status == OPTIMAL
    assert all(min(h for d, h in map(r.at, (1, 2)) if d == day) == 0
               for day in {r.at(1)[0], r.at(2)[0]})
    # must fail: a day beginning at the second hour, or later even with one allowed
    second = {1: (0, 1), 2: (1, 0)}
    assert run(mini(rule), second).status == INFEASIBLE
    assert run(mini(con(kind, bound=1, **scope)), second).status == OPTIMAL
    assert run(mini(con(kind, bound=1, **scope)), {1: (0, 1), 2: (1, 1)}).status == INFEASIBLE
    assert run(mini(con(kind, bound=1, **scope)), {1: (0, 2), 2: (1, 0)}).status == INFEASIBLE
    # binds: with 2 on day 1, 1 alone on day 0 may not begin at the second hour
    assert run(mini(rule), {2: (1, 0)}, most=((1, (0, 1)),)).best == 0
    assert run(mini(), {2: (1, 0)}, most=((1, (0, 1)),)).best == 1
    # soft at 50 %: one day beginning at the second hour; one beginning later is a
    # late day and a late beginning too (FET's fitness)
    soft = con(kind, 50, bound=0, **scope)
    assert run(mini(soft), second).objective == pytest.approx(0.5)
    assert run(mini(soft), {1: (0, 2), 2: (1, 0)}).objective == pytest.approx(1.0)
    assert run(mini(soft)).objective == 0


# -- room rules --------------------------------------------------------------------------------

# kind: (params, the activities it binds, their rooms under the hard rule)
ROOMS = {
    "SubjectPreferredRoom": ({"subject": 0, "rooms": (0,)}, (1, 2), {0}),
    "SubjectPreferredRooms": ({"subject": 0, "rooms": (0, 1)}, (1, 2), {0, 1}),
    "ActivityPreferredRoom": ({"activity": 3, "rooms": (1,)}, (3,), {1}),
    "ActivityPreferredRooms": ({"activity": 3, "rooms": (0, 1)}, (3,), {0, 1}),
    "TeacherHomeRoom": ({"teacher": 1, "rooms": (1,)}, (3,), {1}),
}


@pytest.mark.parametrize("kind", ROOMS)
def test_room_rule(kind: str) -> None:
    params, bound, rooms = ROOMS[kind]
    rule = con(kind, **params)
    # holds: the bound activities are in the rule's rooms, the others in none
    r = run(mini(rule, rooms=2))
    assert r.status == OPTIMAL
    for aid, pl in r.solution.placements.items():
        assert (pl.room in rooms) if aid in bound else pl.room is None
    # must fail and binds: no other room (nor none) is left to them; without the rule
    # they have none
    fm, free = built(rule, rooms=2), built(rooms=2)
    for aid in bound:
        i = fm.p.index_of(aid)
        assert set(fm.room_dom[i]) == rooms and free.room_dom[i] == (None,)
    # soft at 70 %: an activity in no room costs 0.7
    soft = con(kind, 70, **params)
    assert run(mini(soft, rooms=2), rooms={bound[0]: None}).objective == pytest.approx(0.7)
    assert run(mini(soft, rooms=2)).objective == 0


def test_room_not_available_times() -> None:
    home = con("ActivityPreferredRoom", activity=3, rooms=(0,))
    rule = con("RoomNotAvailableTimes", room=0, slots=tuple((0, h) for h in range(4)))
    # holds: activity 3, in R0, is not on day 0
    r = run(mini(home, rule, rooms=1))
    assert r.status == OPTIMAL and r.at(3)[0] != 0
    # must fail
    assert run(mini(home, rule, rooms=1), {3: (0, 0)}).status == INFEASIBLE
    # binds
    assert run(mini(home, rule, rooms=1), most=((3, (0, 0)),)).best == 0
    assert run(mini(home, rooms=1), most=((3, (0, 0)),)).best == 1
    # soft at 40 %: one unit per unavailable hour activity 3 covers in R0
    soft = con("RoomNotAvailableTimes", 40, room=0, slots=((0, 0), (0, 1)))
    assert run(mini(home, soft, rooms=1), {3: (0, 0)}).objective == pytest.approx(2 * 0.4)
    assert run(mini(home, soft, rooms=1), {3: (0, 1)}).objective == pytest.approx(0.4)
    assert run(mini(home, soft, rooms=1)).objective == 0
