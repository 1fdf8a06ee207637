"""The whole-school tables (总课表, 教师总课表, 课时统计, 开课统计, 空闲表) on a hand-made
school with a 合班, 单双周, a 走教 teacher and activity sessions: exact counts, the
workbook's sheets and print setup, the 总课表 read back into exactly the timetable, the
CSVs and the pages (rendered in headless Chromium when it is installed)."""

from __future__ import annotations

import csv
import dataclasses
import io

import pytest
from openpyxl import load_workbook

from jianfu.instances.audit import timetable_for
from jianfu.instances.audit_io import read_timetable_file
from jianfu.instances.excel import write_workbook
from jianfu.instances.timetable_io import read_timetable
from jianfu.instances.html_site import write_site
from jianfu.instances.overview import (class_subjects, free_tables, master_table, short_subject,
                                       teacher_loads, teacher_master_table)
from jianfu.instances.overview_write import write_overview_csv
from jianfu.models.checker import check
from jianfu.models.policy import load_policy, parse_clock
from jianfu.models.school import Combined, Teacher, Unavailable
from jianfu.models.timetable import Lesson, Session, Timetable

from builders import mini_school, units

SCHOOL_NAME = "测试学校"


@pytest.fixture(scope="module")
def school():
    """Two grade-3 classes, two days of six periods (P5, P6 after lunch).

    王芳 语文 3 + 2, 李强 数学 2 + 2, 陈刚 体育 of both classes as one 合班, 赵敏 科学
    of 三(1)班 1.5 (单周 in the alternate slot), 刘洋 美术 of 三(1)班 in 双周 and 音乐 of
    三(2)班: a 走教 teacher, at 城东小学 on 周二下午.
    """
    s = {"语文": 0, "数学": 1, "体育": 2, "音乐": 3, "美术": 4, "科学": 5}
    teachers = (Teacher("王芳", (s["语文"],)), Teacher("李强", (s["数学"],)),
                Teacher("陈刚", (s["体育"],)), Teacher("赵敏", (s["科学"], s["数学"])),
                Teacher("刘洋", (s["音乐"], s["美术"]),
                        (Unavailable(1, parse_clock("12:00"), 24 * 60),),
                        schools=(SCHOOL_NAME, "城东小学")))
    base = mini_school(
        [("三(1)班", 3), ("三(2)班", 3)],
        [("三(1)班", "语文", "王芳", 3), ("三(2)班", "语文", "王芳", 2),
         ("三(1)班", "数学", "李强", 2), ("三(2)班", "数学", "李强", 2),
         ("三(1)班", "体育", "陈刚", 1), ("三(2)班", "体育", "陈刚", 1),
         ("三(1)班", "科学", "赵敏", 1.5), ("三(1)班", "美术", "刘洋", 0.5),
         ("三(2)班", "音乐", "刘洋", 1)],
        teachers=teachers, alternates=[("三(1)班", "科学", "美术")])
    pe = [i for i, r in enumerate(base.requirements) if r.subject == s["体育"]]
    school = dataclasses.replace(base, combined=(Combined("体育合班", tuple(pe), 2),))
    head = dataclasses.replace(school.classes[0], head_teacher=0)
    return dataclasses.replace(school, classes=(head, school.classes[1]))


@pytest.fixture(scope="module")
def timetable(school):
    c = school.class_index
    s = school.subject_index
    t = school.teacher_index
    v = school.venue_index

    def x(cls, day, period, subject, teacher, venue=None, week=None):
        return Lesson(c[cls], day, period - 1, s[subject], t[teacher],
                      None if venue is None else v[venue], week=week)

    lessons = [
        x("三(1)班", 0, 1, "语文", "王芳"), x("三(1)班", 0, 2, "数学", "李强"),
        x("三(1)班", 0, 3, "体育", "陈刚", "操场"), x("三(1)班", 0, 4, "语文", "王芳"),
        x("三(1)班", 0, 5, "科学", "赵敏"),
        x("三(1)班", 1, 1, "语文", "王芳"), x("三(1)班", 1, 2, "数学", "李强"),
        x("三(1)班", 1, 3, "科学", "赵敏", week=1), x("三(1)班", 1, 3, "美术", "刘洋", week=2),
        x("三(2)班", 0, 1, "数学", "李强"), x("三(2)班", 0, 2, "音乐", "刘洋", "音乐教室"),
        x("三(2)班", 0, 3, "体育", "陈刚", "操场"), x("三(2)班", 0, 6, "语文", "王芳"),
        x("三(2)班", 1, 2, "语文", "王芳"), x("三(2)班", 1, 4, "数学", "李强"),
    ]
    return Timetable(tuple(lessons), (Session(0, 0, v["操场"]), Session(1, 1, None)))


def _load(loads, name):
    return next(x for x in loads if x.name == name)


# --- 课时统计 ----------------------------------------------------------------------------

def test_periods_per_teacher_per_day_gaps_and_first_last(school, timetable):
    loads = teacher_loads(school, timetable)
    wang = _load(loads, "王芳")
    assert (wang.per_week, wang.per_day) == (5, (3, 2))
    assert wang.gaps == (3, 0)                   # 周一 periods 1, 4, 6
    assert (wang.first, wang.last) == ((1, 1), (6, 2))
    assert wang.span(0) == "1–6" and wang.span(1) == "1–2"
    assert wang.classes == ("三(1)班", "三(2)班") and wang.subjects == ("语文",)
    assert wang.head_of == ("三(1)班",)
    li = _load(loads, "李强")
    assert (li.per_day, li.gaps, li.first, li.last) == ((2, 2), (0, 1), (1, 2), (2, 4))


def test_combined_lesson_counts_once_and_an_every_other_week_lesson_half(school, timetable):
    loads = teacher_loads(school, timetable)
    assert (_load(loads, "陈刚").per_week, _load(loads, "陈刚").per_day) == (1, (1, 0))
    zhao = _load(loads, "赵敏")
    assert (zhao.per_week, zhao.per_day) == (1.5, (1, 0.5))
    assert sum(x.per_week for x in loads) == 5 + 4 + 1 + 1.5 + 1.5


def test_itinerant_teacher_half_days_here(school, timetable):
    liu = _load(teacher_loads(school, timetable), "刘洋")
    assert liu.itinerant == ("城东小学",)
    assert liu.half_days == ((0, 0), (1, 0))
    assert liu.half_day_text(school.days) == "周一上午、周二上午"
    assert _load(teacher_loads(school, timetable), "王芳").half_days == ()


def test_idle_periods_are_the_checkers_teacher_gaps(school, timetable):
    loads = teacher_loads(school, timetable)
    assert sum(x.total_gaps for x in loads) == 4
    assert units(check(school, school.policy(), timetable), "teacher_gaps") == 4


# --- 空闲表 ------------------------------------------------------------------------------

def test_free_teachers_in_a_period_by_subject(school, timetable):
    table, = free_tables(school, timetable)
    assert table.subjects == ("语文", "数学", "体育", "音乐", "美术", "科学")
    assert table.teachers == 5
    monday_p2 = next(r for r in table.rows if (r.day, r.period) == (0, 1))
    assert monday_p2.time == "09:20–10:00"
    assert dict(zip(table.subjects, monday_p2.free)) == {
        "语文": ("王芳",), "数学": ("赵敏",), "体育": ("陈刚",), "音乐": (), "美术": (),
        "科学": ("赵敏",)}
    assert monday_p2.count == 3                  # 李强 and 刘洋 teach then
    tuesday_p5 = next(r for r in table.rows if (r.day, r.period) == (1, 4))
    assert tuesday_p5.count == 4 and "刘洋" not in {n for f in tuesday_p5.free for n in f}


# --- 开课统计 ----------------------------------------------------------------------------

def _policy():
    grade3 = {"语文": 3, "数学": 2, "体育与健康": 1, "科学": 2, "音乐": 1, "美术": 0,
              "地方与校本课程": 0, "综合实践活动": 0}   # donors of extra PE must be rows
    rows = tuple((name, tuple(n if g == 2 else 0 for g in range(9))) for name, n in grade3.items())
    return dataclasses.replace(load_policy("national"), curriculum=rows,
                               pe_per_week=(1,) * 9, curriculum_flexible=(("音乐", "美术"),))


def test_periods_per_subject_against_the_curriculum(school, timetable):
    one, two = class_subjects(school, _policy(), timetable)
    rows = {r.subject: r for r in one.rows}
    assert [r.subject for r in one.rows] == ["语文", "数学", "科学", "体育与健康", "音乐", "美术"]
    assert (rows["语文"].curriculum, rows["语文"].planned, rows["语文"].scheduled) == (3, 3, 3)
    assert (rows["科学"].scheduled, rows["科学"].planned, rows["科学"].short) == (1.5, 1.5, 0.5)
    assert rows["体育与健康"].scheduled == 1 and not rows["体育与健康"].short   # the 合班 member
    # 音乐 + 美术 may share their periods (统筹): together 0.5 of 1, flagged once
    assert (rows["音乐"].short, rows["美术"].short) == (0.5, 0)
    assert "合计" in rows["音乐"].reason
    assert {r.subject: r.short for r in one.short} == {"科学": 0.5, "音乐": 0.5}
    assert {r.subject: r.short for r in two.short} == {"语文": 1, "科学": 2}
    assert one.scheduled == 8 and two.scheduled == 6


def test_a_lesson_below_the_schools_own_plan_is_short(school, timetable):
    dropped = Timetable(tuple(x for x in timetable.lessons
                              if not (x.cls == 1 and school.subjects[x.subject].name == "数学"
                                      and x.day == 1)), timetable.sessions)
    two = class_subjects(school, _policy(), dropped)[1]
    math = next(r for r in two.rows if r.subject == "数学")
    assert (math.planned, math.scheduled, math.short) == (2, 1, 1)
    assert math.reason.startswith("少于学校计划 2 节") and "课程方案" in math.reason


# --- the 总课表 ---------------------------------------------------------------------------

def test_master_table_cells(school, timetable):
    table = master_table(school, timetable)
    block, = table.blocks
    assert [(c.day, c.period, c.label) for c in block.columns[:7]] == \
        [(0, p, str(p + 1)) for p in range(6)] + [(0, None, "课外活动")]
    one = block.rows[0]
    assert one.note == "王芳"
    assert one.cells[2] == "体育\n陈刚\n@操场"
    assert one.cells[6] == "@操场"                            # 周一's activity session
    assert block.rows[1].cells[-1] == "✓"                    # 周二, a session without venue
    cell = one.cells[[i for i, c in enumerate(block.columns) if (c.day, c.period) == (1, 2)][0]]
    assert cell == "科学(单周)\n赵敏\n\n美术(双周)\n刘洋"
    assert short_subject(school, school.subject_index["体育"]) == "体育"


def test_short_names_read_back_as_the_subject():
    from jianfu.instances.audit_io import canonical_subject
    from jianfu.instances.overview import SHORT_NAMES

    assert {canonical_subject(short) for short in SHORT_NAMES.values()} == set(SHORT_NAMES)
    assert all(canonical_subject(short) == full for full, short in SHORT_NAMES.items())


def test_teacher_master_table_cells(school, timetable):
    table = teacher_master_table(school, timetable)
    rows = {r.name: r for b in table.blocks for r in b.rows}
    block = table.blocks[0]
    col = {(c.day, c.period): i for i, c in enumerate(block.columns)}
    assert rows["陈刚"].cells[col[(0, 2)]] == "三(1)班、三(2)班"        # the 合班, once
    assert rows["刘洋"].cells[col[(0, 1)]] == "三(2)班\n音乐"           # two subjects: named
    assert rows["刘洋"].cells[col[(1, 2)]] == "三(1)班(双周)\n美术"
    assert rows["刘洋"].closed[col[(1, 4)]] and not rows["刘洋"].closed[col[(1, 0)]]
    assert rows["王芳"].cells[col[(0, 5)]] == "三(2)班"


@pytest.fixture(scope="module")
def workbook(tmp_path_factory, school, timetable):
    path = tmp_path_factory.mktemp("wb") / "timetable.xlsx"
    write_workbook(path, school, school.policy(), timetable)
    return path


def test_workbook_sheets_follow_the_summary(workbook):
    wb = load_workbook(workbook)
    assert wb.sheetnames[:6] == ["汇总", "总课表", "教师总课表", "课时统计", "开课统计", "空闲表"]
    assert wb.sheetnames[6] == "班级-三(1)班"
    links = [c.value for row in wb["汇总"].iter_rows() for c in row if c.hyperlink]
    assert links[:3] == ["总课表", "教师总课表", "课时统计"]
    ws = wb["课时统计"]
    assert [ws.cell(3, c).value for c in range(1, 6)] == [
        "教师 teacher", "任教学科 subjects", "任教班级 classes", "班主任 head of",
        "周课时 periods a week"]
    assert [ws.cell(4, c).value for c in range(1, 9)] == [
        "王芳", "语文", "三(1)班、三(2)班", "三(1)班", 5, 3, 2, 3]
    assert ws.cell(8, 1).value == "刘洋" and ws.cell(8, 5).value == 1.5
    assert ws.cell(9, 1).value == "合计 total" and ws.cell(9, 5).value == 13


def test_master_sheet_layout_and_a3_landscape_print(workbook):
    ws = load_workbook(workbook)["总课表"]
    assert ws.cell(1, 1).value == f"{SCHOOL_NAME} 总课表"
    assert (ws.cell(3, 1).value, ws.cell(3, 2).value, ws.cell(3, 3).value) == ("班级", "班主任", "周一")
    assert [ws.cell(4, c).value for c in range(3, 10)] == [1, 2, 3, 4, 5, 6, "课外活动"]
    assert ws.cell(5, 3).value == "08:30–09:10"
    assert "C3:I3" in {str(r) for r in ws.merged_cells.ranges}      # 周一 over its columns
    assert (ws.cell(6, 1).value, ws.cell(6, 3).value) == ("三(1)班", "语文\n王芳")
    assert int(ws.page_setup.paperSize) == 8     # A3
    assert ws.page_setup.orientation == "landscape"
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$5"
    # 三(1)班's tallest cell has 5 lines (单周 and 双周): the row is tall enough for them
    assert ws.row_dimensions[6].height >= 5 * 11.5
    assert ws.row_dimensions[7].height >= 3 * 11.5


def test_master_sheet_reads_back_into_exactly_the_timetable(workbook, school, timetable):
    tf = read_timetable_file(workbook, layout="master")
    assert tf.layout == "master"
    assert timetable_for(tf, school) == timetable    # lessons, 单双周, venues and sessions
    default = read_timetable_file(workbook)
    assert default.layout == "master" and not default.notes   # the class sheets agree
    assert timetable_for(default, school) == timetable
    assert read_timetable(workbook, school).lessons == timetable.lessons


def test_an_edit_in_the_master_sheet_is_read_and_noted(workbook, school, timetable, tmp_path):
    wb = load_workbook(workbook)
    ws = wb["总课表"]
    assert ws["C6"].value == "语文\n王芳" and ws["H6"].value is None
    ws["H6"], ws["C6"] = "语文\n王芳", None                  # 周一第1节 → 第6节
    edited = tmp_path / "edited.xlsx"
    wb.save(edited)
    moved = timetable_for(read_timetable_file(edited, layout="master"), school)
    assert set(timetable.lessons) - set(moved.lessons) == {timetable.at(0, 0, 0)}
    assert {(x.day, x.period) for x in set(moved.lessons) - set(timetable.lessons)} == {(0, 5)}
    notes = read_timetable_file(edited).notes
    assert len(notes) == 1 and "总课表与班级课表有 2 处不同" in notes[0]


def test_subject_and_free_sheets(workbook):
    wb = load_workbook(workbook)
    ws = wb["开课统计"]
    header = [ws.cell(3, c).value for c in range(1, ws.max_column + 1)]
    assert header[:4] == ["班级 class", "年级 grade", "道德与法治", "语文"]   # the national plan
    assert ws.cell(4, 3).value == "0/2" and ws.cell(4, 3).fill.fgColor.rgb.endswith("F8CBAD")
    free = wb["空闲表"]
    assert [free.cell(3, c).value for c in range(1, 5)] == ["星期 day", "节次 period",
                                                            "时间 time", "语文"]
    assert [free.cell(5, c).value for c in range(1, 4)] == ["周一", "第2节", "09:20–10:00"]
    assert free.cell(5, 4).value == "王芳"


# --- CSV and pages -----------------------------------------------------------------------

def test_csvs_have_a_bom_and_chinese_first_headers(tmp_path, school, timetable):
    written = {p.name: p for p in write_overview_csv(tmp_path, school, school.policy(),
                                                          timetable)}
    assert set(written) == {"master.csv", "teacher_master.csv", "teacher_load.csv",
                            "class_subjects.csv", "free_teachers.csv"}
    for name in ("master.csv", "teacher_load.csv", "class_subjects.csv", "free_teachers.csv"):
        data = written[name].read_bytes()
        assert data.startswith(b"\xef\xbb\xbf"), name
    rows = list(csv.reader(io.StringIO(written["teacher_load.csv"].read_text("utf-8-sig"))))
    assert rows[0][:5] == ["教师 teacher", "任教学科 subjects", "任教班级 classes",
                           "班主任 head of", "周课时 periods a week"]
    wang = rows[1]
    assert wang[0] == "王芳" and wang[4:7] == ["5", "3", "2"]
    master = list(csv.reader(io.StringIO(written["master.csv"].read_text("utf-8-sig"))))
    assert master[0][:4] == ["班级 class", "班主任 head teacher", "作息 schedule", "周一第1节"]
    assert master[1][3] == "语文 王芳"
    free = list(csv.reader(io.StringIO(written["free_teachers.csv"].read_text("utf-8-sig"))))
    assert free[0][0] == "作息 schedule" and ["作息", "周一", "2", "09:20–10:00", "语文",
                                              "王芳", "1"] in free


@pytest.fixture(scope="module")
def site(tmp_path_factory, school, timetable):
    return write_site(tmp_path_factory.mktemp("site"), school, school.policy(), timetable)


def test_index_links_the_overview_pages(site):
    index = site.read_text(encoding="utf-8")
    for page in ("master.html", "teacher-master.html", "stats.html", "free.html"):
        assert f'href="{page}"' in index and (site.parent / page).is_file()
    master = (site.parent / "master.html").read_text(encoding="utf-8")
    assert "size: A3 landscape" in master and 'data-class="三(1)班"' in master


def test_browser_renders_the_master_page(site, tmp_path):
    from .test_html import _chromium

    dom = _chromium("--dump-dom", (site.parent / "master.html").as_uri(), tmp=tmp_path).stdout
    row = dom.split('data-class="三(1)班"', 1)[1].split("</tr>", 1)[0]
    assert '<td class="" data-day="0" data-period="3">体育\n陈刚\n@操场</td>' in row
    assert 'data-day="0" data-period="act">@操场</td>' in row


@pytest.mark.slow
def test_master_round_trip_on_a_generated_school_with_every_structure(tmp_path):
    """合班 (复式班, 体育合班), 分组 PE, 单双周 and two bell schedules, read back exactly."""
    from jianfu.instances.generator import generate_school
    from jianfu.solver import solve

    school = generate_school("nine-year", 1, 1, structures=True)
    assert school.combined and school.splits and school.alternates
    result = solve(school, school.policy(), time_limit=120, workers=2,
                   params={"stop_after_first_solution": True})
    assert result.timetable is not None, result.explanation
    path = write_workbook(tmp_path / "timetable.xlsx", school, school.policy(), result.timetable)
    tf = read_timetable_file(path, layout="master")
    assert "2 段" in tf.found                          # 小学部 and 初中部, each with its header
    assert timetable_for(tf, school) == result.timetable


def test_export_all_writes_the_overview_in_every_format(tmp_path, school, timetable):
    from jianfu.instances.export import export

    rel = {p.relative_to(tmp_path).as_posix()
           for p in export(tmp_path, school, school.policy(), timetable, fmt="all")}
    assert {"timetable.xlsx", "site/master.html", "site/stats.html", "site/free.html",
            "site/teacher-master.html", "master.csv", "teacher_load.csv",
            "class_subjects.csv", "free_teachers.csv", "teacher_master.csv"} <= rel


def test_a_zouban_block_counts_once_for_each_group_teacher(tmp_path):
    from jianfu.models.school import Block, BlockGroup, Category, Subject

    subjects = (Subject("外语", "English", Category.MAIN), Subject("数学", "Math", Category.MAIN))
    base = mini_school([("七(1)班", 7), ("七(2)班", 7)],
                       [("七(1)班", "外语", "甲", 1), ("七(2)班", "外语", "乙", 1),
                        ("七(1)班", "数学", "甲", 1)], subjects=subjects)
    school = dataclasses.replace(base, blocks=(Block("七年级外语分层", (0, 1), (
        BlockGroup("A层", 0, 0), BlockGroup("B层", 0, 1))),))
    lessons = tuple(Lesson(c, 0, 0, 0, t, group=g) for c in (0, 1)
                    for g, t in (("A层", 0), ("B层", 1))) + (Lesson(0, 0, 2, 1, 0),)
    tt = Timetable(lessons)
    loads = {x.name: x for x in teacher_loads(school, tt)}
    assert (loads["甲"].per_week, loads["甲"].gaps) == (2, (1, 0))
    assert loads["乙"].per_week == 1
    rows = {r.name: r for r in teacher_master_table(school, tt).blocks[0].rows}
    assert rows["甲"].cells[0] == "七(1)班、七(2)班 A层\n外语"
    one, two = class_subjects(school, load_policy("national"), tt)
    assert {r.subject: r.scheduled for r in one.rows if r.scheduled} == {"外语": 1, "数学": 1}
    assert two.scheduled == 1                        # the block's groups: one period a class
    table = master_table(school, tt)
    assert table.blocks[0].rows[0].cells[0] == "A层 外语\n甲\n\nB层 外语\n乙"
    path = write_workbook(tmp_path / "t.xlsx", school, school.policy(), tt)
    assert timetable_for(read_timetable_file(path, layout="master"), school) == tt
