"""Repair: a full timetable of the search that breaks rules the search does not know.

Recursive swapping keeps only the rules it models (capacities, pair rules, the
per-resource counts of :mod:`~jianfu.solver.fet.data`); a file with another 100 %
rule (a tag's max hours continuously, min days per week, …) gets full timetables
from it that :func:`~jianfu.solver.fet.certify.certify` refuses, and before this
module the race ended there with nothing. :func:`repair` asks the checker which
rules the timetable breaks and whose lessons they are about, frees those lessons
(and, round by round, more of their teachers' and students' lessons), keeps every
other lesson where the search put it, and lets CP-SAT place the freed ones against
the whole model. A timetable it finds is a timetable of the whole model, as a
certified one is.
"""

import logging
import time

from ortools.sat.python import cp_model

from ...models.fet import ROOM_KINDS, FetProblem, FetSolution, Placement, matches_filter
from ...models.fet_check import CHECKS, broken_rules
from .certify import first_solution, fixed_copy

logger = logging.getLogger(__name__)

#: Rules a timetable without rooms can be checked against (rooms are CP-SAT's choice).
TIME_KINDS = frozenset(k for k in CHECKS if k not in ROOM_KINDS and "Room" not in k
                       and "Building" not in k and k != "BasicCompulsorySpace")
#: Seconds CP-SAT gets per round, and the rounds of growing the freed lessons.
ROUND_S = 4.0


def broken_lessons(problem: FetProblem, starts: dict[int, tuple[int, int]]) -> set[int]:
    """Indices of the activities the hard time rules ``starts`` breaks are about: the
    rule's activities, narrowed to the teacher, students and day the checker names."""
    acts = problem.activities
    solution = FetSolution({acts[i].id: Placement(d, h) for i, (d, h) in starts.items()})
    teacher = {n: k for k, n in enumerate(problem.teachers)}
    subgroup = {n: k for k, n in enumerate(problem.subgroups)}
    day = {n: k for k, n in enumerate(problem.days)}
    out: set[int] = set()
    for c, v in broken_rules(problem, solution, TIME_KINDS):
        if c.get("activities") is not None:
            scope = [problem.index_of(a) for a in c.get("activities")]
        elif c.get("activity") is not None:
            scope = [problem.index_of(c.get("activity"))]
        else:
            subs = c.get("subgroups")
            scope = [i for i, a in enumerate(acts) if matches_filter(problem, a, c)
                     and (subs is None or not set(subs).isdisjoint(a.subgroups))]
        t, s, d = teacher.get(v.teacher), subgroup.get(v.cls), day.get(v.day)
        out.update(i for i in scope if i in starts
                   and (t is None or t in acts[i].teachers)
                   and (s is None or s in acts[i].subgroups)
                   and (d is None or starts[i][0] == d))
    return out


def _grow(problem: FetProblem, starts: dict[int, tuple[int, int]], free: set[int], *,
          teachers: bool, same_day: bool) -> set[int]:
    """``free`` and every lesson sharing a subgroup (and with ``teachers`` a teacher)
    with one of them, on one of its days when ``same_day``."""
    acts = problem.activities

    def keys(i: int, d: int) -> set[tuple[str, int, int]]:
        day = d if same_day else -1
        out = {("s", s, day) for s in acts[i].subgroups}
        if teachers:
            out |= {("t", t, day) for t in acts[i].teachers}
        return out

    near = set().union(*(keys(i, starts[i][0]) for i in free))
    return free | {i for i, (d, _) in starts.items() if keys(i, d) & near}


#: The rounds' neighbourhoods: (grow by teachers too, only on the lessons' days).
GROWTH = ((False, True), (True, True), (False, False), (True, False))


def repair(fm: object, problem: FetProblem, starts: dict[int, tuple[int, int]], *,
           deadline: float, seed: int = 0, workers: int = 2) -> cp_model.CpSolver | None:
    """A timetable of the whole model near ``starts`` (a full placement of the search
    that certification refused), or ``None`` by ``deadline`` (perf_counter).

    Rounds (:data:`GROWTH`): the broken rules' lessons, then with their students'
    other lessons that day, their teachers' too, then their students' all week, then
    their teachers' too; each round every other lesson keeps its start, CP-SAT starts
    from the search's and stops at its first timetable (at most :data:`ROUND_S` × the
    round's number seconds, or what is left). A round proven impossible ends at once
    and the next frees more.
    """
    t = time.perf_counter()
    free = broken_lessons(problem, starts)
    if not free:        # only rooms are wrong: nothing here says which lessons to move
        logger.info("repair: no time rule broken, nothing to free")
        return None
    n_rules = len(free)
    for k in range(len(GROWTH) + 1):
        if k:
            free = _grow(problem, starts, free, teachers=GROWTH[k - 1][0],
                         same_day=GROWTH[k - 1][1])
        left = deadline - time.perf_counter()
        if left <= 0.2:
            break
        m = fixed_copy(fm, starts, frozenset(free))
        solver = first_solution(m, min(ROUND_S * (k + 1), left), workers, seed)
        logger.info("repair round %d: %d of %d lessons free (%d in broken rules): %s, %.2f s",
                    k, len(free), len(starts), n_rules, "found" if solver else "none",
                    time.perf_counter() - t)
        if solver is not None:
            return solver
    return None
