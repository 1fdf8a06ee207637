"""Seeded generator of realistic schools, feasible by construction, with slack.

:func:`generate_school` builds a primary (grades 1–6), junior (7–9) or nine-year
(1–9) school: bell schedules that follow the policy profile (start time, period
length, breaks, long breaks, lunch, an after-class physical activity segment and
after-school service), day shapes that add up to the profile's weekly periods,
the curriculum of :mod:`jianfu.instances.curriculum`, staff allocated the way a
教务处 does it (each class's 班主任 teaches its 语文 or 数学; specialist teachers
take several classes; a few part-time and itinerant 走教 teachers with half-days
off) and venues sized so demand fits comfortably.

:func:`sessions_needed` says how many after-class activity sessions a class needs
a week; :func:`slack_report` is the cheap counting check (teacher load against
available slots, venue demand against capacity, sports-ground demand) the
generator's output always passes.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import random
from collections import defaultdict
from typing import Any, Iterable, Sequence

from ..models.errors import InputError
from ..models.policy import NATIONAL, PROFILES, STAGES, EveningRule, Policy, SoftWeights, stage_of
from ..models.school import (
    GROUND,
    BellSchedule,
    DaySchedule,
    Requirement,
    School,
    SchoolClass,
    Segment,
    SegmentKind,
    Teacher,
    Unavailable,
    Venue,
)
from .curriculum import PE, SUBJECTS, weekly_periods
from .schoolfile import freeze

log = logging.getLogger(__name__)

__all__ = ["generate_school", "sessions_needed", "slack_report", "day_shape", "PRESETS",
           "TEACHER_MAX_RATIO", "VENUE_MAX_RATIO", "GROUND_PE_MAX_RATIO"]

DAYS = ("周一", "周二", "周三", "周四", "周五")
PRESETS: dict[str, tuple[int, ...]] = {
    "primary": (1, 2, 3, 4, 5, 6),
    "junior": (7, 8, 9),
    "nine-year": (1, 2, 3, 4, 5, 6, 7, 8, 9),
}
SECTION_NAME = {"primary": "小学部", "junior": "初中部"}
GRADE_ZH = "一二三四五六七八九"

# Slack thresholds of the counting check (and targets of the generator, which aims lower).
TEACHER_MAX_RATIO = 0.8      # weekly load ≤ 80 % of the teacher's usable lesson slots
VENUE_MAX_RATIO = 0.75       # lessons needing a venue kind ≤ 75 % of its slot capacity
GROUND_PE_MAX_RATIO = 0.75   # PE lessons per period ≤ 75 % of the ground they may use

# Default clock of a school day (docs/policy.md §1; seeds 000, 001, 003).
_DEFAULT_START = {"primary": 8 * 60 + 20, "junior": 8 * 60}
_LUNCH_END = {"primary": 14 * 60, "junior": 13 * 60 + 40}
# activity + 课后服务 minutes a day: 课后服务 at least 2 hours (policy service_minutes)
_AFTER_SCHOOL_TOTAL = {"primary": 120, "junior": 120}

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
    "于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛")
_GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞浩宇轩然欣怡"
    "佳琪雪梅晨阳婷颖博文思远志国建春燕海燕晓东立新丹宁凯琳倩慧颖波辉斌宏亮俊"
    "瑶璐嘉悦涵梓睿诗雨若汐鸣振宇德华永清秋云")
_CITIES = ("城关", "东湖", "南山", "清河", "新城", "滨江", "西园", "北塘", "青石", "桃源",
           "柳溪", "凤山")

# Teacher pools per stage: (subjects taught together, most periods a week).
# 语文 and 数学 are handled as 班主任 pairs (see _allocate_main).
_POOLS: dict[str, tuple[tuple[tuple[str, ...], int], ...]] = {
    "primary": (
        (("外语",), 16), (("科学", "劳动"), 16), (("信息科技", "综合实践活动"), 16),
        ((PE,), 16), (("音乐",), 16), (("美术", "地方与校本课程"), 16)),
    "junior": (
        (("外语",), 14), (("道德与法治", "地方与校本课程"), 14), (("历史",), 14), (("地理",), 14),
        (("物理",), 14), (("化学",), 14), (("生物学",), 14), (("信息科技", "综合实践活动"), 14),
        ((PE,), 14), (("音乐",), 14), (("美术",), 14)),
}
# Small schools: a pool with little work joins a partner (a 科学 teacher takes 化学 too).
_MERGE = {"化学": "物理", "生物学": "物理", "地理": "历史", "美术": "音乐"}
_MIN_POOL_LOAD = 8
# Upper end of a realistic weekly load (~12–18 primary, ~10–16 junior).
_HARD_MAX = {"primary": 18, "junior": 16}
# Subjects the 班主任 pair also teaches in their own classes.
_MAIN_EXTRA = {"primary": {"语文": (), "数学": ("道德与法治",)},
               "junior": {"语文": (), "数学": ("劳动",)}}


# --- public API ------------------------------------------------------------------------------

def generate_school(preset: str, classes_per_grade: int, seed: int, policy: Policy | None = None,
                    name: str | None = None) -> School:
    """Generate a realistic school that is feasible by construction.

    Parameters
    ----------
    preset
        ``"primary"`` (grades 1–6), ``"junior"`` (7–9) or ``"nine-year"`` (1–9).
    classes_per_grade
        Parallel classes per grade (1 or more).
    seed
        Random seed; the same arguments always give an equal school.
    policy
        Policy profile the school must satisfy (default: national). ``School.profile``
        is its name (``national`` for a profile that is not built in) and fields that
        differ from the built-in profile become ``policy_overrides``, so
        ``school.policy() == policy``.
    name
        School name (default: a generated one).

    Raises
    ------
    InputError
        For an unknown preset, a class count < 1 or a policy no school day can meet
        (study cap below the periods a day needs).
    """
    if preset not in PRESETS:
        raise InputError("preset", preset, f"one of {', '.join(PRESETS)}")
    if isinstance(classes_per_grade, bool) or not isinstance(classes_per_grade, int) \
            or classes_per_grade < 1:
        raise InputError("classes_per_grade", classes_per_grade, "a whole number ≥ 1")
    policy = policy or NATIONAL
    rng = random.Random(f"jianfu:{preset}:{classes_per_grade}:{seed}")
    grades = PRESETS[preset]
    days = DAYS
    stages = [s for s in STAGES if any(stage_of(g) == s for g in grades)]
    shapes = {g: day_shape(policy.periods_for(g), len(days)) for g in grades}
    eye = rng.random() < 0.7

    schedules = _common_long_break(tuple(
        _bell_schedule(SECTION_NAME[stage], stage, [g for g in grades if stage_of(g) == stage],
                       shapes, policy, days, eye)
        for stage in stages), stages, grades, shapes, policy, days, eye)
    classes = tuple(
        SchoolClass(f"{GRADE_ZH[g - 1]}年级{k}班", g, stages.index(stage_of(g)), shapes[g])
        for g in grades for k in range(1, classes_per_grade + 1))
    subjects = SUBJECTS
    subject_index = {s.name: i for i, s in enumerate(subjects)}

    plan = _curriculum(classes, policy, rng)
    names = _NameMaker(rng)
    teachers, assignment = _allocate(classes, plan, stages, names)
    classes = _with_head_teachers(classes, stages, assignment)
    requirements = tuple(
        Requirement(c, subject_index[subj], assignment[(c, subj)], periods, doubles)
        for c in range(len(classes)) for subj, periods, doubles in plan[c])
    school_name = name or _school_name(preset, rng)
    teachers = _part_timers(teachers, requirements, classes, schedules, days, rng, school_name)
    teacher_tuple = tuple(
        Teacher(t["name"], tuple(sorted(subject_index[s] for s in t["subjects"])),
                tuple(t["unavailable"]), t["max"], tuple(t["schools"]))
        for t in teachers)
    profile, overrides = _profile_of(policy)
    # A draft with one venue of each kind, to size the real venues from its demand.
    draft_venues = tuple(Venue(kind, kind) for kind in sorted({s.venue_kind for s in subjects
                                                               if s.venue_kind}))
    draft = School(name=school_name, days=days, schedules=schedules, subjects=subjects,
                   classes=classes, teachers=teacher_tuple, venues=draft_venues,
                   requirements=requirements,
                   profile=profile, policy_overrides=overrides)
    venues = _venues(draft, policy)
    teacher_tuple = _daily_caps(draft, policy, rng)
    school = dataclasses.replace(draft, venues=venues, teachers=teacher_tuple)
    try:
        same = school.policy() == policy
    except InputError:   # an override the profile loader cannot read back
        same = False
    if not same:
        log.warning("generated school's profile %s with overrides does not reproduce policy %s",
                    profile, policy.name)
    return school


def day_shape(weekly: int, days: int) -> tuple[int, ...]:
    """Periods per day adding up to ``weekly``: 26 → 5,5,5,5,6; 30 → 6×5; 34 → 7,7,7,7,6.

    The odd day out is the last one: a single longer day goes last (26), and when most
    days are longer the short day goes last (34).
    """
    base, rem = divmod(weekly, days)
    if rem == 0:
        return (base,) * days
    if 2 * rem < days:
        return (base,) * (days - rem) + (base + 1,) * rem
    return (base + 1,) * rem + (base,) * (days - rem)


def sessions_needed(school: School, policy: Policy, cls: int) -> int:
    """After-class activity sessions class ``cls`` needs a week under ``policy``.

    Rule ``daily_activity``: each day, long-break minutes + its PE lessons' minutes +
    the activity segment (when it has a session) ≥ ``policy.daily_activity_minutes``.
    A day whose long breaks reach the target needs nothing; a day where long breaks
    plus one PE period reach it is covered by a PE lesson, and PE lessons (at most one
    useful per day; a double counts once) go to such days first; every other day needs
    a session. So the national profile needs (days − PE lessons a week) sessions and a
    profile where PE alone cannot reach the target (Guangdong 2025: 120 minutes) needs
    one every day.
    """
    c = school.classes[cls]
    schedule = school.schedules[c.schedule]
    target = policy.daily_activity_minutes
    pe_reqs = [school.requirements[q] for q in school.requirements_of_class[cls]
               if school.subjects[school.requirements[q].subject].is_pe]
    pe_days = sum(q.periods - q.doubles for q in pe_reqs)
    always = coverable = 0
    for d, day in enumerate(schedule.days):
        long_break = sum(s.minutes for s in day.of_kind(SegmentKind.LONG_BREAK))
        if long_break >= target:
            continue
        usable = day.periods[:school.usable_periods(cls, d)]
        pe_minutes = min((p.minutes for p in usable), default=0)
        if pe_reqs and usable and long_break + pe_minutes >= target:
            coverable += 1
        else:
            always += 1
    return always + max(0, coverable - pe_days)


def slack_report(school: School, policy: Policy) -> dict[str, Any]:
    """Cheap counting check that a school leaves room for a timetable.

    Returns
    -------
    dict
        ``ok`` (bool), ``problems`` (sentences), ``teachers`` (per teacher: load,
        available slots, ratio), ``venues`` (per kind other than the ground: average
        venues busy per period against the number of venues), ``ground`` (per bell
        schedule: PE lessons per period and activity sessions per day, against the
        ground capacity), ``classes`` (per class: weekly periods against the profile
        and the slots of its day shape, sessions needed). A school passes when every
        ratio is within :data:`TEACHER_MAX_RATIO` / :data:`VENUE_MAX_RATIO` /
        :data:`GROUND_PE_MAX_RATIO` and every count fits.
    """
    problems: list[str] = []
    classes = _class_rows(school, policy, problems)
    teachers = _teacher_rows(school, policy, problems)
    venues = _venue_rows(school, problems)
    ground = _ground_rows(school, policy, classes, problems)
    return {"ok": not problems, "problems": problems, "teachers": teachers, "venues": venues,
            "ground": ground, "classes": classes}


# --- bell schedules --------------------------------------------------------------------------

def _ceil5(minutes: float) -> int:
    return int(math.ceil(minutes / 5.0) * 5)


def _common_long_break(schedules: tuple[BellSchedule, ...], stages: Sequence[str],
                       grades: Sequence[int], shapes: dict[int, tuple[int, ...]], policy: Policy,
                       days: Sequence[str], eye: bool) -> tuple[BellSchedule, ...]:
    """The schedules with the day's first 大课间 at one time for the whole school
    (policy ``long_break_common``): a stage whose long break comes earlier starts later."""
    if not policy.long_break_common or len(schedules) < 2:
        return schedules
    firsts = [min((x.start for x in sched.days[0].of_kind(SegmentKind.LONG_BREAK)), default=None)
              for sched in schedules]
    if None in firsts:
        return schedules
    latest = max(firsts)  # type: ignore[type-var]
    return tuple(
        sched if first == latest else
        _bell_schedule(sched.name, stage, [g for g in grades if stage_of(g) == stage], shapes,
                       policy, days, eye, shift=latest - first)  # type: ignore[operator]
        for sched, stage, first in zip(schedules, stages, firsts))


def _bell_schedule(name: str, stage: str, grades: Sequence[int], shapes: dict[int, tuple[int, ...]],
                   policy: Policy, days: Sequence[str], eye: bool, shift: int = 0) -> BellSchedule:
    grade = grades[0]
    per_day = [max(shapes[g][d] for g in grades) for d in range(len(days))]
    cache: dict[int, DaySchedule] = {}
    for n in set(per_day):
        cache[n] = _day(stage, n, policy, grades, eye, shift)
    log.debug("bell schedule %s (grade %d…): %s", name, grade, per_day)
    return BellSchedule(name, tuple(cache[n] for n in per_day))


def _day(stage: str, n: int, policy: Policy, grades: Sequence[int], eye: bool,
         shift: int = 0) -> DaySchedule:
    """One school day of ``n`` periods that meets every timetable rule of ``policy``,
    starting ``shift`` minutes after the stage's usual start."""
    i = STAGES.index(stage)
    period = policy.period_minutes[i]
    cap = min(policy.study_cap_minutes(g) for g in grades)
    if n * period > cap:
        raise InputError("policy.study_cap_hours", policy.study_cap_hours[i],
                         f"{n} periods of {period} minutes exceed the study cap of {stage} classes")
    start = max(_DEFAULT_START[stage], min(policy.earliest_start_minutes(g) for g in grades)) + shift
    short = max(10, policy.min_short_break_minutes)
    need_breaks = policy.min_daily_break_minutes[i]
    extra = 0
    while True:
        segments = _segments(stage, n, start, period, short + extra, policy, grades, eye)
        total = sum(s.minutes for s in segments
                    if s.kind in (SegmentKind.BREAK, SegmentKind.EYE, SegmentKind.LONG_BREAK))
        if total >= need_breaks or extra > 60:
            break
        extra += 5
    return DaySchedule(tuple(segments))


def _segments(stage: str, n: int, start: int, period: int, short: int, policy: Policy,
              grades: Sequence[int], eye: bool) -> list[Segment]:
    morning = min(n, 4) if n <= 8 else n - 4
    afternoon = n - morning
    long_after = {2 if morning >= 3 else morning}          # am 大课间 after period 2
    if policy.long_breaks_per_day >= 2:                    # pm 大课间 (Beijing 2024)
        long_after.add(morning + 1 if afternoon >= 2 else n)
    long_count = {p: 1 for p in long_after}
    if policy.long_breaks_per_day > len(long_after):
        long_count[n] = long_count.get(n, 0) + policy.long_breaks_per_day - len(long_after)
    if policy.long_breaks_per_day == 0:
        long_count = {}
    lb = max(policy.long_break_minutes, 1)

    out: list[Segment] = []
    t = start
    for p in range(1, n + 1):
        out.append(Segment(SegmentKind.LESSON, t, t + period))
        t += period
        if p == n:
            break
        if long_count.get(p):
            for _ in range(long_count[p]):
                out.append(Segment(SegmentKind.LONG_BREAK, t, t + lb, "大课间"))
                t += lb
            if p == morning:
                t = _lunch(out, t, stage)
        elif p == morning:
            t = _lunch(out, t, stage)
        elif eye and p == 3 and short >= 10:
            out.append(Segment(SegmentKind.EYE, t, t + 5))
            out.append(Segment(SegmentKind.BREAK, t + 5, t + short))
            t += short
        else:
            out.append(Segment(SegmentKind.BREAK, t, t + short))
            t += short
    if long_count.get(n):
        for _ in range(long_count[n]):
            out.append(Segment(SegmentKind.LONG_BREAK, t, t + lb, "大课间"))
            t += lb
    else:
        out.append(Segment(SegmentKind.BREAK, t, t + short))
        t += short
    long_total = lb * policy.long_breaks_per_day
    pe_minutes = period if policy.daily_pe or min(policy.pe_for(g) for g in grades) >= 5 else 0
    activity = max(30, _ceil5(policy.daily_activity_minutes - long_total - pe_minutes))
    out.append(Segment(SegmentKind.ACTIVITY, t, t + activity))
    t += activity
    service = max(60, _AFTER_SCHOOL_TOTAL[stage] - activity)
    end = min(t + service, 24 * 60)
    if end > t:
        out.append(Segment(SegmentKind.AFTER_SCHOOL, t, end))
    return out


def _lunch(out: list[Segment], t: int, stage: str) -> int:
    end = max(_ceil5(t + 90), _LUNCH_END[stage])
    out.append(Segment(SegmentKind.LUNCH, t, end))
    return end


# --- curriculum and staff --------------------------------------------------------------------

def _curriculum(classes: Sequence[SchoolClass], policy: Policy, rng: random.Random
                ) -> list[list[tuple[str, int, int]]]:
    """Per class: (subject, periods, doubles). A few grades get one double period of
    美术 (primary) or 综合实践活动 (junior), the same for all classes of the grade."""
    doubled: dict[int, str] = {}
    for g in sorted({c.grade for c in classes}):
        if 3 <= g <= 6 and rng.random() < 0.5:
            doubled[g] = "美术"
        elif g in (7, 8) and rng.random() < 0.5:
            doubled[g] = "综合实践活动"
    plan = []
    for c in classes:
        periods = _grade_plan(c.grade, policy)
        rows = []
        for subj, n in periods.items():
            doubles = 1 if doubled.get(c.grade) == subj and n >= 2 else 0
            rows.append((subj, n, doubles))
        plan.append(rows)
    return plan


_FILLERS = ("地方与校本课程", "综合实践活动", "劳动")


def _grade_plan(grade: int, policy: Policy) -> dict[str, int]:
    """The curriculum of ``grade``, made to add up to the profile's weekly periods.

    With the built-in numbers it already does. A profile that changes the weekly
    total gains or loses the difference in 地方与校本课程 first (then 综合实践活动,
    劳动), as schools fill local hours."""
    try:
        plan = dict(weekly_periods(grade, policy))
    except ValueError as exc:
        raise InputError("policy.pe_per_week", policy.pe_for(grade), str(exc)) from None
    diff = policy.periods_for(grade) - sum(plan.values())
    if diff > 0:
        plan[_FILLERS[0]] = plan.get(_FILLERS[0], 0) + diff
    for subject in _FILLERS:
        if diff >= 0:
            break
        take = min(-diff, plan.get(subject, 0))
        if take:
            plan[subject] -= take
            diff += take
    if diff < 0:
        raise InputError("policy.weekly_periods", policy.weekly_periods,
                         f"grade {grade}: the curriculum cannot shrink to "
                         f"{policy.periods_for(grade)} periods a week")
    return {name: n for name, n in plan.items() if n > 0}


class _NameMaker:
    """Unique Chinese names, deterministic from the generator's random stream."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def __call__(self) -> str:
        for _ in range(10_000):
            given = self.rng.choice(_GIVEN)
            if self.rng.random() < 0.45:
                given += self.rng.choice(_GIVEN)
            name = self.rng.choice(_SURNAMES) + given
            if name not in self.used:
                self.used.add(name)
                return name
        raise RuntimeError("ran out of names")  # pragma: no cover - 90×130² names


def _school_name(preset: str, rng: random.Random) -> str:
    city = rng.choice(_CITIES)
    return {"primary": f"{city}实验小学", "junior": f"{city}中学",
            "nine-year": f"{city}九年一贯制学校"}[preset]


def _allocate(classes: Sequence[SchoolClass], plan: list[list[tuple[str, int, int]]],
              stages: Sequence[str], names: _NameMaker
              ) -> tuple[list[dict[str, Any]], dict[tuple[int, str], int]]:
    """Teachers (as dicts) and the teacher of every (class, subject)."""
    teachers: list[dict[str, Any]] = []
    assignment: dict[tuple[int, str], int] = {}
    periods = [{s: n for s, n, _ in rows} for rows in plan]
    for stage in stages:
        members = [i for i, c in enumerate(classes) if c.stage == stage]
        # 班主任 pairs: two classes share a 语文 and a 数学 teacher; the 语文 teacher is
        # 班主任 of the first class, the 数学 teacher of the second.
        for k in range(0, len(members), 2):
            pair = members[k:k + 2]
            for main, extra in _MAIN_EXTRA[stage].items():
                subjects = [s for s in (main,) + extra if any(s in periods[c] for c in pair)]
                t = _new_teacher(teachers, names, subjects)
                for c in pair:
                    for s in subjects:
                        if s in periods[c]:
                            assignment[(c, s)] = t
        pools = _stage_pools(stage, members, periods)
        for subjects, most in pools:
            items = [(c, [s for s in subjects if s in periods[c]]) for c in members]
            items = [(c, ss) for c, ss in items if ss]
            loads = [sum(periods[c][s] for s in ss) for c, ss in items]
            total = sum(loads)
            if not total:
                continue
            # As few teachers as keep every load within the stage's upper bound, but no
            # fewer than the pool's usual load suggests less one (a 地理 teacher with 16
            # periods rather than two with 8).
            count = max(1, math.ceil(total / most) - 1)
            owners = _split(loads, count)
            while _largest_run(loads, owners) > max(_HARD_MAX[stage], max(loads)):
                count += 1
                owners = _split(loads, count)
            ids = {}
            for (c, ss), owner in zip(items, owners):
                if owner not in ids:
                    taught = sorted({s for (c2, ss2), o in zip(items, owners) if o == owner
                                     for s in ss2}, key=subjects.index)
                    ids[owner] = _new_teacher(teachers, names, taught)
                for s in ss:
                    assignment[(c, s)] = ids[owner]
    return teachers, assignment


def _with_head_teachers(classes: Sequence[SchoolClass], stages: Sequence[str],
                        assignment: dict[tuple[int, str], int]) -> tuple[SchoolClass, ...]:
    """The classes with their 班主任, as :func:`_allocate` pairs them: the 语文 teacher of
    the first class of a pair, the 数学 teacher of the second (the other one if the
    class lacks that subject)."""
    out = list(classes)
    for stage in stages:
        members = [i for i, c in enumerate(classes) if c.stage == stage]
        for k, c in enumerate(members):
            first, second = ("语文", "数学") if k % 2 == 0 else ("数学", "语文")
            head = assignment.get((c, first), assignment.get((c, second)))
            if head is not None:
                out[c] = dataclasses.replace(out[c], head_teacher=head)
    return tuple(out)


def _split(loads: Sequence[int], count: int) -> list[int]:
    """Owner of each item: at most ``count`` contiguous runs (a teacher takes classes in
    order) with the smallest possible largest load."""
    def runs(cap: int) -> list[int]:   # greedy fill, each run at most ``cap``
        owners, owner, acc = [], 0, 0
        for load in loads:
            if acc and acc + load > cap:
                owner, acc = owner + 1, 0
            owners.append(owner)
            acc += load
        return owners

    low, high = max(max(loads), math.ceil(sum(loads) / count)), sum(loads)
    while low < high:
        mid = (low + high) // 2
        if runs(mid)[-1] < count:
            high = mid
        else:
            low = mid + 1
    # Balance: a new run starts when the item's midpoint passes the next equal share,
    # or when the smallest feasible largest load ``low`` would be exceeded.
    share = sum(loads) / count
    owners, owner, acc, done = [], 0, 0, 0
    for load in loads:
        want = min(count - 1, int((done + load / 2) // share))
        if acc and (want > owner or acc + load > low):
            owner, acc = owner + 1, 0
        owners.append(owner)
        acc += load
        done += load
    return owners


def _largest_run(loads: Sequence[int], owners: Sequence[int]) -> int:
    totals: dict[int, int] = defaultdict(int)
    for load, owner in zip(loads, owners):
        totals[owner] += load
    return max(totals.values())


def _stage_pools(stage: str, members: Sequence[int], periods: list[dict[str, int]]
                 ) -> list[tuple[tuple[str, ...], int]]:
    """The stage's teacher pools, small ones merged into their partner."""
    pools = {subjects: most for subjects, most in _POOLS[stage]}
    load = {subjects: sum(periods[c].get(s, 0) for c in members for s in subjects)
            for subjects in pools}
    merged: dict[tuple[str, ...], tuple[str, ...]] = {p: p for p in pools}
    for subjects in list(pools):
        partner_subject = _MERGE.get(subjects[0])
        if partner_subject is None or load[subjects] >= _MIN_POOL_LOAD:
            continue
        partner = next((p for p in pools if partner_subject in merged[p] and p != subjects), None)
        if partner is None or merged[partner] is None:
            continue
        merged[partner] = merged[partner] + subjects
        merged[subjects] = ()
    out = []
    for subjects, most in pools.items():
        if merged[subjects]:
            out.append((merged[subjects], most))
    return out


def _new_teacher(teachers: list[dict[str, Any]], names: _NameMaker, subjects: Iterable[str]) -> int:
    teachers.append({"name": names(), "subjects": list(subjects), "unavailable": [],
                     "max": None, "schools": []})
    return len(teachers) - 1


def _part_timers(teachers: list[dict[str, Any]], requirements: Sequence[Requirement],
                 classes: Sequence[SchoolClass], schedules: Sequence[BellSchedule],
                 days: Sequence[str], rng: random.Random, school_name: str) -> list[dict[str, Any]]:
    """Make a few specialist teachers part-time (兼职) or itinerant (走教): half-days off.

    Only teachers whose subjects meet at most three times a week per class (so no
    subject needs them every day), who teach in one bell schedule, and whose load
    stays ≤ 60 % of the lesson slots left; two half-days off, or one when two leave
    too little. About one teacher in twelve, at least one; every other one is
    itinerant (``schools`` names this school and a nearby one)."""
    load: dict[int, int] = defaultdict(int)
    most_periods: dict[int, int] = defaultdict(int)
    their_classes: dict[int, set[int]] = defaultdict(set)
    for r in requirements:
        load[r.teacher] += r.periods
        most_periods[r.teacher] = max(most_periods[r.teacher], r.periods)
        their_classes[r.teacher].add(r.cls)
    main = {"语文", "数学"}
    options: list[tuple[int, list[Unavailable]]] = []
    for i, t in enumerate(teachers):
        cls_list = sorted(their_classes[i])
        if main & set(t["subjects"]) or most_periods[i] > 3 or not cls_list \
                or len({classes[c].schedule for c in cls_list}) > 1:
            continue
        schedule = schedules[classes[cls_list[0]].schedule]
        halves = rng.sample(range(len(days) * 2), 2)
        for n_off in (2, 1):
            unavailable = [_half_day(schedule, *divmod(h, 2)) for h in sorted(halves[:n_off])]
            free = 0
            for d, day in enumerate(schedule.days):
                usable = max(_shape(classes[c], d, schedules) for c in cls_list)
                free += sum(1 for p in day.periods[:usable]
                            if not any(u.overlaps(d, p.start, p.end) for u in unavailable))
            if load[i] <= 0.6 * free:
                options.append((i, unavailable))
                break
    count = min(len(options), max(1, round(len(teachers) / 12)))
    other_city = [c for c in _CITIES if not school_name.startswith(c)]
    chosen = sorted(rng.sample(options, count))
    for k, (i, unavailable) in enumerate(chosen):
        teachers[i]["unavailable"] = unavailable
        if k % 2 == 0:   # 走教: also serves a school of the same stage nearby
            stage = classes[min(their_classes[i])].stage
            kind = "小学" if stage == "primary" else "中学"
            teachers[i]["schools"] = [school_name, f"{rng.choice(other_city)}{kind}"]
    return teachers


def _half_day(schedule: BellSchedule, d: int, pm: int) -> Unavailable:
    """上午 (midnight to lunch start) or 下午 (lunch end to midnight) of day ``d``."""
    lunch = schedule.days[d].lunch
    if pm:
        return Unavailable(d, lunch.end if lunch else 12 * 60, 24 * 60)
    return Unavailable(d, 0, lunch.start if lunch else 12 * 60)


def _shape(c: SchoolClass, d: int, schedules: Sequence[BellSchedule]) -> int:
    if c.periods_per_day is None:
        return len(schedules[c.schedule].periods(d))
    return c.periods_per_day[d]


def _daily_caps(school: School, policy: Policy, rng: random.Random) -> tuple[Teacher, ...]:
    """Give about a third of the teachers a daily maximum, only where it leaves room."""
    out = []
    for i, t in enumerate(school.teachers):
        load = sum(school.requirements[q].periods for q in school.requirements_of_teacher[i])
        if t.unavailable or not load or rng.random() >= 0.35:
            out.append(t)
            continue
        per_day = _teacher_slots_per_day(school, i)
        most = math.ceil(load / len(school.days)) + 2
        room = sum(min(most, n) for n in per_day)
        daily = _daily_lessons(school, policy, i)
        if load <= 0.7 * room and all(daily <= min(most, n) for n in per_day):
            out.append(dataclasses.replace(t, max_periods_per_day=most))
        else:
            out.append(t)
    return tuple(out)


# --- venues ---------------------------------------------------------------------------------

_VENUE_NAMES = {"lab": ("物理实验室", "化学实验室", "生物实验室"), "computer": ("计算机教室",),
                "music": ("音乐教室",)}


def _venues(school: School, policy: Policy) -> tuple[Venue, ...]:
    """A sports ground sized for PE and activity sessions, plus special rooms with slack."""
    venues: list[Venue] = []
    need = _ground_need(school, policy, pe_ratio=0.6)
    capacity = math.ceil(need) + 1
    if capacity >= 8:
        indoor = capacity // 3
        venues += [Venue("操场", GROUND, capacity - indoor), Venue("风雨操场", GROUND, indoor)]
    else:
        venues.append(Venue("操场", GROUND, capacity))
    demand = _kind_demand(school)
    for kind in sorted(demand):
        if kind == GROUND:
            continue
        count = math.ceil(demand[kind] / 0.6) if demand[kind] else 0
        names = _VENUE_NAMES.get(kind, (kind,))
        for k in range(count):
            if len(names) >= count:
                label = names[k]
            elif len(names) == 1:
                label = f"{names[0]}{k + 1}"
            else:
                label = names[k] if k < len(names) else f"实验室{k + 1}"
            venues.append(Venue(label, kind, 1))
    return tuple(venues)


def _slots(school: School, members: Iterable[int]) -> int:
    """Lesson slots a week every class of ``members`` has (the smallest day shape per day)."""
    members = list(members)
    if not members:
        return 0
    return sum(min(school.usable_periods(c, d) for c in members) for d in range(len(school.days)))


def _by_schedule(school: School) -> dict[int, list[int]]:
    groups: dict[int, list[int]] = defaultdict(list)
    for i, c in enumerate(school.classes):
        groups[c.schedule].append(i)
    return dict(sorted(groups.items()))


def _kind_demand(school: School) -> dict[str, float]:
    """Per venue kind: average number of venues busy in a period (summed over schedules)."""
    out: dict[str, float] = defaultdict(float)
    for _, members in _by_schedule(school).items():
        slots = _slots(school, members)
        per_kind: dict[str, int] = defaultdict(int)
        for c in members:
            for q in school.requirements_of_class[c]:
                r = school.requirements[q]
                kind = school.venue_kind(r)
                if kind is not None:
                    per_kind[kind] += r.periods
        for kind, n in per_kind.items():
            out[kind] += n / slots if slots else math.inf
    return dict(out)


def _ground_parts(school: School, policy: Policy) -> list[dict[str, Any]]:
    """Per bell schedule: PE lessons per period on average, activity sessions per day."""
    rows = []
    days = len(school.days)
    for s, members in _by_schedule(school).items():
        slots = _slots(school, members)
        pe = sum(school.requirements[q].periods for c in members
                 for q in school.requirements_of_class[c]
                 if school.venue_kind(school.requirements[q]) == GROUND)
        needed = [sessions_needed(school, policy, c) for c in members]
        every_day = sum(1 for n in needed if n >= days)
        spread = sum(n for n in needed if n < days)
        rows.append({"schedule": school.schedules[s].name, "classes": len(members),
                     "pe_lessons": pe, "pe_per_period": pe / slots if slots else math.inf,
                     "sessions": sum(needed),
                     "sessions_per_day": every_day + math.ceil(spread / days)})
    return rows


def _ground_need(school: School, policy: Policy, pe_ratio: float) -> float:
    """Ground capacity that holds, at every instant, the PE lessons and activity sessions
    that may be in progress then.

    Each bell schedule contributes, during each of its periods, its PE lessons per
    period on average divided by ``pe_ratio`` (so the solver may place up to that many
    at once), and during its activity segment its sessions of a day. A schedule's
    lessons and activity segment never overlap; two schedules (小学部, 初中部) may, and
    then their uses add up. The answer is the largest sum over the week's instants.
    """
    parts = _ground_parts(school, policy)
    groups = _by_schedule(school)
    worst = 0.0
    for d in range(len(school.days)):
        uses: list[tuple[int, int, float]] = []
        for (s, _), row in zip(groups.items(), parts):
            day = school.schedules[s].days[d]
            if row["pe_lessons"]:
                rate = row["pe_per_period"] / pe_ratio
                uses += [(p.start, p.end, rate) for p in day.periods]
            if row["sessions"] and day.activity is not None:
                uses.append((day.activity.start, day.activity.end, row["sessions_per_day"]))
        for t in {start for start, _, _ in uses}:
            worst = max(worst, sum(w for start, end, w in uses if start <= t < end))
    return worst


# --- slack report ----------------------------------------------------------------------------

def _teacher_slots_per_day(school: School, t: int) -> list[int]:
    """Distinct lesson times a teacher could teach each day (their classes' day shapes,
    minus unavailable stretches and meetings)."""
    away = school.unavailable_of(t)
    classes = {school.requirements[q].cls for q in school.requirements_of_teacher[t]}
    out = []
    for d in range(len(school.days)):
        times = set()
        for c in classes:
            for p in school.day_of(c, d).periods[:school.usable_periods(c, d)]:
                if not any(u.overlaps(d, p.start, p.end) for u in away):
                    times.add((p.start, p.end))
        out.append(len(times))
    return out


def _daily_lessons(school: School, policy: Policy, t: int) -> int:
    """Lessons a teacher must give every day: their PE classes under a daily-PE profile."""
    if not policy.daily_pe:
        return 0
    return sum(1 for q in school.requirements_of_teacher[t]
               if school.subjects[school.requirements[q].subject].is_pe)


def _teacher_rows(school: School, policy: Policy, problems: list[str]) -> list[dict[str, Any]]:
    rows = []
    for i, t in enumerate(school.teachers):
        load = sum(school.requirements[q].periods for q in school.requirements_of_teacher[i])
        per_day = _teacher_slots_per_day(school, i)
        if t.max_periods_per_day is not None:
            per_day = [min(n, t.max_periods_per_day) for n in per_day]
        available = sum(per_day)
        ratio = load / available if available else (math.inf if load else 0.0)
        rows.append({"teacher": t.name, "load": load, "available": available, "ratio": ratio})
        if ratio > TEACHER_MAX_RATIO:
            problems.append(f"教师 {t.name}: 周课时 {load} / 可用节数 {available} = {ratio:.0%} "
                            f"> {TEACHER_MAX_RATIO:.0%} "
                            f"(teacher load too close to available slots)")
        daily = _daily_lessons(school, policy, i)
        for d, n in enumerate(per_day):
            if daily > n:
                problems.append(f"教师 {t.name}: {school.days[d]} 需上 {daily} 节体育, 只有 {n} 节可用 "
                                f"(daily PE lessons exceed the teacher's slots that day)")
    return rows


def _venue_rows(school: School, problems: list[str]) -> dict[str, dict[str, Any]]:
    rows = {}
    for kind, busy in sorted(_kind_demand(school).items()):
        if kind == GROUND:
            continue
        count = sum(school.venues[v].capacity for v in school.venues_of_kind(kind))
        ratio = busy / count if count else math.inf
        rows[kind] = {"busy_per_period": busy, "capacity": count, "ratio": ratio}
        if ratio > VENUE_MAX_RATIO:
            problems.append(f"场地类型 {kind}: 平均每节需 {busy:.2f} 间 / 共 {count} 间 = {ratio:.0%} "
                            f"> {VENUE_MAX_RATIO:.0%} (venue demand too close to capacity)")
    return rows


def _ground_rows(school: School, policy: Policy, classes: list[dict[str, Any]],
                 problems: list[str]) -> dict[str, Any]:
    parts = _ground_parts(school, policy)
    capacity = sum(school.venues[v].capacity for v in school.venues_of_kind(GROUND))
    need = _ground_need(school, policy, GROUND_PE_MAX_RATIO)
    if any(p["pe_lessons"] or p["sessions"] for p in parts) and need > capacity:
        problems.append(f"操场 ground: 需要容量 {need:.1f} > {capacity} (PE lessons per period / "
                        f"{GROUND_PE_MAX_RATIO:.0%} or activity sessions of a day, summed over "
                        f"overlapping bell schedules)")
    return {"capacity": capacity, "need": need, "schedules": parts}


def _class_rows(school: School, policy: Policy, problems: list[str]) -> list[dict[str, Any]]:
    rows = []
    target = policy.daily_activity_minutes
    for i, c in enumerate(school.classes):
        periods = sum(school.requirements[q].periods for q in school.requirements_of_class[i])
        slots = sum(school.usable_periods(i, d) for d in range(len(school.days)))
        sessions = sessions_needed(school, policy, i)
        rows.append({"class": c.name, "periods": periods, "slots": slots,
                     "profile": policy.periods_for(c.grade), "sessions": sessions})
        if periods > slots:
            problems.append(f"班级 {c.name}: 周课时 {periods} > 课表节数 {slots} "
                            f"(more lessons than periods in its day shape)")
        if periods != policy.periods_for(c.grade):
            problems.append(f"班级 {c.name}: 周课时 {periods} ≠ {policy.periods_for(c.grade)} "
                            f"(weekly total differs from the profile)")
        if sessions:
            schedule = school.schedules[c.schedule]
            for d, day in enumerate(schedule.days):
                long_break = sum(s.minutes for s in day.of_kind(SegmentKind.LONG_BREAK))
                if long_break >= target:
                    continue
                activity = day.activity.minutes if day.activity else 0
                pe = min((p.minutes for p in day.periods), default=0) if policy.daily_pe else 0
                if long_break + pe + activity < target:
                    problems.append(
                        f"班级 {c.name}: {school.days[d]} 大课间 {long_break} + 体育 {pe} + 课外活动 "
                        f"{activity} < {target} 分钟 (the activity segment is too short)")
    return rows


# --- profile ----------------------------------------------------------------------------------

def _profile_of(policy: Policy) -> tuple[str, tuple[tuple[str, Any], ...]]:
    """The profile name and single-field overrides that reproduce ``policy``."""
    base_name = policy.name if policy.name in PROFILES else "national"
    base = PROFILES[base_name]
    overrides = []
    for f in dataclasses.fields(Policy):
        value, default = getattr(policy, f.name), getattr(base, f.name)
        if value == default:
            continue
        overrides.append((f.name, freeze(_override_value(value))))
    return base_name, tuple(overrides)


def _override_value(value: Any) -> Any:
    if isinstance(value, SoftWeights):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(SoftWeights)}
    if isinstance(value, EveningRule):
        return {"grades": value.grades, "max_subjects": value.max_subjects, "groups": value.groups}
    if isinstance(value, tuple) and value and all(isinstance(v, tuple) and len(v) == 2
                                                  and isinstance(v[0], str) for v in value):
        return dict(value)
    return value
