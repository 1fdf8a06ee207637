"""The generic core: slots, groups, activities and constraint records from a school."""

from __future__ import annotations

from dataclasses import replace

import pytest
from builders import fit_policy, make_day, mini_school
from jianfu.models.core import Constraint, Problem, SlotKind, compile_school
from jianfu.models.errors import InputError
from jianfu.models.school import BellSchedule, Teacher, Unavailable


def test_compile_keeps_indices_and_shrinks_domains():
    t = Teacher("王芳", unavailable=(Unavailable(0, 8 * 60 + 30, 9 * 60 + 10),))
    s = mini_school([("一班", 1, 0, (4, 6))],
                    [("一班", "语文", "王芳", 6), ("一班", "体育", "张伟", 4)],
                    teachers=(t,))
    p = fit_policy(s)
    prob = compile_school(s, p)
    lessons = [x for x in prob.slots if x.kind is SlotKind.LESSON]
    assert len(lessons) == 12 and sum(x.kind is SlotKind.ACTIVITY for x in prob.slots) == 2
    g = prob.groups[0]
    assert len(g.slots) == 10 and g.school_days == (0, 1)
    chinese = prob.activities[0]
    assert chinese.main and chinese.count == 6 and len(chinese.slots) == 9   # P1 Monday is off
    assert prob.activities[1].pe and prob.pools[prob.activities[1].pool].kind == "ground"
    assert prob.session_pool == prob.activities[1].pool
    assert prob.constraint("teacher_gaps").weight == p.weights.teacher_gaps
    assert prob.constraint("daily_pe") is None
    # joined pairs: P1-P2 yes, P2-P3 across the long break no
    first = prob.slots[0]
    assert first.joined_next and prob.next_slot[0] == 1 and prob.next_slot[1] == -1


def test_cliques_follow_clock_time_across_schedules():
    junior = BellSchedule("初中", (make_day(6, start="08:00", length=45),))
    primary = BellSchedule("小学", (make_day(6),))
    s = mini_school([("一班", 1, 0), ("七班", 7, 1)],
                    [("一班", "语文", "王芳", 6), ("七班", "数学", "王芳", 6)],
                    days=1, schedules=(primary, junior))
    prob = compile_school(s, fit_policy(s))
    lesson_ids = [i for i, x in enumerate(prob.slots) if x.kind is SlotKind.LESSON]
    cliques = prob.cliques(lesson_ids)
    for c in cliques:
        for a in c:
            for b in c:
                assert prob.slots[a].overlaps(prob.slots[b])
    for a in lesson_ids:   # every overlapping pair shares a clique
        for b in lesson_ids:
            if a < b and prob.slots[a].overlaps(prob.slots[b]):
                assert any(a in c and b in c for c in cliques)


def test_problem_validates_references():
    s = mini_school([("一班", 1)], [("一班", "语文", "王芳", 6)], days=1)
    prob = compile_school(s, fit_policy(s))

    def with_(activities=prob.activities, constraints=prob.constraints):
        return Problem(prob.name, prob.days, prob.slots, prob.groups, prob.teachers, prob.pools,
                       activities, constraints)

    a = prob.activities[0]
    with pytest.raises(InputError, match=r"activities\[0\]\.groups"):
        with_(activities=(replace(a, groups=(0, 5)),))
    with pytest.raises(InputError, match=r"activities\[0\]\.teachers"):
        with_(activities=(replace(a, teachers=(7,)),))
    with pytest.raises(InputError, match=r"activities\[0\]\.slots"):
        with_(activities=(replace(a, slots=(len(prob.slots),)),))
    with pytest.raises(InputError, match=r"constraints\[\d+\]\.activities"):
        with_(constraints=prob.constraints + (Constraint("pair", True, activities=(0, 1)),))
    with pytest.raises(InputError, match="duration"):
        replace(a, duration=0)


def test_school_activities_have_one_group_and_one_teacher():
    s = mini_school([("一班", 1), ("二班", 1)],
                    [("一班", "语文", "王芳", 6), ("二班", "语文", "王芳", 6)],
                    days=1)
    prob = compile_school(s, fit_policy(s))
    a, b = prob.activities
    assert (a.groups, a.teachers, a.group, a.teacher, a.duration) == ((0,), (0,), 0, 0, 1)
    assert (b.group, b.teacher) == (1, 0)
    assert prob.activities_of_teacher == ((0, 1),)
    assert prob.activities_of_group == ((0,), (1,))


def test_activities_of_several_groups_and_teachers_are_indexed_under_each():
    s = mini_school([("一班", 1), ("二班", 1)],
                    [("一班", "语文", "王芳", 6), ("二班", "数学", "张伟", 6)],
                    days=1)
    prob = compile_school(s, fit_policy(s))
    joint = replace(prob.activities[0], name="合班", groups=(0, 1), teachers=(0, 1), count=1,
                    duration=2)
    alone = replace(prob.activities[1], teachers=())
    q = Problem(prob.name, prob.days, prob.slots, prob.groups, prob.teachers, prob.pools,
                (joint, alone), prob.constraints)
    assert q.activities_of_group == ((0,), (0, 1))
    assert q.activities_of_teacher == ((0,), (0,))
    with pytest.raises(InputError, match="teacher"):
        alone.teacher   # noqa: B018 - the property refuses: no teacher


def test_records_hold_many_of_one_family_and_constraint_reads_singletons():
    s = mini_school([("一班", 1)], [("一班", "语文", "王芳", 6)], days=1)
    prob = compile_school(s, fit_policy(s))
    pairs = (Constraint("pair", False, 50, activities=(0,), source=3),
             Constraint("pair", True, activities=(0,), slots=(1, 2), source=4))
    q = Problem(prob.name, prob.days, prob.slots, prob.groups, prob.teachers, prob.pools,
                prob.activities, prob.constraints + pairs)
    assert q.records("pair") == pairs
    assert q.records("nothing") == ()
    assert q.records("pair", "coverage") == (q.constraint("coverage"),) + pairs
    assert q.constraint("teacher_gaps") is prob.constraint("teacher_gaps")
    with pytest.raises(InputError, match="records"):
        q.constraint("pair")


def test_span_follows_periods_of_one_day():
    s = mini_school([("一班", 1, 0, (4, 6))], [("一班", "语文", "王芳", 6)])
    prob = compile_school(s, fit_policy(s))
    lesson = {(x.day, x.period): i for i, x in enumerate(prob.slots) if x.kind is SlotKind.LESSON}
    assert prob.span(lesson[(0, 1)], 3) == (lesson[(0, 1)], lesson[(0, 2)], lesson[(0, 3)])
    assert prob.span(lesson[(0, 0)], 1) == (lesson[(0, 0)],)
    assert prob.span(lesson[(0, 4)], 3) is None        # past the day's last period


def test_compile_fixed_and_forbidden_periods_into_the_domains():
    from jianfu.models.school import Half, SlotSpec

    s = mini_school([("一班", 1, 0, (4, 6))],
                    [("一班", "语文", "王芳", 6), ("一班", "体育", "张伟", 4)])
    s = replace(s, requirements=(
        replace(s.requirements[0], fixed=(SlotSpec(1, 0),), forbidden=(SlotSpec(last=True),)),
        replace(s.requirements[1], forbidden=(SlotSpec(None, 0, Half.AFTERNOON),))))
    prob = compile_school(s, fit_policy(s))
    at = {(x.day, x.period): i for i, x in enumerate(prob.slots) if x.kind is SlotKind.LESSON}
    chinese, pe = prob.activities
    # Monday has 4 periods (last: P4), Tuesday 6 (last: P6): both gone from 语文
    assert at[(0, 3)] not in chinese.slots and at[(1, 5)] not in chinese.slots
    assert len(chinese.slots) == 8 and chinese.fixed == (at[(1, 0)],)
    # 下午第1节 is P5: only Tuesday has one
    assert at[(1, 4)] not in pe.slots and len(pe.slots) == 9


def test_a_fixed_start_is_a_placement_that_must_exist():
    from jianfu.models.core_check import CoreSolution, check_core
    from jianfu.models.school import SlotSpec

    s = mini_school([("一班", 1)], [("一班", "语文", "王芳", 2)], days=1)
    s = replace(s, requirements=(replace(s.requirements[0], fixed=(SlotSpec(0, 2),)),))
    prob = compile_school(s, fit_policy(s))
    fixed = prob.activities[0].fixed
    assert len(fixed) == 1 and prob.slots[fixed[0]].period == 2
    good = CoreSolution(starts=((0, fixed[0]), (0, fixed[0] + 1)))
    bad = CoreSolution(starts=((0, fixed[0] - 1), (0, fixed[0] + 1)))
    assert not [v for v in check_core(prob, good) if v.rule == "fixed_slot"]
    assert [v.rule for v in check_core(prob, bad) if v.rule == "fixed_slot"] == ["fixed_slot"]
    with pytest.raises(InputError, match=r"activities\[0\]\.fixed"):
        replace(prob, activities=(replace(prob.activities[0], fixed=fixed * 3),))
