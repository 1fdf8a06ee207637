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
:func:`homework_twin`): accelerated projected gradient (FISTA) with the
O'Donoghue–Candès gradient restart, on the whole district, in a diagonal metric
``2·w[c,d]`` with ``w = (eligible cells that day) + α·(most eligible days of a
subject) + β``, which majorises the Hessian (Gershgorin row sums; the β part is
``β(I − P) ≤ βI``). The metric is constant within a class-day, and the constraints
separate by class-day, so each step is one exact Euclidean projection per class-day
onto ``{0 ≤ y ≤ u, Σ y ≤ cap}`` — a continuous quadratic knapsack solved exactly by
sorting its ≤ 2S breakpoints (Brucker 1984; Kiwiel 2008; policy.md §2). The β
coupling only needs the group means of the current point, computed by a parallel
loop over groups; the class step is a parallel loop over classes. Iteration stops
when the projected step moves no cell by more than ``tol`` minutes.

Then the discrete steps: the subjects-per-evening choice
(:func:`choose_evening_subjects`, exact per class-day, followed by a continuous
re-solve with the chosen cells) and rounding to the 5-minute grid
(:func:`round_to_grid`), which never exceeds a cap. :func:`plan_homework` runs the
whole pipeline for a school and returns a checked :class:`HomeworkPlan`.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from typing import Mapping

import numpy as np
from numba import njit, prange

log = logging.getLogger(__name__)

#: Default tolerance of the continuous solve: minutes a projected step may still move a
#: cell. Plans are rounded to 5 minutes, and at 1e-3 the objective is within ~1e-7
#: relative of the exact optimum on district-sized data (benchmarks/README.md).
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


def cell_bounds(caps: np.ndarray, eligible: np.ndarray, ub: np.ndarray) -> np.ndarray:
    """Upper bound of every cell: ``min(ub[c,s], cap[c,d])`` where eligible, else 0."""
    n_c, n_d, n_s = eligible.shape
    ub = np.broadcast_to(np.asarray(ub, dtype=np.float64).reshape(-1, n_s), (n_c, n_s))
    u = np.minimum(ub[:, None, :], np.asarray(caps, dtype=np.float64)[:, :, None])
    return np.where(eligible, u, 0.0)


def objective(x: np.ndarray, eligible: np.ndarray, targets: np.ndarray, group: np.ndarray,
              alpha: float, beta: float) -> float:
    """The homework objective at ``x`` (see the module docstring)."""
    x = np.where(eligible, np.asarray(x, dtype=np.float64), 0.0)
    load = x.sum(axis=2)
    gap = x.sum(axis=1) - targets
    _, g_inv = np.unique(np.asarray(group), return_inverse=True)
    g_inv = g_inv.reshape(-1)
    n_g = int(g_inv.max()) + 1 if len(g_inv) else 0
    member = np.zeros((n_g, len(g_inv)))
    member[g_inv, np.arange(len(g_inv))] = 1.0
    gsum = np.einsum("gc,cds->gds", member, x)
    gcnt = np.einsum("gc,cds->gds", member, eligible.astype(np.float64))
    mean = np.divide(gsum, gcnt, out=np.zeros_like(gsum), where=gcnt > 0)
    dev = np.where(eligible, x - mean[g_inv], 0.0)
    return float((load ** 2).sum() + alpha * (gap ** 2).sum() + beta * (dev ** 2).sum())


def gradient(x: np.ndarray, eligible: np.ndarray, targets: np.ndarray, group: np.ndarray,
             alpha: float, beta: float) -> np.ndarray:
    """Gradient of :func:`objective` (zero outside eligible cells)."""
    x = np.where(eligible, np.asarray(x, dtype=np.float64), 0.0)
    load = x.sum(axis=2)
    gap = x.sum(axis=1) - targets
    _, g_inv = np.unique(np.asarray(group), return_inverse=True)
    g_inv = g_inv.reshape(-1)
    n_g = int(g_inv.max()) + 1 if len(g_inv) else 0
    member = np.zeros((n_g, len(g_inv)))
    member[g_inv, np.arange(len(g_inv))] = 1.0
    gsum = np.einsum("gc,cds->gds", member, x)
    gcnt = np.einsum("gc,cds->gds", member, eligible.astype(np.float64))
    mean = np.divide(gsum, gcnt, out=np.zeros_like(gsum), where=gcnt > 0)
    g = 2.0 * load[:, :, None] + 2.0 * alpha * gap[:, None, :] + 2.0 * beta * (x - mean[g_inv])
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
def _kernel(caps, eligible, ub, targets, g_inv, order, starts, alpha, beta, tol, max_iter):
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
            if k > 0:
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
            w[c, d] = k + alpha * most_days + beta
            if w[c, d] <= 0.0:
                w[c, d] = 1.0
            for s in range(n_s):
                scratch_v[c, s] = x[c, d, s]
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
    iterations = 0
    residual = np.inf
    for it in range(max_iter):
        iterations = it + 1
        # group means of the extrapolated point
        for g in prange(n_g):
            for d in range(n_d):
                for s in range(n_s):
                    mean[g, d, s] = 0.0
            for i in range(starts[g], starts[g + 1]):
                c = order[i]
                for d in range(n_d):
                    for s in range(n_s):
                        mean[g, d, s] += y[c, d, s]
            for d in range(n_d):
                for s in range(n_s):
                    if cnt[g, d, s] > 0.0:
                        mean[g, d, s] /= cnt[g, d, s]
        # projected gradient step, class by class
        for c in prange(n_c):
            g = g_inv[c]
            bp = scratch_b[c]
            for s in range(n_s):
                acc = -targets[c, s]
                for d in range(n_d):
                    acc += y[c, d, s]
                scratch_o[c, s] = acc
            mv = 0.0
            dt = 0.0
            for d in range(n_d):
                load = 0.0
                for s in range(n_s):
                    load += y[c, d, s]
                inv = 1.0 / (2.0 * w[c, d])
                for s in range(n_s):
                    if eligible[c, d, s]:
                        grad = (2.0 * load + 2.0 * alpha * scratch_o[c, s]
                                + 2.0 * beta * (y[c, d, s] - mean[g, d, s]))
                        scratch_v[c, s] = y[c, d, s] - grad * inv
                    else:
                        scratch_v[c, s] = 0.0
                # scratch_o[c] holds the class's target gaps, so project straight into x_new
                _project_day(scratch_v[c], u[c, d], caps[c, d], x_new[c, d], bp)
                for s in range(n_s):
                    diff = x_new[c, d, s] - y[c, d, s]
                    if abs(diff) > mv:
                        mv = abs(diff)
                    dt += w[c, d] * (y[c, d, s] - x_new[c, d, s]) * (x_new[c, d, s] - x[c, d, s])
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
        for c in prange(n_c):
            for d in range(n_d):
                for s in range(n_s):
                    xn = x_new[c, d, s]
                    y[c, d, s] = xn + coef * (xn - x[c, d, s])
                    x[c, d, s] = xn
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
                    *, tol: float = DEFAULT_TOL, max_iter: int = DEFAULT_MAX_ITER) -> KernelResult:
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

    Returns
    -------
    KernelResult
        ``x`` satisfies every cap and eligibility exactly (it is a projection).
    """
    caps, eligible, ub, targets, g_inv, order, starts = _prepare(
        caps, eligible, ub, targets, group, alpha, beta)
    start = time.perf_counter()
    x, iterations, residual = _kernel(caps, eligible, ub, targets, g_inv, order, starts,
                                      float(alpha), float(beta), float(tol), int(max_iter))
    seconds = time.perf_counter() - start
    if residual > tol:
        log.warning("homework kernel stopped at the iteration limit %d (step %.2e > tol %.1e)",
                    iterations, residual, tol)
    return KernelResult(x=x, iterations=int(iterations), residual=float(residual),
                        seconds=seconds)


# ---------------------------------------------------------------------------------
# The NumPy twin (same algorithm, vectorised; used in tests)
# ---------------------------------------------------------------------------------

def _project_rows(v: np.ndarray, u: np.ndarray, cap: np.ndarray) -> np.ndarray:
    """Row-wise :func:`_project_day`: ``v, u`` are (R, S), ``cap`` (R,)."""
    y = np.clip(v, 0.0, u)
    total = y.sum(axis=1)
    over = total > cap
    if not over.any():
        return y
    vo, uo, co = v[over], u[over], cap[over]
    live = uo > 0.0
    bp = np.concatenate([np.zeros((len(vo), 1)),
                         np.where(live, np.maximum(vo, 0.0), 0.0),
                         np.where(live, np.maximum(vo - uo, 0.0), 0.0)], axis=1)
    bp.sort(axis=1)
    # g at every breakpoint: (R, B)
    gb = np.clip(vo[:, None, :] - bp[:, :, None], 0.0, uo[:, None, :]).sum(axis=2) - co[:, None]
    first = np.argmax(gb <= 0.0, axis=1)           # exists: g(max v) = −cap ≤ 0
    rows = np.arange(len(vo))
    hi, g_hi = bp[rows, first], gb[rows, first]
    lo, g_lo = bp[rows, first - 1], gb[rows, first - 1]
    tau = np.where(g_lo > g_hi, lo + g_lo * (hi - lo) / np.where(g_lo > g_hi, g_lo - g_hi, 1.0),
                   hi)
    y[over] = np.clip(vo - tau[:, None], 0.0, uo)
    return y


def homework_twin(caps: np.ndarray, eligible: np.ndarray, ub: np.ndarray,
                  targets: np.ndarray, group: np.ndarray, alpha: float, beta: float,
                  *, tol: float = DEFAULT_TOL, max_iter: int = DEFAULT_MAX_ITER) -> KernelResult:
    """Plain NumPy twin of :func:`homework_kernel`: same algorithm, same result."""
    caps, eligible, ub, targets, g_inv, _, _ = _prepare(
        caps, eligible, ub, targets, group, alpha, beta)
    start = time.perf_counter()
    n_c, n_d, n_s = eligible.shape
    n_g = int(g_inv.max()) + 1 if n_c else 0
    u = cell_bounds(caps, eligible, ub)
    days_per_subject = eligible.sum(axis=1)                     # (C, S)
    w = eligible.sum(axis=2) + alpha * days_per_subject.max(axis=1, initial=0)[:, None] + beta
    w = np.where(w > 0, w, 1.0)
    member = np.zeros((n_g, n_c))
    member[g_inv, np.arange(n_c)] = 1.0
    cnt = np.einsum("gc,cds->gds", member, eligible.astype(np.float64))
    safe = np.where(cnt > 0, cnt, 1.0)
    share = np.where(days_per_subject > 0,
                     np.maximum(targets, 0.0) / np.maximum(days_per_subject, 1), 0.0)
    x0 = np.where(eligible, share[:, None, :], 0.0)
    x = _project_rows(x0.reshape(-1, n_s), u.reshape(-1, n_s), caps.reshape(-1)).reshape(x0.shape)
    y = x.copy()
    t = 1.0
    iterations, residual = 0, math.inf
    for it in range(max_iter):
        iterations = it + 1
        mean = np.einsum("gc,cds->gds", member, y) / safe
        load = y.sum(axis=2)
        gap = y.sum(axis=1) - targets
        grad = (2.0 * load[:, :, None] + 2.0 * alpha * gap[:, None, :]
                + 2.0 * beta * (y - mean[g_inv]))
        v = np.where(eligible, y - grad / (2.0 * w[:, :, None]), 0.0)
        x_new = _project_rows(v.reshape(-1, n_s), u.reshape(-1, n_s),
                              caps.reshape(-1)).reshape(v.shape)
        residual = float(np.abs(x_new - y).max(initial=0.0))
        if residual <= tol:
            x = x_new
            break
        dot = float((w[:, :, None] * (y - x_new) * (x_new - x)).sum())
        if dot > 0.0:
            coef, t = 0.0, 1.0
        else:
            t_next = 0.5 * (1.0 + math.sqrt(1.0 + 4.0 * t * t))
            coef, t = (t - 1.0) / t_next, t_next
        y = x_new + coef * (x_new - x)
        x = x_new
    seconds = time.perf_counter() - start
    if residual > tol:
        log.warning("homework twin stopped at the iteration limit %d (step %.2e > tol %.1e)",
                    iterations, residual, tol)
    return KernelResult(x=x, iterations=iterations, residual=residual, seconds=seconds)
