"""Infeasible schools get sentences a 教务处 clerk can act on, never a bare INFEASIBLE."""

from __future__ import annotations

import dataclasses

from hypothesis import HealthCheck, given, settings, strategies as st

from jianfu.models.core import compile_school
from jianfu.models.school import Teacher, Unavailable
from jianfu.solver import Keep, Status, solve
from jianfu.solver.explain import explain_infeasible, precheck

from builders import fit_policy, mini_school, verified


def test_teacher_with_more_periods_than_slots_is_named_in_both_languages():
    t = Teacher("王芳", unavailable=(Unavailable(0, 0, 24 * 60 - 1),))
    s = mini_school([("一班", 1), ("二班", 1)],
                    [("一班", "语文", "王芳", 4), ("二班", "语文", "王芳", 4),
                     ("一班", "美术", "李明", 8), ("二班", "美术", "赵丽", 8)], teachers=(t,))
    r = solve(s, fit_policy(s, zero=True), time_limit=5, workers=1)
    assert r.status is Status.INFEASIBLE and r.timetable is None
    line = next(x for x in r.explanation if x.startswith("王芳"))
    assert "每周 8 节课" in line and "teacher 王芳 teaches 8 periods but is available for only 6" in line


def test_class_that_does_not_fit_its_day_shape():
    s = mini_school([("一班", 1, 0, (3, 3))], [("一班", "语文", "王芳", 7)])
    p = fit_policy(s, zero=True)
    found = precheck(s, p, compile_school(s, p))
    assert any("needs 7 periods" in x and "only 6 slots" in x for x in found)


def test_core_names_the_conflicting_rules_when_counting_cannot():
    # 张伟 teaches PE to both classes, daily PE is required and 张伟 is away on day 2;
    # the counts pass (he has 4 free periods on day 1 for 4 lessons) but no
    # timetable exists.
    t = Teacher("张伟", unavailable=(Unavailable(1, 0, 24 * 60 - 1),))
    s = mini_school([("一班", 1, 0, (4, 2)), ("二班", 1, 0, (4, 2))],
                    [("一班", "体育", "张伟", 2), ("一班", "语文", "王芳", 4),
                     ("二班", "体育", "张伟", 2), ("二班", "语文", "李明", 4)], teachers=(t,))
    p = fit_policy(s, zero=True, daily_pe=True)
    problem = compile_school(s, p)
    assert precheck(s, p, problem) == []
    lines = explain_infeasible(s, p, problem, time_limit=10)
    text = "\n".join(lines)
    assert "cannot all hold together" in text
    assert "PE every day" in text and "张伟" in text


def test_added_class_keeps_the_old_lessons():
    base = [("一班", "语文", "王芳", 6), ("一班", "数学", "李明", 6)]
    s = mini_school([("一班", 1)], base)
    p = fit_policy(s)
    first = solve(s, p, time_limit=3, workers=1)
    s2 = mini_school([("一班", 1), ("二班", 1)],
                     base + [("二班", "语文", "周强", 6), ("二班", "数学", "赵丽", 6)])
    r = solve(s2, p, time_limit=5, workers=1, keep=(s, first.timetable))
    verified(s2, p, r)
    assert r.moved == 0


def test_locked_lesson_that_no_longer_fits_is_explained():
    s = mini_school([("一班", 1)], [("一班", "语文", "王芳", 6), ("一班", "数学", "李明", 6)])
    p = fit_policy(s)
    first = solve(s, p, time_limit=3, workers=1)
    t = s.teacher_index["王芳"]
    away = dataclasses.replace(s.teachers[t], unavailable=(Unavailable(0, 0, 24 * 60 - 1),))
    s2 = dataclasses.replace(s, teachers=s.teachers[:t] + (away,) + s.teachers[t + 1:])
    r = solve(s2, p, time_limit=5, workers=1, keep=Keep(first.timetable, s, lock=True))
    # 王芳's Monday lessons cannot be locked; every other lesson is
    monday = sum(1 for l in first.timetable.lessons if l.teacher == t and l.day == 0)
    assert r.locked == len(first.timetable.lessons) - monday
    if r.timetable is None:
        assert r.explanation
    else:
        verified(s2, p, r, kept=first.timetable)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), preset=st.sampled_from(["primary", "junior"]))
def test_generated_schools_property(seed, preset):
    from jianfu.instances.generator import generate_school
    s = generate_school(preset, 1, seed)
    p = s.policy()
    r = solve(s, p, time_limit=3, workers=2)
    assert r.status in (Status.OPTIMAL, Status.FEASIBLE), r.explanation
    verified(s, p, r)
