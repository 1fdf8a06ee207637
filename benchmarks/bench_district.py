"""District benchmark: a generated district solved, allocated and checked end to end.

Run from the repository root (the protocol is in ``benchmarks/README.md``, section
"District")::

    .venv/bin/python -m jianfu.benchmarks.bench_district --schools 50 --seed 1 \\
        --time-limit-per-school 25 --workers 2 --cp-workers 1 --retry-time-limit 60 \\
        --scaling-schools 6 --scaling-time-limit 8

It reports the per-school solve times (distribution of time to first timetable and of
the whole solve), the total wall time (generation excluded), the homework kernel time
of the one district call, the district check, and the wall time of a smaller district
with 1 and with 2 local workers (the scaling ratio). Results are printed and written as
JSON next to the outputs. Timings are reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any, Sequence

from ..cli import DISTRICT_SCHOOL_S


def _dist(values: Sequence[float]) -> dict[str, float]:
    xs = sorted(v for v in values if v == v)
    if not xs:
        return {}

    def q(p: float) -> float:
        return xs[min(len(xs) - 1, int(round(p * (len(xs) - 1))))]

    return {"n": len(xs), "min": xs[0], "median": statistics.median(xs), "p90": q(0.9),
            "p99": q(0.99), "max": xs[-1], "mean": statistics.fmean(xs), "sum": sum(xs)}


def _fmt(d: dict[str, float]) -> str:
    if not d:
        return "-"
    return (f"min {d['min']:.2f}  median {d['median']:.2f}  p90 {d['p90']:.2f}  "
            f"p99 {d['p99']:.2f}  max {d['max']:.2f}  sum {d['sum']:.1f} (n={d['n']})")


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:   # pragma: no cover - not on every platform
        return "?"


def run_district(n_schools: int, seed: int, root: Path, *, workers: int, time_limit: float,
                 cp_workers: int = 1, check: bool = True, retry_time_limit: float = 0.0,
                 fresh: bool = True) -> dict[str, Any]:
    """Generate, solve, allocate and check one district; returns the measurements."""
    from jianfu.instances.district import check_district_outputs
    from jianfu.instances.district_gen import generate_district, write_generated_district

    from jianfu.solver.district import solve_district

    folder, out = root / f"district-{n_schools}-{seed}", root / f"out-{n_schools}-{seed}-w{workers}"
    if fresh:
        shutil.rmtree(out, ignore_errors=True)
    if not (folder / "district.yaml").is_file():
        t = time.perf_counter()
        district, schools = generate_district(n_schools, seed)
        write_generated_district(folder, district, schools)
        print(f"generated {n_schools} schools in {time.perf_counter() - t:.1f}s → {folder}")
    load_before = _load()
    t0 = time.perf_counter()

    def progress(p: Any) -> None:
        if p.last is not None:
            print(f"  [{p.done}/{p.total}] {p.elapsed:7.1f}s {p.last}", flush=True)

    run = solve_district(folder, out, workers=workers, time_limit_per_school=time_limit,
                         cp_workers=cp_workers, progress=progress)
    first_pass = run
    retried = [o.name for o in run.outcomes if not o.solved and o.status != "INFEASIBLE"]
    if retry_time_limit and retried:
        # the same command again with a longer limit: finished schools are resumed
        print(f"  retrying {len(retried)} unsolved schools with {retry_time_limit:g}s")
        run = solve_district(folder, out, workers=workers, time_limit_per_school=retry_time_limit,
                             cp_workers=cp_workers, progress=progress)
    solved_at = time.perf_counter() - t0
    verdict = None
    check_s = 0.0
    if check:
        t = time.perf_counter()
        verdict = check_district_outputs(folder, out)
        check_s = time.perf_counter() - t
    total = time.perf_counter() - t0
    statuses: dict[str, int] = {}
    for o in run.outcomes:
        statuses[o.status] = statuses.get(o.status, 0) + 1
    return {
        "schools": n_schools, "seed": seed, "workers": workers, "time_limit": time_limit,
        "cp_workers": cp_workers,
        "classes": sum(o.classes for o in run.outcomes), "statuses": statuses,
        "itinerant": len(run.itinerant),
        "first_pass_statuses": {s: sum(1 for o in first_pass.outcomes if o.status == s)
                                for s in {o.status for o in first_pass.outcomes}},
        "first_pass_wall": first_pass.wall_time, "retried": retried,
        "wall_total": total, "wall_solve_and_homework": solved_at, "solve_phase": run.solve_time,
        "homework_seconds": run.homework.seconds if run.homework else None,
        "homework_kernel_seconds": run.homework.kernel_seconds if run.homework else None,
        "homework_calls": run.homework.calls if run.homework else None,
        "check_seconds": check_s,
        "compliant": None if verdict is None else verdict.compliant,
        "hard_violations": None if verdict is None else verdict.hard,
        "cross_school_violations": None if verdict is None else len(verdict.cross),
        "time_to_first": _dist([o.time_to_first for o in run.outcomes
                                if o.time_to_first is not None]),
        "runtime": _dist([o.runtime for o in run.outcomes]),
        "classes_by_school": _dist([float(o.classes) for o in run.outcomes]),
        "per_school": [{"school": o.name, "classes": o.classes, "status": o.status,
                        "time_to_first": o.time_to_first, "runtime": o.runtime,
                        "objective": o.objective, "bound": o.bound} for o in run.outcomes],
        "load_before": load_before, "load_after": _load(),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schools", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit-per-school", type=float, default=DISTRICT_SCHOOL_S,
                        help=f"as district solve's (default {DISTRICT_SCHOOL_S:g})")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--cp-workers", type=int, default=1, help="CP-SAT threads per school")
    parser.add_argument("--scaling-schools", type=int, default=8,
                        help="schools of the 1-vs-2-worker run (0: skip)")
    parser.add_argument("--scaling-time-limit", type=float, default=10.0)
    parser.add_argument("--retry-time-limit", type=float, default=60.0,
                        help="re-run (resume) schools left without a timetable with this limit")
    parser.add_argument("--skip-full", action="store_true", help="only the scaling runs")
    parser.add_argument("--keep", action="store_true",
                        help="keep earlier outputs of the full run (resume them)")
    parser.add_argument("--root", default="/tmp/jianfu-bench-district")
    args = parser.parse_args(argv)
    root = Path(args.root)
    root.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {"cpus": os.cpu_count()}

    if not args.skip_full:
        print(f"== full district: {args.schools} schools, {args.workers} workers, "
              f"{args.time_limit_per_school:g}s per school (load {_load()}) ==")
        full = run_district(args.schools, args.seed, root, workers=args.workers,
                            time_limit=args.time_limit_per_school, cp_workers=args.cp_workers,
                            retry_time_limit=args.retry_time_limit, fresh=not args.keep)
        results["full"] = full
        print(f"classes {full['classes']}, itinerant teachers {full['itinerant']}, "
              f"first pass {full['first_pass_statuses']} in {full['first_pass_wall']:.1f}s, "
              f"final {full['statuses']}")
        print(f"time to first timetable (s): {_fmt(full['time_to_first'])}")
        print(f"solve time per school (s):   {_fmt(full['runtime'])}")
        print(f"homework: {full['homework_calls']} kernel call(s), "
              f"{full['homework_seconds']:.2f}s (kernel {full['homework_kernel_seconds']:.3f}s)")
        print(f"district check: {full['check_seconds']:.1f}s, compliant {full['compliant']}, "
              f"hard {full['hard_violations']}, cross-school {full['cross_school_violations']}")
        print(f"WALL solve+homework {full['wall_solve_and_homework']:.1f}s, "
              f"with check {full['wall_total']:.1f}s (load before {full['load_before']}, "
              f"after {full['load_after']})")

    if args.scaling_schools:
        scaling = {}
        for w in (1, 2):
            print(f"== scaling: {args.scaling_schools} schools, {w} worker(s), "
                  f"{args.scaling_time_limit:g}s per school (load {_load()}) ==")
            r = run_district(args.scaling_schools, args.seed + 1000, root, workers=w,
                             time_limit=args.scaling_time_limit, cp_workers=args.cp_workers,
                             check=False)
            scaling[w] = r
            print(f"  wall {r['wall_solve_and_homework']:.1f}s, "
                  f"solve phase {r['solve_phase']:.1f}s,"
                  f" statuses {r['statuses']}")
        ratio = scaling[2]["wall_solve_and_homework"] / scaling[1]["wall_solve_and_homework"]
        results["scaling"] = {str(k): v for k, v in scaling.items()}
        results["scaling_ratio"] = ratio
        print(f"wall(2 workers) / wall(1 worker) = {ratio:.2f}")
    path = root / "results.json"
    path.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str) + "\n",
                    encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
