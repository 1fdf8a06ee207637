"""The homework checker: each rule holds on a clean plan and breaks exactly N times."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from jianfu.models.errors import InputError
from jianfu.models.homework import (WEEKEND, HomeworkEntry, HomeworkMetrics, HomeworkPlan,
                                    LogRow)
from jianfu.models.homework_check import (HOMEWORK_RULES, audit_log, check_homework,
                                          format_audit, format_homework_violations)
from jianfu.models.policy import load_policy
from jianfu.models.school import (BellSchedule, Category, DaySchedule, Requirement, School,
                                  SchoolClass, Segment, SegmentKind, Subject, Teacher)
from jianfu.models.timetable import Lesson, Timetable

DAYS = ("周一", "周二", "周三", "周四", "周五")
ZH, MA, MU, EN = 0, 1, 2, 3          # 语文, 数学, 音乐 (no written homework), 外语


def _school() -> School:
    day = DaySchedule((Segment(SegmentKind.LESSON, 480, 520), Segment(SegmentKind.BREAK, 520, 530),
                       Segment(SegmentKind.LESSON, 530, 570)))
    subjects = (Subject("语文", "Chinese", Category.MAIN, homework=True),
                Subject("数学", "Maths", Category.MAIN, homework=True),
                Subject("音乐", "Music", Category.ARTS),
                Subject("外语", "English", Category.MAIN, homework=True))
    classes = (SchoolClass("三年级1班", 3), SchoolClass("一年级1班", 1))
    reqs = (Requirement(0, ZH, 0, 3), Requirement(0, MA, 0, 1), Requirement(0, MU, 0, 1),
            Requirement(0, EN, 0, 1), Requirement(1, ZH, 0, 1))
    return School("测试小学", DAYS, (BellSchedule("默认", tuple(day for _ in DAYS)),), subjects,
                  classes, (Teacher("王老师"),), (), reqs)


# 三年级1班: 语文 Mon Tue Fri, 数学 Mon, 音乐 Wed, 外语 Thu; 一年级1班: 语文 Mon
TIMETABLE = Timetable((Lesson(0, 0, 0, ZH, 0), Lesson(0, 1, 0, ZH, 0), Lesson(0, 4, 0, ZH, 0),
                       Lesson(0, 0, 1, MA, 0), Lesson(0, 2, 0, MU, 0), Lesson(0, 3, 1, EN, 0),
                       Lesson(1, 0, 0, ZH, 0)))

METRICS = HomeworkMetrics(0.0, 0, 0, 0.0, 0.0, 0.0, 0.0, 0, 0.0, 0.0, 0.0, 0, 0.0)


def _plan(entries, weekend: bool = False) -> HomeworkPlan:
    school = _school()
    days = DAYS + ((WEEKEND,) if weekend else ())
    return HomeworkPlan(school.name, "national", days, weekend,
                        tuple(c.name for c in school.classes),
                        tuple(s.name for s in school.subjects),
                        tuple(HomeworkEntry(*e) for e in entries), (), METRICS)


CLEAN = [(0, 0, ZH, 30), (0, 0, MA, 25), (0, 1, ZH, 40), (0, 3, EN, 20), (0, 4, ZH, 35)]


def _rules(violations) -> list[str]:
    return sorted(v.rule for v in violations)


def test_clean_plan_has_no_violation() -> None:
    assert check_homework(_school(), load_policy("national"), TIMETABLE, _plan(CLEAN)) == []
    assert "complies" in format_homework_violations([])


def test_daily_cap_broken_once() -> None:
    plan = _plan([(0, 0, ZH, 40), (0, 0, MA, 30)])       # 70 > 60
    found = check_homework(_school(), load_policy("national"), TIMETABLE, plan)
    assert _rules(found) == ["homework_daily_cap"]
    assert found[0].amount == 10 and found[0].cls == "三年级1班" and found[0].day == "周一"
    # panjin's cap is 45: the clean Tuesday (40) holds, Monday 55 does not
    found = check_homework(_school(), load_policy("panjin"), TIMETABLE, _plan(CLEAN))
    assert [(v.rule, v.day, v.amount) for v in found] == [("homework_daily_cap", "周一", 10)]


def test_eligibility_broken_by_untaught_day_and_non_written_subject() -> None:
    plan = _plan(CLEAN + [(0, 2, MA, 10), (0, 2, MU, 10)])   # 数学 not taught Wed; 音乐 never
    found = check_homework(_school(), load_policy("national"), TIMETABLE, plan)
    assert _rules(found) == ["homework_eligibility", "homework_eligibility"]
    assert {v.subject for v in found} == {"数学", "音乐"}
    assert "不布置书面作业" in next(v.message for v in found if v.subject == "音乐")


def test_weekend_bucket_only_for_last_school_days_subjects() -> None:
    ok = _plan(CLEAN + [(0, 5, ZH, 30)], weekend=True)        # 语文 is taught on Friday
    policy = dataclasses.replace(load_policy("national"), weekend_controlled=True)
    assert check_homework(_school(), policy, TIMETABLE, ok) == []
    bad = _plan(CLEAN + [(0, 5, MA, 30)], weekend=True)       # 数学 is not
    found = check_homework(_school(), policy, TIMETABLE, bad)
    assert _rules(found) == ["homework_eligibility"] and found[0].day == WEEKEND


def test_lower_grades_get_no_written_homework() -> None:
    plan = _plan(CLEAN + [(1, 0, ZH, 10)])
    found = check_homework(_school(), load_policy("national"), TIMETABLE, plan)
    # the grade-1 cap is 0 too, so the daily cap breaks as well
    assert _rules(found) == ["homework_daily_cap", "homework_lower_grades"]
    assert next(v for v in found if v.rule == "homework_lower_grades").amount == 10


def test_subject_cap_broken_once() -> None:
    policy = dataclasses.replace(load_policy("national"), subject_homework_caps=(("语文", 35),))
    found = check_homework(_school(), policy, TIMETABLE, _plan(CLEAN))     # Tue 语文 40
    assert _rules(found) == ["homework_subject_cap"]
    assert found[0].amount == 5 and found[0].day == "周二"


def test_evening_rule_broken_by_two_of_one_group() -> None:
    policy = load_policy("chengnan")
    found = check_homework(_school(), policy, TIMETABLE, _plan(CLEAN))     # Mon 语文 + 数学
    assert _rules(found) == ["homework_evening"]
    assert found[0].day == "周一" and found[0].amount == 1
    fine = _plan([e for e in CLEAN if e[2] != MA])
    assert check_homework(_school(), policy, TIMETABLE, fine) == []
    # the national profile has no evening rule
    assert check_homework(_school(), load_policy("national"), TIMETABLE, _plan(CLEAN)) == []


def test_grid_broken_once() -> None:
    plan = _plan([(0, 0, ZH, 12), (0, 1, ZH, 20)])
    found = check_homework(_school(), load_policy("national"), TIMETABLE, plan)
    assert _rules(found) == ["homework_grid"]


def test_rules_table_lists_every_rule_once() -> None:
    ids = [r[0] for r in HOMEWORK_RULES]
    assert ids == ["homework_daily_cap", "homework_eligibility", "homework_lower_grades",
                   "homework_subject_cap", "homework_evening", "homework_grid"]


def test_plan_validation_names_the_field() -> None:
    with pytest.raises(InputError, match=r"entries\[0\].subject"):
        _plan([(0, 0, 9, 10)])
    with pytest.raises(InputError, match="twice"):
        _plan([(0, 0, ZH, 10), (0, 0, ZH, 15)])
    with pytest.raises(InputError, match="weekend"):
        HomeworkPlan("x", "national", DAYS, True, ("a",), ("b",), (), (), METRICS)
    other = dataclasses.replace(_school(), classes=(SchoolClass("别的班", 3),), requirements=())
    with pytest.raises(ValueError, match="classes"):
        check_homework(other, load_policy("national"), Timetable(()), _plan(CLEAN))


def test_audit_flags_over_cap_evenings_by_class_and_grade() -> None:
    school = _school()
    mon, tue = dt.date(2026, 11, 16), dt.date(2026, 11, 17)
    sat, sun = dt.date(2026, 11, 21), dt.date(2026, 11, 22)
    rows = [LogRow(mon, 0, ZH, 40, 1), LogRow(mon, 0, MA, 30, 2),      # 70 > 60
            LogRow(tue, 0, ZH, 60, 3),                                  # = cap: fine
            LogRow(sat, 0, ZH, 30, 4), LogRow(sun, 0, EN, 40, 5),       # weekend 70 > 60
            LogRow(mon, 1, ZH, 5, 6)]                                   # grade 1: cap 0
    result = audit_log(school, load_policy("national"), rows)
    assert len(result.days) == 4 and not result.ok
    over = {(a.cls, a.label): a.over for a in result.over_cap}
    assert over == {(0, "2026-11-16"): 10, (0, f"2026-W47 {WEEKEND}"): 10,
                    (1, "2026-11-16"): 5}
    assert result.by_class == (("三年级1班", 3, 2), ("一年级1班", 1, 1))
    assert result.by_grade == ((1, 1, 1), (3, 3, 2))
    text = format_audit(result, school)
    assert "超量公示" in text and "三年级1班" in text and "2026-11-16" in text
    clean = audit_log(school, load_policy("national"), rows[2:3])
    assert clean.ok and "超量公示" not in format_audit(clean, school)


def test_log_row_validation() -> None:
    with pytest.raises(InputError, match="row 3.minutes"):
        LogRow(dt.date(2026, 1, 5), 0, 0, -5, 3)
