"""The district audit at scale (issue #18, item 5): ``audit_folder`` on generated schools.

The protocol of ``benchmarks/README.md`` (section "District audit"): ``--schools``
generated primary schools (one class per grade, seeds ``--seed``, ``--seed`` + 1, …),
each solved once for ``--time-limit`` seconds (1 CP-SAT worker) and exported with
jianfu's own writers; the solved exports are cached under ``ROOT/cache`` and reused by
later runs (``--fresh`` solves again). The submissions folder ``ROOT/submissions`` is
then rebuilt from the cache in the shapes schools send, in turn:

- ``NN-校名.xlsx``: the per-class workbook alone (the school read off it);
- ``NN-校名/``: ``lessons.csv`` with the school file ``school.yaml``;
- ``NN-校名/``: ``timetable.json`` with ``school.yaml``;

every ``--bad``-th school has one PE lesson of its first class taught as 数学 (a CSV with
its school file: ``coverage`` and ``curriculum``), and ``--broken`` more submissions are
damaged workbooks. ``audit_folder`` is timed on the folder, the report is written to
``ROOT/report`` (also timed) and its first page printed as text::

    .venv/bin/python -m jianfu.benchmarks.bench_audit --schools 50 --seed 1 \\
        --time-limit 5 --root /tmp/jianfu-bench-audit

Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

from jianfu.instances.district_audit import audit_folder
from jianfu.instances.district_audit_report import write_district_report
from jianfu.models.district_audit import format_district

_EXPORTS = ("school.yaml", "timetable.xlsx", "lessons.csv", "timetable.json")


def solved_exports(cache: Path, seed: int, *, time_limit: float, fresh: bool) -> tuple[Path, str]:
    """The folder of one generated school's exports (solved now, or reused) and its name."""
    folder = cache / f"seed-{seed:04d}"
    if not fresh and all((folder / name).is_file() for name in _EXPORTS):
        return folder, (folder / "name.txt").read_text(encoding="utf-8").strip()
    from jianfu.instances.export import export
    from jianfu.instances.generator import generate_school
    from jianfu.instances.schoolfile import write_school
    from jianfu.instances.timetable_io import write_timetable
    from jianfu.models.checker import check
    from jianfu.solver import solve

    school = generate_school("primary", 1, seed=seed)
    policy = school.policy()
    result = solve(school, policy, time_limit=time_limit, workers=1, seed=seed)
    if result.timetable is None:
        raise SystemExit(f"seed {seed}: no timetable in {time_limit} s ({result.status}); "
                         f"raise --time-limit")
    hard = [v for v in check(school, policy, result.timetable) if v.hard]
    if hard:
        raise SystemExit(f"seed {seed}: the solver's timetable breaks {hard[0].rule}")
    folder.mkdir(parents=True, exist_ok=True)
    write_school(school, folder / "school.yaml")
    export(folder, school, policy, result.timetable, fmt="xlsx")
    export(folder, school, policy, result.timetable, fmt="csv")
    write_timetable(result.timetable, school, folder / "timetable.json")
    (folder / "name.txt").write_text(school.name + "\n", encoding="utf-8")
    return folder, school.name


def plant_math_for_pe(src: Path, dst: Path) -> tuple[str, str, str]:
    """``src`` (lessons.csv) with one PE lesson of its first class taught as 数学 by the
    class's 数学 teacher, written to ``dst``; returns that lesson's (class, day, period)."""
    lines = src.read_text(encoding="utf-8-sig").splitlines()
    head = lines[0].split(",")
    rows = [line.split(",") for line in lines[1:]]
    col = {name.split()[-1]: i for i, name in enumerate(head)}   # 班级 class → class
    first = rows[0][col["class"]]
    maths = next(r[col["teacher"]] for r in rows
                 if r[col["class"]] == first and r[col["subject"]] == "数学")
    pe = next(r for r in rows if r[col["class"]] == first and r[col["subject"]] == "体育与健康")
    pe[col["subject"]], pe[col["teacher"]], pe[col["venue"]] = "数学", maths, ""
    dst.write_text("\n".join(",".join(r) for r in [head, *rows]) + "\n", encoding="utf-8-sig")
    return first, pe[col["day"]], pe[col["period"]]


def build_folder(root: Path, schools: int, seed: int, *, time_limit: float, fresh: bool,
                 bad: int, broken: int) -> Path:
    """``root/submissions`` rebuilt from the cache (see the module docstring)."""
    folder = root / "submissions"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for i in range(schools):
        t0 = time.perf_counter()
        src, name = solved_exports(root / "cache", seed + i, time_limit=time_limit, fresh=fresh)
        label = f"{i + 1:02d}-{name}"
        if bad and (i + 1) % bad == 0:
            (folder / label).mkdir()
            shutil.copy(src / "school.yaml", folder / label / "school.yaml")
            plant_math_for_pe(src / "lessons.csv", folder / label / "lessons.csv")
            shape = "lessons.csv + school.yaml, PE → 数学"
        elif i % 3 == 0:
            shutil.copy(src / "timetable.xlsx", folder / f"{label}.xlsx")
            shape = "per-class workbook"
        else:
            own = "lessons.csv" if i % 3 == 1 else "timetable.json"
            (folder / label).mkdir()
            shutil.copy(src / "school.yaml", folder / label / "school.yaml")
            shutil.copy(src / own, folder / label / own)
            shape = f"{own} + school.yaml"
        print(f"  {label}: {shape} ({time.perf_counter() - t0:.1f} s)", file=sys.stderr,
              flush=True)
    for k in range(broken):
        (folder / f"{schools + k + 1:02d}-损坏的课表.xlsx").write_bytes(b"PK\x03\x04 damaged")
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--schools", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1, help="seed of the first school")
    parser.add_argument("--time-limit", type=float, default=5.0,
                        help="CP-SAT seconds per school when not cached (default 5)")
    parser.add_argument("--root", default="/tmp/jianfu-bench-audit",
                        help="cache/, submissions/ and report/ go here")
    parser.add_argument("--fresh", action="store_true", help="solve again, ignoring the cache")
    parser.add_argument("--bad", type=int, default=10,
                        help="every N-th school gets a planted violation (0: none; default 10)")
    parser.add_argument("--broken", type=int, default=1, help="damaged workbooks (default 1)")
    parser.add_argument("--profile", default=None)
    args = parser.parse_args(argv)
    root = Path(args.root)
    t0 = time.perf_counter()
    print(f"building {args.schools} schools under {root} …", file=sys.stderr)
    folder = build_folder(root, args.schools, args.seed, time_limit=args.time_limit,
                          fresh=args.fresh, bad=args.bad, broken=args.broken)
    built = time.perf_counter() - t0
    t1 = time.perf_counter()
    audit = audit_folder(folder, profile=args.profile)
    audited = time.perf_counter() - t1
    t2 = time.perf_counter()
    written = write_district_report(root / "report", audit)
    wrote = time.perf_counter() - t2
    per = sorted(s.seconds for s in audit.schools)
    print(f"schools {len(audit.schools)}  build {built:.1f} s  audit_folder {audited:.2f} s "
          f"({audited / max(1, len(audit.schools)):.3f} s a school; median "
          f"{per[len(per) // 2]:.3f} s, max {per[-1]:.3f} s)  report {wrote:.2f} s")
    print("wrote " + ", ".join(str(p) for p in written))
    print()
    print(format_district(audit))
    return 0


if __name__ == "__main__":
    sys.exit(main())
