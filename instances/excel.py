"""Excel in and out for the 教务处.

In: :func:`write_template` writes a blank, documented workbook (说明, 学校, 作息时间,
班级, 学科, 教师, 教研活动, 合班, 分组, 走班, 任课表, 任课, 场地); :func:`read_school_xlsx` reads a
filled one into the same mapping the YAML school file gives (``docs/format.md``) and
validates it with :func:`jianfu.instances.schoolfile.school_from_dict`, so both formats
share every rule; its errors name the sheet, the row and the column
(``school.xlsx: 教师!D5 (max_periods_per_day): 'abc': 应为整数 expected a whole number``).
Rows whose first column says ``示例`` are examples and are skipped. Most sheets are one
row per item (:func:`school_mapping`'s ``table``); 分组 and 走班 are one row per group,
the rows of one split or block together (``GROUPED_SHEETS``, :func:`_runs`).

Out: :func:`write_workbook` writes the timetable: a summary sheet with the checker's
verdict, one sheet per class, teacher and venue (days across, periods down with their
times, the long break and lunch as merged rows) and one homework sheet per class; it
prints on A4, fitted to the width. :func:`jianfu.instances.timetable_io.read_timetable`
reads the class sheets back (:mod:`jianfu.instances.edited`), so a clerk may move lessons
in Excel and check the result.
"""

from __future__ import annotations

import datetime as _dt
import io
import json
import re
import zipfile
from dataclasses import dataclass, field as _field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from openpyxl import Workbook, load_workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..models.errors import InputError
from ..models.textfile import check_readable
from ..models.policy import Policy
from ..models.school import Category, School, SegmentKind
from ..models.timetable import Timetable
from .xlsx_style import BORDER, CENTER, HEAD_FILL, LEFT, font, head, title
from .views import (Grid, class_grid, example_school, hard_rows, lessons_digest, summary_rows,
                     summary_verdict, teacher_grid, venue_grids, weekly_count, write_atomic)

__all__ = [
    "write_template", "write_filled", "read_school_xlsx", "school_rows",
    "write_workbook", "sheet_names", "EXAMPLE_MARK", "schedule_mapping",
]

EXAMPLE_MARK = "示例"
FILL = {
    "header": HEAD_FILL,
    "example": PatternFill("solid", fgColor="F2F2F2"),
    "closed": PatternFill("solid", fgColor="D9D9D9"),
    SegmentKind.LONG_BREAK.value: PatternFill("solid", fgColor="E2F0D9"),
    SegmentKind.LUNCH.value: PatternFill("solid", fgColor="FFF2CC"),
    SegmentKind.ACTIVITY.value: PatternFill("solid", fgColor="E2F0D9"),
    SegmentKind.SELF_STUDY.value: PatternFill("solid", fgColor="EDEDED"),
    SegmentKind.AFTER_SCHOOL.value: PatternFill("solid", fgColor="EDEDED"),
    SegmentKind.EVENT.value: PatternFill("solid", fgColor="DDEBF7"),
}


_font, _head = font, head


def _save(wb: Workbook, path: Path | str) -> Path:
    buffer = io.BytesIO()
    wb.save(buffer)
    return write_atomic(path, buffer.getvalue())


# =========================================================================================
# The school workbook (in)
# =========================================================================================

# (field, 中文 header, English note) per table sheet; the field names are the school
# file's keys (docs/format.md).
COLUMNS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "作息时间": (
        ("schedule", "作息表", "schedule: bell-schedule name; classes refer to it"),
        ("day", "日期", "day: 每天 (every day) or one school day such as 周五 (that day differs)"),
        ("kind", "类型", "kind: " + ", ".join(f"{k.zh} ({k.value})" for k in SegmentKind)),
        ("start", "开始", "start: HH:MM"),
        ("end", "结束", "end: HH:MM"),
        ("label", "名称", "label: optional text shown on timetables"),
        ("counts_as", "计入", "counts_as: 集体活动 only — none (不计), study (学习), activity (体育活动)"),
    ),
    "班级": (
        ("name", "班级", "name: class name, e.g. 三(1)班"),
        ("grade", "年级", "grade: 1-9"),
        ("schedule", "作息表", "schedule: bell-schedule name (blank if the school has one)"),
        ("periods_per_day", "每天节数", "periods_per_day: optional, one number per day, "
                                        "e.g. 6、6、6、6、5"),
        ("head_teacher", "班主任", "head_teacher: optional, the class teacher's name (a teacher "
                                  "of the 教师 sheet)"),
    ),
    "学科": (
        ("name", "学科", "name: subject; built-in subjects need a row only to change them"),
        ("english", "英文名", "english: optional"),
        ("category", "类别", "category: " + ", ".join(c.value for c in Category)),
        ("homework", "书面作业", "homework: 是/否 (sets written homework)"),
        ("venue_kind", "场地类型", "venue_kind: optional, e.g. lab, computer, music, ground"),
        ("part_of", "所属科目", "part_of: optional, e.g. 艺术"),
        ("forbidden", "禁排", "forbidden: periods no class has it, e.g. 下午第1节 (禁排)"),
    ),
    "教师": (
        ("name", "姓名", "name: teacher's name (unique)"),
        ("subjects", "任教学科", "subjects: 语文、数学 (separate with 、 or ,)"),
        ("max_periods_per_day", "每日最多节数", "max_periods_per_day: whole number; blank = no limit"),
        ("unavailable", "不可用时间", "unavailable: 周一上午、周三下午、周五 14:00-16:00"),
        ("schools", "走教学校", "schools: itinerant teacher's schools, optional"),
        ("wishes", "意愿", "wishes: 避开周五下午×2、避开第1节、希望周二上午 (×weight, default 1)"),
    ),
    "教研活动": (
        ("name", "名称", "name: e.g. 语文组教研, 行政会"),
        ("subject", "教研组(学科)", "subject: every teacher of this subject attends, e.g. 语文; "
                                    "several: 物理、化学"),
        ("teachers", "教师", "teachers: named teachers, e.g. 王校长、李主任 (with or without a subject)"),
        ("day", "星期", "day: one school day, e.g. 周二"),
        ("half", "时段", "half: 上午, 下午 or 全天 of each teacher's bell schedule; "
                         "or blank with 开始/结束"),
        ("start", "开始", "start: HH:MM (when 时段 is blank)"),
        ("end", "结束", "end: HH:MM"),
    ),
    "合班": (
        ("name", "名称", "name: e.g. 一年级体育合班, 一二年级复式"),
        ("members", "成员", "members: class:subject of each class taught together, e.g. "
                            "一(1)班:体育与健康; 一(2)班:体育与健康 (each a 任课 row)"),
        ("teacher", "教师", "teacher: optional, the teacher of every member's 任课 row"),
        ("venue_kind", "场地类型", "venue_kind: optional, e.g. ground"),
    ),
    # one row per group; the rows of one split follow each other (GROUPED_SHEETS)
    "分组": (
        ("class", "班级", "class: the class that is split; blank = as the row above"),
        ("subject", "学科", "subject: the lesson split (the class has it in 任课表 or 任课); "
                           "blank = as the row above"),
        ("group", "组名", "group: e.g. 男生, 女生, A组"),
        ("group_subject", "组学科", "group_subject: what this group learns meanwhile; blank = "
                                   "学科"),
        ("teacher", "教师", "teacher: this group's teacher"),
        ("venue_kind", "场地类型", "venue_kind: optional, every group's venue kind, e.g. ground"),
    ),
    # one row per group; the rows of one block follow each other (GROUPED_SHEETS)
    "走班": (
        ("name", "名称", "name: the block's name, e.g. 七年级外语分层; blank = as the row above"),
        ("classes", "班级", "classes: the classes released at once, in one cell, e.g. "
                           "七年级1班、七年级2班、七年级3班 (、 , ; or spaces between); on the "
                           "block's first row, or the same on each"),
        ("subject", "学科", "subject: the lesson the block holds (every class has it in 任课表 "
                           "or 任课); on the first row, or the same on each"),
        ("group", "组名", "group: e.g. A层, B层, 篮球社"),
        ("group_subject", "组学科", "group_subject: what this group learns; blank = 学科"),
        ("teacher", "教师", "teacher: this group's teacher"),
        ("venue_kind", "场地类型", "venue_kind: optional, this group's venue kind, e.g. ground"),
    ),
    "任课": (
        ("class", "班级", "class: class name"),
        ("subject", "学科", "subject: subject name"),
        ("teacher", "教师", "teacher: teacher name"),
        ("periods", "周课时", "periods: lessons a week; blank = the curriculum for the grade; "
                              "1.5 = one more every other week (单双周 sheet)"),
        ("doubles", "连堂", "doubles: how many double periods (连堂) a week; blank = 0"),
        ("venue", "场地类型", "venue: optional venue kind or venue name (e.g. lab)"),
        ("fixed", "固定", "fixed: periods that must hold a lesson of it, e.g. 周一1 (周一第1节)"),
        ("forbidden", "禁排", "forbidden: periods it must not be in, e.g. 最后一节、周五下午"),
    ),
    # one row per alternating slot: one period a week, one subject in odd weeks and
    # another in even weeks (the school file's ``alternate``)
    "单双周": (
        ("class", "班级", "class: class name"),
        ("odd", "单周", "odd: the subject of odd weeks (单周), a 任课 lesson of the class; "
                       "blank = free"),
        ("even", "双周", "even: the subject of even weeks (双周), likewise; blank = free"),
    ),
    "场地": (
        ("name", "场地", "name: venue name"),
        ("kind", "类型", "kind: ground, lab, computer, music…"),
        ("capacity", "容量", "capacity: classes at once (sports ground: several); blank = 1"),
    ),
}

# The 学校 sheet is key/value: (key, 中文, English note, example value).
SCHOOL_KEYS: tuple[tuple[str, str, str, str], ...] = (
    ("school", "学校名称", "school: the school's name", "示范小学"),
    ("profile", "政策配置", "profile: national, panjin, zhongxian, chengnan, beijing-2024, "
                           "guangdong-2025 or a profile file", "national"),
    ("days", "上课日", "days: school days in order, separated by 、", "周一、周二、周三、周四、周五"),
    ("builtin_subjects", "使用内置学科", "builtin_subjects: 是 = start from the national "
                                        "curriculum's subjects; 否 = only the 学科 sheet", "是"),
)
_SCHOOL_ALIASES = {zh: key for key, zh, _, _ in SCHOOL_KEYS} | {k: k for k, *_ in SCHOOL_KEYS}

#: The 说明 sheet: (中文, English) rows side by side; a row whose Chinese starts with 【 is
#: the heading of the sheet it names, and every sheet of the workbook has one
#: (tests/instances/test_excel.py checks it).
HELP: tuple[tuple[str, str], ...] = (
    ("减负 jianfu 学校信息表 — 填写说明", "How to fill in this workbook"),
    ("", ""),
    ("【通用】先读这几条", "General"),
    ("每个工作表第1行是中文表头，第2行是英文字段名和说明，这两行请不要改动。",
     "Row 1 of each sheet holds the Chinese headers, row 2 the field names and notes: keep "
     "both rows."),
    ("第一列写“示例”的灰色行是示例，读取时不算；可以删掉，也可以留着照着填。",
     "Grey rows whose first column says 示例 are examples and are ignored."),
    ("一个格子写几项时用顿号隔开，如 语文、数学（逗号、分号也可以）。时间写成 08:20 这样的文字。",
     "Several values in one cell: separate them with 、 (or , ;). Write times as text, "
     "e.g. 08:20."),
    ("带下拉箭头的格子可以从列表里选（教师、班级、场地等）；不在列表里的也可以直接输入，读取时会逐项检查。",
     "Cells with a dropdown offer the known values (teachers, classes, venues…); you may "
     "type others, and every value is checked when the workbook is read."),
    ("必须填写：学校、作息时间、班级、教师，以及任课表或任课（至少一张）。其余的表用不到就留空。",
     "Required: 学校, 作息时间, 班级, 教师 and 任课表 or 任课 (or both); leave the other "
     "sheets empty if you do not need them."),
    ("填错了不用担心：jianfu 会指出是哪张表、哪个格子、写了什么、错在哪里。",
     "A mistake is reported with its sheet, cell, value and what is wrong."),
    ("", ""),
    ("【学校】学校名称、政策配置、上课日",
     "学校: the school's name, policy profile and school days"),
    ("政策配置写 national（全国通用）或本地方案（如 beijing-2024、guangdong-2025）；上课日写 "
     "周一、周二、周三、周四、周五。",
     "profile: national or a local profile; days: the school days in order."),
    ("要改某一项政策（如各年级书面作业每日上限），在“项目”写政策字段名，如 homework_cap_weekday，"
     "“值”写新数值，列表写成 [0, 0, 45, 45, 45, 45, 60, 60, 60]。",
     "Any other row overrides one policy field: its name under 项目, the value under 值 "
     "(see `jianfu policy show`)."),
    ("", ""),
    ("【作息时间】每天几点上课、下课、休息",
     "作息时间: the bell schedule"),
    ("每行一个时段，按时间先后填写：开始、结束、类型（课、课间、眼保健操、大课间、午餐午休、"
     "课外体育活动、课后服务、自习、集体活动）。“日期”写“每天”；某一天不一样（如周五少一节），"
     "就把那一天的全部时段另写一遍，“日期”写 周五。",
     "One row per segment, in time order. 日期 每天 = every day; a day that differs gets all "
     "its own rows under its name (周五)."),
    ("小学部、初中部作息不同时，用“作息表”列分开（如 小学部、初中部），再在班级表里写每个班用哪一张。",
     "Two bell schedules (primary, junior): name them in 作息表 and give each class its own "
     "on the 班级 sheet."),
    ("升旗仪式、晨会、跑操、午读这类全校一起参加的活动：类型选“集体活动”，名称写活动名，"
     "这段时间不排课。",
     "School-wide events (升旗仪式, 晨会, 跑操, 午读): kind 集体活动 (event), the event's "
     "name under 名称; no lessons are placed in it."),
    ("集体活动的“计入”写这段时间算什么：不计（如升旗仪式，默认）；学习（如午读、早读，算进在校学习时间）；"
     "体育活动（如跑操，算进每天的体育活动时间）。",
     "计入 (counts_as) of an event: 不计 none (the default, e.g. 升旗仪式), 学习 study (午读, "
     "早读: counts as study time), 体育活动 activity (跑操: counts towards the daily "
     "physical activity)."),
    ("只在周一有的升旗仪式：把周一的全部时段另写一遍（日期写 周一），其中加上升旗仪式这一行。",
     "An event on one day only (升旗仪式 on Monday): give that day's full rows under 日期 "
     "周一, with the event among them."),
    ("", ""),
    ("【班级】每个班一行", "班级: one row per class"),
    ("班级名称（如 三(1)班）、年级（1-9）、作息表（全校只有一张时留空）、每天节数（可选，"
     "如 6、6、6、6、5：周五只上5节）、班主任。",
     "Class name, grade 1-9, bell schedule (blank if the school has one), periods per day "
     "(optional), head teacher."),
    ("班主任写教师表里的姓名。学科表里加了“班会”时，这个班的班会必须由班主任上。",
     "班主任: a name from the 教师 sheet; the class's 班会 (if the school adds that subject) "
     "must be taught by them."),
    ("", ""),
    ("【学科】国家课程的学科不用填", "学科: built-in subjects need no row"),
    ("语文、数学等课程方案里的学科已经内置；只有要改动的（如美术要在美术教室上）或学校自己开的课"
     "（如 书法）才写一行。",
     "Only a subject to change (美术 in the art room) or a school subject (书法) needs a row."),
    ("场地类型：上这门课要用的专用教室（ground 操场、lab 实验室、computer 机房、music 音乐教室、"
     "art 美术教室）。禁排：全校各班都不排这门课的节次，如体育与健康写 下午第1节（饭后不上体育）。",
     "场地类型: the room the subject needs; 禁排: periods no class has it (体育与健康: "
     "下午第1节)."),
    ("", ""),
    ("【教师】每位老师一行", "教师: one row per teacher"),
    ("姓名不能重复（同名时加以区分，如 王芳2）。任教学科、每日最多节数（不限就留空）、走教学校"
     "（在几所学校上课的老师）。",
     "Names are unique. Subjects, the most periods a day (blank = no limit), the schools of "
     "an itinerant (走教) teacher."),
    ("不可用时间：这段时间绝对不能排课，如 周一上午、周三下午、周五 14:00-16:00。",
     "不可用时间: times the teacher can never teach (周一上午, 周五 14:00-16:00)."),
    ("意愿：老师的希望，尽量照顾，但不会因此排不出课表。写 避开周五下午、避开第1节、"
     "希望周二上午（周二只在上午上课）；后面加 ×2、×3 表示更看重（默认 ×1）。",
     "意愿 (wishes): kept as far as the rules allow, never at the cost of a timetable: "
     "避开周五下午, 避开第1节, 希望周二上午; ×2 weighs a wish double (default ×1)."),
    ("", ""),
    ("【教研活动】教研组活动、行政会等固定会议", "教研活动: subject-group and staff meetings"),
    ("每个教研组或会议一行：名称、星期、时段（上午、下午或全天），或者不写时段而写开始、结束时间。"
     "这段时间参加的老师不排课。",
     "One row per meeting: name, day, 上午/下午/全天 or a start and end time; its teachers "
     "get no lessons then."),
    ("“教研组(学科)”写学科（如 语文），表示全体语文老师参加；“教师”写其他参加的人（如 王校长、李主任）。",
     "教研组(学科): every teacher of that subject attends; 教师: anyone else who attends."),
    ("", ""),
    ("【合班】几个班一起上同一节课", "合班: several classes in one lesson"),
    ("同一时间、同一位老师、同一场地给几个班上课，如两个班合上体育、村小的复式班（一二年级同一间教室，"
     "各上各的课）。每个合班一行，成员写 一(1)班:体育与健康; 一(2)班:体育与健康。",
     "One row per lesson of several classes at once (PE of two classes, a 复式班); members "
     "written class:subject; class:subject."),
    ("每个成员在任课表（或任课）里都要有这门课，教师相同、周课时相同。",
     "Each member is a class's own 任课 entry, with the same teacher and periods."),
    ("", ""),
    ("【分组】一个班分成几组同时上课", "分组: one class in groups at the same time"),
    ("同一节课，一个班分成几组，各组有自己的老师：如体育课男生一组、女生一组；或者半个班上信息科技、"
     "另半个班上劳动（下次对调，对调的那节课另写一个分组）。",
     "A class in groups, each with its own teacher, at the same time: boys' and girls' PE, "
     "or half the class in 信息科技 while the other half has 劳动 (the swap is a second "
     "split)."),
    ("每组一行，同一个分组的几行连着写：班级、学科（被分组的那门课，任课表里要有；周课时就按它算）、"
     "组名（男生、女生、A组）、组学科（这一组同时上的课，留空就是“学科”那门课）、教师、"
     "场地类型（可选，如体育写 ground）。",
     "One row per group, the rows of one split together: class, the lesson split (a 任课 "
     "entry: its periods count), group name, what the group learns (blank = that lesson), "
     "teacher, venue kind (optional)."),
    ("其中一组的学科和老师必须就是任课表里这门课的学科和老师。班级、学科和上一行相同时可以留空"
     "（合并单元格也可以）。",
     "One group is the lesson's own subject and teacher. A blank 班级 or 学科 is the same as "
     "the row above (merged cells read this way)."),
    ("", ""),
    ("【走班】几个班的学生同时打散，分组上课", "走班: several classes regrouped at the same time"),
    ("几个班在同一节课把学生打散、重新分组，每组一位老师：如七年级1、2、3班的外语分层教学（A层、B层、"
     "C层），或者一个年级的社团、选修课。这几个班的这门课总排在同一时间。一个班自己分组用“分组”表。",
     "Several classes release their students at the same periods into groups, each with its "
     "own teacher: 外语 in levels (A层, B层, C层) over 七年级1-3班, or a grade's 社团 or "
     "选修 afternoon. One class in groups on its own: the 分组 sheet."),
    ("每组一行，同一个走班的几行连着写：名称（如 七年级外语分层）、班级（参加的几个班写在同一个格子里，"
     "用顿号隔开，如 七年级1班、七年级2班、七年级3班）、学科（走班的那门课，每个班的任课表里都要有，"
     "周课时相同）、组名（A层、篮球社）、组学科（这一组上的课，留空就是“学科”那门课）、教师、"
     "场地类型（可选，这一组要用的场地，如篮球社写 ground）。",
     "One row per group, the rows of one block together: name, the classes (all in one cell: "
     "七年级1班、七年级2班、七年级3班), the lesson (every class has it in 任课表, with the same "
     "periods), group name, what the group learns (blank = that lesson), teacher, the "
     "group's venue kind (optional)."),
    ("每个班这门课的任课老师都要带其中一组，一位老师只带一组；至少两个班、两组。名称、班级、学科写在"
     "第一行，下面几行可以留空（合并单元格也可以）；下一个走班写新的名称。",
     "Each class's own teacher of the lesson teaches one of the groups, a teacher one group; "
     "at least two classes and two groups. 名称, 班级 and 学科 on the first row, blank below "
     "(or merged); the next block starts with its own 名称."),
    ("", ""),
    ("【任课表】谁教哪个班的哪门课", "任课表: who teaches what"),
    ("每个班一行，每门学科一列，格子里写任课老师姓名（如 王芳）。周课时按课程方案；不一样时写在"
     "姓名后面（王芳 5、王芳(5)；单双周的半节写 王芳 1.5）。空格或 / 表示这个班不开这门课。学校自己的课加一列，列名写学科名。",
     "One row per class, one column per subject, the teacher's name in the cell; periods from "
     "the curriculum unless written after the name (王芳 5); blank = not taught."),
    ("", ""),
    ("【任课】连堂、场地、固定、禁排", "任课: doubles, venue, fixed and forbidden periods"),
    ("每个班每门课一行，写任课表写不下的要求：连堂（每周几次两节连上）、场地类型、固定、禁排。"
     "任课表里已有的课，教师和周课时可以留空（要写就得和任课表一致）。不用任课表时，每门课都在这里写一行。",
     "One row per class and subject for 连堂, venue, 固定, 禁排; for a 任课表 entry leave "
     "教师/周课时 blank (or the same). Without 任课表 every lesson is a row here."),
    ("固定：必须排在的节次，如 周一1（周一第1节上班会）。禁排：不能排的节次，如 最后一节、周五下午、"
     "周三第1节。",
     "固定 (fixed): periods that must hold a lesson of it (周一1 = 周一第1节); 禁排 "
     "(forbidden): periods it must not be in (最后一节, 周五下午)."),
    ("", ""),
    ("【单双周】单周上一门、双周上另一门的课", "单双周: a period with one subject in odd weeks, "
                                          "another in even weeks"),
    ("学期第1周是单周，第2周是双周，依此类推。每个单双周的节次写一行：班级、单周上的学科、双周上的学科。"
     "只在单周（或只在双周）上的课，另一格留空，那一周这节空着。",
     "Week 1 of the term is odd (单周), week 2 even (双周), and so on. One row per "
     "alternating period: class, the subject of odd weeks, the subject of even weeks; leave "
     "one blank for a subject of one week only (that week the period is free)."),
    ("两门课都要在任课表（或任课）里有，周课时按平均每周算：每周一节再加单周一节写 1.5，"
     "只在双周上写 0.5（任课表里写 王芳 1.5）。如 三(1)班 单周 地方与校本课程（1.5）、双周 书法（0.5）。",
     "Both subjects are lessons of the class in 任课表 or 任课, their periods a weekly "
     "average: one every week plus one in odd weeks is 1.5, even weeks only is 0.5 (王芳 1.5 "
     "in 任课表)."),
    ("体育课不能单双周；合班、分组的课也不能。",
     "PE cannot alternate, nor can a lesson of 合班 or 分组."),
    ("", ""),
    ("【场地】专用教室和操场", "场地: special rooms and the sports ground"),
    ("每个场地一行：名称、类型（ground 操场、lab 实验室、computer 机房、music 音乐教室、art 美术教室）、"
     "容量（同时能容纳几个班，操场可写 3；留空为 1）。普通教室不用填。",
     "One row per venue: name, kind, capacity (classes at once; blank = 1). Ordinary "
     "classrooms need no row."),
    ("", ""),
    ("填好保存后：jianfu check school.xlsx 检查填写；jianfu solve school.xlsx 排出课表。",
     "Then `jianfu check school.xlsx` checks the workbook and `jianfu solve school.xlsx` "
     "builds the timetable."),
)


def _help_sheet(ws: Worksheet) -> None:
    """说明: Chinese in column A, English beside it in B; headings bold on the header fill."""
    widths = {"A": 72, "B": 60}
    for col, width in widths.items():
        ws.column_dimensions[col].width = width
    for zh, en in HELP:
        ws.append([zh or None, en or None])
        row = ws.max_row
        heading = row == 1 or zh.startswith("【")
        for col, text in zip(widths, (zh, en)):
            cell = ws[f"{col}{row}"]
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.font = _font(14 if row == 1 else 10.5, bold=heading,
                              color=None if col == "A" or heading else "555555")
            if heading and row > 1:
                cell.fill = FILL["header"]
        # Excel does not grow a wrapped row by itself: about one line per width of text
        lines = max(_text_width(text) // (widths[col] - 2) + 1
                    for col, text in zip(widths, (zh, en)))
        ws.row_dimensions[row].height = 24 if row == 1 else 15 * lines
    _page_setup(ws, "1:1", landscape=True)


def _text_width(text: str) -> int:
    """Width of ``text`` in Excel's character units: a Chinese character is two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _header(ws: Worksheet, title_zh: Sequence[str], notes: Sequence[str], mark: str) -> None:
    ws.append([mark, *title_zh])
    ws.append(["note", *notes])
    for col in range(1, len(title_zh) + 2):
        top, note = ws.cell(1, col), ws.cell(2, col)
        top.font, top.fill, top.border, top.alignment = _font(bold=True), FILL["header"], BORDER, CENTER
        note.font, note.alignment = _font(9, italic=True, color="666666"), LEFT
        ws.column_dimensions[get_column_letter(col)].width = 8 if col == 1 else 18
    ws.freeze_panes = "B3"


def _text_cell(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return "、".join(str(v) for v in value)
    return value


def _append(ws: Worksheet, values: Sequence[Any], example: bool = False) -> None:
    ws.append([EXAMPLE_MARK if example else None, *(_text_cell(v) for v in values)])
    row = ws.max_row
    for col in range(1, len(values) + 2):
        cell = ws.cell(row, col)
        cell.font = _font(color="808080" if example else None)
        cell.border = BORDER
        cell.alignment = LEFT
        cell.number_format = "@"   # text: keeps 08:20 from becoming a time value
        if example:
            cell.fill = FILL["example"]


def _yes_no(value: Any) -> Any:
    return "是" if value is True else "否" if value is False else value


def _policy_text(value: Any) -> Any:
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False)
    return value


def school_rows(school: School) -> dict[str, list[list[Any]]]:
    """The rows of each sheet for ``school`` (学校 rows are ``[key, value]``)."""
    from .excel_matrix import weekly
    from .schoolfile import school_to_dict

    data = school_to_dict(school)
    rows: dict[str, list[list[Any]]] = {name: [] for name in ("学校", *COLUMNS)}
    rows["学校"] = [["学校名称", data["school"]], ["政策配置", data["profile"]],
                  ["上课日", list(data["days"])],
                  ["使用内置学科", _yes_no(data.get("builtin_subjects", True))]]
    rows["学校"] += [[key, _policy_text(value)] for key, value in (data.get("policy") or {}).items()]
    for sname, body in data["schedules"].items():
        for key, segments in body.items():
            for seg in segments:
                kind = SegmentKind(seg["kind"]).zh
                rows["作息时间"].append([sname, "每天" if key == "default" else key, kind,
                                     seg["start"], seg["end"], seg.get("label"),
                                     seg.get("counts_as")])
    for c in school.classes:
        rows["班级"].append([c.name, c.grade, school.schedules[c.schedule].name,
                           list(c.periods_per_day) if c.periods_per_day is not None else None,
                           None if c.head_teacher is None else school.teachers[c.head_teacher].name])
    for s in data.get("subjects") or []:
        rows["学科"].append([s["name"], s.get("english"), s.get("category"),
                           _yes_no(s.get("homework")), s.get("venue_kind"), s.get("part_of"),
                           s.get("forbidden")])
    for t in data["teachers"]:
        rows["教师"].append([t["name"], t.get("subjects") or None, t.get("max_periods_per_day"),
                           t.get("unavailable") or None, t.get("schools") or None,
                           [_wish_text(w) for w in t.get("wishes") or []] or None])
    for m in data.get("meetings") or []:
        rows["教研活动"].append([m["name"], m.get("subject"), m.get("teachers"), m["day"],
                             m.get("half"), m.get("start"), m.get("end")])
    for k in data.get("combined") or []:
        rows["合班"].append([k["name"], "; ".join(f"{c}:{subj}" for c, subj in k["members"]),
                           k.get("teacher"), k.get("venue_kind")])
    for k in data.get("split") or []:
        for group, value in k["groups"].items():
            subject, teacher = value if isinstance(value, list) else (None, value)
            rows["分组"].append([k["class"], k["subject"], group, subject, teacher,
                               k.get("venue_kind")])
    for b in data.get("blocks") or []:
        for group, value in b["groups"].items():
            subject, kind = None, None
            if isinstance(value, dict):
                subject, kind = value.get("subject"), value.get("venue_kind")
                teacher = value["teacher"]
            elif isinstance(value, list):
                subject, teacher = value
            else:
                teacher = value
            rows["走班"].append([b["name"], b["classes"], b["subject"], group,
                               None if subject == b["subject"] else subject, teacher, kind])
    for q in school.requirements:
        rows["任课"].append([school.classes[q.cls].name, school.subjects[q.subject].name,
                           school.teachers[q.teacher].name, weekly(q), q.doubles or None,
                           q.venue_kind, [x.text(school.days) for x in q.fixed] or None,
                           [x.text(school.days) for x in q.forbidden] or None])
    for k in data.get("alternate") or []:
        rows["单双周"].append([k["class"], k.get("odd"), k.get("even")])
    for v in data["venues"]:
        rows["场地"].append([v["name"], v["kind"], v.get("capacity", 1)])
    return rows


def _school_workbook(data: Mapping[str, list[list[Any]]] | None,
                     examples: Mapping[str, list[list[Any]]]) -> Workbook:
    wb = Workbook()
    help_ws = wb.active
    help_ws.title = "说明"
    _help_sheet(help_ws)

    ws = wb.create_sheet("学校")
    _header(ws, ["项目", "值", "说明 note"], ["key", "value", "English note"], "标记")
    ws.column_dimensions["B"].width, ws.column_dimensions["C"].width = 16, 40
    ws.column_dimensions["D"].width = 70
    given = {row[0]: row[1] for row in (data or {}).get("学校", [])}
    for key, zh, note, example in SCHOOL_KEYS:
        _append(ws, [zh, given.pop(zh, None), f"{note} — 示例 e.g. {example}"])
    for key, value in given.items():
        _append(ws, [key, value, "policy override 政策覆盖"])
    _append(ws, ["homework_cap_weekday", "[0, 0, 45, 45, 45, 45, 60, 60, 60]",
                 "policy override, e.g. 书面作业每日上限 per grade"], example=True)

    for name, columns in COLUMNS.items():
        if name == "任课":          # the matrix first: it is what most schools fill in
            _matrix_sheet(wb, data, examples)
        ws = wb.create_sheet(name)
        _header(ws, [zh for _, zh, _ in columns], [f"{key} — {note.split(': ', 1)[-1]}"
                                                     for key, _, note in columns], "标记")
        if name == "走班":     # several classes in one cell
            col = [key for key, _, _ in columns].index("classes") + 2
            ws.column_dimensions[get_column_letter(col)].width = 32
        for row in examples.get(name, []):
            _append(ws, row, example=True)
        for row in (data or {}).get(name, []):
            _append(ws, row)
        _dropdowns(ws, name)
    return wb


def _matrix_sheet(wb: Workbook, data: Mapping[str, list[list[Any]]] | None,
                  examples: Mapping[str, list[list[Any]]]) -> None:
    """The 任课表 sheet (``instances/excel_matrix.py``); ``data[MATRIX_SHEET]`` is the
    subject list, then the rows; the example is ``[class, {subject: cell}]``."""
    from .curriculum import SUBJECTS
    from .excel_matrix import MATRIX_SHEET, add_matrix_sheet

    given = (data or {}).get(MATRIX_SHEET)
    subjects = list(given[0]) if given else [s.name for s in SUBJECTS]
    rows = given[1:] if given else []
    shown = [[cls, *(cells.get(s) for s in subjects)] for cls, cells in examples.get(MATRIX_SHEET, [])]
    add_matrix_sheet(wb.create_sheet(MATRIX_SHEET), subjects, rows, shown, header=_header,
                     append=_append)


#: Dropdown lists (openpyxl data validation) per sheet and field: the allowed values, or a
#: range of another sheet; ``strict`` refuses anything else, otherwise the list suggests.
_VENUE_KINDS = ("ground", "lab", "computer", "music", "art")
_TEACHERS = "='教师'!$B$3:$B$2000"
_CLASSES = "='班级'!$B$3:$B$2000"
_SUBJECTS = "='任课表'!$C$1:$BZ$1"    # the matrix's subject headers: the school's subjects
DROPDOWNS: dict[str, tuple[tuple[str, Sequence[str] | str, bool], ...]] = {
    "作息时间": (("kind", [k.zh for k in SegmentKind], True),
             ("counts_as", ["不计", "学习", "体育活动"], False)),
    "班级": (("head_teacher", _TEACHERS, False),),
    "学科": (("category", [c.value for c in Category], True), ("homework", ["是", "否"], True),
           ("venue_kind", _VENUE_KINDS, False)),
    "合班": (("teacher", _TEACHERS, False), ("venue_kind", _VENUE_KINDS, False)),
    "分组": (("class", _CLASSES, False), ("subject", _SUBJECTS, False),
           ("group_subject", _SUBJECTS, False), ("teacher", _TEACHERS, False),
           ("venue_kind", _VENUE_KINDS, False)),
    # 班级 lists several classes in one cell: the list offers one, for a start
    "走班": (("classes", _CLASSES, False), ("subject", _SUBJECTS, False),
           ("group_subject", _SUBJECTS, False), ("teacher", _TEACHERS, False),
           ("venue_kind", _VENUE_KINDS, False)),
    "任课": (("class", _CLASSES, False), ("subject", _SUBJECTS, False),
           ("teacher", _TEACHERS, False), ("venue", "='场地'!$B$3:$B$2000", False)),
    "单双周": (("class", _CLASSES, False), ("odd", _SUBJECTS, False), ("even", _SUBJECTS, False)),
    "场地": (("kind", _VENUE_KINDS, False),),
}


def _dropdowns(ws: Worksheet, sheet: str) -> None:
    fields = [key for key, _, _ in COLUMNS[sheet]]
    for field, values, strict in DROPDOWNS.get(sheet, ()):
        if field not in fields:
            continue
        formula = values if isinstance(values, str) else '"' + ",".join(values) + '"'
        dv = DataValidation(type="list", formula1=formula, allow_blank=True,
                            showErrorMessage=strict)
        if strict:
            dv.error, dv.errorTitle = "请从下拉列表中选择 pick a value from the list", sheet
        ws.add_data_validation(dv)
        col = get_column_letter(fields.index(field) + 2)
        dv.add(f"{col}3:{col}2000")


def _examples() -> dict[str, list[list[Any]]]:
    rows = school_rows(example_school())
    event = ["小学作息", "周一", SegmentKind.EVENT.zh, "07:55", "08:15", "升旗仪式", "不计"]
    pick = {"作息时间": [*rows["作息时间"][:4], event], "班级": rows["班级"][:1],
            "学科": [["书法", "Calligraphy", "arts", "否", None, "艺术", None]],
            "教师": rows["教师"][:2],
            "合班": [["三年级体育合班", "三(1)班:体育与健康; 三(2)班:体育与健康", None, None]],
            # boys' and girls' PE; half the class 科学 while the other half has 外语
            "分组": [["三(1)班", "体育与健康", "男生", None, "陈刚", "ground"],
                   [None, None, "女生", None, "周老师", "ground"],
                   ["三(1)班", "科学", "A组", None, "赵敏", None],
                   [None, None, "B组", "外语", "张丽 <Zhang>", None]],
            # 外语 in levels over three parallel classes; a 社团 afternoon with a group's
            # own subject and venue
            "走班": [["三年级外语分层", "三(1)班、三(2)班、三(3)班", "外语", "A层", None,
                    "张丽 <Zhang>", None],
                   [None, None, None, "B层", None, "周老师", None],
                   [None, None, None, "C层", None, "吴老师", None],
                   ["三年级社团", "三(1)班、三(2)班", "地方与校本课程", "篮球社", None, "陈刚",
                    "ground"],
                   [None, None, None, "书法社", None, "王芳", None],
                   [None, None, None, "科创社", "科学", "赵敏", None]],
            "教研活动": [["语文组教研", "语文", None, "周二", "下午", None, None],
                     ["行政会", None, rows["教师"][0][0], "周一", None, "15:40", "17:00"]],
            "任课": rows["任课"][:2], "场地": rows["场地"][:1],
            # 单周 地方与校本课程, 双周 书法 (their 任课 periods 1.5 and 0.5)
            "单双周": [["三(1)班", "地方与校本课程", "书法"]]}
    from .excel_matrix import MATRIX_SHEET, matrix_rows

    subjects, matrix = matrix_rows(example_school())
    pick[MATRIX_SHEET] = [[matrix[0][0], dict(zip(subjects, matrix[0][1:]))]]
    return pick


def write_template(path: Path | str) -> Path:
    """Write a blank, documented school workbook with example rows (marked 示例)."""
    return _save(_school_workbook(None, _examples()), path)


def write_filled(path: Path | str, school: School, *, matrix: bool = False) -> Path:
    """Write ``school`` into the template's sheets: ``read_school_xlsx`` gives it back.

    ``matrix``: the teachers go into the 任课表 matrix (periods only where they differ
    from the curriculum) and 任课 keeps only the rows with 连堂, 场地类型, 固定 or 禁排;
    otherwise every requirement is a 任课 row and 任课表 is left empty.
    """
    from .excel_matrix import MATRIX_SHEET, extra_rows, matrix_rows

    rows = school_rows(school)
    subjects, grid = matrix_rows(school)
    rows[MATRIX_SHEET] = [subjects, *(grid if matrix else [])]   # the school's columns
    if matrix:
        rows["任课"] = extra_rows(school)
    return _save(_school_workbook(rows, _examples()), path)


# --- reading the school workbook ----------------------------------------------------------

_SPLIT = re.compile(r"[、,，;；\n]+")
_TRUE = {"是", "true", "yes", "y", "1", "✓", "√", "对"}
_FALSE = {"否", "false", "no", "n", "0", "×", "不"}


def _plain(value: Any) -> Any:
    """A cell value as the YAML reader would see it: text, whole numbers, HH:MM times."""
    if isinstance(value, _dt.datetime):
        return f"{value.hour:02d}:{value.minute:02d}"
    if isinstance(value, _dt.time):
        return f"{value.hour:02d}:{value.minute:02d}"
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"[+-]?\d+", text):
            return int(text)
        return text if text else None
    return value


def _clock_cell(value: Any) -> Any:
    if isinstance(value, float) and 0 <= value < 1:   # an Excel time serial
        minutes = round(value * 24 * 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    value = _plain(value)
    if isinstance(value, str) and re.fullmatch(r"\d:\d\d", value):
        return "0" + value
    return value


def _number_cell(value: Any) -> Any:
    """A number typed as text reads as the number: ``1.5`` (单双周) as well as ``5``."""
    value = _plain(value)
    if isinstance(value, str) and re.fullmatch(r"\d+\.\d*", value):
        return _plain(float(value))
    return value


def _bool_cell(value: Any) -> Any:
    value = _plain(value)
    key = str(value).strip().lower()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    return value


def _list_cell(value: Any) -> list[Any]:
    value = _plain(value)
    if value is None:
        return []
    if isinstance(value, str):
        return [_plain(v) for v in _SPLIT.split(value) if v.strip()]
    return [value]


_WISH = re.compile(r"^(避开|希望)\s*(.+?)\s*(?:[×xX*]\s*(\d+))?$")


def _wish_text(wish: dict[str, Any]) -> str:
    """A school file's wish as the 意愿 cell writes it: 避开周五下午×2, 希望周二上午."""
    verb, text = ("希望", wish["prefer"]) if "prefer" in wish else ("避开", wish["avoid"])
    return f"{verb}{text}" + (f"×{wish['weight']}" if "weight" in wish else "")


def _wishes_cell(value: Any) -> list[Any]:
    """避开周五下午×2、希望周二上午 → the school file's wishes; an entry it cannot read
    goes on as text, and the school file names it (``teachers[i].wishes[j]``)."""
    out: list[Any] = []
    for item in _list_cell(value):
        match = _WISH.match(str(item).strip())
        if match is None:
            out.append(item)
            continue
        wish: dict[str, Any] = {"prefer" if match.group(1) == "希望" else "avoid": match.group(2)}
        if match.group(3) is not None:
            wish["weight"] = int(match.group(3))
        out.append(wish)
    return out


def _policy_value(value: Any) -> Any:
    value = _plain(value)
    if isinstance(value, str):
        if value[:1] in "[{":
            from .schoolfile import load_yaml

            try:
                return load_yaml(value)
            except Exception:  # noqa: BLE001 - kept as text; load_policy names the problem
                return value
        if value.lower() in ("true", "false"):
            return value.lower() == "true"
        try:
            return float(value)
        except ValueError:
            return value
    return value


class _Places:
    """Where each field path of the school mapping came from: sheet, row, column."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.cells: dict[str, tuple[str, int, int | None, str]] = {}
        self.notes: dict[str, tuple[str, str]] = {}

    def add(self, path: str, sheet: str, row: int, col: int | None, field: str) -> None:
        self.cells.setdefault(path, (sheet, row, col, field))

    def at(self, sheet: str, row: int, col: int | None, field: str) -> str:
        """``school.xlsx: 分组!F4 (teacher)``, or the row when there is no column."""
        if col is None:
            return f"{self.source}: {sheet}!{row}行 row {row}"
        cell = f"{self.source}: {sheet}!{get_column_letter(col)}{row}"
        return f"{cell} ({field})" if field else cell

    def locate(self, path: str) -> str:
        probe = path
        while probe:
            if probe in self.cells:
                return self.at(*self.cells[probe])
            shorter = re.sub(r"(\.[^.\[\]]+|\[\d+\])$", "", probe)
            if shorter == probe:
                break
            probe = shorter
        return f"{self.source}: {path}"

    def note(self, path: str, text: str, on: str = "") -> None:
        """Add ``text`` to an error at exactly ``path`` whose problem says ``on``: how the
        workbook writes that field."""
        self.notes[path] = (text, on)

    def error(self, path: str, value: Any, problem: str) -> InputError:
        note, on = self.notes.get(path, ("", ""))
        return InputError(self.locate(path), value,
                          f"{problem}; {note}" if note and on in problem else problem)


#: Columns a sheet cannot do without (the school file's required fields).
REQUIRED_COLUMNS = {"作息时间": ("kind", "start", "end"), "班级": ("name", "grade"),
                    "学科": ("name",), "教师": ("name",), "教研活动": ("name", "day"),
                    "合班": ("name", "members"), "分组": ("class", "group", "teacher"),
                    "走班": ("name", "classes", "subject", "group", "teacher"),
                    "任课": ("class", "subject", "teacher"), "单双周": ("class",),
                    "场地": ("name", "kind")}
#: Sheets a school workbook cannot do without; 学科, 教研活动, 合班, 分组, 走班, 单双周 and 场地 may
#: be left out,
#: and one of 任课表 (the class × subject matrix) and 任课 (one row each) may be.
REQUIRED_SHEETS = ("学校", "作息时间", "班级", "教师")
TEACHING_SHEETS = ("任课表", "任课")


def _columns(ws: Worksheet, sheet: str, source: str) -> dict[str, int]:
    """Column of each field, found by the field names of row 2 (or the headers of row 1).

    A header that names no field (renamed or mistyped) and a required column that is
    missing are errors naming the sheet and cell: reading on would put values under
    the wrong field.
    """
    known = {key: zh for key, zh, _ in COLUMNS[sheet]}
    by_zh = {zh: key for key, zh in known.items()}
    found: dict[str, int] = {}
    for col in range(2, ws.max_column + 1):
        note = ws.cell(2, col).value
        key = str(note).split()[0].rstrip(":：") if note else ""
        header = str(ws.cell(1, col).value or "").strip()
        if key not in known:
            key = by_zh.get(header, header if header in known else "")
        if not key:
            if header:
                raise InputError(f"{source}: {sheet}!{get_column_letter(col)}1", header,
                                 f"未知的表头 unknown header; the columns of {sheet} are "
                                 + "、".join(f"{zh} ({k})" for k, zh in known.items()))
            continue
        if key in found:
            raise InputError(f"{source}: {sheet}!{get_column_letter(col)}1", header or key,
                             f"表头重复 this column is already at "
                             f"{get_column_letter(found[key])}1")
        found[key] = col
    for key in REQUIRED_COLUMNS[sheet]:
        if key not in found:
            raise InputError(f"{source}: {sheet}!1", known[key],
                             f"缺少表头 missing header column {known[key]} ({key}); "
                             f"keep rows 1 and 2 of the template")
    return found


def _data_rows(ws: Worksheet, cols: Mapping[str, int]) -> Iterable[tuple[int, dict[str, Any]]]:
    for row in range(3, ws.max_row + 1):
        if str(ws.cell(row, 1).value or "").strip() == EXAMPLE_MARK:
            continue
        values = {key: ws.cell(row, col).value for key, col in cols.items()}
        if all(_plain(v) is None for v in values.values()):
            continue
        yield row, values


# --- sheets of one row per group (分组, 走班) ---------------------------------------------------

@dataclass
class _Run:
    """The consecutive rows of a grouped sheet that make one item (a split, a block): the
    item's own fields, each ``(value, row it is written in)``, and one group per row."""

    sheet: str
    cols: Mapping[str, int]
    fields: dict[str, tuple[Any, int]]
    rows: list[tuple[int, dict[str, Any]]] = _field(default_factory=list)

    def value(self, name: str) -> Any:
        return self.fields.get(name, (None, 0))[0]

    def cell(self, name: str, row: int | None = None) -> tuple[str, int, int | None, str]:
        """Where field ``name`` is: in ``row``, else where the item has it, else its first row."""
        if row is None:
            row = self.fields.get(name, (None, self.rows[0][0]))[1]
        return self.sheet, row, self.cols.get(name), name


@dataclass(frozen=True, slots=True)
class _Grouped:
    """How a grouped sheet reads: the school file's ``key``; the ``keys`` columns that
    name an item (blank = as the row above; a change starts the next item); the item's
    ``shared`` columns (on any of its rows, the same wherever given); what one item is
    called (``noun``: 中文, English) and ``make``, which turns a run into the item. With
    ``unique``, keys seen again further down are an error at once (a 走班 name names one
    block; a lesson split twice is left to the School, which says so)."""

    key: str
    keys: tuple[str, ...]
    shared: tuple[str, ...]
    noun: tuple[str, str]
    make: Callable[[_Run, str, _Places], dict[str, Any]]
    unique: bool = False


def _runs(ws: Worksheet, spec: _Grouped, cols: Mapping[str, int], places: _Places
          ) -> list[_Run]:
    """The items of a grouped sheet, one run of consecutive rows each, one row per group."""
    runs: list[_Run] = []
    above: dict[str, tuple[Any, int]] = {}
    for row, v in _data_rows(ws, cols):
        here: dict[str, tuple[Any, int]] = {}
        for name in spec.keys:
            value = _plain(v.get(name))
            here[name] = (value, row) if value is not None else above.get(name, (None, row))
        if not runs or any(here[k][0] != runs[-1].value(k) for k in spec.keys):
            runs.append(_Run(ws.title, cols, dict(here)))
        run = runs[-1]
        for name in spec.shared:
            value = _plain(v.get(name))
            if value is None:
                continue
            if name in run.fields and run.fields[name][0] != value:
                first = f"{get_column_letter(cols[name])}{run.cell(name)[1]}"
                keys = "、".join(zh for key, zh, _ in COLUMNS[ws.title] if key in spec.keys)
                raise InputError(places.at(*run.cell(name, row)), value,
                                 f"与 {first} 的 {run.fields[name][0]!r} 不同：同一{spec.noun[0]}"
                                 f"的各行须一致，新的{spec.noun[0]}要写{keys} — differs from "
                                 f"{first} of the same {spec.noun[1]}; write it once, or the "
                                 f"same on every row (a new {spec.noun[1]} starts with its own "
                                 f"{keys})")
            run.fields.setdefault(name, (value, row))
        run.rows.append((row, v))
        above = here
    return runs


def _group_rows(run: _Run, path: str, places: _Places, noun: str
                ) -> list[tuple[str, Any, Any, int, dict[str, Any]]]:
    """The groups of ``run``, one a row: ``(组名, 组学科, 教师, row, values)``, with 组名
    and 教师 given and 组名 once; each group's fields located at its row (``path.groups.<组名>``)."""
    out: list[tuple[str, Any, Any, int, dict[str, Any]]] = []
    rows: dict[str, int] = {}
    for row, v in run.rows:
        group, subject, teacher = (_plain(v.get(k)) for k in ("group", "group_subject", "teacher"))
        for name, value in (("group", group), ("teacher", teacher)):
            if value is None:
                raise InputError(places.at(*run.cell(name, row)), "",
                                 "缺少必填字段 missing required field")
        group = str(group)
        if group in rows:
            raise InputError(places.at(*run.cell("group", row)), group,
                             f"组名重复 a group name given twice in this {noun} (also at "
                             f"{get_column_letter(run.cols['group'])}{rows[group]})")
        rows[group] = row
        where = f"{path}.groups.{group}"
        places.add(where, *run.cell("group", row))
        places.add(f"{where}.teacher", *run.cell("teacher", row))
        places.add(f"{where}.subject", *run.cell("group_subject" if subject is not None
                                                 else "subject", row))
        out.append((group, subject, teacher, row, v))
    return out


def _split_item(run: _Run, path: str, places: _Places) -> dict[str, Any]:
    """One 分组 split (the school file's ``split[i]``): 班级 and 学科 name the lesson
    split; each row is a group, ``组名: 教师`` or, with a 组学科, ``组名: [组学科, 教师]``."""
    places.add(path, run.sheet, run.rows[0][0], run.cols.get("subject", run.cols["class"]), "")
    item: dict[str, Any] = {}
    for name in ("class", "subject", "venue_kind"):
        places.add(f"{path}.{name}", *run.cell(name))
        if run.value(name) is not None:
            item[name] = run.value(name)
    places.add(f"{path}.groups", *run.cell("group", run.rows[0][0]))
    places.note(f"{path}.groups", "分组表每组一行，同一分组的行连着写、班级和学科相同 — one row "
                                  "per group, the rows of one split together with the same "
                                  "班级 and 学科", on="至少两组")
    item["groups"] = {group: teacher if subject is None else [subject, teacher]
                      for group, subject, teacher, _, _ in _group_rows(run, path, places, "split")}
    return item


#: 班级 of a 走班 row: class names in one cell, between 、 , ; or spaces.
_CLASS_LIST = re.compile(r"[、,，;；\s]+")


def _block_item(run: _Run, path: str, places: _Places) -> dict[str, Any]:
    """One 走班 block (the school file's ``blocks[i]``): 名称 names it, 班级 lists its
    classes in one cell, 学科 is the lesson it holds; each row is a group, ``组名: 教师``,
    ``组名: [组学科, 教师]`` or, with a 场地类型, ``组名: {teacher, subject, venue_kind}``."""
    places.add(path, *run.cell("name", run.rows[0][0]))
    item: dict[str, Any] = {}
    for name in ("name", "classes", "subject"):
        places.add(f"{path}.{name}", *run.cell(name))
    if run.value("name") is not None:
        item["name"] = str(run.value("name"))
    classes = run.value("classes")
    if classes is not None:
        item["classes"] = [_plain(c) for c in _CLASS_LIST.split(str(classes)) if c]
    if run.value("subject") is not None:
        item["subject"] = run.value("subject")
    places.add(f"{path}.groups", *run.cell("group", run.rows[0][0]))
    places.note(f"{path}.groups", "走班表每组一行，同一走班的行连着写 — one row per group, the "
                                  "rows of one block together under one 名称", on="至少两组")
    groups: dict[str, Any] = {}
    for group, subject, teacher, row, v in _group_rows(run, path, places, "block"):
        kind = _plain(v.get("venue_kind"))
        places.add(f"{path}.groups.{group}.venue_kind", *run.cell("venue_kind", row))
        if kind is not None:
            groups[group] = {"teacher": teacher, "venue_kind": kind,
                             **({} if subject is None else {"subject": subject})}
        else:
            groups[group] = teacher if subject is None else [subject, teacher]
    item["groups"] = groups
    return item


#: The grouped sheets (one row per group): each its COLUMNS and a function making the
#: school file's item of a run.
GROUPED_SHEETS: dict[str, _Grouped] = {
    "分组": _Grouped("split", ("class", "subject"), ("venue_kind",), ("分组", "split"),
                   _split_item),
    "走班": _Grouped("blocks", ("name",), ("classes", "subject"), ("走班", "block"),
                   _block_item, unique=True),
}


def _read_grouped(wb: Any, sheet: str, data: dict[str, Any], places: _Places) -> None:
    """Read grouped sheet ``sheet`` (``GROUPED_SHEETS``) into ``data``, if it is there."""
    ws = _sheet(wb, sheet, places.source)
    if ws is None:
        return
    spec = GROUPED_SHEETS[sheet]
    cols = _columns(ws, sheet, places.source)
    runs = _runs(ws, spec, cols, places)
    if spec.unique:
        first: dict[tuple[Any, ...], int] = {}
        for run in runs:
            key = tuple(run.value(k) for k in spec.keys)
            if None in key:
                continue
            if key in first:
                where = run.cell(spec.keys[0])
                raise InputError(places.at(*where), "、".join(map(str, key)),
                                 f"{spec.noun[0]}重复（第{first[key]}行已有）：同一{spec.noun[0]}"
                                 f"的各行须连着写 — this {spec.noun[1]} is also at row "
                                 f"{first[key]}; the rows of one {spec.noun[1]} go together")
            first[key] = run.rows[0][0]
    data[spec.key] = [spec.make(run, f"{spec.key}[{i}]", places) for i, run in enumerate(runs)]
    places.add(spec.key, sheet, 3, None, "")


def _sheet(wb: Any, name: str, source: str) -> Worksheet | None:
    return wb[name] if name in wb.sheetnames else None


def open_workbook(file: Path) -> Any:
    """The workbook at ``file`` (values, not formulas); every failure an InputError."""
    check_readable(file)
    try:
        return load_workbook(file, data_only=True)
    except (zipfile.BadZipFile, KeyError, EOFError) as exc:
        raise InputError(str(file), "", "不是有效的 Excel 工作簿（.xlsx），可能是 .xls 或已损坏 — not "
                         f"a valid .xlsx workbook (an old .xls, or damaged): {exc}") from None
    except OSError as exc:
        raise InputError(str(file), "", f"无法读取 cannot read: {exc.strerror or exc}") from None
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise InputError(str(file), "",
                         f"无法读取 Excel 文件 cannot read the workbook: {exc}") from None


def school_mapping(path: Path | str) -> tuple[dict[str, Any], _Places]:
    """Read the workbook into the school file's mapping and where each field came from."""
    file = Path(path)
    source = file.name
    wb = open_workbook(file)
    missing = [name for name in REQUIRED_SHEETS if name not in wb.sheetnames]
    if not any(name in wb.sheetnames for name in TEACHING_SHEETS):
        missing.append("/".join(TEACHING_SHEETS))
    if missing:
        raise InputError(source, "、".join(missing),
                         f"缺少工作表 missing sheet(s); a school workbook has the sheets "
                         f"{'、'.join(REQUIRED_SHEETS)} and 任课表 or 任课 (or both) "
                         f"(start from `jianfu template`)")
    places = _Places(source)
    data: dict[str, Any] = {}

    ws = _sheet(wb, "学校", source)
    assert ws is not None
    policy: dict[str, Any] = {}
    for row in range(3, ws.max_row + 1):
        if str(ws.cell(row, 1).value or "").strip() == EXAMPLE_MARK:
            continue
        key = _plain(ws.cell(row, 2).value)
        value = ws.cell(row, 3).value
        if key is None:
            continue
        key = str(key)
        field = _SCHOOL_ALIASES.get(key)
        if field is None:                       # any other key overrides a policy field
            if _plain(value) is None:
                continue
            policy[key] = _policy_value(value)
            places.add(f"policy.{key}", "学校", row, 3, key)
            continue
        places.add(field, "学校", row, 3, field)
        if _plain(value) is None:
            continue
        if field == "days":
            data["days"] = _list_cell(value)
        elif field == "builtin_subjects":
            data[field] = _bool_cell(value)
        else:
            data[field] = _plain(value)
    if policy:
        data["policy"] = policy
        places.add("policy", "学校", 3, 3, "policy")

    ws = _sheet(wb, "作息时间", source)
    data["schedules"] = schedule_mapping(ws, places) if ws is not None else {}
    places.add("schedules", "作息时间", 3, None, "")

    def table(sheet: str, key: str, convert: Mapping[str, Any]) -> None:
        ws = _sheet(wb, sheet, source)
        if ws is None:
            return
        cols = _columns(ws, sheet, source)
        items = []
        for row, v in _data_rows(ws, cols):
            i = len(items)
            places.add(f"{key}[{i}]", sheet, row, cols.get("name", cols.get("class")), "")
            item: dict[str, Any] = {}
            for field, col in cols.items():
                places.add(f"{key}[{i}].{field}", sheet, row, col, field)
                value = convert.get(field, _plain)(v[field])
                if value is not None and value != []:
                    item[field] = value
            items.append(item)
        data[key] = items
        places.add(key, sheet, 3, None, "")

    table("班级", "classes", {"periods_per_day": lambda x: _list_cell(x) or None})
    table("学科", "subjects", {"homework": lambda x: None if _plain(x) is None else _bool_cell(x),
                             "forbidden": _list_cell})
    table("教师", "teachers", {"subjects": _list_cell, "unavailable": _list_cell,
                             "schools": _list_cell, "wishes": _wishes_cell})
    table("教研活动", "meetings", {"subject": _list_cell, "teachers": _list_cell,
                               "start": _clock_cell, "end": _clock_cell})
    table("合班", "combined", {"members": _list_cell})
    for sheet in GROUPED_SHEETS:
        _read_grouped(wb, sheet, data, places)
    table("任课", "requirements", {"periods": _number_cell, "fixed": _list_cell,
                                 "forbidden": _list_cell})
    _read_matrix(wb, data, places)
    table("单双周", "alternate", {})
    table("场地", "venues", {})
    # schoolfile translates subject errors to names: point those at the 学科 rows too
    for i, s in enumerate(data.get("subjects", [])):
        if "name" in s:
            sheet, row, col, _ = places.cells[f"subjects[{i}]"]
            places.add(f"subjects.{s['name']}", sheet, row, col, "name")
    return data, places


def schedule_mapping(ws: Worksheet, places: _Places
                     ) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """The 作息时间 sheet as the school file's ``schedules`` mapping; ``places`` learns
    the cell of each field (also read alone, as the bell schedule of ``jianfu audit``)."""
    schedules: dict[str, dict[str, list[dict[str, Any]]]] = {}
    cols = _columns(ws, "作息时间", places.source)
    for row, v in _data_rows(ws, cols):
        name = _plain(v.get("schedule")) or "默认作息"
        day = _plain(v.get("day")) or "每天"
        key = "default" if day in ("每天", "default", "daily") else str(day)
        segs = schedules.setdefault(str(name), {}).setdefault(key, [])
        base = f"schedules.{name}.{key}[{len(segs)}]"
        places.add(f"schedules.{name}", "作息时间", row, cols.get("schedule"), "schedule")
        places.add(f"schedules.{name}.{key}", "作息时间", row, cols.get("day"), "day")
        places.add(base, "作息时间", row, None, "")
        seg: dict[str, Any] = {}
        for field in ("kind", "start", "end", "label", "counts_as"):
            if field in cols:
                places.add(f"{base}.{field}", "作息时间", row, cols[field], field)
            raw = v.get(field)
            cell = _clock_cell(raw) if field in ("start", "end") else _plain(raw)
            if cell is not None:
                seg[field] = str(cell) if field == "label" else cell
        segs.append(seg)
    return schedules


def _read_matrix(wb: Any, data: dict[str, Any], places: _Places) -> None:
    """Fold the 任课表 matrix into ``data["requirements"]`` with the 任课 rows
    (``instances/excel_matrix.py``), re-pointing each requirement's fields at its cells."""
    from .excel_matrix import MATRIX_SHEET, merge_matrix, read_matrix

    if MATRIX_SHEET not in wb.sheetnames:
        return
    teachers = {str(t["name"]) for t in data.get("teachers", []) if "name" in t}
    entries = read_matrix(wb[MATRIX_SHEET], places.source, teachers, _plain, EXAMPLE_MARK)
    if not entries:
        return
    rows = data.get("requirements", [])
    row_cells = []
    for i in range(len(rows)):
        prefix = f"requirements[{i}]"
        row_cells.append({k[len(prefix):]: places.cells.pop(k) for k in list(places.cells)
                          if k == prefix or k.startswith(prefix + ".")})
    items, cells = merge_matrix(entries, rows, row_cells, places.source)
    data["requirements"] = items
    for i, where in enumerate(cells):
        for suffix, cell in where.items():
            places.cells[f"requirements[{i}]{suffix}"] = cell
    places.add("requirements", MATRIX_SHEET, 3, None, "")


def read_school_xlsx(path: Path | str) -> School:
    """Read a filled school workbook; errors name the sheet, row and column.

    Raises
    ------
    InputError
        ``school.xlsx: 教师!D5 (max_periods_per_day): 'abc': 应为整数 expected a whole number``.
    """
    from .schoolfile import school_from_dict

    file = Path(path)
    data, places = school_mapping(file)
    marker = "\x00xlsx"
    try:
        return school_from_dict(data, marker, base_dir=file.parent)
    except InputError as exc:
        where = exc.where
        if where.startswith(marker):
            where = where[len(marker):].lstrip(": ")
        raise places.error(where, exc.value, exc.problem) from None


# =========================================================================================
# The timetable workbook (out)
# =========================================================================================

_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")
_PREFIX = {"class": "班级", "teacher": "教师", "venue": "场地", "homework": "作业"}


def sheet_names(school: School) -> dict[tuple[str, int], str]:
    """The sheet name of each (kind, index); kinds: class, teacher, venue, homework."""
    used = {"汇总"}
    out: dict[tuple[str, int], str] = {}
    groups = (("class", school.classes), ("teacher", school.teachers), ("venue", school.venues),
              ("homework", school.classes))
    for kind, items in groups:
        for i, item in enumerate(items):
            base = _BAD_SHEET.sub("_", f"{_PREFIX[kind]}-{item.name}")[:31].strip("'")
            name, n = base, 2
            while name in used:
                suffix = f"~{n}"
                name = base[:31 - len(suffix)] + suffix
                n += 1
            used.add(name)
            out[(kind, i)] = name
    return out


def _page_setup(ws: Worksheet, title_rows: str, landscape: bool = False) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5


_title = title


_GRID_WIDTHS = (9, 13, 16)   # 节次, 时间, each day (Excel character units)
_LINE_PT = 15                # the height of one line of 10.5 pt 宋体, with leading


def cell_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes in a wrapped cell ``width`` characters wide."""
    usable = max(1.0, width - 1)   # the cell's inner margins
    return sum(max(1, -(-_text_width(line) // int(usable))) for line in text.split("\n"))


def _grid_rows(ws: Worksheet, grid: Grid, row: int) -> int:
    """Write ``grid``'s header and rows from ``row``; return the next free row."""
    ndays = len(grid.days)
    width = 2 + ndays
    for col, text in enumerate(["节次", "时间", *grid.days], start=1):
        cell = ws.cell(row, col, text)
        _head(cell)
    row += 1
    for grid_row in grid.rows:
        ws.cell(row, 1, grid_row.label)
        ws.cell(row, 2, grid_row.time)
        fill = None if grid_row.is_period else FILL.get(grid_row.kind)
        for d in range(ndays):
            text = grid_row.cell_text(d)
            ws.cell(row, 3 + d, text or None)
        for col in range(1, width + 1):
            cell = ws.cell(row, col)
            cell.border, cell.alignment = BORDER, CENTER
            cell.font = _font(bold=col == 1)
            if fill is not None:
                cell.fill = fill
            elif col > 2 and grid_row.closed and grid_row.closed[col - 3]:
                cell.fill = FILL["closed"]
        if grid_row.merged:
            ws.merge_cells(start_row=row, start_column=3, end_row=row, end_column=width)
            texts = [(grid_row.cell_text(0), _GRID_WIDTHS[2] * ndays)]
        else:
            texts = [(grid_row.cell_text(d), _GRID_WIDTHS[2]) for d in range(ndays)]
        # Excel does not grow a row for wrapped text when it opens a file: the height is
        # set here from the lines every cell needs (课外体育活动 wraps in the label column)
        texts += [(grid_row.label, _GRID_WIDTHS[0]), (grid_row.time, _GRID_WIDTHS[1])]
        lines = max(cell_lines(text, w) for text, w in texts)
        ws.row_dimensions[row].height = max(20, _LINE_PT * lines + 4)
        row += 1
    for note in grid.notes:
        ws.cell(row, 1, note).font = _font(9, color="555555")
        row += 1
    return row


def _grid_sheet(ws: Worksheet, grid: Grid | Sequence[Grid]) -> None:
    """One grid on a sheet; a venue's grids (one per bell schedule) one below the other."""
    parts = [grid] if isinstance(grid, Grid) else list(grid)
    first = parts[0]
    ndays = len(first.days)
    width = 2 + ndays
    if len(parts) == 1:
        _title(ws, first.title, first.subtitle, width)
    else:
        _title(ws, f"{first.name} 使用表", "各作息时间不同，每表只列同一作息的班级 — the bells "
               "differ: each table lists the classes on one bell, at its times.", width)
    for col, w in zip("AB", _GRID_WIDTHS):
        ws.column_dimensions[col].width = w
    for d in range(ndays):
        ws.column_dimensions[get_column_letter(3 + d)].width = _GRID_WIDTHS[2]
    row = 3
    for i, part in enumerate(parts):
        if len(parts) > 1:
            if i:
                row += 1
            ws.cell(row, 1, f"{part.title} — {part.subtitle}").font = _font(11, bold=True)
            row += 1
        row = _grid_rows(ws, part, row)
    if len(parts) == 1:
        ws.freeze_panes = "C4"
        _page_setup(ws, "1:3")
    else:
        _page_setup(ws, "1:2")


def _summary_sheet(ws: Worksheet, school: School, policy: Policy, timetable: Timetable,
                   summary: Any, violations: Sequence[Any] | None,
                   names: Mapping[tuple[str, int], str], extra: Sequence[str] = ()) -> None:
    _title(ws, f"{school.name} 课表汇总", f"政策配置 profile {policy.name} · "
           f"{len(school.classes)} 个班 classes · {len(school.teachers)} 位教师 teachers · "
           f"{weekly_count((x.day, x.period, x.week) for x in timetable.lessons)} 节课 "
           f"lessons a week", 5)
    ws.column_dimensions["A"].width = 24
    for col in "BCDE":
        ws.column_dimensions[col].width = 16
    row = 4
    verdict = ws.cell(row, 1, "检查结果 Verdict")
    verdict.font = _font(bold=True)
    ws.cell(row, 2, summary_verdict(summary)).font = _font(
        bold=True, color="006100" if summary is not None and summary.compliant else "9C0006")
    ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=5)
    row += 2

    def table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        nonlocal row
        for col, text in enumerate(header, start=1):
            cell = ws.cell(row, col, text)
            _head(cell)
        row += 1
        for values in rows:
            for col, value in enumerate(values, start=1):
                cell = ws.cell(row, col, value)
                cell.font, cell.border, cell.alignment = _font(), BORDER, LEFT if col <= 2 else CENTER
            row += 1
        row += 1

    hard = hard_rows(summary)
    if hard:
        table(["硬性规则 Hard rule", "中文", "违规数 count"], hard)
    if violations:
        table(["硬性违规 Hard violations", "", "", "", ""],
              [[v.message] for v in violations if v.hard][:200])
    soft = summary_rows(summary)
    if soft:
        table(["软规则 Soft rule", "中文", "单位 units", "权重 weight", "代价 cost"],
              [[r, zh, u, w, c] for r, zh, u, w, c in soft] +
              [["合计 total", "", "", "", summary.objective]])
    ws.cell(row, 1, "工作表 Sheets").font = _font(bold=True)
    row += 1
    for name in [*extra, *(n for (kind, _), n in names.items()
                           if kind != "homework" or n in ws.parent.sheetnames)]:
        cell = ws.cell(row, 1, name)
        cell.hyperlink = f"#'{name}'!A1"
        cell.font = _font(color="0563C1")
        row += 1
    _page_setup(ws, "1:2")


def write_workbook(path: Path | str, school: School, policy: Policy, timetable: Timetable,
                   plan: Any = None, summary: Any = None, *,
                   violations: Sequence[Any] | None = None) -> Path:
    """Write the timetable workbook (课表.xlsx); return its path.

    Sheets: 汇总 (the checker's verdict and soft-rule table, links to every sheet), the
    whole-school tables (总课表, 教师总课表, 课时统计, 开课统计, 空闲表:
    :mod:`jianfu.instances.overview_write`), one per class (班级-…), teacher (教师-…) and
    venue (场地-…), and with ``plan`` one homework sheet per class (作业-…).
    """
    names = sheet_names(school)
    wb = Workbook()
    summary_ws = wb.active
    summary_ws.title = "汇总"
    for c in range(len(school.classes)):
        _grid_sheet(wb.create_sheet(names[("class", c)]), class_grid(school, timetable, c))
    for t in range(len(school.teachers)):
        _grid_sheet(wb.create_sheet(names[("teacher", t)]), teacher_grid(school, timetable, t))
    for v in range(len(school.venues)):
        _grid_sheet(wb.create_sheet(names[("venue", v)]), venue_grids(school, timetable, v))
    if plan is not None:
        from .views import homework_tables

        for c, table in enumerate(homework_tables(school, policy, plan)):
            _homework_sheet(wb.create_sheet(names[("homework", c)]), table)
    from .overview_write import add_overview_sheets   # 总课表, 课时统计 … after 汇总

    overview = add_overview_sheets(wb, school, policy, timetable)
    _summary_sheet(summary_ws, school, policy, timetable, summary, violations, names, overview)
    # what was written: a hand edit of the 总课表 or of the class sheets is told apart by it
    wb.custom_doc_props.append(StringProperty(name=DIGEST_PROPERTY,
                                              value=lessons_digest(school, timetable)))
    return _save(wb, path)


#: The workbook's custom document property holding :func:`~.views.lessons_digest` of the
#: timetable it was written with.
DIGEST_PROPERTY = "jianfu.lessons"


def written_digest(wb: Any) -> str | None:
    """The lessons' fingerprint a jianfu workbook was written with, else ``None``."""
    return next((p.value for p in wb.custom_doc_props.props if p.name == DIGEST_PROPERTY),
                None)


def _homework_sheet(ws: Worksheet, table: Any) -> None:
    """Subjects down, days across, minutes in the cells, the day's total and cap below."""
    ndays = len(table.days)
    width = 1 + ndays
    _title(ws, table.title, table.subtitle, width)
    for col, text in enumerate(["学科", *table.days], start=1):
        cell = ws.cell(3, col, text)
        _head(cell)
    ws.column_dimensions["A"].width = 16
    for d in range(ndays):
        ws.column_dimensions[get_column_letter(2 + d)].width = 12
    row = 4
    for label, values, bold in table.rows:
        ws.cell(row, 1, label)
        for d, value in enumerate(values):
            ws.cell(row, 2 + d, value)
        for col in range(1, width + 1):
            cell = ws.cell(row, col)
            cell.border, cell.alignment, cell.font = BORDER, CENTER, _font(bold=bold)
        row += 1
    for note in table.notes:
        ws.cell(row + 1, 1, note).font = _font(9, color="555555")
        row += 1
    _page_setup(ws, "1:3")
