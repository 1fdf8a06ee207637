"""The previous homework algorithm: accelerated projected gradient, kept as a baseline.

Until the block Newton method of :mod:`jianfu.solver.homework.kernel` replaced it, the
homework QP (see that module's docstring) was solved by FISTA with the
O'Donoghue–Candès gradient restart, on the whole district at once, in a diagonal
metric ``2·w[c,d]`` with ``w = (eligible cells that day) + α·(most eligible days of a
subject) + β``, which majorises the Hessian (Gershgorin row sums; the β part is
``β(I − P) ≤ βI``). The metric is constant within a class-day and the constraints
separate by class-day, so each step is one exact Euclidean projection per class-day
(:func:`jianfu.solver.homework.kernel._project_day`). Every iteration streams all the
cell arrays, and the parallel-class coupling needs 200–500 of them
(benchmarks/RESULTS.md, "Homework kernel").

It is kept, with its NumPy twin :func:`jianfu.solver.homework.twin.homework_twin`, as an independent check of the
Newton kernel (a different algorithm that must reach the same optimum) and as the
baseline of ``benchmarks/bench_homework.py``; the pipeline no longer calls it.
"""

from __future__ import annotations

import logging
import math
import time

import numpy as np
from numba import njit, prange

from .kernel import DEFAULT_TOL, KernelResult, _prepare, _project_day

log = logging.getLogger(__name__)

#: Default iteration limit of the projected-gradient solve.
FISTA_MAX_ITER = 20000


@njit(parallel=True, cache=True)
def _fista(caps, eligible, ub, targets, g_inv, order, starts, alpha, beta, tol, max_iter,
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


def fista_kernel(caps: np.ndarray, eligible: np.ndarray, ub: np.ndarray,
                 targets: np.ndarray, group: np.ndarray, alpha: float, beta: float,
                 *, tol: float = DEFAULT_TOL, max_iter: int = FISTA_MAX_ITER,
                 x0: np.ndarray | None = None) -> KernelResult:
    """Solve the continuous homework QP by accelerated projected gradient (numba, parallel).

    Parameters are those of :func:`jianfu.solver.homework.kernel.homework_kernel`,
    except:

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
    x, iterations, residual = _fista(caps, eligible, ub, targets, g_inv, order, starts,
                                     float(alpha), float(beta), float(tol), int(max_iter),
                                     start_x)
    seconds = time.perf_counter() - start
    if residual > tol:
        log.warning("FISTA homework kernel stopped at the iteration limit %d "
                    "(step %.2e > tol %.1e)", iterations, residual, tol)
    return KernelResult(x=x, iterations=int(iterations), residual=float(residual),
                        seconds=seconds, passes=int(iterations))
