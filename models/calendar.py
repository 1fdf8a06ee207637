"""The school calendar (校历): a term's first and last day, its holidays and make-up days.

:class:`SchoolCalendar` answers "which timetable day is taught on this date?"
(:meth:`SchoolCalendar.day_of`): none on a holiday or a weekend, a weekday's own day
normally, and on a make-up day (调休上课, e.g. Saturday 2026-10-10 teaching Friday's
lessons) the weekday it follows. Calendars (``.ics``), dated week views and
调代课 dates all read the term through it.

Built-in holidays (:func:`national_holidays`) are the statutory days of the
《全国年节及纪念日放假办法》 (the 2024 revision, in force from 2025: 元旦 1 day, 春节 4,
清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3; before 2025: 春节 3, 劳动节 1), except that 国庆
and 劳动节 are given as the breaks every year's 国务院办公厅 notice has made of them
(国庆 October 1–7, every year since 2000 — 8 days when 中秋 joins it; 劳动节 May 1–5,
every year since 2020): a parent's calendar must not show lessons on October 5. The
lunar dates (春节, 端午, 中秋) and the 清明 solar term are tabled for :data:`LUNAR_YEARS`
only. The year's exact arrangement and its make-up working days (调休上课) cannot be
known in advance: they come from the school's calendar file.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Iterator

from .errors import InputError

__all__ = ["Holiday", "MakeUpDay", "SchoolCalendar", "national_holidays", "default_term",
           "holidays_between", "LUNAR_YEARS", "WEEKDAY_NAMES"]

#: 周一 … 周日, index = ``date.weekday()``.
WEEKDAY_NAMES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")

# Gregorian dates of 春节 (正月初一), 端午 (五月初五), 中秋 (八月十五) and 清明 (the solar
# term), as (month, day). Checked against two independent lunar-calendar libraries.
_LUNAR: dict[int, tuple[tuple[int, int], tuple[int, int], tuple[int, int], tuple[int, int]]] = {
    2024: ((2, 10), (4, 4), (6, 10), (9, 17)),
    2025: ((1, 29), (4, 4), (5, 31), (10, 6)),
    2026: ((2, 17), (4, 5), (6, 19), (9, 25)),
    2027: ((2, 6), (4, 5), (6, 9), (9, 15)),
    2028: ((1, 26), (4, 4), (5, 28), (10, 3)),
    2029: ((2, 13), (4, 4), (6, 16), (9, 22)),
    2030: ((2, 3), (4, 5), (6, 5), (9, 12)),
}
#: Years whose lunar holidays (春节, 清明, 端午, 中秋) are built in.
LUNAR_YEARS = range(min(_LUNAR), max(_LUNAR) + 1)


@dataclass(frozen=True, slots=True)
class Holiday:
    """No school from ``start`` to ``end`` (both included), e.g. 国庆节."""

    start: date
    end: date
    name: str = ""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InputError("end", self.end.isoformat(),
                             f"假期结束早于开始 ends before it starts ({self.start.isoformat()})")

    def dates(self) -> Iterator[date]:
        d = self.start
        while d <= self.end:
            yield d
            d += timedelta(days=1)


@dataclass(frozen=True, slots=True)
class MakeUpDay:
    """调休上课: school on ``date`` (usually a Saturday or Sunday), teaching the
    timetable of weekday ``follows`` (0 = 周一)."""

    date: date
    follows: int
    name: str = ""

    def __post_init__(self) -> None:
        if isinstance(self.follows, bool) or not isinstance(self.follows, int) \
                or not 0 <= self.follows <= 6:
            raise InputError("follows", self.follows, "应为周一到周日 a weekday 0 (周一)..6 (周日)")


@dataclass(frozen=True, slots=True)
class SchoolCalendar:
    """One term of the school year.

    Parameters
    ----------
    start, end
        The term's first and last day (both taught when they are school days).
    holidays
        Days off (single days are ranges of one day).
    makeup
        Make-up days (调休上课), each following another weekday's timetable.
    weekdays
        The weekdays with lessons in a normal week (0 = 周一; default 周一–周五).
    name
        The term as people say it, e.g. ``2026–2027学年第一学期（秋季）``.
    """

    start: date
    end: date
    holidays: tuple[Holiday, ...] = ()
    makeup: tuple[MakeUpDay, ...] = ()
    weekdays: frozenset[int] = frozenset(range(5))
    name: str = ""
    _off: dict[date, str] = field(init=False, repr=False, compare=False)
    _extra: dict[date, MakeUpDay] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InputError("end", self.end.isoformat(),
                             f"学期结束早于开始 the term ends before it starts "
                             f"({self.start.isoformat()})")
        for w in self.weekdays:
            if not 0 <= w <= 6:
                raise InputError("weekdays", w, "应为 0 (周一)..6 (周日) a weekday 0..6")
        off: dict[date, str] = {}
        for h in self.holidays:
            for d in h.dates():
                off.setdefault(d, h.name)
        extra: dict[date, MakeUpDay] = {}
        for i, m in enumerate(self.makeup):
            where = f"makeup[{i}].date"
            if not self.start <= m.date <= self.end:
                raise InputError(where, m.date.isoformat(),
                                 f"补课日不在学期内 the make-up day is outside the term "
                                 f"({self.start.isoformat()} – {self.end.isoformat()})")
            if m.date in off:
                raise InputError(where, m.date.isoformat(),
                                 f"这一天也是假日（{off[m.date] or '假日'}）a make-up day that is "
                                 f"also a holiday")
            if m.date in extra:
                raise InputError(where, m.date.isoformat(), "补课日重复 given twice")
            extra[m.date] = m
        object.__setattr__(self, "_off", off)
        object.__setattr__(self, "_extra", extra)

    # --- questions ----------------------------------------------------------------------

    def day_of(self, d: date) -> int | None:
        """The timetable day taught on ``d`` (0 = 周一's lessons … 6 = 周日's), or
        ``None`` when there is no school: outside the term, a holiday, a weekend."""
        if not self.start <= d <= self.end or d in self._off:
            return None
        if d in self._extra:
            return self._extra[d].follows
        weekday = d.weekday()
        return weekday if weekday in self.weekdays else None

    def holiday_name(self, d: date) -> str | None:
        """The holiday's name on ``d`` (``""`` for an unnamed one), ``None`` on other days."""
        return self._off.get(d)

    def makeup_on(self, d: date) -> MakeUpDay | None:
        return self._extra.get(d)

    def dates(self) -> Iterator[date]:
        """Every date of the term, school or not."""
        d = self.start
        while d <= self.end:
            yield d
            d += timedelta(days=1)

    def teaching_dates(self) -> list[date]:
        """The dates with school, in order."""
        return [d for d in self.dates() if self.day_of(d) is not None]

    def week_number(self, d: date) -> int:
        """The term week (教学周, as the 校历 numbers them) holding ``d``: 1 for the week
        (Monday to Sunday) of the term's first day, then 2, 3, … — holiday weeks
        count too. Odd weeks are 单周, even ones 双周."""
        monday = self.start - timedelta(days=self.start.weekday())
        return (d - monday).days // 7 + 1

    def week_dates(self, d: date) -> list[tuple[date, int]]:
        """The school days of the week (Monday to Sunday) holding ``d``: each date with
        the timetable day taught on it (for a dated week timetable)."""
        monday = d - timedelta(days=d.weekday())
        days = (monday + timedelta(days=i) for i in range(7))
        return [(x, day) for x in days if (day := self.day_of(x)) is not None]

    def off_days(self) -> list[tuple[date, str]]:
        """The holidays inside the term that would have been school days, with names."""
        return [(d, self._off[d]) for d in self.dates()
                if d in self._off and d.weekday() in self.weekdays]

    def with_weekdays(self, weekdays: frozenset[int] | set[int]) -> "SchoolCalendar":
        """The same term for a school whose normal week has lessons on ``weekdays``."""
        return replace(self, weekdays=frozenset(weekdays))

    def describe(self) -> str:
        """One line for people: the term, its days off and its make-up days."""
        title = self.name or "学期 term"
        text = f"{title}：{self.start.isoformat()} 至 {self.end.isoformat()}"
        off = "，".join(_span(h.name, max(h.start, self.start), min(h.end, self.end))
                       for h in sorted(self.holidays, key=lambda h: h.start)
                       if h.end >= self.start and h.start <= self.end)
        text += f"；假日 holidays: {off or '无 none'}"
        ups = "，".join(f"{m.date.month}月{m.date.day}日{WEEKDAY_NAMES[m.date.weekday()]}"
                       f"上{WEEKDAY_NAMES[m.follows]}的课" for m in
                       sorted(self.makeup, key=lambda m: m.date))
        return text + f"；调休上课 make-up days: {ups or '无 none'}"


def _span(name: str, a: date, b: date) -> str:
    """``国庆节 10月1日–3日``, ``寒假 1月23日–2月28日``."""
    text = f"{name or '假日'} {a.month}月{a.day}日"
    if b == a:
        return text
    return text + (f"–{b.day}日" if (b.year, b.month) == (a.year, a.month)
                   else f"–{b.month}月{b.day}日")


# --- built-in holidays -------------------------------------------------------------------

def national_holidays(year: int) -> tuple[Holiday, ...]:
    """The public holidays (法定节假日) of ``year``: 元旦, 春节, 清明, 劳动节, 端午, 中秋,
    国庆 — 国庆 as October 1–7 and 劳动节 (from 2020) as May 1–5, the breaks every year's
    notice has made of them; no make-up days (the school's calendar file gives those).

    Fixed-date holidays are given for any year; the lunar ones only for
    :data:`LUNAR_YEARS`.
    """
    new_rules = year >= 2025    # 国务院令第795号 (2024): 春节 +除夕
    out = [Holiday(date(year, 1, 1), date(year, 1, 1), "元旦")]
    lunar = _LUNAR.get(year)
    if lunar is not None:
        spring = date(year, *lunar[0])
        out.append(Holiday(spring - timedelta(days=1) if new_rules else spring,
                           spring + timedelta(days=2), "春节"))
        out.append(Holiday(date(year, *lunar[1]), date(year, *lunar[1]), "清明节"))
    out.append(Holiday(date(year, 5, 1), date(year, 5, 5 if year >= 2020 else 1), "劳动节"))
    if lunar is not None:
        out.append(Holiday(date(year, *lunar[2]), date(year, *lunar[2]), "端午节"))
        out.append(Holiday(date(year, *lunar[3]), date(year, *lunar[3]), "中秋节"))
    out.append(Holiday(date(year, 10, 1), date(year, 10, 7), "国庆节"))
    return tuple(sorted(out, key=lambda h: h.start))


def holidays_between(start: date, end: date) -> tuple[Holiday, ...]:
    """The built-in holidays touching ``start``..``end``."""
    return tuple(h for y in range(start.year, end.year + 1) for h in national_holidays(y)
                 if h.end >= start and h.start <= end)


def _on_or_after(d: date, weekday: int) -> date:
    return d + timedelta(days=(weekday - d.weekday()) % 7)


def _on_or_before(d: date, weekday: int) -> date:
    return d - timedelta(days=(d.weekday() - weekday) % 7)


def _autumn(year: int) -> tuple[date, date]:
    """First weekday on or after September 1 – the Friday on or before January 22."""
    start = date(year, 9, 1)
    if start.weekday() >= 5:
        start = _on_or_after(start, 0)
    return start, _on_or_before(date(year + 1, 1, 22), 4)


def _spring(year: int) -> tuple[date, date]:
    """The Monday on or after February 24 – the Friday on or before July 5."""
    return _on_or_after(date(year, 2, 24), 0), _on_or_before(date(year, 7, 5), 4)


def default_term(today: date) -> SchoolCalendar:
    """The term ``today`` falls in (or, in a vacation, the next one), with the built-in
    holidays: autumn ≈ September 1 – late January, spring ≈ late February – early July.

    A school's own dates come from its calendar file; these are a guess.
    """
    y = today.year
    if today.month >= 8:
        start, end = _autumn(y)
        name = f"{y}–{y + 1}学年第一学期（秋季）"
    elif today <= _autumn(y - 1)[1]:
        start, end = _autumn(y - 1)
        name = f"{y - 1}–{y}学年第一学期（秋季）"
    elif today <= _spring(y)[1]:
        start, end = _spring(y)
        name = f"{y - 1}–{y}学年第二学期（春季）"
    else:   # July after the term: the autumn term ahead
        start, end = _autumn(y)
        name = f"{y}–{y + 1}学年第一学期（秋季）"
    return SchoolCalendar(start, end, holidays_between(start, end), name=name)
