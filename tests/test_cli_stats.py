"""``jianfu stats DIR``: the 课时统计 of a solved folder, and bad input named."""

from __future__ import annotations

from pathlib import Path

import pytest

from jianfu.cli import main
from jianfu.instances.schoolfile import write_school
from jianfu.instances.timetable_io import write_timetable
from jianfu.instances.views import example_school, example_timetable


def test_stats_prints_every_teacher_and_the_short_subjects(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    school = example_school()
    write_school(school, tmp_path / "school.yaml")
    write_timetable(example_timetable(school), school, tmp_path / "timetable.json")
    assert main(["stats", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("== 课时统计 示范小学 ==")
    lines = out.splitlines()
    wang = next(line for line in lines if line.startswith("王芳"))
    assert wang.split()[1] == "7"                    # 三(1)班's 语文
    assert "合计 total: 7 位教师 teachers, 60 节 periods a week" in out
    assert "== 开课统计 short subjects ==" in out


def test_stats_of_a_folder_without_a_timetable_is_bad_input(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_school(example_school(), tmp_path / "school.yaml")
    assert main(["stats", str(tmp_path)]) == 2
    assert "jianfu solve" in capsys.readouterr().err
