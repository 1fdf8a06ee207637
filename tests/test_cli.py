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
    assert main(["solve", str(school), "--time-limit", "6", "-o", str(out)]) == 0
    assert (out / "timetable.json").is_file() and (out / "school.yaml").is_file()
    report = (out / "report.txt").read_text(encoding="utf-8")
    assert "合规 COMPLIANT" in report
    assert main(["check", str(school), str(out / "timetable.json")]) == 0
    assert main(["homework", "plan", str(school), "--timetable", str(out / "timetable.json"),
                 "-o", str(out / "quotas.csv")]) == 0
    assert main(["export", str(out), "--format", "all"]) == 0
    assert (out / "timetable.xlsx").is_file() and (out / "site" / "index.html").is_file()
    capsys.readouterr()


def test_homework_plan_of_a_primary_school_shows_oral_work_for_grades_1_and_2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import csv

    school = tmp_path / "school.yaml"
    out = tmp_path / "out"
    assert main(["generate", "school", "--preset", "primary", "--classes-per-grade", "1",
                 "--seed", "2", "--policy", "chengnan", "-o", str(school)]) == 0
    assert main(["solve", str(school), "--time-limit", "6", "-o", str(out)]) == 0
    capsys.readouterr()
    quotas = out / "quotas.csv"
    assert main(["homework", "plan", str(school), "--timetable", str(out / "timetable.json"),
                 "-o", str(quotas), "--table"]) == 0
    text = capsys.readouterr().out
    assert "一年级1班 每日口头/实践作业（分钟）" in text and "二年级1班 每日口头/实践作业" in text
    assert "合计 书面     0     0     0     0     0     0" in text
    assert "口头/实践作业 oral/practical" in text and "每天至多 1 科" in text
    assert quotas.read_bytes().startswith(b"\xef\xbb\xbf")          # Excel sees UTF-8
    rows = [{k.split()[-1]: v for k, v in r.items()}     # 班级 class → class
            for r in csv.DictReader(quotas.read_text(encoding="utf-8-sig").splitlines())]
    lower = [r for r in rows if r["class"][:2] in ("一年", "二年")]
    assert lower and {r["kind"] for r in lower} == {"口头"}
    for cls in ("一年级1班", "二年级1班"):
        days = [r["day"] for r in lower if r["class"] == cls]
        assert len(days) == len(set(days)) == 5                 # one subject every day
        assert all(int(r["minutes"]) <= 15 for r in lower)
    assert {r["kind"] for r in rows if r not in lower} == {"书面"}
    # the plan's oral rows, logged as they were set, pass the audit; one more fails it
    log = tmp_path / "log.csv"
    dates = {"周一": "2026-11-16", "周二": "2026-11-17", "周三": "2026-11-18",
             "周四": "2026-11-19", "周五": "2026-11-20"}
    lines = ["date,class,subject,minutes,kind"] + [
        f"{dates[r['day']]},{r['class']},{r['subject']},{r['minutes']},口头" for r in lower]
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = ["homework", "audit", str(log), "--school", str(school),
            "--timetable", str(out / "timetable.json")]
    assert main(args) == 0
    first = lower[0]
    other = "数学" if first["subject"] != "数学" else "语文"
    log.write_text("\n".join(lines + [f"{dates[first['day']]},{first['class']},{other},5,口头"])
                   + "\n", encoding="utf-8")
    capsys.readouterr()
    assert main(args) == 1
    assert "[homework_oral_subjects]" in capsys.readouterr().out


def test_generate_with_structures_writes_a_school_that_reads_back(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from jianfu.instances.generator import generate_school
    from jianfu.instances.schoolfile import read_school

    school = tmp_path / "village.yaml"
    assert main(["generate", "school", "--preset", "primary", "--classes-per-grade", "1",
                 "--seed", "3", "--structures", "-o", str(school)]) == 0
    out = capsys.readouterr().out
    assert "structures: class_meeting 6" in out and "multi_grade" in out and "alternates" in out
    assert read_school(school) == generate_school("primary", 1, 3, structures=True)
    text = school.read_text(encoding="utf-8")
    assert "升旗仪式" in text and "语文组教研" in text and "复式" in text and "书法" in text
    assert main(["check", str(school)]) == 0


def test_check_exits_1_on_a_planted_clash(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    school = tmp_path / "school.yaml"
    out = tmp_path / "out"
    assert main(["generate", "school", "--preset", "primary", "--classes-per-grade", "1",
                 "--seed", "2", "-o", str(school)]) == 0
    assert main(["solve", str(school), "--time-limit", "6", "-o", str(out)]) == 0
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


# --- audit: timetables made elsewhere ------------------------------------------------------

_WEEK = [  # one grade-3 class, 30 periods: the national plan exactly
    ["语文(王芳)", "数学(李强)", "英语(陈静)", "语文(王芳)", "体育(刘洋)", "道法(王芳)"],
    ["数学(李强)", "语文(王芳)", "科学(赵磊)", "体育(刘洋)", "音乐(孙丽)", "美术(孙丽)"],
    ["语文(王芳)", "数学(李强)", "体育(刘洋)", "信息(赵磊)", "美术(孙丽)", "综合实践(李强)"],
    ["语文(王芳)", "英语(陈静)", "数学(李强)", "语文(王芳)", "劳动(赵磊)", "综合实践(李强)"],
    ["语文(王芳)", "科学(赵磊)", "道法(王芳)", "音乐(孙丽)", "地方(李强)", "校本(李强)"],
]


def _master_sheet(path: Path, name: str = "三（1）班", week: list[list[str]] = _WEEK) -> Path:
    """A clerk's 总课表: a title row, days merged over periods 1–6, the class in column A."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "总课表"
    ws["A1"] = "城东小学 总课表"
    ws.merge_cells("A1:AE1")
    ws["A2"] = "班级"
    for d, day in enumerate(("周一", "周二", "周三", "周四", "周五")):
        ws.cell(2, 2 + 6 * d, day)
        ws.merge_cells(start_row=2, start_column=2 + 6 * d, end_row=2, end_column=7 + 6 * d)
        for p in range(6):
            ws.cell(3, 2 + 6 * d + p, f"第{p + 1}节")
            ws.cell(4, 2 + 6 * d + p, week[d][p])
    ws["A4"] = name
    wb.save(path)
    return path


def test_audit_prints_the_layout_and_the_verdict(tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    good = _master_sheet(tmp_path / "good.xlsx")
    assert main(["audit", str(good)]) == 0
    out = capsys.readouterr().out
    assert "总课表：班级在行，(星期, 节次) 在列 — whole-school sheet" in out
    assert "城东小学" in out and "合规 COMPLIANT" in out

    week = [list(day) for day in _WEEK]
    week[1][3] = "数学(李强)"                     # 周二第4节: PE taught as 数学
    bad = _master_sheet(tmp_path / "bad.xlsx", week=week)
    assert main(["audit", str(bad), "-o", str(tmp_path / "report")]) == 1
    out = capsys.readouterr().out
    assert "[curriculum] 课程方案开齐开足" in out and "[pe_periods]" in out
    assert "三(1)班 体育与健康 每周 2 节，课程方案规定三年级至少 3 节，少 1 节" in out
    assert (tmp_path / "report" / "audit.xlsx").is_file()
    assert "三(1)班" in (tmp_path / "report" / "audit.html").read_text(encoding="utf-8")

    assert main(["audit", "--compare", str(good), str(bad)]) == 1
    out = capsys.readouterr().out
    assert "数学 ← 体育与健康: 1 节" in out and "三(1)班 周二 第4节" in out
    assert main(["audit", "--compare", str(good), str(good)]) == 0
    assert "一致 IDENTICAL" in capsys.readouterr().out

    import json

    assert main(["audit", str(bad), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["layout"] == "master" and data["inferred"] and not data["compliant"]
    assert data["hard_by_rule"]["curriculum"] == 1          # PE short; 数学 above its minimum is fine


def test_audit_bad_input_exits_2_naming_the_cell_and_writes_nothing(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = _master_sheet(tmp_path / "t.xlsx", name="火箭班")
    out = tmp_path / "report"
    assert main(["audit", str(bad), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "t.xlsx: 总课表!B4" in err and "火箭班" in err and "Traceback" not in err
    assert not list(out.glob("*")) if out.exists() else True

    school = tmp_path / "school.yaml"
    assert main(["generate", "school", "--preset", "primary", "--classes-per-grade", "1",
                 "-o", str(school)]) == 0
    capsys.readouterr()
    assert main(["audit", str(_master_sheet(tmp_path / "u.xlsx")), "--school", str(school)]) == 2
    err = capsys.readouterr().err
    # 三（1）班 is the school's 三年级1班; its teacher 王芳 is not in the school file
    assert "u.xlsx: 总课表!B4: '王芳'" in err and "no such teacher" in err

    assert main(["audit", str(bad), str(bad)]) == 2            # two files without --compare
    assert main(["audit", str(tmp_path / "missing.csv")]) == 2
    assert "missing.csv" in capsys.readouterr().err


def test_audit_a_folder_of_schools_writes_the_district_report(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    district = tmp_path / "清河区"
    district.mkdir()
    _master_sheet(district / "城东小学.xlsx")
    week = [list(day) for day in _WEEK]
    week[1][3] = "数学(李强)"                     # 周二第4节: PE taught as 数学
    _master_sheet(district / "城南小学.xlsx", week=week)
    (district / "城西小学.xlsx").write_bytes(b"not a workbook")
    out = tmp_path / "report"
    assert main(["audit", str(district), "-o", str(out)]) == 1
    text = capsys.readouterr().out
    assert "3 所学校：1 所合规，1 所不合规，1 所无法读取" in text
    assert "curriculum 课程方案开齐开足 — 1 所学校 school(s), 1 处 case(s): 城南小学（1）" in text
    assert "城西小学: 城西小学.xlsx: 不是有效的 Excel 工作簿" in text
    assert sorted(p.name for p in out.iterdir()) == ["district_audit.csv", "district_audit.html",
                                                     "district_audit.xlsx"]

    inside = district / "报告"                      # a report folder inside is skipped
    assert main(["audit", str(district), "-o", str(inside), "--json"]) == 1
    import json

    data = json.loads(capsys.readouterr().out)
    assert (data["schools"], data["compliant"], data["unreadable"]) == (3, 1, 1)
    assert main(["audit", str(district), "-o", str(inside)]) == 1
    assert "3 所学校" in capsys.readouterr().out

    (district / "城西小学.xlsx").unlink()
    (district / "城南小学.xlsx").unlink()
    assert main(["audit", str(district)]) == 0
    assert "1 所学校：1 所合规" in capsys.readouterr().out


def test_audit_a_folder_bad_arguments_exit_2(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["audit", str(empty)]) == 2
    assert "no school timetable" in capsys.readouterr().err
    assert main(["audit", str(tmp_path / "missing")]) == 2
    assert "not a folder" in capsys.readouterr().err
    _master_sheet(empty / "城东小学.xlsx")
    assert main(["audit", str(empty), "-o", str(empty)]) == 2
    assert "folder being audited" in capsys.readouterr().err
    assert not (empty / "district_audit.xlsx").exists()
    assert main(["audit", str(empty), "--school", str(empty / "城东小学.xlsx")]) == 2
    assert main(["audit", str(empty), "--profile", "atlantis"]) == 2
    assert "atlantis" in capsys.readouterr().err


def test_the_time_limit_bounds_the_whole_command(monkeypatch):
    # the solver gets what the command has not used yet, less the time to check and write
    import jianfu.cli as cli

    monkeypatch.setattr(cli, "_STARTED", 100.0)
    monkeypatch.setattr(cli.time, "perf_counter", lambda: 103.0)   # 3 s gone reading
    assert cli._left(10.0) == 10.0 - 3.0 - cli._WRITE_RESERVE
    assert cli._left(2.0) == 0.1                                  # never nothing at all
    assert cli._process_age() >= 0.0
