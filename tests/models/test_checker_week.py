"""The rules of a dated week (调代课): cover_teacher, teacher_absent, class_away, and the
cancelled lessons counting towards the plan."""

import dataclasses

from builders import rules_of
from change_fixtures import cover_school

from jianfu.models.change import Absence, Away, ChangedWeek
from jianfu.models.checker import check, check_week
from jianfu.models.timetable import Timetable


def _cover(base, s, cls, day, period, teacher):
    t = s.teacher_index[teacher]
    return Timetable(tuple(dataclasses.replace(x, teacher=t, cover=True)
                           if (x.cls, x.day, x.period) == (cls, day, period) else x
                           for x in base.lessons))


def test_a_qualified_cover_lesson_holds():
    s, p, base = cover_school()
    tt = _cover(base, s, 0, 0, 0, "孙丽")
    week = ChangedWeek(base, tt, absences=(Absence(s.teacher_index["王芳"], 0, 0, 9 * 60 + 10),))
    assert not [v for v in check_week(s, p, week) if v.hard]


def test_an_unqualified_cover_teacher_breaks_cover_teacher_once():
    s, p, base = cover_school()
    tt = _cover(base, s, 0, 0, 0, "陈静")   # 陈静 teaches 语文 only
    found = rules_of(check(s, p, tt), "cover_teacher")
    assert [v.message for v in found] == [
        "一班 周一第1节（08:30–09:10） 数学 代课教师 陈静 不教数学 — class 一班 Mon period 1 "
        "(08:30–09:10): cover teacher 陈静 is not qualified for 数学"]
    assert rules_of(check(s, p, tt), "teacher_assignment") == []


def test_a_lesson_taught_by_another_teacher_without_cover_is_still_teacher_assignment():
    s, p, base = cover_school()
    tt = Timetable(tuple(dataclasses.replace(x, teacher=s.teacher_index["孙丽"])
                         if (x.cls, x.day, x.period) == (0, 0, 0) else x for x in base.lessons))
    assert len(rules_of(check(s, p, tt), "teacher_assignment")) == 1


def test_an_absent_teacher_teaching_breaks_teacher_absent():
    s, p, base = cover_school()
    week = ChangedWeek(base, base, absences=(Absence(s.teacher_index["王芳"], 0, 0, 24 * 60,
                                                     "病假"),))
    found = rules_of(check_week(s, p, week), "teacher_absent")
    assert len(found) == 3 and "（病假）" in found[0].message


def test_cancelled_lessons_count_for_the_plan_and_free_the_teacher():
    s, p, base = cover_school()
    gone = tuple(x for x in base.lessons if x.cls == 1 and x.day == 0)
    held = Timetable(tuple(x for x in base.lessons if x not in gone))
    week = ChangedWeek(base, held, cancelled=gone, away=(Away(1, 0, 0, 24 * 60),))
    assert not [v for v in check_week(s, p, week) if v.hard]
    # without the class away, the same cancellations are refused
    wrong = ChangedWeek(base, held, cancelled=gone)
    assert len(rules_of(check_week(s, p, wrong), "class_away")) == 6
    # and a lesson held while the class is away
    held_anyway = ChangedWeek(base, base, away=(Away(1, 0, 0, 24 * 60),))
    assert len(rules_of(check_week(s, p, held_anyway), "class_away")) == 6


def test_a_dropped_lesson_without_a_class_away_breaks_coverage():
    s, p, base = cover_school()
    held = Timetable(base.lessons[1:])
    assert len(rules_of(check_week(s, p, ChangedWeek(base, held)), "coverage")) == 1
