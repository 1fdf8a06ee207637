"""Excel in and out: the documented template, the school round trip, cell-named errors,
the timetable workbook and its read-back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from jianfu.instances.excel import (COLUMNS, EXAMPLE_MARK, read_school_xlsx, sheet_names,
                                    write_filled, write_template, write_workbook)
from jianfu.instances.timetable_io import read_timetable as read_timetable_xlsx   # by suffix
from jianfu.instances.views import check_summary, example_timetable
from jianfu.models.errors import InputError
from jianfu.models.timetable import Lesson, Timetable
from .people_fixtures import make_plan


def _data_cell(path: Path, sheet: str, field: str, nth: int = 0) -> str:
    """Address of ``field`` in the ``nth`` data (not example) row of ``sheet``."""
    ws = load_workbook(path)[sheet]
    col = next(c for c in range(2, ws.max_column + 1)
               if str(ws.cell(2, c).value or "").split()[:1] == [field])
    rows = [r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value != EXAMPLE_MARK]
    return f"{ws.cell(rows[nth], col).column_letter}{rows[nth]}"


def _edit(src: Path, dst: Path, sheet: str, cell: str, value) -> Path:
    wb = load_workbook(src)
    wb[sheet][cell] = value
    wb.save(dst)
    return dst


# --- template and school round trip -------------------------------------------------------

def test_template_is_documented_and_reading_it_names_the_missing_school(tmp_path):
    path = write_template(tmp_path / "template.xlsx")
    wb = load_workbook(path)
    sheets = [*COLUMNS]
    sheets.insert(sheets.index("任课"), "任课表")      # the matrix, before the row sheet
    assert wb.sheetnames == ["说明", "学校", *sheets]
    ws = wb["教师"]
    assert [ws.cell(1, c).value for c in range(2, 7)] == ["姓名", "任教学科", "每日最多节数",
                                                          "不可用时间", "走教学校"]
    assert str(ws.cell(2, 4).value).startswith("max_periods_per_day")
    assert ws.cell(3, 1).value == EXAMPLE_MARK          # an example row, marked
    assert "示例" in "".join(str(c.value) for c in wb["说明"]["A"])
    with pytest.raises(InputError) as err:
        read_school_xlsx(path)
    assert str(err.value).startswith("template.xlsx: 学校!C3 (school)")


def test_filled_workbook_reads_back_the_same_school(tmp_path, school):
    path = write_filled(tmp_path / "school.xlsx", school)
    assert read_school_xlsx(path) == school
    assert [c.head_teacher for c in school.classes] == [0, 6]      # 班主任 王芳, 孙悦
    ws = load_workbook(path)["班级"]
    col = next(c for c in range(2, ws.max_column + 1) if ws.cell(1, c).value == "班主任")
    rows = [r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value != EXAMPLE_MARK]
    assert [ws.cell(r, col).value for r in rows] == ["王芳", "孙悦"]


def test_generated_nine_year_school_round_trips(tmp_path):
    generator = pytest.importorskip("jianfu.instances.generator")
    school = generator.generate_school("nine-year", 1, 5)
    assert len(school.schedules) == 2          # primary and junior bells: per-class schedule
    path = write_filled(tmp_path / "school.xlsx", school)
    assert read_school_xlsx(path) == school


@pytest.mark.parametrize("sheet, field, value, problem", [
    ("教师", "max_periods_per_day", "abc", "whole number"),
    ("教师", "unavailable", "周八上午", "cannot read"),
    ("班级", "grade", 12, "out of range"),
    ("作息时间", "start", "25:00", "HH:MM"),
    ("任课", "teacher", "无名氏", "unknown teacher"),
    ("班级", "head_teacher", "无名氏", "unknown teacher"),
    ("场地", "capacity", 0, "out of range"),
])
def test_errors_name_sheet_row_and_column(tmp_path, school, sheet, field, value, problem):
    good = write_filled(tmp_path / "good.xlsx", school)
    cell = _data_cell(good, sheet, field, nth=1)
    bad = _edit(good, tmp_path / "school.xlsx", sheet, cell, value)
    with pytest.raises(InputError) as err:
        read_school_xlsx(bad)
    text = str(err.value)
    assert text.startswith(f"school.xlsx: {sheet}!{cell} ({field}): {value!r}"), text
    assert problem in text


def test_example_rows_are_ignored_and_excel_times_accepted(tmp_path, school):
    good = write_filled(tmp_path / "good.xlsx", school)
    wb = load_workbook(good)
    ws = wb["教师"]
    ws.append([EXAMPLE_MARK, "示例老师", "不存在的学科", "abc"])      # invalid, but an example
    bells = wb["作息时间"]
    start = _data_cell(good, "作息时间", "start", nth=0)
    bells[start] = dt.time(8, 20)                 # Excel turned the text into a time value
    wb.save(tmp_path / "edited.xlsx")
    assert read_school_xlsx(tmp_path / "edited.xlsx") == school


def test_policy_override_rows_reach_the_school(tmp_path, school):
    good = write_filled(tmp_path / "good.xlsx", school)
    wb = load_workbook(good)
    wb["学校"].append([None, "homework_cap_weekday", "[0, 0, 45, 45, 45, 45, 60, 60, 60]"])
    wb.save(tmp_path / "p.xlsx")
    read = read_school_xlsx(tmp_path / "p.xlsx")
    assert read.policy().homework_cap(3) == 45
    wb["学校"].append([None, "no_such_field", 3])
    wb.save(tmp_path / "q.xlsx")
    with pytest.raises(InputError) as err:
        read_school_xlsx(tmp_path / "q.xlsx")
    assert "学校!C" in str(err.value) and "no_such_field" in str(err.value)


# --- the timetable workbook ---------------------------------------------------------------

def test_workbook_marks_and_reads_back_lessons_every_other_week(tmp_path, school, timetable):
    from dataclasses import replace

    from jianfu.instances.views import class_grid

    first, second = timetable.lessons[:2]
    cycle = Timetable((replace(first, week=1), replace(first, subject=second.subject,
                                                       teacher=second.teacher, venue=None, week=2))
                      + timetable.lessons[2:], timetable.sessions)
    path = write_workbook(tmp_path / "课表.xlsx", school, school.policy(), cycle)
    assert read_timetable_xlsx(path, school) == cycle
    cell = class_grid(school, cycle, first.cls).rows[0].cell_text(first.day)
    names = (school.subjects[first.subject].name, school.subjects[second.subject].name)
    assert f"{names[0]}(单周)" in cell and f"{names[1]}(双周)" in cell


def test_workbook_round_trip_reads_back_the_timetable(tmp_path, school, timetable):
    summary, violations = check_summary(school, school.policy(), timetable)
    path = write_workbook(tmp_path / "课表.xlsx", school, school.policy(), timetable,
                          summary=summary, violations=violations)
    assert read_timetable_xlsx(path, school) == timetable
    wb = load_workbook(path)
    names = sheet_names(school)
    assert wb.sheetnames[0] == "汇总"
    assert {names[("class", 0)], names[("teacher", 0)], names[("venue", 0)]} <= set(wb.sheetnames)


def test_class_sheet_layout_and_page_setup(tmp_path, school, timetable):
    path = write_workbook(tmp_path / "t.xlsx", school, school.policy(), timetable)
    ws = load_workbook(path)[sheet_names(school)[("class", 0)]]
    assert [ws.cell(3, c).value for c in range(1, 8)] == ["节次", "时间", *school.days]
    labels = [ws.cell(r, 1).value for r in range(4, ws.max_row + 1)]
    assert labels[:3] == ["第1节", "第2节", "大课间"] and "午餐午休" in labels
    long_break = 4 + labels.index("大课间")
    assert f"C{long_break}:G{long_break}" in {str(r) for r in ws.merged_cells.ranges}
    assert ws.cell(4, 2).value == "08:20–09:00"
    first = timetable.at(0, 0, 0)
    assert ws.cell(4, 3).value.splitlines()[:2] == [school.subjects[first.subject].name,
                                                   school.teachers[first.teacher].name]
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) == 9   # A4
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows.replace("$", "") == "1:3"
    cell = ws.cell(4, 3)
    assert cell.alignment.wrap_text and cell.border.left.style == "thin"
    assert cell.font.name == "宋体"
    assert "班主任 class teacher: 王芳" in ws.cell(2, 1).value    # the subtitle, with the class


def test_summary_sheet_shows_the_verdict_and_soft_terms(tmp_path, school, timetable):
    summary, violations = check_summary(school, school.policy(), timetable)
    path = write_workbook(tmp_path / "t.xlsx", school, school.policy(), timetable,
                          summary=summary, violations=violations)
    ws = load_workbook(path)["汇总"]
    values = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert any(v.startswith("不合规") for v in values)         # the hand-made week clashes
    assert "teacher_clash" in values and "main_morning" in values
    assert summary.objective in [c.value for row in ws.iter_rows() for c in row]


def test_homework_sheet_per_class(tmp_path, school, timetable):
    path = write_workbook(tmp_path / "t.xlsx", school, school.policy(), timetable,
                          plan=make_plan(school))
    ws = load_workbook(path)[sheet_names(school)[("homework", 0)]]
    rows = {ws.cell(r, 1).value: [ws.cell(r, c).value for c in range(2, 7)]
            for r in range(4, ws.max_row + 1) if ws.cell(r, 1).value}
    assert rows["语文"][0] == 20 and rows["数学"][0] == 15
    assert rows["合计 total"] == [35, 10, 0, 0, 0]
    assert rows["上限 cap"] == [60] * 5


def test_clerk_edit_is_read_back_and_bad_names_are_located(tmp_path, school, timetable):
    path = write_workbook(tmp_path / "t.xlsx", school, school.policy(), timetable)
    sheet = sheet_names(school)[("class", 1)]
    # Friday period 6 of 三(2)班 becomes 数学 without a teacher line: the 任课 teacher
    edited = _edit(path, tmp_path / "e.xlsx", sheet, "G11", "数学")
    back = read_timetable_xlsx(edited, school)
    math = school.subject_index["数学"]
    teacher = next(q.teacher for q in school.requirements if q.cls == 1 and q.subject == math)
    assert back.at(1, 4, 5) == Lesson(1, 4, 5, math, teacher, None)
    assert len(back.lessons) == len(timetable.lessons)
    bad = _edit(path, tmp_path / "b.xlsx", sheet, "G11", "天文\n王芳")
    with pytest.raises(InputError) as err:
        read_timetable_xlsx(bad, school)
    assert str(err.value).startswith(f"b.xlsx: {sheet}!G11: '天文'")


def test_two_lessons_in_one_cell_survive(tmp_path, school, timetable):
    extra = Lesson(0, 0, 0, school.subject_index["数学"], school.teacher_index["李强"])
    clash = Timetable(timetable.lessons + (extra,), timetable.sessions)
    path = write_workbook(tmp_path / "t.xlsx", school, school.policy(), clash)
    assert read_timetable_xlsx(path, school) == clash


def test_workbook_round_trip_with_two_bell_schedules(tmp_path):
    generator = pytest.importorskip("jianfu.instances.generator")
    school = generator.generate_school("nine-year", 1, 2)
    assert len(school.schedules) == 2
    base = example_timetable(school)
    # lend a primary teacher one junior lesson: their sheet mixes the two bells
    primary_teacher = next(x.teacher for x in base.lessons if school.classes[x.cls].schedule == 0)
    junior = next(x for x in base.lessons if school.classes[x.cls].schedule == 1)
    moved = Lesson(junior.cls, junior.day, junior.period, junior.subject, primary_teacher,
                   junior.venue)
    timetable = Timetable(tuple(x for x in base.lessons if x != junior) + (moved,), base.sessions)
    path = write_workbook(tmp_path / "t.xlsx", school, school.policy(), timetable)
    assert read_timetable_xlsx(path, school) == timetable
    ws = load_workbook(path)[sheet_names(school)[("teacher", primary_teacher)]]
    texts = [block for row in ws.iter_rows(min_row=4) for c in row[2:] if c.value
             for block in str(c.value).split("\n\n")]
    junior_clock = school.schedules[1].periods(junior.day)[junior.period]
    shown = [t for t in texts if t.startswith(school.classes[junior.cls].name)]
    assert len(shown) == 1 and shown[0].splitlines()[-1].startswith("(")
    assert f"{junior_clock.start // 60:02d}:{junior_clock.start % 60:02d}" in shown[0]


@pytest.mark.slow
def test_solved_timetable_is_compliant_in_the_workbook(tmp_path, school):
    from jianfu.solver import solve

    result = solve(school, school.policy(), time_limit=20, workers=1, seed=0)
    assert result.timetable is not None
    summary, violations = check_summary(school, school.policy(), result.timetable)
    assert summary.compliant
    path = write_workbook(tmp_path / "t.xlsx", school, school.policy(), result.timetable,
                          plan=make_plan(school), summary=summary, violations=violations)
    assert read_timetable_xlsx(path, school) == result.timetable
    values = [str(c.value) for row in load_workbook(path)["汇总"].iter_rows() for c in row]
    assert any(v.startswith("合规 compliant") for v in values)


def test_damaged_header_and_missing_sheet_are_named(tmp_path, school):
    good = write_filled(tmp_path / "good.xlsx", school)
    wb = load_workbook(good)
    ws = wb["教师"]
    ws["B1"], ws["B2"] = "名字", "who"                 # the name column lost its headers
    wb.save(tmp_path / "h.xlsx")
    with pytest.raises(InputError) as err:
        read_school_xlsx(tmp_path / "h.xlsx")
    # the renamed header is named at its own cell, with the headers the sheet takes
    assert str(err.value).startswith("h.xlsx: 教师!B1: '名字'") and "姓名 (name)" in str(err.value)
    wb = load_workbook(good)
    del wb["学校"]
    wb.save(tmp_path / "s.xlsx")
    with pytest.raises(InputError, match="学校"):
        read_school_xlsx(tmp_path / "s.xlsx")


# --- meetings (教研活动) -----------------------------------------------------------------------

def _with_meetings(school):
    import dataclasses

    from jianfu.models.school import Half, Meeting

    return dataclasses.replace(school, meetings=(
        Meeting("语文组教研", 1, subjects=(school.subject_index["语文"],), half=Half.AFTERNOON),
        Meeting("行政会", 0, teachers=(school.teacher_index["李强"], school.teacher_index["刘洋"]),
                start=15 * 60 + 40, end=17 * 60)))


def test_template_has_a_meeting_sheet_with_example_rows(tmp_path):
    ws = load_workbook(write_template(tmp_path / "template.xlsx"))["教研活动"]
    assert [ws.cell(1, c).value for c in range(2, 9)] == [
        "名称", "教研组(学科)", "教师", "星期", "时段", "开始", "结束"]
    assert ws.cell(3, 1).value == EXAMPLE_MARK and ws.cell(3, 2).value == "语文组教研"


def test_meetings_round_trip_through_the_workbook(tmp_path, school):
    met = _with_meetings(school)
    path = write_filled(tmp_path / "school.xlsx", met)
    ws = load_workbook(path)["教研活动"]
    rows = [[ws.cell(r, c).value for c in range(2, 9)] for r in range(3, ws.max_row + 1)
            if ws.cell(r, 1).value != EXAMPLE_MARK]
    assert rows == [["语文组教研", "语文", None, "周二", "下午", None, None],
                    ["行政会", None, "李强、刘洋", "周一", None, "15:40", "17:00"]]
    back = read_school_xlsx(path)
    assert back == met and back.meeting_members == met.meeting_members


def test_bad_meeting_cell_is_located(tmp_path, school):
    good = write_filled(tmp_path / "good.xlsx", _with_meetings(school))
    cell = _data_cell(good, "教研活动", "teachers", nth=1)
    bad = _edit(good, tmp_path / "school.xlsx", "教研活动", cell, "王校长")
    with pytest.raises(InputError) as err:
        read_school_xlsx(bad)
    assert str(err.value).startswith(f"school.xlsx: 教研活动!{cell} (teachers): '王校长'"), err.value


def _with_slots(school):
    """``school`` with 体育 kept out of 下午第1节 for all, the first class's first
    requirement fixed in 周一第1节 and kept out of the last period."""
    import dataclasses

    from jianfu.models.school import Half, SlotSpec

    pe = school.subject_index["体育与健康"]
    subjects = tuple(dataclasses.replace(x, forbidden=(SlotSpec(None, 0, Half.AFTERNOON),))
                     if i == pe else x for i, x in enumerate(school.subjects))
    first = school.requirements[0]
    reqs = (dataclasses.replace(first, fixed=(SlotSpec(0, 0),),
                                forbidden=(SlotSpec(last=True), SlotSpec(4, None, Half.AFTERNOON))),
            ) + school.requirements[1:]
    return dataclasses.replace(school, subjects=subjects, requirements=reqs)


def test_fixed_and_forbidden_periods_round_trip_through_the_workbook(tmp_path, school):
    slots = _with_slots(school)
    path = write_filled(tmp_path / "school.xlsx", slots)
    ws = load_workbook(path)["任课"]
    heads = [ws.cell(1, c).value for c in range(2, ws.max_column + 1)]
    fixed, banned = heads.index("固定") + 2, heads.index("禁排") + 2
    row = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value != EXAMPLE_MARK)
    assert (ws.cell(row, fixed).value, ws.cell(row, banned).value) == ("周一第1节", "最后一节、周五下午")
    back = read_school_xlsx(path)
    assert back == slots and back.fixed_periods == slots.fixed_periods
    assert back.forbidden_periods == slots.forbidden_periods


def test_bad_fixed_period_cell_is_located(tmp_path, school):
    good = write_filled(tmp_path / "good.xlsx", _with_slots(school))
    cell = _data_cell(good, "任课", "fixed")
    bad = _edit(good, tmp_path / "school.xlsx", "任课", cell, "周一第12节")
    with pytest.raises(InputError) as err:
        read_school_xlsx(bad)
    assert str(err.value).startswith(f"school.xlsx: 任课!{cell} (fixed"), err.value
    assert "'周一第12节'" in str(err.value) and "no such period" in str(err.value)


def test_wishes_round_trip_through_the_workbook(tmp_path, school):
    import dataclasses

    from jianfu.models.school import Unavailable, Wish

    first = school.teachers[0]
    wishes = (Wish(False, 2, stretch=Unavailable(4, 0, 24 * 60)), Wish(False, 1, period=0),
              Wish(False, 3, period=6, day=1))
    wished = dataclasses.replace(school, teachers=(dataclasses.replace(first, wishes=wishes),)
                                 + school.teachers[1:])
    path = write_filled(tmp_path / "school.xlsx", wished)
    cell = _data_cell(path, "教师", "wishes")
    ws = load_workbook(path)["教师"]
    assert ws[cell].value == "避开周五×2、避开第1节、避开周二第7节×3"
    assert ws.cell(1, ws[cell].column).value == "意愿"
    assert read_school_xlsx(path) == wished
    bad = _edit(path, tmp_path / "bad.xlsx", "教师", cell, "避开周八上午")
    with pytest.raises(InputError) as err:
        read_school_xlsx(bad)
    assert "'周八上午'" in str(err.value) and "无法识别的意愿时间" in str(err.value), err.value


# --- combined lessons (合班) -------------------------------------------------------------------

def _with_combined(school):
    import dataclasses

    from jianfu.models.school import Combined

    pe = school.subject_index["体育与健康"]
    members = tuple(i for i, r in enumerate(school.requirements) if r.subject == pe)
    return dataclasses.replace(school, combined=(
        Combined("三年级体育合班", members, school.requirements[members[0]].teacher, "ground"),))


def test_combined_lessons_round_trip_through_the_workbook(tmp_path, school):
    both = _with_combined(school)
    path = write_filled(tmp_path / "school.xlsx", both)
    ws = load_workbook(path)["合班"]
    assert [ws.cell(1, c).value for c in range(2, 6)] == ["名称", "成员", "教师", "场地类型"]
    rows = [[ws.cell(r, c).value for c in range(2, 6)] for r in range(3, ws.max_row + 1)
            if ws.cell(r, 1).value != EXAMPLE_MARK]
    assert rows == [["三年级体育合班", "三(1)班:体育与健康; 三(2)班:体育与健康", "陈刚", "ground"]]
    back = read_school_xlsx(path)
    assert back == both and back.combined_of == both.combined_of


def test_bad_combined_cell_is_located(tmp_path, school):
    good = write_filled(tmp_path / "good.xlsx", _with_combined(school))
    cell = _data_cell(good, "合班", "members")
    bad = _edit(good, tmp_path / "school.xlsx", "合班", cell, "三(1)班:体育与健康; 三(9)班:体育与健康")
    with pytest.raises(InputError) as err:
        read_school_xlsx(bad)
    assert str(err.value).startswith(f"school.xlsx: 合班!{cell} (members): '三(9)班'"), err.value


# --- the 任课表 matrix (class × subject) ---------------------------------------------------

def _matrix_workbook(path: Path, school, cells: dict[str, list[str | None]],
                     rows: list[list] = ()) -> Path:
    """``school`` written as the row form, then its 任课 rows replaced by ``rows`` and the
    任课表 filled by hand: one list of cells per class, in the sheet's subject columns."""
    good = write_filled(path.with_name("rows.xlsx"), school)
    wb = load_workbook(good)
    ws = wb["任课"]
    for r in range(ws.max_row, 2, -1):
        if ws.cell(r, 1).value != EXAMPLE_MARK:
            ws.delete_rows(r)
    for row in rows:
        ws.append([None, *row])
    matrix = wb["任课表"]
    for cls, values in cells.items():
        matrix.append([None, cls, *values])
    wb.save(path)
    return path


def _hand_matrix(school) -> dict[str, list[str | None]]:
    """The example school's requirements as a clerk types them, in every cell syntax."""
    return {"三(1)班": ["王芳(7)", "李强 4", "张丽 <Zhang>（2节）", "赵敏", "陈刚3", "刘洋", "刘洋",
                      "张丽 <Zhang> 2", "赵敏", "陈刚", "赵敏 2", "张丽 <Zhang>"],
            "三(2)班": ["孙悦 7", "李强（4）", "张丽 <Zhang> 2", "赵敏", "陈刚 3", "刘洋", "刘洋",
                      "张丽 <Zhang>(2)", "赵敏（1）", "陈刚", "赵敏", "张丽 <Zhang> 2"]}


def test_template_has_the_matrix_sheet_with_every_curriculum_subject(tmp_path):
    from jianfu.instances.curriculum import SUBJECTS

    ws = load_workbook(write_template(tmp_path / "t.xlsx"))["任课表"]
    assert [ws.cell(1, c).value for c in range(2, ws.max_column + 1)] == \
        ["班级", *(s.name for s in SUBJECTS)]
    assert ws.cell(3, 1).value == EXAMPLE_MARK and ws.cell(3, 2).value == "三(1)班"


def test_hand_filled_matrix_reads_as_the_same_school_as_the_row_form(tmp_path, school):
    # 美术's 连堂 stays on a 任课 row, teacher and periods blank: the matrix gives them
    extras = [["三(1)班", "美术", None, None, 1], ["三(2)班", "美术", None, None, 1]]
    path = _matrix_workbook(tmp_path / "school.xlsx", school, _hand_matrix(school), extras)
    assert read_school_xlsx(path) == school == read_school_xlsx(tmp_path / "rows.xlsx")


def test_filled_matrix_round_trips(tmp_path, school):
    path = write_filled(tmp_path / "school.xlsx", school, matrix=True)
    ws = load_workbook(path)["任课表"]
    # the periods are the curriculum's: the cells name the teacher alone
    assert [ws.cell(4, c).value for c in range(2, 5)] == ["三(1)班", "王芳", "李强"]
    assert read_school_xlsx(path) == school


def test_a_number_in_a_cell_overrides_the_curriculum(tmp_path, school):
    from jianfu.instances.curriculum import weekly_periods

    plan = weekly_periods(3, school.policy())
    cells = _hand_matrix(school)
    science = school.subject_index["科学"]
    path = _matrix_workbook(tmp_path / "a.xlsx", school, cells, [["三(1)班", "美术", None, None, 1]])
    assert {school.classes[q.cls].name: q.periods for q in read_school_xlsx(path).requirements
            if q.subject == science} == {"三(1)班": plan["科学"], "三(2)班": plan["科学"]}
    cells["三(1)班"][science] = "赵敏 3"
    path = _matrix_workbook(tmp_path / "b.xlsx", school, cells)
    assert {school.classes[q.cls].name: q.periods for q in read_school_xlsx(path).requirements
            if q.subject == science} == {"三(1)班": 3, "三(2)班": plan["科学"]}


@pytest.mark.parametrize("text, expected", [
    ("王芳", ("王芳", None)), ("王芳 5", ("王芳", 5)), ("王芳5", ("王芳", 5)),
    ("王芳(5)", ("王芳", 5)), ("王芳（5节）", ("王芳", 5)), (" 王芳 12 ", ("王芳", 12)),
    ("李老师2", ("李老师2", None)),          # a teacher of that name: taken whole
])
def test_matrix_cell_syntax(text, expected):
    from jianfu.instances.excel_matrix import parse_cell

    assert parse_cell(text, {"王芳", "李老师2"}) == expected


def test_bad_teacher_in_a_matrix_cell_names_sheet_cell_and_value(tmp_path, school):
    cells = _hand_matrix(school)
    cells["三(2)班"][1] = "无名氏 5"                     # 数学 of the second class
    path = _matrix_workbook(tmp_path / "school.xlsx", school, cells)
    ws = load_workbook(path)["任课表"]
    row = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 2).value == "三(2)班"
               and ws.cell(r, 1).value != EXAMPLE_MARK)
    with pytest.raises(InputError) as err:
        read_school_xlsx(path)
    assert str(err.value).startswith(f"school.xlsx: 任课表!D{row} (teacher): '无名氏'"), err.value
    assert "unknown teacher" in str(err.value)


def test_matrix_and_row_sheet_that_disagree_name_both_cells(tmp_path, school):
    path = _matrix_workbook(tmp_path / "school.xlsx", school, _hand_matrix(school),
                            [["三(1)班", "语文", "李强", None, None]])
    with pytest.raises(InputError) as err:
        read_school_xlsx(path)
    text = str(err.value)
    assert text.startswith("school.xlsx: 任课!D5 (teacher): '李强'") and "任课表!C" in text, text


def test_matrix_errors_name_the_cell(tmp_path, school):
    good = _matrix_workbook(tmp_path / "good.xlsx", school, _hand_matrix(school))
    row = load_workbook(good)["任课表"].max_row
    for cell, value, problem in ((f"C{row}", 5, "teacher's name"),
                                 (f"B{row}", None, "no class name"),
                                 ("J1", "书法课", "unknown subject")):
        bad = _edit(good, tmp_path / "bad.xlsx", "任课表", cell, value)
        if cell == "J1":
            bad = _edit(bad, bad, "任课表", f"J{row}", "王芳 1")
        with pytest.raises(InputError) as err:
            read_school_xlsx(bad)
        assert str(err.value).startswith(f"bad.xlsx: 任课表!{cell}"), err.value
        assert problem in str(err.value)


def test_workbook_without_the_matrix_sheet_still_reads(tmp_path, school):
    wb = load_workbook(write_filled(tmp_path / "school.xlsx", school))
    del wb["任课表"]                                     # an older workbook: rows only
    wb.save(tmp_path / "old.xlsx")
    assert read_school_xlsx(tmp_path / "old.xlsx") == school


def test_template_has_dropdowns(tmp_path):
    wb = load_workbook(write_template(tmp_path / "t.xlsx"))

    def lists(sheet):
        return {str(dv.sqref).split(":")[0][:-1]: dv for dv in wb[sheet].data_validations.dataValidation}

    assert "课" in lists("作息时间")["D"].formula1 and lists("作息时间")["D"].showErrorMessage
    assert "main" in lists("学科")["D"].formula1 and "是" in lists("学科")["E"].formula1
    for sheet, col in (("任课表", "C"), ("任课", "D"), ("班级", "F"), ("合班", "D")):
        assert lists(sheet)[col].formula1 == "='教师'!$B$3:$B$2000", (sheet, col)
    assert lists("任课")["G"].formula1 == "='场地'!$B$3:$B$2000"
    assert "ground" in lists("场地")["C"].formula1
    assert not lists("任课表")["C"].showErrorMessage     # 王芳 5 is not in the list: allowed


# --- split lessons (分组) ----------------------------------------------------------------------

SPLIT_HEADERS = ["班级", "学科", "组名", "组学科", "教师", "场地类型"]


def _with_splits(school):
    """``school`` with a second PE teacher, 三(1)班's PE in 男生/女生 on the ground and its
    科学 and 外语 in halves that swap (A组 科学 while B组 has 外语, then the other way)."""
    import dataclasses

    from jianfu.models.school import Split, SplitGroup, Teacher

    s, t = school.subject_index, {x.name: i for i, x in enumerate(school.teachers)}
    t["周老师"] = len(school.teachers)
    base = dataclasses.replace(school, teachers=school.teachers + (
        Teacher("周老师", (s["体育与健康"],)),))

    def req(subject):
        return next(i for i, q in enumerate(base.requirements)
                    if (q.cls, q.subject) == (0, s[subject]))

    return dataclasses.replace(base, splits=(
        Split(req("体育与健康"), (SplitGroup("男生", s["体育与健康"], t["陈刚"]),
                                 SplitGroup("女生", s["体育与健康"], t["周老师"])), "ground"),
        Split(req("科学"), (SplitGroup("A组", s["科学"], t["赵敏"]),
                          SplitGroup("B组", s["外语"], t["张丽 <Zhang>"]))),
        Split(req("外语"), (SplitGroup("A组", s["外语"], t["张丽 <Zhang>"]),
                          SplitGroup("B组", s["科学"], t["赵敏"])))))


def _sheet_rows(path: Path, sheet: str) -> list[list]:
    ws = load_workbook(path)[sheet]
    return [[ws.cell(r, c).value for c in range(2, ws.max_column + 1)]
            for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value != EXAMPLE_MARK]


def _split_workbook(tmp_path: Path, school, rows: list[list], name: str = "school.xlsx",
                    sheet: str = "分组") -> Path:
    """``school`` written, then its ``sheet`` rows replaced by ``rows`` as a clerk types them."""
    wb = load_workbook(write_filled(tmp_path / "base.xlsx", school))
    ws = wb[sheet]
    for r in range(ws.max_row, 2, -1):
        if ws.cell(r, 1).value != EXAMPLE_MARK:
            ws.delete_rows(r)
    for row in rows:
        ws.append([None, *row])
    wb.save(tmp_path / name)
    return tmp_path / name


def test_template_has_a_split_sheet_with_examples_and_dropdowns(tmp_path):
    wb = load_workbook(write_template(tmp_path / "t.xlsx"))
    ws = wb["分组"]
    assert [ws.cell(1, c).value for c in range(2, 8)] == SPLIT_HEADERS
    assert str(ws.cell(2, 4).value).startswith("group")
    assert ws.cell(3, 1).value == EXAMPLE_MARK and ws.cell(3, 4).value == "男生"
    assert wb.sheetnames.index("分组") == wb.sheetnames.index("合班") + 1
    lists = {str(dv.sqref).split(":")[0][:-1]: dv.formula1
             for dv in ws.data_validations.dataValidation}
    assert lists["B"] == "='班级'!$B$3:$B$2000" and lists["F"] == "='教师'!$B$3:$B$2000"
    assert lists["C"] == lists["E"] == "='任课表'!$C$1:$BZ$1"     # the school's subjects
    assert "ground" in lists["G"]


@pytest.mark.parametrize("matrix", [False, True])
def test_split_lessons_round_trip_through_the_workbook(tmp_path, school, matrix):
    split = _with_splits(school)
    path = write_filled(tmp_path / "school.xlsx", split, matrix=matrix)
    assert _sheet_rows(path, "分组") == [
        ["三(1)班", "体育与健康", "男生", None, "陈刚", "ground"],
        ["三(1)班", "体育与健康", "女生", None, "周老师", "ground"],
        ["三(1)班", "科学", "A组", None, "赵敏", None],
        ["三(1)班", "科学", "B组", "外语", "张丽 <Zhang>", None],
        ["三(1)班", "外语", "A组", None, "张丽 <Zhang>", None],
        ["三(1)班", "外语", "B组", "科学", "赵敏", None]]
    back = read_school_xlsx(path)
    assert back == split and back.split_of == split.split_of
    assert read_school_xlsx(write_filled(tmp_path / "none.xlsx", school)).splits == ()


def test_split_rows_as_a_clerk_fills_them(tmp_path, school):
    split = _with_splits(school)
    # 班级 and 学科 only on a split's first row (blank = as above), 场地类型 once, the
    # requirement's own group listed second
    rows = [["三(1)班", "体育与健康", "女生", None, "周老师", None],
            [None, None, "男生", None, "陈刚", "ground"],
            [None, "科学", "A组", "科学", "赵敏", None],
            [None, None, "B组", "外语", "张丽 <Zhang>", None],
            [None, "外语", "A组", None, "张丽 <Zhang>", None],
            [None, None, "B组", "科学", "赵敏", None]]
    assert read_school_xlsx(_split_workbook(tmp_path, split, rows)) == split
    # merged cells read the same: only the top-left cell holds the value
    wb = load_workbook(_split_workbook(tmp_path, split, [[*r[:5], "ground" if i < 2 else None]
                                                         for i, r in enumerate(rows)], "m.xlsx"))
    ws = wb["分组"]
    first = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value != EXAMPLE_MARK)
    ws.merge_cells(f"B{first}:B{first + 5}")
    ws.merge_cells(f"C{first + 2}:C{first + 3}")
    ws.merge_cells(f"G{first}:G{first + 1}")
    wb.save(tmp_path / "merged.xlsx")
    assert read_school_xlsx(tmp_path / "merged.xlsx") == split


@pytest.mark.parametrize("row, field, value, problem", [
    (1, "teacher", "王五", "'王五': 未定义的教师 unknown teacher"),
    (3, "group_subject", "天文", "'天文': 未定义的学科 unknown subject"),
    (0, "class", "三(9)班", "'三(9)班': 未定义的班级 unknown class"),
    (1, "group", "男生", "'男生': 组名重复 a group name given twice"),
    (1, "teacher", None, "缺少必填字段 missing required field"),
    (1, "venue_kind", "lab", "的 'ground' 不同：同一分组的各行须一致"),
    (1, "teacher", "陈刚", "'陈刚': 一位教师不能同时教两组"),
    (0, "teacher", "孙悦", "'孙悦': 没有一组是该课的学科和任课教师"),
])
def test_bad_split_cell_is_located(tmp_path, school, row, field, value, problem):
    good = write_filled(tmp_path / "good.xlsx", _with_splits(school))
    cell = _data_cell(good, "分组", field, nth=row)
    bad = _edit(good, tmp_path / "school.xlsx", "分组", cell, value)
    with pytest.raises(InputError) as err:
        read_school_xlsx(bad)
    text = str(err.value)
    assert text.startswith(f"school.xlsx: 分组!{cell}"), text
    assert problem in text, text


def test_split_errors_of_the_whole_split_name_its_first_row(tmp_path, school):
    split = _with_splits(school)
    # one group only: the split has no second row
    bad = _split_workbook(tmp_path, split, [["三(2)班", "体育与健康", "男生", None, "陈刚", None]])
    with pytest.raises(InputError) as err:
        read_school_xlsx(bad)
    assert str(err.value).startswith("school.xlsx: 分组!D"), err.value
    assert "至少两组" in str(err.value)
    # a 学科 changed inside a split starts another one, with one group
    good = write_filled(tmp_path / "good.xlsx", split)
    cell = _data_cell(good, "分组", "subject", nth=2)
    with pytest.raises(InputError) as err:
        read_school_xlsx(_edit(good, tmp_path / "school.xlsx", "分组", cell, "音乐"))
    assert str(err.value).startswith(f"school.xlsx: 分组!D{cell[1:]} (group)"), err.value
    assert "至少两组" in str(err.value)
    # the same lesson split again further down
    rows = [["三(2)班", "体育与健康", "男生", None, "陈刚", None], [None, None, "女生", None, "周老师", None],
            ["三(2)班", "数学", "A", None, "李强", None], [None, None, "B", "外语", "张丽 <Zhang>", None],
            ["三(2)班", "体育与健康", "甲", None, "陈刚", None], [None, None, "乙", None, "周老师", None]]
    with pytest.raises(InputError) as err:
        read_school_xlsx(_split_workbook(tmp_path, split, rows))
    row = int(_data_cell(tmp_path / "school.xlsx", "分组", "class", nth=4)[1:])
    assert str(err.value).startswith(f"school.xlsx: 分组!C{row}"), err.value
    assert "split twice" in str(err.value)


@pytest.mark.parametrize("command", ["check", "solve"])
def test_cli_exits_2_on_a_bad_split_row(tmp_path, capsys, school, command):
    from builders import cli_refuses_file

    good = write_filled(tmp_path / "good.xlsx", _with_splits(school))
    cell = _data_cell(good, "分组", "teacher", nth=1)
    bad = _edit(good, tmp_path / "bad.xlsx", "分组", cell, "王五")
    text = cli_refuses_file(tmp_path, capsys, bad, command)
    assert f"bad.xlsx: 分组!{cell} (teacher): '王五': 未定义的教师" in text, text


# --- 走班 blocks ------------------------------------------------------------------------------

BLOCK_HEADERS = ["名称", "班级", "学科", "组名", "组学科", "教师", "场地类型"]


def _block_school():
    """Three parallel classes (requirements in class and subject order, so the 任课表 reads
    them back): 英语 in levels over all three (A层, B层, C层 by the classes' own teachers)
    and a 社团 block over 一班 and 二班 in place of 美术, one group singing 音乐 in the
    music room and one doing 科学."""
    import dataclasses

    from jianfu.models.school import Block, BlockGroup, Category, Subject

    from builders import SUBJECTS, mini_school

    s = mini_school([("一班", 7), ("二班", 7), ("三班", 7)],
                    [("一班", "数学", "李明", 4), ("一班", "美术", "孙丽", 1),
                     ("一班", "英语", "王芳", 2), ("二班", "数学", "赵丽", 4),
                     ("二班", "美术", "孙丽", 1), ("二班", "英语", "李娜", 2),
                     ("三班", "数学", "周杰", 4), ("三班", "英语", "张伟", 2)],
                    days=5, teachers=("刘洋", "赵敏"),
                    subjects=SUBJECTS + (Subject("英语", "English", Category.MAIN),))
    sub, tea = s.subject_index, s.teacher_index

    def members(subject, *classes):
        return tuple(next(i for i, q in enumerate(s.requirements)
                          if (q.cls, q.subject) == (s.class_index[c], sub[subject]))
                     for c in classes)

    return dataclasses.replace(s, blocks=(
        Block("七年级英语分层", members("英语", "一班", "二班", "三班"),
              tuple(BlockGroup(g, sub["英语"], tea[t])
                    for g, t in (("A层", "王芳"), ("B层", "李娜"), ("C层", "张伟")))),
        Block("七年级社团", members("美术", "一班", "二班"),
              (BlockGroup("美术组", sub["美术"], tea["孙丽"]),
               BlockGroup("合唱队", sub["音乐"], tea["刘洋"], "music"),
               BlockGroup("科学组", sub["科学"], tea["赵敏"])))))


BLOCK_ROWS = [
    ["七年级英语分层", "一班、二班、三班", "英语", "A层", None, "王芳", None],
    ["七年级英语分层", "一班、二班、三班", "英语", "B层", None, "李娜", None],
    ["七年级英语分层", "一班、二班、三班", "英语", "C层", None, "张伟", None],
    ["七年级社团", "一班、二班", "美术", "美术组", None, "孙丽", None],
    ["七年级社团", "一班、二班", "美术", "合唱队", "音乐", "刘洋", "music"],
    ["七年级社团", "一班、二班", "美术", "科学组", "科学", "赵敏", None]]


def test_template_has_a_block_sheet_with_examples_and_dropdowns(tmp_path):
    wb = load_workbook(write_template(tmp_path / "t.xlsx"))
    ws = wb["走班"]
    assert [ws.cell(1, c).value for c in range(2, 9)] == BLOCK_HEADERS
    assert str(ws.cell(2, 3).value).startswith("classes")
    assert wb.sheetnames.index("走班") == wb.sheetnames.index("分组") + 1
    examples = [[ws.cell(r, c).value for c in range(2, 9)] for r in range(3, ws.max_row + 1)]
    assert all(ws.cell(r, 1).value == EXAMPLE_MARK for r in range(3, ws.max_row + 1))
    assert examples[0] == ["三年级外语分层", "三(1)班、三(2)班、三(3)班", "外语", "A层", None,
                           "张丽 <Zhang>", None]
    assert [r[3] for r in examples[:3]] == ["A层", "B层", "C层"]
    assert any(r[4] for r in examples) and any(r[6] for r in examples)   # 组学科, 场地类型
    lists = {str(dv.sqref).split(":")[0][:-1]: dv for dv in ws.data_validations.dataValidation}
    assert lists["C"].formula1 == "='班级'!$B$3:$B$2000" and not lists["C"].showErrorMessage
    assert lists["D"].formula1 == lists["F"].formula1 == "='任课表'!$C$1:$BZ$1"
    assert lists["G"].formula1 == "='教师'!$B$3:$B$2000" and "ground" in lists["H"].formula1
    assert "B" not in lists and "E" not in lists          # 名称, 组名: the clerk's own words


@pytest.mark.parametrize("matrix", [False, True])
def test_blocks_round_trip_through_the_workbook(tmp_path, school, matrix):
    blocks = _block_school()
    path = write_filled(tmp_path / "school.xlsx", blocks, matrix=matrix)
    assert _sheet_rows(path, "走班") == BLOCK_ROWS
    back = read_school_xlsx(path)
    assert back == blocks and back.block_of == blocks.block_of
    assert read_school_xlsx(write_filled(tmp_path / "none.xlsx", school)).blocks == ()


def test_block_rows_as_a_clerk_fills_them(tmp_path):
    blocks = _block_school()
    # 名称, 班级 and 学科 on a block's first row only, the classes between any separators,
    # 组学科 repeating 学科, and the 美术 group listed last
    rows = [["七年级英语分层", "一班，二班 三班", "英语", "A层", None, "王芳", None],
            [None, None, None, "B层", "英语", "李娜", None],
            [None, None, None, "C层", None, "张伟", None],
            ["七年级社团", "一班; 二班", None, "合唱队", "音乐", "刘洋", "music"],
            [None, None, "美术", "科学组", "科学", "赵敏", None],
            [None, None, None, "美术组", None, "孙丽", None]]
    assert read_school_xlsx(_split_workbook(tmp_path, blocks, rows, sheet="走班")) == blocks
    # merged cells read the same: only the top-left cell holds the value
    rows[3][2], rows[4][2] = "美术", None
    wb = load_workbook(_split_workbook(tmp_path, blocks, rows, "m.xlsx", sheet="走班"))
    ws = wb["走班"]
    first = next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value != EXAMPLE_MARK)
    for col in "BCD":
        ws.merge_cells(f"{col}{first}:{col}{first + 2}")
        ws.merge_cells(f"{col}{first + 3}:{col}{first + 5}")
    wb.save(tmp_path / "merged.xlsx")
    assert read_school_xlsx(tmp_path / "merged.xlsx") == blocks


#: BLOCK_ROWS as a clerk writes them: 名称, 班级 and 学科 on a block's first row only.
CLERK_ROWS = [r[:] if r[3] in ("A层", "美术组") else [None, None, None, *r[3:]]
              for r in BLOCK_ROWS]


@pytest.mark.parametrize("row, field, value, problem, at", [
    (1, "teacher", "王五", "'王五': 未定义的教师 unknown teacher", None),
    (0, "classes", "一班、四班、三班", "'四班': 未定义的班级 unknown class", None),
    (3, "classes", "一班、二班、三班", "'三班:美术': 没有该课程要求 not a requirement", None),
    (4, "group_subject", "天文", "'天文': 未定义的学科 unknown subject", None),
    (0, "subject", "天文", "'天文': 未定义的学科 unknown subject", None),
    (2, "group", "A层", "'A层': 组名重复 a group name given twice in this block", None),
    (2, "teacher", None, "缺少必填字段 missing required field", None),
    (2, "teacher", "王芳", "'王芳': 一位教师不能同时教两组", None),
    (4, "venue_kind", "lab", "'lab': no venue of that kind", None),
    (1, "subject", "数学", "与 D", None),                  # … 的 '英语' 不同：同一走班的各行须一致
    # 一班's own 英语 teacher in no group: the 班级 cell says which class
    (0, "teacher", "刘洋", "'一班:王芳': 该班的任课教师不在走班的教学组中", (0, "classes")),
])
def test_bad_block_cell_is_located(tmp_path, row, field, value, problem, at):
    good = _split_workbook(tmp_path, _block_school(), CLERK_ROWS, "good.xlsx", sheet="走班")
    cell = _data_cell(good, "走班", field, nth=row)
    bad = _edit(good, tmp_path / "school.xlsx", "走班", cell, value)
    with pytest.raises(InputError) as err:
        read_school_xlsx(bad)
    text = str(err.value)
    named = cell if at is None else _data_cell(good, "走班", at[1], nth=at[0])
    assert text.startswith(f"school.xlsx: 走班!{named}"), text
    assert problem in text, text


def test_block_errors_of_the_whole_block_name_its_first_row(tmp_path):
    blocks = _block_school()
    base = [r[:] for r in BLOCK_ROWS]

    def refused(rows):
        with pytest.raises(InputError) as err:
            read_school_xlsx(_split_workbook(tmp_path, blocks, rows, sheet="走班"))
        return str(err.value)

    def at(field, nth):
        return f"school.xlsx: 走班!{_data_cell(tmp_path / 'school.xlsx', '走班', field, nth)}"

    # one group only: the block has no second row
    text = refused([base[0]])
    assert text.startswith(at("group", 0)) and "至少两组" in text and "走班表每组一行" in text
    # one class only
    text = refused([[r[0], "一班", *r[2:]] for r in base[:3]])
    assert text.startswith(at("classes", 0)) and "走班至少两个班" in text, text
    # the same name again further down: the rows of one block go together
    text = refused([*base[:2], *base[3:], base[2]])
    assert text.startswith(at("name", 5)) and "第" in text and "go together" in text, text
    # no 名称 on the first row
    text = refused([[None, *r[1:]] for r in base[:3]])
    assert text.startswith(at("name", 0)) and "缺少必填字段" in text, text
    # groups needing different venue kinds are a block too: each in a venue of its kind
    school = read_school_xlsx(_split_workbook(tmp_path, blocks,
                                              [*base[:5], [*base[5][:6], "ground"]],
                                              sheet="走班"))
    assert [school.block_need(1, j) for j in range(3)] == [None, "music", "ground"]


@pytest.mark.parametrize("command, field, nth, value, problem", [
    ("check", "teacher", 1, "王五", "'王五': 未定义的教师"),
    ("solve", "teacher", 1, "王五", "'王五': 未定义的教师"),
    ("check", "classes", 3, "一班、三班", "'三班:美术': 没有该课程要求"),
    ("check", "group", 5, "美术组", "'美术组': 组名重复"),
])
def test_cli_exits_2_on_a_bad_block_row(tmp_path, capsys, command, field, nth, value, problem):
    from builders import cli_refuses_file

    good = _split_workbook(tmp_path, _block_school(), CLERK_ROWS, "good.xlsx", sheet="走班")
    cell = _data_cell(good, "走班", field, nth=nth)
    bad = _edit(good, tmp_path / "bad.xlsx", "走班", cell, value)
    text = cli_refuses_file(tmp_path, capsys, bad, command)
    assert f"bad.xlsx: 走班!{cell} ({field}): {problem}" in text, text


def test_cli_exits_2_on_a_block_of_one_group(tmp_path, capsys):
    from builders import cli_refuses_file

    bad = _split_workbook(tmp_path, _block_school(), [BLOCK_ROWS[0]], "bad.xlsx", sheet="走班")
    text = cli_refuses_file(tmp_path, capsys, bad, "check")
    cell = _data_cell(bad, "走班", "group", nth=0)
    assert f"bad.xlsx: 走班!{cell} (group)" in text and "至少两组" in text, text


# --- 单双周 (alternating weeks) --------------------------------------------------------------

def _alternate_school():
    """A generated primary school with a 单双周 slot (综合实践活动 1.5 against 书法 0.5)."""
    from jianfu.instances.generator import generate_school

    school = generate_school("primary", 1, 0, structures=True)
    assert school.alternates
    return school


@pytest.mark.parametrize("matrix", [False, True])
def test_alternating_weeks_round_trip_through_the_workbook(tmp_path, matrix):
    school = _alternate_school()
    path = write_filled(tmp_path / "school.xlsx", school, matrix=matrix)
    wb = load_workbook(path)
    ws = wb["单双周"]
    assert [ws.cell(1, c).value for c in range(2, 5)] == ["班级", "单周", "双周"]
    rows = [[ws.cell(r, c).value for c in range(2, 5)] for r in range(3, ws.max_row + 1)
            if ws.cell(r, 1).value != EXAMPLE_MARK]
    assert len(rows) == len(school.alternates)
    sheet = wb["任课表" if matrix else "任课"]
    cells = [str(c.value) for row in sheet.iter_rows(min_row=3) for c in row if c.value]
    assert any(text.endswith(".5") for text in cells), cells
    assert read_school_xlsx(path) == school


def test_halves_typed_as_text_and_in_matrix_cells_are_read(tmp_path):
    from jianfu.instances.excel_matrix import parse_cell

    assert parse_cell("王芳 1.5") == ("王芳", 1.5) and parse_cell("王芳(0.5)") == ("王芳", 0.5)
    good = write_filled(tmp_path / "good.xlsx", _alternate_school())
    row = next(r for r in load_workbook(good)["任课"].iter_rows(min_row=3)
               if isinstance(r[4].value, float))
    bad = _edit(good, tmp_path / "text.xlsx", "任课", row[4].coordinate, str(row[4].value))
    assert read_school_xlsx(bad) == _alternate_school()


def test_cli_exits_2_on_a_subject_the_class_does_not_have(tmp_path, capsys):
    from builders import cli_refuses_file

    school = _alternate_school()
    k = school.alternates[0]
    taught = {q.subject for q in school.requirements if q.cls == k.cls}
    other = next(s.name for i, s in enumerate(school.subjects) if i not in taught)
    good = write_filled(tmp_path / "good.xlsx", school)
    cell = _data_cell(good, "单双周", "odd")
    bad = _edit(good, tmp_path / "bad.xlsx", "单双周", cell, other)
    text = cli_refuses_file(tmp_path, capsys, bad, "check")
    assert f"bad.xlsx: 单双周!{cell} (odd)" in text and "没有该课程要求" in text, text


# --- the 说明 sheet --------------------------------------------------------------------------

def test_help_sheet_explains_every_sheet_in_chinese_with_english_beside(tmp_path):
    wb = load_workbook(write_template(tmp_path / "t.xlsx"))
    ws = wb["说明"]
    zh = [str(c.value or "") for c in ws["A"]]
    en = [str(c.value or "") for c in ws["B"]]
    headings = {line[1:line.index("】")] for line in zh if line.startswith("【")}
    assert set(wb.sheetnames) - {"说明"} <= headings
    assert all(e for z, e in zip(zh, en) if z)          # every Chinese row has its English
    text = "".join(zh)
    for words in ("升旗仪式", "集体活动", "计入", "午读", "跑操", "合班", "分组", "组学科", "走班",
                  "分层", "社团",
                  "教研活动", "固定", "禁排", "班主任", "意愿", "避开", "希望"):
        assert words in text, words
    assert ws["A3"].font.bold and ws.column_dimensions["B"].width >= 40


def test_documented_split_table_reads_as_the_school_file_split(tmp_path):
    import re

    from jianfu.instances.schoolfile import load_yaml
    from .test_schoolfile import DOC, _with_split, build, doc_example_text

    school = build(_with_split(load_yaml(doc_example_text())))
    text = DOC.read_text(encoding="utf-8")
    table = re.search(r"\*\*分组: one row per group\.\*\*.*?\n\n(\|.*?)\n\n", text, re.S)
    assert table, "docs/format.md has no 分组 table"
    lines = table.group(1).splitlines()
    assert [c.strip() for c in lines[0].strip("|").split("|")] == SPLIT_HEADERS
    rows = [[c.strip() or None for c in line.strip("|").split("|")] for line in lines[2:]]
    assert read_school_xlsx(_split_workbook(tmp_path, school, rows)) == school


def _documented_block_school():
    """The school the 走班 section of docs/format.md supposes: its main example with
    七年级2班 and 七年级3班 like 七年级1班 but 外语 by 黄蕾 and 马丽, and 八年级1班 and
    八年级2班 with 地方与校本课程 by 孙丽 and 刘洋; its blocks are the section's snippet."""
    import copy
    import re

    from jianfu.instances.schoolfile import load_yaml
    from .test_schoolfile import DOC, build, doc_example_text

    data = load_yaml(doc_example_text())
    data["teachers"] += [{"name": "黄蕾", "subjects": ["外语"]}, {"name": "马丽", "subjects": ["外语"]}]
    for t in data["teachers"]:
        if t["name"] in ("孙丽", "刘洋"):
            t["subjects"] = [*t["subjects"], "地方与校本课程"]
    reqs = data["requirements"]
    for n, teacher in (("2", "黄蕾"), ("3", "马丽")):
        data["classes"].append({"name": f"七年级{n}班", "grade": 7, "schedule": "初中部",
                                "periods_per_day": [7, 7, 7, 7, 6]})
        reqs[f"七年级{n}班"] = {**copy.deepcopy(reqs["七年级1班"]), "外语": {"teacher": teacher}}
    for n, teacher in (("1", "孙丽"), ("2", "刘洋")):
        data["classes"].append({"name": f"八年级{n}班", "grade": 8, "schedule": "初中部"})
        reqs[f"八年级{n}班"] = {"地方与校本课程": {"teacher": teacher}}
    snippet = re.search(r"### 走班 blocks.*?```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert snippet, "docs/format.md has no 走班 example"
    data["blocks"] = load_yaml(snippet.group(1))["blocks"]
    return build(data, "format.md")


def test_documented_block_table_reads_as_the_school_file_blocks(tmp_path):
    import re

    from .test_schoolfile import DOC

    school = _documented_block_school()
    assert [b.name for b in school.blocks] == ["七年级外语分层", "八年级社团"]
    text = DOC.read_text(encoding="utf-8")
    table = re.search(r"\*\*走班: one row per group\.\*\*.*?\n\n(\|.*?)\n\n", text, re.S)
    assert table, "docs/format.md has no 走班 table"
    lines = table.group(1).splitlines()
    assert [c.strip() for c in lines[0].strip("|").split("|")] == BLOCK_HEADERS
    rows = [[c.strip() or None for c in line.strip("|").split("|")] for line in lines[2:]]
    assert read_school_xlsx(_split_workbook(tmp_path, school, rows, sheet="走班")) == school
