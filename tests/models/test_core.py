"""The generic core: slots, groups, activities and constraint records from a school."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "solver"))

from jianfu.models.core import Constraint, Problem, SlotKind, compile_school  # noqa: E402
from jianfu.models.errors import InputError  # noqa: E402
from jianfu.models.school import BellSchedule, Teacher, Unavailable  # noqa: E402

from solver_builder import day, fit, school  # noqa: E402


def test_compile_keeps_indices_and_shrinks_domains():
    t = Teacher("王芳", unavailable=(Unavailable(0, 8 * 60 + 30, 9 * 60 + 10),))
    s = school([("一班", 1, 0, (4, 6))], [("一班", "语文", "王芳", 6), ("一班", "体育", "张伟", 4)],
               teachers=(t,))
    p = fit(s)
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
    junior = BellSchedule("初中", (day(6, start="08:00", length=45),))
    primary = BellSchedule("小学", (day(6),))
    s = school([("一班", 1, 0), ("七班", 7, 1)], [("一班", "语文", "王芳", 6), ("七班", "数学", "王芳", 6)],
               days=1, schedules=(primary, junior))
    prob = compile_school(s, fit(s))
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
    s = school([("一班", 1)], [("一班", "语文", "王芳", 6)], days=1)
    prob = compile_school(s, fit(s))
    with pytest.raises(InputError):
        Problem(prob.name, prob.days, prob.slots, prob.groups, prob.teachers, prob.pools,
                prob.activities, prob.constraints + (Constraint("coverage", True),))
