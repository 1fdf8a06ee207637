"""plan_homework on small schools with hand-made timetables: every plan passes the checker."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jianfu.models.errors import InputError
from jianfu.models.homework import WEEKEND, eligible_cell, taught_cells
from jianfu.models.homework_check import check_homework
from jianfu.models.policy import load_policy
from jianfu.solver.homework.problem import build_problem
from jianfu.solver.homework.report import format_plan_summary, format_weekly_table, plan_frame
from jianfu.solver.homework.plan import plan_homework

from builders import homework_school, round_robin_timetable


def _assert_compliant(school, policy, tt, plan) -> None:
    assert check_homework(school, policy, tt, plan) == []
    m = plan.array()
    taught = taught_cells(school, tt)
    for c, sc in enumerate(school.classes):
        for d in range(len(plan.days)):
            weekend = plan.weekend and d == len(school.days)
            assert m[c, d].sum() <= policy.homework_cap(sc.grade, weekend)
            for s in range(len(school.subjects)):
                if m[c, d, s]:
                    assert eligible_cell(school, taught, c, d, s, plan.weekend)
                    cap = policy.subject_cap(school.subjects[s].name)
                    assert cap is None or m[c, d, s] <= cap
        if sc.grade <= 2:
            assert m[c].sum() == 0
    oral = plan.oral_array()
    for c, sc in enumerate(school.classes):
        for d in range(len(plan.days)):
            assert oral[c, d].sum() <= (policy.lower_grades_oral_minutes if sc.grade <= 2 else 0)
            most = policy.lower_grades_max_oral_subjects
            assert most is None or np.count_nonzero(oral[c, d]) <= most
            for s in np.flatnonzero(oral[c, d]):
                assert eligible_cell(school, taught, c, d, s, plan.weekend)
    assert (m % 5 == 0).all() and (oral % 5 == 0).all()


def test_national_plan_is_compliant_and_balanced() -> None:
    school = homework_school((1, 2, 3, 3, 6, 7, 9))
    tt = round_robin_timetable(school, {3: 2})
    plan = plan_homework(school, tt)
    policy = school.policy()
    _assert_compliant(school, policy, tt, plan)
    assert plan.days == school.days and not plan.weekend
    assert plan.metrics.max_daily_load <= 90
    assert plan.metrics.max_daily_load > 0
    assert plan.metrics.rounding_max < 5
    # the twin (another algorithm, at its default tolerance) reaches the same optimum; the
    # optimum may have flat directions, so minutes may differ where the objective does not
    twin = plan_homework(school, tt, use_jit=False)
    _assert_compliant(school, policy, tt, twin)
    assert twin.metrics.objective == pytest.approx(plan.metrics.objective, rel=1e-5)
    assert plan.metrics.objective <= twin.metrics.objective * (1 + 1e-9)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(1, 9), min_size=1, max_size=6),
       st.sampled_from(["national", "panjin", "zhongxian", "chengnan"]),
       st.integers(0, 4))
def test_random_schools_always_compliant(grades, profile, shift) -> None:
    school = homework_school(tuple(grades), profile)
    tt = round_robin_timetable(school, {c: (c * shift) % 5 for c in range(len(grades))})
    plan = plan_homework(school, tt)
    _assert_compliant(school, school.policy(), tt, plan)


def test_chengnan_evening_rule_holds_and_shares_evenings() -> None:
    school = homework_school((3, 3, 4, 5, 6), "chengnan")
    tt = round_robin_timetable(school, {1: 1})
    policy = school.policy()
    plan = plan_homework(school, tt)
    _assert_compliant(school, policy, tt, plan)
    rule = policy.evening_rule
    m = plan.array()
    chinese, maths = school.subject_index["语文"], school.subject_index["数学"]
    for c, sc in enumerate(school.classes):
        if sc.grade in rule.grades:
            for d in range(len(plan.days)):
                names = [school.subjects[s].name for s in np.flatnonzero(m[c, d])]
                assert len(names) <= 2
                assert sum(n in rule.groups[0] for n in names) <= 1
                assert sum(n in rule.groups[1] for n in names) <= 1
            # 数学 is not starved behind 语文: both get evenings
            assert m[c, :, chinese].sum() > 0 and m[c, :, maths].sum() > 0
    # grade 6 is outside the rule: more than two subjects on some evening
    six = school.class_index["6年级1班"]
    assert max(np.count_nonzero(m[six, d]) for d in range(5)) > 2


def test_infeasible_requests_are_reduced_and_reported() -> None:
    school = homework_school((3, 7))
    tt = round_robin_timetable(school)
    chinese = school.subject_index["语文"]
    requests = {(0, chinese): 2000.0, (1, chinese): 50.0}
    plan = plan_homework(school, tt, requests=requests)
    _assert_compliant(school, school.policy(), tt, plan)
    row = next(r for r in plan.targets if (r.cls, r.subject) == (0, chinese))
    assert row.target == 2000.0 and row.infeasible
    assert row.planned <= row.capacity <= 5 * 60
    assert plan.metrics.reduced_targets >= 1
    assert "目标超出上限" in format_plan_summary(plan)
    assert "中午" not in format_plan_summary(plan, school.policy())
    assert "中午不布置作业" in format_plan_summary(plan, load_policy("chengnan"))
    assert "2000" in format_plan_summary(plan)
    # the clerk's summary has no solver figures; --verbose adds them
    plain, verbose = format_plan_summary(plan), format_plan_summary(plan, verbose=True)
    for word in ("objective", "目标函数", "iterations", "kernel", "rounding"):
        assert word not in plain and word in verbose, word
    assert "最大日作业量 max daily load" in plain


def test_subject_caps_from_the_profile_hold() -> None:
    caps = {"语文": 15, "数学": 10}
    school = homework_school((7, 7, 8), overrides=(("subject_homework_caps", caps),))
    tt = round_robin_timetable(school)
    policy = school.policy()
    assert policy.subject_cap("语文") == 15
    plan = plan_homework(school, tt)
    _assert_compliant(school, policy, tt, plan)
    m = plan.array()
    assert m[:, :, school.subject_index["语文"]].max() == 15       # the cap binds
    assert m[:, :, school.subject_index["数学"]].max() <= 10


def test_weekend_bucket_takes_the_last_school_days_subjects() -> None:
    school = homework_school((5, 8), overrides=(("weekend_controlled", True),))
    tt = round_robin_timetable(school)
    policy = school.policy()
    plan = plan_homework(school, tt)
    assert plan.weekend and plan.days[-1] == WEEKEND and len(plan.days) == 6
    _assert_compliant(school, policy, tt, plan)
    taught_friday = {(l.cls, l.subject) for l in tt.lessons if l.day == 4}
    m = plan.array()
    assert m[:, 5].sum() > 0
    for c, s in zip(*np.nonzero(m[:, 5])):
        assert (c, s) in taught_friday


def test_requests_for_unknown_indices_are_input_errors() -> None:
    school = homework_school((3,))
    with pytest.raises(InputError, match="requests"):
        build_problem(school, school.policy(), round_robin_timetable(school),
                      requests={(5, 1): 10.0})


def test_outputs_frame_and_table() -> None:
    school = homework_school((3, 7))
    plan = plan_homework(school, round_robin_timetable(school))
    frame = plan_frame(plan)
    assert list(frame.columns) == ["class", "day", "subject", "minutes", "kind"]
    assert frame["minutes"].sum() == plan.array().sum() and set(frame["kind"]) == {"书面"}
    text = format_weekly_table(plan)
    assert "3年级1班" in text and "语文" in text and "周一" in text and "合计" in text
    assert format_weekly_table(plan, 1).startswith("7年级1班")


def test_default_targets_fill_the_weekly_cap_share() -> None:
    school = homework_school((3, 7))
    policy = school.policy()
    problem = build_problem(school, policy, round_robin_timetable(school), fill=0.8)
    np.testing.assert_allclose(problem.targets.sum(axis=1), [0.8 * 300, 0.8 * 450])
    grade_one = homework_school((1,))
    lower = build_problem(grade_one, policy, round_robin_timetable(grade_one))
    assert lower.targets.sum() == 0 and lower.caps.sum() == 0
    with pytest.raises(InputError, match="fill"):
        build_problem(school, policy, round_robin_timetable(school), fill=1.5)


def test_district_in_one_call_matches_single_schools() -> None:
    from jianfu.solver.homework.plan import plan_district

    a = homework_school((3, 3, 7))
    b = homework_school((4, 9), "chengnan")
    ta, tb = round_robin_timetable(a, {1: 2}), round_robin_timetable(b)
    both, run = plan_district([(a, ta), (b, tb)])
    # the national school has no evening rule, so it joins chengnan's call
    assert (run.calls, run.classes) == (1, 5)
    assert [p.profile for p in both] == ["national", "chengnan"]
    for plan, school, tt in zip(both, (a, b), (ta, tb)):
        _assert_compliant(school, school.policy(), tt, plan)
    # schools share no parallel group, so one call plans each school as alone
    alone = plan_homework(a, ta)
    np.testing.assert_allclose(both[0].metrics.objective, alone.metrics.objective, rtol=1e-6)
    assert both[0].entries == alone.entries


def test_district_batches_schools_whose_profiles_cannot_share_a_call() -> None:
    from jianfu.solver.homework.plan import plan_district

    a = homework_school((3, 7))
    heavier = homework_school((3, 7), overrides=(("weights", {"homework_alpha": 2.0}),))
    regrouped = homework_school((3, 4), "chengnan", (("evening_rule", {
        "grades": [3, 4], "max_subjects": 2, "groups": [["语文", "外语"], ["数学", "科学"]]}),))
    chengnan = homework_school((3, 4), "chengnan")
    pairs = [(s, round_robin_timetable(s)) for s in (a, heavier, regrouped, chengnan)]
    plans, run = plan_district(pairs)
    # α differs, and the two evening rules group subjects differently: three calls
    assert (run.calls, run.classes) == (3, 8)
    for (school, tt), plan in zip(pairs, plans):
        _assert_compliant(school, school.policy(), tt, plan)
        assert plan.entries == plan_homework(school, tt).entries


def test_start_point_does_not_change_the_optimum() -> None:
    from jianfu.solver.homework.kernel import homework_kernel, objective

    rng = np.random.default_rng(5)
    caps = np.full((6, 5), 60.0)
    el = rng.random((6, 5, 4)) < 0.6
    ub = np.full(4, np.inf)
    targets = rng.uniform(0, 200, (6, 4))
    group = np.array([0, 0, 0, 1, 1, 1])
    cold = homework_kernel(caps, el, ub, targets, group, 1.0, 0.5, tol=1e-8)
    warm = homework_kernel(caps, el, ub, targets, group, 1.0, 0.5, tol=1e-8,
                           x0=rng.uniform(0, 100, el.shape))
    f = [objective(r.x, el, targets, group, 1.0, 0.5) for r in (cold, warm)]
    assert f[0] == pytest.approx(f[1], rel=1e-9)


# --- grades 1–2: oral/practical homework -----------------------------------------------

def _taught_days(school, tt, c: int, s: int) -> set[int]:
    return {x.day for x in tt.lessons if x.cls == c and x.subject == s}


@pytest.mark.parametrize("profile", ["national", "chengnan"])
def test_grade_one_gets_oral_work_on_taught_days_and_no_written(profile) -> None:
    school = homework_school((1, 1, 2, 3), profile)
    tt = round_robin_timetable(school, {1: 1})
    policy = school.policy()
    plan = plan_homework(school, tt)
    _assert_compliant(school, policy, tt, plan)
    oral, written = plan.oral_array(), plan.array()
    limit = policy.lower_grades_oral_minutes
    assert limit == 15
    for c, sc in enumerate(school.classes):
        if sc.grade > 2:
            assert not oral[c].any() and written[c].any()
            continue
        assert not written[c].any()
        loads = oral[c].sum(axis=1)
        assert loads.max() <= limit and (loads > 0).all()       # every school day has some
        for s in np.flatnonzero(oral[c].any(axis=0)):
            assert school.subjects[s].homework
            assert set(np.flatnonzero(oral[c, :, s])) <= _taught_days(school, tt, c, s)
        subjects_a_day = (oral[c] > 0).sum(axis=1)
        if profile == "chengnan":
            assert (subjects_a_day == 1).all()                  # one subject a day
        else:
            assert subjects_a_day.max() >= 2                    # no subject limit nationally
    # the parallel classes 1年级1班 and 1年级2班 have the same week, shifted by a day
    assert sorted(oral[0].sum(axis=1)) == sorted(oral[1].sum(axis=1))
    text = format_weekly_table(plan, 0)
    assert "口头/实践作业" in text and "合计 书面" in text
    assert "口头/实践作业 oral/practical" in format_plan_summary(plan, policy)
    # the twin is another algorithm: the optimal daily loads are unique (the load term is
    # strictly convex), so after rounding they agree to one 5-minute step
    twin = plan_homework(school, tt, use_jit=False)

    def oral_loads(p):
        loads: dict[tuple[int, int], int] = {}
        for e in p.oral:
            loads[(e.cls, e.day)] = loads.get((e.cls, e.day), 0) + e.minutes
        return loads

    a, b = oral_loads(twin), oral_loads(plan)
    assert all(abs(a.get(key, 0) - b.get(key, 0)) <= 5 for key in set(a) | set(b))


def test_oral_limit_zero_plans_no_oral_work_and_the_limit_binds() -> None:
    off = homework_school((1, 2), overrides=(("lower_grades_oral_minutes", 0),))
    tt = round_robin_timetable(off)
    plan = plan_homework(off, tt)
    assert plan.oral == () and plan.entries == ()
    assert "口头" not in format_plan_summary(plan, off.policy())
    wide = homework_school((1,), "chengnan", (("lower_grades_oral_minutes", 30),))
    tt = round_robin_timetable(wide)
    plan = plan_homework(wide, tt, fill=1.0)
    _assert_compliant(wide, wide.policy(), tt, plan)
    assert plan.oral_array().sum(axis=2).max() == 30


def test_oral_work_in_the_weekend_bucket_follows_the_last_school_day() -> None:
    school = homework_school((1,), "chengnan", (("weekend_controlled", True),))
    tt = round_robin_timetable(school)
    plan = plan_homework(school, tt)
    _assert_compliant(school, school.policy(), tt, plan)
    weekend = plan.oral_array()[0, -1]
    assert plan.days[-1] == WEEKEND and 0 < weekend.sum() <= 15
    for s in np.flatnonzero(weekend):
        assert 4 in _taught_days(school, tt, 0, s)


def test_district_plans_oral_work_as_single_schools_do() -> None:
    from jianfu.solver.homework.plan import plan_district

    a = homework_school((1, 1, 3))
    b = homework_school((2, 4), "chengnan")
    c = homework_school((7,))                                  # no grade 1–2 class
    pairs = [(s, round_robin_timetable(s, {0: 1})) for s in (a, b, c)]
    plans, run = plan_district(pairs)
    assert run.calls == 1 and run.classes == 6
    for (school, tt), plan in zip(pairs, plans):
        _assert_compliant(school, school.policy(), tt, plan)
        assert plan.oral == plan_homework(school, tt).oral
    assert plans[0].oral and plans[1].oral and not plans[2].oral
