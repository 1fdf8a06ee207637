"""Hand-edited exports read back (issue #19 item 3): jianfu's timetable.xlsx and
lessons.csv, after a clerk moved, swapped or retyped lessons, give the timetable, where
each lesson was read, and clear errors for bad cells."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from jianfu.instances.audit_io import CellLesson, parse_cell, parse_cell_lessons, read_timetable_file
from jianfu.instances.edited import read_edited, violation_places
from jianfu.instances.excel import sheet_names, write_workbook
from jianfu.instances.generator import generate_school
from jianfu.instances.tidy_csv import write_tidy
from jianfu.instances.timetable_io import read_timetable, read_timetable_places
from jianfu.instances.views import example_timetable
from jianfu.models.audit import assume_sessions
from jianfu.models.checker import check
from jianfu.models.errors import InputError
from jianfu.models.textfile import take_notes
from jianfu.models.timetable import Lesson, Timetable


def _exports(tmp_path: Path, school, timetable) -> tuple[Path, Path]:
    xlsx = write_workbook(tmp_path / "timetable.xlsx", school, school.policy(), timetable)
    csv, = write_tidy(tmp_path, school, timetable)
    return xlsx, csv


@pytest.fixture(scope="module")
def exported(tmp_path_factory, school, timetable) -> tuple[Path, Path]:
    """timetable.xlsx and lessons.csv of the example school, written once: tests edit copies."""
    return _exports(tmp_path_factory.mktemp("exported"), school, timetable)


def _cell(school, cls: int, day: int, period: int) -> tuple[str, str]:
    """(sheet, cell) of a lesson on its class sheet: row 第N节, column of the day."""
    return sheet_names(school)[("class", cls)], f"{get_column_letter(3 + day)}{_row(school, cls, period)}"


def _row(school, cls: int, period: int) -> int:
    from jianfu.instances.views import class_grid

    rows = class_grid(school, Timetable(()), cls).rows
    return 4 + next(i for i, r in enumerate(rows) if r.period == period)


def _edited(src: Path, dst: Path, edits: dict[tuple[str, str], object]) -> Path:
    wb = load_workbook(src)
    for (sheet, ref), value in edits.items():
        wb[sheet][ref] = value
    wb.save(dst)
    return dst


# --- cells ----------------------------------------------------------------------------------

def test_cells_a_person_retypes() -> None:
    assert parse_cell_lessons("书法(单周)\n王芳") == [CellLesson("书法", "王芳", None, None, 1)]
    assert parse_cell_lessons("科学（双周）\n赵磊\n@实验室1\n(08:10–08:50)") == [
        CellLesson("科学", "赵磊", "实验室1", None, 2)]
    assert parse_cell_lessons("男生 体育与健康(单周)\n刘洋") == [
        CellLesson("体育与健康", "刘洋", None, "男生", 1)]
    assert parse_cell_lessons("男生 体育") == [CellLesson("体育", None, None, "男生", None)]
    assert parse_cell_lessons("语文\u3000王芳") == [CellLesson("语文", "王芳", None, None, None)]
    assert parse_cell_lessons("语文\n＠操场\n周五 15:30–16:00") == [
        CellLesson("语文", None, "操场", None, None)]
    assert parse_cell("书法(单周)\n王芳") == [("书法", "王芳", None, None)]   # week dropped


# --- unedited exports give back the timetable -------------------------------------------------

def test_unedited_workbook_and_csv_give_back_the_timetable(exported, school, timetable) -> None:
    xlsx, csv = exported
    assert read_timetable(xlsx, school) == timetable              # lessons, venues, sessions
    back, places = read_timetable_places(xlsx, school)
    first = timetable.at(0, 0, 0)
    assert places[first] == "timetable.xlsx: 班级-三(1)班!C4"
    assert places[timetable.sessions[0]].startswith("timetable.xlsx: 班级-三(1)班!C")
    take_notes()
    from_csv = read_timetable(csv, school)
    assert from_csv.lessons == timetable.lessons
    assert from_csv == assume_sessions(school, school.policy(), Timetable(timetable.lessons))[0]
    assert any("课外体育活动" in n for n in take_notes())        # the sessions were assumed
    _, places = read_timetable_places(csv, school)
    assert places[timetable.lessons[0]] == "lessons.csv: 第2行 line 2"


def test_the_demo_school_reads_back_exactly(tmp_path) -> None:
    school = generate_school("nine-year", 2, 1)              # `make demo`'s school
    timetable = example_timetable(school)
    xlsx, csv = _exports(tmp_path, school, timetable)
    assert read_timetable(xlsx, school) == timetable
    assert read_timetable(csv, school).lessons == timetable.lessons


def test_a_csv_saved_as_gbk_by_excel_reads_like_jianfus(tmp_path, exported, school) -> None:
    _, csv = exported
    gbk = tmp_path / "gbk" / "lessons.csv"
    gbk.parent.mkdir()
    gbk.write_bytes(csv.read_text(encoding="utf-8-sig").replace("\n", "\r\n").encode("gbk"))
    take_notes()
    assert read_timetable(gbk, school) == read_timetable(csv, school)
    assert any("GBK" in n for n in take_notes())


@pytest.mark.parametrize("text", ["数学", "数学\n李强", "数学(李强)", "数学（李强）", "数学 李强",
                                  "数学\u3000李强", " 数学　", "数学(李)", "数学\n李 强"])
def test_retyped_cells_give_the_same_lesson(tmp_path, exported, school, timetable, text) -> None:
    xlsx, _ = exported
    sheet, ref = _cell(school, 1, 4, 5)                        # 三(2)班 周五 第6节
    back = read_timetable(_edited(xlsx, tmp_path / "e.xlsx", {(sheet, ref): text}), school)
    math = school.subject_index["数学"]
    assert back.at(1, 4, 5) == Lesson(1, 4, 5, math, school.teacher_index["李强"], None)
    assert len(back.lessons) == len(timetable.lessons)


def test_lessons_every_other_week_and_groups_are_read(tmp_path, school, timetable) -> None:
    first, second = timetable.lessons[:2]
    cycle = Timetable((dataclasses.replace(first, week=1),
                       dataclasses.replace(first, subject=second.subject, teacher=second.teacher,
                                           venue=None, week=2)) + timetable.lessons[2:],
                      timetable.sessions)
    xlsx, csv = _exports(tmp_path, school, cycle)
    assert read_timetable(xlsx, school) == cycle
    assert read_timetable(csv, school).lessons == cycle.lessons


# --- bad edits ------------------------------------------------------------------------------

@pytest.mark.parametrize("text, value, problem", [
    ("天文", "'天文'", "没有这个学科 no such subject"),
    ("语文 数学", "'语文 数学'", "一格写了两门学科"),
    ("语文/数学", "'语文/数学'", "two subjects"),
    ("语文\n数学", "'语文 数学'", "two subjects"),
    ("语文(张珊)", "'张珊'", "三(2)班 的语文教师是 孙悦"),
    ("书法\n孙悦", "'书法'", "no such subject"),
])
def test_a_bad_cell_names_file_sheet_cell_and_value(tmp_path, exported, school, text, value,
                                                    problem) -> None:
    xlsx, _ = exported
    sheet, ref = _cell(school, 1, 4, 5)
    bad = _edited(xlsx, tmp_path / "bad.xlsx", {(sheet, ref): text})
    with pytest.raises(InputError) as err:
        read_timetable(bad, school)
    assert str(err.value).startswith(f"bad.xlsx: 班级-三(2)班!{ref}: {value}: ")
    assert problem in str(err.value)


def test_a_sheet_for_a_class_the_school_lacks_is_refused(tmp_path, exported, school) -> None:
    xlsx, _ = exported
    wb = load_workbook(xlsx)
    copy = wb.copy_worksheet(wb["班级-三(2)班"])
    copy.title = "班级-三(9)班"
    copy["A1"] = "三(9)班 课程表"
    wb.save(tmp_path / "extra.xlsx")
    with pytest.raises(InputError) as err:
        read_timetable(tmp_path / "extra.xlsx", school)
    assert str(err.value).startswith("extra.xlsx: 班级-三(9)班!C4: '三(9)班': 学校文件中没有这个班级")


def test_a_bad_csv_line_is_named(tmp_path, exported, school) -> None:
    lines = exported[1].read_text(encoding="utf-8-sig").splitlines()
    fields = lines[4].split(",")
    fields[7] = "天文"                                          # the subject column
    lines[4] = ",".join(fields)
    csv = tmp_path / "lessons.csv"
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    with pytest.raises(InputError) as err:
        read_timetable(csv, school)
    assert str(err.value).startswith("lessons.csv: 第5行 row 5, 第8列 column 8: '天文': ")


# --- a 总课表 beside the class sheets -----------------------------------------------------------

def _with_master(src: Path, dst: Path, school, timetable, *, compact: bool = False) -> Path:
    """``src`` with another tool's 总课表 sheet instead of jianfu's (and without the
    fingerprint of what jianfu wrote): classes down, each day merged over its periods;
    cells as the class sheets write them, or ``compact``: the subject only."""
    wb = load_workbook(src)
    for name in ("总课表", "教师总课表"):
        del wb[name]
    wb.custom_doc_props.props = [p for p in wb.custom_doc_props.props
                                 if p.name != "jianfu.lessons"]
    ws = wb.create_sheet("总课表", 1)
    periods = max(s.max_periods for s in school.schedules)
    ws.cell(1, 1, "班级")
    for d, day in enumerate(school.days):
        ws.cell(1, 2 + d * periods, day)
        ws.merge_cells(start_row=1, start_column=2 + d * periods, end_row=1,
                       end_column=1 + (d + 1) * periods)
        for p in range(periods):
            ws.cell(2, 2 + d * periods + p, p + 1)
    for c, cls in enumerate(school.classes):
        ws.cell(3 + c, 1, cls.name)
        for x in timetable.lessons:
            if x.cls == c:
                cell = ws.cell(3 + c, 2 + x.day * periods + x.period)
                text = f"{school.subjects[x.subject].name}\n{school.teachers[x.teacher].name}"
                if x.venue is not None:
                    text += f"\n@{school.venues[x.venue].name}"
                if compact:
                    text = school.subjects[x.subject].name
                cell.value = f"{cell.value}\n\n{text}" if cell.value else text
    wb.save(dst)
    return dst


def test_a_master_sheet_that_agrees_with_the_class_sheets(tmp_path, exported, school,
                                                          timetable) -> None:
    both = _with_master(exported[0], tmp_path / "both.xlsx", school, timetable)
    assert read_timetable(both, school) == timetable
    compact = _with_master(exported[0], tmp_path / "compact.xlsx", school, timetable,
                           compact=True)                  # subjects only: those are compared
    assert read_timetable(compact, school) == timetable


def test_a_master_sheet_that_differs_names_both_cells(tmp_path, exported, school,
                                                      timetable) -> None:
    both = _with_master(exported[0], tmp_path / "both.xlsx", school, timetable)
    sheet, ref = _cell(school, 1, 0, 0)
    edited = _edited(both, tmp_path / "edited.xlsx", {(sheet, ref): "数学\n李强"})
    with pytest.raises(InputError) as err:
        read_timetable(edited, school)
    text = str(err.value)
    assert text.startswith("edited.xlsx: '三(2)班 周一第1节': 总课表与班级工作表不一致（共 1 处）：")
    assert f"{ref} 写 says 数学(李强)" in text and "总课表!B4 写 says" in text


def _master_cell(path: Path, school, cls: int, day: int, period: int) -> str:
    """The 总课表 cell of jianfu's workbook holding (cls, day, period)'s lesson."""
    tf = read_timetable_file(path, layout="master")
    where = next(x.where for x in tf.lessons if x.cls == school.classes[cls].name
                 and x.day == school.days[day] and x.period == period + 1)
    return where.split("!")[-1]


def test_an_edit_in_either_place_of_jianfus_workbook_is_read_from_there(
        tmp_path, exported, school, timetable) -> None:
    # jianfu's workbook has its 总课表 and the class sheets: the one a person edited is
    # the one that no longer holds what jianfu wrote
    sheet, ref = _cell(school, 1, 0, 0)
    master = _master_cell(exported[0], school, 1, 0, 0)
    wanted = {x for x in timetable.lessons if (x.cls, x.day, x.period) != (1, 0, 0)}
    math, lee = school.subject_index["数学"], school.teacher_index["李强"]
    in_class = _edited(exported[0], tmp_path / "class.xlsx", {(sheet, ref): "数学\n李强"})
    in_master = _edited(exported[0], tmp_path / "master.xlsx", {("总课表", master): "数学\n李强"})
    for path, where in ((in_class, "班级课表"), (in_master, "总课表")):
        take_notes()
        got = read_timetable(path, school)
        assert set(got.lessons) - wanted == {Lesson(1, 0, 0, math, lee)}, path
        assert any(f"改动在{where}（1 节）" in n for n in take_notes())
    both = _edited(in_class, tmp_path / "both.xlsx", {("总课表", master): "语文\n王芳"})
    with pytest.raises(InputError, match="总课表与班级工作表不一致（共 1 处）"):
        read_timetable(both, school)


# --- violations at their cells ---------------------------------------------------------------

def test_a_clash_points_at_both_cells(tmp_path, exported, school, timetable) -> None:
    """A lesson of 三(2)班 swapped onto a period where its teacher teaches 三(1)班: the
    clash names both classes' cells."""
    a, b = next((a, b) for a in timetable.lessons if a.cls == 0 for b in timetable.lessons
                if b.cls == 1 and b.teacher == a.teacher and (b.day, b.period) != (a.day, a.period)
                and timetable.at(1, a.day, a.period).teacher != a.teacher)
    xlsx, _ = exported
    theirs, mine = _cell(school, 1, b.day, b.period), _cell(school, 1, a.day, a.period)
    wb = load_workbook(xlsx)
    ws = wb[theirs[0]]
    ws[theirs[1]].value, ws[mine[1]].value = ws[mine[1]].value, ws[theirs[1]].value
    wb.save(tmp_path / "moved.xlsx")
    located = read_edited(tmp_path / "moved.xlsx", school)
    clash = [v for v in check(school, school.policy(), located.timetable)
             if v.rule == "teacher_clash" and v.teacher == school.teachers[a.teacher].name]
    assert len(clash) == 1
    assert violation_places(school, located.timetable, located.places, clash[0]) == [
        f"班级-三(2)班!{mine[1]}", f"班级-三(1)班!{_cell(school, 0, a.day, a.period)[1]}"]


def test_a_weekly_count_has_no_cell(school, timetable) -> None:
    from jianfu.models.violation import Violation

    places = {x: "t.xlsx: 班级-三(1)班!C4" for x in timetable.lessons}
    weekly = Violation("coverage", True, "…", cls="三(1)班", subject="语文")
    assert violation_places(school, timetable, places, weekly) == []
    assert violation_places(school, timetable, {}, weekly) == []


# --- a generated school with every structure, solved ----------------------------------------

@pytest.mark.slow
def test_a_school_with_structures_reads_back_exactly(tmp_path) -> None:
    from jianfu.solver import Status, solve

    school = generate_school("nine-year", 2, 1, structures=True)
    result = solve(school, school.policy(), time_limit=120, workers=2,
                   params={"stop_after_first_solution": True})
    assert result.status in (Status.OPTIMAL, Status.FEASIBLE)
    timetable = result.timetable
    assert {x.group for x in timetable.lessons} > {None}           # 分组 and 走班 groups
    assert {x.week for x in timetable.lessons} == {None, 1, 2}     # 单双周
    assert any(x.venue is not None for x in timetable.lessons)
    xlsx, csv = _exports(tmp_path, school, timetable)
    assert read_timetable(xlsx, school) == timetable
    assert read_timetable(csv, school).lessons == timetable.lessons
