"""The ``jianfu`` command: parse arguments, call the library, print, write files.

No logic lives only here. Exit codes: 0 success (a compliant timetable / no hard
violation), 1 the checker found hard violations (``check``, ``homework audit``, ``audit``;
``audit --compare``: the two timetables differ; ``audit DIR``: a school not compliant
or unreadable),
2 bad input (a file, field or value; an output place that cannot be written),
3 proven infeasible (also ``check school.xlsx`` without a timetable when a pre-check
rules the school out), 4 no timetable within the time limit, 70 an internal error (a bug:
one line, the details with ``-v``), 130 / 143 interrupted by Ctrl-C / SIGTERM.
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import Any, Sequence

#: When the command started (:func:`main`): ``--time-limit`` bounds the whole command.
_STARTED = time.perf_counter()
#: Seconds kept back from ``--time-limit`` for checking and writing the result.
_WRITE_RESERVE = 0.5

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

from .instances.solved import (  # noqa: E402
    SCHOOL_COPY, RunFolder, check_output_dir, check_output_file)
from .models.errors import InputError, shown  # noqa: E402
from .models.textfile import take_notes  # noqa: E402

EXIT_OK, EXIT_VIOLATIONS, EXIT_BAD_INPUT, EXIT_INFEASIBLE, EXIT_NO_SOLUTION = 0, 1, 2, 3, 4
EXIT_INTERNAL = 70   # a bug of jianfu's (sysexits' EX_SOFTWARE), never the user's input


# --- shared helpers -------------------------------------------------------------------

def _notes() -> list[str]:
    """Print (to stderr) and return the encoding notes of the files read so far."""
    notes = take_notes()
    for note in notes:
        print(f"注意 note: {note}", file=sys.stderr)
    return notes


def _solve_exit(found: bool, status: object, interrupted: int | None) -> int:
    """A solve's exit code: 128 + the signal when interrupted, else by its outcome."""
    if interrupted is not None:
        return 128 + interrupted
    if found:
        return EXIT_OK
    return EXIT_INFEASIBLE if str(status) == "INFEASIBLE" else EXIT_NO_SOLUTION


def _load_school(path: str):
    """Read a school file: YAML/JSON (docs/format.md) or the Excel template."""
    from .instances.readers import read_any_school

    return read_any_school(path)


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

    check_output_file(args.output)
    policy = load_policy(args.policy)
    school = generate_school(args.preset, args.classes_per_grade, args.seed, policy, name=args.name,
                             structures=args.structures)
    write_school(school, args.output)
    # lessons a week: the weekly ones and one per 单双周 slot (a lesson in each week)
    lessons = sum(r.periods for r in school.requirements) + len(school.alternates)
    print(f"wrote {args.output}: {school.name} — {len(school.classes)} classes, "
          f"{len(school.teachers)} teachers, {lessons} lessons a week, profile {policy.name}")
    if args.structures:
        from .instances.generator import structure_counts
        counts = structure_counts(school)
        print("structures: " + ", ".join(f"{name} {n}" for name, n in counts.items() if n))
    return EXIT_OK


# --- check ----------------------------------------------------------------------------

def cmd_check_school(args: argparse.Namespace) -> int:
    """`jianfu check school.xlsx`: read and validate a school, pre-check it, no solving."""
    from dataclasses import asdict

    from .solver.validate import format_validation, validate_school

    school = _load_school(args.school)        # every bad-input check: exit 2 on the first
    policy = _policy(school, args.policy)
    _notes()
    found = validate_school(school, policy)
    if args.json:
        print(json.dumps(asdict(found), ensure_ascii=False, indent=2))
    else:
        print(format_validation(found, args.school))
    return EXIT_OK if found.ok else EXIT_INFEASIBLE


def cmd_check(args: argparse.Namespace) -> int:
    from .instances.edited import places_locator
    from .instances.timetable_io import read_timetable_places
    from .models.checker import check, format_violations, summarize, violations_to_json

    if args.timetable is None:
        return cmd_check_school(args)
    school = _load_school(args.school)
    policy = _policy(school, args.policy)
    timetable, places = read_timetable_places(args.timetable, school)
    _notes()
    locate = places_locator(school, timetable, places)   # the sheet and cell of each lesson
    violations = check(school, policy, timetable)
    summary = summarize(violations, policy)
    if args.json:
        print(json.dumps(violations_to_json(violations, summary, locate=locate),
                         ensure_ascii=False, indent=2))
    else:
        print(format_violations(violations, summary, limit_per_rule=args.examples,
                                locate=locate))
    return EXIT_OK if summary.compliant else EXIT_VIOLATIONS


# --- audit ----------------------------------------------------------------------------

def cmd_audit(args: argparse.Namespace) -> int:
    """`jianfu audit TIMETABLE` / `jianfu audit --compare PUBLISHED TAUGHT`."""
    from .instances.audit import audit_file, compare_files
    from .instances.audit_report import write_audit_report, write_compare_report
    from .models.audit import format_audit, format_comparison
    from .models.checker import violations_to_json

    if not args.compare and len(args.files) == 1 and _is_folder(args.files[0]):
        return _audit_folder(args)
    want = 2 if args.compare else 1
    if len(args.files) != want:
        raise InputError("audit", " ".join(args.files),
                         "--compare 需要两个文件：公布的课表、实际的课表 give two files, PUBLISHED "
                         "TAUGHT" if args.compare else
                         "给一个课表文件（比对两份用 --compare） give one timetable file (two with "
                         "--compare)")
    if args.school and args.bells:
        raise InputError("--bells", args.bells, "有 --school 时作息时间取自学校文件 with --school "
                                                "the bell schedule is the school file's")
    if args.output:
        check_output_dir(args.output)     # before any work: a bad -o writes nothing
    school = _load_school(args.school) if args.school else None
    if args.compare:
        cmp = compare_files(args.files[0], args.files[1], school=school, profile=args.profile,
                            fet=args.fet)
        _notes()
        print(format_comparison(cmp, limit=args.examples * 40))
        if args.output:
            written = write_compare_report(args.output, cmp)
            print("\nwrote " + ", ".join(str(p) for p in written))
        return EXIT_OK if cmp.identical else EXIT_VIOLATIONS
    result = audit_file(args.files[0], school=school, bells=args.bells, profile=args.profile,
                        fet=args.fet)
    _notes()
    if args.json:
        print(json.dumps({"file": result.source, "layout": result.layout, "found": result.found,
                          "school": result.school.name, "inferred": result.inferred,
                          "bells": result.bells, "notes": list(result.notes),
                          **violations_to_json(result.violations, result.summary)},
                         ensure_ascii=False, indent=2))
    else:
        print(format_audit(result, limit_per_rule=args.examples))
    if args.output:
        written = write_audit_report(args.output, result)
        print("\nwrote " + ", ".join(str(p) for p in written), file=sys.stderr if args.json
              else sys.stdout)
    return EXIT_OK if result.compliant else EXIT_VIOLATIONS


def _is_folder(path: str) -> bool:
    """A folder, or a missing path that names none of the timetable file types."""
    p = Path(path)
    return p.is_dir() or (not p.exists() and p.suffix == "")


def _audit_folder(args: argparse.Namespace) -> int:
    """`jianfu audit DIR`: every school of the folder, one district report."""
    from .instances.district_audit import audit_folder, check_report_dir
    from .instances.district_audit_report import write_district_report
    from .models.district_audit import format_district

    for flag, value in (("--school", args.school), ("--fet", args.fet)):
        if value:
            raise InputError(flag, value, "审计文件夹时不用此项：学校文件放在各校的文件夹中（school.yaml）"
                                          " — not with a folder: put each school's file in its "
                                          "folder (school.yaml) beside its timetable")
    skip = []
    if args.output:
        check_output_dir(args.output)     # before any work: a bad -o writes nothing
        check_report_dir(args.output, args.files[0])
        skip.append(args.output)
    tty = sys.stderr.isatty()

    def progress(i: int, n: int, school: object) -> None:
        if tty:
            print(f"\r审计 auditing {i}/{n} …", end="" if i < n else "\n", file=sys.stderr,
                  flush=True)

    audit = audit_folder(args.files[0], profile=args.profile, bells=args.bells, skip=skip,
                         progress=progress)
    if args.json:
        print(json.dumps(audit.as_dict(), ensure_ascii=False, indent=2))
    else:
        print(format_district(audit))
        print(f"\n用时 took {audit.seconds:.1f} s")
    if args.output:
        written = write_district_report(args.output, audit)
        print("\nwrote " + ", ".join(str(p) for p in written), file=sys.stderr if args.json
              else sys.stdout)
    elif not args.json:
        print("（用 -o 文件夹 写出 district_audit.xlsx / .html / .csv — give -o OUT to write the "
              "report）")
    return EXIT_OK if audit.all_compliant else EXIT_VIOLATIONS


# --- solve ----------------------------------------------------------------------------

def _rejected(verdict: str) -> int:
    """Say why the checker rejected the solver's timetable (``Checked.rejected``): the
    checker is the specification, so that is a bug and nothing is written."""
    print(verdict, file=sys.stderr)
    print("内部错误 internal error: the solver's timetable fails the checker; nothing written",
          file=sys.stderr)
    return EXIT_INTERNAL


def _finish(run: RunFolder, has_timetable: bool, written: list[Path]) -> None:
    """Swap the staged folder in, or keep an earlier run's folder when this one failed."""
    if has_timetable or not run.holds_run:
        run.commit()
        print("\nwrote " + ", ".join(str(run.path / p.name) for p in written))
    else:
        print(f"\n{run.path} 保持原样：仍是上一次排课的结果 left as it was (the previous run's "
              f"files); this run's report is above", file=sys.stderr)


def cmd_solve_fet(args: argparse.Namespace) -> int:
    from .instances.fet_export import write_fet_activities, write_locked_fet
    from .instances.files import write_atomic
    from .solver.checked import solve_checked

    with RunFolder(args.output, inputs=(args.school,)) as run:
        print(f"solving FET file {args.school}: time limit {args.time_limit:g}s, "
              f"{args.workers} workers")
        checked = solve_checked(args.school, time_limit=args.time_limit,
                                workers=args.workers, seed=args.seed, log=args.log,
                                ignore_unsupported=getattr(args, "ignore_unsupported", False))
        result, problem = checked.result, checked.problem
        if checked.rejected:
            return _rejected(checked.verdict)
        print(checked.text)
        written = [run.staged / "report.txt"]
        if result.solution is not None:
            written.append(write_locked_fet(problem, result.solution,
                                            run.staged / f"{problem.name}_jianfu_locked.fet",
                                            source=args.school))
            written.append(write_fet_activities(problem, result.solution,
                                                run.staged / f"{problem.name}_activities.xml"))
        write_atomic(run.staged / "report.txt", checked.report + "\n")
        _finish(run, result.solution is not None, written)
    return _solve_exit(result.solution is not None, result.status, result.interrupted)


def _process_age() -> float:
    """Seconds since this process started (Python's start-up and imports count towards
    ``--time-limit`` too); 0 where ``/proc`` cannot tell."""
    import os

    try:
        with open("/proc/self/stat", encoding="ascii") as f:
            ticks = int(f.read().rsplit(")", 1)[1].split()[19])   # field 22: starttime
        with open("/proc/uptime", encoding="ascii") as f:
            uptime = float(f.read().split()[0])
        return max(0.0, uptime - ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return 0.0


def _left(time_limit: float) -> float:
    """The solver's share of ``--time-limit``: what the command has not used yet (reading
    the school), less the time kept for checking and writing."""
    return max(0.1, time_limit - (time.perf_counter() - _STARTED) - _WRITE_RESERVE)


def cmd_solve(args: argparse.Namespace) -> int:
    if str(args.school).endswith((".fet", ".fet.gz")):
        return cmd_solve_fet(args)
    from .instances.progress_line import SolveState, StatusLine
    from .instances.timetable_io import read_timetable
    from .solver.checked import solve_checked

    school = _load_school(args.school)
    policy = _policy(school, args.policy)
    keep = read_timetable(args.keep, school) if args.keep else None
    notes = _notes()
    with RunFolder(args.output, inputs=(args.school,)) as run:   # fails here, before the search
        print(f"solving {school.name}: {len(school.classes)} classes, "
              f"{len(school.teachers)} teachers, profile {policy.name}, "
              f"time limit {args.time_limit:g}s, {args.workers} workers")
        state = SolveState(args.time_limit)   # a live line on a terminal only
        with StatusLine(sys.stderr, state.render, enabled=sys.stderr.isatty()) as line:
            def progress(elapsed: float, objective: float, bound: float) -> None:
                state.update(elapsed, objective, bound)
                line.refresh()
            checked = solve_checked(school, policy, time_limit=_left(args.time_limit),
                                    workers=args.workers, seed=args.seed, keep=keep,
                                    log=args.log, progress=progress)
        result = checked.result
        if checked.rejected:
            return _rejected(checked.verdict)
        print(checked.text)
        report = checked.report + "".join(f"\n注意 note: {n}" for n in notes)
        written = run.write_solved(school, report, school_file=args.school,
                                   status=str(result.status), timetable=result.timetable,
                                   objective=result.objective, bound=result.bound,
                                   profile=policy.name, interrupted=bool(result.interrupted))
        _finish(run, result.timetable is not None, written)
    return _solve_exit(result.timetable is not None, result.status, result.interrupted)


# --- change (调代课) ---------------------------------------------------------------------

def _first_date(*texts: str | None):
    """The first date of ``--dates``/``--week-of`` (a term is guessed around it when the
    school has no 校历), or ``None`` (today); a bad date is reported where it is parsed."""
    from datetime import date

    for text in texts:
        try:
            return date.fromisoformat((text or "")[:10])
        except ValueError:
            continue
    return None


def _solved_folder(args: argparse.Namespace) -> tuple[Path, Any, Any, Any, Any]:
    """``args.source``, a folder written by `jianfu solve`: (folder, school, timetable,
    homework plan or None, policy), the reader's notes printed."""
    from .instances.solved import read_solved

    folder = Path(args.source)
    if not folder.is_dir():
        raise InputError(args.source, "", "not a folder written by `jianfu solve`")
    school, timetable, plan = read_solved(folder, args.school)
    _notes()
    return folder, school, timetable, plan, _policy(school, args.policy)


def cmd_change(args: argparse.Namespace) -> int:
    from .instances.change_notice import parse_changes, write_change_files
    from .instances.school_calendar import resolve_calendar
    from .solver.school.change import plan_weeks

    source, school, timetable, _, policy = _solved_folder(args)

    # the 校历: no lesson is held or moved onto a holiday, a make-up day teaches its weekday
    calendar, note = resolve_calendar(calendar_file=args.calendar,
                                      school_file=args.school or source / SCHOOL_COPY,
                                      folder=source, today=_first_date(args.dates, args.week_of))
    print(f"校历 calendar: {note}")
    weeks = parse_changes(school, absent=args.absent, class_away=args.class_away,
                          dates=args.dates, half_days=args.half_day, week_of=args.week_of,
                          swaps=args.swap or (), reason=args.reason, day_of=calendar.day_of)
    if not weeks:
        raise InputError("change", "", "没有要调整的内容 nothing to change: give --absent, "
                                       "--class-away or --swap")
    # beside the run folder, not in it: a new `solve -o` replaces that folder whole
    dest = check_output_dir(args.output or
                            source.resolve().parent / f"调课-{min(weeks).isoformat()}")
    plans = []
    for monday, plan in plan_weeks(school, policy, timetable, weeks, prefer=args.prefer,
                                   time_limit=args.time_limit, workers=args.workers,
                                   seed=args.seed):
        if not plan.found:
            print(f"{monday} 当周无法安排 no plan for the week of {monday}:", file=sys.stderr)
            for line in plan.reasons:
                print(f"  {line}", file=sys.stderr)
            return (EXIT_INTERNAL if plan.rejected else
                    EXIT_INFEASIBLE if plan.proven else EXIT_NO_SOLUTION)
        plans.append(plan)
        print(f"{monday} 当周 week of {monday}: 代课 covers {len(plan.covers)}, "
              f"调课 moved lessons {len(plan.moves)}, 停课 cancelled "
              f"{len(plan.week.cancelled)}; 检查 checker: 合规 compliant")
    who = "、".join([*args.absent, *args.class_away, *(args.swap or ())])
    title = f"{who} {args.reason}".strip()
    written = write_change_files(dest, school, plans, title, args.reason)
    print((dest / "调课通知.txt").read_text(encoding="utf-8"))
    print("wrote " + ", ".join(str(p) for p in written))
    return EXIT_OK


# --- template and export ---------------------------------------------------------------

def cmd_template(args: argparse.Namespace) -> int:
    from .instances.excel import write_template

    if Path(args.output).suffix.lower() != ".xlsx":
        raise InputError("template", args.output, "the template is an Excel file: name it *.xlsx")
    check_output_file(args.output)
    write_template(args.output)
    print(f"wrote {args.output}: fill in the sheets (示例 rows are ignored), then "
          f"`jianfu solve {args.output} -o OUT`")
    return EXIT_OK


def cmd_export_fet(args: argparse.Namespace) -> int:
    """`jianfu export school.yaml --format fet [-o school.fet]` (or a solved folder)."""
    from .instances.fet_export import write_fet
    from .instances.fet_school import school_fet

    src = Path(args.source)
    school_file = args.school or (src / SCHOOL_COPY if src.is_dir() else src)
    school = _load_school(school_file)
    policy = _policy(school, args.policy)
    dest = Path(args.output) if args.output else \
        (src if src.is_dir() else src.parent) / f"{src.stem}.fet"
    check_output_file(dest)
    exported = school_fet(school, policy)
    print(f"wrote {write_fet(exported.problem, dest)}")
    print("FET 无法表达 not carried (also in the file's comments):")
    for line in exported.not_carried:
        print(f"  - {line}")
    print(f"then: fet-cl --inputfile={dest} --outputdir=OUT; jianfu check {school_file} "
          f"OUT/timetables/{dest.stem}/{dest.stem}_data_and_timetable.fet")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    if args.format == "fet":
        return cmd_export_fet(args)
    from .instances.export import export, skipped
    from .instances.outputs import describe_outputs
    from .instances.school_calendar import resolve_calendar

    out, school, timetable, plan, policy = _solved_folder(args)
    calendar = None
    if args.format in ("ics", "all"):   # the term: --calendar, the school's 校历, or a guess
        calendar, note = resolve_calendar(
            calendar_file=args.calendar, term_start=args.term_start, term_end=args.term_end,
            school_file=args.school or out / SCHOOL_COPY, folder=out)
        print(f"日历 calendars: {note}")
    effective = None   # the images' 执行日期: --term-start, else today
    if args.term_start and args.format in ("png", "pdf", "all"):
        from .instances.school_calendar import parse_date
        effective = parse_date(args.term_start, "--term-start")
    written = export(out, school, policy, timetable, plan, fmt=args.format,
                     calendar=calendar, effective=effective, dest=args.output)
    for line in skipped(args.format):
        print(f"注意 note: {line}", file=sys.stderr)
    print("写出 wrote:")
    print("\n".join(describe_outputs(written, out)))
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    """`jianfu stats DIR`: the 课时统计 and the short subjects of a solved folder."""
    from .instances.overview_write import format_loads

    _, school, timetable, _, policy = _solved_folder(args)
    print(format_loads(school, policy, timetable))
    return EXIT_OK


# --- homework -------------------------------------------------------------------------

def cmd_homework_plan(args: argparse.Namespace) -> int:
    from .instances.homework_io import read_requests, write_quotas
    from .instances.timetable_io import read_timetable
    from .solver.homework.report import format_plan_summary, format_weekly_table
    from .solver.homework.plan import plan_homework

    check_output_file(args.output)
    school = _load_school(args.school)
    policy = _policy(school, args.policy)
    timetable = read_timetable(args.timetable, school)
    requests = read_requests(args.requests, school) if args.requests else None
    _notes()
    # The plan has passed the homework checker inside plan_homework before we write it.
    plan = plan_homework(school, timetable, policy=policy, requests=requests)
    write_quotas(args.output, plan)
    if args.table:
        print(format_weekly_table(plan))
    print(format_plan_summary(plan, policy, verbose=args.verbose))
    print(f"\nwrote {args.output}")
    return EXIT_OK


def cmd_homework_audit(args: argparse.Namespace) -> int:
    from .instances.homework_io import read_log
    from .instances.timetable_io import read_timetable
    from .models.homework_check import audit_log, format_audit

    school = _load_school(args.school)
    policy = _policy(school, args.policy)
    log = read_log(args.log, school)
    timetable = read_timetable(args.timetable, school) if args.timetable else None
    _notes()
    result = audit_log(school, policy, log, timetable)
    print(format_audit(result, school))
    return EXIT_OK if result.ok else EXIT_VIOLATIONS


# --- district -------------------------------------------------------------------------

class _DistrictProgress:
    """The district's live line on a terminal; off one, a line per finished school."""

    def __init__(self) -> None:
        self.line = None      # the StatusLine drawing render()
        self.last = None      # the latest DistrictProgress
        self.recent = None    # (school, objective, bound) of the last one finished

    def __call__(self, p) -> None:   # p: jianfu.solver.district.DistrictProgress
        if p.last is not None:
            self.recent = (p.last, p.objective, p.bound)
        if self.line is None or not self.line.enabled:   # no terminal: one line per school
            if p.last is not None:
                print(f"  [{p.done}/{p.total}] {p.last}", file=sys.stderr, flush=True)
            return
        self.last = p
        self.line.refresh()

    def render(self, elapsed: float) -> str:
        from .instances.progress_line import district_status

        p = self.last
        if p is None:
            return district_status(elapsed, None, None, 0, 0, None)
        return district_status(elapsed, p.done, p.total, p.running, p.failed, p.estimate,
                               *(self.recent or ()))


def cmd_generate_district(args: argparse.Namespace) -> int:
    from .instances.district_gen import generate_district, write_generated_district
    from .models.policy import load_policy

    check_output_dir(args.output)
    policy = load_policy(args.policy)
    district, schools = generate_district(args.schools, args.seed, policy, name=args.name)
    path = write_generated_district(args.output, district, schools)
    classes = sum(len(s.classes) for s in schools.values())
    print(f"wrote {path}: {district.name} — {len(schools)} schools, {classes} classes, "
          f"{len(district.itinerant)} itinerant teachers (走教), profile {district.profile}")
    return EXIT_OK


#: ``district solve``'s default seconds per school of median size.
DISTRICT_SCHOOL_S = 25.0


def cmd_district_solve(args: argparse.Namespace) -> int:
    from .instances.progress_line import StatusLine
    from .solver.district import format_summary_table, solve_district

    check_output_dir(args.output)
    print(f"solving district {args.directory} → {args.output}: scheduler "
          f"{args.scheduler or 'local'}, {args.workers} workers, "
          f"{args.time_limit_per_school:g}s per school")
    progress = _DistrictProgress()
    with StatusLine(sys.stderr, progress.render, enabled=sys.stderr.isatty()) as line:
        progress.line = line
        run = solve_district(args.directory, args.output, scheduler=args.scheduler,
                             workers=args.workers, time_limit_per_school=args.time_limit_per_school,
                             cp_workers=args.cp_workers, seed=args.seed, progress=progress)
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
    if "BAD_INPUT" in statuses:   # a school file to fix first; the other schools are solved
        return EXIT_BAD_INPUT
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

def _number(kind: type, low: float, high: float):
    """An argparse type: a ``kind`` number in ``[low, high]`` (``-5`` seconds is refused)."""
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{text!r}: 应为{'整数' if kind is int else '数字'} expected a "
                f"{'whole number' if kind is int else 'number'}") from None
        if not low <= value <= high:   # NaN fails this too
            raise argparse.ArgumentTypeError(f"{text!r}: 超出范围 out of range ({low:g}..{high:g})")
        return value
    return parse


SECONDS = _number(float, 0.1, 7 * 24 * 3600.0)
WORKERS = _number(int, 1, 256)
SEED = _number(int, 0, 2**31 - 1)

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
    p.add_argument("--classes-per-grade", type=_number(int, 1, 30), default=2)
    p.add_argument("--seed", type=SEED, default=0)
    p.add_argument("--policy", default="national", help="profile name or file")
    p.add_argument("--name", default=None, help="school name")
    p.add_argument("--structures", action="store_true",
                   help="the school as it is organised: 班会 by the 班主任, 升旗仪式, 教研活动 and "
                        "行政会, 禁排, wishes, 男女分组 PE, 体育合班 and 外语分层 走班 (junior "
                        "grades), 复式班 (one class per grade), 单双周 书法 (primary grades "
                        "3–6); docs/format.md §3")
    p.add_argument("-o", "--output", required=True, help="school file to write (.yaml or .json)")
    p.set_defaults(func=cmd_generate_school)

    p = sub.add_parser("check", help="检查课表 check a timetable against every rule; with only a "
                                     "school file, check the school (no solving)")
    p.add_argument("school")
    p.add_argument("timetable", nargs="?", default=None,
                   help="timetable.json, the timetable.xlsx / lessons.csv that `jianfu "
                        "export` wrote, edited by hand (each violation names its sheet and "
                        "cell), or FET's timetable of the school's FET export (fet-cl's "
                        "<name>_data_and_timetable.fet); without it the school file is read, "
                        "validated and pre-checked (exit 0 / 2 bad input / 3 proven impossible)")
    p.add_argument("--policy", default=None, help="profile name or file (default: the school's)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--examples", type=_number(int, 0, 100000), default=5, metavar="N",
                   help="messages shown per rule (default 5; the counts are always complete)")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("audit", help="审计课表 audit a timetable made by any tool (Excel 总课表, "
                                     "per-class sheets, CSV, FET); --compare: 阴阳课表")
    p.add_argument("files", nargs="+", metavar="TIMETABLE",
                   help="the timetable: .xlsx, .csv, .fet, _activities.xml or .json; with "
                        "--compare two: PUBLISHED TAUGHT; a folder: every school in it (a file "
                        "or a sub-folder per school), one district report (-o writes "
                        "district_audit.xlsx/.html/.csv)")
    p.add_argument("--compare", action="store_true",
                   help="list every period where PUBLISHED and TAUGHT differ and count which "
                        "subject replaced which (exit 0 identical, 1 different)")
    p.add_argument("--school", help="school file (.yaml, .json, .xlsx): its names and plan; "
                                    "without it the school is read off the timetable")
    p.add_argument("--bells", help="bell schedule without --school: a file with the school "
                                   "file's schedules: section, or a workbook with a 作息时间 sheet "
                                   "(default: the profile's standard day)")
    p.add_argument("--profile", "--policy", dest="profile", default=None,
                   help="profile name or file (default: the school's, else national)")
    p.add_argument("--fet", help="the .fet file of a FET …_activities.xml (default: beside it)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--examples", type=_number(int, 0, 100000), default=5, metavar="N",
                   help="messages shown per rule (default 5; the counts are always complete)")
    p.add_argument("-o", "--output", default=None,
                   help="folder for audit.xlsx and audit.html (compare.xlsx, compare.html; "
                        "for a folder district_audit.xlsx, .html, .csv)")
    p.set_defaults(func=cmd_audit)

    p = sub.add_parser("solve", help="排课 build a compliant weekly timetable")
    p.add_argument("school", help="school file (.yaml, .json, .xlsx) or a FET file (.fet)")
    p.add_argument("--policy", default=None, help="profile name or file (default: the school's)")
    p.add_argument("--time-limit", type=SECONDS, default=60.0, help="seconds (default 60)")
    p.add_argument("--workers", type=WORKERS, default=2)
    p.add_argument("--seed", type=SEED, default=0)
    p.add_argument("--keep", help="previous timetable (timetable.json, or an edited timetable.xlsx "
                                  "/ lessons.csv): change as few lessons as possible")
    p.add_argument("--log", action="store_true", help="log the CP-SAT search")
    p.add_argument("--ignore-unsupported", action="store_true",
                   help="FET files: solve without constraint types jianfu does not support "
                        "(listed in the report)")
    p.add_argument("-o", "--output", required=True, help="output directory")
    p.set_defaults(func=cmd_solve)

    p = sub.add_parser("change", help="调代课 a teacher absent, a class away, a swap: cover "
                                      "teachers or the fewest moves, with a 调课通知")
    p.add_argument("source", help="a folder written by `jianfu solve` (timetable.json, school.yaml)")
    p.add_argument("--school", help="school file (default: SOURCE/school.yaml)")
    p.add_argument("--policy", default=None)
    p.add_argument("--absent", action="append", default=[], metavar="TEACHER",
                   help="教师请假/培训 a teacher away (repeat for several)")
    p.add_argument("--class-away", action="append", default=[], metavar="CLASS",
                   help="班级外出 a class away (研学): its lessons then are cancelled")
    p.add_argument("--dates", help="whole days: 2026-10-12..2026-10-13 or 2026-10-12,2026-10-14")
    p.add_argument("--half-day", help="in the week of --week-of: 周二下午, 周三上午, 周四 (comma-separated)")
    p.add_argument("--week-of", help="any date of the week for --half-day and --swap")
    p.add_argument("--swap", nargs=2, metavar=("TEACHER:SLOT", "TEACHER:SLOT"),
                   help="two teachers exchange lessons of one class: 王芳:周一3 李强:周三2")
    p.add_argument("--reason", default="", help="shown in the notice: 病假, 培训, 研学")
    p.add_argument("--calendar", default=None,
                   help="校历 file (holidays, 调休 make-up days; docs/format.md §6); default: "
                        "SOURCE/calendar.yaml, the school file's calendar: section, or the "
                        "term guessed from today with the built-in holidays")
    p.add_argument("--prefer", choices=["cover", "swap"], default="cover",
                   help="cover: 代课 where a teacher is free, moves for the rest (default); "
                        "swap: move lessons (调课) if the week allows it")
    p.add_argument("--time-limit", type=SECONDS, default=30.0, help="seconds for the moves (default 30)")
    p.add_argument("--workers", type=WORKERS, default=1)
    p.add_argument("--seed", type=SEED, default=0)
    p.add_argument("-o", "--output", default=None,
                   help="folder for the notice and the week (default: 调课-<first Monday> beside SOURCE)")
    p.set_defaults(func=cmd_change)

    p = sub.add_parser("template", help="空白Excel模板 write a blank, documented Excel school template")
    p.add_argument("output", help="workbook to write (*.xlsx)")
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("export", help="导出 Excel / 网页 / 日历 / CSV / 图片 for people")
    p.add_argument("source", help="a folder written by `jianfu solve` (timetable.json, school.yaml); "
                   "with --format fet also a school file")
    p.add_argument("--format", required=True,
                   choices=["xlsx", "html", "ics", "csv", "png", "pdf", "all", "fet"],
                   help="png/pdf: one image per class and teacher (needs headless Chromium)")
    p.add_argument("--school", help="school file (default: SOURCE/school.yaml)")
    p.add_argument("--policy", default=None)
    p.add_argument("--term-start", help="first day of term for calendars (and the images' "
                   "执行日期 effective date), e.g. 2026-09-01")
    p.add_argument("--term-end", help="last day of term for calendars, e.g. 2027-01-22")
    p.add_argument("--calendar", help="校历 school calendar (YAML: term, holidays, 调休 make-up "
                   "days; docs/format.md); default: the school file's calendar: section, or "
                   "a term guessed from today's date")
    p.add_argument("-o", "--output", default=None, help="file or folder (default: inside SOURCE)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("stats", help="课时统计 periods per teacher and day, idle periods, 走教 "
                                     "half-days; subjects short of the curriculum")
    p.add_argument("source", help="a folder written by `jianfu solve`")
    p.add_argument("--school", help="school file (default: SOURCE/school.yaml)")
    p.add_argument("--policy", default=None)
    p.set_defaults(func=cmd_stats)

    hw = sub.add_parser("homework", help="作业统筹 homework quotas").add_subparsers(dest="action", required=True)
    p = hw.add_parser("plan", help="daily homework minutes per class and subject")
    p.add_argument("school")
    p.add_argument("--timetable", required=True)
    p.add_argument("--requests", help="CSV of teachers' weekly requests (class, subject, weekly_minutes)")
    p.add_argument("--policy", default=None)
    p.add_argument("-o", "--output", required=True, help="quotas CSV to write")
    p.add_argument("--table", action="store_true", help="print every class's weekly table")
    p.set_defaults(func=cmd_homework_plan)
    p = hw.add_parser("audit", help="check a homework log for over-quota days and the "
                      "grade 1–2 rules (no written homework, oral/practical limits)")
    p.add_argument("log")
    p.add_argument("--school", required=True)
    p.add_argument("--timetable", help="timetable JSON: also check that oral work is set "
                   "only on days the subject is taught")
    p.add_argument("--policy", default=None)
    p.set_defaults(func=cmd_homework_audit)

    p = gen.add_parser("district", help="a district: town and rural schools with 走教 teachers")
    p.add_argument("--schools", type=_number(int, 1, 5000), default=10, help="number of schools (default 10)")
    p.add_argument("--seed", type=SEED, default=0)
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
    p.add_argument("--workers", type=WORKERS, default=2, help="local worker processes (default 2)")
    p.add_argument("--time-limit-per-school", type=SECONDS, default=DISTRICT_SCHOOL_S,
                   help=f"seconds per school of median size (default {DISTRICT_SCHOOL_S:g}); larger schools get up to twice, smaller down to half, and a school still without a timetable gets a second attempt twice as long")
    p.add_argument("--cp-workers", type=WORKERS, default=1,
                   help="CP-SAT threads per school inside each worker (default 1: one CP-SAT thread per Dask worker process)")
    p.add_argument("--seed", type=SEED, default=0)
    p.set_defaults(func=cmd_district_solve)
    p = dist.add_parser("check", help="check every school's outputs and the cross-school rules")
    p.add_argument("directory", help="district directory")
    p.add_argument("output", help="output directory of `district solve`")
    p.set_defaults(func=cmd_district_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from .solver.interrupt import Interrupted, install

    global _STARTED
    # run as the command (not called with arguments): the start-up counts as well
    _STARTED = time.perf_counter() - (_process_age() if argv is None else 0.0)
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        with install():   # Ctrl-C / SIGTERM stop a search and are reported, not swallowed
            return args.func(args)
    except InputError as err:
        print(f"错误 error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # output piped into `head` and closed early
        sys.stderr.close()
        return EXIT_OK
    except OSError as err:   # reading or writing a file the user named
        where = shown(str(err.filename)).strip("'") if err.filename else "?"
        print(f"错误 error: {where}: 无法读写 cannot read or write: {err.strerror or err}",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    except (KeyboardInterrupt, Interrupted) as err:
        signum = getattr(err, "signum", signal.SIGINT)
        print(f"已中断 interrupted ({'Ctrl-C' if signum == signal.SIGINT else 'SIGTERM'}); "
              f"files already written are complete", file=sys.stderr)
        return 128 + signum
    except Exception as err:   # a bug: one line, the traceback with -v
        if args.verbose:
            traceback.print_exc()
        text = str(err).splitlines()[0][:200] if str(err) else ""
        print(f"内部错误 internal error: {type(err).__name__}: {text} — this is a bug in jianfu; "
              f"run with -v for the details", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
