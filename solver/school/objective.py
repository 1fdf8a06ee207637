"""The objective: named penalty terms, one per soft rule of docs/rules.md.

Each ``term_<rule>(model, problem, v)`` returns a linear expression of penalty units
(or ``None`` when the rule cannot cost anything). Every auxiliary variable is defined
exactly (two-sided), so the units read from any solution, optimal or not, equal the
checker's count for the timetable it maps to. The objective is Σ weight × units.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Callable

from ortools.sat.python import cp_model

from ...models.core import Problem
from .variables import Variables

Expr = cp_model.LinearExprT


def bool_or(model: cp_model.CpModel, lits: list, name: str) -> cp_model.IntVar:
    """A boolean equal to OR(lits), stated as linear constraints (they enter the LP)."""
    b = model.NewBoolVar(name)
    for lit in lits:
        model.Add(b >= lit)
    model.Add(b <= sum(lits))
    return b


def bool_and(model: cp_model.CpModel, lits: list, name: str) -> cp_model.IntVar:
    """A boolean equal to AND(lits), stated as linear constraints (they enter the LP)."""
    b = model.NewBoolVar(name)
    for lit in lits:
        model.Add(b <= lit)
    model.Add(b >= sum(lits) - (len(lits) - 1))
    return b


def term_main_morning(model: cp_model.CpModel, problem: Problem, v: Variables) -> Expr | None:
    lits = [var for a, act in enumerate(problem.activities) if act.main
            for s, var in v.occupied[a] if problem.slots[s].afternoon]
    return sum(lits) if lits else None


def term_pe_placement(model: cp_model.CpModel, problem: Problem, v: Variables) -> Expr | None:
    lits = [var for a, act in enumerate(problem.activities) if act.pe
            for s, var in v.occupied[a]
            if problem.slots[s].period == 0 or problem.slots[s].after_lunch]
    return sum(lits) if lits else None


def term_subject_once_daily(model: cp_model.CpModel, problem: Problem, v: Variables
                            ) -> Expr | None:
    excess = []
    for a, act in enumerate(problem.activities):
        days = max(1, len(problem.school_days_of(a)))
        most = max(1, math.ceil(act.count / days)) + (1 if act.doubles else 0)
        per_day: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for s, var in v.of_activity[a]:
            per_day[problem.slots[s].day].append(var)
        for d, lits in per_day.items():
            if len(lits) <= most:
                continue
            n = model.NewIntVar(0, len(lits), f"n[{a},{d}]")
            model.Add(n == sum(lits))
            e = model.NewIntVar(0, len(lits) - most, f"once[{a},{d}]")
            model.AddMaxEquality(e, [0, n - most])
            model.Add(e >= n - most)   # the convex side, stated for the LP
            excess.append(e)
            v.once[(a, d)] = (n, e, most)
    return sum(excess) if excess else None


def _occupancy(model: cp_model.CpModel, problem: Problem, v: Variables
               ) -> dict[tuple[int, int], dict[int, cp_model.IntVar]]:
    """o[t, d][p]: teacher ``t`` teaches in period index ``p`` on day ``d`` (exact OR)."""
    if v.occupancy is not None:
        return v.occupancy
    lits: dict[tuple[int, int], dict[int, list[cp_model.IntVar]]] = defaultdict(
        lambda: defaultdict(list))
    for t, acts in enumerate(problem.activities_of_teacher):
        for a in acts:
            for s, var in v.occupied[a]:
                slot = problem.slots[s]
                lits[(t, slot.day)][slot.period].append(var)
    occ: dict[tuple[int, int], dict[int, cp_model.IntVar]] = {}
    for key, per in lits.items():
        occ[key] = {}
        for p, row in sorted(per.items()):
            if len(row) == 1:
                occ[key][p] = row[0]
            else:
                occ[key][p] = bool_or(model, row, f"o[{key},{p}]")
    v.occupancy = occ
    return occ


def term_teacher_gaps(model: cp_model.CpModel, problem: Problem, v: Variables) -> Expr | None:
    parts = []
    for (t, d), occ in _occupancy(model, problem, v).items():
        if len(occ) < 2:
            continue
        lo, hi = min(occ), max(occ)
        o = [occ.get(p, 0) for p in range(lo, hi + 1)]
        # started[i]: a lesson at index <= i; pending[i]: a lesson at index >= i
        started, pending = [], []
        prev: list = []
        for i, oi in enumerate(o):
            prev = [x for x in ([started[-1]] if started else []) + [oi]
                    if not isinstance(x, int)]
            started.append(bool_or(model, prev, f"st[{t},{d},{i}]") if prev else 0)
        for i in range(len(o) - 1, -1, -1):
            prev = [x for x in ([pending[-1]] if pending else []) + [o[i]]
                    if not isinstance(x, int)]
            pending.append(bool_or(model, prev, f"pd[{t},{d},{i}]") if prev else 0)
        pending.reverse()
        # the inner indices can hold a gap; the ends are taught whenever spanned.
        # gap[i] = started[i] AND pending[i] AND NOT o[i], all linear, so the LP bound
        # of the term stays >= 0.
        for i in range(1, len(o) - 1):
            gap = model.NewBoolVar(f"gap[{t},{d},{i}]")
            model.Add(gap <= started[i])
            model.Add(gap <= pending[i])
            model.Add(gap <= 1 - o[i])
            model.Add(gap >= started[i] + pending[i] - 1 - o[i])
            parts.append(gap)
    return sum(parts) if parts else None


def _afternoon_flags(problem: Problem, t: int, d: int) -> dict[int, set[bool]]:
    """Period index -> the afternoon flags of the slots teacher ``t`` may use on day ``d``."""
    aft: dict[int, set[bool]] = defaultdict(set)
    for a in problem.activities_of_teacher[t]:
        act = problem.activities[a]
        for start in act.slots:
            for s in problem.span(start, act.duration) or ():
                slot = problem.slots[s]
                if slot.day == d:
                    aft[slot.period].add(slot.afternoon)
    return aft


def term_teacher_consecutive(model: cp_model.CpModel, problem: Problem, v: Variables
                             ) -> Expr | None:
    """Runs longer than the limit; a run breaks before p+1 when p+1 is afternoon and p not.

    A period index is afternoon when the teacher's lesson there is in an afternoon
    period (docs/rules.md). For a teacher in one bell schedule that is fixed per index;
    when schedules disagree at an index, a literal says whether the lesson there is
    in an afternoon slot and the break is decided by the timetable, as in the checker.
    """
    rule = problem.constraint("teacher_consecutive")
    limit = int(rule.param("max", 3)) if rule else 3
    parts = []
    for (t, d), occ in _occupancy(model, problem, v).items():
        flags = _afternoon_flags(problem, t, d)
        aft_lit: dict[int, cp_model.IntVar] = {}

        def afternoon_at(p: int) -> cp_model.IntVar:
            if p not in aft_lit:
                lits = [var for a in problem.activities_of_teacher[t]
                        for s, var in v.occupied[a]
                        if problem.slots[s].day == d and problem.slots[s].period == p
                        and problem.slots[s].afternoon]
                aft_lit[p] = bool_or(model, lits, f"aft[{t},{d},{p}]")
            return aft_lit[p]

        for p in sorted(occ):
            window = list(range(p, p + limit + 1))
            if any(q not in occ for q in window):
                continue
            extra = []
            broken = False
            for j in window[:-1]:
                later, earlier = flags[j + 1], flags[j]
                if later == {True} and earlier == {False}:
                    broken = True      # always a lunch break here
                    break
                if later == {False} or earlier == {True}:
                    continue           # never a break here
                # schedules disagree: break = afternoon(j+1) and not afternoon(j)
                brk = model.NewBoolVar(f"brk[{t},{d},{j}]")
                if True in earlier:
                    model.AddBoolAnd([afternoon_at(j + 1), afternoon_at(j).Not()]).OnlyEnforceIf(brk)
                    model.AddBoolOr([afternoon_at(j + 1).Not(), afternoon_at(j), brk])
                else:
                    model.Add(brk == afternoon_at(j + 1))
                extra.append(brk.Not())
            if broken:
                continue
            parts.append(bool_and(model, [occ[q] for q in window] + extra, f"run[{t},{d},{p}]"))
    return sum(parts) if parts else None


def term_parallel_step(model: cp_model.CpModel, problem: Problem, v: Variables) -> Expr | None:
    cohorts: dict[tuple[str, int], list[int]] = defaultdict(list)
    for a, act in enumerate(problem.activities):
        if len(act.groups) != 1 or act.alternate:
            continue       # a combined lesson has no single cohort to keep in step, and
            # an alternating slot (单双周) is not a weekly lesson of the subject
        cohort = problem.groups[act.group].cohort
        if cohort:
            cohorts[(cohort, act.subject)].append(a)
    parts = []
    for (cohort, subject), acts in cohorts.items():
        n = len(acts)
        if n < 2:
            continue
        for d in range(len(problem.days)):
            hs = [v.day_has(model, problem, a, d) for a in acts]
            k = model.NewIntVar(0, n, f"k[{cohort},{subject},{d}]")
            model.Add(k == sum(hs))
            z = model.NewIntVar(0, n // 2, f"step[{cohort},{subject},{d}]")
            low = model.NewBoolVar(f"steplow[{cohort},{subject},{d}]")   # k <= n - k
            model.Add(z <= k)
            model.Add(z <= n - k)
            model.Add(z >= k - n * (1 - low))
            model.Add(z >= n - k - n * low)
            model.Add(2 * k <= n).OnlyEnforceIf(low)
            model.Add(2 * k >= n).OnlyEnforceIf(low.Not())
            parts.append(z)
    return sum(parts) if parts else None


def term_spread(model: cp_model.CpModel, problem: Problem, v: Variables) -> Expr | None:
    parts = []
    for a, act in enumerate(problem.activities):
        days = len(problem.school_days_of(a))
        if not 2 <= act.count - act.doubles < days:
            continue
        hs = [v.day_has(model, problem, a, d) for d in range(len(problem.days))]
        mine = []
        for d in range(len(problem.days) - 1):
            h1, h2 = hs[d], hs[d + 1]
            if isinstance(h1, int) or isinstance(h2, int):
                continue
            mine.append(bool_and(model, [h1, h2], f"spread[{a},{d}]"))
        parts.extend(mine)
        # Redundant cuts for the bound. Days with lessons form runs on the week's
        # line: with k of S possible days in `seg` stretches, pairs >= 2k - S - seg.
        live = [d for d, h in enumerate(hs) if not isinstance(h, int)]
        seg = sum(1 for i, d in enumerate(live) if i == 0 or live[i - 1] != d - 1)
        if mine:
            model.Add(sum(mine) >= 2 * sum(hs[d] for d in live) - len(live) - seg)
        # a day holds at most `most` lessons plus its once-daily excess
        for d in live:
            if (a, d) in v.once:
                n, e, most = v.once[(a, d)]
                model.Add(n <= most * hs[d] + e)
            else:
                lits = [var for s, var in v.of_activity[a] if problem.slots[s].day == d]
                model.Add(sum(lits) <= len(lits) * hs[d])
    return sum(parts) if parts else None


def term_head_teacher_first(model: cp_model.CpModel, problem: Problem, v: Variables
                            ) -> Expr | None:
    """Days on which a class's first period is not taught by its head teacher (班主任).

    The record pairs ``groups[i]`` with its head teacher ``teachers[i]``. Per pair and
    day with a first slot: 1 − Σ of the pair's lessons occupying it. That sum is 0 or 1
    (class clash is hard), so the expression is the exact count, with no auxiliary
    variable.
    """
    rule = problem.constraint("head_teacher_first")
    if rule is None or not rule.groups:
        return None
    days = 0
    lits = []
    for g, t in zip(rule.groups, rule.teachers):
        firsts = set(problem.first_slots(g).values())
        days += len(firsts)
        lits += [var for a in problem.activities_of_group[g] if t in problem.activities[a].teachers
                 for s, var in v.occupied[a] if s in firsts]
    return days - cp_model.LinearExpr.Sum(lits)


def term_teacher_wish(model: cp_model.CpModel, problem: Problem, v: Variables
                      ) -> Expr | None:
    """Teachers' wishes (意愿): Σ over wishes of the wish's weight × the teacher's lesson
    periods in the slots that go against it.

    The record's ``wishes`` are ``(teacher, weight, slots)``. The units are weighted
    (a lesson against a wish of weight 2 is 2 units), exactly as the checker's records
    count them, so the weights stay whole numbers and no auxiliary variable is needed.
    """
    rule = problem.constraint("teacher_wish")
    wishes = rule.param("wishes", ()) if rule is not None else ()
    parts = []
    for t, weight, slots in wishes:
        bad = set(slots)
        lits = [var for a in problem.activities_of_teacher[t]
                for s, var in v.occupied[a] if s in bad]
        if lits:
            parts.append(weight * cp_model.LinearExpr.Sum(lits))
    return sum(parts) if parts else None


TERMS: dict[str, Callable[[cp_model.CpModel, Problem, Variables], Expr | None]] = {
    "main_morning": term_main_morning,
    "subject_once_daily": term_subject_once_daily,
    "pe_placement": term_pe_placement,
    "teacher_gaps": term_teacher_gaps,
    "teacher_consecutive": term_teacher_consecutive,
    "parallel_step": term_parallel_step,
    "spread": term_spread,
    "head_teacher_first": term_head_teacher_first,
    "teacher_wish": term_teacher_wish,
}


def weight_scale(weights: dict[str, float]) -> int:
    """Smallest power of ten making every weight whole (CP-SAT objectives are integral)."""
    for scale in (1, 10, 100, 1000):
        if all(abs(w * scale - round(w * scale)) < 1e-9 for w in weights.values()):
            return scale
    return 1000


def add_objective(model: cp_model.CpModel, problem: Problem, v: Variables,
                  extra: dict[str, tuple[Expr, float]] | None = None) -> dict[str, float]:
    """Build the soft terms, set the objective, return the weight of each term."""
    weights: dict[str, float] = {}
    for rule in problem.constraints:
        if rule.hard or rule.family not in TERMS or rule.weight == 0:
            continue
        expr = TERMS[rule.family](model, problem, v)
        # a rule that cannot cost anything still appears in the report, with 0 units
        v.terms[rule.family] = expr if expr is not None else cp_model.LinearExpr.Sum([])
        weights[rule.family] = rule.weight
    for name, (expr, weight) in (extra or {}).items():
        v.terms[name] = expr
        weights[name] = weight
    scale = weight_scale(weights)
    if v.terms:
        model.Minimize(sum(round(weights[k] * scale) * e for k, e in v.terms.items()))
    return weights


def term_floors(problem: Problem, weights: dict[str, float]) -> dict[str, float]:
    """Proven lower bounds on each soft rule's cost (weight × units) from per-entity
    relaxations; their sum bounds the objective (:func:`lower_bound`).

    The soft terms split into independent pieces once the coupling rules are dropped:
    per activity, ``subject_once_daily`` + ``spread`` depend only on its lessons per
    day (a small DP over the week, doubles ignored); per class, ``main_morning`` is at
    least the main lessons beyond the morning slots they may use, ``pe_placement`` the
    PE lessons beyond the good slots; per (class, head teacher), ``head_teacher_first``
    is at least its days less the first periods the head teacher's lessons of the class
    may reach (and less their count). Every other term is bounded by 0. The sum of the
    pieces' minima bounds the whole; CP-SAT's LP rarely proves as much on large
    schools, so :func:`jianfu.solver.school.solve.solve` reports the larger of the two.
    Every rule of ``weights`` is a key (0 when nothing better is proven).
    ``teacher_gaps``, ``teacher_consecutive`` and ``parallel_step`` get 0: one teacher
    or one grade alone can nearly always pack its lessons or keep its classes in step,
    so what they cost comes from the coupling between teachers and classes, which only
    CP-SAT's bound on the whole model sees.
    """
    floors = dict.fromkeys(weights, 0.0)
    for rule in ("subject_once_daily", "spread"):
        if rule in weights:
            floors[rule] = _days_floor(problem, {rule: weights[rule]})
    for g, acts in enumerate(problem.activities_of_group):
        for rule, pick, bad in (
                ("main_morning", lambda a: a.main, lambda x: x.afternoon),
                ("pe_placement", lambda a: a.pe, lambda x: x.period == 0 or x.after_lunch)):
            w = weights.get(rule, 0)
            # a combined lesson counts once: towards its first group
            chosen = [problem.activities[a] for a in acts if pick(problem.activities[a])
                      and problem.activities[a].groups[0] == g]
            if not w or not chosen:
                continue
            good = {s for act in chosen for start in act.slots
                    for s in problem.span(start, act.duration) or ()
                    if not bad(problem.slots[s])}
            floors[rule] += w * max(0, sum(a.count * a.duration for a in chosen) - len(good))
    w_head = weights.get("head_teacher_first", 0)
    rule = problem.constraint("head_teacher_first") if w_head else None
    for g, t in zip(rule.groups, rule.teachers) if rule is not None else ():
        # a first slot is covered only by a lesson of the pair that may occupy it, and
        # a placement covers at most one first slot (one day)
        firsts = set(problem.first_slots(g).values())
        mine = [problem.activities[a] for a in problem.activities_of_group[g]
                if t in problem.activities[a].teachers]
        reachable = firsts & {s for act in mine for start in act.slots
                              for s in problem.span(start, act.duration) or ()}
        floors["head_teacher_first"] += w_head * (
            len(firsts) - min(len(reachable), sum(act.count for act in mine)))
    return floors


def lower_bound(problem: Problem, weights: dict[str, float]) -> float:
    """A proven lower bound on the objective: the sum of :func:`term_floors`, with
    ``subject_once_daily`` and ``spread`` bounded together (one day-by-day choice per
    activity pays both, so their joint least cost is at least the two apart)."""
    floors = term_floors(problem, weights)
    joint = {k: weights[k] for k in ("subject_once_daily", "spread") if k in weights}
    return (sum(v for k, v in floors.items() if k not in joint)
            + (_days_floor(problem, joint) if joint else 0.0))


def _days_floor(problem: Problem, weights: dict[str, float]) -> float:
    """Least ``subject_once_daily`` + ``spread`` cost (the rules of ``weights``) of
    each activity's lessons per day, summed over activities (doubles ignored)."""
    w_once = weights.get("subject_once_daily", 0)
    w_spread = weights.get("spread", 0)
    total = 0.0
    n_days = len(problem.days)
    for a, act in enumerate(problem.activities):
        school_days = len(problem.school_days_of(a))
        days = max(1, school_days)
        most = max(1, math.ceil(act.count / days)) + (1 if act.doubles else 0)
        spread = w_spread if 2 <= act.count - act.doubles < school_days else 0
        cap = [0] * n_days
        for s in act.slots:
            cap[problem.slots[s].day] += 1
        total += _day_dp(act.count, cap, most, w_once, spread)
    return total


def _day_dp(count: int, cap: list[int], most: int, w_once: float, w_spread: float) -> float:
    """Least once-daily + spread cost of spreading ``count`` lessons over the days."""
    inf = float("inf")
    # best[r][h]: least cost with r lessons placed so far, h = the previous day has some
    best = [[inf, inf] for _ in range(count + 1)]
    best[0][0] = 0.0
    for c in cap:
        nxt = [[inf, inf] for _ in range(count + 1)]
        for r in range(count + 1):
            for h in (0, 1):
                cost = best[r][h]
                if cost == inf:
                    continue
                for n in range(0, min(c, count - r) + 1):
                    add = w_once * max(0, n - most) + (w_spread if n and h else 0)
                    key = 1 if n else 0
                    if cost + add < nxt[r + n][key]:
                        nxt[r + n][key] = cost + add
        best = nxt
    found = min(best[count])
    return 0.0 if found == inf else found
