"""Schools as they are organised (issue #17): the timetable engine with the structures on.

The protocol of ``benchmarks/README.md`` (section "Structures"): generated nine-year
schools with 4 and 8 classes per grade (36 and 72 classes), each seed once without and
once with ``structures=True`` (班会 by the 班主任, 升旗仪式, 教研活动, 行政会, 禁排,
wishes, 男女分组 PE, 体育合班), one solve each with the timetable protocol's settings,
reporting the time to the first compliant timetable, the objective and bound at 10 s
and at the limit, and a summary against the targets::

    .venv/bin/python -m jianfu.benchmarks.bench_structures --sizes 4 8 --seeds 0 1 2 \\
        --limit 60 --csv structures.csv

Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys

from jianfu.benchmarks.bench_timetable import run_one
from jianfu.instances.generator import generate_school
from jianfu.instances.generator import structure_counts

# Targets of issue #17 (first compliant timetable, seconds, per classes per grade).
TARGET_FIRST = {4: 10.0, 8: 60.0}


def _median_first(rows: list[dict[str, object]]) -> float:
    """Median seconds to the first compliant timetable; a run without one counts as
    slower than any with one."""
    times = [float(r["first_s"]) if r["first_s"] is not None and r["compliant"] else float("inf")
             for r in rows]
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--preset", default="nine-year", choices=["primary", "junior", "nine-year"])
    parser.add_argument("--sizes", nargs="+", type=int, default=[4, 8])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--profile", default="national")
    parser.add_argument("--only", choices=["with", "without"], default=None,
                        help="run only the schools with (or without) the structures")
    parser.add_argument("--csv", default=None, help="also write the rows to this CSV file")
    args = parser.parse_args(argv)
    variants = [v for v in (False, True) if args.only is None or v == (args.only == "with")]
    rows: list[dict[str, object]] = []
    head = (f"{'k':>3}{'cls':>5}{'seed':>5}{'struct':>7}{'status':>10}{'build':>7}{'first':>7}"
            f"{'obj@10':>8}{'obj':>8}{'bound':>8}{'gap':>7}{'ok':>4}  structures")
    print(head)
    for k in args.sizes:
        for seed in args.seeds:
            for structures in variants:
                row = run_one(args.preset, k, limit=args.limit, seed=seed, workers=args.workers,
                              profile=args.profile, structures=structures)
                counts = structure_counts(generate_school(args.preset, k, seed,
                                                          structures=structures))
                row["structures"] = structures
                row["counts"] = " ".join(f"{name}={n}" for name, n in counts.items() if n)
                rows.append(row)
                print(f"{k:>3}{row['classes']:>5}{seed:>5}{'yes' if structures else 'no':>7}"
                      f"{row['status']:>10}{row['build_s']:>7}{str(row['first_s']):>7}"
                      f"{row['obj_10s']:>8g}{row['objective']:>8g}{row['bound']:>8g}"
                      f"{row['gap']:>7}{'✓' if row['compliant'] else '✗':>4}  {row['counts']}",
                      flush=True)
    print()
    for k in args.sizes:
        mine = [r for r in rows if r["per_grade"] == k]
        with_ = [r for r in mine if r["structures"]]
        without = [r for r in mine if not r["structures"]]
        parts = []
        if with_:
            first = _median_first(with_)
            target = TARGET_FIRST.get(k)
            verdict = "" if target is None else \
                f" (target ≤ {target:g} s: {'met' if first <= target else 'not met'})"
            parts.append(f"with structures: median first {first:.2f} s{verdict}, "
                         f"objective {statistics.median(float(r['objective']) for r in with_):g}, "
                         f"bound {statistics.median(float(r['bound']) for r in with_):g}")
        if without:
            parts.append(f"without: median first {_median_first(without):.2f} s, objective "
                         f"{statistics.median(float(r['objective']) for r in without):g}")
        if with_ and without:
            parts.append(f"ratio of medians {_median_first(with_) / _median_first(without):.2f}")
        print(f"k = {k} ({mine[0]['classes']} classes): " + "; ".join(parts))
    if args.csv:
        with open(args.csv, "w", newline="", encoding="utf-8") as fh:
            out = csv.DictWriter(fh, fieldnames=list(rows[0]))
            out.writeheader()
            out.writerows(rows)
    return 0 if all(r["compliant"] for r in rows if r["first_s"] is not None) else 1


if __name__ == "__main__":
    sys.exit(main())
