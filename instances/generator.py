"""Seeded generator of realistic schools, feasible by construction, with slack.

:func:`generate_school` builds a primary (grades 1–6), junior (7–9) or nine-year
(1–9) school: bell schedules that follow the policy profile (start time, period
length, breaks, long breaks, lunch, an after-class physical activity segment and
after-school service), day shapes that add up to the profile's weekly periods,
the curriculum of :mod:`jianfu.instances.curriculum`, staff allocated the way a
教务处 does it (each class's 班主任 teaches its 语文 or 数学; specialist teachers
take several classes; a few part-time and itinerant 走教 teachers with half-days
off) and venues sized so demand fits comfortably. With ``structures=True`` it also
gives the school its organisation (issue #17, :class:`Structures`): 班会 by the 班主任,
升旗仪式, 教研活动, 行政会, 禁排, wishes, 男女分组 PE, 体育合班, 复式班, 外语分层 走班
blocks and 单双周 书法.

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
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

from ..models.errors import InputError
from ..models.policy import NATIONAL, PROFILES, STAGES, EveningRule, Policy, SoftWeights, stage_of
from ..models.school import (
    CLASS_MEETING,
    GROUND,
    WEEK_EN,
    WEEK_ZH,
    WEEKS,
    Alternate,
    BellSchedule,
    Block,
    BlockGroup,
    Category,
    Combined,
    DaySchedule,
    Half,
    Meeting,
    Requirement,
    School,
    SchoolClass,
    Segment,
    SegmentKind,
    SlotSpec,
    Split,
    SplitGroup,
    Subject,
    Teacher,
    Unavailable,
    Venue,
    Wish,
)
from .curriculum import PE, SUBJECTS, weekly_periods
from .schoolfile import freeze

log = logging.getLogger(__name__)

__all__ = ["generate_school", "sessions_needed", "slack_report", "teacher_slack", "teacher_load",
           "day_shape", "PRESETS", "TEACHER_MAX_RATIO", "VENUE_MAX_RATIO", "GROUND_PE_MAX_RATIO",
           "Structures", "add_structures", "structure_counts", "STEPS", "standard_day",
           "long_break_shifts",
           "grade_plan"]

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
                    name: str | None = None, structures: bool | Structures = False) -> School:
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
    structures
        ``True`` (or a :class:`Structures` choosing some):
        the school as it is organised — 班会 by the 班主任, 升旗仪式, 教研活动 and a
        行政会, 禁排 periods, teachers' wishes, 男女分组 PE, 体育合班 and 外语分层 (走班)
        in junior grades, 复式班 with one class per grade, 书法 every other week (单双周)
        in primary grades — at the seeded rates of
        :class:`Structures`, drawn from a random stream of their own.
        ``False`` (the default): none, the school is the same as without the option.

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
    if structures:   # True, or a Structures with something chosen
        chosen = structures if isinstance(structures, Structures) else Structures()
        school = add_structures(school, policy, random.Random(
            f"jianfu:structures:{preset}:{classes_per_grade}:{seed}"), chosen)
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
    if not policy.long_break_common:
        return schedules
    return tuple(
        sched if not shift else
        _bell_schedule(sched.name, stage, [g for g in grades if stage_of(g) == stage], shapes,
                       policy, days, eye, shift=shift)
        for sched, stage, shift in zip(schedules, stages, long_break_shifts(schedules)))


def long_break_shifts(schedules: Sequence[BellSchedule]) -> tuple[int, ...]:
    """Minutes each schedule's day must start later so that the first day's first 大课间
    is at one time in all of them (0 for every schedule without one)."""
    firsts = [min((x.start for x in sched.days[0].of_kind(SegmentKind.LONG_BREAK)), default=None)
              for sched in schedules]
    known = [f for f in firsts if f is not None]
    latest = max(known, default=0)
    return tuple(0 if f is None else latest - f for f in firsts)


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
    return standard_day(stage, n, policy, grades, eye, shift)


def standard_day(stage: str, n: int, policy: Policy, grades: Sequence[int],
                 eye: bool = True, shift: int = 0) -> DaySchedule:
    """A school day of ``n`` lesson periods as generated schools have it under ``policy``.

    The stage's period length and first period, the profile's short breaks, long
    breaks and daily break total, lunch, the after-class activity and 课后服务
    (``docs/format.md`` §3). Unlike :func:`generate_school` it builds a day too long for
    the study cap as well: ``jianfu audit`` uses it as the default bell schedule of a
    timetable made elsewhere, and the checker then reports the cap.
    """
    i = STAGES.index(stage)
    period = policy.period_minutes[i]
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


def grade_plan(grade: int, policy: Policy) -> dict[str, int]:
    """The curriculum of ``grade`` under ``policy`` (subject → weekly periods, zeros left
    out), made to add up to the profile's weekly total as generated schools have it."""
    return _grade_plan(grade, policy)


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
        squeezed: dict[str, float] = defaultdict(float)
        for c in members:
            for q in school.requirements_of_class[c]:
                r = school.requirements[q]
                kind = school.venue_kind(r)
                if kind is None or not school.combined_lead(r.cls, r.subject):
                    continue   # a combined lesson uses its venue once
                if school.forbidden_periods[q]:
                    squeezed[kind] += _squeezed(school, q, slots)
                else:
                    per_kind[kind] += r.periods
            for k in school.alternates_of_class[c]:   # 单双周: the venue is kept both weeks
                sides = school.alternates[k].sides
                for kind in {school.venue_kind(school.requirements[q]) for _, q in sides} - {None}:
                    per_kind[kind] += 1
        for kind in per_kind.keys() | squeezed.keys():
            n = per_kind.get(kind, 0)
            out[kind] += (n / slots if slots else math.inf) + squeezed.get(kind, 0.0)
    return dict(out)


def _squeezed(school: School, q: int, slots: int) -> float:
    """Requirement ``q``'s lessons per period over the periods it may use: 禁排 periods
    (``forbidden``) crowd its lessons, and their venue's use, into the others."""
    allowed = slots - len(school.forbidden_periods[q])
    return school.requirements[q].periods / allowed if allowed > 0 else math.inf


def _ground_parts(school: School, policy: Policy) -> list[dict[str, Any]]:
    """Per bell schedule: PE lessons per period on average, activity sessions per day."""
    rows = []
    days = len(school.days)
    for s, members in _by_schedule(school).items():
        slots = _slots(school, members)
        # a combined lesson uses the ground once; 禁排 periods crowd PE into the others
        on_ground = [q for c in members for q in school.requirements_of_class[c]
                     if school.venue_kind(school.requirements[q]) == GROUND
                     and school.combined_lead(school.requirements[q].cls,
                                              school.requirements[q].subject)]
        free = {q for q in on_ground if not school.forbidden_periods[q]}
        pe = sum(school.requirements[q].periods for q in free)
        squeezed = sum(_squeezed(school, q, slots) for q in on_ground if q not in free)
        pe_all = sum(school.requirements[q].periods for q in on_ground)
        needed = [sessions_needed(school, policy, c) for c in members]
        every_day = sum(1 for n in needed if n >= days)
        spread = sum(n for n in needed if n < days)
        rows.append({"schedule": school.schedules[s].name, "classes": len(members),
                     "pe_lessons": pe_all,
                     "pe_per_period": (pe / slots if slots else math.inf) + squeezed,
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

def _teaching(school: School, t: int) -> list[tuple[int, int, bool]]:
    """(class, periods, is PE) of every lesson a teacher gives a week: their requirements
    (a combined lesson once, under its first member: 合班 and 复式班 are one lesson), the
    groups they teach of split lessons (分组) and of 走班 blocks (once a placement, however
    many classes), and a period for each 单双周 slot with a side of theirs (the solver
    keeps it for both sides' teachers in both weeks)."""
    out = []
    for q in school.requirements_of_teacher[t]:
        r = school.requirements[q]
        if (r.cls, r.subject) not in school.block_of and school.combined_lead(r.cls, r.subject):
            out.append((r.cls, r.periods, school.subjects[r.subject].is_pe))
    for split in school.splits:
        r = school.requirements[split.requirement]
        for g in split.groups[1:]:
            if g.teacher == t:
                out.append((r.cls, r.periods, school.subjects[g.subject].is_pe))
    for block in school.blocks:
        members = [school.requirements[q] for q in block.members]
        for g in block.groups:
            if g.teacher == t:
                own = next((r.cls for r in members if r.teacher == t), members[0].cls)
                out.append((own, members[0].periods, school.subjects[g.subject].is_pe))
    for k in school.alternates:
        if any(school.requirements[q].teacher == t for _, q in k.sides):
            out.append((k.cls, 1, False))   # PE never alternates
    return out


def teacher_load(school: School, t: int) -> int:
    """Periods a week teacher ``t`` teaches (:func:`_teaching`)."""
    return sum(n for _, n, _ in _teaching(school, t))


def _teacher_slots_per_day(school: School, t: int) -> list[int]:
    """Distinct lesson times a teacher could teach each day (their classes' day shapes,
    minus unavailable stretches and meetings)."""
    away = school.unavailable_of(t)
    classes = {c for c, _, _ in _teaching(school, t)}
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
    return sum(1 for _, _, pe in _teaching(school, t) if pe)


def _teacher_rows(school: School, policy: Policy, problems: list[str]) -> list[dict[str, Any]]:
    rows = []
    for i in range(len(school.teachers)):
        row, found = teacher_slack(school, policy, i)
        rows.append(row)
        problems.extend(found)
    return rows


def teacher_slack(school: School, policy: Policy, i: int) -> tuple[dict[str, Any], list[str]]:
    """One teacher's row of :func:`slack_report` (load, available slots, ratio) and its
    problems."""
    problems: list[str] = []
    t = school.teachers[i]
    load = teacher_load(school, i)
    per_day = _teacher_slots_per_day(school, i)
    if t.max_periods_per_day is not None:
        per_day = [min(n, t.max_periods_per_day) for n in per_day]
    available = sum(per_day)
    ratio = load / available if available else (math.inf if load else 0.0)
    if ratio > TEACHER_MAX_RATIO:
        problems.append(f"教师 {t.name}: 周课时 {load} / 可用节数 {available} = {ratio:.0%} "
                        f"> {TEACHER_MAX_RATIO:.0%} "
                        f"(teacher load too close to available slots)")
    daily = _daily_lessons(school, policy, i)
    for d, n in enumerate(per_day):
        if daily > n:
            problems.append(f"教师 {t.name}: {school.days[d]} 需上 {daily} 节体育, 只有 {n} 节可用 "
                            f"(daily PE lessons exceed the teacher's slots that day)")
    return {"teacher": t.name, "load": load, "available": available, "ratio": ratio}, problems


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
        # periods the class's timetable holds: the weekly lessons and its 单双周 slots
        periods = school.class_week_periods(i) + len(school.alternates_of_class[i])
        slots = sum(school.usable_periods(i, d) for d in range(len(school.days)))
        sessions = sessions_needed(school, policy, i)
        rows.append({"class": c.name, "periods": periods, "slots": slots,
                     "profile": policy.periods_for(c.grade), "sessions": sessions})
        if periods > slots:
            problems.append(f"班级 {c.name}: 周课时 {periods} > 课表节数 {slots} "
                            f"(more lessons than periods in its day shape)")
        weeks = WEEKS if school.alternates_of_class[i] else (None,)
        for week in weeks:   # 单双周: each week of the cycle
            total = school.class_week_periods(i, week)
            if total != policy.periods_for(c.grade):
                zh, en = (f"{WEEK_ZH[week]} ", f" in {WEEK_EN[week]}") if week is not None \
                    else ("", "")
                problems.append(f"班级 {c.name}: {zh}周课时 {total} ≠ {policy.periods_for(c.grade)} "
                                f"(weekly total differs from the profile{en})")
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


# --- structures (issue #17): 班会, 升旗仪式, 复式班, 合班, 分组, 禁排, 教研活动, 行政会, 意愿,
# 走班, 单双周 -------------------------------------------------------------------------------

# Rates (probabilities per school, grade or teacher; see the module's table).
CLASS_MEETING_MONDAY = 0.75       # 班会 at 周一第1节 (else 周五最后一节)
CLASS_MEETING_FIXED = 0.85        # per grade: its classes' 班会 fixed at that slot
MULTI_GRADE_SECOND_PAIR = 0.5     # 复式 also in grades 3+4
COMBINED_PE_GRADE = 0.5           # per junior grade: one pair in 体育合班
PE_GROUPS_GRADE = 0.5             # per other junior grade: 男女分组 PE
MATHS_NOT_LAST_GRADE = 0.4        # per junior grade: 数学 never in the last period
SCIENCE_GROUP = 0.5               # a 理化生组 教研 in schools with junior grades
ADMIN_SHARE = 0.1                 # 行政会 members: this share of teachers, 3 to 5
WISH_SHARE = 1 / 8                # teachers with a wish
ENGLISH_BLOCK_GRADE = 0.5         # per junior grade with 外语 teachers to spare: 外语分层 走班
CALLIGRAPHY_GRADE = 0.5           # per primary grade 3–6: 书法 every other week (单双周)
# A teacher given more (a meeting, 女生 PE) keeps this much room (slack_report allows 0.8).
STRUCTURE_TEACHER_RATIO = 0.75
# A 女生 PE teacher takes at most this many periods a week (the junior PE pool's load).
PE_GROUP_MAX = 14
FLAG_RAISING_MINUTES = 20


@dataclass(frozen=True, slots=True)
class Structures:
    """Which structures (issue #17) :func:`add_structures` adds: all by default;
    ``generate_school(..., structures=True)`` means ``Structures()``.

    ========================  ==================================================================
    structure                 what and how often
    ========================  ==================================================================
    ``class_meeting``         班会: one period a week per class, taught by its 班主任, taken
                              from 地方与校本课程 (else 综合实践活动) so the weekly total
                              stays; fixed (固定) at one school-wide slot — 周一第1节 in three
                              schools of four, else 周五最后一节 — in each grade with
                              probability 0.85 (at least one grade)
    ``flag_raising``          升旗仪式: a 20-minute ``event`` ending 5 minutes before period 1 on
                              周一, every bell schedule
    ``multi_grade``           复式班, in a school with one class per grade: 语文, 数学 and
                              道德与法治 of grades 1 and 2 (and, in half the schools, 3 and 4)
                              taught as combined lessons by the grades' shared teacher, each
                              grade keeping its own lessons
    ``combined_pe``           体育合班: in each junior grade with two parallel classes sharing
                              a PE teacher, with probability 0.5 (at least one grade where
                              possible), one such pair has PE as one combined lesson
    ``pe_groups``             男女分组 PE: each junior grade without a 体育合班 with probability
                              0.5 (at least one grade), every class's PE split into 男生 (its
                              PE teacher) and 女生 (another PE teacher with room, else a new one)
    ``forbidden``             禁排: no 体育与健康 in 下午第1节 for every class; no 数学 in the
                              last period (最后一节) in each junior grade with probability 0.4
                              (at least one)
    ``research_meetings``     教研活动: a half-day a week for the 语文组, 数学组 and 外语组 (and, in
                              half the schools with junior grades, a 理化生组), each at its own
                              half-day, afternoons first
    ``admin_meeting``         行政会: one half-day for about one teacher in ten (3 to 5)
    ``wishes``                意愿: about one teacher in eight (at least one) with a soft wish —
                              避开第1节, 避开周五下午 (weight 2) or 希望周X上午
    ``blocks``                走班 外语分层: each junior grade whose parallel classes have two or
                              more 外语 teachers, with probability 0.5 (at least one grade where
                              possible): one class of each of those teachers (all of them when
                              the teachers are distinct) in a block of groups A层, B层, C层…,
                              each class's own teacher teaching one group
    ``alternates``            单双周: each primary grade 3–6 with probability 0.5 (at least one):
                              every class has one period holding 地方与校本课程 in odd weeks
                              (单周) and 书法 in even weeks (双周), taught by its 地方与校本课程
                              teacher — a class without one alternates 综合实践活动 with 书法 of
                              its 美术 teacher where that teacher keeps room, else of its
                              综合实践活动 teacher. 书法 is part of 地方与校本课程
                              (``part_of``), so each week holds the curriculum
    ========================  ==================================================================

    Every structure keeps the school feasible by construction: a meeting's half-day and a
    女生 PE teacher are kept only where each teacher concerned keeps room
    (:func:`teacher_slack`, load ≤ :data:`STRUCTURE_TEACHER_RATIO` of their slots) and no
    fixed lesson falls in one of their meetings; a 走班 block's teachers each teach the
    group of their own class and a 单双周 slot with one teacher on both sides takes one of
    their weekly periods, so neither changes a load, and 书法 by another teacher is kept
    only where that teacher keeps room; the venues are sized again for the structures
    (禁排 crowds PE into fewer periods). The result passes :func:`slack_report`.

    Each structure is one step function; :data:`STEPS` lists them in order, like a table
    of contents. A new structure is one more field here and one more step.
    """

    class_meeting: bool = True       # 班会, taught by the 班主任, mostly fixed
    flag_raising: bool = True        # 升旗仪式 event on 周一 morning
    multi_grade: bool = True         # 复式班 (schools with one class per grade)
    combined_pe: bool = True         # 体育合班 of two parallel classes (junior grades)
    pe_groups: bool = True           # 男女分组 PE (junior grades)
    forbidden: bool = True           # 禁排: PE not after lunch, 数学 not last
    research_meetings: bool = True   # 教研活动 of the 语文组, 数学组, 外语组…
    admin_meeting: bool = True       # 行政会
    wishes: bool = True              # teachers' soft wishes
    blocks: bool = True              # 走班: 外语分层 (junior grades)
    alternates: bool = True          # 单双周: 书法 every other week (primary grades 3–6)

    @classmethod
    def none(cls) -> Structures:
        return cls(**{f.name: False for f in dataclasses.fields(cls)})

    def __bool__(self) -> bool:
        """Whether any structure is chosen."""
        return any(getattr(self, f.name) for f in dataclasses.fields(self))


@dataclass(slots=True)
class _State:
    """What the steps share: the half-days already given to a meeting."""

    taken: set[tuple[int, Half]] = dataclasses.field(default_factory=set)


Step = Callable[[School, Policy, random.Random, _State], School]


def add_structures(school: School, policy: Policy, rng: random.Random,
                   structures: Structures | None = None) -> School:
    """``school`` with the chosen ``structures`` (default: all), drawn from ``rng``.

    ``school`` is a generated school without structures (no meetings, combined or
    split lessons); the steps of :data:`STEPS` run in order, then the venues are sized
    again. Same school, same ``rng`` state: same result.
    """
    structures = Structures() if structures is None else structures
    if school.meetings or school.combined or school.splits or school.blocks or school.alternates:
        raise ValueError("add_structures expects a school without meetings, combined or split "
                         "lessons, blocks or alternating slots")
    state = _State()
    for name, step in STEPS:
        if getattr(structures, name):
            school = step(school, policy, rng, state)
    school = dataclasses.replace(school, venues=_venues(school, policy))
    report = slack_report(school, policy)
    if not report["ok"]:   # pragma: no cover - the steps keep room; the tests say so
        log.warning("school with structures leaves too little room: %s", report["problems"])
    return school


# --- 班会 -----------------------------------------------------------------------------------

def _class_meetings(school: School, policy: Policy, rng: random.Random, state: _State) -> School:
    """班会: one period a week per class, by its 班主任, mostly at one fixed slot."""
    subjects = school.subjects + (Subject(CLASS_MEETING, "Class meeting", Category.MORAL),)
    meeting = len(school.subjects)
    last_day = len(school.days) - 1
    slot = SlotSpec(0, 0) if rng.random() < CLASS_MEETING_MONDAY else SlotSpec(last_day, last=True)
    fixed_grades = {g for g in school.grades if rng.random() < CLASS_MEETING_FIXED}
    fixed_grades = fixed_grades or {rng.choice(school.grades)}
    # 班会 counts towards 综合实践活动 (班团队活动), so it is taken from that flexible group
    # of the curriculum, never from 劳动; a double period of the donor gives way if needed
    donors = [school.subject_index[s] for s in _FILLERS if s != "劳动"]
    requirements: list[Requirement] = []
    for c, cls in enumerate(school.classes):
        mine = [school.requirements[q] for q in school.requirements_of_class[c]]
        donor = next((k for s in donors for k, r in enumerate(mine)
                      if r.subject == s and r.periods - 1 >= 2 * r.doubles), None)
        if donor is None:
            donor = next((k for s in donors for k, r in enumerate(mine) if r.subject == s), None)
        if cls.head_teacher is None or donor is None:
            requirements += mine
            continue
        r = mine[donor]
        if r.periods == 1:
            del mine[donor]
        else:
            mine[donor] = dataclasses.replace(r, periods=r.periods - 1,
                                              doubles=min(r.doubles, (r.periods - 1) // 2))
        fixed = (slot,) if cls.grade in fixed_grades else ()
        mine.append(Requirement(c, meeting, cls.head_teacher, 1, fixed=fixed))
        requirements += mine
    return dataclasses.replace(school, subjects=subjects, requirements=tuple(requirements))


# --- 升旗仪式 --------------------------------------------------------------------------------

def _flag_raising(school: School, policy: Policy, rng: random.Random, state: _State) -> School:
    """升旗仪式 before period 1 on the first school day, in every bell schedule."""
    schedules = []
    for schedule in school.schedules:
        day = schedule.days[0]
        first = day.segments[0].start
        event = Segment(SegmentKind.EVENT, first - 5 - FLAG_RAISING_MINUTES, first - 5, "升旗仪式")
        monday = DaySchedule((event,) + day.segments)
        schedules.append(dataclasses.replace(schedule, days=(monday,) + schedule.days[1:]))
    return dataclasses.replace(school, schedules=tuple(schedules))


# --- 复式班 ---------------------------------------------------------------------------------

_MULTI_GRADE_SUBJECTS = ("语文", "数学", "道德与法治")


def _multi_grade(school: School, policy: Policy, rng: random.Random, state: _State) -> School:
    """复式班: in a school with one class per grade, grades 1+2 (and sometimes 3+4) have
    语文, 数学 and 道德与法治 together, with the teacher the two grades share."""
    per_grade = {g: school.classes_of_grade(g) for g in school.grades}
    if any(len(cs) != 1 for cs in per_grade.values()):
        return school
    pairs = [(1, 2)] + ([(3, 4)] if rng.random() < MULTI_GRADE_SECOND_PAIR else [])
    combined = list(school.combined)
    for a, b in pairs:
        if a not in per_grade or b not in per_grade:
            continue
        ca, cb = per_grade[a][0], per_grade[b][0]
        for name in _MULTI_GRADE_SUBJECTS:
            qa, qb = (_requirement(school, c, name) for c in (ca, cb))
            if qa is None or qb is None:
                continue
            ra, rb = school.requirements[qa], school.requirements[qb]
            if (ra.teacher, ra.periods, ra.doubles) != (rb.teacher, rb.periods, rb.doubles):
                continue
            combined.append(Combined(f"{GRADE_ZH[a - 1]}{GRADE_ZH[b - 1]}年级{name}复式",
                                     (qa, qb), ra.teacher))
    return dataclasses.replace(school, combined=tuple(combined))


def _requirement(school: School, cls: int, subject: str) -> int | None:
    s = school.subject_index.get(subject)
    return next((q for q in school.requirements_of_class[cls]
                 if school.requirements[q].subject == s), None)


# --- 男女分组 PE and 体育合班 -----------------------------------------------------------------

def _junior_grades(school: School) -> list[int]:
    return [g for g in school.grades if g >= 7]


def _pe_groups(school: School, policy: Policy, rng: random.Random, state: _State) -> School:
    """男女分组 PE in some junior grades: 男生 with the class's PE teacher, 女生 with another."""
    pe = school.subject_index[PE]
    combined = {school.requirements[q].cls for k in school.combined for q in k.members}
    grades = [g for g in _junior_grades(school)
              if not combined & set(school.classes_of_grade(g))] or _junior_grades(school)
    if not grades:
        return school
    chosen = [g for g in grades if rng.random() < PE_GROUPS_GRADE] or [rng.choice(grades)]
    names = _NameMaker(rng)
    names.used |= {t.name for t in school.teachers}
    for g in sorted(chosen):
        for c in school.classes_of_grade(g):
            q = _requirement(school, c, PE)
            if q is None or c in combined:
                continue
            own = school.requirements[q].teacher
            stage_pe = [t for t, teacher in enumerate(school.teachers) if pe in teacher.subjects
                        and t != own and _top_grade(school, t) >= 7]
            stage_pe.sort(key=lambda t: teacher_load(school, t))
            placed = False
            for t in stage_pe:
                if teacher_load(school, t) + school.requirements[q].periods > PE_GROUP_MAX:
                    continue
                trial = _with_split(school, q, own, t)
                if _fits(trial, policy, t):
                    school, placed = trial, True
                    break
            if not placed:
                teachers = school.teachers + (Teacher(names(), (pe,)),)
                school = _with_split(dataclasses.replace(school, teachers=teachers), q, own,
                                     len(teachers) - 1)
    return school


def _with_split(school: School, q: int, own: int, other: int) -> School:
    pe = school.requirements[q].subject
    split = Split(q, (SplitGroup("男生", pe, own), SplitGroup("女生", pe, other)))
    return dataclasses.replace(school, splits=school.splits + (split,))


def _top_grade(school: School, t: int) -> int:
    """The highest grade a teacher teaches (0 for none): whole classes or split groups."""
    grades = [school.classes[school.requirements[q].cls].grade
              for q in school.requirements_of_teacher[t]]
    grades += [school.classes[school.requirements[k.requirement].cls].grade
               for k in school.splits for g in k.groups if g.teacher == t]
    return max(grades, default=0)


def _combined_pe(school: School, policy: Policy, rng: random.Random, state: _State) -> School:
    """体育合班: in some junior grades one pair of parallel classes has PE together."""
    candidates: list[list[tuple[int, int]]] = []
    for g in _junior_grades(school):
        classes = school.classes_of_grade(g)
        pairs = []
        for a, b in zip(classes, classes[1:]):
            qa, qb = _requirement(school, a, PE), _requirement(school, b, PE)
            if qa is None or qb is None or (qa, qb) in school.combined_of:
                continue
            ra, rb = school.requirements[qa], school.requirements[qb]
            if (ra.teacher, ra.periods, ra.doubles) == (rb.teacher, rb.periods, rb.doubles):
                pairs.append((qa, qb))
        if pairs:
            candidates.append(pairs)
    chosen = [pairs for pairs in candidates if rng.random() < COMBINED_PE_GRADE]
    if candidates and not chosen:
        chosen = [rng.choice(candidates)]
    combined = list(school.combined)
    for pairs in chosen:
        qa, qb = rng.choice(pairs)
        ca, cb = school.requirements[qa].cls, school.requirements[qb].cls
        grade = school.classes[ca].grade
        name = (f"{GRADE_ZH[grade - 1]}年级{_class_number(school, ca)}、"
                f"{_class_number(school, cb)}班体育合班")
        combined.append(Combined(name, (qa, qb), school.requirements[qa].teacher))
    return dataclasses.replace(school, combined=tuple(combined))


def _class_number(school: School, c: int) -> str:
    """七年级3班 → 3."""
    return school.classes[c].name.split("年级", 1)[-1].removesuffix("班")


# --- 禁排 -----------------------------------------------------------------------------------

def _forbidden(school: School, policy: Policy, rng: random.Random, state: _State) -> School:
    """No PE right after lunch (every class); no 数学 last period in some junior grades."""
    pe = school.subject_index[PE]
    subjects = list(school.subjects)
    subjects[pe] = dataclasses.replace(subjects[pe], forbidden=(SlotSpec(None, 0, Half.AFTERNOON),))
    grades = _junior_grades(school)
    chosen = {g for g in grades if rng.random() < MATHS_NOT_LAST_GRADE}
    if grades and not chosen:
        chosen = {rng.choice(grades)}
    maths = school.subject_index["数学"]
    requirements = tuple(
        dataclasses.replace(r, forbidden=r.forbidden + (SlotSpec(last=True),))
        if r.subject == maths and school.classes[r.cls].grade in chosen else r
        for r in school.requirements)
    return dataclasses.replace(school, subjects=tuple(subjects), requirements=requirements)


# --- 教研活动 and 行政会 ------------------------------------------------------------------------

_GROUPS = (("语文组教研", ("语文",)), ("数学组教研", ("数学",)), ("外语组教研", ("外语",)))
_SCIENCE = ("理化生组教研", ("物理", "化学", "生物学"))


def _research_meetings(school: School, policy: Policy, rng: random.Random,
                       state: _State) -> School:
    """教研活动: the main-subject groups, each at its own half-day (afternoons first)."""
    groups = list(_GROUPS)
    if _junior_grades(school) and rng.random() < SCIENCE_GROUP:
        groups.append(_SCIENCE)
    for name, subject_names in groups:
        subjects = tuple(school.subject_index[s] for s in subject_names)
        if not any(school.requirements[q].subject in subjects
                   for q in range(len(school.requirements))):
            continue
        for day, half in _free_half_days(school, rng, state):
            trial = _with_meeting(school, Meeting(name, day, subjects=subjects, half=half))
            members = trial.meeting_members[-1]
            if all(_fits(trial, policy, t) for t in members):
                school = trial
                state.taken.add((day, half))
                break
        else:
            log.info("no half-day leaves room for %s", name)
    return school


def _admin_meeting(school: School, policy: Policy, rng: random.Random, state: _State) -> School:
    """行政会: a few teachers (the school's leaders, who teach too) at one half-day."""
    want = min(5, max(3, round(ADMIN_SHARE * len(school.teachers))))
    teaching = [t for t in range(len(school.teachers)) if school.requirements_of_teacher[t]]
    for day, half in _free_half_days(school, rng, state):
        members: list[int] = []
        for t in rng.sample(teaching, len(teaching)):
            trial = _with_meeting(school, Meeting("行政会", day, teachers=tuple(members + [t]),
                                                  half=half))
            if _fits(trial, policy, t):
                members.append(t)
                if len(members) == want:
                    break
        if len(members) >= min(want, 2):
            state.taken.add((day, half))
            return _with_meeting(school, Meeting("行政会", day, teachers=tuple(sorted(members)),
                                                 half=half))
    log.info("no half-day leaves room for a 行政会")
    return school


def _free_half_days(school: School, rng: random.Random, state: _State) -> list[tuple[int, Half]]:
    """The half-days not yet taken by a meeting: afternoons in random order, then mornings."""
    days = list(range(len(school.days)))
    out = []
    for half in (Half.AFTERNOON, Half.MORNING):
        for d in rng.sample(days, len(days)):
            if (d, half) not in state.taken:
                out.append((d, half))
    return out


def _with_meeting(school: School, meeting: Meeting) -> School:
    return dataclasses.replace(school, meetings=school.meetings + (meeting,))


# --- 意愿 ----------------------------------------------------------------------------------

def _wishes(school: School, policy: Policy, rng: random.Random, state: _State) -> School:
    """A few teachers' soft wishes: 避开第1节, 避开周五下午 (weight 2), 希望周X上午."""
    teaching = [t for t in range(len(school.teachers)) if school.requirements_of_teacher[t]]
    if not teaching:
        return school
    heads = {c.head_teacher for c in school.classes}
    count = max(1, round(WISH_SHARE * len(school.teachers)))
    teachers = list(school.teachers)
    last = len(school.days) - 1
    for t in sorted(rng.sample(teaching, min(count, len(teaching)))):
        week = school.schedules[school.schedule_of_teacher(t)].days
        kind = rng.choice(("first", "friday", "prefer") if t not in heads else ("friday", "prefer"))
        if kind == "first":
            wish = Wish(period=0)
        elif kind == "friday":
            wish = Wish(weight=2, stretch=Half.AFTERNOON.stretch(last, week[last]))
        else:
            d = rng.randrange(len(school.days))
            wish = Wish(prefer=True, stretch=Half.MORNING.stretch(d, week[d]))
        teachers[t] = dataclasses.replace(teachers[t], wishes=teachers[t].wishes + (wish,))
    return dataclasses.replace(school, teachers=tuple(teachers))


# --- 走班: 外语分层 ----------------------------------------------------------------------------

_LEVELS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _english_blocks(school: School, policy: Policy, rng: random.Random, state: _State) -> School:
    """外语分层 in some junior grades: one class of each of the grade's 外语 teachers
    release their students at the same periods into A层, B层, C层…, each class's own
    teacher teaching one group (a block needs its groups' teachers distinct). Where one
    teacher has every class of each junior grade, two grades swap the 外语 of one class
    each (equal periods: no teacher's load changes), so the first grade has two."""
    candidates = _block_candidates(school)
    if not candidates:
        school = _swap_foreign_language(school)
        candidates = _block_candidates(school)
    chosen = [x for x in candidates if rng.random() < ENGLISH_BLOCK_GRADE]
    if candidates and not chosen:
        chosen = [rng.choice(candidates)]
    blocks = list(school.blocks)
    for g, per_teacher in chosen:
        members = sorted(rng.choice(qs) for qs in per_teacher)
        first = school.requirements[members[0]]
        members = [q for q in members if _block_key(school, school.requirements[q])
                   == _block_key(school, first)]
        if len(members) < 2:
            continue
        groups = tuple(BlockGroup(f"{_LEVELS[j]}层", first.subject, school.requirements[q].teacher)
                       for j, q in enumerate(members))
        blocks.append(Block(f"{GRADE_ZH[g - 1]}年级外语分层", tuple(members), groups))
    return dataclasses.replace(school, blocks=tuple(blocks))


def _block_candidates(school: School) -> list[tuple[int, list[list[int]]]]:
    """Junior grades whose free 外语 requirements have ≥ 2 teachers: (grade, the
    requirements per teacher)."""
    out: list[tuple[int, list[list[int]]]] = []
    for g in _junior_grades(school):
        by_teacher: dict[int, list[int]] = defaultdict(list)
        for c in school.classes_of_grade(g):
            q = _requirement(school, c, "外语")
            if q is not None and not _grouped(school, q):
                by_teacher[school.requirements[q].teacher].append(q)
        if len(by_teacher) >= 2:
            out.append((g, list(by_teacher.values())))
    return out


def _swap_foreign_language(school: School) -> School:
    """The first two junior grades with ≥ 2 classes swap the 外语 teachers of their last
    classes when the periods, doubles and bell schedules agree (else nothing changes)."""
    last: list[int] = []
    for g in _junior_grades(school):
        classes = school.classes_of_grade(g)
        q = _requirement(school, classes[-1], "外语") if len(classes) >= 2 else None
        if q is not None and not _grouped(school, q):
            last.append(q)
    if len(last) < 2:
        return school
    a, b = school.requirements[last[0]], school.requirements[last[1]]
    if a.teacher == b.teacher or _block_key(school, a) != _block_key(school, b):
        return school
    requirements = list(school.requirements)
    requirements[last[0]] = dataclasses.replace(a, teacher=b.teacher)
    requirements[last[1]] = dataclasses.replace(b, teacher=a.teacher)
    return dataclasses.replace(school, requirements=tuple(requirements))


def _block_key(school: School, r: Requirement) -> tuple[Any, ...]:
    """What the members of a block share: periods, doubles, bell schedule, venue need."""
    return (r.periods, r.doubles, school.classes[r.cls].schedule, school.venue_kind(r))


def _grouped(school: School, q: int) -> bool:
    """Whether requirement ``q`` is in a 合班, 分组, 走班 block or 单双周 slot already."""
    r = school.requirements[q]
    key = (r.cls, r.subject)
    return key in school.combined_of or key in school.split_of or key in school.block_of \
        or any(q == side for k in school.alternates for _, side in k.sides)


# --- 单双周: 书法 every other week ---------------------------------------------------------------

CALLIGRAPHY = Subject("书法", "Calligraphy", Category.ARTS, part_of="地方与校本课程")
# (odd-week side, the subject whose teacher teaches 书法 in even weeks), in order of preference
_CALLIGRAPHY_SIDES = (("地方与校本课程", "地方与校本课程"), ("综合实践活动", "美术"),
                      ("综合实践活动", "综合实践活动"))


def _alternating_weeks(school: School, policy: Policy, rng: random.Random,
                       state: _State) -> School:
    """单双周 in some primary grades 3–6: one period of each class holds 地方与校本课程 in
    odd weeks and 书法 in even weeks, both taught by its 地方与校本课程 teacher (else
    综合实践活动 with 书法 by its 美术 teacher where that teacher keeps room, else by its
    综合实践活动 teacher).

    The odd side loses a weekly period to the slot (2 → 1.5 a week) and 书法 has 0.5, so
    each week keeps the class's total; 书法 is part of 地方与校本课程, so each week also
    keeps the curriculum's 综合实践活动 + 地方与校本课程 total."""
    grades = [g for g in school.grades if 3 <= g <= 6
              and any(_can_alternate(school, _requirement(school, c, odd))
                      for c in school.classes_of_grade(g) for odd, _ in _CALLIGRAPHY_SIDES)]
    chosen = {g for g in grades if rng.random() < CALLIGRAPHY_GRADE}
    if grades and not chosen:
        chosen = {rng.choice(grades)}
    trial = dataclasses.replace(school, subjects=school.subjects + (CALLIGRAPHY,))
    calligraphy = len(school.subjects)
    for c in (c for g in sorted(chosen) for c in school.classes_of_grade(g)):
        for odd, teacher_of in _CALLIGRAPHY_SIDES:
            q, t = _requirement(trial, c, odd), _requirement(trial, c, teacher_of)
            if t is None or not _can_alternate(trial, q):
                continue
            assert q is not None
            r = trial.requirements[q]
            teacher = trial.requirements[t].teacher
            slot = _with_alternate(trial, c, q, Requirement(c, calligraphy, teacher, 0, biweekly=1))
            # one teacher on both sides: the slot is one of their weekly periods, no more
            if teacher == r.teacher or _fits(slot, policy, teacher):
                trial = slot
                break
    if not trial.alternates:
        return school
    return _regrouped(trial, len(school.requirements))


def _can_alternate(school: School, q: int | None) -> bool:
    """Whether requirement ``q`` can give one of its weekly periods to an odd-week side:
    in no 合班, 分组, 走班 or slot yet, its doubles and fixed lessons kept."""
    if q is None or _grouped(school, q):
        return False
    r = school.requirements[q]
    return r.periods >= 1 and 2 * r.doubles <= r.periods - 1 and not r.fixed


def _with_alternate(school: School, c: int, q: int, even: Requirement) -> School:
    """``school`` with a slot of class ``c``: requirement ``q`` in odd weeks (one of its
    weekly periods) and the new requirement ``even`` (taught by a teacher given its
    subject) in even weeks."""
    r = school.requirements[q]
    requirements = list(school.requirements)
    requirements[q] = dataclasses.replace(r, periods=r.periods - 1, biweekly=r.biweekly + 1)
    requirements.append(even)
    teachers = list(school.teachers)
    mine = teachers[even.teacher]
    if mine.subjects and even.subject not in mine.subjects:   # () teaches anything
        teachers[even.teacher] = dataclasses.replace(
            mine, subjects=tuple(sorted(mine.subjects + (even.subject,))))
    alternate = Alternate(c, q, len(requirements) - 1)
    return dataclasses.replace(school, requirements=tuple(requirements), teachers=tuple(teachers),
                               alternates=school.alternates + (alternate,))


def _regrouped(school: School, first_new: int) -> School:
    """``school`` with the requirements from index ``first_new`` on moved to the end of
    their class's requirements (the school file lists them class by class) and every
    index that names a requirement renumbered."""
    order = sorted(range(len(school.requirements)),
                   key=lambda q: (school.requirements[q].cls, q >= first_new))
    new = {old: i for i, old in enumerate(order)}
    return dataclasses.replace(
        school, requirements=tuple(school.requirements[q] for q in order),
        combined=tuple(dataclasses.replace(k, members=tuple(new[q] for q in k.members))
                       for k in school.combined),
        splits=tuple(dataclasses.replace(k, requirement=new[k.requirement])
                     for k in school.splits),
        blocks=tuple(dataclasses.replace(b, members=tuple(new[q] for q in b.members))
                     for b in school.blocks),
        alternates=tuple(Alternate(k.cls, None if k.odd is None else new[k.odd],
                                   None if k.even is None else new[k.even])
                         for k in school.alternates))


# --- room checks ------------------------------------------------------------------------------

def _fits(school: School, policy: Policy, t: int) -> bool:
    """Teacher ``t`` keeps room (load ≤ :data:`STRUCTURE_TEACHER_RATIO` of their slots,
    daily PE fits) and none of their fixed lessons falls in one of their meetings."""
    row, problems = teacher_slack(school, policy, t)
    if problems or row["ratio"] > STRUCTURE_TEACHER_RATIO:
        return False
    away = [u for _, u in school.meeting_times[t]]
    for q in school.requirements_of_teacher[t]:
        c = school.requirements[q].cls
        for d, p in school.fixed_periods[q]:
            period = school.day_of(c, d).periods[p]
            if any(u.overlaps(d, period.start, period.end) for u in away):
                return False
    return True


STEPS: tuple[tuple[str, Step], ...] = (
    ("class_meeting", _class_meetings),
    ("flag_raising", _flag_raising),
    ("multi_grade", _multi_grade),
    ("combined_pe", _combined_pe),
    ("pe_groups", _pe_groups),
    ("forbidden", _forbidden),
    ("research_meetings", _research_meetings),
    ("admin_meeting", _admin_meeting),
    ("wishes", _wishes),
    ("blocks", _english_blocks),
    ("alternates", _alternating_weeks),
)


def structure_counts(school: School) -> dict[str, int]:
    """How much of each structure ``school`` has (for tests, benchmarks and the CLI)."""
    meeting = school.subject_index.get(CLASS_MEETING)
    class_meetings = [q for q, r in enumerate(school.requirements) if r.subject == meeting]
    per_kind: dict[str, int] = defaultdict(int)
    for k in school.combined:
        subjects = {school.requirements[q].subject for q in k.members}
        pe = any(school.subjects[s].is_pe for s in subjects)
        per_kind["combined_pe" if pe else "multi_grade"] += 1
    return {
        "class_meeting": len(class_meetings),
        "class_meeting_fixed": sum(1 for q in class_meetings if school.requirements[q].fixed),
        "flag_raising": sum(1 for s in school.schedules for d in s.days
                            for seg in d.of_kind(SegmentKind.EVENT)),
        "multi_grade": per_kind["multi_grade"],
        "pe_groups": len(school.splits),
        "combined_pe": per_kind["combined_pe"],
        "forbidden": sum(1 for s in school.subjects if s.forbidden)
        + sum(1 for r in school.requirements if r.forbidden),
        "research_meetings": sum(1 for m in school.meetings if m.subjects),
        "admin_meeting": sum(1 for m in school.meetings if not m.subjects),
        "wishes": sum(len(t.wishes) for t in school.teachers),
        "blocks": len(school.blocks),
        "alternates": len(school.alternates),
    }
