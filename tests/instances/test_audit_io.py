"""``jianfu audit``'s readers: workbooks made the way a clerk makes them, CSV in GBK, FET
results, and the round trip of jianfu's own exports (the same verdict as ``check``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from jianfu.instances.audit import audit_file, compare_files, infer_school, read_bells
from jianfu.instances.audit_io import (canonical_day, canonical_subject, class_key, grade_of,
                                       parse_cell, parse_period, read_timetable_file)
from jianfu.instances.audit_report import write_audit_report, write_compare_report
from jianfu.instances.schoolfile import school_from_dict
from jianfu.models.checker import check, summarize
from jianfu.models.errors import InputError
from jianfu.models.policy import load_policy
from jianfu.models.textfile import take_notes

from audit_fixtures import export_solved
from audit_fixtures import plant_math_for_pe as _plant_math_for_pe

DAYS = ("星期一", "星期二", "星期三", "星期四", "星期五")
# 三（1）班's week, 6 periods a day (30 = the grade-3 total): the national plan exactly
WEEK_3 = [
    ["语文(王)", "数学（李强）", "英语\n陈静", "语文 王芳", "体育", "道法(王)"],
    ["数学(李)", "语文(王)", "科学", "体育", "音乐", "美术"],
    ["语文(王)", "数学(李)", "体育", "信息", "美术", "综合实践"],
    ["语文(王)", "英语(陈)", "数学(李)", "语文(王)", "劳动", "综合实践"],
    ["语文(王)", "科学", "道法(王)", "音乐", "地方", "校本"],
]


def _week(offset: int) -> list[list[str]]:
    """Another class's week: the same lessons, each day's periods rotated."""
    return [day[offset:] + day[:offset] for day in WEEK_3]


def _master(path: Path, classes: dict[str, list[list[str]]], *, merged_days: bool = True,
            title: str = "城东小学2025学年第一学期总课表", two_rows: bool = False) -> Path:
    """A 总课表 as a clerk makes it: a merged title row, 班级 merged over two header rows,
    each day merged over its period columns (or written once), periods 1…6 below."""
    wb = Workbook()
    ws = wb.active
    ws.title = "总课表"
    periods = len(next(iter(classes.values()))[0])
    width = 1 + len(DAYS) * periods
    ws.cell(1, 1, title)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(2, 1, "班级")
    ws.merge_cells("A2:A3")
    for d, day in enumerate(DAYS):
        col = 2 + d * periods
        ws.cell(2, col, day)
        if merged_days:
            ws.merge_cells(start_row=2, start_column=col, end_row=2, end_column=col + periods - 1)
        for p in range(periods):
            ws.cell(3, col + p, p + 1)
    row = 4
    for name, week in classes.items():
        ws.cell(row, 1, name)
        for d, day in enumerate(week):
            for p, text in enumerate(day):
                col = 2 + d * periods + p
                if two_rows and "\n" in text:          # subject above, teacher below
                    subject, teacher = text.split("\n")
                    ws.cell(row, col, subject)
                    ws.cell(row + 1, col, teacher)
                elif two_rows and "(" in text:
                    subject, teacher = text.rstrip(")").split("(")
                    ws.cell(row, col, subject)
                    ws.cell(row + 1, col, teacher)
                else:
                    ws.cell(row, col, text)
        if two_rows:
            ws.merge_cells(start_row=row, start_column=1, end_row=row + 1, end_column=1)
            row += 2
        else:
            row += 1
    wb.save(path)
    return path


def _per_class(path: Path, classes: dict[str, list[list[str]]]) -> Path:
    """One sheet per class: a title cell, days across, 上午/下午 merged beside period
    numbers that start again after lunch, a 大课间 and a 午休 row, a 课外活动 row."""
    wb = Workbook()
    wb.remove(wb.active)
    for k, (name, week) in enumerate(classes.items()):
        ws = wb.create_sheet(name if k == 0 else f"Sheet{k + 1}")
        ws.cell(1, 1, f"{name} 课程表（2025秋）")
        ws.merge_cells("A1:G1")
        ws.cell(2, 1, "时段")
        ws.cell(2, 2, "节次")
        for d, day in enumerate(DAYS):
            ws.cell(2, 3 + d, day)
        row = 3
        labels = [("上午", 1), ("上午", 2), None, ("上午", 3), ("上午", 4), "午休",
                  ("下午", 1), ("下午", 2)]
        for label in labels:
            if label is None:
                ws.cell(row, 2, "大课间")
            elif isinstance(label, str):
                ws.cell(row, 2, label)
            else:
                half, n = label
                ws.cell(row, 1, half)
                ws.cell(row, 2, f"第{n}节")
                p = n - 1 if half == "上午" else n + 3
                for d in range(5):
                    ws.cell(row, 3 + d, week[d][p])
            row += 1
        ws.merge_cells("A3:A7")
        ws.merge_cells("A9:A10")
        ws.cell(row, 2, "课外活动")
        ws.cell(row, 4, "课外活动")
        wb.save(path)
    return path


# --- names --------------------------------------------------------------------------------

def test_cell_styles_a_clerk_writes() -> None:
    assert parse_cell("语文(王)") == [("语文", "王", None, None)]
    assert parse_cell("语文（王芳）") == [("语文", "王芳", None, None)]
    assert parse_cell("语文\n王芳") == [("语文", "王芳", None, None)]
    assert parse_cell("语文 王芳") == [("语文", "王芳", None, None)]
    assert parse_cell("语文") == [("语文", None, None, None)]
    assert parse_cell("物理\n张三\n@实验室1\n(08:00–08:45)") == [("物理", "张三", "实验室1", None)]
    assert parse_cell("语文\n王芳\n\n数学\n李强") == [("语文", "王芳", None, None),
                                                    ("数学", "李强", None, None)]
    assert parse_cell("男生 体育与健康\n刘洋\n@操场") == [("体育与健康", "刘洋", "操场", "男生")]
    assert parse_cell("") == parse_cell("/") == parse_cell(None) == parse_cell("无") == []


def test_class_names_written_different_ways_are_one_class() -> None:
    assert class_key("三（2）班") == class_key("三(2)班") == class_key("三年级2班") == (3, 2)
    assert class_key("七年级1班") == class_key("初一(1)班") == class_key("7.1") == (7, 1)
    assert class_key(" 三 （2） 班 ") == (3, 2)
    assert grade_of("701班") == 7 and grade_of("火箭班") is None
    assert class_key("火箭班") == "火箭班"


def test_days_periods_and_subject_aliases() -> None:
    assert canonical_day("星期一") == canonical_day("周一") == canonical_day("Mon") == "周一"
    assert canonical_day("礼拜天") == "周日" and canonical_day("早读") is None
    assert parse_period("第3节") == parse_period(3) == parse_period("三") == 3
    assert parse_period("大课间") is None
    assert canonical_subject("英语") == "外语" and canonical_subject("体育") == "体育与健康"
    assert canonical_subject("道法") == "道德与法治" and canonical_subject("书法") == "书法"


# --- the Excel 总课表 ------------------------------------------------------------------------

def test_master_sheet_with_title_row_merged_days_and_full_width_brackets(tmp_path: Path) -> None:
    path = _master(tmp_path / "总课表.xlsx", {"三（1）班": WEEK_3, "三（2）班": _week(1)})
    tf = read_timetable_file(path)
    assert tf.layout == "master"
    assert "总课表" in tf.found and "classes down" in tf.found and "第2–3行" in tf.found
    assert tf.school_name == "城东小学"
    assert len(tf.lessons) == 60
    first = tf.lessons[0]
    assert (first.cls, first.day, first.period, first.subject, first.teacher) == \
        ("三（1）班", "周一", 1, "语文", "王")
    assert first.where == "总课表.xlsx: 总课表!B4"
    school, timetable, notes, _ = infer_school(tf, load_policy())
    assert [c.name for c in school.classes] == ["三(1)班", "三(2)班"]
    assert [c.grade for c in school.classes] == [3, 3]
    names = {t.name for t in school.teachers}
    assert {"王芳", "李强", "陈静"} <= names and "王" not in names   # surnames joined
    assert any("未注明" in n for n in names)                        # 体育 names no teacher
    assert len(timetable.lessons) == 60


def test_master_sheet_compliant_against_the_national_curriculum(tmp_path: Path) -> None:
    path = _master(tmp_path / "总课表.xlsx", {"三（1）班": WEEK_3, "三（2）班": _week(2)})
    result = audit_file(path)
    assert result.inferred and result.layout == "master"
    hard = {v.rule for v in result.hard}
    assert "curriculum" not in hard and "weekly_total" not in hard and "pe_periods" not in hard
    assert hard <= {"teacher_clash"}    # the two classes share 王芳, 李强 and 陈静


def test_day_written_once_without_merging_and_a_class_in_two_rows(tmp_path: Path) -> None:
    week = [[t.replace("（", "(").replace("）", ")") for t in day] for day in WEEK_3]
    path = _master(tmp_path / "t.xlsx", {"三(1)班": week}, merged_days=False, two_rows=True)
    tf = read_timetable_file(path)
    assert tf.layout == "master" and len(tf.lessons) == 30
    monday = [(x.period, x.subject, x.teacher) for x in tf.lessons if x.day == "周一"]
    assert monday[:4] == [(1, "语文", "王"), (2, "数学", "李强"), (3, "英语", "陈静"),
                          (4, "语文", "王芳")]


def test_a_class_without_a_grade_names_its_cell(tmp_path: Path) -> None:
    path = _master(tmp_path / "t.xlsx", {"三(1)班": WEEK_3, "火箭班": _week(1)})
    with pytest.raises(InputError) as err:
        audit_file(path)
    assert "t.xlsx: 总课表!B5" in str(err.value) and "火箭班" in str(err.value)


# --- per-class sheets ----------------------------------------------------------------------

def test_per_class_sheets_title_cell_and_afternoon_numbering(tmp_path: Path) -> None:
    path = _per_class(tmp_path / "分班.xlsx", {"三（1）班": WEEK_3, "三(2)班": _week(1)})
    tf = read_timetable_file(path)
    assert tf.layout == "per_class" and "one sheet per class" in tf.found
    assert {x.cls for x in tf.lessons} == {"三（1）班", "三(2)班"}       # sheet name, title cell
    mine = [x for x in tf.lessons if x.cls == "三(2)班" and x.day == "周五"]
    assert [(x.period, x.subject) for x in mine] == list(enumerate(
        ["科学", "道法", "音乐", "地方", "校本", "语文"], start=1))       # 下午 1 2 → 5 6
    assert len(tf.lessons) == 60
    assert [(s.cls, s.day) for s in tf.sessions] == [("三（1）班", "周二"), ("三(2)班", "周二")]


def test_two_sheets_of_one_class_are_refused(tmp_path: Path) -> None:
    wb = Workbook()
    for k, name in enumerate(("三（1）班", "三(1)班")):
        ws = wb.active if k == 0 else wb.create_sheet()
        ws.title = name
        ws.append(["节次", *DAYS])
        ws.append(["第1节", "语文", "语文", "语文", "语文", "语文"])
        ws.append(["第2节", "数学", "数学", "数学", "数学", "数学"])
    wb.save(tmp_path / "t.xlsx")
    with pytest.raises(InputError, match="三\\(1\\)班.*same class"):
        read_timetable_file(tmp_path / "t.xlsx")


def test_a_workbook_without_a_timetable_says_what_it_expects(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(["hello"])
    wb.save(tmp_path / "t.xlsx")
    with pytest.raises(InputError, match="no timetable found"):
        read_timetable_file(tmp_path / "t.xlsx")


# --- CSV ---------------------------------------------------------------------------------------

def _csv_rows(classes: dict[str, list[list[str]]]) -> list[str]:
    rows = ["班级,星期,节次,学科,教师"]
    for name, week in classes.items():
        for d, day in enumerate(week):
            for p, text in enumerate(day):
                (subject, teacher, _, _), = parse_cell(text)
                rows.append(f"{name},{DAYS[d]},第{p + 1}节,{subject},{teacher or ''}")
    return rows


def test_csv_in_gbk_one_row_per_lesson(tmp_path: Path) -> None:
    path = tmp_path / "课表.csv"
    path.write_bytes("\r\n".join(_csv_rows({"三(1)班": WEEK_3})).encode("gbk"))
    take_notes()
    tf = read_timetable_file(path)
    assert any("GBK" in n for n in take_notes())
    assert tf.layout == "rows" and len(tf.lessons) == 30
    assert tf.lessons[0].where == "课表.csv: 第2行 row 2, 第4列 column 4"
    result = audit_file(path)
    assert not result.hard


def test_csv_bad_period_names_row_and_column(tmp_path: Path) -> None:
    rows = _csv_rows({"三(1)班": WEEK_3})
    rows[3] = "三(1)班,星期一,午休,语文,王芳"
    path = tmp_path / "课表.csv"
    path.write_text("\n".join(rows), encoding="utf-8-sig")
    with pytest.raises(InputError) as err:
        read_timetable_file(path)
    assert "课表.csv: 第4行 row 4, 第3列 column 3" in str(err.value) and "午休" in str(err.value)


# --- against a school file ----------------------------------------------------------------------

def _school_data() -> dict:
    return {
        "school": "城东小学", "days": ["周一", "周二", "周三", "周四", "周五"],
        "schedules": {"小学部": {"default": [
            {"kind": "lesson", "start": f"{8 + h:02d}:30", "end": f"{9 + h:02d}:10"}
            for h in (0, 1, 2, 3, 5, 6)]}},
        "venues": [{"name": "操场", "kind": "ground", "capacity": 2},
                   {"name": "计算机教室", "kind": "computer"}, {"name": "音乐教室", "kind": "music"}],
        "classes": [{"name": "三(1)班", "grade": 3}],
        "teachers": [{"name": n} for n in ("王芳", "王强", "李强", "陈静", "刘洋", "赵磊")],
        "requirements": {"三(1)班": {
            "语文": "王芳", "数学": "李强", "外语": "陈静", "体育与健康": "刘洋",
            "道德与法治": "王芳", "科学": "赵磊", "信息科技": "赵磊", "音乐": "赵磊",
            "美术": "王强", "劳动": "李强", "综合实践活动": "李强", "地方与校本课程": "王强"}},
    }


def test_names_match_the_school_file_surnames_and_full_width_brackets(tmp_path: Path) -> None:
    school = school_from_dict(_school_data(), "school.yaml")
    path = _master(tmp_path / "t.xlsx", {"三（1）班": WEEK_3})
    result = audit_file(path, school=school)
    assert not result.inferred
    t = {(school.days[x.day], x.period + 1): school.teachers[x.teacher].name
         for x in result.timetable.lessons}
    assert t[("周一", 1)] == "王芳"            # 王: the 语文 teacher, not 王强
    assert t[("周一", 5)] == "刘洋"            # no teacher in the cell: the class's PE teacher
    assert t[("周二", 6)] == "王强"            # 美术 with no teacher: its 任课 teacher


def test_a_class_not_in_the_school_file_names_sheet_and_cell(tmp_path: Path) -> None:
    school = school_from_dict(_school_data(), "school.yaml")
    path = _master(tmp_path / "t.xlsx", {"三（1）班": WEEK_3, "四(1)班": _week(1)})
    with pytest.raises(InputError) as err:
        audit_file(path, school=school)
    assert "t.xlsx: 总课表!B5" in str(err.value) and "四(1)班" in str(err.value)


# --- bells ---------------------------------------------------------------------------------------

def test_bells_file_with_days_written_as_星期(tmp_path: Path) -> None:
    bells = tmp_path / "bells.yaml"
    bells.write_text(
        "schedules:\n  作息:\n    default:\n"
        + "".join(f'      - {{kind: lesson, start: "{8 + h:02d}:30", end: "{9 + h:02d}:10"}}\n'
                  for h in range(6))
        + "    星期五:\n"
        + "".join(f'      - {{kind: lesson, start: "{8 + h:02d}:30", end: "{9 + h:02d}:10"}}\n'
                  for h in range(4)), encoding="utf-8")
    schedules, name = read_bells(bells, ("周一", "周二", "周三", "周四", "周五"))
    assert name == "bells.yaml" and [len(d.periods) for d in schedules[0].days] == [6, 6, 6, 6, 4]
    path = _master(tmp_path / "t.xlsx", {"三(1)班": WEEK_3})
    result = audit_file(path, bells=bells)
    assert result.bells == "bells.yaml"
    rules = {v.rule for v in result.hard}
    assert {"lesson_outside_periods", "long_break"} <= rules       # no 大课间, 周五 short
    bad = tmp_path / "bad.yaml"
    bad.write_text('schedules:\n  作息:\n    default:\n      - {kind: lesson, start: "25:00", '
                   'end: "09:00"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="bad.yaml: schedules.作息.default\\[0\\].start"):
        audit_file(path, bells=bad)


def test_the_bells_example_of_docs_format_md_reads(tmp_path: Path) -> None:
    import re

    doc = (Path(__file__).resolve().parents[2] / "docs" / "format.md").read_text(encoding="utf-8")
    block = re.search(r"```yaml\n(# bells\.yaml.*?)```", doc, re.S)
    assert block, "docs/format.md has no bells.yaml example"
    (tmp_path / "bells.yaml").write_text(block.group(1), encoding="utf-8")
    schedules, _ = read_bells(tmp_path / "bells.yaml", ("周一", "周二", "周三", "周四", "周五"))
    day = schedules[0].days[0]
    assert len(day.periods) == 6 and day.activity is not None and day.lunch is not None


def test_bells_from_a_workbook_name_the_sheet_and_cell(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "作息时间"
    ws.append([None, "作息表", "日期", "类型", "开始", "结束"])     # as the template: from B
    ws.append([None, "schedule", "day", "kind", "start", "end"])
    for h in range(6):
        ws.append([None, "小学部", "每天", "课", f"{8 + h:02d}:30", f"{9 + h:02d}:10"])
    wb.save(tmp_path / "bells.xlsx")
    days = ("周一", "周二", "周三", "周四", "周五")
    schedules, _ = read_bells(tmp_path / "bells.xlsx", days)
    assert schedules[0].name == "小学部" and len(schedules[0].days[0].periods) == 6
    ws["E5"] = "8点半"
    wb.save(tmp_path / "bells.xlsx")
    with pytest.raises(InputError, match="bells.xlsx: 作息时间!E5"):
        read_bells(tmp_path / "bells.xlsx", days)


# --- FET --------------------------------------------------------------------------------------

_FET = """<?xml version="1.0" encoding="UTF-8"?>
<fet version="6.8.5">
<Institution_Name>城东中学</Institution_Name>
<Days_List><Number_of_Days>2</Number_of_Days><Day><Name>周一</Name></Day><Day><Name>周二</Name></Day></Days_List>
<Hours_List><Number_of_Hours>4</Number_of_Hours><Hour><Name>1</Name></Hour><Hour><Name>2</Name></Hour>
<Hour><Name>大课间</Name></Hour><Hour><Name>3</Name></Hour></Hours_List>
<Subjects_List><Subject><Name>语文</Name></Subject><Subject><Name>英语</Name></Subject>
<Subject><Name>体育</Name></Subject></Subjects_List>
<Teachers_List><Teacher><Name>王芳</Name></Teacher><Teacher><Name>陈静</Name></Teacher></Teachers_List>
<Students_List><Year><Name>七年级</Name><Number_of_Students>80</Number_of_Students>
<Group><Name>1班</Name><Number_of_Students>40</Number_of_Students>
<Subgroup><Name>1班男</Name><Number_of_Students>20</Number_of_Students></Subgroup></Group>
<Group><Name>2班</Name><Number_of_Students>40</Number_of_Students></Group></Year></Students_List>
<Activities_List>
<Activity><Teacher>王芳</Teacher><Subject>语文</Subject><Students>1班</Students><Duration>2</Duration>
<Total_Duration>2</Total_Duration><Id>1</Id><Activity_Group_Id>0</Activity_Group_Id><Active>true</Active></Activity>
<Activity><Teacher>陈静</Teacher><Subject>英语</Subject><Students>七年级</Students><Duration>1</Duration>
<Total_Duration>1</Total_Duration><Id>2</Id><Activity_Group_Id>0</Activity_Group_Id><Active>true</Active></Activity>
<Activity><Teacher>陈静</Teacher><Subject>体育</Subject><Students>1班男</Students><Duration>1</Duration>
<Total_Duration>1</Total_Duration><Id>3</Id><Activity_Group_Id>0</Activity_Group_Id><Active>true</Active></Activity>
</Activities_List>
<Time_Constraints_List>
<ConstraintBasicCompulsoryTime><Weight_Percentage>100</Weight_Percentage><Active>true</Active></ConstraintBasicCompulsoryTime>
<ConstraintBreakTimes><Weight_Percentage>100</Weight_Percentage><Number_of_Break_Times>2</Number_of_Break_Times>
<Break_Time><Day>周一</Day><Hour>大课间</Hour></Break_Time><Break_Time><Day>周二</Day><Hour>大课间</Hour></Break_Time>
<Active>true</Active></ConstraintBreakTimes>
{locks}
</Time_Constraints_List>
</fet>
"""

_LOCK = ("<ConstraintActivityPreferredStartingTime><Weight_Percentage>100</Weight_Percentage>"
         "<Activity_Id>{id}</Activity_Id><Preferred_Day>{day}</Preferred_Day><Preferred_Hour>{hour}"
         "</Preferred_Hour><Permanently_Locked>true</Permanently_Locked><Active>true</Active>"
         "</ConstraintActivityPreferredStartingTime>")
_PLACES = {1: ("周一", "1"), 2: ("周二", "1"), 3: ("周二", "3")}


def _expected_fet(tf) -> list[tuple[str, str, int, str, str | None]]:
    return sorted((x.cls, x.day, x.period, x.subject, x.teacher) for x in tf.lessons)


FET_LESSONS = sorted([
    ("1班", "周一", 1, "语文", "王芳"), ("1班", "周一", 2, "语文", "王芳"),   # a double
    ("1班", "周二", 1, "英语", "陈静"), ("2班", "周二", 1, "英语", "陈静"),   # the whole year
    ("1班", "周二", 3, "体育", "陈静")])                                      # a subgroup


def test_fet_data_and_timetable_file(tmp_path: Path) -> None:
    locks = "".join(_LOCK.format(id=i, day=d, hour=h) for i, (d, h) in _PLACES.items())
    path = tmp_path / "城东_data_and_timetable.fet"
    path.write_text(_FET.replace("{locks}", locks), encoding="utf-8")
    tf = read_timetable_file(path)
    assert tf.layout == "fet" and _expected_fet(tf) == FET_LESSONS
    assert tf.grades == {"1班": 7, "2班": 7}
    school, _, _, _ = infer_school(tf, load_policy())
    assert [(c.name, c.grade) for c in school.classes] == [("1班", 7), ("2班", 7)]


def test_fet_activities_xml_with_its_fet_beside_it(tmp_path: Path) -> None:
    (tmp_path / "城东.fet").write_text(_FET.replace("{locks}", ""), encoding="utf-8")
    xml = "".join(f"<Activity><Id>{i}</Id><Day>{d}</Day><Hour>{h}</Hour><Room></Room></Activity>"
                  for i, (d, h) in _PLACES.items())
    path = tmp_path / "城东_activities.xml"
    path.write_text(f"<Activities_Timetable>{xml}</Activities_Timetable>", encoding="utf-8")
    assert _expected_fet(read_timetable_file(path)) == FET_LESSONS
    (tmp_path / "城东.fet").unlink()
    with pytest.raises(InputError, match="--fet"):
        read_timetable_file(path)


def test_a_fet_file_without_a_timetable_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plain.fet"
    path.write_text(_FET.replace("{locks}", ""), encoding="utf-8")
    with pytest.raises(InputError, match="no timetable"):
        read_timetable_file(path)


# --- the round trip: jianfu's own exports read back give check's verdict --------------------------

@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory):
    return export_solved(tmp_path_factory.mktemp("solved"))


def test_jianfu_xlsx_reads_back_to_the_same_timetable_and_verdict(solved) -> None:
    out, school, policy, timetable = solved
    result = audit_file(out / "timetable.xlsx", school=school)
    assert result.layout == "master"                        # its 总课表, the class sheets agreeing
    assert result.timetable == timetable                    # lessons, venues and sessions
    assert list(result.violations) == check(school, policy, timetable)
    assert result.summary == summarize(check(school, policy, timetable), policy)


def test_jianfu_csv_reads_back_to_the_same_verdict(solved) -> None:
    out, school, policy, timetable = solved
    result = audit_file(out / "lessons.csv", school=out / "school.yaml")
    assert result.timetable.lessons == timetable.lessons
    assert list(result.violations) == check(school, policy, timetable)   # sessions assumed
    assert result.compliant and any("课外体育活动" in n for n in result.notes)


def test_jianfu_exports_without_the_school_file_are_compliant(solved) -> None:
    out, school, _, timetable = solved
    for name in ("timetable.xlsx", "lessons.csv"):
        result = audit_file(out / name)
        assert result.inferred and result.compliant, [v.message for v in result.hard]
        assert result.school.name == school.name
        assert [c.name for c in result.school.classes] == [c.name for c in school.classes]
        assert len(result.timetable.lessons) == len(timetable.lessons)


def test_a_planted_violation_is_found_and_the_comparison_counts_it(solved, tmp_path: Path) -> None:
    out, school, policy, _ = solved
    cls, day, period = _plant_math_for_pe(out / "lessons.csv", tmp_path / "taught.csv")
    with_school = audit_file(tmp_path / "taught.csv", school=school)
    assert not with_school.compliant
    coverage = {(v.subject, v.amount) for v in with_school.hard if v.rule == "coverage"}
    assert coverage == {("体育与健康", 1), ("数学", 1)}
    inferred = audit_file(tmp_path / "taught.csv")
    rules = {(v.rule, v.subject) for v in inferred.hard}
    assert {("curriculum", "体育与健康"), ("pe_periods", None)} <= rules   # 数学 above its minimum is no shortfall
    cmp = compare_files(out / "timetable.xlsx", tmp_path / "taught.csv")
    assert not cmp.identical and len(cmp.differences) == 1
    d, = cmp.differences
    assert (d.cls, d.day, d.period, d.published, d.taught) == (cls, day, int(period),
                                                                "体育与健康", "数学")
    r, = cmp.replacements
    assert (r.taught, r.published, r.periods, r.squeezed) == ("数学", "体育与健康", 1, True)
    assert r.sentence().startswith("数学 ← 体育与健康: 1 节")
    assert compare_files(out / "timetable.xlsx", out / "lessons.csv").identical
    files = write_compare_report(tmp_path / "rep", cmp)
    assert [p.name for p in files] == ["compare.xlsx", "compare.html"]
    assert "数学" in files[1].read_text(encoding="utf-8")


def test_the_report_workbook_and_page(solved, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out, school, _, _ = solved
    _plant_math_for_pe(out / "lessons.csv", tmp_path / "taught.csv")
    result = audit_file(tmp_path / "taught.csv")
    xlsx, html = write_audit_report(tmp_path / "rep", result)
    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["审计报告", "违规明细", "质量提示"]
    texts = [str(c.value) for row in wb["审计报告"].iter_rows() for c in row if c.value]
    assert f"{school.name} 课表审计报告" in texts and any("不合规" in t for t in texts)
    detail = list(wb["违规明细"].iter_rows(min_row=5, values_only=True))
    assert len(detail) == len(result.hard) and detail[0][1] in ("curriculum", "pe_periods")
    page = html.read_text(encoding="utf-8")
    assert "不合规 NOT COMPLIANT" in page and "@media print" in page
