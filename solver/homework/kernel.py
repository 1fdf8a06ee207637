"""Homework quotas (作业总量统筹): a numba kernel that balances daily homework minutes.

The problem, for every class ``c`` of a district at once, school day ``d`` (plus a
weekend bucket when the profile controls weekends) and subject ``s``: minutes
``x[c,d,s] ≥ 0`` of written homework (the average pupil's completion time)::

    min  Σ_{c,d} load[c,d]²                                   (flat evenings)
       + α Σ_{c,s} (Σ_d x[c,d,s] − T[c,s])²                   (weekly targets)
       + β Σ_{g,d,s} Σ_{c ∈ E(g,d,s)} (x[c,d,s] − x̄[g,d,s])²  (parallel classes alike)
    s.t. load[c,d] = Σ_s x[c,d,s] ≤ cap[c,d]                 (profile's daily cap)
         0 ≤ x[c,d,s] ≤ ub[c,s]                               (per-subject cap)
         x[c,d,s] = 0 where the cell is not eligible

``E(g,d,s)`` is the set of classes of parallel group ``g`` (a grade of a school) for
which the cell is eligible, and ``x̄`` their mean: a class is compared with the
parallel classes that could set that subject's homework that day, not with classes
that had no lesson of it.

Algorithm (the same in :func:`homework_kernel` and its NumPy twin
:func:`jianfu.solver.homework.twin.homework_twin`): accelerated projected gradient (FISTA) with the
O'Donoghue–Candès gradient restart, on the whole district at once, in a diagonal
metric ``2·w[c,d]`` with ``w = (eligible cells that day) + α·(most eligible days of a
subject) + β``, which majorises the Hessian (Gershgorin row sums; the β part is
``β(I − P) ≤ βI``). The metric is constant within a class-day and the constraints
separate by class-day, so each step is one exact Euclidean projection per class-day
onto ``{0 ≤ y ≤ u, Σ y ≤ cap}`` — a continuous quadratic knapsack solved exactly by
sorting its ≤ 2S breakpoints, and only when the cap binds (Brucker 1984; Kiwiel
2008; docs/policy.md §2). The β coupling needs only the group means of the current point,
computed (with the momentum update) by a parallel loop over groups; the class step
is a parallel loop over classes. Iteration stops when a step moves no cell by more
than ``tol`` minutes. (A metric that keeps each day's load term exact needs ~10–40 %
fewer iterations but costs ~4× more per step: measured, not kept.)

Then the discrete steps: the subjects-per-evening choice
(:func:`choose_evening_subjects`, exact per class-day, followed by a continuous
re-solve with the chosen cells) and rounding to the 5-minute grid
(:func:`round_to_grid`), which never exceeds a cap. The checker-verified pipeline over
these pieces is :mod:`jianfu.solver.homework.plan`; its arrays come from
:mod:`jianfu.solver.homework.problem`.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

import numpy as np
from numba import njit, prange

log = logging.getLogger(__name__)

#: Default tolerance of the continuous solve: minutes a step may still move a cell.
#: Plans are rounded to 5 minutes; at 1e-3 the objective is within ~1e-7 relative of
#: HiGHS' exact optimum on the synthetic districts of benchmarks/RESULTS.md (3.7e-8 to
#: 8.5e-7 over 50 to 10,000 classes, "Homework kernel").
DEFAULT_TOL = 1e-3
#: Default iteration limit of the continuous solve.
DEFAULT_MAX_ITER = 20000


# ---------------------------------------------------------------------------------
# Shared preparation (NumPy)
# ---------------------------------------------------------------------------------

def _prepare(caps: np.ndarray, eligible: np.ndarray, ub: np.ndarray, targets: np.ndarray,
             group: np.ndarray, alpha: float, beta: float):
    """Validate the arrays and derive cell bounds, metric and group ordering."""
    caps = np.ascontiguousarray(caps, dtype=np.float64)
    eligible = np.ascontiguousarray(eligible, dtype=np.bool_)
    targets = np.ascontiguousarray(targets, dtype=np.float64)
    group = np.ascontiguousarray(group, dtype=np.int64)
    if eligible.ndim != 3:
        raise ValueError(f"eligible must be (C, D, S), got shape {eligible.shape}")
    n_c, n_d, n_s = eligible.shape
    ub = np.asarray(ub, dtype=np.float64)
    if ub.ndim == 1:
        ub = np.broadcast_to(ub[None, :], (n_c, n_s))
    ub = np.ascontiguousarray(ub)
    for name, arr, shape in (("caps", caps, (n_c, n_d)), ("ub", ub, (n_c, n_s)),
                             ("targets", targets, (n_c, n_s)), ("group", group, (n_c,))):
        if arr.shape != shape:
            raise ValueError(f"{name} must have shape {shape}, got {arr.shape}")
    if np.any(caps < 0) or np.any(np.isnan(caps)):
        raise ValueError("caps must be ≥ 0")
    if np.any(ub < 0) or np.any(np.isnan(ub)):
        raise ValueError("ub must be ≥ 0 (inf for no subject cap)")
    if alpha < 0 or beta < 0:
        raise ValueError(f"alpha and beta must be ≥ 0, got {alpha}, {beta}")
    _, g_inv = np.unique(group, return_inverse=True)
    g_inv = g_inv.reshape(-1).astype(np.int64)
    order = np.argsort(g_inv, kind="stable").astype(np.int64)
    n_g = int(g_inv.max()) + 1 if n_c else 0
    starts = np.zeros(n_g + 1, dtype=np.int64)
    np.cumsum(np.bincount(g_inv, minlength=n_g), out=starts[1:])
    return caps, eligible, ub, targets, g_inv, order, starts


def _group_sum(values: np.ndarray, g_inv: np.ndarray, n_g: int) -> np.ndarray:
    """Sum ``values[c]`` over the classes of each group (``g_inv`` in ``0..n_g−1``)."""
    if n_g == 0:
        return np.zeros((0,) + values.shape[1:])
    order = np.argsort(g_inv, kind="stable")
    starts = np.searchsorted(g_inv[order], np.arange(n_g))
    return np.add.reduceat(values[order], starts, axis=0)


def cell_bounds(caps: np.ndarray, eligible: np.ndarray, ub: np.ndarray) -> np.ndarray:
    """Upper bound of every cell: ``min(ub[c,s], cap[c,d])`` where eligible, else 0."""
    n_c, n_d, n_s = eligible.shape
    ub = np.broadcast_to(np.asarray(ub, dtype=np.float64).reshape(-1, n_s), (n_c, n_s))
    u = np.minimum(ub[:, None, :], np.asarray(caps, dtype=np.float64)[:, :, None])
    return np.where(eligible, u, 0.0)


def _residuals(x: np.ndarray, eligible: np.ndarray, targets: np.ndarray,
               group: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The three residuals of the objective: daily loads, gaps to the weekly targets,
    and each eligible cell's deviation from its parallel classes' mean."""
    x = np.where(eligible, np.asarray(x, dtype=np.float64), 0.0)
    load = x.sum(axis=2)
    gap = x.sum(axis=1) - targets
    _, g_inv = np.unique(np.asarray(group), return_inverse=True)
    g_inv = g_inv.reshape(-1)
    n_g = int(g_inv.max()) + 1 if len(g_inv) else 0
    gsum = _group_sum(x, g_inv, n_g)
    gcnt = _group_sum(eligible.astype(np.float64), g_inv, n_g)
    mean = np.divide(gsum, gcnt, out=np.zeros_like(gsum), where=gcnt > 0)
    dev = np.where(eligible, x - mean[g_inv], 0.0)
    return load, gap, dev


def objective(x: np.ndarray, eligible: np.ndarray, targets: np.ndarray, group: np.ndarray,
              alpha: float, beta: float) -> float:
    """The homework objective at ``x`` (see the module docstring)."""
    load, gap, dev = _residuals(x, eligible, targets, group)
    return float((load ** 2).sum() + alpha * (gap ** 2).sum() + beta * (dev ** 2).sum())


def gradient(x: np.ndarray, eligible: np.ndarray, targets: np.ndarray, group: np.ndarray,
             alpha: float, beta: float) -> np.ndarray:
    """Gradient of :func:`objective` (zero outside eligible cells)."""
    load, gap, dev = _residuals(x, eligible, targets, group)
    g = 2.0 * load[:, :, None] + 2.0 * alpha * gap[:, None, :] + 2.0 * beta * dev
    return np.where(eligible, g, 0.0)


def kkt_residual(x: np.ndarray, caps: np.ndarray, eligible: np.ndarray, ub: np.ndarray,
                 targets: np.ndarray, group: np.ndarray, alpha: float, beta: float,
                 *, feas_tol: float = 1e-6) -> float:
    """Largest violation of the KKT conditions at ``x``, relative to the gradient scale.

    For each class-day the cap multiplier ``μ ≥ 0`` (0 unless the cap binds) is chosen
    to minimise the day's residual; a cell at 0 needs ``g + μ ≥ 0``, at its bound
    ``g + μ ≤ 0``, strictly inside ``g + μ = 0``. Primal infeasibility counts too.
    Returns ``max residual / max(1, max |g|)``.
    """
    x = np.where(eligible, np.asarray(x, dtype=np.float64), 0.0)
    u = cell_bounds(caps, eligible, ub)
    g = gradient(x, eligible, targets, group, alpha, beta)
    scale = max(1.0, float(np.abs(g).max()) if g.size else 1.0)
    primal = max(0.0, float((x - u).max(initial=0.0)), float((-x).max(initial=0.0)),
                 float((x.sum(axis=2) - caps).max(initial=0.0)))
    worst = primal
    n_c, n_d, _ = eligible.shape
    for c in range(n_c):
        for d in range(n_d):
            cells = np.flatnonzero(eligible[c, d])
            if cells.size == 0:
                continue
            xv, gv, uv = x[c, d, cells], g[c, d, cells], u[c, d, cells]
            at_lo = xv <= feas_tol
            at_hi = (~at_lo) & (xv >= uv - feas_tol)
            free = ~(at_lo | at_hi)
            binding = x[c, d].sum() >= caps[c, d] - feas_tol * max(1, cells.size)

            def day_residual(mu: float) -> float:
                r = gv + mu
                parts = [np.abs(r[free]), np.maximum(0.0, -r[at_lo]), np.maximum(0.0, r[at_hi])]
                return float(max((p.max(initial=0.0) for p in parts), default=0.0))

            if binding:
                candidates = np.concatenate([[0.0], np.maximum(0.0, -gv)])
                res = min(day_residual(float(mu)) for mu in candidates)
            else:
                res = day_residual(0.0)
            worst = max(worst, res / scale)
    return worst


# ---------------------------------------------------------------------------------
# The numba kernel
# ---------------------------------------------------------------------------------

@njit(cache=True)
def _project_day(v: np.ndarray, u: np.ndarray, cap: float, out: np.ndarray,
                 bp: np.ndarray) -> None:
    """Euclidean projection of ``v`` onto ``{0 ≤ y ≤ u, Σ y ≤ cap}`` into ``out``.

    Exact: ``y = clip(v − τ, 0, u)``; τ = 0 when that fits, else the root of the
    piecewise-linear ``Σ clip(v − τ, 0, u) = cap`` found between sorted breakpoints.
    """
    n_s = v.shape[0]
    total = 0.0
    for s in range(n_s):
        y = v[s]
        if y < 0.0:
            y = 0.0
        if y > u[s]:
            y = u[s]
        out[s] = y
        total += y
    if total <= cap:
        return
    n = 1
    bp[0] = 0.0
    for s in range(n_s):
        if u[s] > 0.0:
            if v[s] > 0.0:
                bp[n] = v[s]
                n += 1
            if v[s] - u[s] > 0.0:
                bp[n] = v[s] - u[s]
                n += 1
    for i in range(1, n):                      # insertion sort: n ≤ 2S + 1 is small
        key = bp[i]
        j = i - 1
        while j >= 0 and bp[j] > key:
            bp[j + 1] = bp[j]
            j -= 1
        bp[j + 1] = key
    lo = 0.0
    g_lo = total - cap
    tau = bp[n - 1]
    for k in range(1, n):
        hi = bp[k]
        if hi <= lo:
            continue
        g_hi = -cap
        for s in range(n_s):
            y = v[s] - hi
            if y > 0.0:
                g_hi += y if y < u[s] else u[s]
        if g_hi <= 0.0:
            tau = lo + g_lo * (hi - lo) / (g_lo - g_hi) if g_lo > g_hi else hi
            break
        lo = hi
        g_lo = g_hi
    for s in range(n_s):
        y = v[s] - tau
        if y < 0.0:
            y = 0.0
        if y > u[s]:
            y = u[s]
        out[s] = y


@njit(parallel=True, cache=True)
def _kernel(caps, eligible, ub, targets, g_inv, order, starts, alpha, beta, tol, max_iter,
            x0):
    n_c, n_d, n_s = eligible.shape
    n_g = starts.shape[0] - 1
    u = np.zeros((n_c, n_d, n_s))
    w = np.ones((n_c, n_d))
    x = np.zeros((n_c, n_d, n_s))
    cnt = np.zeros((n_g, n_d, n_s))
    mean = np.zeros((n_g, n_d, n_s))
    scratch_v = np.zeros((n_c, n_s))
    scratch_o = np.zeros((n_c, n_s))
    scratch_b = np.zeros((n_c, 2 * n_s + 1))
    moved = np.zeros(n_c)
    dots = np.zeros(n_c)
    # cell bounds, metric, and a warm start: each target spread evenly, then projected
    for c in prange(n_c):
        most_days = 0
        for s in range(n_s):
            k = 0
            for d in range(n_d):
                if eligible[c, d, s]:
                    k += 1
            if k > most_days:
                most_days = k
            if x0.shape[0] == n_c:          # a given start
                for d in range(n_d):
                    if eligible[c, d, s]:
                        x[c, d, s] = x0[c, d, s]
            elif k > 0:                       # each target spread evenly over its days
                share = max(targets[c, s], 0.0) / k
                for d in range(n_d):
                    if eligible[c, d, s]:
                        x[c, d, s] = share
        for d in range(n_d):
            k = 0
            for s in range(n_s):
                if eligible[c, d, s]:
                    k += 1
                    u[c, d, s] = min(ub[c, s], caps[c, d])
                scratch_v[c, s] = x[c, d, s]
            # Gershgorin row sums of the Hessian / 2 on this class-day
            w[c, d] = max(k + alpha * most_days + beta, 1.0)
            _project_day(scratch_v[c], u[c, d], caps[c, d], scratch_o[c], scratch_b[c])
            for s in range(n_s):
                x[c, d, s] = scratch_o[c, s]
    for g in prange(n_g):
        for i in range(starts[g], starts[g + 1]):
            c = order[i]
            for d in range(n_d):
                for s in range(n_s):
                    if eligible[c, d, s]:
                        cnt[g, d, s] += 1.0
    y = x.copy()
    x_new = x.copy()
    t = 1.0
    coef = 0.0
    iterations = 0
    residual = np.inf
    for it in range(max_iter):
        iterations = it + 1
        # momentum (y = x_k + coef (x_k − x_{k−1})) fused with the group means of y
        for g in prange(n_g):
            for d in range(n_d):
                for s in range(n_s):
                    mean[g, d, s] = 0.0
            for i in range(starts[g], starts[g + 1]):
                c = order[i]
                for d in range(n_d):
                    for s in range(n_s):
                        xn = x_new[c, d, s]
                        yv = xn + coef * (xn - x[c, d, s])
                        y[c, d, s] = yv
                        x[c, d, s] = xn
                        mean[g, d, s] += yv
            for d in range(n_d):
                for s in range(n_s):
                    if cnt[g, d, s] > 0.0:
                        mean[g, d, s] /= cnt[g, d, s]
        # one projected gradient step per class-day
        for c in prange(n_c):
            g = g_inv[c]
            bp = scratch_b[c]
            v = scratch_v[c]
            gap = scratch_o[c]
            for s in range(n_s):
                acc = -targets[c, s]
                for d in range(n_d):
                    acc += y[c, d, s]
                gap[s] = acc
            mv = 0.0
            dt = 0.0
            for d in range(n_d):
                load = 0.0
                for s in range(n_s):
                    load += y[c, d, s]
                inv = 0.5 / w[c, d]
                for s in range(n_s):
                    if eligible[c, d, s]:
                        grad = (2.0 * load + 2.0 * alpha * gap[s]
                                + 2.0 * beta * (y[c, d, s] - mean[g, d, s]))
                        v[s] = y[c, d, s] - grad * inv
                    else:
                        v[s] = 0.0
                _project_day(v, u[c, d], caps[c, d], x_new[c, d], bp)
                for s in range(n_s):
                    a = y[c, d, s] - x_new[c, d, s]
                    if abs(a) > mv:
                        mv = abs(a)
                    dt += w[c, d] * a * (x_new[c, d, s] - x[c, d, s])
            moved[c] = mv
            dots[c] = dt
        residual = 0.0
        dot = 0.0
        for c in range(n_c):
            if moved[c] > residual:
                residual = moved[c]
            dot += dots[c]
        if residual <= tol:
            for c in prange(n_c):
                for d in range(n_d):
                    for s in range(n_s):
                        x[c, d, s] = x_new[c, d, s]
            break
        if dot > 0.0:                       # gradient restart (O'Donoghue & Candès)
            coef = 0.0
            t = 1.0
        else:
            t_next = 0.5 * (1.0 + math.sqrt(1.0 + 4.0 * t * t))
            coef = (t - 1.0) / t_next
            t = t_next
    else:
        for c in prange(n_c):
            for d in range(n_d):
                for s in range(n_s):
                    x[c, d, s] = x_new[c, d, s]
    return x, iterations, residual


@dataclass(frozen=True, slots=True)
class KernelResult:
    """Continuous solution ``x[C,D,S]`` with iterations, final step size and seconds."""

    x: np.ndarray
    iterations: int
    residual: float
    seconds: float


def homework_kernel(caps: np.ndarray, eligible: np.ndarray, ub: np.ndarray,
                    targets: np.ndarray, group: np.ndarray, alpha: float, beta: float,
                    *, tol: float = DEFAULT_TOL, max_iter: int = DEFAULT_MAX_ITER,
                    x0: np.ndarray | None = None) -> KernelResult:
    """Solve the continuous homework QP for every class at once (numba, parallel).

    Parameters
    ----------
    caps : (C, D) array
        Daily cap of each class and day (minutes, ≥ 0).
    eligible : (C, D, S) bool array
        Cells that may carry homework (taught that day, written-homework subject).
    ub : (C, S) or (S,) array
        Per-subject daily cap (``inf`` for none).
    targets : (C, S) array
        Weekly target minutes per class and subject.
    group : (C,) int array
        Parallel group of each class (e.g. ``school * 10 + grade``).
    alpha, beta : float
        Weights of the weekly-target and parallel-uniformity terms.
    tol : float
        Stop when a projected step moves no cell by more than ``tol`` minutes.
    max_iter : int
        Iteration limit; a run that reaches it is logged as a warning.
    x0 : (C, D, S) array, optional
        Starting point (projected onto the constraints first); default: each target
        spread evenly over its eligible days.

    Returns
    -------
    KernelResult
        ``x`` satisfies every cap and eligibility exactly (it is a projection).
    """
    caps, eligible, ub, targets, g_inv, order, starts = _prepare(
        caps, eligible, ub, targets, group, alpha, beta)
    start = time.perf_counter()
    start_x = (np.zeros((0, 0, 0)) if x0 is None
               else np.ascontiguousarray(x0, dtype=np.float64).reshape(eligible.shape))
    x, iterations, residual = _kernel(caps, eligible, ub, targets, g_inv, order, starts,
                                      float(alpha), float(beta), float(tol), int(max_iter),
                                      start_x)
    seconds = time.perf_counter() - start
    if residual > tol:
        log.warning("homework kernel stopped at the iteration limit %d (step %.2e > tol %.1e)",
                    iterations, residual, tol)
    return KernelResult(x=x, iterations=int(iterations), residual=float(residual),
                        seconds=seconds)


# ---------------------------------------------------------------------------------
# Discrete steps: subjects-per-evening choice and the 5-minute grid
# ---------------------------------------------------------------------------------

@njit(cache=True)
def _choose_evening(weights, eligible, rule_on, subject_group, max_subjects):
    n_c, n_d, n_s = eligible.shape
    out = eligible.copy()
    best_of = np.empty(n_s, dtype=np.int64)        # best subject of each group index
    days_given = np.zeros(n_s)
    options = np.zeros(n_d, dtype=np.int64)
    done = np.zeros(n_d, dtype=np.bool_)
    for c in range(n_c):
        if not rule_on[c]:
            continue
        for s in range(n_s):
            days_given[s] = 0.0
        for d in range(n_d):
            done[d] = False
            options[d] = 0
            for s in range(n_s):
                if eligible[c, d, s] and weights[c, s] > 0.0:
                    options[d] += 1
        for _ in range(n_d):
            # the most constrained day still open (fewest candidates, then earliest)
            d = -1
            for e in range(n_d):
                if not done[e] and (d < 0 or options[e] < options[d]):
                    d = e
            done[d] = True
            for k in range(n_s):
                best_of[k] = -1
            # per group: the candidate with the largest D'Hondt quotient w / (days + 1)
            for s in range(n_s):
                if not eligible[c, d, s] or weights[c, s] <= 0.0:
                    continue
                k = subject_group[c, s]
                b = best_of[k]
                if b < 0 or (weights[c, s] / (days_given[s] + 1.0)
                             > weights[c, b] / (days_given[b] + 1.0)):
                    best_of[k] = s
            for s in range(n_s):
                out[c, d, s] = False
            # then the max_subjects groups whose winners have the largest quotients
            for _ in range(max_subjects[c]):
                pick = -1
                for k in range(n_s):
                    s = best_of[k]
                    if s < 0:
                        continue
                    if pick < 0 or (weights[c, s] / (days_given[s] + 1.0)
                                    > weights[c, best_of[pick]] / (days_given[best_of[pick]] + 1.0)):
                        pick = k
                if pick < 0:
                    break
                s = best_of[pick]
                out[c, d, s] = True
                days_given[s] += 1.0
                best_of[pick] = -1
    return out


def choose_evening_subjects(weights: np.ndarray, eligible: np.ndarray, rule_on: np.ndarray,
                            subject_group: np.ndarray, max_subjects: np.ndarray) -> np.ndarray:
    """Which subjects may set homework each evening under a subjects-per-evening rule.

    For every class with ``rule_on`` and every day, keep at most ``max_subjects[c]``
    eligible subjects, at most one per group (``subject_group[c, s]`` in ``0..S−1``; an
    ungrouped subject has a group of its own). Evenings are apportioned to subjects in
    proportion to ``weights[c, s]`` (the weekly targets) by the D'Hondt rule: days with
    the fewest candidates first, each group's candidate with the largest quotient
    ``w / (evenings given + 1)``, then the ``max_subjects`` largest quotients. Choosing
    by the day's continuous minutes instead would starve a subject that is everywhere
    second (数学 behind 语文) of every evening. Subjects with zero weight are never
    chosen. Classes without the rule keep their eligibility; the caller re-solves the
    continuous problem on the result.
    """
    n_c, _, n_s = eligible.shape
    subject_group = np.ascontiguousarray(
        np.broadcast_to(np.asarray(subject_group, dtype=np.int64).reshape(-1, n_s), (n_c, n_s)))
    if subject_group.size and (subject_group.min() < 0 or subject_group.max() >= n_s):
        raise ValueError("subject_group entries must be in 0..S-1")
    return _choose_evening(np.ascontiguousarray(weights, dtype=np.float64),
                           np.ascontiguousarray(eligible, dtype=np.bool_),
                           np.ascontiguousarray(rule_on, dtype=np.bool_), subject_group,
                           np.ascontiguousarray(
                               np.broadcast_to(np.asarray(max_subjects, dtype=np.int64), (n_c,))))


@njit(parallel=True, cache=True)
def _round_to_grid(x, u, caps, step):
    n_c, n_d, n_s = x.shape
    out = np.zeros((n_c, n_d, n_s), dtype=np.int64)
    change = np.zeros(n_c)
    biggest = np.zeros(n_c)
    for c in prange(n_c):
        rem = np.zeros(n_s)
        for d in range(n_d):
            cap_units = int(math.floor(caps[c, d] / step + 1e-9))
            total = 0.0
            units = 0
            for s in range(n_s):
                top = int(math.floor(u[c, d, s] / step + 1e-9))
                v = x[c, d, s]
                k = int(math.floor(v / step + 1e-9))
                if k > top:
                    k = top
                if k < 0:
                    k = 0
                out[c, d, s] = k
                rem[s] = v - k * step
                total += v
                units += k
            want = int(math.floor(total / step + 0.5))
            if want > cap_units:
                want = cap_units
            # largest remainders first, never past a cell's or the day's cap
            while units < want:
                pick = -1
                for s in range(n_s):
                    if (out[c, d, s] + 1) * step <= u[c, d, s] + 1e-9 and (
                            pick < 0 or rem[s] > rem[pick]):
                        pick = s
                if pick < 0 or rem[pick] <= 0.0:
                    break
                out[c, d, pick] += 1
                rem[pick] -= step
                units += 1
            for s in range(n_s):
                diff = abs(out[c, d, s] * step - x[c, d, s])
                change[c] += diff
                if diff > biggest[c]:
                    biggest[c] = diff
                out[c, d, s] *= step
    return out, change.sum(), biggest.max() if n_c else 0.0


def round_to_grid(x: np.ndarray, caps: np.ndarray, u: np.ndarray,
                  step: int = 5) -> tuple[np.ndarray, float, float]:
    """Round minutes to multiples of ``step`` without breaking a cap.

    Per class-day: every cell is floored to the grid (and to its bound floored to the
    grid), then the day's total is brought back to the nearest grid total that fits the
    day's cap, one step at a time to the cells with the largest remainders that stay
    within their bounds. ``u`` is the per-cell bound (:func:`cell_bounds`, 0 where not
    eligible). Returns ``(minutes int[C,D,S], total |change|, largest cell change)``.
    """
    return _round_to_grid(np.ascontiguousarray(x, dtype=np.float64),
                          np.ascontiguousarray(u, dtype=np.float64),
                          np.ascontiguousarray(caps, dtype=np.float64), int(step))


