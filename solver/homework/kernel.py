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

Algorithm: the groups share no variable and no constraint, so each parallel group is
solved on its own, in cache, by a parallel loop over chunks of groups; the district's
arrays are read once and ``x`` written once. The β term is written with one free mean
per group cell, ``Σ_{c∈E}(x_c − x̄)² = min_m Σ_{c∈E}(x_c − m)²``, and the kernel
minimises over the means the convex, once differentiable, piecewise quadratic

    F(m) = Σ_c min_{x_c feasible} [ f_c(x_c) + β ‖x_c − m‖²_{E_c} ]

(``f_c`` the class's load and target terms) by Newton's method with an Armijo search.
Each class's problem is solved exactly through its dual: one multiplier per day (the
load, the cap in its conjugate) and one per subject (the target), ≤ 6 + 12 rows; given
them every cell is ``clip(m − (μ_d + λ_s)/2β, 0, u)``, and Newton's method on the dual
(a bipartite matrix, its day block diagonal: one Cholesky of the subjects' Schur
complement) converges in a few steps, with an exact line search when a step is poor.
The same factor gives ``∂x_c/∂m`` on the class's free cells, so ``F``'s Newton matrix
``2β(diag(count) − Σ_c ∂x_c/∂m)`` is assembled over the group's cells (≤ D·S, however
many classes the group has) and factored; pivots that vanish belong to flat directions
and are dropped. A step predicts each class's new multipliers (exact while its free
cells stay), so later class solves take no step at all. A group stops when its means
agree with its classes to ``tol`` minutes, or a full step moves no cell by more than
``tol``; it then needs ~4 Newton steps, where the projected gradient of
:mod:`jianfu.solver.homework.fista` needed 200–500 passes over the whole district. With
β = 0 every class is a group of its own, ``β`` replaced by :data:`RHO_ALONE`. Each day
is finally projected onto its cap exactly (:func:`_project_day`), so caps hold to the
last bit although the multipliers are exact only to :data:`INNER_TOL`.

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

import numba
import numpy as np
from numba import njit, prange

log = logging.getLogger(__name__)

#: Default tolerance of the continuous solve (minutes): how far a group's means may be
#: from its classes, or a last full Newton step may move a cell. Plans are rounded to 5
#: minutes; the Newton steps end on the exact optimum of a piece, so the objective is
#: within rounding of HiGHS' (benchmarks/RESULTS.md, "Homework kernel").
DEFAULT_TOL = 1e-3
#: Default limit of Newton iterations per parallel group (a few are usual).
DEFAULT_MAX_ITER = 200
#: Tolerance of the class solves: largest dual gradient (minutes), times the group's
#: scale (its largest cap or target), so that a group's result does not depend on the
#: other groups of the call.
INNER_TOL = 1e-11
#: Newton steps a class solve may take (it converges in a few).
INNER_MAX = 50
#: The coupling weight when β = 0: each class is its own group, and its group mean is a
#: proximal centre with this weight (any positive value gives the same optimum).
RHO_ALONE = 1.0
#: Groups are solved in chunks, this many per thread, taken by whichever thread is free.
CHUNKS_PER_THREAD = 16


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
# The numba kernel: Newton's method per parallel group
# ---------------------------------------------------------------------------------
#
# Layout of a group being solved (arrays sized for the largest group of a chunk):
#   cls[i]         (cells, days, subjects) of class i: its live cells (eligible, bound
#                  > 0) in day order, and the rows of its dual θ = (μ per day, λ per
#                  subject with a live cell; none when α = 0)
#   cell[i, p]     (day row, subject row, group cell j, position d·S + s); a subject row
#                  of ZERO when α = 0: θ[ZERO] is always 0
#   days[i, r]     (first cell, end cell) of day row r; dcap[i, r] its cap
#   slot sl        one class state: θ, dual gradient, x, free cells, capped days and
#                  the factored dual Newton matrix; slots 0..K−1 and K..2K−1 are the
#                  current and the next state of the K classes, slot 2K is scratch
#   prox[p]        the class's proximal centres: its group's means m_j at its cells

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


@njit(cache=True, error_model='numpy', inline='always')
def _cholesky(a, k, n):
    """Lower Cholesky factor of the PSD matrix ``a[k, :n, :n]`` (lower triangle), in place.

    A pivot that is zero up to rounding (≤ 1e-9 of its diagonal) is dropped: its column
    becomes 0 and its diagonal ``inf``, so :func:`_cholesky_solve` gives that component
    0. Such a direction is flat for the objective, and a step along it would only be
    rounding noise divided by a tiny pivot.
    """
    for j in range(n):
        acc = a[k, j, j]
        floor = 1e-9 * acc
        for q in range(j):
            acc -= a[k, j, q] * a[k, j, q]
        if acc <= floor or acc <= 0.0:
            a[k, j, j] = math.inf
            for i in range(j + 1, n):
                a[k, i, j] = 0.0
            continue
        piv = math.sqrt(acc)
        a[k, j, j] = piv
        for i in range(j + 1, n):
            acc = a[k, i, j]
            for q in range(j):
                acc -= a[k, i, q] * a[k, j, q]
            a[k, i, j] = acc / piv


@njit(cache=True, error_model='numpy', inline='always')
def _cholesky_solve(a, k, n, b, out, off):
    """Solve ``L Lᵀ y = b`` with the factor left in ``a[k]`` by :func:`_cholesky`;
    ``y`` goes to ``out[off:off + n]``."""
    for i in range(n):
        acc = b[i]
        for q in range(i):
            acc -= a[k, i, q] * out[off + q]
        out[off + i] = acc / a[k, i, i]
    for i in range(n - 1, -1, -1):
        acc = out[off + i]
        for q in range(i + 1, n):
            acc -= a[k, q, i] * out[off + q]
        out[off + i] = acc / a[k, i, i]


@njit(cache=True, error_model='numpy', inline='always')
def _class_eval(i, sl, ref, cls, cell, ubnd, days, dcap, tgt, prox, alpha, rho, theta, x,
                free, capped, grad):
    """The class dual at ``θ[sl]``: its minimiser ``x[sl]``, free cells and gradient.

    For each live cell ``x = clip(prox − (μ_d + λ_s)/(2ρ), 0, u)``; the gradient is the
    primal residual (day load − its conjugate's slope, subject total − target − λ/2α).
    Returns the dual value, and whether the free cells and capped days are those of
    slot ``ref`` (which may be ``sl`` itself), i.e. whether its factor still applies.
    """
    h = 0.5 / rho
    nd = cls[i, 1]
    ns = cls[i, 2]
    for t in range(nd, nd + ns):
        grad[sl, t] = 0.0
    grad[sl, grad.shape[1] - 1] = 0.0       # the zero row collects the α = 0 terms
    phi = 0.0
    same = True
    for r in range(nd):
        m_r = theta[sl, r]
        load = 0.0
        for p in range(days[i, r, 0], days[i, r, 1]):
            row = cell[i, p, 1]
            q = m_r + theta[sl, row]
            z = prox[p] - q * h
            f = False
            if z <= 0.0:
                xv = 0.0
            elif z >= ubnd[i, p]:
                xv = ubnd[i, p]
            else:
                xv = z
                f = True
            if f != free[ref, p]:
                same = False
            free[sl, p] = f
            x[sl, p] = xv
            load += xv
            grad[sl, row] += xv
            dev = xv - prox[p]
            phi += rho * dev * dev + q * xv
        cap = dcap[i, r]
        full = m_r > 2.0 * cap               # the conjugate of t² on t ≤ cap is linear
        if full != capped[ref, r]:
            same = False
        if full:
            grad[sl, r] = load - cap
            phi -= m_r * cap - cap * cap
        else:
            grad[sl, r] = load - 0.5 * m_r
            phi -= 0.25 * m_r * m_r
    for t in range(nd, nd + ns):             # the conjugate of α (r − T)²
        lt = theta[sl, t]
        grad[sl, t] -= tgt[i, t - nd] + lt / (2.0 * alpha)
        phi -= lt * tgt[i, t - nd] + lt * lt / (4.0 * alpha)
    return phi, same


@njit(cache=True, error_model='numpy', inline='always')
def _class_factor(i, sl, cls, cell, days, dcap, alpha, rho, theta, free, capped, dd, ls):
    """Factor the dual Newton matrix ``[[Dd, Bᵀ], [B, Ds]]`` of slot ``sl``: the day
    block is diagonal (``dd[sl]``), ``B`` links a day and a subject through a free
    cell, and ``ls[sl]`` gets the Cholesky factor of ``Ds − B Dd⁻¹ Bᵀ``."""
    h = 0.5 / rho
    nd = cls[i, 1]
    ns = cls[i, 2]
    for t in range(ns):
        for t2 in range(t + 1):
            ls[sl, t, t2] = 0.0
        ls[sl, t, t] = 0.5 / alpha
    for r in range(nd):
        k = 0
        for p in range(days[i, r, 0], days[i, r, 1]):
            if free[sl, p]:
                k += 1
                if ns > 0:
                    t = cell[i, p, 1] - nd
                    ls[sl, t, t] += h
        v = h * k
        capped[sl, r] = theta[sl, r] > 2.0 * dcap[i, r]
        if not capped[sl, r]:
            v += 0.5
        if v <= 0.0:            # a full day without a free cell: any positive curvature
            v = h
        dd[sl, r] = v
        if ns > 0 and k > 0:
            w = h * h / v
            for p in range(days[i, r, 0], days[i, r, 1]):
                if free[sl, p]:
                    t = cell[i, p, 1] - nd
                    for p2 in range(days[i, r, 0], p + 1):
                        if free[sl, p2]:
                            ls[sl, t, cell[i, p2, 1] - nd] -= w
    if ns > 0:
        _cholesky(ls, sl, ns)


@njit(cache=True, error_model='numpy', inline='always')
def _class_newton(i, sl, cls, cell, days, rho, free, dd, ls, rhs, out, tmp):
    """Solve the factored dual Newton system of slot ``sl``: ``out = N⁻¹ rhs`` (θ rows)."""
    h = 0.5 / rho
    nd = cls[i, 1]
    ns = cls[i, 2]
    if ns > 0:                     # subjects: S v = rs − B Dd⁻¹ rd
        for t in range(ns):
            tmp[t] = rhs[nd + t]
        for r in range(nd):
            w = h * rhs[r] / dd[sl, r]
            for p in range(days[i, r, 0], days[i, r, 1]):
                if free[sl, p]:
                    tmp[cell[i, p, 1] - nd] -= w
        _cholesky_solve(ls, sl, ns, tmp, out, nd)
    for r in range(nd):            # days: u = Dd⁻¹ (rd − Bᵀ v)
        acc = rhs[r]
        if ns > 0:
            for p in range(days[i, r, 0], days[i, r, 1]):
                if free[sl, p]:
                    acc -= h * out[cell[i, p, 1]]
        out[r] = acc / dd[sl, r]


@njit(cache=True, error_model='numpy', inline='always')
def _class_line(i, sl, cls, cell, ubnd, days, dcap, tgt, prox, alpha, rho, theta, step, bp, bc):
    """The step ``t ≥ 0`` that maximises the class dual from slot ``sl`` along ``step``.

    The derivative in ``t`` is piecewise linear and decreasing (a cell leaves or
    reaches a bound at most twice, a day changes regime at most once): its root lies
    between the sorted breakpoints ``bp``, ``bc`` holding the change of slope at each.
    """
    h = 0.5 / rho
    nd = cls[i, 1]
    ns = cls[i, 2]
    der = 0.0                   # φ'(0+)
    curv = 0.0                  # φ''(0+)
    n = 0
    for r in range(nd):
        m_r = theta[sl, r]
        dr = step[r]
        cap = dcap[i, r]
        if m_r < 2.0 * cap or (m_r == 2.0 * cap and dr < 0.0):
            der -= dr * 0.5 * m_r
            curv -= 0.5 * dr * dr
            if dr > 0.0:
                bp[n] = (2.0 * cap - m_r) / dr
                bc[n] = 0.5 * dr * dr
                n += 1
        else:
            der -= dr * cap
            if dr < 0.0:
                bp[n] = (2.0 * cap - m_r) / dr
                bc[n] = -0.5 * dr * dr
                n += 1
        for p in range(days[i, r, 0], days[i, r, 1]):
            row = cell[i, p, 1]
            dp = dr + step[row]
            if dp == 0.0:
                continue
            z = prox[p] - (m_r + theta[sl, row]) * h
            u = ubnd[i, p]
            w = dp * h                   # x(t) = clip(z − t·w, 0, u)
            c2 = dp * w
            if w > 0.0:
                if z > u:
                    der += dp * u
                    bp[n] = (z - u) / w
                    bc[n] = -c2
                    bp[n + 1] = z / w
                    bc[n + 1] = c2
                    n += 2
                elif z > 0.0:
                    der += dp * z
                    curv -= c2
                    bp[n] = z / w
                    bc[n] = c2
                    n += 1
            else:
                if z < 0.0:
                    bp[n] = z / w
                    bc[n] = -c2
                    bp[n + 1] = (z - u) / w
                    bc[n + 1] = c2
                    n += 2
                elif z < u:
                    der += dp * z
                    curv -= c2
                    bp[n] = (z - u) / w
                    bc[n] = c2
                    n += 1
                else:
                    der += dp * u
    for t in range(nd, nd + ns):
        der -= step[t] * (tgt[i, t - nd] + theta[sl, t] / (2.0 * alpha))
        curv -= step[t] * step[t] / (2.0 * alpha)
    if der <= 0.0:
        return 0.0
    for a in range(1, n):                  # insertion sort, breakpoints with their changes
        key = bp[a]
        val = bc[a]
        b = a - 1
        while b >= 0 and bp[b] > key:
            bp[b + 1] = bp[b]
            bc[b + 1] = bc[b]
            b -= 1
        bp[b + 1] = key
        bc[b + 1] = val
    t0 = 0.0
    for a in range(n):
        nxt = der + curv * (bp[a] - t0)
        if nxt <= 0.0:
            return t0 - der / curv
        der = nxt
        t0 = bp[a]
        curv += bc[a]
    return t0 - der / curv if curv < 0.0 else t0


@njit(cache=True, error_model='numpy', inline='always')
def _class_solve(i, sl, st, valid, cls, cell, ubnd, days, dcap, tgt, prox, alpha, rho, tol_in,
                 theta, x, free, capped, grad, dd, ls, step, rhs, tmp, bp, bc):
    """Maximise one class's dual by Newton's method from ``θ[sl]``; slot ``st`` is
    scratch; ``valid``: the slot's factor belongs to its free cells and capped days
    (the matrix is only rebuilt when they change).

    A full step is taken when it is a good one (it is exact once the free cells
    settle), else the exact maximiser along it (:func:`_class_line`). Leaves the
    minimiser, free cells and the factored Newton matrix in slot ``sl``; returns the
    number of Newton steps.
    """
    n_rows = cls[i, 1] + cls[i, 2]
    phi, same = _class_eval(i, sl, sl, cls, cell, ubnd, days, dcap, tgt, prox, alpha, rho,
                            theta, x, free, capped, grad)
    valid = valid and same
    steps = 0
    while True:
        worst = 0.0
        for r in range(n_rows):
            worst = max(worst, abs(grad[sl, r]))
        if not valid:
            _class_factor(i, sl, cls, cell, days, dcap, alpha, rho, theta, free, capped, dd, ls)
            valid = True
        if worst <= tol_in or steps >= INNER_MAX:
            return steps
        steps += 1
        for r in range(n_rows):
            rhs[r] = grad[sl, r]
        _class_newton(i, sl, cls, cell, days, rho, free, dd, ls, rhs, step, tmp)
        slope = 0.0
        for r in range(n_rows):
            slope += rhs[r] * step[r]
        size = 1.0
        trial = phi
        for attempt in range(2):
            for r in range(n_rows):
                theta[st, r] = theta[sl, r] + size * step[r]
            trial, same = _class_eval(i, st, sl, cls, cell, ubnd, days, dcap, tgt, prox, alpha,
                                      rho, theta, x, free, capped, grad)
            if attempt == 1:
                break
            after = 0.0                    # φ'(1) along the step: ≈ 0 for an exact one
            for r in range(n_rows):
                after += grad[st, r] * step[r]
            if trial >= phi + 1e-4 * slope - 1e-15 * (1.0 + abs(phi)) and after <= 0.1 * slope:
                break
            size = _class_line(i, sl, cls, cell, ubnd, days, dcap, tgt, prox, alpha, rho, theta,
                               step, bp, bc)
        for r in range(n_rows):
            theta[sl, r] = theta[st, r]
            grad[sl, r] = grad[st, r]
        for p in range(cls[i, 0]):
            x[sl, p] = x[st, p]
            free[sl, p] = free[st, p]
        valid = same
        phi = trial


@njit(cache=True, error_model='numpy', inline='always')
def _class_value(i, sl, cls, cell, days, tgt, fconst, prox, alpha, rho, x, tmp):
    """The class's part of the group function: Σ loads² + α Σ gaps² + ρ Σ (x − prox)²."""
    nd = cls[i, 1]
    ns = cls[i, 2]
    for t in range(nd, nd + ns + 1):
        tmp[t] = 0.0
    f = fconst[i]
    for r in range(nd):
        load = 0.0
        for p in range(days[i, r, 0], days[i, r, 1]):
            v = x[sl, p]
            load += v
            tmp[cell[i, p, 1]] += v
            dev = v - prox[p]
            f += rho * dev * dev
        f += load * load
    for t in range(nd, nd + ns):
        gap = tmp[t] - tgt[i, t - nd]
        f += alpha * gap * gap
    return f


@njit(cache=True, error_model='numpy', inline='always')
def _class_hessian(i, sl, cls, cell, days, rho, free, dd, ls, amap, hm, fa, fd, fs, sinv, vd,
                   ed):
    """Add the class's term ``−2ρ·∂x/∂prox = −2ρ I + M_Fᵀ N⁻¹ M_F`` (free cells) to ``hm[0]``.

    With the Schur complement ``S`` and ``b_d = B[:, d] / Dd_d``, the entry of cells
    ``(d, s)`` and ``(d', s')`` is ``[d = d']/Dd_d + S⁻¹[s, s'] − (S⁻¹b_d')[s]
    − (S⁻¹b_d)[s'] + b_dᵀS⁻¹b_d'``: one inverse, then O(1) per pair of free cells.
    """
    h = 0.5 / rho
    nd = cls[i, 1]
    ns = cls[i, 2]
    nf = 0
    for r in range(nd):
        for p in range(days[i, r, 0], days[i, r, 1]):
            if free[sl, p]:
                a = amap[cell[i, p, 2]]
                fa[nf] = a
                fd[nf] = r
                fs[nf] = cell[i, p, 1] - nd
                hm[0, a, a] -= 2.0 * rho
                nf += 1
    if nf == 0:
        return
    if ns > 0:
        for c in range(ns):                # L⁻¹ (lower), from the factor of S
            for r in range(c, ns):
                acc = 1.0 if r == c else 0.0
                for q in range(c, r):
                    acc -= ls[sl, r, q] * sinv[q, c]
                sinv[r, c] = acc / ls[sl, r, r]
        for r in range(ns):                # S⁻¹ = L⁻ᵀ L⁻¹, lower triangle into ed
            for c in range(r + 1):
                acc = 0.0
                for q in range(r, ns):
                    acc += sinv[q, r] * sinv[q, c]
                ed[r, c] = acc
        for r in range(ns):
            for c in range(r + 1):
                sinv[r, c] = ed[r, c]
                sinv[c, r] = ed[r, c]
        for r in range(nd):                # vd[d] = S⁻¹ b_d
            for t in range(ns):
                vd[r, t] = 0.0
        for f in range(nf):
            w = h / dd[sl, fd[f]]
            for t in range(ns):
                vd[fd[f], t] += w * sinv[t, fs[f]]
        for r in range(nd):                # ed[d, d'] = b_dᵀ S⁻¹ b_d'
            for r2 in range(nd):
                ed[r, r2] = 0.0
        for f in range(nf):
            w = h / dd[sl, fd[f]]
            for r2 in range(nd):
                ed[fd[f], r2] += w * vd[r2, fs[f]]
    for f1 in range(nf):
        a1 = fa[f1]
        d1 = fd[f1]
        s1 = fs[f1]
        for f2 in range(f1 + 1):
            d2 = fd[f2]
            v = 1.0 / dd[sl, d1] if d1 == d2 else 0.0
            if ns > 0:
                s2 = fs[f2]
                v += sinv[s1, s2] - vd[d2, s1] - vd[d1, s2] + ed[d1, d2]
            a2 = fa[f2]
            if a1 >= a2:
                hm[0, a1, a2] += v
            else:
                hm[0, a2, a1] += v


@njit(cache=True, error_model='numpy')
def _solve_groups(g_lo, g_hi, caps, eligible, ub, targets, order, starts, alpha, rho, tol,
                  inner_tol, max_iter, x0, out, stats):
    """Solve the groups ``g_lo..g_hi−1`` one after another, in scratch sized for them."""
    n_d, n_s = eligible.shape[1], eligible.shape[2]
    n_l = n_d * n_s
    n_r = n_d + n_s + 1                        # dual rows, the last one always 0
    zero = n_d + n_s
    kmax = 1
    for g in range(g_lo, g_hi):
        kmax = max(kmax, starts[g + 1] - starts[g])
    st = 2 * kmax
    n_slot = 2 * kmax + 1
    # the classes of the group being solved
    cls = np.zeros((kmax, 3), np.int64)
    cell = np.zeros((kmax, n_l, 4), np.int64)
    ubnd = np.zeros((kmax, n_l))
    days = np.zeros((kmax, n_d, 2), np.int64)
    dcap = np.zeros((kmax, n_d))
    tgt = np.zeros((kmax, n_s))
    fconst = np.zeros(kmax)
    # class states
    theta = np.zeros((n_slot, n_r))
    grad = np.zeros((n_slot, n_r))
    x = np.zeros((n_slot, n_l))
    free = np.zeros((n_slot, n_l), np.bool_)
    capped = np.zeros((n_slot, n_d), np.bool_)
    dd = np.ones((n_slot, n_d))
    ls = np.zeros((n_slot, n_s, n_s))
    # workspace of one class
    prox = np.zeros(n_l)
    step = np.zeros(n_r)
    rhs = np.zeros(n_r)
    tmp = np.zeros(n_r)
    mark = np.zeros(n_s, np.int64)
    bp = np.zeros(2 * n_l + n_d)
    bc = np.zeros(2 * n_l + n_d)
    fa = np.zeros(n_l, np.int64)
    fd = np.zeros(n_l, np.int64)
    fs = np.zeros(n_l, np.int64)
    sinv = np.zeros((n_s, n_s))
    vd = np.zeros((n_d, n_s))
    ed = np.zeros((max(n_d, n_s), max(n_d, n_s)))
    pv = np.zeros(n_s)
    pu = np.zeros(n_s)
    po = np.zeros(n_s)
    pb = np.zeros(2 * n_s + 1)
    # the group: its cells j (a (d, s) with an eligible class), means and Newton system
    jmap = np.zeros(n_l, np.int64)
    cnt = np.zeros(n_l)
    dead = np.zeros(n_l)
    m = np.zeros(n_l)
    m_try = np.zeros(n_l)
    dm = np.zeros(n_l)
    gm = np.zeros(n_l)
    sx = np.zeros(n_l)
    sx_try = np.zeros(n_l)
    amap = np.zeros(n_l, np.int64)
    alist = np.zeros(n_l, np.int64)
    hm = np.zeros((1, n_l, n_l))
    hr = np.zeros(n_l)
    hx = np.zeros(n_l)
    for g in range(g_lo, g_hi):
        lo = starts[g]
        k = starts[g + 1] - lo
        # --- group cells, with how many classes are eligible and how many fixed at 0
        for q in range(n_l):
            cnt[q] = 0.0
            dead[q] = 0.0
        scale = 1.0                            # the class solves' tolerance is relative
        for i in range(k):
            c = order[lo + i]
            for d in range(n_d):
                if caps[c, d] < math.inf:
                    scale = max(scale, caps[c, d])
            for s in range(n_s):
                scale = max(scale, abs(targets[c, s]))
        tol_in = inner_tol * scale
        for i in range(k):
            c = order[lo + i]
            for d in range(n_d):
                for s in range(n_s):
                    if eligible[c, d, s]:
                        cnt[d * n_s + s] += 1.0
                        if min(ub[c, s], caps[c, d]) <= 0.0:
                            dead[d * n_s + s] += 1.0
        n_m = 0
        for q in range(n_l):
            jmap[q] = -1
            if cnt[q] > 0.0:
                jmap[q] = n_m
                cnt[n_m] = cnt[q]
                dead[n_m] = dead[q]
                m[n_m] = 0.0
                n_m += 1
        # --- the classes: live cells, dual rows, the start
        for i in range(k):
            c = order[lo + i]
            p = 0
            nd = 0
            for d in range(n_d):
                first = p
                for s in range(n_s):
                    if eligible[c, d, s]:
                        u = min(ub[c, s], caps[c, d])
                        if u > 0.0:
                            ubnd[i, p] = u
                            cell[i, p, 0] = nd
                            cell[i, p, 1] = s
                            cell[i, p, 2] = jmap[d * n_s + s]
                            cell[i, p, 3] = d * n_s + s
                            p += 1
                if p > first:
                    days[i, nd, 0] = first
                    days[i, nd, 1] = p
                    dcap[i, nd] = caps[c, d]
                    nd += 1
            for s in range(n_s):
                mark[s] = 0
            for q in range(p):
                mark[cell[i, q, 1]] += 1           # live days of each subject
            # start: x0 clipped to the bounds, or each target spread over its days
            for q in range(p):
                s = cell[i, q, 1]
                if x0.shape[0] > 0:
                    v = x0[c, cell[i, q, 3] // n_s, s]
                else:
                    v = max(targets[c, s], 0.0) / mark[s]
                m[cell[i, q, 2]] += min(max(v, 0.0), ubnd[i, q])
            ns = 0
            fc = 0.0
            for s in range(n_s):
                if alpha > 0.0 and mark[s] > 0:
                    tgt[i, ns] = targets[c, s]
                    mark[s] = nd + ns
                    ns += 1
                else:
                    fc += alpha * targets[c, s] * targets[c, s]
                    mark[s] = zero
            for q in range(p):
                cell[i, q, 1] = mark[cell[i, q, 1]]
            cls[i, 0] = p
            cls[i, 1] = nd
            cls[i, 2] = ns
            fconst[i] = fc
            for r in range(n_r):              # zero duals: the first solve starts at prox
                theta[i, r] = 0.0
                grad[i, r] = 0.0
                theta[kmax + i, r] = 0.0
                grad[kmax + i, r] = 0.0
        theta[st, zero] = 0.0
        for j in range(n_m):
            m[j] /= cnt[j]
        # --- Newton's method on F(m) = Σ_c min_x [f_c(x) + ρ‖x − m‖²]; the first
        # evaluation is at the start, without a step
        cur = 1                                # the state at m lives in slots cur·K + i
        started = False
        f_val = 0.0
        inner = 0
        evals = 0
        it = 0
        gap = 0.0
        slope = 0.0
        gap_tol = max(tol, 1e3 * tol_in)
        while True:
            base = cur * kmax
            if started:
                gap = 0.0
                for j in range(n_m):
                    gap = max(gap, abs(m[j] - sx[j] / cnt[j]))
                    gm[j] = 2.0 * rho * (cnt[j] * m[j] - sx[j])
                if gap <= gap_tol or it >= max_iter:
                    break
                it += 1
                # the Newton system on the cells where some class is free; elsewhere the
                # step makes m the mean of its classes
                n_a = 0
                for j in range(n_m):
                    amap[j] = -1
                for i in range(k):
                    for q in range(cls[i, 0]):
                        j = cell[i, q, 2]
                        if free[base + i, q] and amap[j] < 0:
                            amap[j] = n_a
                            alist[n_a] = j
                            n_a += 1
                for a in range(n_a):
                    for a2 in range(a + 1):
                        hm[0, a, a2] = 0.0
                    hm[0, a, a] = 2.0 * rho * cnt[alist[a]]
                for i in range(k):
                    _class_hessian(i, base + i, cls, cell, days, rho, free, dd, ls, amap, hm, fa,
                                   fd, fs, sinv, vd, ed)
                _cholesky(hm, 0, n_a)
                for a in range(n_a):
                    hr[a] = -gm[alist[a]]
                _cholesky_solve(hm, 0, n_a, hr, hx, 0)
                slope = 0.0
                for j in range(n_m):
                    dm[j] = sx[j] / cnt[j] - m[j] if amap[j] < 0 else hx[amap[j]]
                    slope += gm[j] * dm[j]
                if slope >= 0.0:               # no descent left: rounding level
                    break
            # evaluate F at m + size·dm (backtracking): every class solved again, from
            # its duals moved by the predicted change (exact while its free cells stay)
            nxt = (1 - cur) * kmax
            size = 1.0
            f_try = 0.0
            accepted = False
            for _ in range(40):
                f_try = 0.0
                for j in range(n_m):
                    m_try[j] = m[j] + size * dm[j] if started else m[j]
                    sx_try[j] = 0.0
                    f_try += rho * dead[j] * m_try[j] * m_try[j]
                for i in range(k):
                    so = base + i
                    sn = nxt + i
                    n_rows = cls[i, 1] + cls[i, 2]
                    for q in range(cls[i, 0]):
                        prox[q] = m_try[cell[i, q, 2]]
                    if started:
                        for r in range(n_rows):
                            rhs[r] = 0.0
                        rhs[zero] = 0.0
                        for q in range(cls[i, 0]):
                            if free[so, q]:
                                da = size * dm[cell[i, q, 2]]
                                rhs[cell[i, q, 0]] += da
                                rhs[cell[i, q, 1]] += da
                        _class_newton(i, so, cls, cell, days, rho, free, dd, ls, rhs, step, tmp)
                        for r in range(n_rows):
                            theta[sn, r] = theta[so, r] + step[r]
                        for r in range(cls[i, 1]):     # the next slot starts with this factor
                            capped[sn, r] = capped[so, r]
                            dd[sn, r] = dd[so, r]
                        for t in range(cls[i, 2]):
                            for t2 in range(t + 1):
                                ls[sn, t, t2] = ls[so, t, t2]
                        for q in range(cls[i, 0]):
                            free[sn, q] = free[so, q]
                    inner += _class_solve(i, sn, st, started, cls, cell, ubnd, days, dcap, tgt,
                                          prox, alpha, rho, tol_in, theta, x, free, capped, grad,
                                          dd, ls, step, rhs, tmp, bp, bc)
                    f_try += _class_value(i, sn, cls, cell, days, tgt, fconst, prox, alpha, rho,
                                          x, tmp)
                    for q in range(cls[i, 0]):
                        sx_try[cell[i, q, 2]] += x[sn, q]
                evals += 1
                if not started or f_try <= f_val + 1e-4 * size * slope + 1e-13 * abs(f_val):
                    accepted = True
                    break
                size *= 0.5
            if not accepted:                   # F cannot decrease further: rounding level
                break
            moved = 0.0
            if started:
                for i in range(k):
                    for q in range(cls[i, 0]):
                        moved = max(moved, abs(x[nxt + i, q] - x[base + i, q]))
            cur = 1 - cur
            f_val = f_try
            for j in range(n_m):
                m[j] = m_try[j]
                sx[j] = sx_try[j]
            if started and size == 1.0 and moved <= tol:   # a full step moving no cell
                gap = 0.0
                for j in range(n_m):
                    gap = max(gap, abs(m[j] - sx[j] / cnt[j]))
                break
            started = True
        stats[g, 0] = it
        stats[g, 1] = evals
        stats[g, 2] = inner
        stats[g, 3] = gap
        # --- write out, each day exactly within its cap (the duals are exact to tol_in)
        base = cur * kmax
        for i in range(k):
            c = order[lo + i]
            for r in range(cls[i, 1]):
                a, b = days[i, r, 0], days[i, r, 1]
                load = 0.0
                for q in range(a, b):
                    load += x[base + i, q]
                if load > dcap[i, r]:
                    for q in range(a, b):
                        pv[q - a] = x[base + i, q]
                        pu[q - a] = ubnd[i, q]
                    _project_day(pv[:b - a], pu[:b - a], dcap[i, r], po[:b - a],
                                 pb[:2 * (b - a) + 1])
                    for q in range(a, b):
                        x[base + i, q] = po[q - a]
                for q in range(a, b):
                    out[c, cell[i, q, 3] // n_s, cell[i, q, 3] % n_s] = x[base + i, q]


@njit(parallel=True, cache=True, error_model='numpy')
def _kernel(caps, eligible, ub, targets, order, starts, alpha, rho, tol, inner_tol, max_iter,
            x0, n_chunk, out, stats):
    # out and stats come zeroed from the caller: an np.zeros here would be a parallel
    # loop of its own, scheduled with the chunk size set for the loop below
    n_g = starts.shape[0] - 1
    for ch in prange(n_chunk):
        _solve_groups(ch * n_g // n_chunk, (ch + 1) * n_g // n_chunk, caps, eligible, ub, targets,
                      order, starts, alpha, rho, tol, inner_tol, max_iter, x0, out, stats)


@dataclass(frozen=True, slots=True)
class KernelResult:
    """Continuous solution ``x[C,D,S]`` and what it took.

    ``iterations``: Newton steps of the slowest group (for :mod:`.fista`, iterations);
    ``residual``: largest final gap between a group mean and its classes (minutes; for
    :mod:`.fista`, the last step); ``passes``: passes over the district's cell arrays
    in memory (1: the Newton kernel reads each group once and works in cache; FISTA
    streams every array once per iteration); ``evaluations`` and ``inner_steps``: class
    solves and dual Newton steps per class, on average.
    """

    x: np.ndarray
    iterations: int
    residual: float
    seconds: float
    passes: int = 1
    evaluations: float = 0.0
    inner_steps: float = 0.0


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
        Stop a group when its means agree with its classes to ``tol / 100`` minutes, or
        when a full Newton step moves no cell by more than ``tol`` minutes.
    max_iter : int
        Newton iteration limit per group; a group that reaches it is logged as a warning.
    x0 : (C, D, S) array, optional
        Starting point (clipped to the cell bounds); default: each target spread evenly
        over its days.

    Returns
    -------
    KernelResult
        ``x`` satisfies every cap and eligibility exactly.
    """
    caps, eligible, ub, targets, g_inv, order, starts = _prepare(
        caps, eligible, ub, targets, group, alpha, beta)
    start = time.perf_counter()
    n_c = eligible.shape[0]
    if beta > 0.0:
        rho = float(beta)
    else:                         # no coupling: every class is a group of its own
        rho = RHO_ALONE
        order = np.arange(n_c, dtype=np.int64)
        starts = np.arange(n_c + 1, dtype=np.int64)
    n_g = len(starts) - 1
    start_x = (np.zeros((0, 0, 0)) if x0 is None
               else np.ascontiguousarray(x0, dtype=np.float64).reshape(eligible.shape))
    if n_g == 0:
        return KernelResult(x=np.zeros(eligible.shape), iterations=0, residual=0.0,
                            seconds=time.perf_counter() - start)
    n_chunk = min(n_g, CHUNKS_PER_THREAD * numba.get_num_threads())
    x = np.zeros(eligible.shape)
    stats = np.zeros((n_g, 4))
    chunksize = numba.get_parallel_chunksize()
    numba.set_parallel_chunksize(1)          # chunks go to whichever thread is free
    try:
        _kernel(caps, eligible, ub, targets, order, starts, float(alpha), rho, float(tol),
                INNER_TOL, int(max_iter), start_x, int(n_chunk), x, stats)
    finally:
        numba.set_parallel_chunksize(chunksize)
    seconds = time.perf_counter() - start
    sizes = np.diff(starts)
    iterations = int(stats[:, 0].max())
    residual = float(stats[:, 3].max())
    stuck = int(np.count_nonzero((stats[:, 0] >= max_iter) & (stats[:, 3] > tol)))
    if stuck:
        log.warning("homework kernel: %d group(s) stopped at the iteration limit %d "
                    "(largest gap %.2e min)", stuck, max_iter, residual)
    return KernelResult(x=x, iterations=iterations, residual=residual, seconds=seconds,
                        passes=1, evaluations=float((stats[:, 1] * sizes).sum() / max(n_c, 1)),
                        inner_steps=float(stats[:, 2].sum() / max(n_c, 1)))


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


