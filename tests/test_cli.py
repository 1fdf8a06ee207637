"""The CLI: exit codes and messages (the library is tested in the package folders)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from jianfu.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_policy_list_names_every_builtin_profile(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policy", "list"]) == 0
    out = capsys.readouterr().out
    for name in ("national", "panjin", "zhongxian", "chengnan", "beijing-2024", "guangdong-2025"):
        assert name in out


def test_policy_show_prints_values_with_sources(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policy", "show", "guangdong-2025"]) == 0
    out = capsys.readouterr().out
    assert "daily_activity_minutes = 120" in out
    assert "来源 source:" in out


def test_unknown_profile_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["policy", "show", "atlantis"]) == 2
    err = capsys.readouterr().err
    assert "atlantis" in err and "Traceback" not in err


def test_profile_file_with_bad_field_names_file_field_and_value(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    profile = tmp_path / "local.yaml"
    profile.write_text("extends: national\nlong_break_minutes: -5\n", encoding="utf-8")
    assert main(["policy", "show", str(profile)]) == 2
    err = capsys.readouterr().err
    assert str(profile) in err and "long_break_minutes" in err and "-5" in err


def test_missing_school_file_exits_2_without_traceback(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "cli.py"), "solve", str(tmp_path / "none.yaml"),
                           "-o", str(tmp_path / "out")], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "none.yaml" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()


def test_generate_solve_check_plan_export_end_to_end(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    school = tmp_path / "school.yaml"
    out = tmp_path / "out"
    assert main(["generate", "school", "--preset", "junior", "--classes-per-grade", "1",
                 "--seed", "3", "-o", str(school)]) == 0
    assert main(["solve", str(school), "--time-limit", "20", "-o", str(out)]) == 0
    assert (out / "timetable.json").is_file() and (out / "school.yaml").is_file()
    report = (out / "report.txt").read_text(encoding="utf-8")
    assert "合规 COMPLIANT" in report
    assert main(["check", str(school), str(out / "timetable.json")]) == 0
    assert main(["homework", "plan", str(school), "--timetable", str(out / "timetable.json"),
                 "-o", str(out / "quotas.csv")]) == 0
    assert main(["export", str(out), "--format", "all"]) == 0
    assert (out / "timetable.xlsx").is_file() and (out / "site" / "index.html").is_file()
    capsys.readouterr()


def test_generate_with_structures_writes_a_school_that_reads_back(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from jianfu.instances.generator import generate_school
    from jianfu.instances.schoolfile import read_school

    school = tmp_path / "village.yaml"
    assert main(["generate", "school", "--preset", "primary", "--classes-per-grade", "1",
                 "--seed", "3", "--structures", "-o", str(school)]) == 0
    out = capsys.readouterr().out
    assert "structures: class_meeting 6" in out and "multi_grade" in out
    assert read_school(school) == generate_school("primary", 1, 3, structures=True)
    text = school.read_text(encoding="utf-8")
    assert "升旗仪式" in text and "语文组教研" in text and "复式" in text
    assert main(["check", str(school)]) == 0


def test_check_exits_1_on_a_planted_clash(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    school = tmp_path / "school.yaml"
    out = tmp_path / "out"
    assert main(["generate", "school", "--preset", "primary", "--classes-per-grade", "1",
                 "--seed", "2", "-o", str(school)]) == 0
    assert main(["solve", str(school), "--time-limit", "20", "-o", str(out)]) == 0
    data = json.loads((out / "timetable.json").read_text(encoding="utf-8"))
    first, second = data["lessons"][0], data["lessons"][1]
    second["day"], second["period"] = first["day"], first["period"]   # two lessons, one slot
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    capsys.readouterr()
    assert main(["check", str(school), str(bad)]) == 1
    assert "class_clash" in capsys.readouterr().out


def test_check_a_school_workbook_without_a_timetable(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import load_workbook

    from jianfu.instances.excel import write_filled
    from jianfu.instances.views import example_school

    good = write_filled(tmp_path / "school.xlsx", example_school(), matrix=True)
    assert main(["check", str(good)]) == 0
    out = capsys.readouterr().out
    assert "班级 classes          2" in out and "教师 teachers         7" in out
    assert "任课 requirements     24 (60" in out and "未发现问题" in out

    wb = load_workbook(good)
    wb["任课表"]["D4"] = "无名氏 5"                       # a teacher the 教师 sheet lacks
    wb.save(tmp_path / "bad.xlsx")
    assert main(["check", str(tmp_path / "bad.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "bad.xlsx: 任课表!D4 (teacher): '无名氏'" in err and "Traceback" not in err

    wb = load_workbook(good)
    wb["任课表"]["C4"] = "王芳 40"                        # more than the week holds
    wb.save(tmp_path / "full.xlsx")
    assert main(["check", str(tmp_path / "full.xlsx")]) == 3
    out = capsys.readouterr().out
    assert "预检 precheck: " in out and "王芳 每周 40 节课" in out
