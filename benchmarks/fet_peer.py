"""Peer benchmark: FET's ``fet-cl`` and jianfu on the same ``.fet`` files.

For each file, one ``fet-cl`` process and one jianfu process (this script run with
``--one``), the same time limit each, one after the other. Reported per file:

* ``fet_s`` / ``jf_s``: seconds to the first timetable satisfying every 100 %
  constraint (FET: wall time of ``fet-cl``, which stops at its first timetable;
  jianfu: from before the import to CP-SAT's first solution, import included);
* ``jf_by``: which of jianfu's two first-timetable methods got there first (CP-SAT
  or recursive swapping);
* ``ratio`` = ``jf_s / fet_s`` (in the summary, a file jianfu found no timetable for
  within the limit counts as an infinite ratio);
* ``fet_soft`` / ``jf_soft``: soft penalty of each tool's timetable, both scored by
  jianfu's checker (:func:`jianfu.models.fet_check.score_fet`; jianfu's after its
  full time limit), and ``*_hard``: hard violations the checker finds (must be 0);
  ``jf_bound``: CP-SAT's proven lower bound on jianfu's soft penalty;
* ``locked``: FET's verdict on whether jianfu's timetable keeps every 100 %
  constraint: ``fet-cl`` run on jianfu's exported locked file (every activity
  locked at jianfu's slot and room, every constraint below 100 % made inactive —
  FET's search treats a MinDays below 100 % as a chance of enforcing it at each
  placement and so keeps rejecting locked placements that break one, see
  :func:`~jianfu.instances.fet_export.write_locked_fet`). "accepted": FET placed it
  as is; "killed": fet-cl was still trying after its limit + 60 s (it ignores its
  time limit when locked activities cannot be placed, i.e. FET disagrees with
  jianfu's checker on some 100 % constraint);
* ``left_out``: active constraints of kinds jianfu does not model (the file is
  solved without them; the summary's targets count only files with none).

Usage (the development set of ``shared/reference/fet.md``, read from the installed
``fet-data`` package, plus two generated Chinese schools exported to FET)::

    .venv/bin/python -m jianfu.benchmarks.fet_peer --limit 60 --schools 2 --out fet_peer

With ``--seeds N`` each file is run N times by each tool, seeds 0 … N−1 (jianfu's
``seed``; FET's six random seed components all set to seed + 1), one row per run,
and the summary takes per file the median over the runs (a run without a
timetable counts as slower than any with one) and the number of runs with a
timetable: both tools are randomised, and on the hard files one run says little.

``--list FILE`` reads the files from a list (one path a line, relative to
fet-data's examples folder; ``#`` starts a comment), e.g. ``--list
benchmarks/fet_dev2.txt``, the second development set; ``--dev`` runs both
development sets (the ten above and that list, 70 files).

Writes ``<out>/fet_peer.csv`` and ``<out>/fet_peer.md``. Timings are printed, never
asserted. Files FET's package does not have are skipped with a note.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EXAMPLES = Path("/usr/share/doc/fet-data/examples/FET-5-official")
DEVELOPMENT_SET = (
    "Brazil/1/Brazil.fet", "Bulgaria/Lom_high_school_2007-2008.fet",
    "Namibia/by-Bobby/set-2/FGPS.fet", "Namibia/by-Bobby/set-2/MAPS.fet",
    "Spain/3-school/primaria.fet", "Saudi-Arabia/Arabic_Saudi_1.fet",
    "Germany/secondary-school-1/older/secondary_school.fet",
    "United-Kingdom/Hopwood/Hopwood.fet",
    "South-Africa/difficult/Insight_Learning_Centre2.fet",
    "Romania/Pedagogic-High-School-Tg-Mures/2006-2007.fet",
)
#: The second development set (60 files of fet-data's examples).
DEVELOPMENT_SET_2 = Path(__file__).with_name("fet_dev2.txt")
COLUMNS = ("file", "seed", "activities", "fet_status", "fet_s", "fet_hard", "fet_soft", "jf_status",
           "jf_s", "jf_by", "jf_hard", "jf_soft", "jf_bound", "ratio", "locked", "left_out")


def _find(rel: str) -> Path | None:
    for cand in (EXAMPLES / rel, EXAMPLES / (rel + ".gz")):
        if cand.exists():
            return cand
    return None


def _plain(path: Path, tmp: Path) -> Path:
    """fet-cl reads plain XML only: decompress ``.fet.gz`` into ``tmp``."""
    if not path.name.endswith(".gz"):
        return path
    import gzip
    out = tmp / path.name.removesuffix(".gz")
    out.write_bytes(gzip.decompress(path.read_bytes()))
    return out


def run_fet(path: Path, limit: float, outdir: Path, seed: int = 0
            ) -> tuple[str, float, Path | None]:
    """Run fet-cl; return (status, wall seconds, activities.xml or None)."""
    fet = shutil.which("fet-cl")
    if fet is None:
        return "no fet-cl", math.nan, None
    seeds = [f"--randomseeds{k}={seed + 1}" for k in (10, 11, 12, 20, 21, 22)]
    t0 = time.perf_counter()
    try:
        run = subprocess.run([fet, f"--inputfile={path}", f"--outputdir={outdir}",
                              f"--timelimitseconds={math.ceil(limit)}", *seeds],
                             capture_output=True, text=True, timeout=limit + 60, check=False)
        text = run.stdout + run.stderr
    except subprocess.TimeoutExpired:
        return "killed", time.perf_counter() - t0, None
    wall = time.perf_counter() - t0
    name = path.name.removesuffix(".fet")
    acts = outdir / "timetables" / name / f"{name}_activities.xml"
    if "Simulation successful" in text and acts.exists():
        return "ok", wall, acts
    if "time exceeded" in text.lower() or "timeout" in text.lower():
        return "timeout", wall, None
    return "failed: " + (text.strip().splitlines() or ["?"])[-1][:60], wall, None


def run_jianfu_one(path: Path, limit: float, workers: int, locked: Path, seed: int = 0
                   ) -> dict:
    """Solve in this process and return the row fields (the ``--one`` mode)."""
    from jianfu.instances.fet_export import write_locked_fet
    from jianfu.solver.checked import solve_checked

    checked = solve_checked(path, time_limit=limit, workers=workers, seed=seed,
                            ignore_unsupported=True)
    result, problem, score = checked.result, checked.problem, checked.summary
    row: dict = {"jf_status": result.status.value, "activities": len(problem.activities),
                 "left_out": sum(n for _, n in problem.unsupported),
                 "left_out_kinds": dict(problem.unsupported)}
    if result.solution is not None:
        write_locked_fet(problem, result.solution, locked, source=path, hard_only=True)
        row.update(jf_s=result.time_to_first, jf_by=result.first_by, jf_hard=score.hard,
                   jf_soft=score.soft, jf_bound=result.bound, jf_objective=result.objective,
                   locked_file=str(locked))
    return row


def warm_up(path: Path, workers: int, work: Path) -> None:
    """One short untimed jianfu run, so numba compiles the search's kernels into its
    on-disk cache (once per machine and code version, ≈ 10–20 s) before any timed run,
    as FET's binary is compiled before it is timed."""
    subprocess.run([sys.executable, "-m", "jianfu.benchmarks.fet_peer", "--one",
                    str(_plain(path, work)), "--limit", "5", "--workers", str(workers),
                    "--locked", str(work / "warm-up.fet")], capture_output=True, text=True,
                   timeout=600, check=False)


def score_fet_result(path: Path, acts: Path) -> tuple[int, float]:
    from jianfu.instances.fet import read_fet, read_fet_result
    from jianfu.models.fet_check import score_fet

    problem = read_fet(path, ignore_unsupported=True)
    s = score_fet(problem, read_fet_result(problem, acts))
    return s.hard, s.soft


def bench_file(path: Path, limit: float, workers: int, work: Path, seed: int = 0) -> dict:
    name = path.name.removesuffix(".gz").removesuffix(".fet")
    plain = _plain(path, work)
    row: dict = {"file": name, "seed": seed}
    status, wall, acts = run_fet(plain, limit, work / f"fet-{name}-{seed}", seed)
    row.update(fet_status=status, fet_s=wall if status == "ok" else math.nan)
    if acts is not None:
        row["fet_hard"], row["fet_soft"] = score_fet_result(plain, acts)
    locked = work / f"{name}_jianfu_locked_{seed}.fet"
    proc = subprocess.run([sys.executable, "-m", "jianfu.benchmarks.fet_peer", "--one",
                           str(plain), "--limit", str(limit), "--workers", str(workers),
                           "--locked", str(locked), "--seed", str(seed)],
                          capture_output=True, text=True, timeout=limit + 120, check=False)
    try:
        row.update(json.loads(proc.stdout.strip().splitlines()[-1]))
    except (IndexError, json.JSONDecodeError):
        row["jf_status"] = "crashed: " + (proc.stderr.strip().splitlines() or ["?"])[-1][:60]
    if row.get("jf_s") is not None and not math.isnan(row.get("fet_s", math.nan)):
        row["ratio"] = row["jf_s"] / row["fet_s"]
    if row.get("locked_file"):
        st, _, _ = run_fet(Path(row["locked_file"]), min(limit, 60),
                           work / f"locked-{name}-{seed}")
        row["locked"] = "accepted" if st == "ok" else st
    return row


def school_files(n: int, work: Path) -> list[Path]:
    """Generated Chinese schools (nine-year, 2.. classes per grade) exported to FET."""
    from jianfu.instances.fet_export import write_school_fet
    from jianfu.instances.generator import generate_school
    from jianfu.models.policy import load_policy

    policy = load_policy(None)
    out = []
    for k in range(n):
        school = generate_school("nine-year", 2 + k, seed=k, policy=policy,
                                 name=f"cn-nine-year-{2 + k}")
        out.append(write_school_fet(school, policy, work / f"cn-nine-year-{2 + k}.fet"))
    return out


def _fmt(v: object) -> str:
    if isinstance(v, float):
        return "-" if math.isnan(v) else f"{v:.2f}"
    return "-" if v is None else str(v)


def _first(r: dict, key: str) -> float:
    """Seconds to the first timetable, ``inf`` when the run found none."""
    v = r.get(key)
    return math.inf if v is None or (isinstance(v, float) and math.isnan(v)) else v


def _median_of(runs: list[dict], key: str) -> float | None:
    values = [r[key] for r in runs if isinstance(r.get(key), (int, float))
              and not math.isnan(r[key])]
    return statistics.median(values) if values else None


def summary(rows: list[dict]) -> list[dict]:
    """Per file, over its runs: median seconds to the first timetable of each tool
    (``inf``: none in most runs), runs with a timetable, the ratio of medians, the
    median soft penalty of each tool's timetables, jianfu's runs declared
    infeasible, locked checks accepted, and whether jianfu models every constraint
    of the file (``supported``: no run left one out)."""
    out = []
    for name in dict.fromkeys(r["file"] for r in rows):
        runs = [r for r in rows if r["file"] == name]
        fet = statistics.median(_first(r, "fet_s") for r in runs)
        jf = statistics.median(_first(r, "jf_s") for r in runs)
        out.append({"file": name, "runs": len(runs), "fet_s": fet, "jf_s": jf,
                    "fet_found": sum(_first(r, "fet_s") < math.inf for r in runs),
                    "jf_found": sum(_first(r, "jf_s") < math.inf for r in runs),
                    # a file jianfu found nothing for counts as infinitely slow, not
                    # as absent: leaving it out made the median look better than it is
                    "ratio": jf / fet if fet < math.inf else None,
                    "fet_soft": _median_of(runs, "fet_soft"),
                    "jf_soft": _median_of(runs, "jf_soft"),
                    "jf_infeasible": sum(r.get("jf_status") == "infeasible" for r in runs),
                    "locked": sum(r.get("locked") == "accepted" for r in runs),
                    "supported": not any(r.get("left_out") for r in runs)})
    return out


def targets(files: list[dict]) -> list[str]:
    """Issue #20's targets over the files jianfu fully models, one line each."""
    ok = [f for f in files if f["supported"]]
    slow = [f["ratio"] for f in ok if f["ratio"] is not None and f["fet_s"] >= 10]
    fast = [f for f in ok if f["fet_s"] < 10]
    both = [f for f in ok if f["fet_soft"] is not None and f["jf_soft"] is not None]
    wrong = [f["file"] for f in ok if f["jf_infeasible"] and f["fet_found"]]
    found = sum(f["jf_found"] for f in ok)
    return [
        f"files jianfu models fully: {len(ok)}/{len(files)}",
        f"median ratio on files FET needs >= 10 s for: "
        f"{_fmt(statistics.median(slow)) if slow else '-'} ({len(slow)} files, "
        f"{sum(r == math.inf for r in slow)} without a jianfu timetable)",
        f"files FET solves in < 10 s where jianfu's first timetable took <= 10 s: "
        f"{sum(1 for f in fast if f['jf_s'] <= 10)}/{len(fast)}",
        f"files both solve where jianfu's median soft penalty <= FET's: "
        f"{sum(1 for f in both if f['jf_soft'] <= f['fet_soft'] + 1e-9)}/{len(both)}",
        f"files FET solves that jianfu declared infeasible: {len(wrong)}"
        + (f" ({', '.join(wrong)})" if wrong else ""),
        f"jianfu timetables fet-cl accepted locked (100 % rules): "
        f"{sum(f['locked'] for f in ok)}/{found}",
    ]


def table(rows: list[dict]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for r in rows:
        lines.append("| " + " | ".join(_fmt(r.get(c)) for c in COLUMNS) + " |")
    files = summary(rows)
    if any(f["runs"] > 1 for f in files):
        lines += ["", "| file | runs | FET found | jianfu found | FET median s | "
                      "jianfu median s | ratio | FET soft | jianfu soft | models all |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        lines += [f"| {f['file']} | {f['runs']} | {f['fet_found']} | {f['jf_found']} | "
                  f"{_fmt(f['fet_s'])} | {_fmt(f['jf_s'])} | {_fmt(f['ratio'])} | "
                  f"{_fmt(f['fet_soft'])} | {_fmt(f['jf_soft'])} | "
                  f"{'yes' if f['supported'] else 'no'} |"
                  for f in files]
    return "\n".join([*lines, "", *targets(files)])


def read_list(path: Path) -> list[str]:
    """The paths of a file list (see the module docstring)."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="*", help=".fet files (default: the development set)")
    ap.add_argument("--limit", type=float, default=60.0, help="seconds per tool and file")
    ap.add_argument("--workers", type=int, default=2, help="CP-SAT workers")
    ap.add_argument("--schools", type=int, default=0, help="generated Chinese schools to add")
    ap.add_argument("--seeds", type=int, default=1,
                    help="runs per file and tool, seeds 0 .. N-1 (medians in the summary)")
    ap.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--list", help="a file list (paths relative to fet-data's examples)")
    ap.add_argument("--dev", action="store_true", help="both development sets (70 files)")
    ap.add_argument("--out", default="fet_peer", help="directory for the csv and md table")
    ap.add_argument("--one", help=argparse.SUPPRESS)
    ap.add_argument("--locked", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(run_jianfu_one(Path(args.one), args.limit, args.workers,
                                        Path(args.locked), args.seed)))
        return 0
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="fet_peer_"))
    files: list[Path] = [Path(f) for f in args.files]
    listed = read_list(Path(args.list)) if args.list else []
    if args.dev:
        listed = [*DEVELOPMENT_SET, *read_list(DEVELOPMENT_SET_2)]
    if not files and not listed:
        listed = list(DEVELOPMENT_SET)
    for rel in listed:
        found = _find(rel)
        if found is None:
            print(f"skip {rel}: not installed (apt-get install fet-data)")
        else:
            files.append(found)
    files += school_files(args.schools, work)
    if files:
        warm_up(files[0], args.workers, work)
    rows = []
    for f in files:
        for seed in range(args.seeds):
            row = bench_file(f, args.limit, args.workers, work, seed)
            rows.append(row)
            print(" ".join(f"{c}={_fmt(row.get(c))}" for c in COLUMNS), flush=True)
    with open(out / "fet_peer.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    text = table(rows)
    (out / "fet_peer.md").write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
