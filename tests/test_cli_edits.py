"""`jianfu check` and `jianfu solve --keep` on the workbook and the CSV jianfu exported,
edited by hand (issue #19 item 3): violations by sheet and cell, bad cells exit 2."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from jianfu.cli import main
from jianfu.instances.excel import sheet_names
from jianfu.instances.timetable_io import write_timetable
from jianfu.instances.views import class_grid
from jianfu.models.checker import check, summarize
from jianfu.models.timetable import Timetable

from audit_fixtures import export_solved


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory):
    """school.yaml, timetable.json, timetable.xlsx and lessons.csv of a solved school."""
    out, school, policy, timetable = export_solved(tmp_path_factory.mktemp("edits"))
    write_timetable(timetable, school, out / "timetable.json")
    assert summarize(check(school, policy, timetable), policy).compliant
    return out, school, policy, timetable


def _ref(school, cls: int, day: int, period: int) -> str:
    rows = class_grid(school, Timetable(()), cls).rows
    row = 4 + next(i for i, r in enumerate(rows) if r.period == period)
    return f"{get_column_letter(3 + day)}{row}"


def _plain(x) -> bool:
    return x.venue is None and x.group is None and x.week is None


def _swap_cells(src: Path, dst: Path, sheet: str, a: str, b: str) -> Path:
    wb = load_workbook(src)
    ws = wb[sheet]
    ws[a].value, ws[b].value = ws[b].value, ws[a].value
    wb.save(dst)
    return dst


def _clash_move(school, timetable):
    """(x, y): lessons of one class; putting x in y's period makes x's teacher teach two
    classes at once, and y's teacher is free in x's period."""
    busy = {(x.teacher, x.day, x.period) for x in timetable.lessons}
    for x in timetable.lessons:
        for other in timetable.lessons:
            if other.teacher != x.teacher or other.cls == x.cls or other.day != x.day:
                continue
            y = timetable.at(x.cls, other.day, other.period)
            if y is not None and y.teacher != x.teacher and _plain(x) and _plain(y) \
                    and (y.teacher, x.day, x.period) not in busy:
                return x, y
    raise AssertionError("no teacher teaches two classes")


def test_a_lesson_moved_onto_its_teachers_busy_period_is_flagged_by_cell(
        solved, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out, school, _, timetable = solved
    x, y = _clash_move(school, timetable)
    sheet = sheet_names(school)[("class", x.cls)]
    moved_to = _ref(school, x.cls, y.day, y.period)
    edited = _swap_cells(out / "timetable.xlsx", tmp_path / "edited.xlsx", sheet,
                         _ref(school, x.cls, x.day, x.period), moved_to)
    capsys.readouterr()
    assert main(["check", str(out / "school.yaml"), str(edited)]) == 1
    text = capsys.readouterr().out
    assert "[teacher_clash] 教师冲突 Teacher clash (硬 hard) — 1\n" in text
    clash = next(line for line in text.splitlines() if "同时在" in line)
    assert f"{sheet}!{moved_to}" in clash.split("位置 at ")[1]
    assert "不合规" in text.splitlines()[-1]
    assert main(["check", str(out / "school.yaml"), str(edited), "--json"]) == 1
    found = json.loads(capsys.readouterr().out)["violations"]
    clash_cells = [v["cells"] for v in found if v["rule"] == "teacher_clash"]
    assert len(clash_cells) == 1 and f"{sheet}!{moved_to}" in clash_cells[0]
    assert not any("cells" in v for v in found if v["rule"] == "coverage")


def test_the_same_move_in_the_csv_names_its_line(solved, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    out, school, _, timetable = solved
    x, y = _clash_move(school, timetable)
    rows = list(csv.reader(io.StringIO((out / "lessons.csv").read_text(encoding="utf-8-sig"))))
    head = rows[0]
    col = {k: next(i for i, h in enumerate(head) if h.split()[-1] == k)   # 班级 class …
           for k in ("class", "day", "period", "subject")}

    def line_of(lesson) -> int:
        return next(i for i, r in enumerate(rows) if r[col["class"]] == school.classes[lesson.cls].name
                    and r[col["day"]] == school.days[lesson.day]
                    and r[col["period"]] == str(lesson.period + 1)) + 1

    a, b = line_of(x), line_of(y)
    for line, lesson in ((a, y), (b, x)):          # the two lessons trade periods
        rows[line - 1][col["day"]] = school.days[lesson.day]
        rows[line - 1][col["period"]] = str(lesson.period + 1)
    edited = tmp_path / "lessons.csv"
    with edited.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    capsys.readouterr()
    assert main(["check", str(out / "school.yaml"), str(edited)]) == 1
    clash = next(line for line in capsys.readouterr().out.splitlines() if "同时在" in line)
    assert f"第{a}行 line {a}" in clash


def _harmless_swap(school, policy, timetable):
    """Two lessons of one class on one day whose swap keeps every hard rule."""
    for x in timetable.lessons:
        for y in timetable.lessons:
            if (y.cls, y.day) != (x.cls, x.day) or y.period <= x.period \
                    or y.subject == x.subject or not (_plain(x) and _plain(y)):
                continue
            moved = [z for z in timetable.lessons if z not in (x, y)] + [
                dataclasses.replace(x, period=y.period), dataclasses.replace(y, period=x.period)]
            if summarize(check(school, policy, Timetable(tuple(moved), timetable.sessions)),
                         policy).compliant:
                return x, y
    raise AssertionError("no harmless swap")


def test_a_swap_that_keeps_every_rule_passes(solved, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    out, school, policy, timetable = solved
    x, y = _harmless_swap(school, policy, timetable)
    sheet = sheet_names(school)[("class", x.cls)]
    edited = _swap_cells(out / "timetable.xlsx", tmp_path / "swapped.xlsx", sheet,
                         _ref(school, x.cls, x.day, x.period), _ref(school, y.cls, y.day, y.period))
    capsys.readouterr()
    assert main(["check", str(out / "school.yaml"), str(edited)]) == 0
    assert capsys.readouterr().out.splitlines()[-1].startswith("合规 COMPLIANT")


def test_unedited_exports_check_like_the_json(solved, capsys: pytest.CaptureFixture[str]) -> None:
    out = solved[0]
    verdicts = []
    for name in ("timetable.json", "timetable.xlsx", "lessons.csv"):
        capsys.readouterr()
        assert main(["check", str(out / "school.yaml"), str(out / name)]) == 0
        verdicts.append(capsys.readouterr().out.splitlines()[-1])
    assert verdicts[0] == verdicts[1] == verdicts[2]


def test_a_gbk_csv_is_checked(solved, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = solved[0]
    gbk = tmp_path / "lessons.csv"
    gbk.write_bytes((out / "lessons.csv").read_text(encoding="utf-8-sig").encode("gbk"))
    capsys.readouterr()
    assert main(["check", str(out / "school.yaml"), str(gbk)]) == 0
    assert "GBK" in capsys.readouterr().err


@pytest.mark.parametrize("value, problem", [("天文", "没有这个学科 no such subject"),
                                            ("语文 数学", "一格写了两门学科")])
def test_a_bad_cell_exits_2_naming_file_sheet_cell_and_value(
        solved, tmp_path: Path, capsys: pytest.CaptureFixture[str], value, problem) -> None:
    out, school, _, _ = solved
    sheet = sheet_names(school)[("class", 0)]
    wb = load_workbook(out / "timetable.xlsx")
    wb[sheet]["D5"] = value
    wb.save(tmp_path / "bad.xlsx")
    capsys.readouterr()
    assert main(["check", str(out / "school.yaml"), str(tmp_path / "bad.xlsx")]) == 2
    err = capsys.readouterr().err
    assert f"bad.xlsx: {sheet}!D5: '{value}': " in err and problem in err
    assert "Traceback" not in err


@pytest.mark.slow
def test_solve_keeps_an_edited_workbook(solved, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    out, school, policy, timetable = solved
    x, y = _harmless_swap(school, policy, timetable)
    sheet = sheet_names(school)[("class", x.cls)]
    edited = _swap_cells(out / "timetable.xlsx", tmp_path / "swapped.xlsx", sheet,
                         _ref(school, x.cls, x.day, x.period), _ref(school, y.cls, y.day, y.period))
    assert main(["solve", str(out / "school.yaml"), "--keep", str(edited), "--time-limit", "20",
                 "-o", str(tmp_path / "again")]) == 0
    assert "调整节数 moved lessons: 0" in capsys.readouterr().out
