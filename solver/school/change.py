"""调代课: the week's changes for a teacher absent, a class away or a requested swap.

:func:`plan_week` proposes, for one dated week, a cover teacher (代课) for each lesson of
an absent teacher, or, where none is free, the smallest set of moves within the week
(调课, CP-SAT: the school engine on the week with every other lesson kept, minimising
the lessons moved). The lessons of a class away are cancelled (停课) and their teachers
freed for cover. Every plan passes :func:`jianfu.models.checker.check_week`.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import Counter
from datetime import date
from typing import Iterable, Mapping

from ...models.change import (Absence, Away, ChangedWeek, ChangePlan, Cover, SwapRequest,
                              WeekRequest, lesson_moves, qualified)
from ...models.checker import check_week
from ...models.policy import Policy
from ...models.school import DAY_END, School, Unavailable
from ...models.timetable import Lesson, Timetable
from .solve import Keep, LessonKey, solve

logger = logging.getLogger(__name__)

__all__ = ["plan_week", "plan_weeks"]


def _times(school: School, x: Lesson) -> tuple[int, int] | None:
    periods = school.day_of(x.cls, x.day).periods
    if x.period >= len(periods):
        return None
    return periods[x.period].start, periods[x.period].end


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def plan_week(school: School, policy: Policy, base: Timetable, dates: dict[int, date], *,
              absences: Iterable[Absence] = (), away: Iterable[Away] = (),
              swaps: Iterable[SwapRequest] = (), cover_counts: Counter | None = None,
              prefer: str = "cover", time_limit: float = 30.0, workers: int = 1,
              seed: int = 0) -> ChangePlan:
    """Propose the changes of one week.

    Parameters
    ----------
    school, policy, base
        The school, its policy and its compliant weekly timetable.
    dates
        The timetable days held this week → their dates (``models.change.week_dates``);
        nothing on another day changes.
    absences, away, swaps
        Teachers away (请假, 培训), classes away (研学), swaps two teachers ask for.
    cover_counts
        Cover lessons given so far in this run, per teacher; updated with this week's.
        Cover goes to the qualified free teacher with the fewest, then the fewest lessons
        that day, that week, then the first in the school file.
    prefer
        ``"cover"``: a cover teacher where one is free, moves for the rest; ``"swap"``:
        moves for every lesson if the week allows it, else as ``"cover"``.
    time_limit, workers, seed
        For the CP-SAT search of the moves.

    Returns
    -------
    ChangePlan
        With ``week`` set, the changed week passed :func:`check_week`; without, ``reasons``.
    """
    absences, away, swaps = tuple(absences), tuple(away), tuple(swaps)
    counts = cover_counts if cover_counts is not None else Counter()
    held_days = set(dates)
    cancelled = tuple(x for x in base.lessons if x.day in held_days and _hit(school, x, away))
    gone = set(cancelled)
    todo = [x for x in base.lessons if x not in gone and x.day in held_days
            and _hit_teacher(school, x, absences)]
    events = _events(school, todo)
    reasons: list[str] = []
    forced: dict[Lesson, tuple[int, int]] = {}
    for req in swaps:
        pair = _swap_pair(school, base, req, held_days, reasons)
        if pair is not None:
            forced.update(pair)
    if reasons:
        return ChangePlan(None, reasons=tuple(reasons))

    def attempt(cover_first: bool) -> ChangePlan:
        trial = Counter(counts)
        covers: list[Cover] = []
        held = [x for x in base.lessons if x not in gone]
        must_move: list[tuple[Lesson, ...]] = []
        why: dict[tuple[Lesson, ...], list[str]] = {}
        for ev in events:
            if not cover_first or any(x in forced for x in ev):
                must_move.append(ev)
                continue
            t, notes = _pick_cover(school, policy, held, ev, absences, trial)
            if t is None:
                must_move.append(ev)
                why[ev] = notes
                continue
            covers.append(Cover(ev, ev[0].teacher, t))
            trial[t] += 1
            held = [dataclasses.replace(x, teacher=t, cover=True) if x in ev else x
                    for x in held]
        options = [Timetable(tuple(held), base.sessions)]
        if must_move or forced:
            found = _move(school, policy, base, dates, absences, covers, forced, gone,
                          time_limit=time_limit, workers=workers, seed=seed)
            if isinstance(found, str):
                plain = []
                if forced:   # the swap as asked, and what the checker says of it
                    asked = Timetable(tuple(
                        dataclasses.replace(x, day=forced[x][0], period=forced[x][1])
                        if x in forced else x for x in held), base.sessions)
                    plain = [v.message for v in check_week(school, policy, ChangedWeek(
                        base, asked, cancelled, absences, away, tuple(sorted(dates.items()))))
                        if v.hard]
                return ChangePlan(None, reasons=tuple(_impossible(
                    school, must_move, why, forced, dates, found == "INFEASIBLE",
                    time_limit) + [f"  {m}" for m in plain]), proven=found == "INFEASIBLE")
            options = found
        for timetable in options:
            week = ChangedWeek(base, timetable, cancelled, absences, away,
                               tuple(sorted(dates.items())))
            hard = [v for v in check_week(school, policy, week) if v.hard]
            if not hard:
                break
        if hard:   # the checker is the specification: never propose what it rejects
            logger.error("change plan rejected by the checker: %s", [v.message for v in hard])
            return ChangePlan(None, reasons=tuple(
                "内部错误 internal error: " + v.message for v in hard), rejected=True)
        counts.clear()
        counts.update(trial)
        kept = Timetable(tuple(x for x in base.lessons if x not in gone), base.sessions)
        return ChangePlan(week, tuple(lesson_moves(school, timetable, kept)), tuple(covers))

    if prefer == "swap":
        plan = attempt(False)
        if plan.found:
            return plan
    return attempt(True)


def plan_weeks(school: School, policy: Policy, base: Timetable,
               weeks: Mapping[date, WeekRequest], **options: object
               ) -> list[tuple[date, ChangePlan]]:
    """:func:`plan_week` for each week in date order, cover counted over all of them (the
    fairness of one run); stops after the first week without a plan (it is the last)."""
    counts: Counter = Counter()
    out = []
    for monday in sorted(weeks):
        req = weeks[monday]
        plan = plan_week(school, policy, base, req.dates, absences=req.absences,
                         away=req.away, swaps=req.swaps, cover_counts=counts,
                         **options)  # type: ignore[arg-type]
        out.append((monday, plan))
        if not plan.found:
            break
    return out


def _hit(school: School, x: Lesson, away: tuple[Away, ...]) -> bool:
    t = _times(school, x)
    return t is not None and any(a.cls == x.cls and a.overlaps(x.day, *t) for a in away)


def _hit_teacher(school: School, x: Lesson, absences: tuple[Absence, ...]) -> bool:
    t = _times(school, x)
    return t is not None and any(a.teacher == x.teacher and a.overlaps(x.day, *t)
                                 for a in absences)


def _events(school: School, lessons: list[Lesson]) -> list[tuple[Lesson, ...]]:
    """The absent teachers' lessons grouped as they teach them: one 合班 or 走班 group
    lesson (several classes, one time) is one event, covered by one teacher."""
    by: dict[tuple[int, int, tuple[int, int]], list[Lesson]] = {}
    for x in lessons:
        by.setdefault((x.teacher, x.day, _times(school, x)), []).append(x)  # type: ignore[arg-type]
    return [tuple(v) for _, v in sorted(by.items(), key=lambda kv: (kv[0][1], kv[0][2],
                                                                      kv[0][0]))]


def _pick_cover(school: School, policy: Policy, held: list[Lesson], event: tuple[Lesson, ...],
                absences: tuple[Absence, ...], counts: Counter) -> tuple[int | None, list[str]]:
    """The cover teacher for ``event``, or ``None`` and why each qualified teacher is not."""
    first = event[0]
    when = _times(school, first)
    assert when is not None
    day = first.day
    busy: dict[int, list[tuple[tuple[int, int], Lesson]]] = {}
    for x in held:
        t = _times(school, x)
        if t is not None:
            busy.setdefault(x.teacher, []).append((t, x))
    mains = {x.teacher for x in held if x.cls == first.cls
             and school.subjects[x.subject].name in policy.main_subjects}
    protected = set(policy.protected_subjects)
    notes: list[str] = []
    ranked = []
    for t, teacher in enumerate(school.teachers):
        if t == first.teacher or not all(qualified(school, t, x.subject) for x in event):
            continue
        if not policy.generalist_teachers and t in mains and any(
                school.subjects[x.subject].name in protected and
                school.subjects[x.subject].name not in
                {school.subjects[s].name for s in teacher.subjects} for x in event):
            notes.append(f"{teacher.name}：本班主科教师，不能代{school.subjects[first.subject].name}"
                         f"（挤占） is the class's main-subject teacher")
            continue
        if any(a.teacher == t and a.overlaps(day, *when) for a in absences):
            notes.append(f"{teacher.name}：也不在校 is away too")
            continue
        if any(u.overlaps(day, *when) for u in school.unavailable_of(t)):
            notes.append(f"{teacher.name}：该时段不能上课或开会 unavailable or in a meeting")
            continue
        clash = next((x for tt, x in busy.get(t, ()) if x.day == day and _overlap(tt, when)),
                     None)
        if clash is not None:
            notes.append(f"{teacher.name}：同时在{school.classes[clash.cls].name}上"
                         f"{school.subjects[clash.subject].name}{'（代课）' if clash.cover else ''}"
                         f" teaches then")
            continue
        today = {tt for tt, x in busy.get(t, ()) if x.day == day}
        most = teacher.max_periods_per_day
        if most is not None and len(today) + 1 > most:
            notes.append(f"{teacher.name}：当天已有 {len(today)} 节，每天至多 {most} 节 "
                         f"at the daily maximum")
            continue
        covers_today = sum(1 for _, x in busy.get(t, ()) if x.day == day and x.cover)
        week = len({(x.day, tt) for tt, x in busy.get(t, ())})
        ranked.append(((counts[t], covers_today, len(today), week, t), t))
    if not ranked and not notes:
        names = "、".join(sorted({school.subjects[x.subject].name for x in event}))
        notes.append(f"没有其他教师任教{names} no other teacher is qualified for {names}")
    return (min(ranked)[1] if ranked else None), notes


def _swap_pair(school: School, base: Timetable, req: SwapRequest, held_days: set[int],
               reasons: list[str]) -> dict[Lesson, tuple[int, int]] | None:
    """The two lessons a swap request names and where each goes, or ``None`` (and a
    reason) when they are not two single lessons of one class on days held this week."""
    found = []
    for t, d, p in ((req.first, req.day, req.period), (req.second, req.day2, req.period2)):
        name = f"{school.teachers[t].name} {school.days[d]}第{p + 1}节"
        mine = [x for x in base.lessons if x.teacher == t and x.day == d and x.period == p]
        if not mine:
            reasons.append(f"{name} 没有课 — teacher {school.teachers[t].name} has no lesson "
                           f"at that period")
            return None
        if len(mine) > 1 or mine[0].group is not None or \
                (mine[0].cls, mine[0].subject) in school.combined_of:
            reasons.append(f"{name} 是合班、分组或走班课，不能单独互换 — a combined, split or 走班 "
                           f"lesson cannot be swapped on its own")
            return None
        if d not in held_days:
            reasons.append(f"{name}：本周{school.days[d]}不上课 — no school that day this week")
            return None
        found.append(mine[0])
    a, b = found
    if a.cls != b.cls:
        reasons.append(f"{school.teachers[a.teacher].name} 的课在{school.classes[a.cls].name}，"
                       f"{school.teachers[b.teacher].name} 的课在{school.classes[b.cls].name}："
                       f"不是同一个班，不能互换 — the two lessons are of different classes")
        return None
    return {a: (b.day, b.period), b: (a.day, a.period)}


def _busy_except(day: int, keep: list[tuple[int, int]], start: int = 0,
                 end: int = DAY_END) -> list[Unavailable]:
    """``start``–``end`` of ``day`` as unavailable stretches, leaving out ``keep``."""
    out, t = [], start
    for a, b in sorted(keep):
        if b <= t or a >= end:
            continue
        if a > t:
            out.append(Unavailable(day, t, a))
        t = max(t, b)
    if t < end:
        out.append(Unavailable(day, t, end))
    return out


def _move(school: School, policy: Policy, base: Timetable, dates: dict[int, date],
          absences: tuple[Absence, ...], covers: list[Cover],
          forced: dict[Lesson, tuple[int, int]], gone: set[Lesson], *, time_limit: float,
          workers: int, seed: int) -> list[Timetable] | str:
    """The fewest moves within the week: the school engine with the absences (and the
    cover lessons' times of their cover teachers) as unavailable time, every lesson on a
    day not held this week, every cancelled and cover lesson and the cover teachers'
    lessons locked, and the requested swaps locked where they go; ``moved_lesson`` is the
    only soft rule. Returns the week (with the kept rooms, then with the engine's), or
    the engine's status without one (``INFEASIBLE`` only when proven)."""
    covered = {x for c in covers for x in c.lessons}
    cover_teachers = {c.teacher for c in covers}
    # the solver's week: the base with the requested swaps applied
    kept_lessons = tuple(dataclasses.replace(x, day=forced[x][0], period=forced[x][1])
                         if x in forced else x for x in base.lessons)
    moved_to = {dataclasses.replace(x, day=forced[x][0], period=forced[x][1]) for x in forced}
    locked: set[LessonKey] = set()
    extra: dict[int, list[Unavailable]] = {}
    fixed_times: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for x in kept_lessons:
        lock = (x.day not in dates or x in gone or x in covered or x in moved_to
                or x.teacher in cover_teachers)
        if lock:
            locked.add((school.classes[x.cls].name, school.days[x.day], x.period))
            t = _times(school, x)
            if t is not None:
                fixed_times.setdefault((x.teacher, x.day), []).append(t)
    for t in range(len(school.teachers)):
        for d in range(len(school.days)):
            if d not in dates:   # a day without school this week: nothing moves onto it
                extra.setdefault(t, []).extend(_busy_except(d, fixed_times.get((t, d), [])))
        for a in absences:
            if a.teacher == t and a.day in dates:
                extra.setdefault(t, []).extend(_busy_except(
                    a.day, fixed_times.get((t, a.day), []), a.start, a.end))
    for c in covers:
        when = _times(school, c.lessons[0])
        if when is not None:
            extra.setdefault(c.teacher, []).append(Unavailable(c.lessons[0].day, *when))
    teachers = tuple(dataclasses.replace(tt, unavailable=tt.unavailable + tuple(extra.get(t, ())))
                     for t, tt in enumerate(school.teachers))
    week_school = dataclasses.replace(school, teachers=teachers)
    weights = policy.weights
    zero = {f.name: 0 for f in dataclasses.fields(weights)
            if f.name not in ("moved_lesson", "homework_alpha", "homework_beta")}
    week_policy = dataclasses.replace(policy, weights=dataclasses.replace(
        weights, **zero, moved_lesson=1))
    # the cover lessons keep their absent teacher in the engine's week (its rules know no
    # cover): that time was left out of the absence above
    engine_kept = Timetable(kept_lessons, base.sessions)
    result = solve(week_school, week_policy, keep=Keep(engine_kept, lock=frozenset(locked)),
                   time_limit=time_limit, workers=workers, seed=seed)
    # as the engine counts its locks: one per kept lesson (a split or 走班 group's once)
    expected = len({(school.classes[x.cls].name, school.days[x.day], x.period, x.subject, x.week)
                    for x in kept_lessons if school.group_rank(x.cls, x.group, x.subject) == 0
                    and (school.classes[x.cls].name, school.days[x.day], x.period) in locked})
    if result.timetable is None:
        return str(result.status)
    if result.locked != expected:
        return "INFEASIBLE"   # a lesson to keep (a requested swap's) cannot be where it must
    def key(x: Lesson) -> tuple:
        return (x.cls, x.day, x.period, x.subject, x.week, x.group)

    cover_of = {key(x): c.teacher for c in covers for x in c.lessons}
    dropped = {key(x) for x in gone}
    # a lesson that did not move keeps its room (the engine picks rooms afresh)
    room = {key(x): x.venue for x in kept_lessons}
    out, fresh = [], []
    for x in result.timetable.lessons:
        if key(x) in dropped:
            continue
        t = cover_of.get(key(x))
        y = dataclasses.replace(x, teacher=t, cover=True) if t is not None else x
        fresh.append(y)
        out.append(dataclasses.replace(y, venue=room[key(x)]) if key(x) in room else y)
    # the engine may move an activity session too (a PE lesson gone from a day needs the
    # 课外体育活动 then); a session that stayed keeps its place
    ground = {(x.cls, x.day): x.venue for x in base.sessions}
    sessions = tuple(dataclasses.replace(x, venue=ground[(x.cls, x.day)])
                     if (x.cls, x.day) in ground else x for x in result.timetable.sessions)
    # the engine's own rooms too, should a moved lesson's room clash with a kept one's
    return [Timetable(tuple(out), sessions), Timetable(tuple(fresh), result.timetable.sessions)]


def _impossible(school: School, must_move: list[tuple[Lesson, ...]],
                why: dict[tuple[Lesson, ...], list[str]],
                forced: dict[Lesson, tuple[int, int]], dates: dict[int, date],
                proven: bool, time_limit: float) -> list[str]:
    """Who and why: each lesson with no cover teacher, why each qualified teacher is not
    free, and that no moves within the week keep every rule."""
    out = []
    for ev in must_move:
        x = ev[0]
        classes = "、".join(school.classes[y.cls].name for y in ev)
        when = dates.get(x.day)
        out.append(f"{school.teachers[x.teacher].name} 不在校：{classes} {school.days[x.day]}"
                   f"{f'（{when:%m月%d日}）' if when else ''}第{x.period + 1}节 "
                   f"{school.subjects[x.subject].name} 找不到代课教师 — no cover teacher")
        out.extend(f"  {n}" for n in why.get(ev, []))
    if proven:
        out.append("已证明：本周内没有能保持全部规则的调课方案 — proven: no moves within the "
                   "week keep every rule")
    else:
        out.append(f"在 {time_limit:g} 秒内未找到保持全部规则的调课方案，也未证明没有；可延长 "
                   f"--time-limit — no moves found within {time_limit:g} s, none proven "
                   f"impossible")
    if forced:
        a, b = list(forced)[:2]
        out.append(f"{school.teachers[a.teacher].name} {school.days[a.day]}第{a.period + 1}节 与 "
                   f"{school.teachers[b.teacher].name} {school.days[b.day]}第{b.period + 1}节 "
                   f"互换，照原样调换时 — the swap as asked:")
    return out
