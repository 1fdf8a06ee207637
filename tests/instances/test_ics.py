"""ICS calendars: weekly recurring lessons in China time, parsed back with icalendar."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from jianfu.instances.calendar_ics import TZID, weekday_of, write_calendars
from jianfu.instances.views import lesson_times
from jianfu.models.errors import InputError

TERM_START = date(2026, 9, 1)     # a Tuesday
TERM_END = date(2027, 1, 15)      # a Friday
STAMP = datetime(2026, 8, 20, tzinfo=timezone.utc)
SHANGHAI = ZoneInfo(TZID)


@pytest.fixture()
def files(tmp_path, school, timetable):
    return write_calendars(tmp_path, school, timetable, TERM_START, TERM_END, stamp=STAMP)


def _events(path):
    cal = Calendar.from_ical(path.read_bytes())
    return cal, [c for c in cal.walk("VEVENT")]


def test_one_calendar_per_teacher_and_class(files, school):
    names = [p.name for p in files]
    assert len(files) == len(school.teachers) + len(school.classes)
    assert "教师-王芳.ics" in names and "班级-三(1)班.ics" in names
    assert "教师-张丽_Zhang.ics" in names          # unsafe characters replaced


def test_teacher_events_are_weekly_in_china_time(files, school, timetable):
    path = next(p for p in files if p.name == "教师-王芳.ics")
    cal, events = _events(path)
    teacher = school.teacher_index["王芳"]
    mine = [x for x in timetable.lessons if x.teacher == teacher]
    assert len(events) == len(mine) > 0
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == [TZID]
    until = datetime.combine(TERM_END, time(23, 59, 59), SHANGHAI).astimezone(timezone.utc)
    starts = set()
    for ev in events:
        start = ev.decoded("dtstart")
        assert start.tzinfo is not None and start.utcoffset() == timedelta(hours=8)
        assert ev["DTSTART"].params["TZID"] == TZID
        assert TERM_START <= start.date() < TERM_START + timedelta(days=7)
        rule = ev.decoded("rrule")
        assert rule["FREQ"] == ["WEEKLY"] and rule["UNTIL"] == [until]
        starts.add((start.weekday(), start.hour * 60 + start.minute,
                    ev.decoded("dtend").hour * 60 + ev.decoded("dtend").minute))
    expected = {(weekday_of(school.days[x.day], x.day), *lesson_times(school, x)) for x in mine}
    assert starts == expected


def test_occurrences_cover_the_term(files):
    path = next(p for p in files if p.name == "班级-三(1)班.ics")
    _, events = _events(path)
    monday = next(ev for ev in events if ev.decoded("dtstart").weekday() == 0)
    assert monday.decoded("dtstart").date() == date(2026, 9, 7)   # first Monday on/after start
    start = monday.decoded("dtstart")
    rule = rrulestr(monday["RRULE"].to_ical().decode(), dtstart=start)
    dates = [d.date() for d in rule]
    mondays = [TERM_START + timedelta(days=i) for i in range((TERM_END - TERM_START).days + 1)
               if (TERM_START + timedelta(days=i)).weekday() == 0]
    assert dates == mondays


def test_class_calendar_has_lessons_and_activity_sessions(files, school, timetable):
    _, events = _events(next(p for p in files if p.name == "班级-三(2)班.ics"))
    lessons = [x for x in timetable.lessons if x.cls == 1]
    sessions = [s for s in timetable.sessions if s.cls == 1]
    assert len(events) == len(lessons) + len(sessions)
    activity = [ev for ev in events if str(ev["SUMMARY"]).startswith("课外体育活动")]
    assert len(activity) == len(sessions) and str(activity[0]["LOCATION"]) == "操场"


def test_uids_are_stable_and_unique(tmp_path, school, timetable, files):
    again = write_calendars(tmp_path / "again", school, timetable, TERM_START, TERM_END)
    uids = [str(ev["UID"]) for p in files for ev in _events(p)[1]]
    uids_again = [str(ev["UID"]) for p in again for ev in _events(p)[1]]
    assert uids == uids_again
    assert len(set(uids)) == len(uids)


def test_short_term_drops_weekdays_it_never_reaches(tmp_path, school, timetable):
    # Wednesday to Thursday: Monday, Tuesday and Friday lessons never happen
    files = write_calendars(tmp_path, school, timetable, date(2026, 9, 2), date(2026, 9, 3))
    _, events = _events(next(p for p in files if p.name == "班级-三(1)班.ics"))
    assert events and {ev.decoded("dtstart").weekday() for ev in events} == {2, 3}


def test_term_end_before_start_is_bad_input(tmp_path, school, timetable):
    with pytest.raises(InputError):
        write_calendars(tmp_path, school, timetable, TERM_END, TERM_START)


@pytest.mark.parametrize("name, position, weekday", [
    ("周一", 0, 0), ("星期三", 0, 2), ("礼拜五", 0, 4), ("周日", 0, 6), ("Tuesday", 0, 1),
    ("第三天", 2, 2)])
def test_weekday_of_day_names(name, position, weekday):
    assert weekday_of(name, position) == weekday


def test_a_lesson_every_other_week_recurs_every_two_weeks_from_its_first_week(school):
    from jianfu.instances.calendar_ics import class_calendar, term_week
    from jianfu.models.timetable import Lesson, Timetable

    # week 1 of the term is Mon 31 Aug – Sun 6 Sept (单周), week 2 from Mon 7 Sept (双周)
    assert [term_week(TERM_START, date(2026, 9, d)) for d in (1, 6, 7, 14)] == [1, 1, 2, 3]
    sci, art = school.subject_index["科学"], school.subject_index["美术"]
    zhao, liu = school.teacher_index["赵敏"], school.teacher_index["刘洋"]
    lessons = (Lesson(0, 0, 0, sci, zhao, week=1), Lesson(0, 0, 0, art, liu, week=2),  # 周一第1节
               Lesson(0, 1, 0, sci, zhao, week=1), Lesson(0, 2, 0, art, liu))
    cal = class_calendar(school, Timetable(lessons), 0, TERM_START, TERM_END, STAMP)
    events = list(cal.walk("VEVENT"))
    assert len({str(ev["UID"]) for ev in events}) == len(events) == 4
    starts = sorted((ev.decoded("dtstart").date(), str(ev["SUMMARY"])) for ev in events)
    # the Monday 单周 lesson first meets on the 14th: Monday the 7th is in a 双周
    assert starts == [(date(2026, 9, 1), "科学(单周)（赵敏）"), (date(2026, 9, 2), "美术（刘洋）"),
                      (date(2026, 9, 7), "美术(双周)（刘洋）"), (date(2026, 9, 14), "科学(单周)（赵敏）")]
    for ev in events:
        rule = ev.decoded("rrule")
        dates = [d.date() for d in rrulestr(ev["RRULE"].to_ical().decode(),
                                           dtstart=ev.decoded("dtstart"))]
        parity = {term_week(TERM_START, d) % 2 for d in dates}
        summary = str(ev["SUMMARY"])
        if "单周" in summary or "双周" in summary:
            assert rule["INTERVAL"] in (2, [2]) and parity == ({1} if "单周" in summary else {0})
            assert dates[-1] > TERM_END - timedelta(days=14)
        else:
            assert "INTERVAL" not in rule and parity == {0, 1}


# --- a school calendar: holidays excluded, make-up days included -------------------------

def _occurrences(ev) -> list[date]:
    """The dates an event happens on: its RRULE less its EXDATEs, or its one date."""
    from dateutil.rrule import rruleset

    start = ev.decoded("dtstart")
    if "RRULE" not in ev:
        return [start.date()]
    dates = rruleset()
    dates.rrule(rrulestr(ev["RRULE"].to_ical().decode(), dtstart=start))
    exdates = ev.get("EXDATE", [])
    for prop in exdates if isinstance(exdates, list) else [exdates]:
        for d in prop.dts:
            dates.exdate(d.dt)
    return [d.date() for d in dates]


def _national_day_term():
    from jianfu.models.calendar import Holiday, MakeUpDay, SchoolCalendar

    # Mon 28 Sept – Fri 16 Oct 2026; 国庆 1–7 Oct off; Sat 10 Oct teaches Friday's lessons
    return SchoolCalendar(date(2026, 9, 28), date(2026, 10, 16),
                          (Holiday(date(2026, 10, 1), date(2026, 10, 7), "国庆节"),),
                          (MakeUpDay(date(2026, 10, 10), 4, "国庆调休"),))


def test_calendar_skips_holidays_and_teaches_the_make_up_day(tmp_path, school, timetable):
    files = write_calendars(tmp_path, school, timetable, _national_day_term(), stamp=STAMP)
    _, events = _events(next(p for p in files if p.name == "教师-王芳.ics"))
    lessons = [ev for ev in events if "放假" not in str(ev["SUMMARY"])]
    got = sorted((d, ev.decoded("dtstart").time()) for ev in lessons for d in _occurrences(ev))
    teaching = {0: [date(2026, 9, 28), date(2026, 10, 12)],
                1: [date(2026, 9, 29), date(2026, 10, 13)],
                2: [date(2026, 9, 30), date(2026, 10, 14)],
                3: [date(2026, 10, 8), date(2026, 10, 15)],
                4: [date(2026, 10, 9), date(2026, 10, 10), date(2026, 10, 16)]}
    wang = school.teacher_index["王芳"]
    expected = sorted((d, time(lesson_times(school, x)[0] // 60, lesson_times(school, x)[0] % 60))
                      for x in timetable.lessons if x.teacher == wang for d in teaching[x.day])
    assert got == expected
    # Friday's last-period lesson on Saturday the 10th: one event of its own
    saturday = [ev for ev in lessons if ev.decoded("dtstart").date() == date(2026, 10, 10)]
    assert len(saturday) == 1 and "RRULE" not in saturday[0]
    assert "调休上课" in str(saturday[0]["DESCRIPTION"]) and "周六上周五的课" in \
        str(saturday[0]["DESCRIPTION"])
    # Monday's lessons skip the 5th: EXDATE 2026-10-05 at the lesson's time
    monday = next(ev for ev in lessons if ev.decoded("dtstart").date() == date(2026, 9, 28))
    assert [d.dt for d in monday["EXDATE"].dts] == [
        datetime.combine(date(2026, 10, 5), monday.decoded("dtstart").time(), SHANGHAI)]
    off = [ev for ev in events if "放假" in str(ev["SUMMARY"])]
    assert [(str(ev["SUMMARY"]), ev.decoded("dtstart"), ev.decoded("dtend")) for ev in off] == [
        ("放假：国庆节", date(2026, 10, 1), date(2026, 10, 8))]


def test_every_other_week_lessons_follow_the_term_weeks_on_a_make_up_day(school):
    from jianfu.instances.calendar_ics import class_calendar
    from jianfu.models.timetable import Lesson, Timetable

    sci, art = school.subject_index["科学"], school.subject_index["美术"]
    zhao, liu = school.teacher_index["赵敏"], school.teacher_index["刘洋"]
    # 周五第1节: 科学 单周, 美术 双周. Week 1 = 28 Sept – 4 Oct (Friday 2 Oct off),
    # week 2 = 5–11 Oct (双周, Saturday 10 Oct teaches Friday), week 3 = 12–18 Oct (单周)
    lessons = (Lesson(0, 4, 0, sci, zhao, week=1), Lesson(0, 4, 0, art, liu, week=2))
    cal = class_calendar(school, Timetable(lessons), 0, _national_day_term(), stamp=STAMP)
    got = sorted((d, str(ev["SUMMARY"])) for ev in cal.walk("VEVENT")
                 if "放假" not in str(ev["SUMMARY"]) for d in _occurrences(ev))
    assert got == [(date(2026, 10, 9), "美术(双周)（刘洋）"), (date(2026, 10, 10), "美术(双周)（刘洋）"),
                   (date(2026, 10, 16), "科学(单周)（赵敏）")]


def test_make_up_event_uids_are_distinct_and_stable(tmp_path, school, timetable):
    term = _national_day_term()
    one = write_calendars(tmp_path / "a", school, timetable, term, stamp=STAMP)
    two = write_calendars(tmp_path / "b", school, timetable, term, stamp=STAMP)
    uids = [str(ev["UID"]) for p in one for ev in _events(p)[1]]
    assert uids == [str(ev["UID"]) for p in two for ev in _events(p)[1]]
    assert len(set(uids)) == len(uids)


def test_the_default_term_leaves_out_the_built_in_holidays(tmp_path, school, timetable):
    from jianfu.models.calendar import default_term

    files = write_calendars(tmp_path, school, timetable, default_term(date(2026, 12, 2)),
                            stamp=STAMP)
    _, events = _events(next(p for p in files if p.name == "班级-三(1)班.ics"))
    off = [(str(ev["SUMMARY"]), ev.decoded("dtstart"), ev.decoded("dtend")) for ev in events
           if "放假" in str(ev["SUMMARY"])]
    assert off == [("放假：中秋节", date(2026, 9, 25), date(2026, 9, 26)),
                   ("放假：国庆节", date(2026, 10, 1), date(2026, 10, 8)),
                   ("放假：元旦", date(2027, 1, 1), date(2027, 1, 2))]
    taught = {d for ev in events if "放假" not in str(ev["SUMMARY"]) for d in _occurrences(ev)}
    assert {date(2026, 9, 25), date(2026, 10, 1), date(2026, 10, 2), date(2026, 10, 5),
            date(2026, 10, 7), date(2027, 1, 1)}.isdisjoint(taught)
    assert {date(2026, 9, 24), date(2026, 10, 8), date(2027, 1, 22)} <= taught
