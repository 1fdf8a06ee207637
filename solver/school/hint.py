"""A greedy start for CP-SAT: days first, then periods.

Day phase: every activity gets a day pattern shared by its parallel classes (same
cohort and subject), evenly spaced over the class's school days, doubles on their
own days, so ``parallel_step``, ``subject_once_daily`` and ``spread`` start near zero;
a class day that is full pushes a lesson to the least loaded day with room.
Period phase: day by day, lessons go to free slots (group, teacher by clock time,
venue pool), main subjects morning-first, PE away from the first period and the
period after lunch, with a one-step repair (move a lesson of the same class) when no
slot is free; leftover lessons go to days without that subject first. A last pass
swaps PE lessons so that the days left without PE (each needing an after-class
session on the sports ground) stay within the ground's capacity at activity time.
Fixed lessons (固定) go first, at their periods; then combined lessons, lessons of
several teachers or periods and activities tied to start together, each unit whole where
everything it occupies is free (:func:`_reserve_units`); the repairs and swaps never move
either. Lessons still unplaced are left to the CP-SAT completion (:func:`add_hint`).
"""

from __future__ import annotations

import logging
import time
import zlib
from collections import defaultdict

from ortools.sat.python import cp_model

from ...models.core import Problem
from ..interrupt import solve_cp
from .variables import Variables

logger = logging.getLogger(__name__)


def _pattern(count: int, doubles: int, days: list[int], offset: int) -> list[int]:
    """Day of each lesson (a double is two lessons on one day).

    The day-visits avoid adjacent days as far as possible (``spread``); among the
    equally good choices ``offset`` picks one, so subjects rotate over the week.
    """
    n = len(days)
    units = count - doubles            # day-visits: each double is one visit of two lessons
    if units >= n:
        visits = [days[(offset + i) % n] for i in range(units)]
    else:
        options = _spaced(tuple(days), units)
        visits = list(options[offset % len(options)])
    visits.sort()
    lessons = []
    for i, d in enumerate(visits):
        lessons.extend([d, d] if i < doubles else [d])
    return lessons


_SPACED: dict[tuple[tuple[int, ...], int], list[tuple[int, ...]]] = {}


def _spaced(days: tuple[int, ...], k: int) -> list[tuple[int, ...]]:
    """The k-subsets of ``days`` with the fewest pairs of adjacent days."""
    key = (days, k)
    if key not in _SPACED:
        from itertools import combinations
        combos = list(combinations(days, k))
        adj = [sum(1 for x, y in zip(c, c[1:]) if y == x + 1) for c in combos]
        best = min(adj)
        _SPACED[key] = [c for c, a in zip(combos, adj) if a == best]
    return _SPACED[key]


def _plain(problem: Problem, a: int) -> bool:
    """A unit lesson of one group with one teacher, tied to nothing: what the greedy places."""
    act = problem.activities[a]
    return (act.duration == 1 and len(act.groups) == 1 and len(act.teachers) == 1
            and a not in problem.tied)


def greedy(problem: Problem, first: list[tuple[int, int]] | None = None) -> set[tuple[int, int]]:
    """(activity, slot) pairs of a clash-free (possibly partial) timetable."""
    slots = problem.slots
    acts = problem.activities
    # --- day phase ---------------------------------------------------------------------
    allowed_by_day: list[dict[int, list[int]]] = []
    for act in acts:
        per: dict[int, list[int]] = defaultdict(list)
        for s in act.slots:
            per[slots[s].day].append(s)
        allowed_by_day.append(per)
    room: dict[tuple[int, int], int] = defaultdict(int)
    for g, group in enumerate(problem.groups):
        early = set(group.early)
        for s in group.slots:
            if s not in early:
                room[(g, slots[s].day)] += 1
    group_at: dict[tuple[int, int], int] = {}              # (group, slot) -> activity
    teacher_busy: dict[tuple[int, int], list[tuple[int, int, int]]] = defaultdict(list)
    pool_busy: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    per_teacher_day: dict[tuple[int, int], int] = defaultdict(int)
    placed: set[tuple[int, int]] = set()

    def free(a: int, s: int, ignore: int | None = None) -> bool:
        act, slot = acts[a], slots[s]
        if (act.group, s) in group_at:
            return False
        t = problem.teachers[act.teacher]
        if t.max_per_day is not None and per_teacher_day[(act.teacher, slot.day)] >= t.max_per_day:
            return False
        for st, en, other in teacher_busy[(act.teacher, slot.day)]:
            if st < slot.end and slot.start < en and other != ignore:
                return False
        for pool in act.pools:
            used = sum(1 for st, en in pool_busy[(pool, slot.day)]
                       if st < slot.end and slot.start < en)
            if used >= problem.pools[pool].capacity:
                return False
        return True

    def put(a: int, s: int) -> None:
        act, slot = acts[a], slots[s]
        group_at[(act.group, s)] = a
        teacher_busy[(act.teacher, slot.day)].append((slot.start, slot.end, s))
        per_teacher_day[(act.teacher, slot.day)] += 1
        for pool in act.pools:
            pool_busy[(pool, slot.day)].append((slot.start, slot.end))
        placed.add((a, s))

    def take(a: int, s: int) -> None:
        act, slot = acts[a], slots[s]
        del group_at[(act.group, s)]
        busy = teacher_busy[(act.teacher, slot.day)]
        busy.remove(next(b for b in busy if b[2] == s))
        per_teacher_day[(act.teacher, slot.day)] -= 1
        for pool in act.pools:
            pool_busy[(pool, slot.day)].remove((slot.start, slot.end))
        placed.discard((a, s))

    # 固定 lessons first, where they must be; kept out of ``placed`` like the units
    # below, so no repair or swap moves them
    pinned: set[tuple[int, int]] = set()
    for a, act in enumerate(acts):
        for s in act.fixed:
            if _plain(problem, a) and s in act.slots and free(a, s):
                put(a, s)
                pinned.add((a, s))
    placed -= pinned
    # combined lessons, lessons of several teachers or periods and tied activities
    # are placed first, as whole units, where all they occupy is free; the unit
    # lessons then go around them (the repairs below never move them)
    reserved = _reserve_units(problem, group_at, teacher_busy, pool_busy, per_teacher_day,
                              room)
    fixed = frozenset(a for a, _ in reserved | pinned)
    want: dict[int, list[int]] = {}
    # PE first: its days decide which days need an activity session on the ground
    order = sorted((a for a in range(len(acts)) if _plain(problem, a)),
                   key=lambda a: (not acts[a].pe, -acts[a].doubles, -acts[a].count))
    rule = problem.constraint("daily_activity")
    target = int(rule.param("minutes", 0)) if rule else 0
    session_load: dict[int, int] = defaultdict(int)      # activity slot -> sessions needed

    def sessions_for(a: int, plan: list[int]) -> list[int]:
        group = problem.groups[acts[a].group]
        at = {slots[s].day: s for s in group.activity_slots}
        out = []
        for d in group.school_days:
            fixed = group.fixed_activity_minutes[d] if group.fixed_activity_minutes else 0
            minutes = plan.count(d) * min((slots[s].minutes for s in allowed_by_day[a].get(d, ())),
                                          default=0)
            if fixed + minutes < target and d in at:
                out.append(at[d])
        return out

    def crowd(x: int) -> int:
        """Sessions already planned at any instant of activity slot ``x``."""
        return sum(k for y, k in session_load.items() if slots[y].overlaps(slots[x]))

    for a in order:
        act = acts[a]
        days = [d for d in problem.groups[act.group].school_days if allowed_by_day[a].get(d)]
        if not days:
            want[a] = []
            continue
        offset = zlib.crc32(f"{problem.groups[act.group].cohort}/{act.subject}".encode()) % len(days)
        chosen = _pattern(act.count, act.doubles, days, offset)
        if act.pe and target and act.count - act.doubles < len(days):
            # PE days decide the session days: among all day choices, the one that keeps
            # the busiest activity slot least loaded, then the best spread
            from itertools import combinations
            best = None
            for visits in combinations(days, act.count - act.doubles):
                lessons = []
                for i, d in enumerate(visits):
                    lessons.extend([d, d] if i < act.doubles else [d])
                need = sessions_for(a, lessons)
                key = (max((crowd(x) + 1 for x in need), default=0),
                       sum(1 for x, y in zip(visits, visits[1:]) if y == x + 1),
                       zlib.crc32(repr((act.group, visits)).encode()))
                if best is None or key < best[0]:
                    best = (key, lessons)
            chosen = best[1]
        if act.pe and target:
            for x in sessions_for(a, chosen):
                session_load[x] += 1
        plan = []
        for d in chosen:
            if room[(act.group, d)] <= 0 or plan.count(d) >= len(allowed_by_day[a][d]):
                alt = [e for e in days if room[(act.group, e)] > 0
                       and plan.count(e) < len(allowed_by_day[a][e])]
                if not alt:
                    continue
                d = min(alt, key=lambda e: (plan.count(e), -room[(act.group, e)]))
            plan.append(d)
            room[(act.group, d)] -= 1
        want[a] = plan
    # --- period phase --------------------------------------------------------------------

    # reserve the sports ground for the sessions the day plan needs
    if problem.session_pool is not None:
        for s_, k in session_load.items():
            for _ in range(k):
                pool_busy[(problem.session_pool, slots[s_].day)].append(
                    (slots[s_].start, slots[s_].end))

    def teacher_lessons(t: int) -> list[tuple[int, int]]:
        return [(b, s) for (b, s) in placed if acts[b].teacher == t]

    def score(a: int, s: int) -> tuple:
        act, slot = acts[a], slots[s]
        periods = {slots[x].period for _, _, x in teacher_busy[(act.teacher, slot.day)]}
        # next to the teacher's other lessons that day (or its first): no gap opens
        apart = bool(periods) and not ({slot.period - 1, slot.period + 1} & periods)
        return (act.main and slot.afternoon, act.pe and (slot.period == 0 or slot.after_lunch),
                apart, not act.main and not slot.afternoon, slot.start)

    for a, s in first or ():
        if _plain(problem, a) and s in acts[a].slots and free(a, s):
            put(a, s)
    count = defaultdict(int)
    for a, _ in placed | pinned:
        count[a] += 1
    for d in range(len(problem.days)):
        todo = [(a, want[a].count(d)) for a in order if d in want[a]]
        # teachers with the most lessons that day first
        load = defaultdict(int)
        for a, n in todo:
            load[acts[a].teacher] += n
        todo.sort(key=lambda an: (-acts[an[0]].doubles, -load[acts[an[0]].teacher],
                                  len(allowed_by_day[an[0]][d])))
        for a, n in todo:
            act = acts[a]
            cand = allowed_by_day[a][d]
            if act.doubles and n >= 2 and count[a] + 2 <= act.count:
                pairs = [(s, problem.next_slot[s]) for s in cand if problem.next_slot[s] in cand]
                for s, nx in sorted(pairs, key=lambda p: score(a, p[0])):
                    if not free(a, s):
                        continue
                    put(a, s)
                    if free(a, nx):   # checked after s is taken (daily maximum, pools)
                        put(a, nx)
                        count[a] += 2
                        n -= 2
                        break
                    take(a, s)
            for _ in range(n):
                if count[a] >= act.count:
                    break
                s = next((s for s in sorted(cand, key=lambda s: score(a, s))
                          if (a, s) not in placed and free(a, s)), None)
                if s is None:
                    s = _repair(a, cand, acts, slots, group_at, free, put, take,
                                fixed=fixed)
                if s is None:
                    continue
                put(a, s)
                count[a] += 1
    # lessons the day plan could not place: any free slot of the week, with repairs
    for a in order:
        act = acts[a]
        while count[a] < act.count:
            # days without this subject first (a second PE lesson on one day leaves
            # another day needing an activity session on the ground), then the score
            on_day = defaultdict(int)
            for b, x in placed:
                if b == a:
                    on_day[slots[x].day] += 1
            ranked = sorted(act.slots, key=lambda s: (on_day[slots[s].day], score(a, s)))
            s = next((s for s in ranked if (a, s) not in placed and free(a, s)), None)
            if s is None:
                s = _repair(a, ranked, acts, slots, group_at, free, put, take, same_day=False,
                            fixed=fixed)
            if s is None:
                s = _repair_teacher(a, problem, group_at, teacher_lessons(act.teacher),
                                    free, put, take)
            if s is None:
                break
            put(a, s)
            count[a] += 1
    if target:
        _spread_pe(problem, acts, slots, group_at, placed, free, put, take)
        if problem.session_pool is not None:
            _balance_sessions(problem, target, group_at, placed, free, put, take)
    return placed | reserved | pinned


def _units(problem: Problem) -> list[list[int]]:
    """The activities the greedy does not place one lesson at a time, as units that
    start together: each ``same_start`` record's activities (records sharing an
    activity merged), and every other combined, multi-teacher or long activity alone."""
    parent = list(range(len(problem.activities)))

    def root(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for rule in problem.records("same_start"):
        for b in rule.activities[1:]:
            parent[root(b)] = root(rule.activities[0])
    units: dict[int, list[int]] = defaultdict(list)
    for a in range(len(problem.activities)):
        if not _plain(problem, a):
            units[root(a)].append(a)
    size = {r: sum(len(problem.activities[a].groups) + len(problem.activities[a].teachers)
                   for a in members) * problem.activities[members[0]].duration
            for r, members in units.items()}
    return [units[r] for r in sorted(units, key=lambda r: (-size[r], r))]


def _reserve_units(problem: Problem, group_at: dict, teacher_busy: dict, pool_busy: dict,
                   per_teacher_day: dict, room: dict) -> set[tuple[int, int]]:
    """Place each unit of :func:`_units` count times, on different days where it can,
    where every group, teacher and pool place it needs is free; (activity, start) pairs."""
    slots, acts = problem.slots, problem.activities
    out: set[tuple[int, int]] = set()

    def fits(a: int, s: int) -> bool:
        span = problem.span(s, acts[a].duration)
        if span is None:
            return False
        day = slots[s].day
        for t in acts[a].teachers:
            most = problem.teachers[t].max_per_day
            if most is not None and per_teacher_day[(t, day)] + len(span) > most:
                return False
        for c in span:
            slot = slots[c]
            if any((g, c) in group_at for g in acts[a].groups):
                return False
            if any(st < slot.end and slot.start < en for t in acts[a].teachers
                   for st, en, _ in teacher_busy[(t, day)]):
                return False
            if any(sum(1 for st, en in pool_busy[(pool, day)]
                       if st < slot.end and slot.start < en) >= problem.pools[pool].capacity
                   for pool in acts[a].pools):
                return False
        return True

    def occupy(a: int, s: int, sign: int) -> None:
        for c in problem.span(s, acts[a].duration) or ():
            slot = slots[c]
            for g in acts[a].groups:
                if sign > 0:
                    group_at[(g, c)] = a
                else:
                    del group_at[(g, c)]
                room[(g, slot.day)] -= sign
            for t in acts[a].teachers:
                busy = teacher_busy[(t, slot.day)]
                busy.append((slot.start, slot.end, c)) if sign > 0 else \
                    busy.remove((slot.start, slot.end, c))
                per_teacher_day[(t, slot.day)] += sign
            for pool in acts[a].pools:
                busy = pool_busy[(pool, slot.day)]
                busy.append((slot.start, slot.end)) if sign > 0 else \
                    busy.remove((slot.start, slot.end))

    for members in _units(problem):
        starts = set(acts[members[0]].slots)
        for a in members[1:]:
            starts &= set(acts[a].slots)
        used_days: set[int] = set()
        for _ in range(acts[members[0]].count):
            ranked = sorted(starts, key=lambda s: (slots[s].day in used_days,
                                                   -min(room[(g, slots[s].day)]
                                                        for a in members
                                                        for g in acts[a].groups or (0,)),
                                                   slots[s].day, slots[s].start))
            for s in ranked:
                done = []
                for a in members:
                    if not fits(a, s):
                        break
                    occupy(a, s, +1)
                    done.append(a)
                if len(done) == len(members):
                    out.update((a, s) for a in members)
                    used_days.add(slots[s].day)
                    starts.discard(s)
                    break
                for a in done:
                    occupy(a, s, -1)
    return out


def _needed(problem: Problem, target: int, placed: set[tuple[int, int]]) -> dict[int, list[int]]:
    """Activity slots whose session the placed PE lessons leave necessary, by group."""
    slots = problem.slots
    pe: dict[tuple[int, int], int] = defaultdict(int)
    for a, s in placed:
        if problem.activities[a].pe:
            pe[(problem.activities[a].group, slots[s].day)] += slots[s].minutes
    out: dict[int, list[int]] = defaultdict(list)
    for g, group in enumerate(problem.groups):
        for x in group.activity_slots:
            d = slots[x].day
            fixed = group.fixed_activity_minutes[d] if group.fixed_activity_minutes else 0
            if fixed + pe[(g, d)] < target:
                out[g].append(x)
    return out


def _balance_sessions(problem, target, group_at, placed, free, put, take, rounds=200):
    """Move PE lessons onto days whose activity time is over the ground's capacity.

    A class without PE on day D needs a session on the ground at D's activity time;
    swapping one of its PE lessons (from a day D1 with room for a session) with
    another lesson of the class on D moves that need from D to D1.
    """
    slots, acts = problem.slots, problem.activities
    pool = problem.session_pool
    cap = problem.pools[pool].capacity

    def uses(x: int, need: dict[int, list[int]]) -> int:
        n = sum(1 for xs in need.values() for y in xs if slots[y].overlaps(slots[x]))
        return n + sum(1 for a, s in placed if pool in acts[a].pools and slots[s].overlaps(slots[x]))

    for _ in range(rounds):
        need = _needed(problem, target, placed)
        over = [(g, x) for g, xs in need.items() for x in xs if uses(x, need) > cap]
        if not over:
            return
        moved = False
        for g, x in over:
            day = slots[x].day
            pe_lessons = [(a, s) for a, s in placed if acts[a].group == g and acts[a].pe]
            for a, s1 in pe_lessons:
                if moved:
                    break
                at1 = next((y for y in problem.groups[g].activity_slots
                            if slots[y].day == slots[s1].day), None)
                if at1 is not None and uses(at1, need) + 1 > cap:
                    continue
                for s2 in acts[a].slots:
                    b = group_at.get((g, s2))
                    if slots[s2].day != day or b is None or acts[b].pe \
                            or s1 not in acts[b].slots or (b, s2) not in placed:
                        continue
                    if _swap(a, s1, b, s2, free, put, take):
                        moved = True
                        break
            if moved:
                break
        if not moved:
            return


def _swap(a, s1, b, s2, free, put, take) -> bool:
    """Move lesson ``a`` from ``s1`` to ``s2`` and ``b`` from ``s2`` to ``s1`` if both fit;
    otherwise leave both where they were."""
    take(a, s1)
    take(b, s2)
    if free(a, s2):
        put(a, s2)
        if free(b, s1):
            put(b, s1)
            return True
        take(a, s2)
    put(b, s2)
    put(a, s1)
    return False


def _spread_pe(problem, acts, slots, group_at, placed, free, put, take):
    """Swap a PE lesson off a day with two for another lesson of the class on a day
    without PE: every day without PE needs an activity session on the sports ground,
    whose capacity the day plan has balanced."""
    for a, act in enumerate(acts):
        if not act.pe or act.doubles:
            continue
        mine = sorted(s for b, s in placed if b == a)
        days = {slots[s].day for s in mine}
        for s1 in mine:
            if sum(1 for s in mine if slots[s].day == slots[s1].day) < 2:
                continue
            done = False
            for s2 in acts[a].slots:
                b = group_at.get((act.group, s2))
                if b is None or b == a or slots[s2].day in days or s1 not in acts[b].slots \
                        or (b, s2) not in placed:       # a unit placed whole stays
                    continue
                if _swap(a, s1, b, s2, free, put, take):
                    done = True
                    break
            if done:
                mine = sorted(s for b, s in placed if b == a)
                days = {slots[s].day for s in mine}


def _repair(a, cand, acts, slots, group_at, free, put, take, same_day=True, fixed=frozenset()):
    """Free a slot for ``a`` by moving the class's lesson there to another free slot
    (never one of the ``fixed`` activities, placed as units)."""
    g = acts[a].group
    for s in cand:
        b = group_at.get((g, s))
        if b is None or b == a or b in fixed:
            continue
        take(b, s)
        if free(a, s):
            for s2 in acts[b].slots:
                if s2 != s and (not same_day or slots[s2].day == slots[s].day) \
                        and free(b, s2):
                    put(b, s2)
                    if free(a, s):   # re-check: b may share a's teacher or pool
                        return s
                    take(b, s2)
        put(b, s)
    return None


def _repair_teacher(a, problem, group_at, lessons, free, put, take):
    """Free a class slot of ``a`` by moving its teacher's clashing lesson elsewhere."""
    act = problem.activities[a]
    for s in act.slots:
        if (act.group, s) in group_at:
            continue
        slot = problem.slots[s]
        for b, s1 in lessons:
            if not problem.slots[s1].overlaps(slot):
                continue
            take(b, s1)
            if free(a, s):
                put(a, s)   # reserve s while looking for a new home for b
                home = next((s2 for s2 in problem.activities[b].slots
                             if s2 != s1 and free(b, s2)), None)
                take(a, s)
                if home is not None:
                    put(b, home)
                    return s
            put(b, s1)
    return None


def add_hint(model: cp_model.CpModel, problem: Problem, v: Variables,
             kept: list | None = None, *, time_limit: float = 5.0, seed: int = 0
             ) -> cp_model.CpSolver | None:
    """Warm start: complete the greedy timetable with CP-SAT, hint every variable.

    A copy of the model has the greedy's lessons fixed (classes the greedy left
    incomplete stay free), each activity's
    fixings under one assumption literal per activity; its first solution (sessions, indicators and
    the lessons the greedy missed) becomes a full hint, so the search starts from a
    compliant timetable. When the fixed lessons cannot be completed, the activities in
    CP-SAT's infeasibility core are freed and the completion is retried (a few rounds
    within ``time_limit``). When no completion is found the lesson variables are
    hinted alone.

    Returns
    -------
    CpSolver or None
        The solver holding the completed solution (read any variable or expression of
        ``model`` with its ``Value``/``BooleanValue``: the copy keeps the model's
        variable indices), or ``None`` when the hint is partial.
    """
    deadline = time.perf_counter() + max(0.1, time_limit)
    # fixed lessons (固定) first, then the kept ones
    first = [(a, s) for a, act in enumerate(problem.activities) for s in act.fixed]
    first += [(acts[0], s) for _, acts, s in kept or () if acts and s is not None]
    placed = greedy(problem, first)
    by_act: dict[int, set[int]] = defaultdict(set)
    for a, s in placed:
        by_act[a].add(s)
    n_vars = len(model.Proto().variables)
    trial = model.Clone()
    loose: set[int] = set()    # classes the completion may rearrange
    for a, act in enumerate(problem.activities):
        mine = by_act.get(a, set())
        pairs, used = 0, set()
        for s in sorted(mine):
            nxt = problem.next_slot[s]
            if s not in used and nxt in mine and nxt not in used:
                used.update((s, nxt))
                pairs += 1
        if len(mine) < act.count or pairs < act.doubles:
            loose.update(act.groups)
    fix: dict[int, cp_model.IntVar] = {}   # activity -> assumption "keep its greedy lessons"
    for a, act in enumerate(problem.activities):
        if loose & set(act.groups) or not by_act.get(a):
            continue
        lit = fix[a] = trial.NewBoolVar(f"keep[{a}]")
        for s in by_act[a]:
            trial.AddImplication(lit, trial.GetBoolVarFromProtoIndex(v.x[(a, s)].Index()))
    # the greedy lessons as a hint too, for the classes freed below
    for (a, s), var in v.x.items():
        trial.AddHint(trial.GetBoolVarFromProtoIndex(var.Index()), (a, s) in placed)
    # feasibility only: every auxiliary variable is defined exactly, so the first
    # solution's terms are the true ones without the objective's presolve work
    trial.ClearObjective()
    solver = _fixed_completion(trial, problem, v, fix, by_act, deadline, seed)
    if solver is not None:
        _hint_from(model, solver, n_vars)
        logger.debug("warm start complete with the greedy's lessons fixed, %d activities", len(fix))
        return solver
    of_lit = {lit.Index(): a for a, lit in fix.items()}
    for round_ in range(8):
        left = deadline - time.perf_counter()
        if left <= 0.05:
            break
        trial.ClearAssumptions()
        trial.AddAssumptions(list(fix.values()))
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = left
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = seed
        solver.parameters.stop_after_first_solution = True
        code, signum = solve_cp(solver, trial)
        if signum is not None:
            break
        if code in (cp_model.FEASIBLE, cp_model.OPTIMAL):
            _hint_from(model, solver, n_vars)
            logger.debug("warm start complete after %d round(s), %d activities kept",
                         round_ + 1, len(fix))
            return solver
        if code != cp_model.INFEASIBLE or not fix:
            break
        core = [of_lit[i] for i in solver.SufficientAssumptionsForInfeasibility()
                if i in of_lit]
        # free the core's activities (all of them when CP-SAT names none)
        for a in core or list(fix):
            fix.pop(a, None)
        logger.debug("warm start: freeing %d activities (%s)", len(core) or len(of_lit),
                     "core" if core else "no core")
    for key, var in v.x.items():
        model.AddHint(var, key in placed)
    return None


def _hint_from(model: cp_model.CpModel, solver: cp_model.CpSolver, n_vars: int) -> None:
    """Hint every variable of ``model`` with ``solver``'s solution of a copy of it."""
    values = solver.ResponseProto().solution
    model.ClearHints()
    for i in range(n_vars):
        model.AddHint(model.GetIntVarFromProtoIndex(i), values[i])


#: CP-SAT's deterministic time (work, not seconds) the fixed completion may take before
#: the assumption rounds take over. Work does not stretch when other processes share the
#: cores: a 30-class junior school's completion is 0.48 units (1.7 s idle), and with a
#: 2-second wall cap it timed out with two other processes on the two cores, leaving
#: the school with no timetable in 132 s of a 50-school district run.
COMPLETION_WORK = 2.0


def _fixed_completion(trial: cp_model.CpModel, problem: Problem, v: Variables,
                      fix: dict[int, cp_model.IntVar], by_act: dict[int, set[int]],
                      deadline: float, seed: int) -> cp_model.CpSolver | None:
    """The completion with every kept activity's lessons fixed in the domains, not
    under assumptions: presolve then settles the fixed part at once (a complete
    greedy timetable of 36 classes: 0.3 s instead of 7 s). ``None`` when the fixed
    lessons cannot be completed (the caller then frees CP-SAT's core) or on time-out.
    Every domain is restored before returning."""
    if not fix:
        return None
    proto = trial.Proto()
    changed = []
    for a in fix:
        for s, var in v.of_activity[a]:
            dom = proto.variables[var.Index()].domain
            changed.append((var.Index(), dom[0], dom[1]))
            dom[0] = dom[1] = int(s in by_act[a])
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, deadline - time.perf_counter())
    solver.parameters.max_deterministic_time = COMPLETION_WORK
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.stop_after_first_solution = True
    try:
        code, _ = solve_cp(solver, trial)
    finally:
        for i, lo, hi in changed:
            dom = proto.variables[i].domain
            dom[0], dom[1] = lo, hi
    return solver if code in (cp_model.FEASIBLE, cp_model.OPTIMAL) else None
