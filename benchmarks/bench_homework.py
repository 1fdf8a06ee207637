"""Homework kernel benchmarks: synthetic districts, the numba kernel vs the exact HiGHS QP.

Two uses:

* pytest-benchmark micro-benchmarks that also assert correctness::

      .venv/bin/pytest benchmarks/bench_homework.py --benchmark-enable -p no:cacheprovider

* script mode, printing one table (kernel time after JIT warm-up, iterations,
  objective, reference time and objective, speed ratio, memory)::

      .venv/bin/python -m jianfu.benchmarks.bench_homework --sizes 1000 10000 100000 \\
          --ref-sizes 50 100 200 --group-ref-sizes 1000 10000

* ``--compare``: the Newton kernel against the previous projected-gradient kernel
  (:mod:`jianfu.solver.homework.fista`), run alternately in one process, medians of
  ``--repeats``; prints iterations, passes over the cell arrays and both objectives::

      .venv/bin/python -m jianfu.benchmarks.bench_homework --compare --sizes 1000 10000 100000

The protocol is in ``benchmarks/README.md`` (section "Homework kernel"). Timings are
printed, never asserted.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import statistics
import time

import numpy as np

from jianfu.solver.homework.fista import fista_kernel
from jianfu.solver.homework.kernel import (DEFAULT_TOL, cell_bounds, homework_kernel, objective,
                                           round_to_grid)

#: Grade caps of the national profile (minutes per school day, grades 1..9).
NATIONAL_CAPS = np.array([0, 0, 60, 60, 60, 60, 90, 90, 90], dtype=np.float64)
#: Days a week each of the 12 synthetic subjects is taught (语 数 外 道法 科学 史 地 生,
#: then four subjects without written homework: 体育 音乐 美术 信息).
DAYS_TAUGHT = np.array([5, 5, 4, 2, 2, 2, 2, 2, 3, 2, 1, 1])
#: Weekly periods, used for default targets (main subjects weigh 1.0, others 0.5).
PERIODS = np.array([6, 5, 3, 2, 2, 2, 2, 2, 3, 2, 1, 1], dtype=np.float64)
WRITTEN = 8
FILL = 0.85


def synthetic_district(n_classes: int, n_days: int = 5, n_subjects: int = 12, seed: int = 0,
                       classes_per_group: int = 6):
    """A district as kernel arrays: ``(caps, eligible, ub, targets, group)``.

    Groups of ``classes_per_group`` parallel classes share a grade (1–9, uniform) and a
    base timetable pattern (each subject on ``DAYS_TAUGHT`` random days); each class
    then differs from its group's pattern in 10 % of its cells. The first 8 subjects set
    written homework. Targets are the national default: ``FILL`` × the weekly cap,
    shared by weekly periods × category weight.
    """
    rng = np.random.default_rng(seed)
    n_groups = max(1, math.ceil(n_classes / classes_per_group))
    group_grade = rng.integers(1, 10, n_groups)
    group = np.repeat(np.arange(n_groups), classes_per_group)[:n_classes]
    grade = group_grade[group]
    caps = np.repeat(NATIONAL_CAPS[grade - 1][:, None], n_days, axis=1)
    days_taught = np.resize(DAYS_TAUGHT, n_subjects).clip(1, n_days)
    base = np.zeros((n_groups, n_days, n_subjects), dtype=bool)
    for s in range(n_subjects):
        order = np.argsort(rng.random((n_groups, n_days)), axis=1)[:, :days_taught[s]]
        np.put_along_axis(base[:, :, s], order, True, axis=1)
    eligible = base[group] ^ (rng.random((n_classes, n_days, n_subjects)) < 0.1)
    eligible[:, :, WRITTEN:] = False
    weight = np.resize(PERIODS, n_subjects) * np.where(np.arange(n_subjects) < 3, 1.0, 0.5)
    weight[WRITTEN:] = 0.0
    targets = weight / weight.sum() * caps.sum(axis=1)[:, None] * FILL
    ub = np.full((n_classes, n_subjects), np.inf)
    return caps, eligible, ub, targets, group


def kernel_bytes(n_classes: int, n_days: int, n_subjects: int, n_groups: int) -> int:
    """Bytes the Newton kernel allocates: the output cell array and per-group stats, plus
    the inputs (caps, bool eligibility, ub, targets, group). Its per-chunk scratch is a
    few hundred kB, whatever the district's size."""
    cells = n_classes * n_days * n_subjects
    internal = 8 * (cells + 4 * n_groups)
    inputs = cells + 8 * (n_classes * n_days + 2 * n_classes * n_subjects + n_classes)
    return internal + inputs


def fista_bytes(n_classes: int, n_days: int, n_subjects: int, n_groups: int) -> int:
    """Bytes the projected-gradient kernel allocates: 4 float cell arrays (u, x, y,
    x_new), 2 group arrays, per-class scratch, plus the same inputs."""
    cells = n_classes * n_days * n_subjects
    internal = 8 * (4 * cells + 2 * n_groups * n_days * n_subjects
                    + n_classes * (2 * n_subjects + 2 * n_subjects + 4 * n_subjects
                                   + 2 * n_subjects + 1 + 2))
    inputs = cells + 8 * (n_classes * n_days + 2 * n_classes * n_subjects + n_classes)
    return internal + inputs


def compare(sizes, repeats: int = 5, alpha: float = 1.0, beta: float = 0.5,
            progress=None) -> list[dict]:
    """The Newton kernel and the projected-gradient kernel on the same districts,
    alternately (new, old, new, old, …) after a warm-up of each: median wall times,
    iterations, passes over the cell arrays, objectives. Load on a shared machine
    slows both alike."""
    rows = []
    for n in sizes:
        data = synthetic_district(n)
        _, eligible, _, targets, group = data
        for solve in (homework_kernel, fista_kernel):
            solve(*data, alpha, beta)
        times: dict[str, list[float]] = {"new": [], "old": []}
        res = {}
        for _ in range(repeats):
            for key, solve in (("new", homework_kernel), ("old", fista_kernel)):
                start = time.perf_counter()
                res[key] = solve(*data, alpha, beta)
                times[key].append(time.perf_counter() - start)
        f_new = objective(res["new"].x, eligible, targets, group, alpha, beta)
        f_old = objective(res["old"].x, eligible, targets, group, alpha, beta)
        n_g = int(group.max()) + 1
        row = {"classes": n, "new_ms": 1000 * statistics.median(times["new"]),
               "old_ms": 1000 * statistics.median(times["old"]),
               "new_min_ms": 1000 * min(times["new"]), "old_min_ms": 1000 * min(times["old"]),
               "new_iter": res["new"].iterations, "new_evals": res["new"].evaluations,
               "new_inner": res["new"].inner_steps, "old_iter": res["old"].iterations,
               "new_passes": res["new"].passes, "old_passes": res["old"].passes,
               "rel_new_vs_old": (f_new - f_old) / f_old,
               "new_mb": kernel_bytes(n, *eligible.shape[1:], n_g) / 2**20,
               "old_mb": fista_bytes(n, *eligible.shape[1:], n_g) / 2**20}
        rows.append(row)
        if progress is not None:
            progress(row)
    return rows


def format_compare(rows: list[dict]) -> str:
    """A Markdown table of :func:`compare` rows."""
    head = ("classes", "Newton ms (median)", "FISTA ms (median)", "speed-up",
            "Newton: steps (slowest group) / class solves / dual steps per class",
            "FISTA iterations", "passes over cell arrays (Newton / FISTA)",
            "objective Newton vs FISTA", "arrays MB (Newton / FISTA)")
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    for r in rows:
        lines.append("| " + " | ".join([
            f"{r['classes']:,}", f"{r['new_ms']:.1f}", f"{r['old_ms']:.1f}",
            f"{r['old_ms'] / r['new_ms']:.1f}×",
            f"{r['new_iter']} / {r['new_evals']:.2f} / {r['new_inner']:.2f}",
            str(r["old_iter"]), f"{r['new_passes']} / {r['old_passes']}",
            f"{r['rel_new_vs_old']:+.1e}", f"{r['new_mb']:.1f} / {r['old_mb']:.1f}"]) + " |")
    return "\n".join(lines)


def time_kernel(data, alpha: float = 1.0, beta: float = 0.5, repeats: int = 5,
                tol: float = DEFAULT_TOL):
    """Median wall time of :func:`homework_kernel` over ``repeats`` runs after a warm-up."""
    homework_kernel(*data, alpha, beta, tol=tol)           # JIT (cached) and page-in
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = homework_kernel(*data, alpha, beta, tol=tol)
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def run(sizes, ref_sizes=(), group_ref_sizes=(), repeats: int = 5, alpha: float = 1.0,
        beta: float = 0.5, ref_timeout: float = 3600.0, progress=None) -> list[dict]:
    """Measure every size. HiGHS as one QP for ``ref_sizes``, one QP per parallel group
    (same optimum, far faster) for ``group_ref_sizes``. Returns table rows; each row is
    also passed to ``progress`` as soon as it is measured."""
    from jianfu.solver.homework.reference import solve_reference

    rows = []
    for n in sorted(set(sizes) | set(ref_sizes) | set(group_ref_sizes)):
        data = synthetic_district(n)
        caps, eligible, ub, targets, group = data
        seconds, res = time_kernel(data, alpha, beta, repeats)
        f_kernel = objective(res.x, eligible, targets, group, alpha, beta)
        u = cell_bounds(caps, eligible, ub)
        start = time.perf_counter()
        round_to_grid(res.x, caps, u)
        rounding = time.perf_counter() - start
        row = {"classes": n, "cells": eligible.size, "eligible": int(eligible.sum()),
               "kernel_ms": 1000 * seconds, "iterations": res.iterations,
               "rounding_ms": 1000 * rounding, "objective": f_kernel,
               "kernel_mb": kernel_bytes(n, *eligible.shape[1:], int(group.max()) + 1) / 2**20,
               "ref_s": None, "group_s": None, "rel_diff": None}
        if n in group_ref_sizes:
            ref = solve_reference(*data, alpha, beta, timeout=ref_timeout, by_group=True)
            row.update(group_s=ref.seconds, rel_diff=(f_kernel - ref.objective) / ref.objective)
        if n in ref_sizes:
            ref = solve_reference(*data, alpha, beta, timeout=ref_timeout)
            row["ref_s"] = ref.seconds
            if row["rel_diff"] is None:
                row["rel_diff"] = (f_kernel - ref.objective) / ref.objective
        rows.append(row)
        if progress is not None:
            progress(row)
    return rows


def format_rows(rows: list[dict]) -> str:
    """A Markdown table of :func:`run` rows."""
    head = ("classes", "cells", "kernel ms", "iter", "round ms", "rel. diff to exact",
            "HiGHS one QP s", "speed-up", "HiGHS per group s", "speed-up", "kernel MB")
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]

    def opt(v, fmt):
        return "–" if v is None else format(v, fmt)

    for r in rows:
        k = r["kernel_ms"] / 1000
        lines.append("| " + " | ".join([
            f"{r['classes']:,}", f"{r['cells']:,}", f"{r['kernel_ms']:.1f}", str(r["iterations"]),
            f"{r['rounding_ms']:.1f}", opt(r["rel_diff"], "+.1e"),
            opt(r["ref_s"], ".2f"), "–" if r["ref_s"] is None else f"{r['ref_s'] / k:.0f}×",
            opt(r["group_s"], ".2f"), "–" if r["group_s"] is None else f"{r['group_s'] / k:.0f}×",
            f"{r['kernel_mb']:.1f}"]) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--ref-sizes", type=int, nargs="*", default=[50, 100, 200],
                        help="sizes solved by HiGHS as one QP (grows steeply)")
    parser.add_argument("--group-ref-sizes", type=int, nargs="*", default=[1000, 10000],
                        help="sizes solved by HiGHS one parallel group at a time")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--compare", action="store_true",
                        help="Newton vs the previous projected-gradient kernel, alternately")
    args = parser.parse_args(argv)
    if args.compare:
        rows = compare(args.sizes, args.repeats,
                       progress=lambda row: print(format_compare([row]).splitlines()[-1],
                                                  flush=True))
        print()
        print(format_compare(rows))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"\npeak resident memory of this process: {peak:.0f} MB; "
              f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
        return
    rows = run(args.sizes, args.ref_sizes, args.group_ref_sizes, args.repeats,
               progress=lambda row: print(format_rows([row]).splitlines()[-1], flush=True))
    print()
    print(format_rows(rows))
    refs = [r for r in rows if r["ref_s"] is not None]
    if len(refs) >= 2:
        # one-QP HiGHS time grows like n^k: fit k on the measured sizes and extrapolate
        k, b = np.polyfit(np.log([r["classes"] for r in refs]),
                          np.log([r["ref_s"] for r in refs]), 1)
        print(f"\nHiGHS one QP: time ≈ {math.exp(b):.2e} · n^{k:.2f} s "
              f"(fit on {len(refs)} sizes; extrapolation, not measured):")
        for r in rows:
            if r["ref_s"] is None:
                est = math.exp(b) * r["classes"] ** k
                print(f"  {r['classes']:,} classes: ≈ {est:,.0f} s → "
                      f"≈ {est / (r['kernel_ms'] / 1000):,.0f}× the kernel")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak resident memory of this process: {peak:.0f} MB; "
          f"load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


# --- pytest-benchmark micro-benchmarks (they assert correctness too) -------------------

def _check(data, x, alpha=1.0, beta=0.5):
    caps, eligible, ub, targets, group = data
    u = cell_bounds(caps, eligible, ub)
    assert (x >= 0).all() and (x <= u + 1e-9).all()
    assert (x.sum(axis=2) <= caps + 1e-9).all()


def test_bench_kernel_1000(benchmark) -> None:
    from jianfu.solver.homework.twin import homework_twin

    data = synthetic_district(1000)
    homework_kernel(*data, 1.0, 0.5)
    res = benchmark(homework_kernel, *data, 1.0, 0.5)
    _check(data, res.x)
    twin = homework_twin(*data, 1.0, 0.5, tol=1e-7)
    f_k = objective(res.x, data[1], data[3], data[4], 1.0, 0.5)
    f_t = objective(twin.x, data[1], data[3], data[4], 1.0, 0.5)
    assert f_k <= f_t + 1e-9 * f_t


def test_bench_kernel_10000(benchmark) -> None:
    data = synthetic_district(10000)
    homework_kernel(*data, 1.0, 0.5)
    res = benchmark(homework_kernel, *data, 1.0, 0.5)
    _check(data, res.x)
    tight = homework_kernel(*data, 1.0, 0.5, tol=1e-6)
    f = objective(res.x, data[1], data[3], data[4], 1.0, 0.5)
    f_tight = objective(tight.x, data[1], data[3], data[4], 1.0, 0.5)
    assert abs(f - f_tight) <= 1e-6 * f_tight


def test_bench_rounding_10000(benchmark) -> None:
    data = synthetic_district(10000)
    caps, eligible, ub, _, _ = data
    x = homework_kernel(*data, 1.0, 0.5).x
    u = cell_bounds(caps, eligible, ub)
    minutes, _, biggest = benchmark(round_to_grid, x, caps, u)
    assert (minutes % 5 == 0).all() and (minutes.sum(axis=2) <= caps).all()
    assert biggest < 5


def test_bench_matches_reference_500(benchmark) -> None:
    from jianfu.solver.homework.reference import solve_reference

    data = synthetic_district(500)
    homework_kernel(*data, 1.0, 0.5)
    res = benchmark(homework_kernel, *data, 1.0, 0.5)
    ref = solve_reference(*data, 1.0, 0.5, by_group=True)
    f = objective(res.x, data[1], data[3], data[4], 1.0, 0.5)
    assert abs(f - ref.objective) <= 1e-6 * ref.objective


if __name__ == "__main__":
    main()
