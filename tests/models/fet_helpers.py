"""Tiny FET problems built in code for the checker and solver tests.

:func:`mini` builds the problem, :func:`con` a constraint; :data:`BINDS` lists hard
constraints that force a particular answer of :func:`mini`, each with its check, for
the CP-SAT model's and the search's tests alike. The test modules import them as
``models.fet_helpers`` (``tests/`` is on ``sys.path``, see ``tests/conftest.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jianfu.models.fet import FetActivity, FetConstraint, FetProblem, FetRoom

#: The ``.fet`` files of the test suite.
DATA = Path(__file__).resolve().parents[1] / "instances" / "data" / "fet"
#: (duration, teachers, subgroups, subject[, tags]) of each activity of :func:`mini`.
ACTS = ((1, (0,), (0,), 0), (1, (0,), (0,), 0), (2, (1,), (1,), 1))


def con(kind: str, weight: float = 100, **params: Any) -> FetConstraint:
    return FetConstraint(kind, weight, tuple(params.items()))


def mini(*constraints: FetConstraint, acts: tuple = ACTS, days: int = 3,
         hours: int = 4, rooms: int = 0, teachers: int = 2, subgroups: int = 2) -> FetProblem:
    """Activities 1..n (default: 1 and 2 for T0/S0 of one hour, 3 for T1/S1 of two)."""
    subs = tuple(f"S{k}" for k in range(subgroups))
    activities = tuple(
        FetActivity(id=i + 1, duration=a[0], subject=a[3], teachers=a[1],
                    tags=a[4] if len(a) > 4 else (),
                    students=tuple(subs[s] for s in a[2]), subgroups=a[2])
        for i, a in enumerate(acts))
    sets = {s: (k,) for k, s in enumerate(subs)}
    sets["ALL"] = tuple(range(subgroups))
    return FetProblem(
        name="mini", days=tuple(f"D{d}" for d in range(days)),
        hours=tuple(f"H{h}" for h in range(hours)),
        teachers=tuple(f"T{t}" for t in range(teachers)), subjects=("X", "Y"), tags=("tag",),
        subgroups=subs, students_sets=sets, activities=activities,
        rooms=tuple(FetRoom(f"R{r}") for r in range(rooms)), constraints=constraints)


def at(r, aid: int) -> tuple[int, int]:
    """(day, hour) of activity ``aid`` in a solve result."""
    pl = r.solution.placements[aid]
    return pl.day, pl.hour


# hard constraints that force a particular answer: (constraint, extra, check on result)
BINDS = [
    ("BreakTimes", [con("BreakTimes", slots=tuple((d, h) for d in range(3) for h in (0, 1)))],
     lambda r: at(r, 1)[1] >= 2 and at(r, 2)[1] >= 2 and at(r, 3)[1] == 2),
    ("TeacherNotAvailableTimes",
     [con("TeacherNotAvailableTimes", teacher=0, slots=tuple((d, h) for d in (0, 1)
                                                             for h in range(4)))],
     lambda r: at(r, 1)[0] == at(r, 2)[0] == 2),
    ("StudentsSetNotAvailableTimes",
     [con("StudentsSetNotAvailableTimes", students="ALL", subgroups=(0, 1),
          slots=tuple((d, h) for d in range(3) for h in (0, 1)))],
     lambda r: at(r, 3)[1] == 2 and at(r, 1)[1] >= 2),
    ("ActivityPreferredStartingTime", [con("ActivityPreferredStartingTime", activity=3, day=1,
                                           hour=2)], lambda r: at(r, 3) == (1, 2)),
    ("ActivitiesPreferredStartingTimes",
     [con("ActivitiesPreferredStartingTimes", teacher=0, starts=((2, 3), (0, 1)))],
     lambda r: {at(r, 1), at(r, 2)} == {(2, 3), (0, 1)}),
    ("ActivityPreferredTimeSlots", [con("ActivityPreferredTimeSlots", activity=3,
                                        slots=((1, 1), (1, 2), (1, 3)))],
     lambda r: at(r, 3)[0] == 1 and at(r, 3)[1] in (1, 2)),
    ("MinDaysBetweenActivities",
     [con("MinDaysBetweenActivities", activities=(1, 2), min_days=2, consecutive=False)],
     lambda r: abs(at(r, 1)[0] - at(r, 2)[0]) == 2),
    ("ActivitiesSameStartingTime", [con("ActivitiesSameStartingTime", activities=(1, 3)),
                                    con("ActivityPreferredStartingTime", activity=3, day=2,
                                        hour=1)],
     lambda r: at(r, 1) == (2, 1)),
    ("TwoActivitiesConsecutive", [con("TwoActivitiesConsecutive", first=3, second=1),
                                  con("ActivityPreferredStartingTime", activity=3, day=0,
                                      hour=0)],
     lambda r: at(r, 1) == (0, 2)),
    ("TeacherMaxDaysPerWeek", [con("TeacherMaxDaysPerWeek", teacher=0, bound=1)],
     lambda r: at(r, 1)[0] == at(r, 2)[0]),
    ("TeacherMaxHoursDaily", [con("TeacherMaxHoursDaily", teacher=0, bound=1),
                              con("TeacherMaxDaysPerWeek", teacher=0, bound=2)],
     lambda r: at(r, 1)[0] != at(r, 2)[0]),
    ("TeacherMinHoursDaily", [con("TeacherMinHoursDaily", teacher=0, bound=2, allow_empty=True)],
     lambda r: at(r, 1)[0] == at(r, 2)[0]),
    ("TeachersMaxGapsPerDay", [con("TeachersMaxGapsPerDay", bound=0),
                               con("TeacherMaxDaysPerWeek", teacher=0, bound=1)],
     lambda r: abs(at(r, 1)[1] - at(r, 2)[1]) == 1),
    ("StudentsMaxGapsPerWeek", [con("StudentsMaxGapsPerWeek", bound=0),
                                con("ActivityPreferredStartingTime", activity=1, day=0, hour=0),
                                con("ActivityPreferredStartingTime", activity=2, day=0)],
     lambda r: at(r, 2) == (0, 1)),
    ("StudentsEarlyMaxBeginningsAtSecondHour",
     [con("StudentsEarlyMaxBeginningsAtSecondHour", bound=0)],
     lambda r: all(min(at(r, a)[1] for a in (1, 2) if at(r, a)[0] == d) == 0
                   for d in {at(r, 1)[0], at(r, 2)[0]}) and at(r, 3)[1] == 0),
    ("StudentsSetMinHoursDaily",
     [con("StudentsSetMinHoursDaily", students="S0", subgroups=(0,), bound=2, allow_empty=True)],
     lambda r: at(r, 1)[0] == at(r, 2)[0]),
]

# rules between activities the search keeps pair by pair (also the relations' tests)
PAIR_BINDS = [
    ("ActivitiesSameStartingHour", [con("ActivitiesSameStartingHour", activities=(1, 3)),
                                    con("ActivityPreferredStartingTime", activity=3, day=2,
                                        hour=1)],
     lambda r: at(r, 1)[1] == 1),
    ("ActivitiesSameStartingDay", [con("ActivitiesSameStartingDay", activities=(1, 3)),
                                   con("ActivityPreferredStartingTime", activity=3, day=2,
                                       hour=1)],
     lambda r: at(r, 1)[0] == 2),
    ("MinGapsBetweenActivities", [con("MinGapsBetweenActivities", activities=(1, 2), min_gaps=2),
                                  con("TeacherMaxDaysPerWeek", teacher=0, bound=1)],
     lambda r: {at(r, 1)[1], at(r, 2)[1]} == {0, 3}),
    ("ActivitiesNotOverlapping", [con("ActivitiesNotOverlapping", activities=(1, 3)),
                                  con("ActivityPreferredStartingTime", activity=3, day=0,
                                      hour=0),
                                  con("ActivityPreferredStartingTime", activity=1, day=0)],
     lambda r: at(r, 1)[0] == 0 and at(r, 1)[1] >= 2),
    ("ActivityEndsStudentsDay", [con("ActivityEndsStudentsDay", activity=1),
                                 con("TeacherMaxDaysPerWeek", teacher=0, bound=1)],
     lambda r: at(r, 2)[1] < at(r, 1)[1]),
]
BINDS += PAIR_BINDS
