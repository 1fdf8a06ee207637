"""Why no timetable exists: counting pre-checks, then an assumption core.

Every sentence is Chinese with English alongside, naming the class, teacher, venue or
bell schedule a 教务处 clerk has to change. :func:`precheck` is cheap and each finding
is a proof (a count that cannot fit). :func:`explain_infeasible` re-solves with one
assumption literal per (rule family, entity) guarding the family's constraints and
maps CP-SAT's sufficient assumptions back to rules and entities.
"""

from __future__ import annotations

import logging
from collections import defaultdict

from ortools.sat.python import cp_model

from ..models.core import Problem
from ..models.policy import Policy, format_clock
from ..models.school import School, SegmentKind

logger = logging.getLogger(__name__)


def _most_disjoint(problem: Problem, slot_ids: set[int]) -> int:
    """Most pairwise non-overlapping slots among ``slot_ids`` (greedy by end, per day)."""
    total = 0
    by_day: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for s in slot_ids:
        by_day[problem.slots[s].day].append((problem.slots[s].end, problem.slots[s].start))
    for items in by_day.values():
        last = -1
        for end, start in sorted(items):
            if start >= last:
                total += 1
                last = end
    return total


def _disjoint_pairs(problem: Problem, slot_ids: tuple[int, ...]) -> int:
    """Most disjoint joined pairs (double periods) among ``slot_ids``."""
    allowed = set(slot_ids)
    used: set[int] = set()
    n = 0
    for s in sorted(slot_ids, key=lambda s: (problem.slots[s].day, problem.slots[s].start)):
        nxt = problem.next_slot[s]
        if s not in used and nxt in allowed and nxt not in used:
            used.update((s, nxt))
            n += 1
    return n


def precheck(school: School, policy: Policy, problem: Problem) -> list[str]:
    """Counting checks; each returned sentence proves no compliant timetable exists."""
    out: list[str] = []
    out += _check_schedules(school, policy)
    for c, cls in enumerate(school.classes):
        reqs = [school.requirements[r] for r in school.requirements_of_class[c]]
        total = sum(r.periods for r in reqs)
        want = policy.periods_for(cls.grade)
        if total != want:
            out.append(f"{cls.name} 每周安排 {total} 节课，但 {policy.name} 规定 {cls.grade} 年级每周 "
                       f"{want} 节（不得增减课时）— class {cls.name} has {total} periods a week "
                       f"but the profile requires {want} for grade {cls.grade}")
        pe = sum(r.periods for r in reqs if school.subjects[r.subject].is_pe)
        if pe < policy.pe_for(cls.grade):
            out.append(f"{cls.name} 每周体育课 {pe} 节，少于规定的 {policy.pe_for(cls.grade)} 节 — "
                       f"class {cls.name} has {pe} PE periods, fewer than the required "
                       f"{policy.pe_for(cls.grade)}")
        group = problem.groups[c]
        free = len(group.slots) - len(group.early)
        if total > free:
            out.append(f"{cls.name} 每周需要 {total} 节课，但按每日节数和上午上课时间只有 {free} 个时段 — "
                       f"class {cls.name} needs {total} periods but its day shape and morning "
                       f"start leave only {free} slots")
        if policy.daily_pe and pe < len(group.school_days):
            out.append(f"{cls.name} 每周体育课 {pe} 节，不够每天一节（{len(group.school_days)} 天）— "
                       f"class {cls.name} has {pe} PE periods, too few for one every school day")
    for a, act in enumerate(problem.activities):
        cname, sname = school.classes[act.group].name, school.subjects[act.subject].name
        tname = school.teachers[act.teacher].name
        if act.count > len(act.slots):
            out.append(f"{cname} 的 {sname} 每周 {act.count} 节，但 {tname} 可上课且在班级课表内的时段只有 "
                       f"{len(act.slots)} 个 — {cname} needs {act.count} periods of {sname} but "
                       f"teacher {tname} is available in only {len(act.slots)} of the class's slots")
        if act.doubles and _disjoint_pairs(problem, act.slots) < act.doubles:
            out.append(f"{cname} 的 {sname} 需要 {act.doubles} 次连堂，但只有 "
                       f"{_disjoint_pairs(problem, act.slots)} 对可连排的空闲时段（不跨大课间和午休）— "
                       f"{cname} needs {act.doubles} double periods of {sname} but has only "
                       f"{_disjoint_pairs(problem, act.slots)} joined pairs of free periods")
    for t, teacher in enumerate(school.teachers):
        acts = problem.activities_of_teacher[t]
        if not acts:
            continue
        need = sum(problem.activities[a].count for a in acts)
        slots = {s for a in acts for s in problem.activities[a].slots}
        avail = _most_disjoint(problem, slots)
        if need > avail:
            out.append(f"{teacher.name} 每周 {need} 节课，但只有 {avail} 个可上课时段 — teacher "
                       f"{teacher.name} teaches {need} periods but is available for only {avail}")
        if teacher.max_periods_per_day is not None:
            days = len({problem.slots[s].day for s in slots})
            if need > teacher.max_periods_per_day * days:
                out.append(f"{teacher.name} 每周 {need} 节课，但每天最多 {teacher.max_periods_per_day} 节、"
                           f"共 {days} 天 — teacher {teacher.name} teaches {need} periods but at most "
                           f"{teacher.max_periods_per_day} a day on {days} days")
    for p, pool in enumerate(problem.pools):
        acts = problem.activities_of_pool[p]
        if not acts:
            continue
        need = sum(problem.activities[a].count for a in acts)
        room = pool.capacity * _most_disjoint(problem, {s for a in acts for s in problem.activities[a].slots})
        if need > room:
            out.append(f"{pool.kind} 类场地每周需要 {need} 节次，但容量 {pool.capacity} × 可用时段只有 "
                       f"{room} — venues of kind {pool.kind} are needed {need} times a week but "
                       f"hold only {room} (capacity × slots)")
    out += _check_activity(school, policy, problem)
    return out


def _check_schedules(school: School, policy: Policy) -> list[str]:
    out = []
    for si, sched in enumerate(school.schedules):
        users = [c for c in school.classes if c.schedule == si]
        if not users:
            continue
        for d, day in enumerate(sched.days):
            if not day.periods:
                continue
            dname = school.days[d]
            longs = [s for s in day.of_kind(SegmentKind.LONG_BREAK)
                     if s.minutes >= policy.long_break_minutes]
            if len(longs) < policy.long_breaks_per_day:
                out.append(f"作息表 {sched.name} {dname} 只有 {len(longs)} 次 ≥ {policy.long_break_minutes} "
                           f"分钟的大课间，需要 {policy.long_breaks_per_day} 次 — bell schedule "
                           f"{sched.name} has {len(longs)} long breaks on {dname}, needs "
                           f"{policy.long_breaks_per_day}")
            for p, (a, b) in enumerate(zip(day.periods, day.periods[1:])):
                if b.start - a.end < policy.min_short_break_minutes:
                    out.append(f"作息表 {sched.name} {dname} 第 {p + 1}、{p + 2} 节之间课间只有 "
                               f"{b.start - a.end} 分钟，需要 ≥ {policy.min_short_break_minutes} 分钟 — "
                               f"bell schedule {sched.name}: only {b.start - a.end} min between "
                               f"periods {p + 1} and {p + 2} on {dname}")
            breaks = sum(s.minutes for s in day.segments
                         if s.kind in (SegmentKind.BREAK, SegmentKind.EYE, SegmentKind.LONG_BREAK))
            for stage in sorted({c.stage for c in users}):
                grade = next(c.grade for c in users if c.stage == stage)
                want = policy.min_daily_break_for(grade)
                if breaks < want:
                    out.append(f"作息表 {sched.name} {dname} 课间总时长 {breaks} 分钟，少于 {want} 分钟 — "
                               f"bell schedule {sched.name} has {breaks} min of breaks on {dname}, "
                               f"fewer than {want}")
            for c in users:
                early = [s for s in day.of_kind(SegmentKind.SELF_STUDY)
                         if s.start < policy.earliest_start_minutes(c.grade)]
                if early:
                    out.append(f"作息表 {sched.name} {dname} 的自习 {early[0]} 早于 {c.name} 的上课时间 "
                               f"{format_clock(policy.earliest_start_minutes(c.grade))} — a self-study "
                               f"segment starts before the earliest start of class {c.name}")
                    break
    return out


def _check_activity(school: School, policy: Policy, problem: Problem) -> list[str]:
    """Daily activity minutes that cannot be reached, ground too small for the sessions."""
    out = []
    target = policy.daily_activity_minutes
    sessions_needed: dict[int, int] = defaultdict(int)
    for c, cls in enumerate(school.classes):
        group = problem.groups[c]
        pe_count = sum(a_.count for a_ in (problem.activities[a] for a in problem.activities_of_group[c])
                       if a_.pe)
        session_at = {problem.slots[s].day: s for s in group.activity_slots}
        pm = policy.period_minutes_for(cls.grade)
        short_days = []
        for d in group.school_days:
            fixed = group.fixed_activity_minutes[d]
            pe_slots = sum(1 for s in group.slots if problem.slots[s].day == d)
            best_pe = min(pe_count, pe_slots) * pm
            session = problem.slots[session_at[d]].minutes if d in session_at else 0
            if fixed + best_pe + session < target:
                short_days.append(school.days[d])
            elif fixed + best_pe < target and d in session_at:
                sessions_needed[session_at[d]] += 1
        if short_days:
            out.append(f"{cls.name} 在 {'、'.join(short_days)} 的大课间、体育课和课外活动加起来也不足 {target} "
                       f"分钟 — class {cls.name} cannot reach {target} min of physical activity on "
                       f"{', '.join(short_days)} (long break + PE + activity session)")
    pool = problem.session_pool
    if pool is not None and sessions_needed:
        cap = problem.pools[pool].capacity
        for clique in problem.cliques(sessions_needed):
            need = sum(sessions_needed[s] for s in clique)
            if need > cap:
                slot = problem.slots[clique[0]]
                out.append(f"{school.days[slot.day]} {format_clock(slot.start)} 有 {need} 个班必须在操场上课外体育活动，"
                           f"但操场只能容纳 {cap} 个班 — on {school.days[slot.day]} {need} classes need "
                           f"an activity session on the sports ground at once, which holds {cap}")
    return out


def _sentence(school: School, problem: Problem, policy: Policy, family: str, kind: str,
              i: int) -> str:
    if kind == "activity":
        act = problem.activities[i]
        cname = school.classes[act.group].name
        sname = school.subjects[act.subject].name
        if family == "double_period":
            return (f"{cname} 的 {sname} 需要 {act.doubles} 次连堂 — {cname} needs {act.doubles} "
                    f"double periods of {sname}")
        return (f"{cname} 的 {sname} 每周须上 {act.count} 节（开齐开足，{school.teachers[act.teacher].name} 任教）"
                f" — {cname} needs {act.count} periods of {sname} a week")
    if kind == "teacher":
        t = school.teachers[i]
        if family == "teacher_clash":
            return f"{t.name} 同一时间只能上一个班的课 — teacher {t.name} cannot teach two classes at once"
        if family == "teacher_daily_max":
            return (f"{t.name} 每天最多上 {t.max_periods_per_day} 节 — teacher {t.name} teaches at most "
                    f"{t.max_periods_per_day} periods a day")
        return (f"{t.name} 的不可上课时间（{len(t.unavailable)} 段）— teacher {t.name}'s unavailable times")
    if kind == "group":
        c = school.classes[i]
        return {
            "class_clash": f"{c.name} 每个时段只能上一节课 — class {c.name} has one lesson per period",
            "daily_activity": f"{c.name} 每天校内体育活动不少于 {policy.daily_activity_minutes} 分钟 — "
                              f"class {c.name} needs {policy.daily_activity_minutes} min of physical "
                              f"activity every day",
            "daily_pe": f"{c.name} 每天一节体育课 — class {c.name} has PE every day",
            "study_cap": f"{c.name} 每天在校集中学习时间上限 — class {c.name}'s daily study-time cap",
            "morning_start": f"{c.name} 上午上课不早于 {format_clock(policy.earliest_start_minutes(c.grade))} — "
                             f"class {c.name} starts no earlier than "
                             f"{format_clock(policy.earliest_start_minutes(c.grade))}",
        }.get(family, f"{family}: {c.name}")
    if kind == "pool":
        pool = problem.pools[i]
        names = "、".join(school.venues[v].name for v in pool.venues)
        return (f"{names}（{pool.kind}）同时最多容纳 {pool.capacity} 个班 — venues of kind {pool.kind} "
                f"hold {pool.capacity} classes at once")
    return f"{family} {kind} {i}"


def explain_infeasible(school: School, policy: Policy, problem: Problem, *,
                       time_limit: float = 30.0, keep_locks: bool = False) -> list[str]:
    """Sentences naming the rules and entities of an infeasibility core."""
    from .build import build   # local: build imports the constraint families

    found = precheck(school, policy, problem)
    if found:
        return found
    model = cp_model.CpModel()
    v = build(model, problem, explain=True)
    guards = list(v.guards.items())
    model.AddAssumptions([lit for _, lit in guards])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1   # core extraction needs a single worker
    solver.parameters.max_time_in_seconds = time_limit
    code = solver.Solve(model)
    lead = []
    if keep_locks:
        lead.append("锁定的课可能与以下规则冲突 — the locked lessons may conflict with these rules")
    if code == cp_model.INFEASIBLE:
        core_idx = set(solver.SufficientAssumptionsForInfeasibility())
        core = [key for key, lit in guards if lit.Index() in core_idx]
        core = _shrink(model, guards, core, time_limit)
        lines = [_sentence(school, problem, policy, *key) for key in core]
        return lead + ["以下规则不能同时满足 — these rules cannot all hold together:"] + lines
    if code in (cp_model.FEASIBLE, cp_model.OPTIMAL):
        return lead + ["各规则单独可满足；冲突来自锁定的课或保留要求 — the rules can hold together; "
                       "the conflict comes from the locked lessons"]
    return lead + [f"在 {time_limit:g} 秒内未能找出冲突的规则 — could not pin down the conflicting rules "
                   f"within {time_limit:g} s"]


def _shrink(model: cp_model.CpModel, guards: list, core: list, time_limit: float) -> list:
    """Deletion-based core minimisation, within a small budget."""
    if len(core) > 40:
        return core
    lit_of = dict(guards)
    budget = max(1.0, time_limit / 4)
    kept = list(core)
    for key in list(core):
        trial = [k for k in kept if k != key]
        model.ClearAssumptions()
        model.AddAssumptions([lit_of[k] for k in trial])
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = budget / max(1, len(core))
        if solver.Solve(model) == cp_model.INFEASIBLE:
            kept = trial
    return kept
