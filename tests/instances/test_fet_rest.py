"""The group "rest" kinds on a hand-made file, against fet-cl 6.8.5 when installed.

``data/fet/rest.fet`` has every kind of the group: resting hours between days (one
teacher, all teachers, a students set, all students; circular and not), spans per
day, max days between activities, simultaneous activities in selected slots, the
rooms an activity set uses, same room if consecutive, building changes per week (its
comment says what the rules force).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from jianfu.instances.fet import read_fet, read_fet_result
from jianfu.instances.fet_export import write_fet
from jianfu.models.fet import FetProblem, FetSolution
from jianfu.models.fet_check import score_fet

REST = Path(__file__).parent / "data" / "fet" / "rest.fet"
FET_CL = shutil.which("fet-cl")
#: one of activity 3's two 70 % rooms is always broken
SOFT = 0.7


def _forced(p: FetProblem, s: FetSolution) -> bool:
    """6 is in B1 (100 %), so 4 and 5 too (one room for the three); at most one
    activity in hour 1 of each day; T1 rests 4 hours between days; T2's (4, 5, 6) and
    C1's (1, 2, 5) lessons of a day lie within 2 hours; 1 and 5 at most a day apart."""
    pl = s.placements
    first = [a for a, x in pl.items() if x.hour == 0]
    t1 = [pl[a] for a in (1, 2, 3)]
    rest = all((3 - max(x.hour for x in t1 if x.day == d)) +
               min(x.hour for x in t1 if x.day == d + 1) >= 4
               for d in range(p.n_days - 1)
               if any(x.day == d for x in t1) and any(x.day == d + 1 for x in t1))
    span = all(max(pl[a].hour for a in acts if pl[a].day == d) -
               min(pl[a].hour for a in acts if pl[a].day == d) < 2
               for acts in ((4, 5, 6), (1, 2, 5)) for d in {pl[a].day for a in acts})
    return ({p.rooms[pl[a].room].name for a in (4, 5, 6)} == {"B1"}
            and len({pl[a].day for a in first}) == len(first) and rest and span
            and abs(pl[1].day - pl[5].day) <= 1)


def test_import() -> None:
    p = read_fet(REST)
    by_kind = {c.kind: dict(c.params) for c in p.constraints}
    assert by_kind["TeacherMinRestingHours"] == {"teacher": 0, "bound": 4, "circular": False}
    assert by_kind["StudentsSetMinRestingHours"] == {"students": "C2", "subgroups": (1,),
                                                     "bound": 3, "circular": True}
    assert by_kind["TeachersMinRestingHours"] == {"bound": 2, "circular": True}
    assert by_kind["ActivitiesMaxSimultaneousInSelectedTimeSlots"] == {
        "activities": (1, 2, 3, 4, 5, 6), "slots": ((0, 0), (1, 0), (2, 0)), "max": 1}
    assert by_kind["ActivitiesOccupyMaxDifferentRooms"] == {"activities": (4, 5, 6), "max": 1}
    assert by_kind["StudentsSetMaxBuildingChangesPerWeek"] == {"students": "C1",
                                                               "subgroups": (0,), "bound": 0}
    assert by_kind["TeacherMaxBuildingChangesPerWeek"] == {"teacher": 0, "bound": 0}
    assert by_kind["StudentsSetMaxSpanPerDay"] == {"students": "C1", "subgroups": (0,),
                                                   "bound": 2}
    assert by_kind["TeacherMaxSpanPerDay"] == {"teacher": 1, "bound": 2}
    assert by_kind["MaxDaysBetweenActivities"] == {"activities": (1, 5), "max_days": 1}
    assert by_kind["ActivitiesSameRoomIfConsecutive"] == {"activities": (1, 2, 3)}


def test_written_file_reads_back(tmp_path: Path) -> None:
    p = read_fet(REST)
    back = read_fet(write_fet(p, tmp_path / "rest.fet"))
    assert [(c.kind, c.weight, c.params) for c in back.constraints] == \
        [(c.kind, c.weight, c.params) for c in p.constraints]


def test_solve() -> None:
    from jianfu.solver.fet.solve import solve_fet

    result, p = solve_fet(REST, time_limit=10, workers=1)
    assert result.solution is not None, result.explanation
    assert _forced(p, result.solution)
    score = score_fet(p, result.solution)
    assert score.compliant and score.soft == pytest.approx(SOFT)


@pytest.mark.skipif(FET_CL is None, reason="fet-cl not installed")
def test_fet_cl_timetable_scores_as_fet(tmp_path: Path) -> None:
    run = subprocess.run([FET_CL, f"--inputfile={REST}", f"--outputdir={tmp_path}",
                          "--timelimitseconds=20"], capture_output=True, text=True, timeout=60,
                         check=False)
    assert "Simulation successful" in run.stdout + run.stderr
    p = read_fet(REST)
    out = tmp_path / "timetables" / "rest"
    fet = read_fet_result(p, out / "rest_activities.xml")
    assert _forced(p, fet)
    score = score_fet(p, fet)
    total = re.search(r"Total soft conflicts: ([0-9.]+)",
                      (out / "rest_soft_conflicts.txt").read_text(encoding="utf-8-sig"))
    assert total is not None
    assert score.compliant and score.soft == pytest.approx(float(total.group(1)))
