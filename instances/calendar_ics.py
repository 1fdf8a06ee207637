"""Calendars (RFC 5545 ``.ics``) for teachers and classes, over the term of a school
calendar (:class:`~jianfu.models.calendar.SchoolCalendar`).

Every lesson of the weekly timetable becomes one weekly recurring event: ``DTSTART``
on its first school day in the term, ``RRULE:FREQ=WEEKLY`` until the end of the term's
last day, in China time (``TZID=Asia/Shanghai``), with an ``EXDATE`` for each holiday
(and each date teaching another weekday's lessons). A make-up day (调休上课, e.g.
Saturday 2026-10-10 teaching Friday's timetable) gets one event per lesson of the day
it follows; each run of school days off gets an all-day "放假" event. UIDs are derived
from the school, the calendar's owner and the slot (a make-up event: and its date), so
writing the calendars again gives the same UIDs and a calendar app updates events
instead of duplicating them.

A lesson held every other week (单双周, ``Lesson.week``) recurs every two weeks
(``RRULE:FREQ=WEEKLY;INTERVAL=2``) from its first week: the calendar week (Monday to
Sunday) holding the term's first day is week 1 of the term, a 单周 (odd week), the next
one a 双周, and so on — the 校历's week numbers, holiday weeks included. A make-up day
teaches the 单双周 lessons of its own week's parity.
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

from ..models.calendar import WEEKDAY_NAMES, SchoolCalendar
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


def _term(school: School, term: SchoolCalendar | date, term_end: date | None
          ) -> SchoolCalendar:
    """The term as a calendar with the school's weekdays; two dates are a term without
    holidays."""
    if not isinstance(term, SchoolCalendar):
        if term_end is None:
            raise InputError("--term-end", "", "缺少学期最后一天 the term's last day is missing")
        if term_end < term:
            raise InputError("--term-end", term_end.isoformat(),
                             f"学期结束早于开始 before the term's start {term.isoformat()}")
        term = SchoolCalendar(term, term_end)
    return term.with_weekdays({weekday_of(name, i) for i, name in enumerate(school.days)})


def _zoned(d: date, minutes: int) -> datetime:
    return datetime.combine(d, time(minutes // 60, minutes % 60), _TZ)


def _base_event(uid: str, summary: str, location: str, description: str, d: date,
                start: int, end: int, stamp: datetime) -> Event:
    ev = Event()
    ev.add("uid", uid)
    ev.add("dtstamp", stamp)
    ev.add("summary", summary)
    ev.add("dtstart", _zoned(d, start))
    ev.add("dtend", _zoned(d, end))
    if location:
        ev.add("location", location)
    ev.add("description", description)
    ev.add("transp", "OPAQUE")
    return ev


def _events(school: School, uid: str, summary: str, location: str, description: str,
            day: int, start: int, end: int, term: SchoolCalendar, stamp: datetime,
            week: int | None = None) -> list[Event]:
    """A weekly series on the school day ``day`` — its first school day, ``RRULE`` to the
    term's end, ``EXDATE`` for holidays (and dates teaching another day's lessons) — and
    one event on each make-up day (调休上课) that teaches ``day``'s lessons.

    ``week`` (1 单周, 2 双周) keeps the dates of the term weeks of that parity."""
    weekday = weekday_of(school.days[day], day)

    def wanted(d: date) -> bool:
        return week is None or term.week_number(d) % 2 == week % 2

    series = [d for d in term.dates() if d.weekday() == weekday and wanted(d)]
    regular = [d for d in series if term.day_of(d) == weekday]
    out = []
    if regular:
        first = regular[0]
        last = datetime.combine(term.end, time(23, 59, 59), _TZ).astimezone(timezone.utc)
        ev = _base_event(uid, summary, location, description, first, start, end, stamp)
        # RFC 5545 §3.3.10: with a zoned DTSTART, UNTIL is given in UTC
        ev.add("rrule", {"freq": "weekly", "until": last} if week is None else
               {"freq": "weekly", "interval": 2, "until": last})
        skipped = [_zoned(d, start) for d in series if d > first and term.day_of(d) != weekday]
        if skipped:
            ev.add("exdate", skipped)
        out.append(ev)
    for m in sorted(term.makeup, key=lambda m: m.date):
        if m.follows != weekday or m.date.weekday() == weekday or not wanted(m.date):
            continue
        note = (f"调休上课 make-up day: {m.date.isoformat()} {WEEKDAY_NAMES[m.date.weekday()]}"
                f"上{WEEKDAY_NAMES[m.follows]}的课" + (f"（{m.name}）" if m.name else ""))
        out.append(_base_event(f"{uid.split('@')[0]}-{m.date.isoformat()}@jianfu", summary,
                               location, f"{description}\n{note}", m.date, start, end, stamp))
    return out


def _holiday_events(school: School, owner: str, term: SchoolCalendar,
                    stamp: datetime) -> list[Event]:
    """One all-day event per holiday in the term that takes a school day (放假：国庆节),
    so the gap in the timetable is explained."""
    runs: list[list[date]] = []
    for d in term.dates():
        name = term.holiday_name(d)
        if name is None:
            continue
        if runs and (d - runs[-1][-1]).days == 1 and term.holiday_name(runs[-1][-1]) == name:
            runs[-1].append(d)
        else:
            runs.append([d])
    out = []
    for run in runs:
        if not any(d.weekday() in term.weekdays for d in run):
            continue
        ev = Event()
        ev.add("uid", f"{uuid.uuid5(_NAMESPACE, f'{school.name}|{owner}|off|{run[0]}')}@jianfu")
        ev.add("dtstamp", stamp)
        ev.add("summary", f"放假：{term.holiday_name(run[0]) or '假日'}")
        ev.add("dtstart", run[0])
        ev.add("dtend", run[-1] + timedelta(days=1))
        ev.add("transp", "TRANSPARENT")
        out.append(ev)
    return out


def _slot_text(school: School, lesson: Lesson, start: int, end: int) -> str:
    clock = f"{format_clock(start)}–{format_clock(end)}"
    return f"{school.days[lesson.day]} 第{lesson.period + 1}节 {clock}"


def _lesson_events(school: School, lessons: Iterable[Lesson], owner: str, view: str,
                   term: SchoolCalendar, stamp: datetime) -> list[Event]:
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
        events += _events(school, _uid(school, owner, lesson.day, slot), summary, venue,
                          description, lesson.day, *times, term, stamp, lesson.week)
    return events


def teacher_calendar(school: School, timetable: Timetable, teacher: int,
                     term: SchoolCalendar | date, term_end: date | None = None,
                     stamp: datetime | None = None) -> Calendar:
    """The calendar of ``teacher``: each weekly lesson as a recurring event, without the
    term's holidays, with its make-up days (``term``: a :class:`SchoolCalendar`, or the
    first day with ``term_end`` the last for a term without holidays)."""
    name = school.teachers[teacher].name
    cal = _calendar(school, f"{name} 课表")
    stamp = stamp or _now()
    term = _term(school, term, term_end)
    owner = f"teacher:{name}"
    for ev in _lesson_events(school, (x for x in timetable.lessons if x.teacher == teacher),
                             owner, "teacher", term, stamp):
        cal.add_component(ev)
    for ev in _holiday_events(school, owner, term, stamp):
        cal.add_component(ev)
    return cal


def class_calendar(school: School, timetable: Timetable, cls: int,
                   term: SchoolCalendar | date, term_end: date | None = None,
                   stamp: datetime | None = None) -> Calendar:
    """The calendar of class ``cls``: lessons and after-class activity sessions (``term``
    as for :func:`teacher_calendar`)."""
    name = school.classes[cls].name
    cal = _calendar(school, f"{name} 课表")
    stamp = stamp or _now()
    term = _term(school, term, term_end)
    owner = f"class:{name}"
    for ev in _lesson_events(school, (x for x in timetable.lessons if x.cls == cls), owner,
                             "class", term, stamp):
        cal.add_component(ev)
    for session in timetable.sessions:
        if session.cls != cls:
            continue
        seg = school.day_of(cls, session.day).activity
        if seg is None:
            continue
        where = school.venues[session.venue].name if session.venue is not None else ""
        for ev in _events(school, _uid(school, owner, session.day, "activity"),
                          f"{seg.label or seg.kind.zh}（{name}）", where,
                          f"{school.days[session.day]} {format_clock(seg.start)}–"
                          f"{format_clock(seg.end)}", session.day, seg.start, seg.end, term,
                          stamp):
            cal.add_component(ev)
    for ev in _holiday_events(school, owner, term, stamp):
        cal.add_component(ev)
    return cal


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0)


def _file_name(kind: str, name: str) -> str:
    return f"{kind}-{_UNSAFE.sub('_', name).strip('_') or 'x'}.ics"


def write_calendars(out_dir: Path | str, school: School, timetable: Timetable,
                    term: SchoolCalendar | date, term_end: date | None = None, *,
                    stamp: datetime | None = None) -> list[Path]:
    """Write one ``.ics`` per teacher (``教师-姓名.ics``) and per class (``班级-….ics``).

    Parameters
    ----------
    term, term_end
        The term (:class:`~jianfu.models.calendar.SchoolCalendar`): events recur weekly
        from its first to its last day, skip its holidays and are added on its make-up
        days. Or the term's first and last day, for a term without holidays.
    stamp
        ``DTSTAMP`` of every event (default: now, UTC).

    Returns
    -------
    list[Path]
        The files written, teachers first.
    """
    term = _term(school, term, term_end)
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
        cal = teacher_calendar(school, timetable, t, term, stamp=stamp)
        written.append(write_atomic(target("教师", school.teachers[t].name), cal.to_ical()))
    for c in range(len(school.classes)):
        cal = class_calendar(school, timetable, c, term, stamp=stamp)
        written.append(write_atomic(target("班级", school.classes[c].name), cal.to_ical()))
    log.info("wrote %d calendars to %s", len(written), out)
    return written
