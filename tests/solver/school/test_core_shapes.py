"""The school engine on core activities of every shape, verified by the core checker.

Combined lessons (several groups), several teachers, placements of several periods and
activities tied to start together: each is solved (holds: the core checker finds
nothing and recomputes the engine's soft units), planted violations are found (must
fail), and a problem that is feasible only when the shape is ignored is proven
infeasible (binds).
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jianfu.models.core import (Activity, Constraint, Group, Problem, Slot, TeacherResource,
                                VenuePool)
from jianfu.models.core_check import CoreSolution, check_core, core_terms
from jianfu.models.errors import InputError
from jianfu.solver.result import Status
from jianfu.solver.school.solve import solve_problem

HARD = ("coverage", "class_clash", "teacher_clash", "venue_capacity", "teacher_daily_max",
        "double_period", "study_cap")
SOFT = (("main_morning", 1), ("pe_placement", 1), ("subject_once_daily", 2), ("spread", 1),
        ("parallel_step", 1), ("teacher_gaps", 1), ("teacher_consecutive", 1))


def grid(days: int, periods: int) -> tuple[Slot, ...]:
    """One bell schedule: 45-minute periods from 8:00 with 10-minute breaks; the second
    half of the day is afternoon, its first period right after lunch; periods 0-1 join."""
    out = []
    for d in range(days):
        for p in range(periods):
            start = 8 * 60 + p * 55 + (90 if p >= periods // 2 else 0)
            out.append(Slot(d, p, 0, start, start + 45, joined_next=p == 0,
                            afternoon=p >= periods // 2, after_lunch=p == periods // 2))
    return tuple(out)


def problem(activities: list[Activity], *, groups: int = 2, teachers: int = 4, days: int = 2,
            periods: int = 4, ties: tuple[tuple[int, ...], ...] = (),
            pools: tuple[VenuePool, ...] = (), max_per_day: int | None = None) -> Problem:
    slots = grid(days, periods)
    every = tuple(range(len(slots)))
    return Problem(
        name="core", days=tuple(f"day{d}" for d in range(days)), slots=slots,
        groups=tuple(Group(f"G{g}", every, study_cap=None, cohort="grade 1",
                           school_days=tuple(range(days))) for g in range(groups)),
        teachers=tuple(TeacherResource(f"T{t}", max_per_day=max_per_day)
                       for t in range(teachers)),
        pools=pools,
        activities=tuple(replace(a, slots=a.slots or every) for a in activities),
        constraints=tuple([Constraint(f, True) for f in HARD]
                          + [Constraint("same_start", True, activities=t) for t in ties]
                          + [Constraint(f, False, w, (("max", 2),) if f == "teacher_consecutive"
                                        else ()) for f, w in SOFT]))


def act(name: str, groups: tuple[int, ...], teachers: tuple[int, ...], count: int, *,
        subject: int = 0, duration: int = 1, doubles: int = 0, pool: int | None = None,
        main: bool = False) -> Activity:
    return Activity(name, groups, teachers, subject, count, (), doubles=doubles, pool=pool,
                    main=main, duration=duration)


def every_shape() -> Problem:
    """A combined lesson, a two-teacher lesson, a double-length lesson, a tied pair, a
    room of one, and unit lessons around them, on two days of four periods."""
    return problem([
        act("G0+G1/合班", (0, 1), (0,), 2, subject=1),
        act("G0/双师", (0,), (1, 2), 1, subject=2),
        act("G1/实验 ×2", (1,), (3,), 1, subject=3, duration=2, pool=0),
        act("G0/走班A", (0,), (2,), 1, subject=4),
        act("G1/走班B", (1,), (1,), 1, subject=4),
        act("G0/语文", (0,), (3,), 3, subject=5, main=True, doubles=1),
        act("G1/语文", (1,), (0,), 2, subject=5, main=True),
    ], ties=((3, 4),), pools=(VenuePool("lab", (0,), (1,)),))


def solved(p: Problem) -> CoreSolution:
    r = solve_problem(p, time_limit=10, workers=1, seed=0)
    assert r.status in (Status.OPTIMAL, Status.FEASIBLE), r.explanation
    return r.solution


def test_every_shape_is_placed_and_passes_the_core_checker() -> None:
    p = every_shape()
    r = solve_problem(p, time_limit=10, workers=1, seed=0)
    assert r.status is Status.OPTIMAL
    assert check_core(p, r.solution) == []
    assert core_terms(p, r.solution) == r.terms
    starts = dict.fromkeys(range(len(p.activities)), 0)
    for a, _ in r.solution.starts:
        starts[a] += 1
    assert starts == {a: x.count for a, x in enumerate(p.activities)}
    ties = {a: {s for b, s in r.solution.starts if b == a} for a in (3, 4)}
    assert ties[3] == ties[4]
    lab = [(a, s) for a, s in r.solution.starts if a == 2]
    assert r.solution.venues[("lesson", *lab[0])] == 0


def test_planted_violations_are_found() -> None:
    p = every_shape()
    good = solved(p)
    combined = next(s for a, s in good.starts if a == 0)
    long_start = next(s for a, s in good.starts if a == 2)

    def moved(a: int, to: int) -> CoreSolution:
        old = next(s for b, s in good.starts if b == a)
        starts = list(good.starts)
        starts[starts.index((a, old))] = (a, to)
        venues = dict(good.venues)
        if ("lesson", a, old) in venues:
            venues[("lesson", a, to)] = venues.pop(("lesson", a, old))
        return CoreSolution(tuple(starts), good.sessions, venues)

    # the long lesson moved onto the combined lesson: group 1 twice at once
    rules = {v.rule for v in check_core(p, moved(2, combined))}
    assert "class_clash" in rules
    # the long lesson started in the last period of a day: it does not fit
    assert {v.rule for v in check_core(p, moved(2, 3))} >= {"start_domain"}
    # one half of the tied pair moved alone
    tied = next(s for a, s in good.starts if a == 3)
    other = next(s for s in range(len(p.slots)) if s != tied)
    assert "same_start" in {v.rule for v in check_core(p, moved(3, other))}
    # the two-teacher lesson with teacher 2 busy in the tied lesson at the same time
    assert "teacher_clash" in {v.rule for v in check_core(p, moved(1, tied))}
    # a placement dropped
    fewer = CoreSolution(tuple(x for x in good.starts if x[0] != 2), good.sessions, good.venues)
    assert [v.rule for v in check_core(p, fewer)] == ["coverage"]
    assert long_start is not None


@pytest.mark.parametrize("case", ["combined", "two_teachers", "duration", "tied"])
def test_each_shape_binds(case: str) -> None:
    """Feasible if the shape were read as a plain lesson; proven infeasible as it is."""
    if case == "combined":       # G1 needs 2 combined + 3 own lessons in 4 slots
        acts = [act("合班", (0, 1), (0,), 2), act("G1", (1,), (1,), 3)]
    elif case == "two_teachers":  # T1 teaches 2 with T0 and 3 alone: 5 in 4 slots
        acts = [act("双师", (0,), (0, 1), 2), act("G1", (1,), (1,), 3)]
    elif case == "duration":     # 2 × 2 periods fill G0's four slots; one more lesson
        acts = [act("长课", (0,), (0,), 2, duration=2), act("G0", (0,), (1,), 1)]
    else:                        # two groups, one teacher, tied to start together
        acts = [act("A", (0,), (0,), 1), act("B", (1,), (0,), 1)]
    p = problem(acts, days=2, periods=2, ties=((0, 1),) if case == "tied" else ())
    r = solve_problem(p, time_limit=10, workers=1)
    assert r.status is Status.INFEASIBLE and r.solution is None
    if case == "tied":
        untied = problem(acts, days=2, periods=2)
        assert solve_problem(untied, time_limit=10, workers=1).status is Status.OPTIMAL


def test_shapes_no_timetable_can_mean_are_refused() -> None:
    with pytest.raises(InputError, match="doubles"):
        solve_problem(problem([act("长课", (0,), (0,), 2, duration=2, doubles=1)]))
    with pytest.raises(InputError, match="equal weekly counts"):
        solve_problem(problem([act("A", (0,), (0,), 1), act("B", (1,), (1,), 2)],
                              ties=((0, 1),)))


@st.composite
def random_problem(draw: st.DrawFn) -> Problem:
    n_groups, n_teachers = draw(st.integers(1, 3)), draw(st.integers(1, 4))
    acts = []
    for i in range(draw(st.integers(1, 6))):
        groups = tuple(sorted(draw(st.sets(st.integers(0, n_groups - 1), min_size=1,
                                           max_size=n_groups))))
        teachers = tuple(sorted(draw(st.sets(st.integers(0, n_teachers - 1), max_size=2))))
        duration = draw(st.integers(1, 2))
        acts.append(act(f"a{i}", groups, teachers, draw(st.integers(1, 3)),
                        subject=draw(st.integers(0, 2)), duration=duration,
                        doubles=draw(st.integers(0, 1)) if duration == 1 else 0,
                        main=draw(st.booleans()), pool=draw(st.sampled_from([None, 0]))))
    acts = [a if 2 * a.doubles <= a.count else replace(a, doubles=0) for a in acts]
    return problem(acts, groups=n_groups, teachers=n_teachers, days=3, periods=4,
                   pools=(VenuePool("room", (0, 1), (1, 1)),),
                   max_per_day=draw(st.sampled_from([None, 3])))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_problem())
def test_any_timetable_of_the_engine_passes_the_core_checker(p: Problem) -> None:
    r = solve_problem(p, time_limit=5, workers=1, seed=0)
    if r.solution is None:
        assert r.status in (Status.INFEASIBLE, Status.UNKNOWN)
        return
    assert check_core(p, r.solution) == []
    assert core_terms(p, r.solution) == r.terms
    assert r.objective == pytest.approx(sum(w * r.terms[k] for k, w in r.weights.items()))


def test_a_generated_school_with_combined_pe_and_tied_english() -> None:
    """A whole primary school (2 classes a grade) in which each grade's two PE
    activities become one combined lesson with one teacher, and in each grade one
    subject taught by two teachers is tied to start together (a 走班 block)."""
    from jianfu.instances.generator import generate_school
    from jianfu.models.core import compile_school

    school = generate_school("primary", 2, 1)
    base = compile_school(school, school.policy())
    by_cohort: dict[tuple[str, int], list[int]] = {}
    for a, x in enumerate(base.activities):
        by_cohort.setdefault((base.groups[x.group].cohort, x.subject), []).append(a)
    pe = {s for s, sub in enumerate(school.subjects) if sub.is_pe}
    acts, ties, dropped, tied_cohorts = list(base.activities), [], set(), set()
    for (cohort, subject), members in by_cohort.items():
        if len(members) != 2:
            continue
        a, b = members
        if subject in pe:
            common = tuple(s for s in acts[a].slots if s in set(acts[b].slots))
            acts[a] = replace(acts[a], groups=(acts[a].group, acts[b].group), slots=common,
                              doubles=0)
            dropped.add(b)
        elif cohort not in tied_cohorts and acts[a].teacher != acts[b].teacher \
                and not acts[a].doubles and not acts[b].doubles:
            ties.append((a, b))
            tied_cohorts.add(cohort)
    keep = [a for a in range(len(acts)) if a not in dropped]
    renumber = {a: i for i, a in enumerate(keep)}
    p = Problem(base.name, base.days, base.slots, base.groups, base.teachers, base.pools,
                tuple(acts[a] for a in keep),
                base.constraints + tuple(Constraint("same_start", True,
                                                    activities=(renumber[a], renumber[b]))
                                         for a, b in ties))
    assert dropped and ties
    r = solve_problem(p, time_limit=8, workers=2, seed=0)
    assert r.status in (Status.OPTIMAL, Status.FEASIBLE)
    assert check_core(p, r.solution) == []
    assert core_terms(p, r.solution) == r.terms


def test_the_one_checked_path_takes_a_core_problem() -> None:
    from jianfu.solver.checked import solve_checked

    p = every_shape()
    checked = solve_checked(p, time_limit=10, workers=1, seed=0)
    assert checked.compliant and not checked.rejected and checked.violations == ()
    assert checked.summary.terms == checked.result.terms
    assert "(core problem)" in checked.report and "合规 compliant" in checked.report
