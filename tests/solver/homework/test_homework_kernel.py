"""The homework kernel: numba Newton vs the NumPy twin, the projected-gradient kernel and
the exact HiGHS QP, KKT, discrete steps."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jianfu.solver.homework.fista import fista_kernel
from jianfu.solver.homework.kernel import (_project_day, cell_bounds, choose_evening_subjects,
                                           homework_kernel, kkt_residual, objective)
from jianfu.solver.homework.plan import solve_arrays
from jianfu.solver.homework.reference import solve_reference, solve_reference_batch
from jianfu.solver.homework.twin import _project_rows, homework_twin

TIGHT = 1e-7


def random_district(rng: np.random.Generator, n_c: int, n_d: int, n_s: int, density: float,
                    alpha: float, beta: float):
    """Caps, eligibility, subject caps, targets (often above the caps), groups, weights."""
    caps = rng.choice([0.0, 30.0, 45.0, 60.0, 90.0, 120.0], size=(n_c, n_d))
    eligible = rng.random((n_c, n_d, n_s)) < density
    ub = np.where(rng.random((n_c, n_s)) < 0.3, rng.choice([10.0, 20.0, 30.0], (n_c, n_s)),
                  np.inf)
    targets = rng.uniform(0.0, 300.0, (n_c, n_s))
    group = rng.integers(0, max(1, n_c // 2), n_c)
    return caps, eligible, ub, targets, group, alpha, beta


@st.composite
def districts(draw):
    """Small random districts for hypothesis."""
    return random_district(np.random.default_rng(draw(st.integers(0, 2**31 - 1))),
                           draw(st.integers(1, 6)), draw(st.integers(1, 6)),
                           draw(st.integers(1, 5)), draw(st.floats(0.2, 1.0)),
                           draw(st.sampled_from([0.0, 0.5, 1.0, 3.0])),
                           draw(st.sampled_from([0.0, 0.5, 2.0])))


def _feasible(x, caps, eligible, ub):
    u = cell_bounds(caps, eligible, ub)
    assert (x >= -1e-12).all()
    assert (x <= u + 1e-9).all()
    assert (x[~eligible] == 0).all()
    assert (x.sum(axis=2) <= caps + 1e-9).all()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(districts())
def test_kernel_and_twin_agree_and_satisfy_kkt(data) -> None:
    caps, eligible, ub, targets, group, alpha, beta = data
    kern = homework_kernel(caps, eligible, ub, targets, group, alpha, beta, tol=TIGHT)
    twin = homework_twin(caps, eligible, ub, targets, group, alpha, beta, tol=TIGHT)
    for x in (kern.x, twin.x):
        _feasible(x, caps, eligible, ub)
    f_k = objective(kern.x, eligible, targets, group, alpha, beta)
    f_t = objective(twin.x, eligible, targets, group, alpha, beta)
    assert abs(f_k - f_t) <= 1e-9 * max(1.0, f_k)
    # the problem is convex: KKT at x certifies that x is optimal
    assert kkt_residual(kern.x, caps, eligible, ub, targets, group, alpha, beta) <= 1e-5


def test_kernel_matches_exact_reference_on_random_districts() -> None:
    # HiGHS runs in a child process (it cannot share one with ortools): batch the cases
    rng = np.random.default_rng(20261122)
    cases = [random_district(rng, int(rng.integers(1, 9)), int(rng.integers(1, 7)),
                             int(rng.integers(1, 7)), float(rng.uniform(0.2, 1.0)),
                             float(rng.choice([0.0, 0.5, 1.0, 3.0])),
                             float(rng.choice([0.0, 0.5, 2.0]))) for _ in range(30)]
    refs = solve_reference_batch(cases)
    for (caps, eligible, ub, targets, group, alpha, beta), ref in zip(cases, refs):
        assert ref.status == "Optimal"
        kern = homework_kernel(caps, eligible, ub, targets, group, alpha, beta, tol=TIGHT)
        f_k = objective(kern.x, eligible, targets, group, alpha, beta)
        f_r = objective(ref.x, eligible, targets, group, alpha, beta)
        assert abs(f_r - ref.objective) <= 1e-6 * max(1.0, abs(ref.objective))
        assert abs(f_k - ref.objective) <= 1e-6 * max(1.0, abs(ref.objective))
        assert f_k <= ref.objective + 1e-6 * max(1.0, abs(ref.objective))
        assert kkt_residual(kern.x, caps, eligible, ub, targets, group, alpha, beta) <= 1e-5


def test_single_cell_optimum_is_exact() -> None:
    # min x² + α (x − T)²  →  x = αT / (1 + α): 40·1/2 = 20
    caps = np.array([[60.0]])
    eligible = np.ones((1, 1, 1), dtype=bool)
    res = homework_kernel(caps, eligible, np.array([np.inf]), np.array([[40.0]]),
                          np.zeros(1, dtype=int), 1.0, 0.5, tol=1e-10)
    assert res.x[0, 0, 0] == pytest.approx(20.0, abs=1e-8)


def test_daily_cap_binds() -> None:
    # unconstrained optimum 100 (T = 200, α = 1) is cut to the cap of 60
    res = homework_kernel(np.array([[60.0]]), np.ones((1, 1, 1), dtype=bool),
                          np.array([np.inf]), np.array([[200.0]]), np.zeros(1, dtype=int),
                          1.0, 0.0, tol=1e-10)
    assert res.x[0, 0, 0] == pytest.approx(60.0, abs=1e-8)


def test_subject_cap_binds_and_rest_moves_to_other_subject() -> None:
    # two subjects, one day, cap 90; subject 0 capped at 10
    caps = np.array([[90.0]])
    eligible = np.ones((1, 1, 2), dtype=bool)
    ub = np.array([10.0, np.inf])
    targets = np.array([[120.0, 30.0]])
    res = homework_kernel(caps, eligible, ub, targets, np.zeros(1, dtype=int), 1.0, 0.0,
                          tol=1e-10)
    ref = solve_reference(caps, eligible, ub, targets, np.zeros(1, dtype=int), 1.0, 0.0)
    assert res.x[0, 0, 0] == pytest.approx(10.0, abs=1e-8)
    np.testing.assert_allclose(res.x, ref.x, atol=1e-5)


def test_parallel_classes_pulled_together() -> None:
    # two parallel classes, same cell, different targets: β pulls them together
    caps = np.full((2, 1), 90.0)
    eligible = np.ones((2, 1, 1), dtype=bool)
    targets = np.array([[20.0], [60.0]])
    group = np.array([7, 7])
    apart = homework_kernel(caps, eligible, np.array([np.inf]), targets, group, 1.0, 0.0,
                            tol=1e-10).x[:, 0, 0]
    close = homework_kernel(caps, eligible, np.array([np.inf]), targets, group, 1.0, 5.0,
                            tol=1e-10).x[:, 0, 0]
    assert apart == pytest.approx([10.0, 30.0])
    assert abs(close[1] - close[0]) < abs(apart[1] - apart[0])
    ref = solve_reference(caps, eligible, np.array([np.inf]), targets, group, 1.0, 5.0)
    np.testing.assert_allclose(close, ref.x[:, 0, 0], atol=1e-5)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-50, 150), min_size=1, max_size=8), st.floats(0, 120),
       st.integers(0, 2**31 - 1))
def test_projection_is_exact(values, cap, seed) -> None:
    v = np.array(values)
    rng = np.random.default_rng(seed)
    u = np.where(rng.random(len(v)) < 0.2, 0.0, rng.choice([5.0, 30.0, 200.0], len(v)))
    y = np.zeros_like(v)
    _project_day(v, u, cap, y, np.zeros(2 * len(v) + 1))
    twin = _project_rows(v[None], u[None], np.array([cap]))[0]
    np.testing.assert_allclose(y, twin, atol=1e-9)
    assert (y >= 0).all() and (y <= u + 1e-12).all() and y.sum() <= cap + 1e-9
    # optimality: y = clip(v − τ, 0, u) for one τ ≥ 0, and τ > 0 only when the cap binds
    free = (y > 1e-9) & (y < u - 1e-9)
    if free.any():
        tau = (v - y)[free]
        assert np.ptp(tau) < 1e-7 and tau[0] > -1e-9
        if tau[0] > 1e-7:
            assert y.sum() == pytest.approx(cap, abs=1e-7)


def test_evening_choice_apportions_by_dhondt() -> None:
    # one class, five days, 语文 (w 119) and 数学 (w 68) in one group, 外语 (34) in another
    eligible = np.ones((1, 5, 3), dtype=bool)
    weights = np.array([[119.0, 68.0, 34.0]])
    out = choose_evening_subjects(weights, eligible, np.array([True]), np.array([0, 0, 1]),
                                  np.array([2]))
    assert out[0, :, 0].sum() == 3 and out[0, :, 1].sum() == 2      # 语文 3 evenings, 数学 2
    assert (out[0, :, :2].sum(axis=1) == 1).all()                     # one of the group
    assert (out.sum(axis=2) <= 2).all()
    # max one subject: the larger quotient wins each evening
    one = choose_evening_subjects(weights, eligible, np.array([True]), np.array([0, 0, 1]),
                                  np.array([1]))
    assert (one.sum(axis=2) == 1).all()
    # a class without the rule keeps everything
    same = choose_evening_subjects(weights, eligible, np.array([False]), np.array([0, 0, 1]),
                                   np.array([2]))
    assert (same == eligible).all()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(districts())
def test_rounding_keeps_every_cap(data) -> None:
    caps, eligible, ub, targets, group, alpha, beta = data
    caps = caps + np.where(caps > 0, 3.0, 0.0)       # caps off the grid too
    sol = solve_arrays(caps, eligible, ub, targets, group, alpha, beta, tol=1e-5)
    m = sol.minutes
    u = cell_bounds(caps, eligible, ub)
    assert (m % 5 == 0).all() and (m >= 0).all()
    assert (m <= u + 1e-9).all()
    assert (m.sum(axis=2) <= caps + 1e-9).all()
    assert (m[~eligible] == 0).all()
    assert sol.rounding_max < 5.0 + 1e-9
    assert sol.rounding_total == pytest.approx(np.abs(m - sol.continuous).sum(), abs=1e-6)


def test_kernel_runs_without_jit() -> None:
    code = (
        "import numpy as np\n"
        "from jianfu.solver.homework.kernel import homework_kernel\n"
        "from jianfu.solver.homework.twin import homework_twin\n"
        "rng = np.random.default_rng(3)\n"
        "caps = np.full((4, 3), 60.0); el = rng.random((4, 3, 4)) < 0.6\n"
        "ub = np.full(4, np.inf); T = rng.uniform(0, 100, (4, 4)); g = np.array([0, 0, 1, 1])\n"
        "a = homework_kernel(caps, el, ub, T, g, 1.0, 0.5, tol=1e-8).x\n"
        "b = homework_twin(caps, el, ub, T, g, 1.0, 0.5, tol=1e-8).x\n"
        "assert np.abs(a - b).max() < 1e-6, np.abs(a - b).max()\n"
        "import numba; print(numba.config.DISABLE_JIT)\n")
    env = dict(os.environ, NUMBA_DISABLE_JIT="1")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "1"


def test_bad_shapes_are_rejected() -> None:
    with pytest.raises(ValueError, match="caps"):
        homework_kernel(np.zeros((2, 3)), np.ones((2, 2, 1), dtype=bool), np.ones(1),
                        np.zeros((2, 1)), np.zeros(2, dtype=int), 1.0, 0.5)
    with pytest.raises(ValueError, match="alpha"):
        homework_kernel(np.zeros((1, 1)), np.ones((1, 1, 1), dtype=bool), np.ones(1),
                        np.zeros((1, 1)), np.zeros(1, dtype=int), -1.0, 0.5)


# --- the Newton kernel: parallel classes coupled (β > 0) and caps that bind ------------

def _binding_district(rng: np.random.Generator, n_c: int, beta: float):
    """A district whose daily caps bind: targets well above what the caps allow, a few
    subject caps, groups of three parallel classes sharing most of their timetable."""
    n_d, n_s = 5, 6
    caps = rng.choice([30.0, 45.0, 60.0], size=(n_c, n_d))
    base = rng.random((n_c // 3 + 1, n_d, n_s)) < 0.7
    group = np.arange(n_c) // 3
    eligible = base[group] ^ (rng.random((n_c, n_d, n_s)) < 0.1)
    ub = np.where(rng.random((n_c, n_s)) < 0.3, 15.0, np.inf)
    targets = rng.uniform(60.0, 200.0, (n_c, n_s))
    return caps, eligible, ub, targets, group, 1.0, beta


@pytest.mark.parametrize("beta", [0.5, 2.0, 5.0])
def test_newton_reaches_the_exact_optimum_when_caps_bind(beta) -> None:
    rng = np.random.default_rng(int(beta * 10))
    cases = [_binding_district(rng, n_c, beta) for n_c in (3, 6, 9, 12)]
    refs = solve_reference_batch(cases, by_group=True)
    for (caps, eligible, ub, targets, group, alpha, beta_), ref in zip(cases, refs):
        assert ref.status == "Optimal"
        res = homework_kernel(caps, eligible, ub, targets, group, alpha, beta_)
        _feasible(res.x, caps, eligible, ub)
        # the caps bind: most class-days are full, and some subject caps are reached
        assert (res.x.sum(axis=2) >= caps - 1e-6).mean() > 0.5
        assert np.isclose(res.x, 15.0).any()
        f = objective(res.x, eligible, targets, group, alpha, beta_)
        assert abs(f - ref.objective) <= 1e-6 * ref.objective
        assert kkt_residual(res.x, caps, eligible, ub, targets, group, alpha, beta_) <= 1e-6
        # the independent reference: the NumPy twin of the projected-gradient method
        # (its numba kernel, fista.py, is the same algorithm: compared in the slow test)
        twin = homework_twin(caps, eligible, ub, targets, group, alpha, beta_, tol=TIGHT)
        f_o = objective(twin.x, eligible, targets, group, alpha, beta_)
        assert abs(f - f_o) <= 1e-9 * f_o
        assert res.passes == 1 and res.iterations <= 20


def test_newton_on_the_benchmark_district_matches_highs() -> None:
    from jianfu.benchmarks.bench_homework import synthetic_district

    data = synthetic_district(120)
    ref = solve_reference(*data, 1.0, 0.5, by_group=True)
    res = homework_kernel(*data, 1.0, 0.5)
    f = objective(res.x, data[1], data[3], data[4], 1.0, 0.5)
    assert abs(f - ref.objective) <= 1e-6 * ref.objective
    assert res.evaluations < 10          # a few class solves per class, not hundreds


def test_groups_are_solved_independently_and_deterministically() -> None:
    rng = np.random.default_rng(11)
    caps, eligible, ub, targets, group, alpha, beta = _binding_district(rng, 12, 0.5)
    whole = homework_kernel(caps, eligible, ub, targets, group, alpha, beta).x
    again = homework_kernel(caps, eligible, ub, targets, group, alpha, beta).x
    assert np.array_equal(whole, again)
    for g in np.unique(group):
        rows = np.flatnonzero(group == g)
        alone = homework_kernel(caps[rows], eligible[rows], ub[rows], targets[rows],
                                group[rows], alpha, beta).x
        assert np.array_equal(alone, whole[rows])


def test_one_group_of_many_classes() -> None:
    # the Newton system is over the group's cells, not its classes: 40 classes, one grade
    rng = np.random.default_rng(4)
    caps, eligible, ub, targets, _, alpha, beta = _binding_district(rng, 40, 2.0)
    group = np.zeros(40, dtype=int)
    res = homework_kernel(caps, eligible, ub, targets, group, alpha, beta)
    ref = solve_reference(caps, eligible, ub, targets, group, alpha, beta)
    f = objective(res.x, eligible, targets, group, alpha, beta)
    assert abs(f - ref.objective) <= 1e-6 * ref.objective


@pytest.mark.slow
def test_the_numba_projected_gradient_kernel_agrees_with_newton() -> None:
    # fista.py (the previous kernel, the benchmark's baseline) reaches the same optimum
    rng = np.random.default_rng(5)
    for n_c in (3, 6, 9, 12):
        caps, eligible, ub, targets, group, alpha, beta = _binding_district(rng, n_c, 0.5)
        f = objective(homework_kernel(caps, eligible, ub, targets, group, alpha, beta).x,
                      eligible, targets, group, alpha, beta)
        old = fista_kernel(caps, eligible, ub, targets, group, alpha, beta, tol=TIGHT)
        f_o = objective(old.x, eligible, targets, group, alpha, beta)
        assert abs(f - f_o) <= 1e-9 * f_o
