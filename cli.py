"""The ``jianfu`` command: parse arguments, call the library, print, write files.

No logic lives only here. Exit codes: 0 success (a compliant timetable / no hard
violation), 1 the checker found hard violations (``check``, ``homework audit``),
2 bad input, 3 proven infeasible, 4 no timetable within the time limit.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path
from typing import Sequence

if not __package__:  # `python cli.py`: make the repository importable as `jianfu`
    import importlib.util

    _root = Path(__file__).resolve().parent
    _spec = importlib.util.spec_from_file_location(
        "jianfu", _root / "__init__.py", submodule_search_locations=[str(_root)])
    assert _spec is not None and _spec.loader is not None
    _module = importlib.util.module_from_spec(_spec)
    sys.modules["jianfu"] = _module
    _spec.loader.exec_module(_module)
    __package__ = "jianfu"

from .models.errors import InputError  # noqa: E402

SCHOOL_COPY = "school.yaml"  # `jianfu solve` keeps the school beside its timetable for `export`
EXIT_OK, EXIT_VIOLATIONS, EXIT_BAD_INPUT, EXIT_INFEASIBLE, EXIT_NO_SOLUTION = 0, 1, 2, 3, 4


# --- shared helpers -------------------------------------------------------------------

def _load_school(path: str):
    """Read a school file: YAML/JSON (docs/format.md) or the Excel template."""
    if not Path(path).is_file():
        raise InputError(path, "", "school file not found")
    if Path(path).suffix.lower() == ".xlsx":
        from .instances.excel import read_school_xlsx

        return read_school_xlsx(path)
    from .instances.schoolfile import read_school

    return read_school(path)


def _policy(school, name: str | None):
    """The school's profile (or ``--policy``), with the school's overrides."""
    return school.policy(name)


def _table(rows: list[list[str]], header: list[str]) -> str:
    def width(text: str) -> int:  # CJK characters take two columns in a terminal
        return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)

    cols = [max(width(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, ["-" * c for c in cols], *rows]:
        cells = [str(v) + " " * (cols[i] - width(str(v))) for i, v in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


# --- policy ---------------------------------------------------------------------------

def cmd_policy_list(args: argparse.Namespace) -> int:
    from .models.policy import PROFILES

    print(_table([[name, p.description] for name, p in PROFILES.items()], ["profile", "description"]))
    return EXIT_OK


def cmd_policy_show(args: argparse.Namespace) -> int:
    from .models.policy import load_policy, policy_rows

    if args.school:
        policy = _policy(_load_school(args.school), args.name)
    else:
        policy = load_policy(args.name)
    print(f"{policy.name}: {policy.description}\n")
    for name, value, doc, source in policy_rows(policy):
        print(f"{name} = {value}\n    {doc}\n    来源 source: {source}")
    return EXIT_OK


# --- generate -------------------------------------------------------------------------

def cmd_generate_school(args: argparse.Namespace) -> int:
    from .instances.generator import generate_school
    from .instances.schoolfile import write_school
    from .models.policy import load_policy

    policy = load_policy(args.policy)
    school = generate_school(args.preset, args.classes_per_grade, args.seed, policy, name=args.name)
    write_school(school, args.output)
    lessons = sum(r.periods for r in school.requirements)
    print(f"wrote {args.output}: {school.name} — {len(school.classes)} classes, "
          f"{len(school.teachers)} teachers, {lessons} lessons a week, profile {policy.name}")
    return EXIT_OK


# --- check ----------------------------------------------------------------------------

def cmd_check(args: argparse.Namespace) -> int:
    from .instances.timetable_io import read_timetable
    from .models.checker import check, format_violations, summarize, violations_to_json

    school = _load_school(args.school)
    policy = _policy(school, args.policy)
    if not Path(args.timetable).is_file():
        raise InputError(args.timetable, "", "timetable file not found")
    timetable = read_timetable(args.timetable, school)
    violations = check(school, policy, timetable)
    summary = summarize(violations, policy)
    if args.json:
        print(json.dumps(violations_to_json(violations, summary), ensure_ascii=False, indent=2))
    else:
        print(format_violations(violations, summary, limit_per_rule=args.examples))
    return EXIT_OK if summary.compliant else EXIT_VIOLATIONS


# --- solve ----------------------------------------------------------------------------

class _Progress:
    """One self-overwriting status line while the solver searches (CLI only)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.start = time.monotonic()

    def __call__(self, elapsed: float, objective: float, bound: float) -> None:
        if self.enabled:
            print(f"\r  searching… {elapsed:6.1f}s  objective {objective:g}  bound {bound:g}   ",
                  end="", file=sys.stderr, flush=True)

    def done(self) -> None:
        if self.enabled:
            print(file=sys.stderr)


def cmd_solve_fet(args: argparse.Namespace) -> int:
    from .instances.fet_export import write_fet_activities, write_locked_fet
    from .instances.files import write_atomic
    from .models.fet_check import check_fet, score_fet
    from .solver.fet_model import format_fet_result, solve_fet

    print(f"solving FET file {args.school}: time limit {args.time_limit:g}s, "
          f"{args.workers} workers")
    result, problem = solve_fet(args.school, time_limit=args.time_limit, workers=args.workers,
                                seed=args.seed, log=args.log,
                                ignore_unsupported=getattr(args, "ignore_unsupported", False))
    score = None
    if result.solution is not None:
        score = score_fet(problem, result.solution)
        if not score.compliant:
            for v in check_fet(problem, result.solution):
                if v.hard:
                    print(f"  {v.rule}: {v.message}", file=sys.stderr)
            print("internal error: the solver's timetable fails the checker; nothing written",
                  file=sys.stderr)
            return 70
    report = format_fet_result(result, problem, score)
    print(report)
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "report.txt"]
    if result.solution is not None:
        written.append(write_locked_fet(problem, result.solution,
                                        out / f"{problem.name}_jianfu_locked.fet",
                                        source=args.school))
        written.append(write_fet_activities(problem, result.solution,
                                            out / f"{problem.name}_activities.xml"))
    write_atomic(out / "report.txt", report + "\n")
    print("\nwrote " + ", ".join(str(p) for p in written))
    if result.solution is not None:
        return EXIT_OK
    return EXIT_INFEASIBLE if str(result.status) == "INFEASIBLE" else EXIT_NO_SOLUTION


def cmd_solve(args: argparse.Namespace) -> int:
    if str(args.school).endswith((".fet", ".fet.gz")):
        return cmd_solve_fet(args)
    school = _load_school(args.school)
    from .instances.files import write_atomic
    from .instances.schoolfile import write_school
    from .instances.timetable_io import read_timetable, write_timetable
    from .solver.checked import solve_checked

    policy = _policy(school, args.policy)
    keep = None
    if args.keep:
        if not Path(args.keep).is_file():
            raise InputError(args.keep, "", "timetable file not found")
        keep = read_timetable(args.keep, school)
    out = Path(args.output)
    print(f"solving {school.name}: {len(school.classes)} classes, {len(school.teachers)} teachers, "
          f"profile {policy.name}, time limit {args.time_limit:g}s, {args.workers} workers")
    progress = _Progress(sys.stderr.isatty())
    run = solve_checked(school, policy, time_limit=args.time_limit, workers=args.workers,
                        seed=args.seed, keep=keep, log=args.log, progress=progress)
    progress.done()
    result = run.result
    if result.timetable is not None and not run.compliant:
        # The checker is the specification: a timetable that fails it is a bug, never output.
        print(run.verdict, file=sys.stderr)
        print("internal error: the solver's timetable fails the checker; nothing written",
              file=sys.stderr)
        return 70
    print(run.text)
    out.mkdir(parents=True, exist_ok=True)
    if result.timetable is not None:
        meta = {"status": str(result.status), "objective": result.objective, "bound": result.bound,
                "profile": policy.name}
        write_timetable(result.timetable, school, out / "timetable.json", meta=meta)
    write_school(school, out / SCHOOL_COPY)
    write_atomic(out / "report.txt", run.report + "\n")
    print(f"\nwrote {out / 'report.txt'}" + (f" and {out / 'timetable.json'}" if result.timetable else ""))
    status = str(result.status)
    if result.timetable is not None:
        return EXIT_OK
    if status == "INFEASIBLE":
        return EXIT_INFEASIBLE
    return EXIT_NO_SOLUTION


# --- template and export ---------------------------------------------------------------

def cmd_template(args: argparse.Namespace) -> int:
    from .instances.excel import write_template

    if Path(args.output).suffix.lower() != ".xlsx":
        raise InputError("template", args.output, "the template is an Excel file: name it *.xlsx")
    write_template(args.output)
    print(f"wrote {args.output}: fill in the sheets (示例 rows are ignored), then "
          f"`jianfu solve {args.output} -o OUT`")
    return EXIT_OK


def _solved_dir(out: Path, school_path: str | None):
    """The school, timetable and homework plan of a `jianfu solve` output folder."""
    from .instances.timetable_io import read_timetable

    school = _load_school(school_path or str(out / SCHOOL_COPY))
    timetable_path = out / "timetable.json"
    if not timetable_path.is_file():
        raise InputError(str(timetable_path), "", "no timetable here: run `jianfu solve … -o OUT` first")
    timetable = read_timetable(timetable_path, school)
    plan = None
    quotas = out / "quotas.csv"
    if quotas.is_file():
        from .instances.homework_io import read_quota_sheet

        plan = read_quota_sheet(quotas, school)
    return school, timetable, plan


def cmd_export_fet(args: argparse.Namespace) -> int:
    """`jianfu export school.yaml --format fet [-o school.fet]` (or a solved folder)."""
    from .instances.fet_export import write_school_fet

    src = Path(args.source)
    school = _load_school(args.school or (src / SCHOOL_COPY if src.is_dir() else src))
    policy = _policy(school, args.policy)
    dest = Path(args.output) if args.output else \
        (src if src.is_dir() else src.parent) / f"{src.stem}.fet"
    print(f"wrote {write_school_fet(school, policy, dest)}")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    if args.format == "fet":
        return cmd_export_fet(args)
    from datetime import date

    from .instances.export import export

    out = Path(args.source)
    if not out.is_dir():
        raise InputError(args.source, "", "not a folder written by `jianfu solve`")
    school, timetable, plan = _solved_dir(out, args.school)
    policy = _policy(school, args.policy)
    dates = []
    for flag, text in (("--term-start", args.term_start), ("--term-end", args.term_end)):
        try:
            dates.append(date.fromisoformat(text) if text else None)
        except ValueError:
            raise InputError(flag, text, "a date like 2026-09-01") from None
    written = export(out, school, policy, timetable, plan, fmt=args.format,
                     term_start=dates[0], term_end=dates[1], dest=args.output)
    for path in written[:10]:
        print(f"wrote {path}")
    if len(written) > 10:
        print(f"… and {len(written) - 10} more files")
    return EXIT_OK


# --- homework -------------------------------------------------------------------------

def cmd_homework_plan(args: argparse.Namespace) -> int:
    from .instances.homework_io import read_requests, write_quotas
    from .instances.timetable_io import read_timetable
    from .solver.homework import format_plan_summary, format_weekly_table, plan_homework

    school = _load_school(args.school)
    policy = _policy(school, args.policy)
    if not Path(args.timetable).is_file():
        raise InputError(args.timetable, "", "timetable file not found")
    timetable = read_timetable(args.timetable, school)
    requests = read_requests(args.requests, school) if args.requests else None
    # The plan has passed the homework checker inside plan_homework before we write it.
    plan = plan_homework(school, timetable, policy=policy, requests=requests)
    write_quotas(args.output, plan)
    if args.table:
        print(format_weekly_table(plan))
    print(format_plan_summary(plan, policy))
    print(f"\nwrote {args.output}")
    return EXIT_OK


def cmd_homework_audit(args: argparse.Namespace) -> int:
    from .instances.homework_io import read_log
    from .models.homework_check import audit_log, format_audit

    school = _load_school(args.school)
    policy = _policy(school, args.policy)
    if not Path(args.log).is_file():
        raise InputError(args.log, "", "homework log not found")
    result = audit_log(school, policy, read_log(args.log, school))
    print(format_audit(result, school))
    return EXIT_OK if result.ok else EXIT_VIOLATIONS


# --- district -------------------------------------------------------------------------

def _clock(seconds: float) -> str:
    m, s = divmod(int(round(seconds)), 60)
    return f"{m}m{s:02d}s" if m else f"{s}s"


class _DistrictProgress:
    """A self-overwriting progress bar for district runs (CLI only)."""

    def __init__(self, enabled: bool, width: int = 24) -> None:
        self.enabled = enabled
        self.width = width

    def __call__(self, p) -> None:   # p: jianfu.solver.district.DistrictProgress
        if not self.enabled:
            if p.last is not None:   # no terminal: one line per finished school
                print(f"  [{p.done}/{p.total}] {p.last}", file=sys.stderr, flush=True)
            return
        filled = int(self.width * p.done / p.total) if p.total else self.width
        bar = "#" * filled + "-" * (self.width - filled)
        left = f", ~{_clock(p.estimate)} left" if p.estimate is not None else ""
        print(f"\r  [{bar}] {p.done}/{p.total} done, {p.running} running, {p.failed} failed"
              f" — {_clock(p.elapsed)} elapsed{left}   ", end="", file=sys.stderr, flush=True)

    def done(self) -> None:
        if self.enabled:
            print(file=sys.stderr)


def cmd_generate_district(args: argparse.Namespace) -> int:
    from .instances.district_gen import generate_district, write_generated_district
    from .models.policy import load_policy

    policy = load_policy(args.policy)
    district, schools = generate_district(args.schools, args.seed, policy, name=args.name)
    path = write_generated_district(args.output, district, schools)
    classes = sum(len(s.classes) for s in schools.values())
    print(f"wrote {path}: {district.name} — {len(schools)} schools, {classes} classes, "
          f"{len(district.itinerant)} itinerant teachers (走教), profile {district.profile}")
    return EXIT_OK


def cmd_district_solve(args: argparse.Namespace) -> int:
    from .solver.district import format_summary_table, solve_district

    print(f"solving district {args.directory} → {args.output}: scheduler "
          f"{args.scheduler or 'local'}, {args.workers} workers, "
          f"{args.time_limit_per_school:g}s per school")
    progress = _DistrictProgress(sys.stderr.isatty())
    try:
        run = solve_district(args.directory, args.output, scheduler=args.scheduler,
                             workers=args.workers, time_limit_per_school=args.time_limit_per_school,
                             cp_workers=args.cp_workers, seed=args.seed, progress=progress)
    finally:
        progress.done()
    print(_table(format_summary_table(run),
                 ["school", "status", "first (s)", "objective", "bound", "hard", "reason"]))
    solved = sum(1 for o in run.outcomes if o.solved)
    resumed = sum(1 for o in run.outcomes if o.resumed)
    classes = sum(o.classes for o in run.outcomes)
    hw = (f"; homework {run.homework.classes} classes in {run.homework.calls} kernel call(s), "
          f"{run.homework.seconds:.2f}s" if run.homework else "")
    print(f"\n合计 total: {solved}/{len(run.outcomes)} schools solved ({resumed} resumed), "
          f"{classes} classes, wall {run.wall_time:.1f}s, solving {run.solve_time:.1f}s on "
          f"{run.workers} workers{hw}")
    for o in run.failed:
        print(f"  未完成 not solved: {o.name} — {o.status}: {o.reason}", file=sys.stderr)
    print(f"wrote {Path(args.output) / 'summary.csv'}")
    if run.homework_error:
        print(f"作业统筹失败 homework planning failed: {run.homework_error}", file=sys.stderr)
    statuses = {o.status for o in run.failed}
    if run.homework_error:
        return EXIT_NO_SOLUTION
    if not statuses:
        return EXIT_OK
    if statuses == {"INFEASIBLE"}:
        return EXIT_INFEASIBLE
    return EXIT_NO_SOLUTION


def cmd_district_check(args: argparse.Namespace) -> int:
    from .instances.district import check_district_outputs
    from .models.district_check import format_district_verdict

    if not Path(args.output).is_dir():
        raise InputError(args.output, "", "output directory not found")
    verdict = check_district_outputs(args.directory, args.output)
    print(format_district_verdict(verdict))
    return EXIT_OK if verdict.compliant else EXIT_VIOLATIONS


# --- parser ---------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jianfu", description="减负 jianfu — 课表与作业统筹 compliant timetables and homework quotas")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    sub = parser.add_subparsers(dest="command", required=True)

    policy = sub.add_parser("policy", help="政策参数 policy profiles").add_subparsers(dest="action", required=True)
    p = policy.add_parser("list", help="list built-in profiles")
    p.set_defaults(func=cmd_policy_list)
    p = policy.add_parser("show", help="print a profile with each value's source")
    p.add_argument("name", nargs="?", default=None, help="profile name or profile file (default: national)")
    p.add_argument("--school", help="show the profile a school file uses, with its overrides")
    p.set_defaults(func=cmd_policy_show)

    gen = sub.add_parser("generate", help="生成示例 generate instances").add_subparsers(dest="what", required=True)
    p = gen.add_parser("school", help="a realistic school, feasible by construction")
    p.add_argument("--preset", choices=["primary", "junior", "nine-year"], default="nine-year")
    p.add_argument("--classes-per-grade", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--policy", default="national", help="profile name or file")
    p.add_argument("--name", default=None, help="school name")
    p.add_argument("-o", "--output", required=True, help="school file to write (.yaml or .json)")
    p.set_defaults(func=cmd_generate_school)

    p = sub.add_parser("check", help="检查课表 check a timetable against every rule")
    p.add_argument("school")
    p.add_argument("timetable")
    p.add_argument("--policy", default=None, help="profile name or file (default: the school's)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--examples", type=int, default=5, metavar="N",
                   help="messages shown per rule (default 5; the counts are always complete)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("solve", help="排课 build a compliant weekly timetable")
    p.add_argument("school", help="school file (.yaml, .json, .xlsx) or a FET file (.fet)")
    p.add_argument("--policy", default=None, help="profile name or file (default: the school's)")
    p.add_argument("--time-limit", type=float, default=60.0, help="seconds (default 60)")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--keep", help="previous timetable.json: change as few lessons as possible")
    p.add_argument("--log", action="store_true", help="log the CP-SAT search")
    p.add_argument("--ignore-unsupported", action="store_true",
                   help="FET files: solve without constraint types jianfu does not support "
                        "(listed in the report)")
    p.add_argument("-o", "--output", required=True, help="output directory")
    p.set_defaults(func=cmd_solve)

    p = sub.add_parser("template", help="空白Excel模板 write a blank, documented Excel school template")
    p.add_argument("output", help="workbook to write (*.xlsx)")
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("export", help="导出 Excel / 网页 / 日历 / CSV for people")
    p.add_argument("source", help="a folder written by `jianfu solve` (timetable.json, school.yaml); "
                   "with --format fet also a school file")
    p.add_argument("--format", required=True, choices=["xlsx", "html", "ics", "csv", "all", "fet"])
    p.add_argument("--school", help="school file (default: SOURCE/school.yaml)")
    p.add_argument("--policy", default=None)
    p.add_argument("--term-start", help="first day of term for calendars, e.g. 2026-09-01")
    p.add_argument("--term-end", help="last day of term for calendars, e.g. 2027-01-22")
    p.add_argument("-o", "--output", default=None, help="file or folder (default: inside SOURCE)")
    p.set_defaults(func=cmd_export)

    hw = sub.add_parser("homework", help="作业统筹 homework quotas").add_subparsers(dest="action", required=True)
    p = hw.add_parser("plan", help="daily homework minutes per class and subject")
    p.add_argument("school")
    p.add_argument("--timetable", required=True)
    p.add_argument("--requests", help="CSV of teachers' weekly requests (class, subject, weekly_minutes)")
    p.add_argument("--policy", default=None)
    p.add_argument("-o", "--output", required=True, help="quotas CSV to write")
    p.add_argument("--table", action="store_true", help="print every class's weekly table")
    p.set_defaults(func=cmd_homework_plan)
    p = hw.add_parser("audit", help="check a homework log for over-quota days")
    p.add_argument("log")
    p.add_argument("--school", required=True)
    p.add_argument("--policy", default=None)
    p.set_defaults(func=cmd_homework_audit)

    p = gen.add_parser("district", help="a district: town and rural schools with 走教 teachers")
    p.add_argument("--schools", type=int, default=10, help="number of schools (default 10)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--policy", default="national", help="profile name or file")
    p.add_argument("--name", default=None, help="district name")
    p.add_argument("-o", "--output", required=True, help="district directory to write")
    p.set_defaults(func=cmd_generate_district)

    dist = sub.add_parser("district", help="区域排课 every school of a district").add_subparsers(
        dest="action", required=True)
    p = dist.add_parser("solve", help="solve every school (Dask), then homework quotas")
    p.add_argument("directory", help="district directory (district.yaml and school files)")
    p.add_argument("-o", "--output", required=True, help="output directory (re-run to resume)")
    p.add_argument("--scheduler", default=None,
                   help="'local' (default: a local Dask cluster) or tcp://HOST:PORT")
    p.add_argument("--workers", type=int, default=2, help="local worker processes (default 2)")
    p.add_argument("--time-limit-per-school", type=float, default=60.0,
                   help="CP-SAT seconds per school (default 60)")
    p.add_argument("--cp-workers", type=int, default=1,
                   help="CP-SAT threads per school inside each worker (default 1: one CP-SAT thread per Dask worker process)")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=cmd_district_solve)
    p = dist.add_parser("check", help="check every school's outputs and the cross-school rules")
    p.add_argument("directory", help="district directory")
    p.add_argument("output", help="output directory of `district solve`")
    p.set_defaults(func=cmd_district_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        return args.func(args)
    except InputError as err:
        print(f"错误 error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # output piped into `head` and closed early
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        print("interrupted; files already written are complete", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
