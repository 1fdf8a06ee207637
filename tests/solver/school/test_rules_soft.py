"""Soft rules: each binds on the smallest school where it must cost, and the optimum is exact.

Every other weight is zero (``fit_policy(zero=True)``) so the objective isolates the rule;
every timetable goes through the checker, whose units must equal the solver's.
"""

from __future__ import annotations

import pytest

from jianfu.models.school import Teacher, Unavailable
from jianfu.solver import Status, solve

from builders import fit_policy, mini_school, verified


def run(s, p):
    r = solve(s, p, time_limit=20, workers=1)
    assert r.status is Status.OPTIMAL
    verified(s, p, r)
    return r


def test_main_morning_binds_when_main_fills_the_day():
    s = mini_school([("一班", 1)], [("一班", "语文", "王芳", 6)], days=1)
    r = run(s, fit_policy(s, zero=True, weights={"main_morning": 3}))
    assert r.terms["main_morning"] == 2 and r.objective == 6


def test_main_morning_holds_when_art_can_take_the_afternoon():
    s = mini_school([("一班", 1)],
                    [("一班", "语文", "王芳", 4), ("一班", "美术", "李明", 2)], days=1)
    r = run(s, fit_policy(s, zero=True, weights={"main_morning": 3}))
    assert r.objective == 0
    assert all(not s.schedules[0].days[0].afternoon[l.period]
               for l in r.timetable.lessons if l.subject == s.subject_index["语文"])


def test_pe_placement_binds():
    s = mini_school([("一班", 1)],
                    [("一班", "体育", "张伟", 5), ("一班", "语文", "王芳", 1)], days=1)
    r = run(s, fit_policy(s, zero=True, weights={"pe_placement": 2}))
    assert r.terms["pe_placement"] == 1 and r.objective == 2


def test_subject_once_daily_binds_on_a_short_day():
    s = mini_school([("一班", 1, 0, (6, 2))],
                    [("一班", "语文", "王芳", 6), ("一班", "美术", "李明", 1),
                     ("一班", "科学", "周强", 1)])
    r = run(s, fit_policy(s, zero=True, weights={"subject_once_daily": 10}))
    assert r.terms["subject_once_daily"] == 1 and r.objective == 10


def test_teacher_gaps_binds_around_an_unavailable_period():
    # 王芳 teaches 一班 in its only period (P1) and 二班 once; P2 is blocked for her.
    t = Teacher("王芳", unavailable=(Unavailable(0, 9 * 60 + 20, 10 * 60),))
    s = mini_school([("一班", 1, 0, (1,)), ("二班", 2, 0, (3,))],
                    [("一班", "语文", "王芳", 1), ("二班", "数学", "王芳", 1),
                     ("二班", "美术", "李明", 2)],
                    days=1, teachers=(t,))
    r = run(s, fit_policy(s, zero=True, weights={"teacher_gaps": 1}))
    assert r.terms["teacher_gaps"] == 1 and r.objective == 1


@pytest.mark.parametrize("limit,units", [(3, 2), (4, 1)])
def test_teacher_consecutive_binds(limit, units):
    s = mini_school([("一班", 1)], [("一班", "语文", "王芳", 5)], days=1, periods=5,
                    start="08:20", length=35, lunch_after=None)
    r = run(s, fit_policy(s, zero=True, weights={"teacher_consecutive": 3},
                          teacher_max_consecutive=limit))
    assert r.terms["teacher_consecutive"] == units and r.objective == 3 * units


def test_teacher_consecutive_holds_when_a_break_fits():
    s = mini_school([("一班", 1)],
                    [("一班", "语文", "王芳", 4), ("一班", "美术", "李明", 1)], days=1,
                    periods=5, start="08:20", length=35, lunch_after=None)
    assert run(s, fit_policy(s, zero=True, weights={"teacher_consecutive": 3})).objective == 0


def test_parallel_step_binds_when_one_teacher_cannot_teach_both_the_same_day():
    t = Teacher("赵丽", max_periods_per_day=1)
    reqs = [(c, "科学", "赵丽", 1) for c in ("一班", "二班")] + \
        [(c, "语文", f"语文{c}", 11) for c in ("一班", "二班")]
    s = mini_school([("一班", 1), ("二班", 1)], reqs, teachers=(t,))
    r = run(s, fit_policy(s, zero=True, weights={"parallel_step": 1}))
    assert r.terms["parallel_step"] == 2 and r.objective == 2


def test_parallel_step_holds():
    reqs = [(c, "科学", "赵丽", 1) for c in ("一班", "二班")] + \
        [(c, "语文", f"语文{c}", 11) for c in ("一班", "二班")]
    s = mini_school([("一班", 1), ("二班", 1)], reqs)
    assert run(s, fit_policy(s, zero=True, weights={"parallel_step": 1})).objective == 0


def test_spread_binds_with_a_day_off():
    t = Teacher("王芳", unavailable=(Unavailable(2, 0, 24 * 60 - 1),))
    s = mini_school([("一班", 1)],
                    [("一班", "科学", "王芳", 2), ("一班", "美术", "李明", 16)], days=3,
                    teachers=(t,))
    r = run(s, fit_policy(s, zero=True, weights={"spread": 2, "subject_once_daily": 10}))
    assert r.terms["spread"] == 1 and r.objective == 2


def test_all_weights_together_match_the_checker():
    reqs = []
    for c in ("一班", "二班"):
        reqs += [(c, "语文", "王芳", 4), (c, "数学", "李明", 3), (c, "体育", "张伟", 2),
                 (c, "音乐", "赵丽", 1), (c, "科学", "周强", 2)]
    s = mini_school([("一班", 1), ("二班", 1)], reqs)
    r = run(s, fit_policy(s))
    assert set(r.terms) >= {"main_morning", "teacher_gaps", "parallel_step"}


def test_teacher_consecutive_across_schedules_that_disagree_on_lunch():
    from jianfu.models.school import BellSchedule

    from builders import make_day
    primary = BellSchedule("小学", (make_day(6, lunch_after=4),))
    junior = BellSchedule("初中", (make_day(7, lunch_after=5, activity_minutes=None),))
    s = mini_school([("一班", 1, 0), ("七班", 7, 1)],
                    [("一班", "语文", "王芳", 3), ("一班", "美术", "李明", 3),
                     ("七班", "数学", "王芳", 4), ("七班", "科学", "周强", 3)],
                    days=1, schedules=(primary, junior))
    p = fit_policy(s, zero=True, weights={"teacher_consecutive": 3, "teacher_gaps": 1},
                   teacher_max_consecutive=2)
    r = run(s, p)   # run() checks the checker's units equal the engine's
    # 王芳 has 7 of the 8 distinct instants (periods 1-4 and 6 coincide in the two
    # schedules, period 5 does not); 李明 and 周强 fill the classes' other periods. Over
    # the 700 splits (C(6,3) × C(7,4), clashing ones dropped) the least cost is 7, and
    # every split reaching it has 4 gap periods over the three teachers and one run of
    # three after lunch: e.g. 王芳 at 一班 1, 4, 5 and 七班 2, 5, 6, 7 (1-based).
    assert r.terms["teacher_gaps"] == 4 and r.terms["teacher_consecutive"] == 1
    assert r.objective == 7


def with_heads(school, heads):
    """``school`` whose classes name the 班主任 in ``heads`` (class name -> teacher name)."""
    import dataclasses

    return dataclasses.replace(school, classes=tuple(
        dataclasses.replace(c, head_teacher=school.teacher_index[heads[c.name]])
        if c.name in heads else c for c in school.classes))


def one_class(chinese, teachers=()):
    """一班 over two days of six periods: ``chinese`` 语文 periods by 王芳 (班主任), the
    rest 数学 by 李明."""
    s = mini_school([("一班", 1)], [("一班", "语文", "王芳", chinese),
                                    ("一班", "数学", "李明", 12 - chinese)], teachers=teachers)
    return with_heads(s, {"一班": "王芳"})


def test_head_teacher_first_binds_when_the_head_teacher_has_fewer_lessons_than_days():
    s = one_class(1)
    r = run(s, fit_policy(s, zero=True, weights={"head_teacher_first": 4}))
    assert r.terms["head_teacher_first"] == 1 and r.objective == 4
    wang = s.teacher_index["王芳"]
    assert [l.period for l in r.timetable.lessons if l.teacher == wang] == [0]


def test_head_teacher_first_holds_and_is_off_by_default():
    s = one_class(2)
    r = run(s, fit_policy(s, zero=True, weights={"head_teacher_first": 4}))
    assert r.terms["head_teacher_first"] == 0 and r.objective == 0
    assert "head_teacher_first" not in run(s, fit_policy(s, zero=True)).terms


def test_head_teacher_first_counts_a_first_period_she_cannot_teach():
    # 王芳 is away on Monday 08:30–09:10, period 1: only Tuesday can open with her
    s = one_class(2, teachers=(Teacher("王芳", unavailable=(Unavailable(0, 510, 550),)),))
    r = run(s, fit_policy(s, zero=True, weights={"head_teacher_first": 4}))
    assert r.terms["head_teacher_first"] == 1 and r.objective == 4


def test_head_teacher_first_of_two_classes_opens_one_a_day():
    # 王芳 is 班主任 of both classes; their first periods are at the same time
    s = mini_school([("一班", 1), ("二班", 1)],
                    [("一班", "语文", "王芳", 2), ("一班", "数学", "李明", 10),
                     ("二班", "语文", "王芳", 2), ("二班", "数学", "周强", 10)])
    s = with_heads(s, {"一班": "王芳", "二班": "王芳"})
    r = run(s, fit_policy(s, zero=True, weights={"head_teacher_first": 3}))
    assert r.terms["head_teacher_first"] == 2 and r.objective == 6


def test_head_teacher_first_on_the_core_problem_matches_core_terms():
    from jianfu.models.core import compile_school
    from jianfu.solver.checked import solve_checked

    s = one_class(1)
    problem = compile_school(s, fit_policy(s, zero=True, weights={"head_teacher_first": 4}))
    checked = solve_checked(problem, time_limit=10, workers=1, seed=0)
    assert checked.compliant and checked.violations == ()
    assert checked.result.terms == checked.summary.terms == {"head_teacher_first": 1}


def wishing(school, name, *wishes):
    """``school`` whose teacher ``name`` has ``wishes``."""
    import dataclasses

    return dataclasses.replace(school, teachers=tuple(
        dataclasses.replace(t, wishes=wishes) if t.name == name else t for t in school.teachers))


def test_teacher_wish_avoid_binds_with_the_wish_weights():
    from jianfu.models.school import Wish

    # 王芳 would rather not teach Monday (weight 1) nor Tuesday (weight 2): her four
    # lessons go on Monday, 4 units; the policy weight 3 makes the objective 12
    s = mini_school([("一班", 1)], [("一班", "语文", "王芳", 4), ("一班", "数学", "李明", 8)])
    s = wishing(s, "王芳", Wish(False, 1, stretch=Unavailable(0, 0, 24 * 60)),
                Wish(False, 2, stretch=Unavailable(1, 0, 24 * 60)))
    r = run(s, fit_policy(s, zero=True, weights={"teacher_wish": 3}))
    assert r.terms["teacher_wish"] == 4 and r.objective == 12
    assert {l.day for l in r.timetable.lessons if l.teacher == s.teacher_index["王芳"]} == {0}


def test_teacher_wish_prefer_binds_on_a_full_day():
    from jianfu.models.school import Wish

    # one day of six periods, all 王芳's; she prefers the morning (periods 1–4, weight 2)
    s = mini_school([("一班", 1)], [("一班", "语文", "王芳", 6)], days=1)
    s = wishing(s, "王芳", Wish(True, 2, stretch=Unavailable(0, 0, 12 * 60)))
    r = run(s, fit_policy(s, zero=True))
    assert r.terms["teacher_wish"] == 4 and r.objective == 4


def test_teacher_wish_holds_and_is_off_at_weight_zero():
    from jianfu.models.school import Wish

    s = mini_school([("一班", 1)], [("一班", "语文", "王芳", 2), ("一班", "数学", "李明", 10)])
    s = wishing(s, "王芳", Wish(False, 5, period=0), Wish(True, 1, stretch=Unavailable(1, 0, 12 * 60)))
    r = run(s, fit_policy(s, zero=True))
    assert r.terms["teacher_wish"] == 0 and r.objective == 0
    wang = s.teacher_index["王芳"]
    assert all(l.period != 0 for l in r.timetable.lessons if l.teacher == wang)
    assert "teacher_wish" not in run(s, fit_policy(s, zero=True, weights={"teacher_wish": 0})).terms
    plain = mini_school([("一班", 1)], [("一班", "语文", "王芳", 2), ("一班", "数学", "李明", 10)])
    assert "teacher_wish" not in run(plain, fit_policy(plain)).terms   # no wishes, no term


def test_teacher_wish_is_listed_in_the_report_and_matches_the_core():
    from jianfu.models.core import compile_school
    from jianfu.models.school import Wish
    from jianfu.solver.checked import solve_checked

    s = mini_school([("一班", 1)], [("一班", "语文", "王芳", 6)], days=1)
    s = wishing(s, "王芳", Wish(True, 2, stretch=Unavailable(0, 0, 12 * 60)))
    p = fit_policy(s, zero=True)
    checked = solve_checked(s, p, time_limit=10, workers=1, seed=0)
    assert checked.compliant
    assert "[teacher_wish] 教师意愿" in checked.report
    assert "王芳 的意愿「希望周一上午」（权重 2）未满足：2 节课" in checked.report
    core = solve_checked(compile_school(s, p), time_limit=10, workers=1, seed=0)
    assert core.compliant and core.violations == ()
    assert core.result.terms == core.summary.terms == {"teacher_wish": 4}
