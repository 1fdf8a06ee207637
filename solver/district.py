"""District runs: every school of a district, on this machine or a Dask cluster.

:func:`solve_district` reads a district directory (:mod:`jianfu.instances.district`),
then

1. fixes the 走教 teachers' half-days first
   (:func:`jianfu.models.itinerant.assign_itinerant`, re-exported here): each half-day
   (上午 / 下午 of a school day) of an itinerant teacher goes to exactly one of their
   schools, so that every school gets enough of the teacher's slots for its share of
   the teacher's lessons; each school then sees the teacher's other half-days as
   unavailability (:func:`restrict_school`). The schools are independent after that,
   and no itinerant teacher can be in two schools in the same half-day;
2. solves the schools in parallel with Dask distributed (a local cluster of
   single-threaded worker processes, or an existing cluster at ``tcp://host:port``),
   largest first; each school's ``timetable.json``, ``report.txt`` and ``result.json``
   are written atomically as soon as it finishes; a school that fails (infeasible, no
   timetable in time, an exception, a worker that died) is reported with its reason
   and the others go on;
3. re-running the same command resumes: a school whose ``result.json`` has the same
   input fingerprint and a finished status is not solved again;
4. plans homework quotas for every class of the district in one kernel call
   (:func:`jianfu.solver.homework.plan.plan_district`; schools whose profiles cannot
   share a call are batched) and writes each school's ``quotas.csv``;
5. writes ``summary.csv`` (one row per school).

A bad school does not stop the district: a school file that does not read or does not
fit ``district.yaml`` (:func:`jianfu.instances.district.read_schools`) is a
``BAD_INPUT`` outcome carrying the error (file, field, value) and every other school
is solved. Such a school is left out of the 走教 half-day split: each of its itinerant
teachers' half-days are shared over their remaining schools (all half-days to the
one school left), so the run stays clash-free. Once the file is fixed, the next run
shares the half-days over all the schools again; the teacher's other schools then see
new restrictions, a new fingerprint, and are solved again. A teacher whose half-days
cannot be shared out keeps their schools out the same way. Only a bad
``district.yaml`` itself, or a scheduler that cannot be reached (tried first, for
:data:`CONNECT_TIMEOUT` seconds), raises :class:`InputError`, and then nothing is
written.

Output layout: ``OUT/<school file stem>/{timetable.json,report.txt,quotas.csv,
result.json}``, ``OUT/itinerant.json`` (the half-day assignment) and
``OUT/summary.csv``. Progress goes to a callback (the CLI draws the bar).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import logging
import math
import re
import statistics
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from ..instances.district import District, output_dir_of, read_district, read_schools
from ..instances.files import write_atomic
from ..instances.homework_io import quota_lines
from ..instances.solved import TIMETABLE, read_finished, write_solved
from ..instances.timetable_io import read_timetable
from ..models.district_check import HALVES, half_day_cut
from ..models.errors import InputError
from ..models.homework import HomeworkPlan
from ..models.itinerant import (
    ITINERANT_RATIO,
    HalfDay,
    _half_capacity,  # noqa: F401  (tests import it from here)
    assign_itinerant,
)
from ..models.school import School, Unavailable, school_fingerprint
from .homework.plan import HomeworkRun, plan_district

log = logging.getLogger(__name__)

__all__ = ["HalfDay", "ITINERANT_RATIO", "assign_itinerant", "share_half_days", "restrict_school",
           "school_fingerprint", "SchoolOutcome", "DistrictProgress", "DistrictRun", "HomeworkRun",
           "solve_district", "format_summary_table", "SUMMARY_COLUMNS",
           "output_dir_of", "BAD_INPUT", "CONNECT_TIMEOUT"]

#: Status of a school whose input is bad: not solved, the reason is its input error.
BAD_INPUT = "BAD_INPUT"
#: A school's budget: the per-school limit times its weekly lessons over the district's
#: median, kept within these factors (a 36-class school gets up to twice a 12-class
#: school's time; the district's total stays about the same).
BUDGET_FACTORS = (0.5, 2.0)
#: A school that has no timetable when its budget ends is solved once more, with the
#: next seed and this many times its budget, before it is reported UNKNOWN.
RESCUE_FACTOR = 2.0
#: Seconds to reach a ``--scheduler`` before giving up (before anything is written).
CONNECT_TIMEOUT = 5.0
SUMMARY_COLUMNS = ("school", "file", "status", "classes", "resumed", "time_to_first", "runtime",
                   "objective", "bound", "gap", "hard_violations", "soft_penalty", "reason")
#: ``summary.csv``'s header: Chinese first, English after (the column names above).
SUMMARY_HEADERS = ("学校 school", "文件 file", "状态 status", "班级数 classes", "续算 resumed",
                   "首个课表用时 time_to_first", "用时 runtime", "目标值 objective", "下界 bound",
                   "差距 gap", "硬性违规 hard_violations", "软规则代价 soft_penalty", "原因 reason")


# --- itinerant half-days -----------------------------------------------------------------------

def restrict_school(school: School, halves: Mapping[str, Sequence[HalfDay]]) -> School:
    """``school`` with each itinerant teacher (name → their half-days here) unavailable in
    every other half-day (``[0, cut)`` for 上午, ``[cut, 24:00)`` for 下午)."""
    if not halves:
        return school
    cuts = [half_day_cut(school, d) for d in range(len(school.days))]
    teachers = list(school.teachers)
    for name, mine in halves.items():
        k = school.teacher_index[name]
        allowed = set(mine)
        extra = []
        for d in range(len(school.days)):
            if (d, 0) not in allowed:
                extra.append(Unavailable(d, 0, cuts[d]))
            if (d, 1) not in allowed:
                extra.append(Unavailable(d, cuts[d], 24 * 60))
        teachers[k] = dataclasses.replace(teachers[k],
                                          unavailable=teachers[k].unavailable + tuple(extra))
    return dataclasses.replace(school, teachers=tuple(teachers))


def _all_halves(school: School) -> tuple[HalfDay, ...]:
    return tuple((d, h) for d in range(len(school.days)) for h in (0, 1))


def share_half_days(district: District, schools: Mapping[str, School]
                    ) -> tuple[dict[str, dict[str, tuple[HalfDay, ...]]], dict[str, InputError]]:
    """The itinerant half-day split over the schools that can be solved.

    :func:`assign_itinerant` teacher by teacher, over each teacher's schools present in
    ``schools`` (a school missing from it, a broken one, is left out of the split). A
    teacher with one school left has every half-day there (no restriction). A school
    whose bell schedules do not tell 上午 from 下午, and all the schools of a teacher
    whose half-days cannot be shared out, are left out in turn with that error, and the
    split is redone without them until nothing changes.

    Returns
    -------
    tuple
        Teacher name → school name → half-days, and school name → the
        :class:`InputError` that keeps it out of the run.
    """
    live = dict(schools)
    errors: dict[str, InputError] = {}
    served = {n for t in district.itinerant for n in t.schools}
    for name in [s.name for s in district.schools if s.name in served and s.name in live]:
        try:
            for d in range(len(live[name].days)):
                half_day_cut(live[name], d)
        except InputError as exc:
            errors[name] = exc.in_file(str(district.path_of(name)))
            del live[name]
    while True:
        halves: dict[str, dict[str, tuple[HalfDay, ...]]] = {}
        dropped = False
        for i, t in enumerate(district.itinerant):
            mine = tuple(n for n in t.schools if n in live)
            if len(mine) == 1:
                halves[t.name] = {mine[0]: _all_halves(live[mine[0]])}
            if len(mine) < 2:
                continue
            alone = dataclasses.replace(district, itinerant=(dataclasses.replace(t, schools=mine),))
            try:
                halves[t.name] = assign_itinerant(alone, live)[t.name]
            except InputError as exc:   # its message names itinerant[0]: the one passed
                where = exc.where.replace("itinerant[0]", f"itinerant[{i}]", 1)
                for name in mine:
                    errors[name] = InputError(where, exc.value, exc.problem)
                    del live[name]
                dropped = True
                break
        if not dropped:
            return halves, errors


# --- one school (runs inside a Dask worker) -----------------------------------------------------

def school_budgets(limit: float, sizes: Mapping[str, int]) -> dict[str, float]:
    """Seconds for each school: ``limit`` scaled by its size (weekly lessons) against
    the median size, within :data:`BUDGET_FACTORS`."""
    if not sizes:
        return {}
    median = statistics.median(sizes.values()) or 1
    low, high = BUDGET_FACTORS
    return {name: limit * min(high, max(low, size / median)) for name, size in sizes.items()}


def _solve_task(name: str, school: School, time_limit: float, cp_workers: int,
                seed: int) -> dict[str, Any]:
    """Solve and check one school; returns plain data (the client writes the files).

    A school with no timetable when ``time_limit`` ends (UNKNOWN: neither found nor
    proven impossible) is solved once more with the next seed and
    :data:`RESCUE_FACTOR` × the time; its times then count both attempts."""
    from .checked import solve_checked

    run = solve_checked(school, time_limit=time_limit, workers=cp_workers, seed=seed)
    spent, rescued = 0.0, False
    if str(run.result.status) == "UNKNOWN":
        log.info("school %s: no timetable in %.0fs, once more with %.0fs", name, time_limit,
                 RESCUE_FACTOR * time_limit)
        spent, rescued = run.result.runtime, True
        run = solve_checked(school, time_limit=RESCUE_FACTOR * time_limit, workers=cp_workers,
                            seed=seed + 1)
    result = run.result
    first = None if result.time_to_first is None else spent + result.time_to_first
    out: dict[str, Any] = {
        "name": name, "status": str(result.status), "runtime": spent + result.runtime,
        "time_to_first": first, "objective": result.objective, "rescued": rescued,
        "bound": result.bound, "gap": result.gap, "timetable": result.timetable,
        "hard": None, "soft": None, "reason": " ".join(result.explanation)}
    if str(result.status) == "UNKNOWN":
        out["reason"] += (" 区域运行：以更长的 --time-limit-per-school 重新运行即可续跑，已完成的学校保留 — "
                          "district run: re-run with a longer --time-limit-per-school; finished "
                          "schools are kept")
    if run.summary is not None:
        out["hard"], out["soft"] = run.summary.hard, run.summary.objective
    if run.rejected:
        out["status"] = "FAILED"
        out["timetable"] = None   # the checker is the specification: never written
        out["reason"] = ("internal error: the solver's timetable fails the checker — "
                         + "; ".join(v.message for v in run.violations if v.hard)[:500])
    out["report"] = run.report
    return out


# --- records ------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class SchoolOutcome:
    """How one school ended. ``status``: OPTIMAL, FEASIBLE, INFEASIBLE, UNKNOWN, FAILED or
    BAD_INPUT (not solved: ``reason`` is the input error)."""

    name: str
    file: str
    status: str
    classes: int
    resumed: bool = False
    time_to_first: float | None = None
    runtime: float = 0.0
    objective: float = math.nan
    bound: float = math.nan
    gap: float = math.nan
    hard_violations: int | None = None
    soft_penalty: float | None = None
    reason: str = ""

    @property
    def solved(self) -> bool:
        return self.status in ("OPTIMAL", "FEASIBLE")

    def row(self) -> dict[str, Any]:
        """The ``summary.csv`` row (:data:`SUMMARY_COLUMNS`)."""
        return {k: getattr(self, "name" if k == "school" else k) for k in SUMMARY_COLUMNS}


@dataclass(frozen=True, slots=True)
class DistrictProgress:
    """A progress report: schools done / running / failed of ``total``, seconds elapsed
    and the estimated seconds left (``None`` before the first school finishes); ``last``
    the school just finished, with its ``objective`` and ``bound`` (NaN unknown)."""

    total: int
    done: int
    running: int
    failed: int
    resumed: int
    elapsed: float
    estimate: float | None
    last: str | None = None
    objective: float = math.nan
    bound: float = math.nan


@dataclass(frozen=True, slots=True)
class DistrictRun:
    """What :func:`solve_district` did: per-school outcomes and the district totals."""

    district: str
    outcomes: tuple[SchoolOutcome, ...]
    wall_time: float
    solve_time: float
    homework: HomeworkRun | None
    workers: int
    scheduler: str
    itinerant: Mapping[str, Mapping[str, tuple[HalfDay, ...]]] = field(default_factory=dict)
    homework_error: str = ""

    @property
    def failed(self) -> tuple[SchoolOutcome, ...]:
        return tuple(o for o in self.outcomes if not o.solved)

    @property
    def ok(self) -> bool:
        """Every school solved and the homework planned."""
        return not self.failed and not self.homework_error


ProgressCallback = Callable[[DistrictProgress], None]


# --- orchestration ------------------------------------------------------------------------------

def _write_school(directory: Path, school: School, data: Mapping[str, Any],
                  fingerprint: str) -> None:
    """One school's folder from its task's data (:func:`write_solved`; result.json last)."""
    report = data.get("report") or f"{school.name}: {data['status']}\n{data.get('reason', '')}"
    write_solved(directory, school, report, status=data["status"],
                 timetable=data.get("timetable"), objective=data.get("objective", math.nan),
                 bound=data.get("bound", math.nan), record={**data, "fingerprint": fingerprint})


def _outcome(entry_file: str, school: School, data: Mapping[str, Any], resumed: bool
             ) -> SchoolOutcome:
    def f(key: str) -> float:
        v = data.get(key)
        return math.nan if v is None else float(v)

    return SchoolOutcome(
        name=school.name, file=entry_file, status=str(data["status"]), classes=len(school.classes),
        resumed=resumed, time_to_first=data.get("time_to_first"), runtime=f("runtime"),
        objective=f("objective"), bound=f("bound"), gap=f("gap"),
        hard_violations=data.get("hard"), soft_penalty=data.get("soft"),
        reason=str(data.get("reason") or ""))


def _bad_input(entry_file: str, name: str, exc: InputError) -> SchoolOutcome:
    return SchoolOutcome(name=name, file=entry_file, status=BAD_INPUT, classes=0,
                         reason=f"输入有误，未排课 bad input, not solved: {exc}")


def _unreachable(exc: BaseException) -> str:
    """Why Dask did not reach a scheduler: the first cause that says more than a time-out."""
    cause: BaseException | None = exc.__cause__ or exc.__context__
    while cause is not None:
        if str(cause) and not isinstance(cause, TimeoutError):
            return re.sub(r"^in <[^>]*>: ", "", str(cause))
        cause = cause.__cause__ or cause.__context__
    return str(exc) or type(exc).__name__


def _probe(address: str, timeout: float) -> None:
    """A plain TCP connection to a ``tcp://``/``tls://`` scheduler: a refused port or an
    unknown host fails at once and says so (Dask retries until its time-out and often
    reports only that)."""
    import socket

    from distributed.comm.addressing import parse_address, parse_host_port

    scheme, location = parse_address(address)
    if scheme not in ("tcp", "tls"):
        return
    host, port = parse_host_port(location)
    with socket.create_connection((host, port), timeout=timeout):
        pass


def _identity(address: str, timeout: float) -> Mapping[str, Any]:
    """The scheduler's ``identity`` reply, within ``timeout`` seconds in all.

    ``Client(address, timeout=...)`` bounds only the TCP connection: a server that
    accepts it but does not speak Dask keeps the client waiting for ever (or sends bytes
    that Dask reads as a huge frame). This asks on its own event loop in a daemon thread
    under one deadline, so that nothing can hang or reach the caller but a reason.
    """
    import asyncio
    import threading

    from distributed.comm import connect

    async def ask() -> Any:
        comm = await connect(address, timeout=timeout)
        try:
            await comm.write({"op": "identity", "reply": True})
            return await comm.read()
        finally:
            comm.abort()

    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["reply"] = asyncio.run(asyncio.wait_for(ask(), timeout))
        except BaseException as exc:  # noqa: BLE001  (anything a stranger's bytes cause)
            box["error"] = exc

    thread = threading.Thread(target=run, name="jianfu-scheduler-probe", daemon=True)
    thread.start()
    thread.join(timeout + 1.0)
    if "error" in box:
        exc = box["error"]
        if isinstance(exc, TimeoutError):
            raise TimeoutError(f"no Dask answer within {timeout:g} s")
        if isinstance(exc, (OSError, ValueError)):
            raise exc
        raise ValueError(f"not a Dask scheduler ({type(exc).__name__} on its reply)")
    reply = box.get("reply")
    if reply is None:
        raise TimeoutError(f"no Dask answer within {timeout:g} s")
    if not isinstance(reply, Mapping) or reply.get("type") != "Scheduler":
        raise ValueError("not a Dask scheduler (its identity reply is not a scheduler's)")
    return reply


def _connect(scheduler: str, timeout: float) -> Any:
    """A client of the scheduler at ``scheduler``, or an :class:`InputError` saying why not."""
    from distributed import Client

    def fail(reason: str) -> InputError:
        return InputError("--scheduler", scheduler,
                          f"无法连接 Dask 调度器 cannot reach the Dask scheduler: {reason} "
                          f"(nothing was written)")

    try:
        _probe(scheduler, timeout)
    except TimeoutError:
        raise fail(f"no answer within {timeout:g} s") from None
    except (OSError, OverflowError, ValueError) as exc:   # refused, unknown host, bad port
        raise fail(f"{type(exc).__name__}: {exc}") from None
    try:
        _identity(scheduler, timeout)
        return Client(scheduler, timeout=timeout)
    except TimeoutError as exc:
        raise fail(str(exc) or f"no answer within {timeout:g} s") from None
    except (OSError, ValueError) as exc:   # no Dask handshake, unknown scheme, not Dask
        raise fail(_unreachable(exc)) from None


def _open_client(scheduler: str | None, workers: int | None,
                 connect_timeout: float = CONNECT_TIMEOUT) -> tuple[Any, Any, int]:
    """A Dask client: a new local cluster of single-threaded processes, or ``scheduler``.

    Raises
    ------
    InputError
        When ``scheduler`` is not reached within ``connect_timeout`` seconds (or is not
        a Dask address), naming the address and the reason.
    """
    import dask
    from distributed import Client, LocalCluster

    if scheduler in (None, "", "local"):
        n = max(1, int(workers or 2))
        with dask.config.set({"distributed.scheduler.allowed-failures": 2}):
            cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                   dashboard_address=":0", silence_logs=logging.ERROR)
        return Client(cluster), cluster, n
    client = _connect(scheduler, connect_timeout)
    n = sum(w.get("nthreads", 1) for w in client.scheduler_info()["workers"].values())
    if not n:
        log.warning("scheduler %s has no workers yet: the schools wait until one joins",
                    scheduler)
    return client, None, n


def solve_district(directory: str | Path, out: str | Path, *, scheduler: str | None = None,
                   workers: int | None = None, time_limit_per_school: float = 25.0,
                   cp_workers: int = 1, seed: int = 0, homework: bool = True,
                   progress: ProgressCallback | None = None, tick: float = 1.0,
                   task: Callable[..., dict[str, Any]] | None = None,
                   connect_timeout: float = CONNECT_TIMEOUT) -> DistrictRun:
    """Solve every school of the district in ``directory``; write results under ``out``.

    Parameters
    ----------
    directory
        The district directory (``district.yaml`` and the school files).
    out
        Output directory (created). Finished schools already there are reused.
    scheduler
        ``None`` or ``"local"``: a local Dask cluster of ``workers`` single-threaded
        processes; else the address of an existing scheduler (``tcp://host:port``),
        whose workers must have jianfu installed.
    workers
        Local worker processes (default 2); ignored with a remote scheduler.
    time_limit_per_school
        Seconds per school of median size; each school gets it scaled by its size
        (:func:`school_budgets`), and one without a timetable when its time ends is
        solved once more for twice as long (:func:`_solve_task`).
    cp_workers
        CP-SAT workers inside each Dask worker. Default 1, so N Dask workers use N
        cores: since the engine's warm start is its first solution, one CP-SAT worker
        finds a timetable in seconds (50-school district: all 50 in the first pass,
        10.7 min with checking; benchmarks/RESULTS.md, District).
    seed
        CP-SAT random seed.
    homework
        Plan homework quotas for the district (one kernel call) after the timetables.
    progress
        Called with a :class:`DistrictProgress` about every ``tick`` seconds and when a
        school finishes.
    task
        The per-school function run on the workers (default: solve and check with the
        CP-SAT engine); called as ``task(name, school, time_limit, cp_workers, seed)``
        and returning the dict :func:`_solve_task` returns. Tests use it to make one
        school crash.
    connect_timeout
        Seconds to reach ``scheduler``; it is reached before anything is written.

    Returns
    -------
    DistrictRun
        Per-school outcomes (in the district's order), times and the homework step. A
        school with bad input (a file that does not read or does not fit
        ``district.yaml``, an itinerant teacher whose half-days cannot be shared out)
        is a ``BAD_INPUT`` outcome with the error as its reason; the others are solved.

    Raises
    ------
    InputError
        A bad ``district.yaml``, or a scheduler that cannot be reached; nothing is
        written then.
    """
    from distributed import wait

    t0 = time.perf_counter()
    district = read_district(directory)
    read = read_schools(district)
    halves, unshared = share_half_days(district, read.schools)
    broken = {**read.errors, **unshared}
    schools = {n: s for n, s in read.schools.items() if n not in unshared}
    for name, exc in broken.items():
        log.warning("school %s is not solved: %s", name, exc)
    out = Path(out)
    restricted: dict[str, School] = {}
    for name, school in schools.items():
        mine = {t: per[name] for t, per in halves.items() if name in per}
        restricted[name] = restrict_school(school, mine)
    fingerprints = {n: school_fingerprint(s) for n, s in restricted.items()}
    entry_file = {s.name: s.file for s in district.schools}

    outcomes: dict[str, SchoolOutcome] = {
        name: _bad_input(entry_file[name], name, exc) for name, exc in broken.items()}
    todo = []
    for name, school in schools.items():
        data = read_finished(output_dir_of(out, district, name), fingerprints[name])
        if data is not None:
            outcomes[name] = _outcome(entry_file[name], school, data, resumed=True)
        else:
            todo.append(name)
    resumed = len(outcomes) - len(broken)
    settled = len(outcomes)   # bad input or resumed: not part of the time estimate
    log.info("district %s: %d schools, %d with bad input, %d finished before, %d to solve",
             district.name, len(district.schools), len(broken), resumed, len(todo))
    # largest schools first: a shorter makespan on few workers
    size = {n: sum(r.periods for r in s.requirements) for n, s in schools.items()}
    todo.sort(key=lambda n: -size[n])
    budget = school_budgets(time_limit_per_school, size)
    total = len(district.schools)

    def report(running: int, last: str | None) -> None:
        if progress is None:
            return
        elapsed = time.perf_counter() - t0
        done_now = len(outcomes) - settled
        left = total - len(outcomes)
        estimate = None
        if done_now:
            per = (time.perf_counter() - solve_start) / done_now
            estimate = per * left
        failed = sum(1 for o in outcomes.values() if not o.solved)
        finished = outcomes.get(last) if last is not None else None
        progress(DistrictProgress(total, len(outcomes), running, failed, resumed,
                                  elapsed, estimate, last,
                                  finished.objective if finished else math.nan,
                                  finished.bound if finished else math.nan))

    n_workers = 0
    scheduler_name = scheduler or "local"
    client = cluster = None
    # Dask logs every worker start and stop at INFO; keep them for --verbose runs only
    dask_log = logging.getLogger("distributed")
    dask_level = dask_log.level
    if not log.isEnabledFor(logging.DEBUG):
        dask_log.setLevel(logging.WARNING)
    try:
        if todo:   # reach the scheduler before writing anything
            client, cluster, n_workers = _open_client(scheduler, workers, connect_timeout)
        out.mkdir(parents=True, exist_ok=True)
        write_atomic(out / "itinerant.json", json.dumps(
            {t: {s: [f"{schools[s].days[d]}{HALVES[h]}" for d, h in hs] for s, hs in per.items()}
             for t, per in halves.items()}, ensure_ascii=False, indent=1) + "\n")
        solve_start = time.perf_counter()
        if client is not None:
            futures = {}
            for rank, name in enumerate(todo):
                fut = client.submit(task or _solve_task, name, restricted[name], budget[name],
                                    cp_workers, seed, key=f"jianfu-school-{fingerprints[name]}-"
                                    f"{rank}-{time.time_ns()}", priority=len(todo) - rank,
                                    pure=False)
                futures[fut] = name
            pending = set(futures)
            report(min(len(pending), n_workers), None)
            while pending:
                try:
                    wait(list(pending), timeout=tick, return_when="FIRST_COMPLETED")
                except TimeoutError:   # nothing finished within the tick: report progress
                    pass
                done = {f for f in pending if f.done()}
                pending -= done
                last = None
                for fut in done:
                    name = futures[fut]
                    directory_out = output_dir_of(out, district, name)
                    try:
                        data = fut.result()
                    except Exception as exc:   # a task error or a worker that died
                        reason = f"{type(exc).__name__}: {exc}".strip()
                        log.warning("school %s failed: %s\n%s", name, reason,
                                    "".join(traceback.format_exception(exc))[-2000:])
                        data = {"name": name, "status": "FAILED", "reason": reason}
                    _write_school(directory_out, schools[name], data, fingerprints[name])
                    outcomes[name] = _outcome(entry_file[name], schools[name], data, resumed=False)
                    last = name
                report(min(len(pending), n_workers), last)
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()
        dask_log.setLevel(dask_level)
    solve_time = time.perf_counter() - solve_start

    hw_run = None
    hw_error = ""
    if homework:
        timetables = {}
        for name, school in schools.items():
            if outcomes[name].solved:
                timetables[name] = read_timetable(
                    output_dir_of(out, district, name) / TIMETABLE, school)
        if timetables:
            try:
                plans, hw_run = plan_district([(schools[n], t) for n, t in timetables.items()])
            except (RuntimeError, ValueError) as exc:   # the timetables stay written
                log.error("district homework failed: %s", exc)
                hw_error = f"{type(exc).__name__}: {exc}"
            else:
                for name, plan in zip(timetables, plans):
                    write_atomic(output_dir_of(out, district, name) / "quotas.csv",
                                 quotas_text(plan))
    ordered = tuple(outcomes[s.name] for s in district.schools)
    write_atomic(out / "summary.csv", summary_csv(ordered))
    return DistrictRun(district.name, ordered, time.perf_counter() - t0, solve_time, hw_run,
                       n_workers, scheduler_name, halves, hw_error)


# --- text outputs -------------------------------------------------------------------------------

def quotas_text(plan: HomeworkPlan) -> str:
    """The quotas CSV (``class,day,subject,minutes,kind``) as text, for an atomic write."""
    return quota_lines(plan, lineterminator="\n")


def _cell(v: Any) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, float):
        return f"{v:.3f}".rstrip("0").rstrip(".") if not v.is_integer() else str(int(v))
    return str(v)


def summary_csv(outcomes: Sequence[SchoolOutcome]) -> str:
    """``summary.csv``: one row per school (:data:`SUMMARY_COLUMNS`) under
    :data:`SUMMARY_HEADERS`, a BOM first so Excel reads it as UTF-8."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(SUMMARY_HEADERS)
    for o in outcomes:
        w.writerow([_cell(v) for v in o.row().values()])
    return "\ufeff" + buf.getvalue()


def format_summary_table(run: DistrictRun) -> list[list[str]]:
    """Rows for the printed table: school, status, first, objective, bound, violations."""
    rows = []
    for o in run.outcomes:
        rows.append([o.name, o.status + (" (resumed)" if o.resumed else ""),
                     _cell(None if o.time_to_first is None else round(o.time_to_first, 2)),
                     _cell(o.objective), _cell(o.bound),
                     _cell(o.hard_violations), (o.reason[:60] if not o.solved else "")])
    return rows
