"""Solving a FET file: the race for a first timetable, polish, then CP-SAT optimises.

:func:`solve_fet` imports a ``.fet`` file and :func:`solve_fet_problem` solves it:
the model (:mod:`jianfu.solver.fet.model`) is built, recursive swapping
(:mod:`jianfu.solver.fet.search`) races CP-SAT for the first timetable, and CP-SAT
then optimises the soft constraints from it. The result's objective and terms are the
checker's score of the timetable returned (:func:`checked_terms`), its bound CP-SAT's
proven one, at most the objective.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from ortools.sat.python import cp_model

from ...models.fet import FetProblem, FetSolution
from ...models.fet_check import cannot_place, check_fet
from ..interrupt import interruptible, solve_cp
from ..result import BY_CP_SAT, Recorder, Result, Statistics, StatisticsRow, Status, status_of
from .model import SCALE, FetModel, _Infeasible

logger = logging.getLogger(__name__)

#: CP-SAT workers given to violation local search when there are two or more.
VIOLATION_LS = 1
#: Share of the time limit the first-timetable race may use before CP-SAT optimises
#: (FET itself stops at its first timetable; on Insight the search needs 25–40 s).
SEARCH_SHARE = 0.8
#: Share of the time left after the first timetable that
#: :func:`~jianfu.solver.fet.search.polish` may use before CP-SAT optimises.
POLISH_SHARE = 0.5
#: With one worker: seconds (at most this share of the limit) CP-SAT alone gets
#: before the search.
PROBE_S, PROBE_SHARE = 2.0, 0.05

def solve_fet_problem(problem: FetProblem, *, time_limit: float = 60.0, workers: int = 2,
                      seed: int = 0, log: bool = False, t0: float | None = None,
                      params: dict[str, object] | None = None, search: bool = True) -> Result:
    """Solve an imported FET problem with CP-SAT.

    Parameters
    ----------
    problem
        From :func:`jianfu.instances.fet.read_fet`.
    time_limit, workers, seed, log
        CP-SAT's ``max_time_in_seconds``, ``num_workers``, ``random_seed``,
        ``log_search_progress`` (the log goes to :mod:`logging`).
    t0
        ``time.perf_counter()`` taken before import, so times include it.
    params
        Extra CP-SAT parameters by name (for tuning and benchmarks).
    search
        Look for the first timetable with CP-SAT (``workers`` − 1 workers) and FET's
        recursive swapping side by side (:func:`jianfu.solver.fet.search.race`, at
        most ``SEARCH_SHARE`` of the time limit; with one worker: a short CP-SAT probe
        of ``PROBE_S`` seconds, at most ``PROBE_SHARE`` of the limit, then the
        search). A timetable of the search counts once CP-SAT has certified it
        against the whole model. Where every soft constraint is a MinDays,
        :func:`jianfu.solver.fet.search.polish` mends broken ones for up to
        ``POLISH_SHARE`` of the time left (one chain of moves per worker, at most
        two). CP-SAT then starts from that timetable (a
        complete hint) and optimises the soft constraints. Without it, or when
        neither finds one, CP-SAT looks for the first timetable itself.
    """
    t0 = time.perf_counter() if t0 is None else t0
    with interruptible() as run:   # a signal stops the race, polish and CP-SAT alike
        result = _solve_fet_problem(problem, time_limit=time_limit, workers=workers, seed=seed,
                                    log=log, t0=t0, params=params, search=search)
    return replace(result, interrupted=run.signum) if run.interrupted else result


def _solve_fet_problem(problem: FetProblem, *, time_limit: float, workers: int, seed: int,
                       log: bool, t0: float, params: dict[str, object] | None,
                       search: bool) -> Result:
    model = FetModel(problem)
    # with a race, its first search starts on the grid while the rules are built
    overlap = search and workers >= 2 and bool(problem.activities)
    try:
        model.build_grid()
        if not overlap:
            model.build_rules()
    except _Infeasible as exc:
        return _presolved(problem, exc, t0)
    build_time = time.perf_counter() - t0
    found = None
    rows: list[StatisticsRow] = []      # the first timetable, then the polished one
    rules_s = 0.0           # seconds the race spent building the rules
    if search and problem.activities:
        from .certify import first_solution
        from .search import SearchOutcome, first_timetable, polish, race

        deadline = t0 + SEARCH_SHARE * time_limit
        if workers >= 2:
            # CP-SAT's tree search and FET's recursive swapping side by side, one core
            # each: each is quick where the other stalls (Brazil / MAPS)
            found = race(model, problem, deadline=deadline, workers=workers, seed=seed,
                         build=model.build_rules)
        else:
            # one core: a short CP-SAT probe first, surer than the randomised search
            # where tree search is quick (hours with slack, Brazil 1 s)
            probe = first_solution(model.m, min(PROBE_S, PROBE_SHARE * time_limit), 1, seed)
            found = SearchOutcome(probe, {}, 0, 0.0, time.perf_counter() - t0 - build_time,
                                  BY_CP_SAT) \
                if probe is not None else \
                first_timetable(model, problem, deadline=deadline, seed=seed)
        rules_s = found.build_s
        if found.solver is not None:
            now = time.perf_counter()
            rows.append(StatisticsRow(now - t0, sum(model.term_values(found.solver).values()),
                                      math.nan))
            better = polish(model, problem, found, seed=seed, chains=min(2, workers),
                            deadline=now + POLISH_SHARE * (t0 + time_limit - now))
            if better is not None:
                found = better
                rows.append(StatisticsRow(time.perf_counter() - t0,
                                          sum(model.term_values(found.solver).values()),
                                          math.nan))
        _hint(model, found)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, time_limit - (time.perf_counter() - t0))
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    if workers >= 2:
        # one of the workers is CP-SAT's violation local search (feasibility jump):
        # on tightly packed files it finds the first timetable where tree search
        # stalls (MAPS: 25 s → 11 s; see benchmarks/RESULTS.md, FET peer)
        solver.parameters.num_violation_ls = VIOLATION_LS
    for name, value in (params or {}).items():
        if isinstance(value, str):      # enum values by name ("FIXED_SEARCH")
            value = getattr(cp_model, value)
        setattr(solver.parameters, name, value)
    if log:
        solver.parameters.log_search_progress = True
        solver.log_callback = logger.info
    rec = Recorder(t0, SCALE)
    rec.rows.extend(rows)
    code, _ = solve_cp(solver, model.m, rec)
    status = status_of(code, model.m)     # MODEL_INVALID: a bug of ours, never the input
    runtime = time.perf_counter() - t0
    stats = Statistics(tuple(rec.rows))
    best = solver if status in (Status.OPTIMAL, Status.FEASIBLE) else \
        (found.solver if found is not None else None)
    if best is not None:
        if best is not solver:       # CP-SAT gave no answer in time; the search's stands
            status = Status.FEASIBLE
        solution = model.solution(best)
        terms = checked_terms(problem, solution, model.terms)
        objective = round(sum(terms.values()), 6)
        bound = min(best.BestObjectiveBound() / SCALE, objective) \
            if model.terms and best is solver else (0.0 if not model.terms else math.nan)
        by = found.by if found is not None and found.solver is not None else BY_CP_SAT
        return Result(status, solution, objective, bound, runtime=runtime,
                      time_to_first=rec.rows[0].time if rec.rows else runtime,
                      build_time=build_time + rules_s, terms=terms, statistics=stats,
                      left_out=problem.unsupported, first_by=by)
    why = ("已证明无解 proven: no timetable satisfies every 100% constraint",) \
        if status is Status.INFEASIBLE else \
        (f"{time_limit:g}秒内未找到课表 no timetable found within {time_limit:g}s",)
    return Result(status, None, runtime=runtime, build_time=build_time + rules_s,
                  statistics=stats, left_out=problem.unsupported, explanation=why)


def checked_terms(problem: FetProblem, solution: FetSolution,
                  kinds: Iterable[str] = ()) -> dict[str, float]:
    """The soft cost per rule the checker gives ``solution``: the reported terms and
    objective.

    The checker is the specification. CP-SAT's objective can be higher than this for
    a timetable it has not proven optimal, as its excess variables are only bounded
    from below. ``kinds`` (the model's rule names) are listed even at no cost.
    """
    terms = dict.fromkeys(kinds, 0.0)
    for v in check_fet(problem, solution):
        if not v.hard:
            terms[v.rule] = terms.get(v.rule, 0.0) + v.cost
    return terms


def _presolved(problem: FetProblem, exc: _Infeasible, t0: float) -> Result:
    """The result when building found an activity with no place: INFEASIBLE only when
    the checker confirms it, else UNKNOWN — the model's reading of a rule is not
    proof."""
    now = time.perf_counter() - t0
    if cannot_place(problem, exc.activity):
        return Result(Status.INFEASIBLE, None, runtime=now, build_time=now,
                      left_out=problem.unsupported, explanation=(str(exc),))
    logger.warning("presolve found activity %d impossible but the checker does not: %s",
                   exc.activity, exc)
    why = (f"未求解：{exc}（检查器未能确认 not confirmed by the checker, so not "
           f"reported as infeasible）")
    return Result(Status.UNKNOWN, None, runtime=now, build_time=now,
                  left_out=problem.unsupported, explanation=(why,))


def _hint(model: FetModel, found: object) -> None:
    """Start CP-SAT from what the search found: every variable's value when CP-SAT
    certified the search's timetable, else the start literals of the units placed."""
    hint = model.m.Proto().solution_hint
    if found.solver is not None:
        values = list(found.solver.ResponseProto().solution)
        hint.vars.extend(range(len(values)))
        hint.values.extend(values)
        return
    seen: set[int] = set()
    for i, cell in found.starts.items():
        if id(model.x[i]) in seen:     # activities starting together share literals
            continue
        seen.add(id(model.x[i]))
        for s, v in model.x[i].items():
            model.m.AddHint(v, s == cell)


def solve_fet(path: str | Path, *, time_limit: float = 60.0, workers: int = 2, seed: int = 0,
              ignore_unsupported: bool = False, log: bool = False
              ) -> tuple[Result, FetProblem]:
    """Import a ``.fet`` file and solve it; times include the import.

    Returns the result (its ``solution`` is a
    :class:`~jianfu.models.fet.FetSolution` or ``None``) and the imported problem
    (for checking and export). Raises :class:`~jianfu.models.errors.InputError` for
    bad or unsupported input (CLI exit 2).
    """
    from ...instances.fet import read_fet  # instances depend on models only

    t0 = time.perf_counter()
    problem = read_fet(path, ignore_unsupported=ignore_unsupported)
    return solve_fet_problem(problem, time_limit=time_limit, workers=workers, seed=seed,
                             log=log, t0=t0), problem


