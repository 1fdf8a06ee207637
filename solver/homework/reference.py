"""Exact reference for the homework quota QP, solved by HiGHS (tests and benchmarks only).

The kernel in :mod:`jianfu.solver.homework.kernel` is checked against this model. The problem
is the same convex QP (see that module's docstring)::

    min  Σ_{c,d} load[c,d]² + α Σ_{c,s} (Σ_d x[c,d,s] − T[c,s])²
         + β Σ_{g,d,s} Σ_{c ∈ E(g,d,s)} (x[c,d,s] − mean_{E(g,d,s)} x[·,d,s])²
    s.t. 0 ≤ x[c,d,s] ≤ ub[c,d,s]   (0 where not eligible),  Σ_s x[c,d,s] ≤ cap[c,d]

To keep the Hessian sparse the squares are written with auxiliary variables:
``ℓ[c,d] = Σ_s x`` (load), ``w[c,s] = Σ_d x − T`` (target gap) and one free variable
``m[g,d,s]`` per group cell, using ``Σ_i (x_i − x̄)² = min_m Σ_i (x_i − m)²``. HiGHS
minimises ``cᵀz + ½ zᵀQz``; ``Q`` is passed as its lower triangle, column-wise.

``highspy`` is an optional (test) dependency, and it is always run in a child
process: ortools and highspy each bundle their own HiGHS build, and whichever loads
second fails with an undefined symbol. So :func:`solve_reference` writes the arrays to
a temporary ``.npz``, runs this file as a script (which imports neither ortools nor
the ``jianfu`` package) and reads the solutions back; :func:`solve_reference_batch`
solves many instances in one child. HiGHS' own solve time is measured in the child.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import numpy as np

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ReferenceResult:
    """The reference optimum: ``x[C,D,S]``, HiGHS' objective, status text and seconds."""

    x: np.ndarray
    objective: float
    status: str
    seconds: float


def _solve_highs(caps: np.ndarray, eligible: np.ndarray, ub: np.ndarray,
                    targets: np.ndarray, group: np.ndarray, alpha: float, beta: float,
                    *, time_limit: float | None = None) -> ReferenceResult:
    """Solve the homework QP exactly with HiGHS in this process (the child's side).

    Parameters
    ----------
    caps : (C, D) float array
        Daily cap per class and day (minutes).
    eligible : (C, D, S) bool array
        Cells that may carry homework.
    ub : (C, S) float array
        Per-subject daily cap of each class (``inf`` for none).
    targets : (C, S) float array
        Weekly target per class and subject.
    group : (C,) int array
        Parallel-class group (school × grade) of each class.
    alpha, beta : float
        Weights of the target and uniformity terms.
    time_limit : float, optional
        HiGHS time limit in seconds.

    Returns
    -------
    ReferenceResult
        ``x`` is zero outside eligible cells; ``objective`` is HiGHS' value, which equals
        :func:`jianfu.solver.homework.kernel.objective` at ``x``.
    """
    import highspy  # noqa: PLC0415  (only ever in the child process)

    caps = np.asarray(caps, dtype=np.float64)
    eligible = np.asarray(eligible, dtype=bool)
    ub = np.asarray(ub, dtype=np.float64)
    targets = np.asarray(targets, dtype=np.float64)
    group = np.asarray(group, dtype=np.int64)
    n_c, n_d, n_s = eligible.shape
    inf = highspy.kHighsInf

    cells = np.argwhere(eligible)                       # (n_x, 3) rows c, d, s
    n_x = len(cells)
    x_id = -np.ones(eligible.shape, dtype=np.int64)
    x_id[eligible] = np.arange(n_x)
    n_l = n_c * n_d
    n_w = n_c * n_s
    l0, w0, m0 = n_x, n_x + n_l, n_x + n_l + n_w
    # group cells with ≥ 2 eligible members get an m variable
    _, g_inv = np.unique(group, return_inverse=True)
    members: dict[tuple[int, int, int], list[int]] = {}
    for k, (c, d, s) in enumerate(cells):
        members.setdefault((int(g_inv[c]), int(d), int(s)), []).append(k)
    m_groups = [v for v in members.values() if len(v) >= 2]
    n_m = len(m_groups)
    n_col = n_x + n_l + n_w + n_m

    lower = np.zeros(n_col)
    upper = np.full(n_col, inf)
    cell_ub = np.minimum(np.broadcast_to(ub[:, None, :], eligible.shape)[eligible],
                         np.broadcast_to(caps[:, :, None], eligible.shape)[eligible])
    upper[:n_x] = np.where(np.isfinite(cell_ub), cell_ub, inf)
    lower[l0:w0] = -inf
    upper[l0:w0] = caps.reshape(-1)                     # load ≤ cap is the daily cap
    lower[w0:] = -inf

    # Rows: load rows  Σ_s x − ℓ = 0 (n_l), target rows Σ_d x − w = T (n_w).
    rows_of_col: list[list[tuple[int, float]]] = [[] for _ in range(n_col)]
    for k, (c, d, s) in enumerate(cells):
        rows_of_col[k].append((int(c) * n_d + int(d), 1.0))
        rows_of_col[k].append((n_l + int(c) * n_s + int(s), 1.0))
    for r in range(n_l):
        rows_of_col[l0 + r].append((r, -1.0))
    for r in range(n_w):
        rows_of_col[w0 + r].append((n_l + r, -1.0))
    a_start = [0]
    a_index: list[int] = []
    a_value: list[float] = []
    for col in rows_of_col:
        for r, v in col:
            a_index.append(r)
            a_value.append(v)
        a_start.append(len(a_index))
    row_lower = np.concatenate([np.zeros(n_l), targets.reshape(-1)])
    row_upper = row_lower.copy()

    # Hessian Q (objective ½ zᵀQz), lower triangle by column.
    diag = np.zeros(n_col)
    diag[l0:w0] = 2.0
    diag[w0:m0] = 2.0 * alpha
    off: list[list[tuple[int, float]]] = [[] for _ in range(n_col)]
    for j, ks in enumerate(m_groups):
        col_m = m0 + j
        diag[col_m] = 2.0 * beta * len(ks)
        for k in ks:
            diag[k] += 2.0 * beta
            off[k].append((col_m, -2.0 * beta))       # (row m, col x): lower triangle
    q_start = [0]
    q_index: list[int] = []
    q_value: list[float] = []
    for j in range(n_col):
        q_index.append(j)
        q_value.append(diag[j])
        for r, v in off[j]:
            q_index.append(r)
            q_value.append(v)
        q_start.append(len(q_index))

    lp = highspy.HighsLp()
    lp.num_col_ = n_col
    lp.num_row_ = n_l + n_w
    lp.col_cost_ = np.zeros(n_col)
    lp.col_lower_ = lower
    lp.col_upper_ = upper
    lp.row_lower_ = row_lower
    lp.row_upper_ = row_upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = np.asarray(a_start, dtype=np.int32)
    lp.a_matrix_.index_ = np.asarray(a_index, dtype=np.int32)
    lp.a_matrix_.value_ = np.asarray(a_value, dtype=np.float64)
    hess = highspy.HighsHessian()
    hess.dim_ = n_col
    hess.format_ = highspy.HessianFormat.kTriangular
    hess.start_ = np.asarray(q_start, dtype=np.int32)
    hess.index_ = np.asarray(q_index, dtype=np.int32)
    hess.value_ = np.asarray(q_value, dtype=np.float64)
    model = highspy.HighsModel()
    model.lp_ = lp
    model.hessian_ = hess

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    if time_limit is not None:
        h.setOptionValue("time_limit", float(time_limit))
    start = time.perf_counter()
    h.passModel(model)
    h.run()
    seconds = time.perf_counter() - start
    status = h.modelStatusToString(h.getModelStatus())
    z = np.asarray(h.getSolution().col_value, dtype=np.float64)
    x = np.zeros(eligible.shape)
    if len(z) == n_col:
        x[eligible] = np.clip(z[:n_x], 0.0, None)
    # The constant α Σ T² is inside the rows (w = Σx − T), so HiGHS' value is the full one.
    objective = float(h.getInfo().objective_function_value)
    log.debug("reference QP: %d columns, %s in %.3f s", n_col, status, seconds)
    return ReferenceResult(x=x, objective=objective, status=status, seconds=seconds)


Instance = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, float, float]


def solve_reference_batch(instances: list[Instance], *, time_limit: float | None = None,
                          timeout: float | None = None,
                          by_group: bool = False) -> list[ReferenceResult]:
    """Solve several instances ``(caps, eligible, ub, targets, group, alpha, beta)``
    exactly with HiGHS in one child process (see the module docstring).

    With ``by_group`` each instance is split into its parallel groups, which share no
    variable or constraint, and HiGHS solves one QP per group: the same optimum, in time
    linear in the number of groups (one QP for a whole district grows much faster).
    """
    import os
    import subprocess
    import sys
    import tempfile

    with tempfile.TemporaryDirectory(prefix="jianfu-ref-") as tmp:
        src, dst = os.path.join(tmp, "in.npz"), os.path.join(tmp, "out.npz")
        arrays: dict[str, np.ndarray] = {"n": np.array(len(instances)),
                                         "by_group": np.array(bool(by_group)),
                                         "time_limit": np.array(-1.0 if time_limit is None
                                                                else float(time_limit))}
        for i, (caps, eligible, ub, targets, group, alpha, beta) in enumerate(instances):
            n_c, _, n_s = np.shape(eligible)
            ub = np.broadcast_to(np.asarray(ub, dtype=np.float64).reshape(-1, n_s), (n_c, n_s))
            for key, value in (("caps", caps), ("eligible", eligible), ("ub", ub),
                               ("targets", targets), ("group", group),
                               ("weights", np.array([alpha, beta], dtype=np.float64))):
                arrays[f"{key}_{i}"] = np.asarray(value)
        np.savez(src, **arrays)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        done = subprocess.run([sys.executable, os.path.abspath(__file__), src, dst],
                              capture_output=True, text=True, timeout=timeout, env=env)
        if done.returncode != 0:
            raise RuntimeError(f"HiGHS reference failed: {done.stderr.strip()[-2000:]}")
        with np.load(dst) as out:
            return [ReferenceResult(x=out[f"x_{i}"], objective=float(out[f"objective_{i}"]),
                                    status=str(out[f"status_{i}"]),
                                    seconds=float(out[f"seconds_{i}"]))
                    for i in range(len(instances))]


def solve_reference(caps: np.ndarray, eligible: np.ndarray, ub: np.ndarray,
                    targets: np.ndarray, group: np.ndarray, alpha: float, beta: float,
                    *, time_limit: float | None = None, timeout: float | None = None,
                    by_group: bool = False) -> ReferenceResult:
    """Solve the homework QP exactly with HiGHS (in a child process).

    Parameters are those of :func:`jianfu.solver.homework.kernel.homework_kernel`;
    ``time_limit`` is HiGHS' limit in seconds, ``timeout`` the child's; ``by_group``
    solves one QP per parallel group (:func:`solve_reference_batch`).

    Returns
    -------
    ReferenceResult
        ``x`` is zero outside eligible cells; ``objective`` is HiGHS' value, which equals
        :func:`jianfu.solver.homework.kernel.objective` at ``x``; ``seconds`` is HiGHS' solve
        time (model passing and solving, not the child's start-up).
    """
    return solve_reference_batch([(caps, eligible, ub, targets, group, alpha, beta)],
                                 time_limit=time_limit, timeout=timeout, by_group=by_group)[0]


def _solve_by_group(caps, eligible, ub, targets, group, alpha, beta, time_limit):
    """One HiGHS QP per parallel group; objectives and times add up."""
    x = np.zeros(np.shape(eligible))
    total, seconds, statuses = 0.0, 0.0, set()
    for g in np.unique(group):
        rows = np.flatnonzero(group == g)
        res = _solve_highs(caps[rows], eligible[rows], ub[rows], targets[rows], group[rows],
                           alpha, beta, time_limit=time_limit)
        x[rows] = res.x
        total += res.objective
        seconds += res.seconds
        statuses.add(res.status)
    status = statuses.pop() if len(statuses) == 1 else "/".join(sorted(statuses))
    return ReferenceResult(x=x, objective=total, status=status, seconds=seconds)


def _main(src: str, dst: str) -> None:
    with np.load(src) as data:
        n = int(data["n"])
        limit = float(data["time_limit"])
        solve = _solve_by_group if bool(data["by_group"]) else None
        out: dict[str, np.ndarray] = {}
        for i in range(n):
            alpha, beta = (float(v) for v in data[f"weights_{i}"])
            args = (data[f"caps_{i}"], data[f"eligible_{i}"], data[f"ub_{i}"],
                    data[f"targets_{i}"], data[f"group_{i}"], alpha, beta)
            if solve is not None:
                res = solve(*args, None if limit < 0 else limit)
            else:
                res = _solve_highs(*args, time_limit=None if limit < 0 else limit)
            out[f"x_{i}"] = res.x
            out[f"objective_{i}"] = np.array(res.objective)
            out[f"status_{i}"] = np.array(res.status)
            out[f"seconds_{i}"] = np.array(res.seconds)
    np.savez(dst, **out)


if __name__ == "__main__":
    import sys

    _main(sys.argv[1], sys.argv[2])
