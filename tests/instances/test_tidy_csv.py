"""Tidy CSV (UTF-8 with BOM) and the export dispatcher the CLI calls."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from jianfu.instances.export import export
from jianfu.instances.tidy_csv import (HEADERS, HOMEWORK_COLUMNS, HOMEWORK_HEADERS,
                                      LESSON_COLUMNS, LESSON_HEADERS, write_tidy)
from jianfu.models.errors import InputError
from jianfu.models.homework import HomeworkEntry, HomeworkMetrics, HomeworkPlan, plan_days
from .people_fixtures import make_plan


def test_lessons_csv_one_row_per_lesson_with_bom(tmp_path, school, timetable):
    lessons, = write_tidy(tmp_path, school, timetable)
    assert lessons.name == "lessons.csv"
    assert lessons.read_bytes().startswith(b"\xef\xbb\xbf")       # Excel sees UTF-8
    frame = pd.read_csv(lessons, encoding="utf-8-sig", keep_default_na=False)
    assert tuple(frame.columns) == LESSON_HEADERS
    assert lessons.read_text(encoding="utf-8-sig").startswith(
        "学校 school,班级 class,年级 grade,星期 day,节次 period,开始 start,结束 end,学科 subject,"
        "教师 teacher,场地 venue,单双周 week,分组 group\n")
    frame = frame.rename(columns={v: k for k, v in HEADERS.items()})
    assert tuple(frame.columns) == LESSON_COLUMNS
    assert len(frame) == len(timetable.lessons)
    first = timetable.at(0, 0, 0)
    row = frame[(frame["class"] == "三(1)班") & (frame["day"] == "周一") & (frame["period"] == 1)]
    assert row.iloc[0].to_dict() == {
        "school": "示范小学", "class": "三(1)班", "grade": 3, "day": "周一", "period": 1,
        "start": "08:20", "end": "09:00", "subject": school.subjects[first.subject].name,
        "teacher": school.teachers[first.teacher].name,
        "venue": school.venues[first.venue].name if first.venue is not None else "",
        "week": "", "group": ""}
    assert frame.groupby("class").size().to_dict() == {"三(1)班": 30, "三(2)班": 30}
    assert set(frame.loc[frame["subject"] == "体育与健康", "venue"]) == {"操场"}


def test_homework_csv_one_row_per_cell(tmp_path, school, timetable):
    plan = make_plan(school)
    files = write_tidy(tmp_path, school, timetable, plan)
    assert [p.name for p in files] == ["lessons.csv", "homework.csv"]
    frame = pd.read_csv(files[1], encoding="utf-8-sig")
    assert tuple(frame.columns) == HOMEWORK_HEADERS
    frame = frame.rename(columns={v: k for k, v in HEADERS.items()})
    assert tuple(frame.columns) == HOMEWORK_COLUMNS
    assert len(frame) == len(plan.entries) == 4
    monday = frame[(frame["class"] == "三(1)班") & (frame["day"] == "周一")]
    assert monday["minutes"].sum() == 35
    assert set(frame["daily_cap"]) == {60} and not frame["weekend"].any()


def test_export_all_writes_every_format(tmp_path, school, timetable):
    written = export(tmp_path, school, school.policy(), timetable, make_plan(school), fmt="all",
                     term_start=date(2026, 9, 1), term_end=date(2027, 1, 15))
    rel = {p.relative_to(tmp_path).as_posix() for p in written}
    assert {"timetable.xlsx", "site/index.html", "site/homework-001.html", "lessons.csv",
            "homework.csv", "calendars/教师-王芳.ics"} <= rel
    assert all(p.is_file() for p in written)


def test_export_single_format_and_destination(tmp_path, school, timetable):
    written = export(tmp_path, school, school.policy(), timetable, fmt="xlsx",
                     dest=tmp_path / "out" / "课表.xlsx")
    assert written == [tmp_path / "out" / "课表.xlsx"] and written[0].is_file()
    # without term dates, `all` leaves the calendars out
    rel = {p.relative_to(tmp_path).as_posix()
           for p in export(tmp_path / "b", school, school.policy(), timetable, fmt="all")}
    assert not any(r.startswith("b/calendars") for r in rel)


def test_export_bad_requests_are_input_errors(tmp_path, school, timetable):
    with pytest.raises(InputError):
        export(tmp_path, school, school.policy(), timetable, fmt="doc")
    with pytest.raises(InputError):
        export(tmp_path, school, school.policy(), timetable, fmt="ics")


def test_weekend_bucket_and_over_cap_evenings(tmp_path, school, timetable):
    from jianfu.instances.views import homework_tables
    from jianfu.models.homework import WEEKEND

    subjects = tuple(s.name for s in school.subjects)
    s = {n: i for i, n in enumerate(subjects)}
    days = plan_days(school, True)
    assert days[-1] == WEEKEND
    entries = (HomeworkEntry(0, 0, s["语文"], 40), HomeworkEntry(0, 0, s["数学"], 30),
               HomeworkEntry(0, 5, s["数学"], 20))
    plan = HomeworkPlan(school=school.name, profile="panjin", days=days, weekend=True,
                        classes=tuple(c.name for c in school.classes), subjects=subjects,
                        entries=entries, targets=(), metrics=HomeworkMetrics(*([0] * 13)))
    policy = school.policy("panjin")                     # 45 minutes for grade 3
    table = homework_tables(school, policy, plan)[0]
    assert table.days == days
    assert [e.total for e in table.evenings] == [70, 0, 0, 0, 0, 20]
    assert [e.over for e in table.evenings] == [True] + [False] * 5
    assert [e.cap for e in table.evenings] == [45] * 6
    frame = pd.read_csv(write_tidy(tmp_path, school, timetable, plan, policy)[1],
                        encoding="utf-8-sig").rename(columns={v: k for k, v in HEADERS.items()})
    assert frame.loc[frame["day"] == WEEKEND, "weekend"].tolist() == [True]
    assert set(frame["daily_cap"]) == {45}


def test_lessons_csv_says_the_week_of_a_lesson_every_other_week(tmp_path, school, timetable):
    from dataclasses import replace

    from jianfu.models.timetable import Timetable

    first, second = timetable.lessons[:2]
    cycle = Timetable((replace(first, week=1), replace(first, subject=second.subject,
                                                       teacher=second.teacher, venue=None, week=2))
                      + timetable.lessons[2:], timetable.sessions)
    lessons, = write_tidy(tmp_path, school, cycle)
    frame = pd.read_csv(lessons, encoding="utf-8-sig", keep_default_na=False)
    assert frame["单双周 week"].value_counts().to_dict() == {"": len(cycle.lessons) - 2, "单": 1, "双": 1}


def test_oral_work_of_grade_one_in_the_publication_and_the_csv(tmp_path) -> None:
    from jianfu.instances.html_site import write_site_files
    from jianfu.instances.tidy_csv import homework_frame
    from jianfu.instances.views import homework_tables
    from jianfu.solver.homework.plan import plan_homework

    from builders import homework_school, round_robin_timetable

    school = homework_school((1, 3), "chengnan")
    tt = round_robin_timetable(school)
    policy = school.policy()
    plan = plan_homework(school, tt)
    first, third = homework_tables(school, policy, plan)
    labels = [label for label, _, _ in first.rows]
    assert labels[:2] == ["合计 total", "上限 cap"] and "口头合计 oral total" in labels
    limit = dict((label, values) for label, values, _ in first.rows)["口头上限 oral limit"]
    assert set(limit) == {15}
    assert all(len(e.oral) == 1 and e.total == 0 for e in first.evenings)   # one subject a day
    assert any("每天只布置 1 科" in n for n in first.notes)
    assert not any("口头" in label for label, _, _ in third.rows)
    frame = homework_frame(school, plan, policy)
    oral = frame[frame["kind"] == "口头"]
    assert set(oral["class"]) == {"1年级1班"} and set(oral["daily_cap"]) == {15}
    assert set(frame.loc[frame["kind"] == "书面", "class"]) == {"3年级1班"}
    page = next(p for p in write_site_files(tmp_path, school, policy, tt, plan)
                if p.name.startswith("homework"))
    assert 'data-kind="口头"' in page.read_text(encoding="utf-8")
