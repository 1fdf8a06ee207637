"""The counts group in FET files: read, written back, and judged by fet-cl 6.8.5 on
``data/fet/counts.fet`` (hours daily of students, runs of hours, days per week, days
inside an hour interval)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from builders import fit_policy, mini_school
from jianfu.instances.fet import read_fet, read_fet_result
from jianfu.instances.fet_export import write_fet, write_locked_fet
from jianfu.instances.fet_school import school_fet
from jianfu.models.fet_check import score_fet
from jianfu.solver.fet.solve import solve_fet_problem

COUNTS = Path(__file__).parent / "data" / "fet" / "counts.fet"
FET_CL = shutil.which("fet-cl")


def test_fields_are_read() -> None:
    p = read_fet(COUNTS)
    params = {c.kind: dict(c.params) for c in p.constraints}
    # an empty Interval_End_Hour is the end of the day (hours 4, 5, 6 after the break)
    assert params["TeacherIntervalMaxDaysPerWeek"] == {
        "bound": 2, "teacher": p.teachers.index("李老师"), "start": 4, "end": 7}
    assert params["TeachersIntervalMaxDaysPerWeek"] == {"bound": 1, "start": 0, "end": 1}
    assert params["StudentsSetIntervalMaxDaysPerWeek"] == {
        "bound": 1, "students": "二班", "subgroups": p.students_sets["二班"], "start": 6, "end": 7}
    assert params["TeacherMaxHoursContinuously"]["bound"] == 2
    assert params["StudentsSetMaxHoursContinuously"]["subgroups"] == p.students_sets["二年级"]
    assert params["TeacherMinDaysPerWeek"]["bound"] == 4
    assert params["TeachersMinDaysPerWeek"] == {"bound": 3}
    assert params["TeachersMaxDaysPerWeek"] == {"bound": 4}
    assert params["StudentsSetMaxHoursDaily"]["bound"] == 3
    weights = {c.kind: c.weight for c in p.constraints if not c.hard}
    assert weights == {"StudentsMaxHoursDaily": 90, "TeachersMaxHoursContinuously": 60,
                       "StudentsMaxHoursContinuously": 70}


def test_written_file_reads_back_the_same(tmp_path: Path) -> None:
    p = read_fet(COUNTS)
    back = read_fet(write_fet(p, tmp_path / "counts.fet"))
    assert [(c.kind, c.weight, c.params) for c in back.constraints] == \
        [(c.kind, c.weight, c.params) for c in p.constraints]


def test_school_export_reads_back_max_hours_continuously(tmp_path: Path) -> None:
    s = mini_school([("一班", 1)], [("一班", "语文", "王芳", 4, 1), ("一班", "体育", "张伟", 1)],
                    days=5)
    problem = school_fet(s, fit_policy(s, daily_activity_minutes=60)).problem
    back = read_fet(write_fet(problem, tmp_path / "school.fet"), ignore_unsupported=True)
    (rule,) = back.of_kind("TeachersMaxHoursContinuously")
    (sent,) = problem.of_kind("TeachersMaxHoursContinuously")
    assert (rule.weight, rule.get("bound")) == (sent.weight, sent.get("bound"))
    assert "TeachersMaxHoursContinuously" not in dict(back.unsupported)


def _fet_cl(path: Path, out: Path) -> float:
    """Run fet-cl on ``path``; FET's total soft conflicts of its timetable."""
    run = subprocess.run([FET_CL, f"--inputfile={path}", f"--outputdir={out}",
                          "--timelimitseconds=30"], capture_output=True, text=True, timeout=90,
                         check=False)
    assert "Simulation successful" in run.stdout + run.stderr, run.stdout[-2000:]
    text = (out / "timetables" / path.stem / f"{path.stem}_soft_conflicts.txt").read_text(
        encoding="utf-8-sig")
    return float(re.search(r"Total soft conflicts: ([0-9.]+)", text).group(1))


@pytest.mark.skipif(FET_CL is None, reason="fet-cl not installed")
def test_checker_scores_fet_timetable_as_fet(tmp_path: Path) -> None:
    fet_soft = _fet_cl(COUNTS, tmp_path)
    p = read_fet(COUNTS)
    fet = read_fet_result(p, tmp_path / "timetables" / "counts" / "counts_activities.xml")
    score = score_fet(p, fet)
    assert score.compliant, score.by_rule
    assert score.soft == pytest.approx(fet_soft)


@pytest.mark.skipif(FET_CL is None, reason="fet-cl not installed")
def test_fet_accepts_our_timetable_and_scores_it_as_we_do(tmp_path: Path) -> None:
    # a timetable is all this needs: the first, however loaded the machine
    p = read_fet(COUNTS)
    result = solve_fet_problem(p, time_limit=120, workers=1,
                               params={"stop_after_first_solution": True})
    assert result.solution is not None
    locked = write_locked_fet(p, result.solution, tmp_path / "counts_locked.fet", source=COUNTS)
    assert _fet_cl(locked, tmp_path / "out") == pytest.approx(score_fet(p, result.solution).soft)
