"""The NumPy twin of the homework kernel: the same QP, solved another way in plain NumPy.

:func:`homework_twin` runs the accelerated projected gradient of
:func:`jianfu.solver.homework.fista.fista_kernel` step for step with NumPy. The numba
kernel (:func:`jianfu.solver.homework.kernel.homework_kernel`) solves the same convex QP
by Newton's method per parallel group; the twin is kept as an independent reference
that must reach the same optimum (tests compare objectives and run it without numba),
and it is what ``use_jit=False`` runs in the pipeline.
"""

from __future__ import annotations

import logging
import math
import time

import numpy as np

from .kernel import DEFAULT_TOL, KernelResult, _group_sum, _prepare, cell_bounds

#: Iteration limit of the projected-gradient twin (it needs hundreds, not a few).
TWIN_MAX_ITER = 20000

log = logging.getLogger(__name__)


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
                  *, tol: float = DEFAULT_TOL, max_iter: int = TWIN_MAX_ITER) -> KernelResult:
    """Plain NumPy twin of :func:`jianfu.solver.homework.fista.fista_kernel`: same
    algorithm, same result; the same optimum as
    :func:`jianfu.solver.homework.kernel.homework_kernel`."""
    caps, eligible, ub, targets, g_inv, _, _ = _prepare(
        caps, eligible, ub, targets, group, alpha, beta)
    start = time.perf_counter()
    n_c, n_d, n_s = eligible.shape
    n_g = int(g_inv.max()) + 1 if n_c else 0
    u = cell_bounds(caps, eligible, ub)
    days_per_subject = eligible.sum(axis=1)                     # (C, S)
    w = np.maximum(eligible.sum(axis=2)
                   + alpha * days_per_subject.max(axis=1, initial=0)[:, None] + beta, 1.0)
    cnt = _group_sum(eligible.astype(np.float64), g_inv, n_g)
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
        mean = _group_sum(y, g_inv, n_g) / safe
        load = y.sum(axis=2)
        gap = y.sum(axis=1) - targets
        grad = np.where(eligible, 2.0 * load[:, :, None] + 2.0 * alpha * gap[:, None, :]
                        + 2.0 * beta * (y - mean[g_inv]), 0.0)
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
    return KernelResult(x=x, iterations=iterations, residual=residual, seconds=seconds,
                        passes=iterations)


