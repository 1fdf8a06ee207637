"""FET's units and names on ``data/fet/units.fet``, judged by fet-cl 6.8.5: preferred
time slots cost one unit per hour outside, and names keep their spaces (FET reads a
name exactly as written, so room " 9 B" is not "9 B")."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from jianfu.instances.fet import read_fet, read_fet_result
from jianfu.instances.fet_export import write_fet, write_locked_fet
from jianfu.models.errors import InputError
from jianfu.models.fet_check import score_fet
from jianfu.solver.fet.solve import solve_fet

UNITS = Path(__file__).parent / "data" / "fet" / "units.fet"
FET_CL = shutil.which("fet-cl")
#: fet-cl's soft conflicts total: 2 hours × 50 % + 2 hours × 80 %
SOFT = 2.6


def _fet_cl(path: Path, out: Path) -> str:
    """Run fet-cl on ``path`` (a locked file that breaks a 100 % rule never ends, so
    under a timeout); its output."""
    try:
        run = subprocess.run([FET_CL, f"--inputfile={path}", f"--outputdir={out}",
                              "--timelimitseconds=20"], capture_output=True, text=True,
                             timeout=60, check=False)
    except subprocess.TimeoutExpired:
        return "timed out"
    return run.stdout + run.stderr


def test_names_keep_their_spaces(tmp_path: Path) -> None:
    p = read_fet(UNITS)
    assert [r.name for r in p.rooms] == [" 9 B", "操场"]
    assert p.teachers == (" 王老师", "李老师") and p.subjects[0] == "语文 "
    (room,) = [c for c in p.of_kind("ActivityPreferredRoom") if c.get("activity") == 1]
    assert room.get("rooms") == (0,)
    back = read_fet(write_fet(p, tmp_path / "units.fet"))
    assert (back.rooms, back.teachers, back.subjects) == (p.rooms, p.teachers, p.subjects)


def test_time_slots_cost_hours_outside() -> None:
    p = read_fet(UNITS)
    result, _ = solve_fet(UNITS, time_limit=10, workers=1)
    score = score_fet(p, result.solution)
    assert score.compliant and score.by_rule == {
        "ActivityPreferredTimeSlots": pytest.approx(1.0),
        "ActivitiesPreferredTimeSlots": pytest.approx(1.6)}
    assert result.objective == pytest.approx(SOFT)


@pytest.mark.skipif(FET_CL is None, reason="fet-cl not installed")
def test_checker_scores_fet_timetable_as_fet(tmp_path: Path) -> None:
    out = _fet_cl(UNITS, tmp_path)
    assert "Simulation successful" in out, out[-2000:]
    text = (tmp_path / "timetables" / "units" / "units_soft_conflicts.txt").read_text(
        encoding="utf-8-sig")
    assert float(re.search(r"Total soft conflicts: ([0-9.]+)", text).group(1)) == \
        pytest.approx(SOFT)
    p = read_fet(UNITS)
    fet = read_fet_result(p, tmp_path / "timetables" / "units" / "units_activities.xml")
    assert fet.placements[1].room == 0          # " 9 B", read back with its space
    score = score_fet(p, fet)
    assert score.compliant and score.soft == pytest.approx(SOFT)


@pytest.mark.skipif(FET_CL is None, reason="fet-cl not installed")
def test_fet_cl_accepts_locked_file_with_spaced_names(tmp_path: Path) -> None:
    result, p = solve_fet(UNITS, time_limit=10, workers=1)
    locked = write_locked_fet(p, result.solution, tmp_path / "locked.fet", source=UNITS)
    assert "<Room> 9 B</Room>" in locked.read_text(encoding="utf-8")
    assert "Simulation successful" in _fet_cl(locked, tmp_path / "out")


def test_teacher_min_hours_without_empty_days_is_refused_as_fet_does(tmp_path: Path) -> None:
    """fet-cl 6.8.5 will not generate with a teacher min hours daily that does not allow
    empty days; the importer says so instead of solving another problem."""
    text = UNITS.read_text(encoding="utf-8").replace(
        "</Time_Constraints_List>",
        "<ConstraintTeacherMinHoursDaily><Weight_Percentage>100</Weight_Percentage>"
        "<Teacher_Name>李老师</Teacher_Name><Minimum_Hours_Daily>2</Minimum_Hours_Daily>"
        "<Allow_Empty_Days>false</Allow_Empty_Days><Active>true</Active>"
        "</ConstraintTeacherMinHoursDaily></Time_Constraints_List>")
    path = tmp_path / "strict.fet"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="Allow_Empty_Days"):
        read_fet(path)
