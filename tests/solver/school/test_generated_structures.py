"""Generated schools with the structures of issue #17 solve, and the checker agrees.

Property tests in the sense of the style guide: seeded generated schools — with 班会 by
the 班主任 (mostly fixed), 升旗仪式, 教研活动, 行政会, 禁排, wishes, 男女分组 PE, 体育合班,
复式班, 外语分层 走班 blocks and 单双周 书法 — go through solve and the independent checker,
which must find no violation.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jianfu.instances.generator import generate_school
from jianfu.instances.generator import structure_counts
from jianfu.models.policy import PROFILES
from jianfu.models.school import CLASS_MEETING
from jianfu.solver import Status, solve

from builders import verified


def solved(preset: str, per_grade: int, seed: int, profile: str = "national"):
    """The first timetable, however long the machine needs for it (a generous limit and a
    stop at the first solution: a slow CI machine must not turn into a failure)."""
    school = generate_school(preset, per_grade, seed, PROFILES[profile], structures=True)
    policy = school.policy()
    result = solve(school, policy, time_limit=120, workers=2,
                   params={"stop_after_first_solution": True})
    assert result.status in (Status.OPTIMAL, Status.FEASIBLE), result.explanation
    verified(school, policy, result)
    return school, result


def _assert_structures_in_timetable(school, timetable) -> None:
    """What the checker already proves, read off the timetable: the structures are used."""
    meeting = school.subject_index[CLASS_MEETING]
    lessons = timetable.lessons
    for c, cls in enumerate(school.classes):
        mine = [x for x in lessons if x.cls == c and x.subject == meeting]
        assert [x.teacher for x in mine] == [cls.head_teacher]
        fixed = next(school.fixed_periods[q] for q in school.requirements_of_class[c]
                     if school.requirements[q].subject == meeting)
        if fixed:
            assert [(x.day, x.period) for x in mine] == list(fixed)
    for split in school.splits:
        r = school.requirements[split.requirement]
        at = {g.name: sorted((x.day, x.period) for x in lessons
                             if x.cls == r.cls and x.group == g.name) for g in split.groups}
        assert at["男生"] == at["女生"] and len(at["男生"]) == r.periods
    for k in school.combined:
        times = [sorted((x.day, x.period) for x in lessons
                        if (x.cls, x.subject) == (school.requirements[q].cls,
                                                  school.requirements[q].subject))
                 for q in k.members]
        assert all(t == times[0] for t in times)
    for b in school.blocks:   # every member class has every group at the block's periods
        first = school.requirements[b.members[0]]
        at = {(school.requirements[q].cls, g.name): sorted(
            (x.day, x.period) for x in lessons
            if x.cls == school.requirements[q].cls and x.group == g.name)
            for q in b.members for g in b.groups}
        assert len(set(map(tuple, at.values()))) == 1
        assert len(next(iter(at.values()))) == first.periods
    for k in school.alternates:   # 单周 one side, 双周 the other, at one period of the class
        subject = {w: school.requirements[q].subject for w, q in k.sides}
        odd = {(x.day, x.period) for x in lessons
               if x.cls == k.cls and x.week == 1 and x.subject == subject[1]}
        even = {(x.day, x.period) for x in lessons
                if x.cls == k.cls and x.week == 2 and x.subject == subject[2]}
        assert odd & even


@pytest.mark.parametrize("preset, per_grade, seed", [
    ("primary", 1, 0),     # village school: 复式班, 单双周
    ("junior", 2, 1),      # 男女分组 PE, 体育合班, 数学 not last, 外语分层
    ("nine-year", 1, 2),   # both stages, 复式班, 男女分组 and 单双周
    ("nine-year", 2, 1)])  # 外语分层 and 单双周 in one school
def test_generated_schools_with_structures_solve_and_pass_the_checker(preset, per_grade, seed):
    school, result = solved(preset, per_grade, seed)
    counts = structure_counts(school)
    assert counts["class_meeting"] and counts["research_meetings"] and counts["admin_meeting"]
    assert counts["multi_grade"] if per_grade == 1 else counts["combined_pe"]
    assert counts["pe_groups"] if preset != "primary" else not counts["pe_groups"]
    assert counts["blocks"] if per_grade > 1 else not counts["blocks"]
    assert counts["alternates"] if preset != "junior" else not counts["alternates"]
    _assert_structures_in_timetable(school, result.timetable)


def test_the_greedy_start_keeps_every_fixed_lesson_at_its_period():
    """固定 班会 in 周一第1节 of most classes: the warm start's repairs used to move some
    of them, and the completion then spent its time freeing them one by one."""
    from jianfu.models.core import compile_school
    from jianfu.solver.school.hint import greedy

    school = generate_school("nine-year", 4, 0, structures=True)
    problem = compile_school(school, school.policy())
    fixed = [(a, s) for a, act in enumerate(problem.activities) for s in act.fixed]
    assert len(fixed) >= 24
    assert set(fixed) <= greedy(problem, fixed)


@pytest.mark.slow
@settings(max_examples=10, deadline=None)
@given(preset=st.sampled_from(["primary", "junior", "nine-year"]), per_grade=st.integers(1, 2),
       seed=st.integers(0, 2**31), profile=st.sampled_from(sorted(
           ["national", "guangdong-2025", "beijing-2024"])))
def test_any_generated_school_with_structures_solves(preset, per_grade, seed, profile):
    school, result = solved(preset, per_grade, seed, profile)
    _assert_structures_in_timetable(school, result.timetable)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1])
def test_thirty_six_classes_with_structures_solve(seed):
    school, result = solved("nine-year", 4, seed)
    _assert_structures_in_timetable(school, result.timetable)
