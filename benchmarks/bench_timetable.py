"""Timetable engine benchmarks: micro-benchmarks and the quality protocol.

Two uses:

* pytest-benchmark micro-benchmarks that also assert correctness (every timetable
  goes through the independent checker)::

      .venv/bin/pytest benchmarks/bench_timetable.py --benchmark-enable -p no:cacheprovider

* script mode, the quality protocol of ``benchmarks/README.md`` (section "Timetable
  engine"): primary, junior and nine-year schools with 2, 4 and 8 classes per grade,
  one solve each, reporting build time, time to the first compliant timetable, the
  objective and bound at 10 s and at the time limit, and the gap::

      .venv/bin/python -m jianfu.benchmarks.bench_timetable --sizes 2 4 8 --limit 60 \\
          --csv timetable_quality.csv

Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import csv
import math
import statistics
import sys
import time

from jianfu.instances.generator import generate_school
from jianfu.models.checker import check, summarize
from jianfu.models.core import compile_school
from jianfu.models.policy import load_policy
from jianfu.solver import Status, solve
from jianfu.solver.checked import solve_checked

PRESETS = ("primary", "junior", "nine-year")


def _at(result, seconds: float) -> tuple[float, float]:
    """Objective and bound of the last improving solution found by ``seconds``."""
    rows = [r for r in result.statistics.rows if r.time <= seconds]
    if not rows:
        return math.nan, math.nan
    return rows[-1].objective, max(0.0, rows[-1].bound)


def _gap(objective: float, bound: float) -> float:
    if math.isnan(objective):
        return math.nan
    return 0.0 if objective == 0 else max(0.0, (objective - bound) / objective)


def run_one(preset: str, per_grade: int, *, limit: float, seed: int, workers: int,
            profile: str, structures: bool = False) -> dict[str, object]:
    """One protocol row (and the checker's verdict on the timetable); ``structures``:
    the generated school with the structures of issue #17 (``benchmarks/bench_structures.py``)."""
    policy = load_policy(profile)
    school = generate_school(preset, per_grade, seed, policy, structures=structures)
    policy = school.policy()
    t = time.perf_counter()
    compile_school(school, policy)
    compile_time = time.perf_counter() - t
    checked = solve_checked(school, policy, time_limit=limit, workers=workers, seed=seed)
    result = checked.result
    compliant = None
    checker_objective = math.nan
    if checked.summary is not None:
        compliant = checked.compliant
        checker_objective = checked.summary.objective
    obj10, bound10 = _at(result, 10.0)
    return {
        "preset": preset, "per_grade": per_grade, "classes": len(school.classes),
        "teachers": len(school.teachers), "lessons": sum(r.periods for r in school.requirements),
        "profile": policy.name, "status": result.status.value,
        "compile_s": round(compile_time, 3), "build_s": round(result.build_time, 2),
        "first_s": None if result.time_to_first is None else round(result.time_to_first, 2),
        "obj_10s": obj10, "bound_10s": bound10, "gap_10s": round(_gap(obj10, bound10), 3),
        "objective": result.objective, "bound": result.bound, "gap": round(result.gap, 3),
        "runtime_s": round(result.runtime, 1), "checker_objective": checker_objective,
        "compliant": compliant,
        "terms": " ".join(f"{k}={v}" for k, v in result.terms.items()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--presets", nargs="+", default=list(PRESETS), choices=PRESETS)
    parser.add_argument("--sizes", nargs="+", type=int, default=[2, 4, 8])
    parser.add_argument("--limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--seeds", nargs="+", type=int, default=None,
                        help="schools (and solves) with each of these seeds; medians at the end")
    parser.add_argument("--no-lns", action="store_true",
                        help="CP-SAT alone, without the LNS rounds (for comparison)")
    parser.add_argument("--profile", default="national")
    parser.add_argument("--csv", default=None, help="also write the rows to this CSV file")
    args = parser.parse_args(argv)
    if args.no_lns:
        from jianfu.solver.school import solve as engine
        engine.LNS = False
    seeds = args.seeds if args.seeds is not None else [args.seed]
    rows = []
    head = (f"{'preset':<10}{'k':>3}{'cls':>5}{'status':>10}{'build':>7}{'first':>7}"
            f"{'obj@10':>8}{'gap@10':>8}{'obj':>8}{'bound':>8}{'gap':>7}{'ok':>4}")
    print(head)
    for preset in args.presets:
        for k in args.sizes:
            for seed in seeds:
                row = run_one(preset, k, limit=args.limit, seed=seed, workers=args.workers,
                              profile=args.profile)
                row["seed"] = seed
                rows.append(row)
                print(f"{preset:<10}{k:>3}{row['classes']:>5}{row['status']:>10}"
                      f"{row['build_s']:>7}{str(row['first_s']):>7}{row['obj_10s']:>8g}"
                      f"{row['gap_10s']:>8}{row['objective']:>8g}{row['bound']:>8g}"
                      f"{row['gap']:>7}{'✓' if row['compliant'] else '✗':>4}  seed {seed}",
                      flush=True)
            if len(seeds) > 1:
                mine = [r for r in rows if r["preset"] == preset and r["per_grade"] == k]
                print(f"{preset:<10}{k:>3}  median over seeds {seeds}: objective "
                      f"{statistics.median(r['objective'] for r in mine):g}, gap "
                      f"{statistics.median(r['gap'] for r in mine):.3f}, first "
                      f"{statistics.median(r['first_s'] or math.inf for r in mine):g}s "
                      f"({'CP-SAT alone' if args.no_lns else 'with LNS'})", flush=True)
    if args.csv:
        with open(args.csv, "w", newline="", encoding="utf-8") as fh:
            out = csv.DictWriter(fh, fieldnames=list(rows[0]))
            out.writeheader()
            out.writerows(rows)
    return 0 if all(r["compliant"] for r in rows if r["status"] != Status.UNKNOWN) else 1


# --- pytest-benchmark micro-benchmarks ---------------------------------------------------

def test_bench_compile_nine_year(benchmark):
    school = generate_school("nine-year", 2, 0)
    policy = school.policy()
    problem = benchmark(compile_school, school, policy)
    assert len(problem.activities) == len(school.requirements)


def test_bench_build_model(benchmark):
    from ortools.sat.python import cp_model

    from jianfu.solver.school.build import build
    from jianfu.solver.school.objective import add_objective

    school = generate_school("nine-year", 2, 0)
    problem = compile_school(school, school.policy())

    def make():
        model = cp_model.CpModel()
        v = build(model, problem)
        add_objective(model, problem, v)
        return v

    v = benchmark(make)
    assert len(v.x) >= sum(a.count for a in problem.activities)


def test_bench_warm_start(benchmark):
    from jianfu.solver.school.hint import greedy

    school = generate_school("nine-year", 4, 0)
    problem = compile_school(school, school.policy())
    placed = benchmark(greedy, problem)
    assert len(placed) >= 0.95 * sum(a.count for a in problem.activities)


def test_bench_solve_primary_small(benchmark):
    school = generate_school("primary", 1, 0)
    policy = school.policy()
    result = benchmark.pedantic(solve, args=(school, policy),
                                kwargs={"time_limit": 5.0, "workers": 2}, rounds=1, iterations=1)
    assert result.timetable is not None
    summary = summarize(check(school, policy, result.timetable), policy)
    assert summary.compliant and summary.objective == result.objective


if __name__ == "__main__":
    sys.exit(main())
