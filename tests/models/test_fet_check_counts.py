"""The FET checker on the counts group: hours daily of students, runs of hours, days
per week and days inside an hour interval — each kind holds on one timetable and
breaks on another by an exact amount, with the readings fet-cl 6.8.5 confirmed."""

from __future__ import annotations

import pytest
from jianfu.models.fet_check import check_fet, score_fet

from .fet_helpers import con, mini
from .test_fet_check import OK, sol

#: one-hour activities: T0/S0 twice, T1/S1 twice
FOUR = ((1, (0,), (0,), 0, ()),) * 2 + ((1, (1,), (1,), 0, ()),) * 2
#: three one-hour activities of T0/S0
THREE = ((1, (0,), (0,), 0, ()),) * 3
#: activity 3 (two hours) for S0 as well: S0 has four hours
S0_FOUR = ((1, (0,), (0,), 0, ()), (1, (0,), (0,), 0, ()), (2, (1,), (0,), 1, ()))
#: activity 3 of one hour
SHORT = ((1, (0,), (0,), 0, ()), (1, (0,), (0,), 0, ()), (1, (1,), (1,), 1, ()))

# kind, constraint, holding solution, breaking solution, amount, problem arguments
CASES = [
    ("StudentsSetMaxHoursDaily",
     con("StudentsSetMaxHoursDaily", students="S0", subgroups=(0,), bound=1), OK,
     sol((0, 0), (0, 1), (0, 0)), 1, {}),
    ("StudentsMaxHoursDaily", con("StudentsMaxHoursDaily", bound=1),
     sol((0, 0), (1, 0), (0, 0)), sol((0, 0), (0, 1), (1, 0)), 1, {"acts": SHORT}),
    ("TeacherMaxHoursContinuously",
     con("TeacherMaxHoursContinuously", teacher=0, bound=1), sol((0, 0), (0, 2), (0, 0)),
     sol((0, 0), (0, 1), (0, 0)), 1, {}),
    ("TeachersMaxHoursContinuously", con("TeachersMaxHoursContinuously", bound=2),
     sol((0, 0), (0, 1), (0, 3)), sol((0, 0), (0, 1), (0, 2)), 1, {"acts": THREE}),
    ("StudentsSetMaxHoursContinuously",
     con("StudentsSetMaxHoursContinuously", students="S0", subgroups=(0,), bound=1),
     sol((0, 0), (0, 2), (0, 0)), sol((0, 0), (0, 1), (0, 0)), 1, {}),
    ("StudentsMaxHoursContinuously", con("StudentsMaxHoursContinuously", bound=2),
     sol((0, 0), (1, 0), (0, 2)), sol((0, 0), (0, 1), (0, 2)), 1, {"acts": S0_FOUR}),
    ("TeachersMaxDaysPerWeek", con("TeachersMaxDaysPerWeek", bound=1),
     sol((0, 0), (0, 1), (1, 0)), OK, 1, {}),
    ("TeacherMinDaysPerWeek", con("TeacherMinDaysPerWeek", teacher=0, bound=2), OK,
     sol((0, 0), (0, 1), (0, 0)), 1, {}),
    ("TeachersMinDaysPerWeek", con("TeachersMinDaysPerWeek", bound=2),
     sol((0, 0), (1, 0), (0, 0), (1, 0)), sol((0, 0), (0, 1), (0, 0), (0, 1)), 2,
     {"acts": FOUR}),
    ("TeacherIntervalMaxDaysPerWeek",
     con("TeacherIntervalMaxDaysPerWeek", teacher=0, start=1, end=3, bound=1),
     sol((0, 1), (1, 0), (0, 0)), sol((0, 1), (1, 2), (0, 0)), 1, {}),
    # activity 3 from hour 1 covers hour 2, inside the interval
    ("TeachersIntervalMaxDaysPerWeek",
     con("TeachersIntervalMaxDaysPerWeek", start=2, end=4, bound=0),
     sol((0, 0), (1, 1), (0, 0)), sol((0, 0), (1, 1), (0, 1)), 1, {}),
    ("StudentsSetIntervalMaxDaysPerWeek",
     con("StudentsSetIntervalMaxDaysPerWeek", students="S0", subgroups=(0,), start=0, end=1,
         bound=1), sol((0, 0), (1, 1), (0, 0)), OK, 1, {}),
    ("StudentsIntervalMaxDaysPerWeek",
     con("StudentsIntervalMaxDaysPerWeek", start=3, end=4, bound=0), OK,
     sol((0, 3), (1, 3), (0, 2)), 3, {}),
]


@pytest.mark.parametrize("kind,c,good,bad,amount,kw", CASES, ids=[c[0] for c in CASES])
def test_kind_holds_and_breaks(kind: str, c, good, bad, amount, kw) -> None:
    p = mini(c, **kw)
    assert [v for v in check_fet(p, good) if v.rule == kind] == []
    found = [v for v in check_fet(p, bad) if v.rule == kind]
    assert sum(v.amount for v in found) == amount
    assert all(v.hard for v in found)


def test_max_hours_daily_counts_a_day_not_its_hours() -> None:
    # fet-cl 6.8.5 scores three hours against a 50 % max of one as 0.5, and two such
    # days as 1.0, for teachers and students alike
    for kind, who in (("StudentsSetMaxHoursDaily", {"students": "S0", "subgroups": (0,)}),
                      ("StudentsMaxHoursDaily", {}), ("TeacherMaxHoursDaily", {"teacher": 0})):
        p = mini(con(kind, 50, bound=1, **who), acts=THREE)
        assert score_fet(p, sol((0, 0), (0, 1), (0, 2))).soft == pytest.approx(0.5), kind
        p = mini(con(kind, 50, bound=1, **who), acts=FOUR[:2] * 2)
        assert score_fet(p, sol((0, 0), (0, 1), (1, 0), (1, 1))).soft == pytest.approx(1.0)


@pytest.mark.parametrize("ends_run", [
    con("BreakTimes", slots=((0, 2),)),
    con("TeacherNotAvailableTimes", teacher=0, slots=((0, 2),)),
])
def test_break_or_not_available_hour_ends_a_run(ends_run) -> None:
    # fet-cl accepts two lessons, a break (or a not-available hour), a lesson under a
    # 100 % maximum of two hours in a row, and refuses three in a row
    rule = con("TeacherMaxHoursContinuously", teacher=0, bound=2)
    assert score_fet(mini(rule, ends_run, acts=THREE), sol((0, 0), (0, 1), (0, 3))).compliant
    assert score_fet(mini(rule, acts=THREE), sol((0, 0), (0, 1), (0, 2))).hard == 1


def test_each_long_run_is_one_unit() -> None:
    # two runs of two on one day against a maximum of one: two units, 0.6 each
    rule = con("TeachersMaxHoursContinuously", 60, bound=1)
    p = mini(rule, acts=THREE + THREE[:1], hours=5)
    vs = check_fet(p, sol((0, 0), (0, 1), (0, 3), (0, 4)))
    assert [(v.amount, v.period) for v in vs] == [(1, 2), (1, 5)]
    assert score_fet(p, sol((0, 0), (0, 1), (0, 3), (0, 4))).soft == pytest.approx(1.2)
    # a two-hour activity alone is a run of two (fet-cl: 0.5 for a 3-hour one, max 2)
    assert score_fet(mini(rule), OK).soft == pytest.approx(0.6)


def test_teacher_without_lessons_breaks_min_days() -> None:
    # FET counts every teacher (and refuses to generate when one has too few activities)
    p = mini(con("TeachersMinDaysPerWeek", bound=2), teachers=3)
    vs = check_fet(p, OK)
    assert [(v.teacher, v.amount) for v in vs] == [("T1", 1), ("T2", 2)]


def test_interval_to_the_end_of_the_day() -> None:
    # end = the number of hours: the last hour is inside
    rule = con("TeacherIntervalMaxDaysPerWeek", teacher=0, start=2, end=4, bound=1)
    assert score_fet(mini(rule), sol((0, 3), (1, 1), (0, 0))).compliant
    assert score_fet(mini(rule), sol((0, 3), (1, 3), (0, 0))).hard == 1


def test_soft_days_cost_units_times_weight() -> None:
    p = mini(con("TeacherMinDaysPerWeek", 40, teacher=0, bound=3),
             con("StudentsSetIntervalMaxDaysPerWeek", 30, students="S0", subgroups=(0,),
                 start=0, end=2, bound=0))
    s = score_fet(p, sol((0, 0), (0, 1), (1, 2)))      # one day: two short; one in [0, 2)
    assert s.compliant and s.soft == pytest.approx(2 * 0.4 + 0.3)
