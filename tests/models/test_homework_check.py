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


def _plan(entries, weekend: bool = False, oral=()) -> HomeworkPlan:
    school = _school()
    days = DAYS + ((WEEKEND,) if weekend else ())
    return HomeworkPlan(school.name, "national", days, weekend,
                        tuple(c.name for c in school.classes),
                        tuple(s.name for s in school.subjects),
                        tuple(HomeworkEntry(*e) for e in entries), (), METRICS,
                        oral=tuple(HomeworkEntry(*e) for e in oral))


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
                   "homework_subject_cap", "homework_evening", "homework_grid",
                   "homework_oral_limit", "homework_oral_subjects", "homework_oral_eligibility"]


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


# --- grades 1–2: oral/practical homework -----------------------------------------------
# 一年级1班 (class 1) has 语文 Mon..Fri, 数学 Mon and Wed, 音乐 Tue in _lower_timetable.

def _lower_timetable() -> Timetable:
    return Timetable(TIMETABLE.lessons + tuple(
        Lesson(1, d, 0, ZH, 0) for d in (1, 2, 3, 4)) + (
        Lesson(1, 0, 1, MA, 0), Lesson(1, 2, 1, MA, 0), Lesson(1, 1, 1, MU, 0)))


ORAL_CLEAN = [(1, 0, ZH, 10), (1, 1, ZH, 15), (1, 2, MA, 10), (1, 4, ZH, 5)]


def test_oral_plan_within_the_rules_is_clean() -> None:
    tt = _lower_timetable()
    for profile in ("national", "chengnan"):
        fine = _plan([e for e in CLEAN if e[2] != MA], oral=ORAL_CLEAN)
        assert check_homework(_school(), load_policy(profile), tt, fine) == []
    # 音乐 is taught on Tuesday: a practical task (a song) is allowed there
    song = _plan(CLEAN, oral=[(1, 1, MU, 10)])
    assert check_homework(_school(), load_policy("national"), tt, song) == []


def test_oral_limit_broken_once() -> None:
    plan = _plan(CLEAN, oral=ORAL_CLEAN + [(1, 3, ZH, 20)])        # Thu 20 > 15
    found = check_homework(_school(), load_policy("national"), _lower_timetable(), plan)
    assert _rules(found) == ["homework_oral_limit"]
    assert (found[0].cls, found[0].day, found[0].amount) == ("一年级1班", "周四", 5)
    assert "口头/实践作业 20 分钟" in found[0].message and "15" in found[0].message
    zero = dataclasses.replace(load_policy("national"), lower_grades_oral_minutes=0)
    found = check_homework(_school(), zero, _lower_timetable(), _plan(CLEAN, oral=ORAL_CLEAN))
    assert _rules(found) == ["homework_oral_limit"] * 4


def test_oral_subjects_broken_once_under_chengnan_only() -> None:
    two = ORAL_CLEAN + [(1, 0, MA, 5)]                          # Mon 语文 10 + 数学 5
    plan = _plan([e for e in CLEAN if e[2] != MA], oral=two)
    found = check_homework(_school(), load_policy("chengnan"), _lower_timetable(), plan)
    assert _rules(found) == ["homework_oral_subjects"]
    assert (found[0].day, found[0].amount) == ("周一", 1)
    assert "语文、数学" in found[0].message and "1 科" in found[0].message
    assert check_homework(_school(), load_policy("national"), _lower_timetable(), plan) == []


def test_oral_eligibility_broken_by_untaught_day_and_upper_grade() -> None:
    plan = _plan(CLEAN, oral=ORAL_CLEAN + [(1, 3, MA, 5), (0, 0, ZH, 10)])
    found = check_homework(_school(), load_policy("national"), _lower_timetable(), plan)
    assert _rules(found) == ["homework_oral_eligibility"] * 2
    assert {(v.cls, v.subject) for v in found} == {("一年级1班", "数学"), ("三年级1班", "语文")}
    assert "当天没有课" in next(v.message for v in found if v.cls == "一年级1班")


def test_oral_minutes_on_the_grid() -> None:
    plan = _plan(CLEAN, oral=[(1, 0, ZH, 7)])
    found = check_homework(_school(), load_policy("national"), _lower_timetable(), plan)
    assert _rules(found) == ["homework_grid"] and "口头作业" in found[0].message


MON, TUE, WED, THU = (dt.date(2026, 11, 16 + i) for i in range(4))
SAT, SUN = dt.date(2026, 11, 21), dt.date(2026, 11, 22)


def test_audit_finds_an_over_limit_oral_day() -> None:
    rows = [LogRow(MON, 1, ZH, 10, 2, oral=True), LogRow(TUE, 1, ZH, 15, 3, oral=True),
            LogRow(WED, 1, ZH, 10, 4, oral=True), LogRow(WED, 1, MA, 10, 5, oral=True)]
    result = audit_log(_school(), load_policy("national"), rows)    # Wed 20 > 15
    assert [(v.rule, v.day, v.amount) for v in result.violations] == [
        ("homework_oral_limit", "2026-11-18", 5)]
    assert not result.ok and not result.over_cap      # oral minutes are not written minutes
    assert [a.oral for a in result.days] == [10, 15, 20]
    text = format_audit(result, _school())
    assert "[homework_oral_limit]" in text and "超过一二年级每日上限 15 分钟" in text


def test_audit_finds_two_oral_subjects_under_chengnan() -> None:
    rows = [LogRow(MON, 1, ZH, 5, 2, oral=True), LogRow(MON, 1, MA, 5, 3, oral=True),
            LogRow(TUE, 1, ZH, 10, 4, oral=True), LogRow(WED, 1, MA, 5, 5, oral=True),
            LogRow(WED, 1, MU, 5, 6, oral=True), LogRow(THU, 1, ZH, 5, 7, oral=True),
            LogRow(THU, 1, ZH, 5, 8, oral=True)]                  # one subject, two rows
    result = audit_log(_school(), load_policy("chengnan"), rows)
    found = [(v.rule, v.day, v.amount) for v in result.violations]
    assert found == [("homework_oral_subjects", "2026-11-16", 1),
                     ("homework_oral_subjects", "2026-11-18", 1)]
    assert audit_log(_school(), load_policy("national"), rows).ok


def test_audit_finds_written_homework_in_grade_2() -> None:
    school = dataclasses.replace(_school(), classes=(SchoolClass("三年级1班", 3),
                                                     SchoolClass("二年级1班", 2)))
    rows = [LogRow(MON, 1, ZH, 10, 2), LogRow(MON, 1, MA, 5, 3, oral=True),
            LogRow(TUE, 1, MA, 15, 4), LogRow(TUE, 0, ZH, 30, 5)]
    result = audit_log(school, load_policy("national"), rows)
    lower = [v for v in result.violations if v.rule == "homework_lower_grades"]
    assert [(v.day, v.subject, v.amount) for v in lower] == [("2026-11-16", "语文", 10),
                                                            ("2026-11-17", "数学", 15)]
    assert len(result.violations) == 2 and "日志第 2 行" in lower[0].message
    assert "一二年级不布置书面家庭作业" in format_audit(result, school)


def test_audit_with_a_timetable_checks_oral_days_and_weekends() -> None:
    tt = _lower_timetable()
    rows = [LogRow(MON, 1, MA, 10, 2, oral=True),       # 数学 taught Monday: fine
            LogRow(TUE, 1, MA, 10, 3, oral=True),       # not Tuesday
            LogRow(SAT, 1, ZH, 10, 4, oral=True),       # 语文 taught Friday: weekend fine
            LogRow(SUN, 1, MA, 10, 5, oral=True),       # 数学 not on Friday
            LogRow(MON, 0, EN, 20, 6, oral=True)]       # grade 3: oral work is not capped
    without = audit_log(_school(), load_policy("national"), rows)
    # the weekend bucket adds Saturday and Sunday: 20 > 15
    assert [v.rule for v in without.violations] == ["homework_oral_limit"]
    assert without.oral_unchecked == 1 and not without.taught_checked
    assert "未给课表" in format_audit(without, _school())
    result = audit_log(_school(), load_policy("national"), rows, tt)
    assert [(v.rule, v.day, v.subject) for v in result.violations] == [
        ("homework_oral_limit", f"2026-W47 {WEEKEND}", None),
        ("homework_oral_eligibility", "2026-11-17", "数学"),
        ("homework_oral_eligibility", f"2026-W47 {WEEKEND}", "数学")]
    assert "未给课表" not in format_audit(result, _school())
