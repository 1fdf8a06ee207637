"""The engine end to end: status mapping, statistics, determinism, keep/lock, generated schools."""

from __future__ import annotations

import dataclasses
import math

import pytest

from jianfu.models.school import Unavailable
from jianfu.solver import Keep, Statistics, Status, format_result, solve

from builders import fit_policy, mini_school, verified


def two_classes(**kw):
    reqs = []
    for c in ("一班", "二班"):
        reqs += [(c, "语文", "王芳", 4), (c, "数学", "李明", 3), (c, "体育", "张伟", 2),
                 (c, "音乐", "赵丽", 1), (c, "科学", "周强", 2)]
    return mini_school([("一班", 1), ("二班", 1)], reqs, **kw)


def test_statistics_round_trip_and_progress(tmp_path):
    s = two_classes()
    p = fit_policy(s)
    seen = []
    r = solve(s, p, time_limit=3, workers=1, progress=lambda *a: seen.append(a))
    verified(s, p, r)
    assert len(r.statistics) == len(seen) >= 1
    assert r.time_to_first == r.statistics.rows[0].time
    path = tmp_path / "stats.csv"
    r.statistics.to_csv(path)
    assert Statistics.from_csv(path) == r.statistics
    report = format_result(r, s, p)
    assert r.status.value in report and "teacher_gaps" in report


def test_deterministic_with_one_worker():
    s = mini_school([("一班", 1)], [("一班", "语文", "王芳", 6), ("一班", "体育", "张伟", 2),
                                   ("一班", "科学", "周强", 4)])
    p = fit_policy(s)
    a = solve(s, p, time_limit=2, workers=1, seed=3)
    b = solve(s, p, time_limit=2, workers=1, seed=3)
    assert a.timetable == b.timetable and a.objective == b.objective


def test_time_out_is_never_optimal():
    from jianfu.instances.generator import generate_school
    s = generate_school("primary", 2, 0)
    p = s.policy()
    r = solve(s, p, time_limit=0.05, workers=1, hint=False)
    assert r.status in (Status.FEASIBLE, Status.UNKNOWN)
    if r.timetable is None:
        assert r.explanation and math.isnan(r.objective)


def test_keep_same_school_moves_nothing_and_lock_holds():
    s = two_classes()
    p = fit_policy(s)
    first = solve(s, p, time_limit=3, workers=1)
    again = solve(s, p, time_limit=3, workers=1, keep=first.timetable)
    summary = verified(s, p, again, kept=first.timetable)
    assert again.moved == 0 and summary.terms["moved_lesson"].units == 0
    locked = solve(s, p, time_limit=3, workers=1, keep=first.timetable, lock=True)
    assert locked.locked == len(first.timetable.lessons)
    assert set(first.timetable.lessons) <= set(locked.timetable.lessons)


def test_keep_after_a_teacher_loses_monday_moves_few_lessons():
    s = two_classes(days=3)
    p = fit_policy(s)
    first = solve(s, p, time_limit=3, workers=1)
    t = s.teacher_index["周强"]
    off = dataclasses.replace(s.teachers[t], unavailable=(Unavailable(0, 0, 24 * 60 - 1),))
    s2 = dataclasses.replace(s, teachers=s.teachers[:t] + (off,) + s.teachers[t + 1:])
    r = solve(s2, p, time_limit=3, workers=1, keep=Keep(first.timetable, s))
    summary = verified(s2, p, r, kept=first.timetable)
    assert summary.terms["moved_lesson"].units == r.moved
    on_monday = sum(1 for l in first.timetable.lessons if l.teacher == t and l.day == 0)
    assert on_monday <= r.moved <= 3 * on_monday + 2


def test_lock_selected_keys():
    s = two_classes()
    p = fit_policy(s)
    first = solve(s, p, time_limit=3, workers=1)
    lesson = first.timetable.lessons[0]
    key = (s.classes[lesson.cls].name, s.days[lesson.day], lesson.period)
    r = solve(s, p, time_limit=3, workers=1, keep=first.timetable, lock={key})
    assert r.locked == 1 and lesson in r.timetable.lessons


@pytest.mark.parametrize("preset", ["primary", "junior", "nine-year"])
@pytest.mark.parametrize("profile", ["national", "guangdong-2025", "beijing-2024"])
def test_generated_schools_pass_the_checker(preset, profile):
    from jianfu.instances.generator import generate_school
    from jianfu.models.policy import load_policy
    s = generate_school(preset, 1, 7, load_policy(profile))
    p = s.policy()
    # the first compliant timetable, however long the machine needs (no timing in tests)
    r = solve(s, p, time_limit=120, workers=2, params={"stop_after_first_solution": True})
    assert r.status in (Status.OPTIMAL, Status.FEASIBLE), r.explanation
    verified(s, p, r)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("preset", ["primary", "junior", "nine-year"])
def test_generated_schools_two_per_grade(preset, seed):
    from jianfu.instances.generator import generate_school
    s = generate_school(preset, 2, seed)
    p = s.policy()
    r = solve(s, p, time_limit=20, workers=2)
    assert r.status in (Status.OPTIMAL, Status.FEASIBLE), r.explanation
    verified(s, p, r)


@pytest.mark.parametrize("preset,seed", [("primary", 1), ("junior", 2), ("nine-year", 0)])
def test_one_worker_finds_a_compliant_timetable(preset, seed):
    """workers=1 (the district runner's setting): the completed warm start is returned
    as a compliant timetable even if the single CP-SAT worker never improves it."""
    from jianfu.instances.generator import generate_school
    s = generate_school(preset, 1, seed)
    p = s.policy()
    r = solve(s, p, time_limit=6, workers=1)
    assert r.status in (Status.OPTIMAL, Status.FEASIBLE), r.explanation
    assert r.time_to_first is not None and r.statistics.rows
    verified(s, p, r)


def test_warm_start_completes_a_generated_school_with_one_worker():
    """The greedy + completion (with its core-driven freeing) places every lesson."""
    from jianfu.instances.generator import generate_school
    from jianfu.models.core import compile_school
    from jianfu.solver.school.build import build
    from jianfu.solver.school.hint import add_hint
    from jianfu.solver.school.objective import add_objective
    from ortools.sat.python import cp_model
    s = generate_school("primary", 2, 1)
    problem = compile_school(s, s.policy())
    model = cp_model.CpModel()
    v = build(model, problem)
    add_objective(model, problem, v)
    warm = add_hint(model, problem, v, time_limit=20)
    assert warm is not None
    for a, act in enumerate(problem.activities):
        assert sum(warm.BooleanValue(var) for _, var in v.of_activity[a]) == act.count


def test_school_engine_builds_every_core_shape_and_refuses_doubles_of_long_lessons():
    from jianfu.models.core import Problem, compile_school
    from jianfu.models.errors import InputError
    from jianfu.solver.school.build import build
    from ortools.sat.python import cp_model

    s = two_classes()
    prob = compile_school(s, fit_policy(s))

    def with_first(**change) -> Problem:
        bad = dataclasses.replace(prob.activities[0], **change)
        return Problem(prob.name, prob.days, prob.slots, prob.groups, prob.teachers,
                       prob.pools, (bad, *prob.activities[1:]), prob.constraints)

    for change in ({"duration": 2, "doubles": 0}, {"groups": (0, 1)}, {"teachers": ()},
                   {"teachers": (0, 1)}):
        v = build(cp_model.CpModel(), with_first(**change))
        assert v.of_activity[0], change
    long = with_first(duration=2, doubles=0)
    v = build(cp_model.CpModel(), long)
    # a two-period lesson starts only where the next period of the day exists
    starts = {s for s, _ in v.of_activity[0]}
    assert starts == {s for s in prob.activities[0].slots if long.span(s, 2) is not None}
    assert len(v.occupied[0]) == 2 * len(starts)
    with pytest.raises(InputError, match=r"activities\[0\]\.doubles"):
        build(cp_model.CpModel(), with_first(duration=2, doubles=1))


def test_warm_start_with_fixed_lessons_leaves_the_model_as_it_was(monkeypatch):
    """A complete greedy timetable is completed with its lessons fixed in the domains
    of a copy (not under assumptions), and without that step the assumption rounds
    complete it too; either way the model's own domains are untouched."""
    from jianfu.instances.generator import generate_school
    from jianfu.models.core import compile_school
    from jianfu.solver.school import hint
    from jianfu.solver.school.build import build
    from jianfu.solver.school.objective import add_objective
    from ortools.sat.python import cp_model
    s = generate_school("junior", 1, 2)
    problem = compile_school(s, s.policy())
    for without_fixing in (False, True):
        if without_fixing:
            monkeypatch.setattr(hint, "_fixed_completion", lambda *a, **k: None)
        model = cp_model.CpModel()
        v = build(model, problem)
        add_objective(model, problem, v)
        before = [tuple(var.domain) for var in model.Proto().variables]
        warm = hint.add_hint(model, problem, v, time_limit=30)
        assert warm is not None
        assert [tuple(var.domain) for var in model.Proto().variables] == before
        for a, act in enumerate(problem.activities):
            assert sum(warm.BooleanValue(var) for _, var in v.of_activity[a]) == act.count
