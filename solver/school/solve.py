"""``solve``: school + policy in, :class:`~jianfu.solver.result.Result` out."""

from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import dataclass, replace
from typing import Callable, Iterable

from ortools.sat.python import cp_model

from ...models.core import Problem, SlotKind, activity_of_requirement, compile_school
from ...models.policy import Policy
from ...models.school import School
from ...models.timetable import Timetable
from .build import build
from .explain import explain_infeasible, precheck
from .hint import add_hint
from .lns import Incumbent, improve
from ..interrupt import interruptible, solve_cp
from .mapping import chosen, to_solution, to_timetable
from .objective import add_objective, lower_bound, term_floors, weight_scale
from ..result import ProgressFn, Recorder, Result, Statistics, StatisticsRow, Status, status_of
from .variables import Variables

logger = logging.getLogger(__name__)

LessonKey = tuple[str, str, int]   # (class name, day name, 0-based period)
#: Large-neighbourhood search after CP-SAT's own (:mod:`jianfu.solver.school.lns`), when
#: at least ``LNS_FROM_S`` seconds are left after the warm start: CP-SAT first searches
#: the whole model for ``LNS_MAIN_SHARE`` of them (at least ``LNS_MAIN_S``; its bound
#: is the one reported), LNS rounds the rest, ending ``LNS_RESERVE_S`` before the limit
#: (never when CP-SAT is asked to stop at its first solution), and for schools of at
#: least ``LNS_FROM_GROUPS`` classes and groups: at 60 s on 2 cores (seed 1) a 3-class
#: school was proven optimal (22) by CP-SAT alone and left at 27 with LNS, while 6
#: classes gave 102 with LNS against 128, 36 classes a median of 1079.5 against 1184
#: (seeds 1, 2, 3, 7) and 72 classes 2798 against 2907. LNS gains about three times
#: what CP-SAT's own search does per second on 36 classes, so it takes over early:
#: handing over at 10 % (at least 3 s) rather than 30 % (8 s), with the rounds of
#: ``lns``, gave 962.5 against 1086 (36 classes, seeds 1, 2, 3, 7), 2631 against 2800.5
#: (72 classes, seeds 1, 2) and 86.5 against 88.5 (6 classes; benchmarks/RESULTS.md).
LNS = True
LNS_FROM_S, LNS_MAIN_S, LNS_MAIN_SHARE, LNS_RESERVE_S = 15.0, 3.0, 0.1, 0.3
LNS_FROM_GROUPS = 6


@dataclass(frozen=True, slots=True)
class Keep:
    """A previous timetable to stay close to (``moved_lesson``) or to lock.

    ``school`` is the school the timetable was made for, when it differs from the one
    being solved (a teacher removed, a class added): lessons are matched by class,
    subject and day *names* and the period index. ``lock`` fixes kept lessons
    entirely: ``True`` for all, or a set of ``(class name, day name, period)`` keys
    (period 0-based). Lessons that no longer fit (their class, subject or slot is gone
    or forbidden) cannot be locked and count as moved.
    """

    timetable: Timetable
    school: School | None = None
    lock: bool | frozenset[LessonKey] = False


def solve(school: School, policy: Policy, *, time_limit: float = 60.0, workers: int = 2,
          seed: int = 0, keep: Keep | Timetable | tuple[School, Timetable] | None = None,
          lock: bool | Iterable[LessonKey] = False, log: bool = False,
          progress: ProgressFn | None = None, hint: bool = True,
          params: dict[str, object] | None = None) -> Result:
    """Find a compliant weekly timetable minimising the weighted soft rules.

    Parameters
    ----------
    school, policy
        The problem; the policy is usually ``school.policy()``.
    time_limit
        Seconds for the whole solve: model build, warm start and search (an infeasible
        school's explanation gets what is left, at least one second).
    workers, seed
        CP-SAT workers and random seed; ``workers=1`` with a fixed seed is
        deterministic.
    keep
        A previous timetable (for this school), ``(old_school, timetable)`` or a
        :class:`Keep`; adds the ``moved_lesson`` term with the policy's weight.
    lock
        With ``keep``: ``True`` fixes every kept lesson, or an iterable of
        ``(class name, day name, period)`` keys fixes those (overrides ``Keep.lock``).
    log
        Send the CP-SAT search log to ``logging`` (logger ``jianfu.solver.school.solve``).
    progress
        Called as ``progress(elapsed, objective, bound)`` on each improving solution.
    hint
        Start from a greedy timetable (:mod:`jianfu.solver.school.hint`) completed by CP-SAT.
        When the completion succeeds it is the first solution (``time_to_first`` is the
        warm-start time) and the search only looks for timetables no
        worse (an objective cap, which keeps the bound valid); if CP-SAT finds none in the
        limit the warm start is returned with status ``FEASIBLE``.
    params
        Extra CP-SAT parameters by name (tuning and benchmarks), e.g.
        ``{"linearization_level": 2}``.

    Ctrl-C or SIGTERM (with :func:`jianfu.solver.interrupt.install`) stops the
    search: the result keeps the best timetable found before it, with
    ``interrupted`` set to the signal.

    Returns
    -------
    Result
        Never ``OPTIMAL`` after a time-out, never ``INFEASIBLE`` unless proven; without a
        timetable ``explanation`` says why. ``MODEL_INVALID`` raises ``RuntimeError``.
    """
    with interruptible() as run:   # a signal stops the warm start and the search alike
        result = _solve(school, policy, time_limit=time_limit, workers=workers, seed=seed,
                        keep=keep, lock=lock, log=log, progress=progress, hint=hint,
                        params=params)
    return replace(result, interrupted=run.signum) if run.interrupted else result


def _solve(school: School, policy: Policy, *, time_limit: float, workers: int, seed: int,
           keep: Keep | Timetable | tuple[School, Timetable] | None,
           lock: bool | Iterable[LessonKey], log: bool, progress: ProgressFn | None,
           hint: bool, params: dict[str, object] | None) -> Result:
    t0 = time.perf_counter()
    problem = compile_school(school, policy)
    fatal = precheck(school, policy, problem)
    if fatal:
        return Result(Status.INFEASIBLE, None, runtime=time.perf_counter() - t0,
                      build_time=time.perf_counter() - t0, explanation=tuple(fatal))
    keep_obj = _as_keep(keep, lock)

    def add_keep(model: cp_model.CpModel, v: Variables) -> tuple[dict, int, list | None]:
        if keep_obj is None:
            return {}, 0, None
        moved_expr, locked = _add_keep(model, problem, school, v, keep_obj)
        return ({"moved_lesson": (moved_expr, policy.weights.moved_lesson)}, locked,
                _kept_pairs(problem, school, keep_obj))

    run = _search(problem, t0=t0, time_limit=time_limit, workers=workers, seed=seed, log=log,
                  progress=progress, hint=hint, params=params, add_keep=add_keep)
    if run.values is not None:
        timetable = to_timetable(problem, *chosen(problem, run.values, run.v))
        moved = run.terms.get("moved_lesson") if keep_obj is not None else None
        return Result(run.status, timetable, run.objective, run.bound, runtime=run.runtime,
                      time_to_first=run.first, build_time=run.build_time, terms=run.terms,
                      weights=run.weights, statistics=run.statistics, moved=moved,
                      locked=run.locked, floors=run.floors)
    if run.status is Status.INFEASIBLE:
        left = max(1.0, time_limit - (time.perf_counter() - t0))
        reasons = explain_infeasible(school, policy, problem, time_limit=min(60.0, left),
                                     keep_locks=keep_obj is not None and bool(run.locked))
    else:
        reasons = [_not_found(time_limit)]
    return Result(run.status, None, runtime=run.runtime, build_time=run.build_time,
                  weights=run.weights, statistics=run.statistics, locked=run.locked,
                  explanation=tuple(reasons))


def solve_problem(problem: Problem, *, time_limit: float = 60.0, workers: int = 2,
                  seed: int = 0, log: bool = False, progress: ProgressFn | None = None,
                  hint: bool = True, params: dict[str, object] | None = None) -> Result:
    """The school engine on any core problem: its ``solution`` is a
    :class:`~jianfu.models.core_check.CoreSolution` (placements, sessions, venues).

    Activities may have several groups and teachers, placements of several periods and
    ``same_start`` ties; :func:`jianfu.models.core_check.check_core` is the checker of
    what it returns. Options as for :func:`solve`; there is no school to name in an
    explanation, so an infeasible problem is reported without one.
    """
    with interruptible() as run:
        t0 = time.perf_counter()
        found = _search(problem, t0=t0, time_limit=time_limit, workers=workers, seed=seed,
                        log=log, progress=progress, hint=hint, params=params, add_keep=None)
    result = Result(found.status, None, runtime=found.runtime, build_time=found.build_time,
                    weights=found.weights, statistics=found.statistics,
                    explanation=(("已证明无解 proven: no timetable keeps every hard rule",)
                                 if found.status is Status.INFEASIBLE else
                                 (_not_found(time_limit),)))
    if found.values is not None:
        result = Result(found.status, to_solution(problem, *chosen(problem, found.values, found.v)),
                        found.objective, found.bound, runtime=found.runtime,
                        time_to_first=found.first, build_time=found.build_time,
                        terms=found.terms, weights=found.weights, statistics=found.statistics,
                        floors=found.floors)
    return replace(result, interrupted=run.signum) if run.interrupted else result


def _not_found(time_limit: float) -> str:
    return (f"在 {time_limit:g} 秒内未找到可行课表，也未证明无解；请延长求解时间 — no "
            f"timetable found and none proven impossible within {time_limit:g} s; "
            f"try a longer --time-limit")


@dataclass(frozen=True, slots=True)
class _Found:
    """What :func:`_search` found: the status and, with a timetable, where to read it."""

    status: Status
    values: Callable[[object], int] | None    # BooleanValue of the chosen solution
    v: Variables
    terms: dict[str, int]
    weights: dict[str, float]
    objective: float
    bound: float
    runtime: float
    first: float | None
    build_time: float
    statistics: Statistics
    locked: int
    floors: dict[str, float]


KeepHook = Callable[[cp_model.CpModel, Variables], tuple[dict, int, list | None]]


def _search(problem: Problem, *, t0: float, time_limit: float, workers: int, seed: int,
            log: bool, progress: ProgressFn | None, hint: bool,
            params: dict[str, object] | None, add_keep: KeepHook | None) -> _Found:
    """Build the model, warm-start it, run CP-SAT and read the best timetable's terms."""
    model = cp_model.CpModel()
    v = build(model, problem)
    extra, locked, kept = add_keep(model, v) if add_keep is not None else ({}, 0, None)
    weights = add_objective(model, problem, v, extra)
    scale = weight_scale(weights)
    build_time = time.perf_counter() - t0
    warm = None
    if hint:
        warm = add_hint(model, problem, v, kept, time_limit=min(10.0, time_limit / 2),
                        seed=seed)
    warm_time = time.perf_counter() - t0 - build_time
    logger.info("model built in %.2fs, warm start %s in %.2fs", build_time,
                "complete" if warm else "partial", warm_time)

    extra_params = params
    solver = cp_model.CpSolver()
    params = solver.parameters
    remaining = float(time_limit) - build_time - warm_time
    lns = (LNS and remaining >= LNS_FROM_S and bool(v.terms)
           and len(problem.groups) >= LNS_FROM_GROUPS
           and not (extra_params or {}).get("stop_after_first_solution"))
    params.max_time_in_seconds = max(0.01, remaining)
    params.num_workers = max(1, int(workers))
    params.random_seed = int(seed)
    for name, value in (extra_params or {}).items():
        setattr(params, name, value)
    if log:
        params.log_search_progress = True
        params.log_to_stdout = False
        solver.log_callback = lambda line: logger.info("%s", line)
    recorder = _Handover(t0, scale, progress)
    floors = term_floors(problem, weights)
    floor = lower_bound(problem, weights)
    warm_objective = math.inf
    if warm is not None:
        # the completed warm start is a compliant timetable already: it is the first
        # solution even when CP-SAT (say one worker, busy elsewhere) never improves it
        warm_objective = sum(weights[k] * int(warm.Value(e)) for k, e in v.terms.items()
                             if k in weights)
        recorder.rows.append(StatisticsRow(build_time + warm_time, warm_objective,
                                           floor))
        if progress is not None:
            progress(build_time + warm_time, warm_objective, floor)
        # CP-SAT need only look for better timetables
        if v.terms and warm_objective > 0:
            model.Add(cp_model.LinearExpr.Sum(
                [round(weights[k] * scale) * e for k, e in v.terms.items()
                 if k in weights]) <= round(warm_objective * scale))
    if lns:   # CP-SAT hands over to LNS once it has a timetable and its share is spent
        recorder.arm(solver, time.perf_counter() + max(LNS_MAIN_S, LNS_MAIN_SHARE * remaining),
                     have=warm is not None)
    try:
        code, signum = solve_cp(solver, model, recorder)
    finally:
        recorder.disarm()
    status = status_of(code, model)
    source = solver
    start = None
    if lns and signum is None and v.terms and status not in (Status.OPTIMAL, Status.INFEASIBLE):
        if status is Status.FEASIBLE:
            start = Incumbent.of(solver)
        elif warm is not None:     # CP-SAT found nothing better: LNS from the warm start
            n_vars = len(model.Proto().variables)
            start = Incumbent.of_values(list(warm.ResponseProto().solution)[:n_vars],
                                        round(warm_objective * scale))
    if start is not None:
        source = _improve(model, problem, v, start, solver.BestObjectiveBound() / scale,
                          recorder, t0=t0, time_limit=time_limit, workers=workers, seed=seed)
        status = Status.FEASIBLE
    runtime = time.perf_counter() - t0
    stats = Statistics(tuple(recorder.rows))
    if warm is not None and (status not in (Status.OPTIMAL, Status.FEASIBLE)
                             or _weighted(source, v, weights) > warm_objective):
        if status is Status.INFEASIBLE:   # cannot be: the warm start is a solution
            logger.error("CP-SAT proved infeasible a model with a known solution")
        if status is not Status.OPTIMAL:
            status, source = Status.FEASIBLE, warm
    if status not in (Status.OPTIMAL, Status.FEASIBLE):
        return _Found(status, None, v, {}, weights, math.nan, math.nan, runtime, None,
                      build_time, stats, locked, floors)
    terms = {k: int(source.Value(e)) for k, e in v.terms.items() if k in weights}
    objective = sum(weights[k] * u for k, u in terms.items())
    if source is solver and abs(objective * scale - solver.ObjectiveValue()) > 1e-6 \
            and v.terms:
        # postsolve may complete removed variables differently from the presolved
        # solution; the timetable's own terms (what the checker recomputes) win
        logger.debug("objective %s differs from CP-SAT's %s", objective,
                     solver.ObjectiveValue() / scale)
    # every term is a count ≥ 0 and the per-entity relaxations are proven too; the
    # warm start's objective cap keeps CP-SAT's bound valid (nothing below it is cut)
    bound = max(floor, solver.BestObjectiveBound() / scale) if v.terms else 0.0
    bound = min(bound, objective)
    stats = Statistics(tuple(StatisticsRow(r.time, r.objective, max(floor, r.bound))
                             for r in stats.rows))
    return _Found(status, source.BooleanValue, v, terms, weights, objective, bound, runtime,
                  stats.rows[0].time if stats.rows else runtime, build_time, stats, locked, floors)


class _Handover(Recorder):
    """The recorder of CP-SAT's solutions that also stops CP-SAT for LNS: at the
    hand-over time when a timetable is known by then (the warm start or a solution),
    else at the first solution after it."""

    def __init__(self, *args: object) -> None:
        super().__init__(*args)
        self.at: float | None = None
        self.timer: threading.Timer | None = None

    def arm(self, solver: cp_model.CpSolver, at: float, *, have: bool) -> None:
        self.at = at

        def due() -> None:
            if have or self.rows:
                solver.StopSearch()
        self.timer = threading.Timer(max(0.0, at - time.perf_counter()), due)
        self.timer.daemon = True
        self.timer.start()

    def disarm(self) -> None:
        if self.timer is not None:
            self.timer.cancel()

    def on_solution_callback(self) -> None:
        super().on_solution_callback()
        if self.at is not None and time.perf_counter() >= self.at:
            self.StopSearch()


def _improve(model: cp_model.CpModel, problem: Problem, v: Variables, start: Incumbent,
             bound: float, recorder: Recorder, *, t0: float, time_limit: float, workers: int,
             seed: int) -> Incumbent:
    """LNS from ``start`` for the rest of the time (:func:`lns.improve`); each better
    timetable is a statistics row, at the ``bound`` CP-SAT proved."""

    def row(elapsed: float, objective: int) -> None:
        recorder.rows.append(StatisticsRow(elapsed, objective / recorder.scale, bound))
        if recorder.progress is not None:
            recorder.progress(elapsed, objective / recorder.scale, bound)
    return improve(model, problem, v, start, deadline=t0 + time_limit - LNS_RESERVE_S,
                   workers=workers, seed=seed, t0=t0, on_improve=row)


def _as_keep(keep: Keep | Timetable | tuple[School, Timetable] | None,
             lock: bool | Iterable[LessonKey]) -> Keep | None:
    if keep is None:
        return None
    if isinstance(keep, Timetable):
        keep = Keep(keep)
    elif isinstance(keep, tuple):
        keep = Keep(keep[1], keep[0])
    if lock is True or (lock is not False and not isinstance(lock, bool)):
        keep = Keep(keep.timetable, keep.school,
                    True if lock is True else frozenset(lock))   # type: ignore[arg-type]
    return keep


def _kept_pairs(problem: Problem, school: School, keep: Keep
                ) -> list[tuple[LessonKey, tuple[int, ...], int | None]]:
    """Each kept lesson as (key, activities, slot) in the new problem: the activities that
    would hold it there (its requirement's, or of a lesson with a week, 单双周, the
    alternating slots of its class with that side; none when gone), the slot or None."""
    old = keep.school or school
    slot_of = {(s.schedule, s.day, s.period): i for i, s in enumerate(problem.slots)
               if s.kind is SlotKind.LESSON}
    act_of = activity_of_requirement(school)   # a combined lesson's members: one activity
    # (class, subject, week) → activities: week None the requirement's, 1/2 the slots'
    acts_of: dict[tuple[int, int, int | None], tuple[int, ...]] = {
        (r.cls, r.subject, None): (act_of[i],) for i, r in enumerate(school.requirements)
        if act_of[i] >= 0}
    for a, act in enumerate(problem.activities):
        for week, subject, _, _ in act.alternate:
            key3 = (act.group, subject, week)
            acts_of[key3] = acts_of.get(key3, ()) + (a,)
    seen = set()
    out = []
    for lesson in keep.timetable.lessons:
        if old.group_rank(lesson.cls, lesson.group, lesson.subject) > 0:
            continue   # a split lesson (分组) or 走班 block is kept as its first group's lesson
        cname = old.classes[lesson.cls].name
        dname = old.days[lesson.day]
        sname = old.subjects[lesson.subject].name
        key = (cname, dname, lesson.period)
        if (key, sname, lesson.week) in seen:
            continue
        seen.add((key, sname, lesson.week))
        c = school.class_index.get(cname)
        subj = school.subject_index.get(sname)
        d = school.days.index(dname) if dname in school.days else None
        acts: tuple[int, ...] = ()
        if c is not None and subj is not None:
            acts = acts_of.get((c, subj, lesson.week), ())
        s = None
        if acts and d is not None:
            s = slot_of.get((school.classes[c].schedule, d, lesson.period))
        out.append((key, acts, s))
    return out


def _add_keep(model: cp_model.CpModel, problem: Problem, school: School, v: Variables,
              keep: Keep) -> tuple[cp_model.LinearExprT, int]:
    """The moved_lesson expression (kept lessons not in the new timetable) and locks."""
    parts: list[cp_model.LinearExprT] = []
    gone = 0
    locked = 0
    for key, acts, s in _kept_pairs(problem, school, keep):
        # at most one of them holds the class's slot (class_clash): 1 − Σ is exact
        found = [v.x[(a, s)] for a in acts if s is not None and (a, s) in v.x]
        if not found:
            gone += 1
            continue
        held = cp_model.LinearExpr.Sum(found)
        parts.append(1 - held)
        if keep.lock is True or (not isinstance(keep.lock, bool) and key in keep.lock):
            model.Add(held == 1)
            locked += 1
    return cp_model.LinearExpr.Sum(parts) + gone, locked


def _weighted(solver: cp_model.CpSolver, v: Variables, weights: dict[str, float]) -> float:
    """The weighted objective of the solver's solution, from the terms themselves."""
    return sum(weights[k] * int(solver.Value(e)) for k, e in v.terms.items() if k in weights)
