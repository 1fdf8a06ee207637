"""FET's recursive swapping, for a first FET timetable that CP-SAT then certifies.

FET itself is a heuristic: it places activities one at a time, hardest first, and
when one does not fit it pushes out what is in the way and places those in turn
(ejection chains, "recursive swapping"). On files where every class and teacher is
busy nearly every hour CP-SAT's tree search can need many seconds for a first
timetable (Namibia/MAPS: 10 s) while ejection chains need well under one, and on
files with slack it is the other way round (Brazil). So the FET engine runs both
side by side (:func:`race`: CP-SAT on one core, the numba-compiled search on the
other, without the GIL) and takes whichever timetable comes first:

* *units*: activities that must start together (100 % ActivitiesSameStartingTime)
  move as one; a unit starts only where its CP-SAT literals exist, so every hard
  unary rule (breaks, not-available times, preferred starting times / time slots)
  holds by construction;
* *resources* with a capacity per hour, never exceeded: teachers and subgroups (1);
  a pool of interchangeable rooms (its size); every room (1, 0 where it is not
  available). An activity that must use one of a few rooms picks its room with
  its start (a placement is a start and a room, as in FET); room choices the
  search cannot make that way count as capacities of room sets (necessary only);
* 100 % pair rules, never broken: MinDaysBetweenActivities, consecutive-if-same-day
  (at any weight, as FET enforces it), TwoActivitiesConsecutive,
  ActivitiesSameStartingHour / Day, MinGapsBetweenActivities, ActivitiesNotOverlapping
  and an activity ending its students' day (with each other lesson of its subgroups);
* 100 % per-resource rules — max hours daily, max days per week, min hours daily,
  max gaps per day / week, early max beginnings at second hour, max hours
  continuously, max days with a lesson in an interval of hours — through a lower
  bound on their final violation (:func:`_lower_cost`) that must stay 0: what only
  grows as lessons are added counts in full, what the lessons still to place could
  mend counts beyond their number. As in FET, some rules also say who must leave:
  a start that would open a day too many for a teacher pushes out the teacher's
  lightest other day (:func:`_free_a_day`), one that leaves too many days short of
  a teacher's or class's minimum hours pushes out the lessons of its shortest day
  (:func:`_empty_short_days`), and a forced placement that leaves too
  many gaps pushes out units at the ends of the teacher's days (:func:`_mend_gaps`);
* full resources (every available hour taken: the classes of FGPS and
  secondary_school) and the partners they share lessons with: a start that leaves
  a pair fewer common free hours than their shared lessons still need
  (:func:`_sync_ok`) counts as one more unit in the way, so a subgroup's lesson
  alone goes beside its partner's lesson alone, not beside a free hour.

When no ejection chain places a unit, it is forced in at the start whose units in
the way were pushed out from there the fewest times in this attempt (FET's "tried
removals"), then by fewest units in the way; those units wait on the stack.

The search runs in episodes of 4 × units steps, each from the best state of the
current attempt; an episode that gains nothing ends the attempt and the next one
starts from an empty timetable with a new seed (measured on the development files:
better than carrying on from where an episode ended, and than always going back
to the best state). :func:`race` runs a second search with another seed on
CP-SAT's core once CP-SAT has had :data:`TREE_S` seconds.

The search's answer is then given to CP-SAT as fixed starts on a copy of the whole
model (:func:`certify`): CP-SAT picks the rooms and checks every rule, so a
timetable only counts when the full model accepts it. A full placement it refuses
(a rule the search does not model is broken) goes to
:func:`~jianfu.solver.fet.repair.repair`, which moves the broken rules' lessons
and keeps the rest. Where every soft rule is a
MinDaysBetweenActivities, :func:`polish` then mends broken pairs with the same
search before CP-SAT optimises. The data (four records of arrays: grid, units,
resources, pair rules), the kernels and certification are in
:mod:`~jianfu.solver.fet.data`, :mod:`~jianfu.solver.fet.kernels` and
:mod:`~jianfu.solver.fet.certify`; :mod:`~jianfu.solver.fet.twin` is a plain-Python
twin of the central move, one ejection chain, that the tests hold the kernel to.
"""



import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from ...models.fet import FetProblem
from ..interrupt import interruptible
from ..result import BY_CP_SAT, BY_REPAIR, BY_SEARCH
from .certify import certify
from .data import (
    MAX_CALLS,
    MAX_LEVEL,
    SearchData,
    _min_days_penalty,
    _soft_min_days,
    pair_rules,
    search_data,
)
from .kernels import swap_search
from .repair import repair

logger = logging.getLogger(__name__)

#: Steps per episode per unit, and of the first episode (run whatever the deadline).
EPISODE, FIRST = 4, 200
#: In :func:`race`: seconds CP-SAT gets before its core goes to a second search, and
#: what that search adds to the seed (1.5 s rather than 4 s since the search runs
#: without reference counting: secondary_school's first timetable, seeds 0–5, median
#: 2.47 s instead of 2.65 s, seed 3 4.42 s instead of 6.82 s; CP-SAT's one win,
#: Hopwood, takes 0.02–0.09 s).
TREE_S, SECOND_SEED = 1.5, 7919
#: Steps of recursive swapping per :func:`polish` move, and the seconds a second chain
#: of moves may spend finding a first timetable of its own to start from.
POLISH_STEPS, FRESH_S = 300, 10.0


@dataclass(frozen=True, slots=True)
class SearchOutcome:
    """What :func:`first_timetable` or :func:`race` found.

    ``solver``: a CP-SAT solver holding a timetable of the whole model, or ``None``;
    ``starts``: activity index → (day, hour) for the units placed; ``left``: units
    left unplaced; ``search_s`` / ``certify_s``: seconds in the search and in CP-SAT's
    check; ``by``: which method found the timetable (:data:`BY_SEARCH`,
    :data:`BY_CP_SAT`; empty when none); ``build_s``: seconds :func:`race` spent
    building the model's rules beside its first search (part of ``search_s``);
    ``codes``: the search's placement code per unit of ``data`` (for :func:`polish`;
    ``None`` when CP-SAT found the timetable).
    """

    solver: cp_model.CpSolver | None
    starts: dict[int, tuple[int, int]]
    left: int
    search_s: float
    certify_s: float
    by: str = ""
    build_s: float = 0.0
    codes: np.ndarray | None = None
    data: SearchData | None = None


def first_timetable(fm: object, problem: FetProblem, *, deadline: float, seed: int = 0,
                    stop: np.ndarray | None = None) -> SearchOutcome:
    """Recursive swapping until every unit is placed, ``deadline`` (perf_counter) or
    ``stop[0]`` set by another thread, then :func:`certify` when all are placed."""
    t = time.perf_counter()
    data = search_data(fm, problem)
    codes = np.full(data.n_units, -1, np.int64)
    starts, left = place_units(fm, problem, deadline=deadline, seed=seed, stop=stop, data=data,
                               codes=codes)
    search_s = time.perf_counter() - t
    solver, by = _certified(fm, problem, starts, left, deadline=deadline, seed=seed, workers=1)
    return SearchOutcome(solver, starts, left, search_s, time.perf_counter() - t - search_s,
                         by, codes=codes if by == BY_SEARCH else None, data=data)


def _certified(fm: object, problem: FetProblem, starts: dict[int, tuple[int, int]], left: int,
               *, deadline: float, seed: int, workers: int
               ) -> tuple[cp_model.CpSolver | None, str]:
    """The search's full placement as a timetable of the whole model, and how it was
    found: :func:`certify` as it is, else :func:`~jianfu.solver.fet.repair.repair`
    until ``deadline``; ``(None, "")`` when neither gives one, or units are left."""
    if left:
        return None, ""
    solver = certify(fm, starts, deadline=max(deadline, time.perf_counter() + 1.0), seed=seed)
    if solver is not None:
        return solver, BY_SEARCH
    solver = repair(fm, problem, starts, deadline=deadline, seed=seed, workers=workers)
    return (solver, BY_REPAIR) if solver is not None else (None, "")


def place_units(fm: object, problem: FetProblem, *, deadline: float, seed: int = 0,
                stop: np.ndarray | None = None, data: SearchData | None = None,
                codes: np.ndarray | None = None) -> tuple[dict[int, tuple[int, int]], int]:
    """Recursive swapping in episodes until every unit is placed, ``deadline``
    (perf_counter) or ``stop[0]`` is set (by another thread; this function sets it
    at the deadline).

    Returns activity index → (day, hour) for the units placed in the best state
    found, and the number of units left unplaced there (0: a full timetable, not yet
    certified). ``data``: :func:`search_data` of ``fm``, when the caller has it;
    ``codes`` (one per unit), when given, receives the best state's placement codes.
    """
    t = time.perf_counter()
    stop = np.zeros(1, np.int64) if stop is None else stop
    data = search_data(fm, problem) if data is None else data
    U = data.n_units
    start = np.full(U, -1, np.int64)
    best = start.copy()            # best state of the current attempt ...
    best_all = start.copy()        # ... and of all attempts
    order = np.argsort(-data.difficulty, kind="stable")
    left = left_all = U + 1
    # times each unit was pushed out from each start in this attempt (FET's "tried
    # removals"): the fallback placement avoids repeating itself
    tried = np.zeros((U, int(data.units.dom_cell.max()) + 1), np.int64)

    # the kernel cannot read the clock: a timer sets the flag it reads at the deadline,
    # started after a first short episode, which always runs (it compiles the kernels,
    # once per machine, ≈ 10 s, or loads them from numba's cache)
    timer = None
    rounds = 0
    while left_all and not stop[0]:
        if rounds == 1:
            timer = threading.Timer(max(0.0, deadline - time.perf_counter()),
                                    stop.__setitem__, (0, 1))
            timer.daemon = True
            timer.start()
        # episodes of EPISODE × units steps, each from the attempt's best state; an
        # episode that gains nothing ends the attempt and the next starts afresh
        # (measured: better than carrying on, and than starting again from the best)
        t1 = time.perf_counter()
        before = left
        left = int(swap_search(
            data.grid, data.units, data.res, data.pairs, order, start, best, left,
            EPISODE * U if rounds else FIRST, MAX_LEVEL, MAX_CALLS, seed + rounds, stop, tried))
        logger.debug("episode %d: %d units left (best %d), %.2f s", rounds, left,
                     min(left, left_all), time.perf_counter() - t1)
        rounds += 1
        if left < left_all:
            left_all = left
            best_all[:] = best
        if left < before:
            start[:] = best
        else:
            start[:] = -1
            tried[:] = 0
            left = U + 1
    if timer is not None:
        timer.cancel()
    start, left = best_all, left_all
    if codes is not None:
        codes[:] = start
    H = data.grid.n_hours
    DH = data.grid.n_days * H
    starts = {i: (int(start[u]) % DH // H, int(start[u]) % H) for i, u in enumerate(data.unit_of)
              if start[u] >= 0}
    left = min(left, U)                 # U + 1: no episode ran (stopped at once)
    logger.info("recursive swapping: %d of %d units left, %.2f s", left, U,
                time.perf_counter() - t)
    return starts, left


def race(fm: object, problem: FetProblem, *, deadline: float, workers: int, seed: int = 0,
         tree_s: float = TREE_S, build: Callable[[], None] | None = None) -> SearchOutcome:
    """CP-SAT (``workers`` − 1 workers) and recursive swapping side by side, until one
    of them has a timetable of the whole model or ``deadline`` (perf_counter).

    Neither is better everywhere: CP-SAT's tree search finds Brazil in about two
    seconds where the randomised search can stall for ten, the search finds the
    packed files (MAPS, secondary_school) CP-SAT needs minutes for. The search runs
    in numba without the GIL, so the two use one core each. CP-SAT gets ``tree_s``
    seconds; when it has found nothing by then, its core goes to a second search
    with another seed (the search's time to a timetable varies a lot from seed to
    seed, so two seeds side by side are surer than one for twice as long). The first
    to finish stops the others; a complete placement of a search still needs
    :func:`certify`.

    ``build``: what is left of building ``fm`` after
    :meth:`~jianfu.solver.fet.model.FetModel.build_grid` (its rules); it runs here
    while the first search already does (the search reads only the grid), and CP-SAT
    starts once it is done.
    """
    t = time.perf_counter()
    stop = np.zeros(1, np.int64)
    data = search_data(fm, problem)     # read-only for the kernel: both searches share it
    first: list[tuple[dict[int, tuple[int, int]], int]] = []
    second: list[tuple[dict[int, tuple[int, int]], int]] = []
    done: list[int] = []
    codes = [np.full(data.n_units, -1, np.int64) for _ in range(2)]

    def search() -> None:
        first.append(place_units(fm, problem, deadline=deadline, seed=seed, stop=stop,
                                 data=data, codes=codes[0]))
        if not first[0][1]:
            stop[0] = 1

    searching = threading.Thread(target=search, name="jianfu-search", daemon=True)
    searching.start()
    t_build = time.perf_counter()
    if build is not None:
        build()
    build_s = time.perf_counter() - t_build
    cp = cp_model.CpSolver()
    cp.parameters.max_time_in_seconds = max(0.1, min(deadline - time.perf_counter(), tree_s))
    cp.parameters.num_workers = max(1, workers - 1)
    cp.parameters.random_seed = seed
    cp.parameters.stop_after_first_solution = True

    def other_core() -> None:
        if stop[0]:
            return
        done.append(cp.Solve(fm.m))
        if done[0] != cp_model.UNKNOWN:     # found, or proven infeasible
            stop[0] = 1
        elif not stop[0] and time.perf_counter() < deadline:
            second.append(place_units(fm, problem, deadline=deadline, seed=seed + SECOND_SEED,
                                      stop=stop, data=data, codes=codes[1]))
            if not second[0][1]:
                stop[0] = 1

    other = threading.Thread(target=other_core, name="jianfu-race", daemon=True)
    other.start()
    with interruptible(lambda: stop.__setitem__(0, 1), cp.stop_search):
        while searching.is_alive() or other.is_alive():
            if stop[0] and not done:        # stop_search is a no-op before Solve has begun
                cp.stop_search()
            searching.join(0.05)
            other.join(0.0 if searching.is_alive() else 0.05)
    search_s = time.perf_counter() - t
    if done and done[0] in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        logger.info("race: CP-SAT first, %.2f s", search_s)
        return SearchOutcome(cp, {}, 0, search_s, 0.0, BY_CP_SAT, build_s)
    starts, left = first[0]
    won = codes[0]
    if second and second[0][1] < left:
        starts, left = second[0]
        won = codes[1]
    solver, by = _certified(fm, problem, starts, left, deadline=deadline, seed=seed,
                            workers=workers)
    logger.info("race: %s, %.2f s", f"{by} first" if by else "recursive swapping none",
                search_s)
    return SearchOutcome(solver, starts, left, search_s, time.perf_counter() - t - search_s,
                         by, build_s, won if by == BY_SEARCH else None, data)


def polish(fm: object, problem: FetProblem, found: SearchOutcome, *, deadline: float,
           seed: int = 0, steps: int = POLISH_STEPS, chains: int = 2) -> SearchOutcome | None:
    """Mend soft MinDaysBetweenActivities by recursive swapping, until ``deadline``.

    Only for files whose soft constraints are all MinDays (so fewer broken pairs is a
    better timetable, whatever else moves). A move: the soft pairs held now become
    hard, and one broken pair too; both its units are taken out and the search
    (``steps`` steps) puts them back with whatever must move (taking out one of the
    two, secondary_school's soft penalty after 60 s over seeds 0–5 had a median of
    13.3 instead of 11.9, worse on 4 seeds of 6, better on one). A move that places
    everything and lowers the weighted penalty is kept. The search's first timetable
    breaks nearly every soft MinDays (it ignores them), and CP-SAT mends about one
    every two seconds; this mends the first ones several times faster
    (secondary_school: 50 → 15 in 20 s).

    ``chains`` chains of moves run side by side (threads; the search runs without
    the GIL), each with its own seed, and the best end CP-SAT certifies wins: the
    first chain starts from the first timetable, the others each from a first
    timetable of their own (recursive swapping with the chain's seed, at most
    :data:`FRESH_S` seconds or a third of the chain's time; the race's when none is
    found). The descent stalls near where it starts, so different starts beat more
    moves from one start. secondary_school's soft penalty after 60 s, per seed:

    ====================================  ====  =====  =====  =====  ====  =====
    chains                                0     1      2      3      4     5
    ====================================  ====  =====  =====  =====  ====  =====
    one                                   5.7   10.45  19.95  10.45  6.65  10.45
    two sharing their best timetable      4.75  12.35  18.05  7.6    5.7   8.55
    two from the same timetable           3.8   10.45  15.2   8.55   6.65  9.5
    two, the second from its own          3.8   10.45  2.85   9.5    6.65  10.45
    ====================================  ====  =====  =====  =====  ====  =====

    Returns the certified better timetable, or ``None`` when there is none (nothing
    to mend, not applicable, or no gain).
    """
    if found.codes is None or found.data is None or found.solver is None:
        return None
    if any(not c.hard and c.weight > 0 and c.kind != "MinDaysBetweenActivities"
           for c in problem.constraints):
        return None
    t = time.perf_counter()
    data = found.data
    soft = np.array(_soft_min_days(problem, data.unit_of), np.int64).reshape(-1, 7)
    pen = _min_days_penalty(soft, found.codes, data)
    if (found.codes < 0).any() or not pen.any():
        return None
    before = int(pen.sum())
    ends: list[tuple[int, int, int, np.ndarray]] = []   # (penalty, chain, moves, codes)
    threads = [threading.Thread(target=lambda k=k: ends.append(_polish_chain(
        fm, problem, k, found.codes, pen, soft, data, deadline, seed + k * SECOND_SEED,
        steps)),
        name=f"jianfu-polish-{k}", daemon=True) for k in range(max(1, chains))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    ends.sort(key=lambda e: e[:2])
    logger.info("polish: soft MinDays %.2f -> %s, %d moves, %.2f s", before / 1e4,
                " / ".join(f"{e[0] / 1e4:.2f}" for e in sorted(ends, key=lambda e: e[1])),
                ends[0][2], time.perf_counter() - t)
    H, DH = data.grid.n_hours, data.grid.n_days * data.grid.n_hours
    for penalty, _, _, codes in ends:       # the best end CP-SAT certifies
        if penalty >= before:
            break
        starts = {i: (int(codes[u]) % DH // H, int(codes[u]) % H)
                  for i, u in enumerate(data.unit_of)}
        solver = certify(fm, starts, deadline=time.perf_counter() + 5.0, seed=seed)
        if solver is not None:
            return SearchOutcome(solver, starts, 0, found.search_s, found.certify_s,
                                 found.by, found.build_s, codes, data)
    return None


def _polish_chain(fm: object, problem: FetProblem, k: int, codes: np.ndarray, pen: np.ndarray,
                  soft: np.ndarray, data: SearchData, deadline: float, seed: int, steps: int
                  ) -> tuple[int, int, int, np.ndarray]:
    """Chain ``k`` of :func:`polish`'s moves, from ``codes`` (its penalty per soft pair
    in ``pen``) when ``k`` is 0, else from a first timetable of its own when the
    search finds one in :data:`FRESH_S` seconds (at most a third of the chain's
    time); returns (penalty, ``k``, moves kept, codes) at ``deadline``."""
    U = len(codes)
    if k:
        own = np.full(U, -1, np.int64)
        now = time.perf_counter()
        _, left = place_units(fm, problem, deadline=now + min(FRESH_S, (deadline - now) / 3),
                              seed=seed, data=data, codes=own)
        if not left:
            codes, pen = own, _min_days_penalty(soft, own, data)
    order = np.argsort(-data.difficulty, kind="stable")
    rng = np.random.default_rng(seed)
    penalty = int(pen.sum())
    moves = 0
    while time.perf_counter() < deadline and penalty:
        q = rng.choice(np.flatnonzero(pen))
        keep = np.flatnonzero(pen == 0).tolist() + [q]
        pairs = pair_rules(np.vstack([data.pairs.rows, soft[keep, :6]]), U)
        start = codes.copy()
        start[soft[q, :2]] = -1
        best = start.copy()
        left = swap_search(
            data.grid, data.units, data.res, pairs, order, start, best, U + 1, steps,
            MAX_LEVEL, MAX_CALLS, int(rng.integers(1 << 30)), np.zeros(1, np.int64),
            np.zeros((U, int(data.units.dom_cell.max()) + 1), np.int64))
        if left == 0:
            new = _min_days_penalty(soft, best, data)
            if new.sum() < penalty:
                codes, pen, penalty = best, new, int(new.sum())
                moves += 1
    return penalty, k, moves, codes


