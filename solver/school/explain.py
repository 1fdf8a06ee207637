"""Why no timetable exists: counting pre-checks, then an assumption core.

Every sentence is Chinese with English alongside, naming the class, teacher, venue or
bell schedule a 教务处 clerk has to change. :func:`precheck` is cheap and each finding
is a proof (a count that cannot fit). :func:`explain_infeasible` re-solves with one
assumption literal per (rule family, entity) guarding the family's constraints and
maps CP-SAT's sufficient assumptions back to rules and entities.

The venue counts rest on one fact: uses of a pool of capacity ``k`` (intervals, at
most ``k`` in progress at any instant) split into ``k`` sets of pairwise
non-overlapping uses (interval graphs are perfect), so at most ``k × α`` uses fit in
a set of slots whose most pairwise non-overlapping members number ``α``
(:func:`_most_disjoint`). After-class activity sessions take place on the sports
ground when the school has one (``Problem.session_pool``), as the engine places them.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from ...models.checker import plan_violations
from ...models.core import Activity, Problem
from ...models.policy import Policy, format_clock
from ...models.school import WEEK_EN, WEEK_ZH, WEEKS, School, SegmentKind
from ..interrupt import solve_cp

logger = logging.getLogger(__name__)


def _most_disjoint(problem: Problem, slot_ids: Iterable[int]) -> int:
    """Most pairwise non-overlapping slots among ``slot_ids`` (greedy by end, per day)."""
    total = 0
    by_day: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for s in set(slot_ids):
        by_day[problem.slots[s].day].append((problem.slots[s].end, problem.slots[s].start))
    for items in by_day.values():
        last = -1
        for end, start in sorted(items):
            if start >= last:
                total += 1
                last = end
    return total


def _disjoint_pairs(problem: Problem, slot_ids: Iterable[int]) -> int:
    """Most disjoint joined pairs (double periods) among ``slot_ids``.

    Joined pairs of one schedule form paths (period p with p + 1); taking the first
    free pair from the left is a maximum matching of a path.
    """
    allowed = set(slot_ids)
    used: set[int] = set()
    n = 0
    for s in sorted(allowed, key=lambda s: (problem.slots[s].day, problem.slots[s].schedule,
                                            problem.slots[s].start)):
        nxt = problem.next_slot[s]
        if s not in used and nxt in allowed and nxt not in used:
            used.update((s, nxt))
            n += 1
    return n


def _classes_of(school: School, act: Activity) -> str:
    """The class of an activity, or the classes of a combined lesson (合班): 一班、二班."""
    return "、".join(school.classes[g].name for g in act.groups)


def _names(items: Iterable[str]) -> str:
    return "、".join(items)


def _meetings_note(school: School, t: int) -> tuple[str, str]:
    """Chinese and English notes naming a teacher's meetings (教研活动, 行政会): their
    times are part of the teacher's unavailability (``School.unavailable_of``)."""
    names = list(dict.fromkeys(school.meetings[m].name for m, _ in school.meeting_times[t]))
    if not names:
        return "", ""
    return f"（{_names(names)}期间不能上课）", f" (none during {', '.join(names)})"


def precheck(school: School, policy: Policy, problem: Problem) -> list[str]:
    """Counting checks; each returned sentence proves no compliant timetable exists."""
    out: list[str] = [v.message for v in plan_violations(school, policy)]
    out += _check_schedules(school, policy)
    if problem.constraint("study_cap") is not None:
        out += _check_self_study(school, policy)
    out += _check_classes(school, policy, problem)
    out += _check_activities(school, problem)
    out += _check_fixed(school, problem)
    out += _check_class_doubles(school, problem)
    out += _check_teachers(school, problem)
    out += _check_pools(school, problem)
    out += _check_activity(school, policy, problem)
    out += _check_level_progress(school, problem)
    return out


def _check_level_progress(school: School, problem: Problem) -> list[str]:
    """教案齐头: the classes of a record share their days of the subject, at most ``m`` of
    them (``m`` = the fewest weekly periods among them, as each shared day holds a lesson
    of every class), all days on which each of them may have it. So each class's periods
    fit in its ``m`` fullest common days, and the teacher's periods of them all in ``m``
    days of the teacher's daily maximum."""
    out = []
    for rule in problem.records("level_progress"):
        acts = [problem.activities[a] for a in rule.activities]
        per_day = [defaultdict(int) for _ in acts]
        for act, days in zip(acts, per_day):
            for s in act.slots:
                days[problem.slots[s].day] += 1
        common = set.intersection(*(set(days) for days in per_day))
        m = min(min(act.count for act in acts), len(common))
        teacher = school.teachers[rule.teachers[0]]
        cap = teacher.max_periods_per_day
        sname = school.subjects[acts[0].subject].name
        classes = _names(school.classes[act.group].name for act in acts)
        for act, days in zip(acts, per_day):
            room = sum(sorted((min(days[d], cap or days[d]) for d in common), reverse=True)[:m])
            if act.count > room:
                cname = school.classes[act.group].name
                out.append(f"教案齐头：{teacher.name} 的 {sname}（{classes}）须在相同的 {m} 天以内上课，"
                           f"{cname} 每周 {act.count} 节排不下（最多 {room} 节）— level progress: "
                           f"{teacher.name}'s {sname} classes share at most {m} days, where "
                           f"{cname} fits only {room} of its {act.count} periods")
        total = sum(act.count for act in acts)
        if cap is not None and total > cap * m:
            out.append(f"教案齐头：{teacher.name} 的 {sname}（{classes}）共 {total} 节须在相同的 {m} 天"
                       f"以内上完，但每天最多 {cap} 节 — level progress: {teacher.name}'s {total} "
                       f"periods of {sname} fit in at most {m} shared days of {cap} periods")
    return out


def _check_classes(school: School, policy: Policy, problem: Problem) -> list[str]:
    """The plan (weekly total, PE) and a class's periods against its grid."""
    out = []
    for c, cls in enumerate(school.classes):
        reqs = [school.requirements[r] for r in school.requirements_of_class[c]]
        want = policy.periods_for(cls.grade)
        # 单双周: each week of the cycle has its own total (rule weekly_total per week)
        weeks = [(w, school.class_week_periods(c, w)) for w in WEEKS] if school.alternates \
            else [(0, sum(r.periods for r in reqs))]
        if len({total for _, total in weeks}) == 1:
            weeks = [(0, weeks[0][1])]   # the same every week: said once
        for w, total in weeks:
            if total == want:
                continue
            zh, en = (WEEK_ZH[w], f"in {WEEK_EN[w]}") if w else ("每周", "a week")
            out.append(f"{cls.name} {zh}安排 {total} 节课，但 {policy.name} 规定 {cls.grade} 年级每周 "
                       f"{want} 节（不得增减课时）— class {cls.name} has {total} periods {en} "
                       f"but the profile requires {want} for grade {cls.grade}")
        pe = sum(r.periods for r in reqs if school.subjects[r.subject].is_pe)
        if pe < policy.pe_for(cls.grade):
            out.append(f"{cls.name} 每周体育课 {pe} 节，少于规定的 {policy.pe_for(cls.grade)} 节 — "
                       f"class {cls.name} has {pe} PE periods, fewer than the required "
                       f"{policy.pe_for(cls.grade)}")
        group = problem.groups[c]
        need = sum(problem.activities[a].count for a in problem.activities_of_group[c])
        out += _grid(school, problem, c, need)
        if policy.daily_pe and pe < len(group.school_days):
            out.append(f"{cls.name} 每周体育课 {pe} 节，不够每天一节（{len(group.school_days)} 天）— "
                       f"class {cls.name} has {pe} PE periods, too few for one every school day")
    return out


def _grid(school: School, problem: Problem, c: int, total: int) -> list[str]:
    """A class's lessons against its slots: day shape, its teachers' times, study cap.

    A class has one lesson per slot (class_clash), only in slots some activity of it
    may use (day shape, morning start, its teacher available), and per day at most as
    many lessons as the shortest of those slots fit under the study cap after
    self-study (study_cap counts every day, lessons or not).
    """
    cls, group = school.classes[c], problem.groups[c]
    free = len(group.slots) - len(group.early)
    if total > free:
        return [(f"{cls.name} 每周需要 {total} 节课，但按每日节数和上午上课时间只有 {free} 个时段 — "
                 f"class {cls.name} needs {total} periods but its day shape and morning "
                 f"start leave only {free} slots")]
    usable = {s for a in problem.activities_of_group[c] for s in problem.activities[a].slots}
    if total > len(usable):
        teachers = list(dict.fromkeys(school.teachers[problem.activities[a].teacher].name
                                      for a in problem.activities_of_group[c]))
        return [(f"{cls.name} 每周需要 {total} 节课，但至少有一位任课教师（{_names(teachers)}）可上课的时段"
                 f"只有 {len(usable)} 个 — class {cls.name} needs {total} periods but its teachers "
                 f"({', '.join(teachers)}) are available in only {len(usable)} of its slots")]
    cap = group.study_cap
    if cap is None or problem.constraint("study_cap") is None:
        return []
    fit = 0
    for d in range(len(problem.days)):
        room = cap - (group.fixed_study_minutes[d] if group.fixed_study_minutes else 0)
        if room < 0:
            return []   # the self-study alone is over the cap: _check_self_study
        for minutes in sorted(problem.slots[s].minutes for s in usable
                              if problem.slots[s].day == d):
            if minutes > room:
                break
            room -= minutes
            fit += 1
    if total > fit:
        return [(f"{cls.name} 每周需要 {total} 节课，但每天在校集中学习不超过 {cap} 分钟（含自习），"
                 f"最多只能排 {fit} 节 — class {cls.name} needs {total} periods but the daily "
                 f"study cap of {cap} min (self-study included) leaves room for only {fit}")]
    return []


def _check_self_study(school: School, policy: Policy) -> list[str]:
    """A bell schedule whose self-study alone is over a user's study cap (every day counts)."""
    out = []
    for si, sched in enumerate(school.schedules):
        for d, day in enumerate(sched.days):
            study = day.study_minutes
            over: dict[int, list[str]] = defaultdict(list)
            for cls in school.classes:
                cap = policy.study_cap_minutes(cls.grade)
                if cls.schedule == si and study > cap:
                    over[cap].append(cls.name)
            for cap, names in sorted(over.items()):
                out.append(f"作息表 {sched.name} {school.days[d]} 的自习已有 {study} 分钟，超过 "
                           f"{_names(names)} 的在校集中学习上限 {cap} 分钟 — bell schedule "
                           f"{sched.name} has {study} min of self-study on {school.days[d]}, over "
                           f"the {cap} min study cap of {', '.join(names)}")
    return out


def _check_activities(school: School, problem: Problem) -> list[str]:
    """One requirement against its teacher's slots and joined pairs."""
    out = []
    for act in problem.activities:
        cname, sname = _classes_of(school, act), school.subjects[act.subject].name
        tname = school.teachers[act.teacher].name
        if act.count > len(act.slots):
            zh, en = _meetings_note(school, act.teacher)
            out.append(f"{cname} 的 {sname} 每周 {act.count} 节，但 {tname} 可上课且在班级课表内的时段只有 "
                       f"{len(act.slots)} 个{zh} — {cname} needs {act.count} periods of {sname} but "
                       f"teacher {tname} is available in only {len(act.slots)} of the class's "
                       f"slots{en}")
        if act.doubles and _disjoint_pairs(problem, act.slots) < act.doubles:
            out.append(f"{cname} 的 {sname} 需要 {act.doubles} 次连堂，但只有 "
                       f"{_disjoint_pairs(problem, act.slots)} 对可连排的空闲时段（不跨大课间和午休）— "
                       f"{cname} needs {act.doubles} double periods of {sname} but has only "
                       f"{_disjoint_pairs(problem, act.slots)} joined pairs of free periods")
    return out


def _check_fixed(school: School, problem: Problem) -> list[str]:
    """Fixed lessons (固定) that cannot hold: outside their domain (the teacher away or a
    meeting, before the morning start), two of one teacher at once, more of one teacher
    on a day than their daily maximum."""
    out = []
    by_teacher: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for a, act in enumerate(problem.activities):
        cname, sname = _classes_of(school, act), school.subjects[act.subject].name
        tname = school.teachers[act.teacher].name
        for s in act.fixed:
            slot = problem.slots[s]
            where = f"{school.days[slot.day]}第{slot.period + 1}节"
            by_teacher[act.teacher].append((a, s))
            if s in act.slots:
                continue
            if s in problem.groups[act.group].early:
                out.append(f"{cname} 的 {sname} 固定在{where}，但这一节早于规定的上课时间 — {cname}'s "
                           f"{sname} is fixed in {where}, before the earliest start")
            else:
                zh, en = _meetings_note(school, act.teacher)
                out.append(f"{cname} 的 {sname} 固定在{where}，但 {tname} 这时不能上课{zh} — "
                           f"{cname}'s {sname} is fixed in {where} ({school.days[slot.day]} "
                           f"period {slot.period + 1}) but teacher {tname} is unavailable "
                           f"then{en}")
    for t, fixed in by_teacher.items():
        tname = school.teachers[t].name
        for i, (a, s) in enumerate(fixed):
            for b, x in fixed[i + 1:]:
                if a != b and problem.slots[s].overlaps(problem.slots[x]):
                    one, two = problem.activities[a].name, problem.activities[b].name
                    day = school.days[problem.slots[s].day]
                    out.append(f"{tname} 的 {one}（第{problem.slots[s].period + 1}节）和 {two}（第"
                               f"{problem.slots[x].period + 1}节）都固定在{day}同一时间 — teacher "
                               f"{tname} has {one} and {two} fixed at the same time on {day}")
        most = school.teachers[t].max_periods_per_day
        per_day: dict[int, int] = defaultdict(int)
        for _, s in fixed:
            per_day[problem.slots[s].day] += 1
        for d, n in sorted(per_day.items()):
            if most is not None and n > most:
                out.append(f"{tname} {school.days[d]}固定了 {n} 节课，但每天最多 {most} 节 — teacher "
                           f"{tname} has {n} fixed lessons on {school.days[d]}, at most {most} a day")
    return out


def _check_class_doubles(school: School, problem: Problem) -> list[str]:
    """A class's double periods of all subjects against its joined pairs.

    Blocks of one subject are disjoint pairs (the scan skips p + 1) and two subjects
    never share a period (class_clash), so every block of the class is a distinct
    joined pair inside the slots its subjects may use.
    """
    out = []
    for c, cls in enumerate(school.classes):
        acts = [problem.activities[a] for a in problem.activities_of_group[c]
                if problem.activities[a].doubles]
        if len(acts) < 2:
            continue   # one subject: checked with the requirement
        need = sum(a.doubles for a in acts)
        pairs = _disjoint_pairs(problem, {s for a in acts for s in a.slots})
        if need > pairs:
            each = _names(f"{school.subjects[a.subject].name} {a.doubles}" for a in acts)
            each_en = ", ".join(f"{school.subjects[a.subject].name} {a.doubles}" for a in acts)
            out.append(f"{cls.name} 每周共需 {need} 次连堂（{each}），但课表中只有 {pairs} 对可连排的时段"
                       f"（不跨大课间和午休）— class {cls.name} needs {need} double periods "
                       f"({each_en}) but has only {pairs} joined pairs of periods")
    return out


def _check_teachers(school: School, problem: Problem) -> list[str]:
    """A teacher's periods and double periods against the times they can teach."""
    out = []
    for t, teacher in enumerate(school.teachers):
        acts = problem.activities_of_teacher[t]
        if not acts:
            continue
        need = sum(problem.activities[a].count for a in acts)
        slots = {s for a in acts for s in problem.activities[a].slots}
        avail = _most_disjoint(problem, slots)
        if need > avail:
            zh, en = _meetings_note(school, t)
            out.append(f"{teacher.name} 每周 {need} 节课，但只有 {avail} 个可上课时段{zh} — teacher "
                       f"{teacher.name} teaches {need} periods but is available for only "
                       f"{avail}{en}")
        if teacher.max_periods_per_day is not None:
            days = len({problem.slots[s].day for s in slots})
            if need > teacher.max_periods_per_day * days:
                out.append(f"{teacher.name} 每周 {need} 节课，但每天最多 {teacher.max_periods_per_day} 节、"
                           f"共 {days} 天 — teacher {teacher.name} teaches {need} periods but at most "
                           f"{teacher.max_periods_per_day} a day on {days} days")
        out += _teacher_doubles(school, problem, t)
    return out


def _teacher_doubles(school: School, problem: Problem, t: int) -> list[str]:
    """A teacher's double periods over all classes against the joined pairs they can use.

    A teacher's lessons never overlap (teacher_clash). Per day, when the candidate
    slots are of one bell schedule, blocks are disjoint joined pairs of it (a maximum
    path matching bounds them); across schedules each block is two of the day's
    non-overlapping lessons, at most half of :func:`_most_disjoint`.
    """
    acts = [problem.activities[a] for a in problem.activities_of_teacher[t]
            if problem.activities[a].doubles]
    if len(acts) < 2:
        return []
    need = sum(a.doubles for a in acts)
    by_day: dict[int, set[int]] = defaultdict(set)
    for a in acts:
        for s in a.slots:
            by_day[problem.slots[s].day].add(s)
    pairs = 0
    for slots in by_day.values():
        if len({problem.slots[s].schedule for s in slots}) == 1:
            pairs += _disjoint_pairs(problem, slots)
        else:
            pairs += _most_disjoint(problem, slots) // 2
    if need <= pairs:
        return []
    name = school.teachers[t].name
    items = [f"{school.classes[a.group].name} {school.subjects[a.subject].name} {a.doubles}"
             for a in acts]
    return [(f"{name} 每周共需 {need} 次连堂（{_names(items)}），但其可上课时段中只有 {pairs} 对可连排的时段 — "
             f"teacher {name} needs {need} double periods ({', '.join(items)}) but can teach only {pairs} "
             f"joined pairs of periods")]


def _check_pools(school: School, problem: Problem) -> list[str]:
    """Lessons needing a venue kind against the pool's capacity × slots.

    Weekly for the whole pool, then for every set of the pool's requirements confined
    to the slots of one of them (teachers' unavailable times, day shapes): those
    lessons fit only in the slots their union allows. A kind with no venue at all is
    refused when the school is built.
    """
    out = []
    for p, pool in enumerate(problem.pools):
        acts = problem.activities_of_pool[p]
        if not acts:
            continue
        need = sum(problem.activities[a].count for a in acts)
        room = pool.capacity * _most_disjoint(
            problem, {s for a in acts for s in problem.activities[a].slots})
        if need > room:
            out.append(f"{pool.kind} 类场地每周需要 {need} 节次，但容量 {pool.capacity} × 可用时段只有 "
                       f"{room} — venues of kind {pool.kind} are needed {need} times a week but "
                       f"hold only {room} (capacity × slots)")
            continue
        found: list[tuple[frozenset[int], int, int, int]] = []
        for a in acts:
            within = set(problem.activities[a].slots)
            sub = frozenset(b for b in acts if set(problem.activities[b].slots) <= within)
            if len(sub) == len(acts) or any(sub == f[0] for f in found):
                continue
            union = {s for b in sub for s in problem.activities[b].slots}
            n = sum(problem.activities[b].count for b in sub)
            alpha = _most_disjoint(problem, union)
            if n > pool.capacity * alpha:
                found.append((sub, n, alpha, len(union)))
        for sub, n, alpha, slots in found:
            if any(sub < other[0] for other in found):
                continue   # a larger confined set says it already
            order = sorted(sub)
            pairs = [f"{school.classes[problem.activities[b].group].name} "
                     f"{school.subjects[problem.activities[b].subject].name}" for b in order]
            who, who_en = _names(pairs), ", ".join(pairs)
            teachers = _names(dict.fromkeys(school.teachers[problem.activities[b].teacher].name
                                            for b in order))
            venues = _names(school.venues[v].name for v in pool.venues)
            out.append(f"{venues}（{pool.kind}）：{who} 只能排在同样的 {slots} 个时段里（{teachers} 的"
                       f"可上课时间和班级课表所限），共需 {n} 节次，但容量 {pool.capacity} × {alpha} 个不重叠"
                       f"时段只有 {pool.capacity * alpha} — venues of kind {pool.kind}: {who_en} can "
                       f"only use the same {slots} slots (their teachers' times and day shapes) "
                       f"and need {n} periods there, but the venues hold only "
                       f"{pool.capacity * alpha} (capacity × slots)")
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
                early = [s for s in day.segments
                         if s.is_study and s.start < policy.earliest_start_minutes(c.grade)]
                if early:
                    what = ("自习", "a self-study segment") if early[0].kind is SegmentKind.SELF_STUDY \
                        else ("学习活动", "an event counted as study")
                    out.append(f"作息表 {sched.name} {dname} 的{what[0]} {early[0]} 早于 {c.name} 的上课时间 "
                               f"{format_clock(policy.earliest_start_minutes(c.grade))} — {what[1]} "
                               f"starts before the earliest start of class {c.name}")
                    break
    return out


@dataclass(slots=True)
class _Days:
    """How one class can reach the daily activity minutes, day by day.

    ``pe_cost[d]``: fewest PE lessons that reach the target on day ``d`` without a
    session (``None``: PE alone cannot); ``session[d]``: its activity slot that day.
    Days where the long breaks already reach the target are left out.
    """

    pe: int
    pe_ground: bool
    pe_slots: dict[int, list[int]]
    pe_cost: dict[int, int | None] = field(default_factory=dict)
    session: dict[int, int] = field(default_factory=dict)
    short: list[int] = field(default_factory=list)

    @property
    def forced_sessions(self) -> list[int]:
        """Days only a session can cover."""
        return [d for d, k in self.pe_cost.items() if k is None and d in self.session]

    @property
    def forced_pe(self) -> dict[int, int]:
        """Days without an activity slot: PE lessons they take."""
        return {d: k for d, k in self.pe_cost.items() if k is not None and d not in self.session}

    def sessions_needed(self) -> int | None:
        """Fewest sessions a week, or ``None`` when the PE lessons cannot cover the
        days without an activity slot.

        Covering the most session days with the weekly PE lessons is picking the
        cheapest days first.
        """
        budget = self.pe - sum(self.forced_pe.values())
        if budget < 0:
            return None
        optional = sorted(k for d, k in self.pe_cost.items() if k is not None and d in self.session)
        covered = 0
        for k in optional:
            if k > budget:
                break
            budget -= k
            covered += 1
        return len(self.forced_sessions) + len(optional) - covered

    @property
    def session_days(self) -> list[int]:
        """Days on which a needed session can be."""
        return [d for d in self.pe_cost if d in self.session]


def _class_days(school: School, policy: Policy, problem: Problem, c: int) -> _Days:
    group = problem.groups[c]
    target = policy.daily_activity_minutes
    pe_acts = [problem.activities[a] for a in problem.activities_of_group[c]
               if problem.activities[a].pe]
    pe_slots: dict[int, set[int]] = defaultdict(set)
    for act in pe_acts:
        for s in act.slots:
            pe_slots[problem.slots[s].day].add(s)
    out = _Days(pe=sum(a.count for a in pe_acts),
                pe_ground=bool(pe_acts) and problem.session_pool is not None
                and all(a.pool == problem.session_pool for a in pe_acts),
                pe_slots={d: sorted(ss) for d, ss in pe_slots.items()},
                session={problem.slots[s].day: s for s in group.activity_slots})
    if problem.constraint("daily_activity") is None:
        return out
    for d in group.school_days:
        need = target - (group.fixed_activity_minutes[d] if group.fixed_activity_minutes else 0)
        if need <= 0:
            continue
        # the longest PE slots first: PE lessons of a class never share a period
        longest = sorted((problem.slots[s].minutes for s in pe_slots.get(d, ())), reverse=True)
        cost, got = None, 0
        for k, minutes in enumerate(longest[:out.pe], start=1):
            got += minutes
            if got >= need:
                cost = k
                break
        out.pe_cost[d] = cost
        if cost is None and (d not in out.session
                             or problem.slots[out.session[d]].minutes < need - got):
            out.short.append(d)
    return out


def _check_activity(school: School, policy: Policy, problem: Problem) -> list[str]:
    """Daily activity minutes that cannot be reached, ground too small for the sessions.

    Per class and day the target is reached by PE lessons or by the activity session
    (daily_activity); a class has at most one session a day (session_slot). On the
    sports ground (``Problem.session_pool``) these uses are counted per day (a class
    that must use the ground that day), per activity time (sessions no PE lesson can
    replace) and per week (the sessions the weekly PE lessons leave, alone and with
    the PE lessons).
    """
    out = []
    target = policy.daily_activity_minutes
    days = [_class_days(school, policy, problem, c) for c in range(len(school.classes))]
    needed: dict[int, int] = {}
    for c, (cls, info) in enumerate(zip(school.classes, days)):
        if info.short:
            names = [school.days[d] for d in info.short]
            out.append(f"{cls.name} 在 {'、'.join(names)} 的大课间、体育课和课外活动加起来也不足 {target} "
                       f"分钟 — class {cls.name} cannot reach {target} min of physical activity on "
                       f"{', '.join(names)} (long break + PE + activity session)")
            continue
        n = info.sessions_needed()
        if n is None:
            forced = info.forced_pe
            names = [school.days[d] for d in sorted(forced)]
            out.append(f"{cls.name} 在没有课外活动时段的 {'、'.join(names)} 只能靠体育课凑够 {target} 分钟，"
                       f"共需 {sum(forced.values())} 节体育课，但每周只有 {info.pe} 节 — class "
                       f"{cls.name} can reach {target} min of physical activity on "
                       f"{', '.join(names)} (no activity slot) only with PE, which takes "
                       f"{sum(forced.values())} PE lessons, but it has {info.pe} a week")
            continue
        needed[c] = n
    pool = problem.session_pool
    if pool is None:
        return out
    cap = problem.pools[pool].capacity
    ground = _names(school.venues[v].name for v in problem.pools[pool].venues)
    # sessions no PE lesson can replace, at each instant of the activity times
    forced: dict[int, int] = defaultdict(int)
    for c in needed:
        for d in days[c].forced_sessions:
            forced[days[c].session[d]] += 1
    for clique in problem.cliques(forced):
        need = sum(forced[s] for s in clique)
        if need > cap:
            slot = problem.slots[clique[0]]
            out.append(f"{school.days[slot.day]} {format_clock(slot.start)} 有 {need} 个班必须在操场上课外体育活动，"
                       f"但操场只能容纳 {cap} 个班 — on {school.days[slot.day]} {need} classes need "
                       f"an activity session on the sports ground at once, which holds {cap}")
    out += _ground_per_day(school, policy, problem, days, needed, cap, ground)
    out += _ground_per_week(school, problem, days, needed, cap, ground)
    return out


def _ground_per_day(school: School, policy: Policy, problem: Problem, days: list[_Days],
                    needed: dict[int, int], cap: int, ground: str) -> list[str]:
    """Classes that must use the ground on a day, against the ground that day.

    A class must use it on day ``d`` when only a session covers ``d``, when PE or a
    session covers it and its PE is on the ground, or with daily PE on the ground;
    each such class has one use among its PE slots and activity slot that day.
    """
    out = []
    daily_pe = problem.constraint("daily_pe") is not None
    for d in range(len(problem.days)):
        users = 0
        slots: set[int] = set()
        for c in needed:
            info = days[c]
            if d in info.pe_cost and info.pe_cost[d] is None:
                own = {info.session[d]}
            elif d in info.pe_cost and info.pe_ground:
                own = set(info.pe_slots.get(d, ()))
                if d in info.session:
                    own.add(info.session[d])
            elif daily_pe and info.pe_ground and d in problem.groups[c].school_days:
                own = set(info.pe_slots.get(d, ()))
            else:
                continue
            if own:   # no slot at all: another rule is to blame, not the ground
                users += 1
                slots |= own
        alpha = _most_disjoint(problem, slots)
        if users > cap * alpha:
            day = school.days[d]
            out.append(f"{day} 有 {users} 个班当天必须用{ground}（体育课或课外活动），但{ground}当天最多容纳 "
                       f"{cap * alpha} 班次（容量 {cap} × {alpha} 个不重叠时段）— on {day} {users} "
                       f"classes must use the sports ground ({ground}: PE or an activity "
                       f"session) but it holds only {cap * alpha} (capacity {cap} × {alpha} "
                       f"separate slots)")
    return out


def _ground_per_week(school: School, problem: Problem, days: list[_Days],
                     needed: dict[int, int], cap: int, ground: str) -> list[str]:
    """The sessions a week the PE lessons leave, alone and with the ground's lessons.

    A class's needed sessions are on distinct days among its session days; on a day
    the ground holds ``cap × α`` of them and no more than the classes that can have
    one. Together with the lessons that need the ground they also fit ``cap × α`` of
    all the slots any of them can use.
    """
    total = sum(needed.values())
    if not total:
        return []
    by_day: dict[int, list[int]] = defaultdict(list)
    for c, n in needed.items():
        if n:
            for d in days[c].session_days:
                by_day[d].append(days[c].session[d])
    room = sum(min(len(slots), cap * _most_disjoint(problem, slots))
               for slots in by_day.values())
    who = [(school.classes[c].name, n) for c, n in needed.items() if n]
    zh = _names(f"{name} {n} 次" for name, n in who)
    en = ", ".join(f"{name} {n}" for name, n in who)
    if total > room:
        return [(f"{ground}（容量 {cap}）每周最多容纳 {room} 班次课外体育活动，但体育课覆盖不到的日子各班"
                 f"至少需要 {total} 次（{zh}）— the sports ground ({ground}, capacity {cap}) holds "
                 f"at most {room} activity sessions a week, but the classes need at least "
                 f"{total} on the days their PE lessons cannot cover ({en})")]
    pool = problem.session_pool
    assert pool is not None
    acts = problem.activities_of_pool[pool]
    lessons = sum(problem.activities[a].count for a in acts)
    slots = {s for a in acts for s in problem.activities[a].slots}
    if _most_disjoint(problem, slots) * cap < lessons:
        return []   # the lessons alone do not fit: said with the venue kinds
    slots.update(s for ss in by_day.values() for s in ss)
    room = cap * _most_disjoint(problem, slots)
    if lessons + total > room:
        return [(f"{ground}（容量 {cap}）每周需要 {lessons} 节体育课等和至少 {total} 次课外体育活动（{zh}），"
                 f"共 {lessons + total} 班次，但容量 {cap} × 可用时段只有 {room} — the sports ground "
                 f"({ground}) is needed for {lessons} lessons and at least {total} activity "
                 f"session(s) a week ({en}), {lessons + total} in all, but holds only {room} "
                 f"(capacity × slots)")]
    return []


def _sentence(school: School, problem: Problem, policy: Policy, family: str, kind: str,
              i: int) -> str:
    if kind == "activity":
        act = problem.activities[i]
        cname = _classes_of(school, act)
        sname = school.subjects[act.subject].name
        if family == "double_period":
            return (f"{cname} 的 {sname} 需要 {act.doubles} 次连堂 — {cname} needs {act.doubles} "
                    f"double periods of {sname}")
        if family in ("fixed_slot", "forbidden_slot"):
            at = _names(f"{school.days[problem.slots[s].day]}第{problem.slots[s].period + 1}节"
                        for s in act.fixed)
            if family == "fixed_slot":
                return (f"{cname} 的 {sname} 固定在{at} — {cname}'s {sname} is fixed in {at}")
            return (f"{cname} 的 {sname} 不排在禁排时段 — {cname}'s {sname} stays out of its "
                    f"forbidden periods")
        return (f"{cname} 的 {sname} 每周须上 {act.count} 节（开齐开足，{school.teachers[act.teacher].name} 任教）"
                f" — {cname} needs {act.count} periods of {sname} a week")
    if kind == "teacher":
        t = school.teachers[i]
        if family == "teacher_clash":
            return f"{t.name} 同一时间只能上一个班的课 — teacher {t.name} cannot teach two classes at once"
        if family == "teacher_daily_max":
            return (f"{t.name} 每天最多上 {t.max_periods_per_day} 节 — teacher {t.name} teaches at most "
                    f"{t.max_periods_per_day} periods a day")
        meetings = list(dict.fromkeys(school.meetings[m].name for m, _ in school.meeting_times[i]))
        if meetings and t.unavailable:
            return (f"{t.name} 的不可上课时间（{len(t.unavailable)} 段）及{_names(meetings)} — teacher "
                    f"{t.name}'s unavailable times and meetings ({', '.join(meetings)})")
        if meetings:
            return (f"{t.name} 参加{_names(meetings)}期间不能上课 — teacher {t.name}'s meetings "
                    f"({', '.join(meetings)})")
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
    if kind == "level":
        rule = problem.records("level_progress")[i]
        acts = [problem.activities[a] for a in rule.activities]
        tname = school.teachers[rule.teachers[0]].name
        sname = school.subjects[acts[0].subject].name
        classes = [school.classes[act.group].name for act in acts]
        return (f"教案齐头：{tname} 的 {sname}（{_names(classes)}）同一天上课 — level progress: "
                f"{tname}'s {sname} classes ({', '.join(classes)}) on the same days")
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
    code, _ = solve_cp(solver, model)
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
        code, signum = solve_cp(solver, model)
        if signum is not None:   # interrupted: the core found so far stands
            break
        if code == cp_model.INFEASIBLE:
            kept = trial
    return kept
