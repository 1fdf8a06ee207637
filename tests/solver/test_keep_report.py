"""The --keep report: the engine's moved lessons, the checker's moved_lesson and the list
of moved lessons agree (issue #19: the header said 8, the checker 0, no list)."""

import dataclasses

from builders import fit_policy, mini_school

from jianfu.models.school import Unavailable
from jianfu.solver.checked import solve_checked
from jianfu.solver.school.solve import Keep


def _school():
    reqs = []
    for c in ("一班", "二班"):
        reqs += [(c, "语文", "王芳", 4), (c, "数学", "李明", 3), (c, "体育", "张伟", 2),
                 (c, "音乐", "赵丽", 1), (c, "科学", "周强", 2)]
    return mini_school([("一班", 1), ("二班", 1)], reqs, days=3)


def test_keep_report_tables_agree_and_list_every_moved_lesson():
    s = _school()
    p = fit_policy(s)
    first = solve_checked(s, p, time_limit=5, workers=1)
    t = s.teacher_index["周强"]
    off = dataclasses.replace(s.teachers[t], unavailable=(Unavailable(0, 0, 24 * 60),))
    s2 = dataclasses.replace(s, teachers=s.teachers[:t] + (off,) + s.teachers[t + 1:])
    for keep in (first.result.timetable, Keep(first.result.timetable, s)):
        again = solve_checked(s2, p, time_limit=5, workers=1, keep=keep)
        moved = again.result.moved
        on_monday = sum(1 for x in first.result.timetable.lessons if x.teacher == t and x.day == 0)
        assert moved >= on_monday > 0
        assert again.summary.terms["moved_lesson"].units == moved
        lines = again.text.splitlines()
        head = lines.index(f"调整的课 moved lessons ({moved}):")
        listed = lines[head + 1:head + 1 + moved]
        assert len(listed) == moved and all("→" in x for x in listed)
        assert sum("科学（周强） 周一" in x for x in listed) == on_monday
        assert any(x.split()[:2] == ["moved_lesson", str(moved)] for x in again.verdict.splitlines())


def test_without_keep_no_moves_are_listed():
    s = _school()
    checked = solve_checked(s, fit_policy(s), time_limit=5, workers=1)
    assert "调整的课" not in checked.text


def test_lessons_of_a_class_gone_are_counted_and_said():
    s = _school()
    p = fit_policy(s)
    first = solve_checked(s, p, time_limit=5, workers=1)
    reqs = [("一班", "语文", "王芳", 4), ("一班", "数学", "李明", 3), ("一班", "体育", "张伟", 2),
            ("一班", "音乐", "赵丽", 1), ("一班", "科学", "周强", 2)]
    s2 = mini_school([("一班", 1)], reqs, days=3)
    again = solve_checked(s2, fit_policy(s2), time_limit=5, workers=1,
                          keep=(s, first.result.timetable))
    gone = sum(1 for x in first.result.timetable.lessons if x.cls == 1)
    assert again.result.moved == again.summary.terms["moved_lesson"].units >= gone == 12
    assert f"另有 {gone} 节课的班级、学科或时段已不存在" in again.text
