"""Calendars (RFC 5545 ``.ics``) for teachers and classes.

Every lesson of the weekly timetable becomes one weekly recurring event: ``DTSTART``
on the first matching weekday on or after the term's first day, ``RRULE:FREQ=WEEKLY``
until the end of the term's last day, in China time (``TZID=Asia/Shanghai``). UIDs are
derived from the school, the calendar's owner and the slot, so writing the calendars
again gives the same UIDs and a calendar app updates events instead of duplicating them.

A lesson held every other week (单双周, ``Lesson.week``) recurs every two weeks
(``RRULE:FREQ=WEEKLY;INTERVAL=2``) from its first week: the calendar week (Monday to
Sunday) holding the term's first day is week 1 of the term, a 单周 (odd week), the next
one a 双周, and so on.
"""

from __future__ import annotations

import logging
import re
import uuid
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Iterable
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, Timezone, TimezoneStandard

from ..models.errors import InputError
from ..models.policy import format_clock
from ..models.school import School
from ..models.timetable import Lesson, Timetable
from .views import lesson_times, week_mark, write_atomic

__all__ = ["write_calendars", "class_calendar", "teacher_calendar", "weekday_of", "term_week",
           "TZID"]

log = logging.getLogger(__name__)

TZID = "Asia/Shanghai"
_TZ = ZoneInfo(TZID)
_NAMESPACE = uuid.UUID("6f1c9a52-3b7e-4c1e-9d0a-6a1f3e0b7c11")   # jianfu's UID namespace
_ZH_DAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_EN_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def weekday_of(name: str, position: int) -> int:
    """Weekday (Monday = 0) of a school-day name: 周一, 星期三, 礼拜五, Mon, Friday…

    A name that says no weekday falls back to its ``position`` in the school week.
    """
    text = name.strip()
    match = re.fullmatch(r"(?:周|星期|礼拜)([一二三四五六日天])", text)
    if match:
        return _ZH_DAYS[match.group(1)]
    lowered = text.lower()
    for i, en in enumerate(_EN_DAYS):
        if lowered.startswith(en):
            return i
    log.warning("day %r names no weekday; using its position %d in the week", name, position)
    return position % 7


def _first_on_or_after(start: date, weekday: int) -> date:
    return start + timedelta(days=(weekday - start.weekday()) % 7)


def _vtimezone() -> Timezone:
    """China time: UTC+8 all year (no daylight saving since 1991)."""
    tz = Timezone()
    tz.add("tzid", TZID)
    std = TimezoneStandard()
    std.add("dtstart", datetime(1970, 1, 1))
    std.add("tzoffsetfrom", timedelta(hours=8))
    std.add("tzoffsetto", timedelta(hours=8))
    std.add("tzname", "CST")
    tz.add_component(std)
    return tz


def _calendar(school: School, title: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//jianfu//减负 timetable//ZH")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{school.name} {title}")
    cal.add("x-wr-timezone", TZID)
    cal.add_component(_vtimezone())
    return cal


def _uid(school: School, owner: str, day: int, period: int | str) -> str:
    key = f"{school.name}|{owner}|{school.days[day]}|{period}"
    return f"{uuid.uuid5(_NAMESPACE, key)}@jianfu"


def term_week(term_start: date, when: date) -> int:
    """The week of the term ``when`` is in: 1 for the calendar week (Monday to Sunday)
    holding ``term_start``, then 2, 3, …; odd weeks are 单周, even ones 双周."""
    monday = term_start - timedelta(days=term_start.weekday())
    return (when - monday).days // 7 + 1


def _event(school: School, uid: str, summary: str, location: str, description: str,
           day: int, start: int, end: int, term_start: date, term_end: date,
           stamp: datetime, week: int | None = None) -> Event | None:
    first = _first_on_or_after(term_start, weekday_of(school.days[day], day))
    if week is not None and term_week(term_start, first) % 2 != week % 2:
        first += timedelta(days=7)   # 单双周: the first week of the right parity
    if first > term_end:
        return None
    last = datetime.combine(term_end, time(23, 59, 59), _TZ).astimezone(timezone.utc)
    ev = Event()
    ev.add("uid", uid)
    ev.add("dtstamp", stamp)
    ev.add("summary", summary)
    ev.add("dtstart", datetime.combine(first, time(start // 60, start % 60), _TZ))
    ev.add("dtend", datetime.combine(first, time(end // 60, end % 60), _TZ))
    # RFC 5545 §3.3.10: with a zoned DTSTART, UNTIL is given in UTC
    ev.add("rrule", {"freq": "weekly", "until": last} if week is None else
           {"freq": "weekly", "interval": 2, "until": last})
    if location:
        ev.add("location", location)
    ev.add("description", description)
    ev.add("transp", "OPAQUE")
    return ev


def _slot_text(school: School, lesson: Lesson, start: int, end: int) -> str:
    clock = f"{format_clock(start)}–{format_clock(end)}"
    return f"{school.days[lesson.day]} 第{lesson.period + 1}节 {clock}"


def _lesson_events(school: School, lessons: Iterable[Lesson], owner: str, view: str,
                   term_start: date, term_end: date, stamp: datetime) -> list[Event]:
    events = []
    for lesson in lessons:
        times = lesson_times(school, lesson)
        if times is None:
            log.warning("%s: lesson outside the day's periods skipped: %s", owner, lesson)
            continue
        subject = school.subjects[lesson.subject].name
        cls = school.classes[lesson.cls].name
        teacher = school.teachers[lesson.teacher].name
        venue = school.venues[lesson.venue].name if lesson.venue is not None else cls
        subject += week_mark(lesson)   # 科学(单周): every other week
        summary = f"{subject} · {cls}" if view == "teacher" else f"{subject}（{teacher}）"
        description = f"{_slot_text(school, lesson, *times)}\n{cls} {subject} — {teacher}"
        # a lesson every other week has its own UID (the slot's other week has another)
        slot = f"{lesson.period}|{lesson.cls}" + ("" if lesson.week is None else f"|{lesson.week}")
        ev = _event(school, _uid(school, owner, lesson.day, slot), summary, venue, description,
                    lesson.day, *times, term_start, term_end, stamp, lesson.week)
        if ev is not None:
            events.append(ev)
    return events


def teacher_calendar(school: School, timetable: Timetable, teacher: int, term_start: date,
                     term_end: date, stamp: datetime | None = None) -> Calendar:
    """The calendar of ``teacher``: each weekly lesson as a recurring event."""
    name = school.teachers[teacher].name
    cal = _calendar(school, f"{name} 课表")
    stamp = stamp or _now()
    for ev in _lesson_events(school, (x for x in timetable.lessons if x.teacher == teacher),
                             f"teacher:{name}", "teacher", term_start, term_end, stamp):
        cal.add_component(ev)
    return cal


def class_calendar(school: School, timetable: Timetable, cls: int, term_start: date,
                   term_end: date, stamp: datetime | None = None) -> Calendar:
    """The calendar of class ``cls``: lessons and after-class activity sessions."""
    name = school.classes[cls].name
    cal = _calendar(school, f"{name} 课表")
    stamp = stamp or _now()
    owner = f"class:{name}"
    for ev in _lesson_events(school, (x for x in timetable.lessons if x.cls == cls), owner,
                             "class", term_start, term_end, stamp):
        cal.add_component(ev)
    for session in timetable.sessions:
        if session.cls != cls:
            continue
        seg = school.day_of(cls, session.day).activity
        if seg is None:
            continue
        where = school.venues[session.venue].name if session.venue is not None else ""
        ev = _event(school, _uid(school, owner, session.day, "activity"),
                    f"{seg.label or seg.kind.zh}（{name}）", where,
                    f"{school.days[session.day]} {format_clock(seg.start)}–{format_clock(seg.end)}",
                    session.day, seg.start, seg.end, term_start, term_end, stamp)
        if ev is not None:
            cal.add_component(ev)
    return cal


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def _file_name(kind: str, name: str) -> str:
    return f"{kind}-{_UNSAFE.sub('_', name).strip('_') or 'x'}.ics"


def write_calendars(out_dir: Path | str, school: School, timetable: Timetable,
                    term_start: date, term_end: date, *,
                    stamp: datetime | None = None) -> list[Path]:
    """Write one ``.ics`` per teacher (``教师-姓名.ics``) and per class (``班级-….ics``).

    Parameters
    ----------
    term_start, term_end
        The term's first and last day; events recur weekly in between.
    stamp
        ``DTSTAMP`` of every event (default: now, UTC).

    Returns
    -------
    list[Path]
        The files written, teachers first.
    """
    if term_end < term_start:
        raise InputError("--term-end", term_end.isoformat(),
                         f"学期结束早于开始 before the term's start {term_start.isoformat()}")
    out = Path(out_dir)
    stamp = stamp or _now()
    written: list[Path] = []
    used: set[str] = set()

    def target(kind: str, name: str) -> Path:
        file = _file_name(kind, name)
        n = 2
        while file in used:
            file = _file_name(kind, f"{name}~{n}")
            n += 1
        used.add(file)
        return out / file

    for t in range(len(school.teachers)):
        cal = teacher_calendar(school, timetable, t, term_start, term_end, stamp)
        written.append(write_atomic(target("教师", school.teachers[t].name), cal.to_ical()))
    for c in range(len(school.classes)):
        cal = class_calendar(school, timetable, c, term_start, term_end, stamp)
        written.append(write_atomic(target("班级", school.classes[c].name), cal.to_ical()))
    log.info("wrote %d calendars to %s", len(written), out)
    return written
