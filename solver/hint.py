"""A greedy start for CP-SAT: days first, then periods.

Day phase: every activity gets a day pattern shared by its parallel classes (same
cohort and subject), evenly spaced over the class's school days, doubles on their
own days, so ``parallel_step``, ``subject_once_daily`` and ``spread`` start near zero;
a class day that is full pushes a lesson to the least loaded day with room.
Period phase: day by day, lessons go to free slots (group, teacher by clock time,
venue pool), main subjects morning-first, PE away from the first period and the
period after lunch, with a one-step repair (move a lesson of the same class) when no
slot is free. Lessons still unplaced are left to the solver: the hint only guides it.
"""

from __future__ import annotations

import zlib
from collections import defaultdict

from ortools.sat.python import cp_model

from ..models.core import Problem
from .variables import Variables


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
    want: dict[int, list[int]] = {}
    # PE first: its days decide which days need an activity session on the ground
    order = sorted(range(len(acts)), key=lambda a: (not acts[a].pe, -acts[a].doubles,
                                                    -acts[a].count))
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
                key = (max((session_load[x] + 1 for x in need), default=0),
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
        if act.pool is not None:
            used = sum(1 for st, en in pool_busy[(act.pool, slot.day)]
                       if st < slot.end and slot.start < en)
            if used >= problem.pools[act.pool].capacity:
                return False
        return True

    def put(a: int, s: int) -> None:
        act, slot = acts[a], slots[s]
        group_at[(act.group, s)] = a
        teacher_busy[(act.teacher, slot.day)].append((slot.start, slot.end, s))
        per_teacher_day[(act.teacher, slot.day)] += 1
        if act.pool is not None:
            pool_busy[(act.pool, slot.day)].append((slot.start, slot.end))
        placed.add((a, s))

    def take(a: int, s: int) -> None:
        act, slot = acts[a], slots[s]
        del group_at[(act.group, s)]
        busy = teacher_busy[(act.teacher, slot.day)]
        busy.remove(next(b for b in busy if b[2] == s))
        per_teacher_day[(act.teacher, slot.day)] -= 1
        if act.pool is not None:
            pool_busy[(act.pool, slot.day)].remove((slot.start, slot.end))
        placed.discard((a, s))

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
        if s in acts[a].slots and free(a, s):
            put(a, s)
    count = defaultdict(int)
    for a, _ in placed:
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
                    s = _repair(a, cand, acts, slots, group_at, free, put, take)
                if s is None:
                    continue
                put(a, s)
                count[a] += 1
    # lessons the day plan could not place: any free slot of the week, with repairs
    for a in order:
        act = acts[a]
        while count[a] < act.count:
            s = next((s for s in act.slots if (a, s) not in placed and free(a, s)), None)
            if s is None:
                s = _repair(a, act.slots, acts, slots, group_at, free, put, take, same_day=False)
            if s is None:
                s = _repair_teacher(a, problem, group_at, teacher_lessons(act.teacher),
                                    free, put, take)
            if s is None:
                break
            put(a, s)
            count[a] += 1
    return placed


def _repair(a, cand, acts, slots, group_at, free, put, take, same_day=True):
    """Free a slot for ``a`` by moving the class's lesson there to another free slot."""
    g = acts[a].group
    for s in cand:
        b = group_at.get((g, s))
        if b is None or b == a:
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
             kept: list | None = None, *, time_limit: float = 5.0, seed: int = 0) -> bool:
    """Warm start: complete the greedy timetable with CP-SAT, hint every variable.

    A copy of the model has the greedy's lessons fixed; its first solution (sessions,
    indicators and the lessons the greedy missed) becomes a full hint, so the search
    starts from a compliant timetable. When the completion fails within
    ``time_limit`` the lesson variables are hinted alone. Returns whether the hint is
    complete.
    """
    first = [(a, s) for _, a, s in kept or () if a is not None and s is not None]
    placed = greedy(problem, first)
    by_act: dict[int, set[int]] = defaultdict(set)
    for a, s in placed:
        by_act[a].add(s)
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
            loose.add(act.group)
    for a, act in enumerate(problem.activities):
        if act.group in loose:
            continue   # left free: the completion places this class itself
        for s in by_act.get(a, ()):
            trial.Add(trial.GetBoolVarFromProtoIndex(v.x[(a, s)].Index()) == 1)
    # feasibility only: every auxiliary variable is defined exactly, so the first
    # solution's terms are the true ones without the objective's presolve work
    trial.ClearObjective()
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, time_limit)
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.stop_after_first_solution = True
    code = solver.Solve(trial)
    if code in (cp_model.FEASIBLE, cp_model.OPTIMAL):
        values = solver.ResponseProto().solution
        model.ClearHints()
        for i, value in enumerate(values):
            model.AddHint(model.GetIntVarFromProtoIndex(i), value)
        return True
    for key, var in v.x.items():
        model.AddHint(var, key in placed)
    return False
