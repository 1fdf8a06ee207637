"""School-wide events (集体活动): a bell-schedule segment kind that is never a lesson.

How an event counts in each daily timing rule is in docs/rules.md (*Precise readings*):
never a break, study time only with ``counts_as: study``, physical activity only with
``counts_as: activity``.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from jianfu.instances.html_site import page_name, write_site
from jianfu.instances.schoolfile import (
    load_yaml,
    read_school,
    school_from_dict,
    school_to_dict,
    write_school,
)
from jianfu.instances.views import class_grid
from jianfu.models.checker import check
from jianfu.models.core import compile_school
from jianfu.models.errors import InputError
from jianfu.models.policy import parse_clock
from jianfu.models.school import BellSchedule, CountsAs, DaySchedule, Segment, SegmentKind
from jianfu.solver import Status, solve

from builders import cli_refuses, fit_policy, make_day, mini_school, rules_of, timetable, units, verified

DOC = Path(__file__).resolve().parents[2] / "docs" / "format.md"
K = SegmentKind


def _with(day: DaySchedule, *events: Segment) -> DaySchedule:
    return DaySchedule(tuple(sorted(day.segments + events, key=lambda s: s.start)))


def _event(start: str, end: str, label: str, counts_as: CountsAs = CountsAs.NONE) -> Segment:
    return Segment(K.EVENT, parse_clock(start), parse_clock(end), label, counts_as)


def _lunch_read(day: DaySchedule, counts_as: CountsAs = CountsAs.STUDY) -> DaySchedule:
    """``day`` with its lunch shortened by 20 minutes for a 午读 event before the afternoon."""
    out: list[Segment] = []
    for s in day.segments:
        if s.kind is K.LUNCH:
            out += [Segment(K.LUNCH, s.start, s.end - 20), _event("13:40", "14:00", "午读", counts_as)]
        else:
            out.append(s)
    return DaySchedule(tuple(out))


def _school(monday: DaySchedule, tuesday: DaySchedule, reqs=None):
    reqs = reqs or [("一班", "语文", "王芳", 6), ("一班", "数学", "李明", 4),
                    ("一班", "体育", "张伟", 2)]
    return mini_school([("一班", 1)], reqs, schedules=(BellSchedule("作息", (monday, tuesday)),))


# --- the model ------------------------------------------------------------------------------

def test_event_is_not_a_period_and_breaks_a_double():
    day = _with(make_day(), _event("07:50", "08:10", "升旗仪式"))
    assert len(day.periods) == 6 and day.segments[0].name == "升旗仪式"
    assert str(day.segments[0]) == "升旗仪式 07:50–08:10"
    # an event between periods 1 and 2 (in place of the break): no 连堂 across it
    segs = tuple(_event("09:10", "09:20", "晨会") if s.kind is K.BREAK and s.start == 550 else s
                 for s in make_day().segments)
    assert DaySchedule(segs).joined[0] is False and make_day().joined[0] is True


def test_counts_as_only_on_events():
    with pytest.raises(InputError, match="counts_as"):
        Segment(K.BREAK, 600, 610, "", CountsAs.STUDY)
    day = _with(_lunch_read(make_day()), _event("07:30", "07:50", "跑操", CountsAs.ACTIVITY),
                _event("07:50", "08:10", "升旗"))
    assert day.fixed_activity_minutes == 30 + 20 and day.study_minutes == 20


def test_compile_school_carries_event_minutes():
    monday = _with(_lunch_read(make_day()), _event("07:30", "07:50", "跑操", CountsAs.ACTIVITY))
    s = _school(monday, make_day())
    group = compile_school(s, fit_policy(s)).groups[0]
    assert group.fixed_activity_minutes == (50, 30)
    assert group.fixed_study_minutes == (20, 0)


# --- the checker and the engine ---------------------------------------------------------------

def test_monday_flag_raising_solves_and_checks():
    s = _school(_with(make_day(), _event("08:00", "08:20", "升旗仪式")), make_day())
    p = fit_policy(s, zero=True)   # primary earliest start 08:20: the event may be earlier
    r = solve(s, p, time_limit=20, workers=1)
    assert r.status is Status.OPTIMAL
    verified(s, p, r)
    assert len(r.timetable.lessons) == 12


def _run_all_day(s) -> Any:
    rows = [("一班", d, p, subject) for d, subjects in
            ((0, ["语文"] * 3 + ["数学"] * 3), (1, ["语文"] * 3 + ["数学"] * 3))
            for p, subject in enumerate(subjects, start=1)]
    return timetable(s, rows)


def test_activity_event_counts_towards_daily_activity_and_binds():
    reqs = [("一班", "语文", "王芳", 6), ("一班", "数学", "李明", 6)]
    day = make_day(activity_minutes=None)   # no after-class slot: only the long break (30)

    def school(counts_as: CountsAs):
        run = _with(day, _event("07:50", "08:10", "跑操", counts_as))
        return _school(run, run, reqs)

    counted, plain = school(CountsAs.ACTIVITY), school(CountsAs.NONE)
    p = fit_policy(counted, zero=True, daily_activity_minutes=50)
    assert units(check(counted, p, _run_all_day(counted)), "daily_activity") == 0
    assert units(check(plain, p, _run_all_day(plain)), "daily_activity") == 2 * 20
    short = rules_of(check(counted, dataclasses.replace(p, daily_activity_minutes=60),
                           _run_all_day(counted)), "daily_activity")
    assert [v.amount for v in short] == [10, 10] and "大课间与集体活动 50" in short[0].message
    r = solve(counted, p, time_limit=20, workers=1)
    verified(counted, p, r)
    assert solve(plain, p, time_limit=20, workers=1).status is Status.INFEASIBLE


def test_study_event_counts_towards_study_cap_and_binds():
    reqs = [("一班", "语文", "王芳", 6), ("一班", "数学", "李明", 6)]

    def school(counts_as: CountsAs):
        return _school(_lunch_read(make_day(), counts_as), make_day(), reqs)

    study, plain = school(CountsAs.STUDY), school(CountsAs.NONE)
    p = fit_policy(study, zero=True, study_cap_hours=(4, 4))   # 6 × 40 min: exactly full
    over = rules_of(check(study, p, _run_all_day(study)), "study_cap")
    assert [(v.amount, v.day) for v in over] == [(20, "周一")]
    assert not rules_of(check(plain, p, _run_all_day(plain)), "study_cap")
    verified(plain, p, solve(plain, p, time_limit=20, workers=1))
    assert solve(study, p, time_limit=20, workers=1).status is Status.INFEASIBLE


def test_morning_start_ignores_events_unless_they_count_as_study():
    early = _school(_with(make_day(), _event("07:50", "08:10", "升旗仪式")), make_day())
    reading = _school(_with(make_day(), _event("07:50", "08:10", "早读", CountsAs.STUDY)),
                      make_day())
    p = fit_policy(early)   # primary: not before 08:20
    assert not rules_of(check(early, p, _run_all_day(early)), "morning_start")
    found = rules_of(check(reading, p, _run_all_day(reading)), "morning_start")
    assert [(v.amount, v.day) for v in found] == [(30, "周一")]
    r = solve(reading, fit_policy(reading, zero=True), time_limit=20, workers=1)
    assert r.status is Status.INFEASIBLE
    assert any("早读 07:50–08:10" in x and "an event counted as study" in x for x in r.explanation)
    verified(early, p, solve(early, p, time_limit=20, workers=1))


def test_events_are_no_break_time():
    # an event filling the gap between periods 1 and 2 keeps the gap (short_break) but adds
    # nothing to the daily break total (daily_breaks)
    segs = tuple(_event("09:10", "09:20", "晨会") if s.kind is K.BREAK and s.start == 550 else s
                 for s in make_day().segments)
    with_event = _school(DaySchedule(segs), make_day())
    plain = _school(make_day(), make_day())
    p = fit_policy(plain, min_short_break_minutes=10, min_daily_break_minutes=(90, 90))
    a = check(with_event, p, _run_all_day(with_event))
    b = check(plain, p, _run_all_day(plain))
    assert not rules_of(a, "short_break")
    assert units(a, "daily_breaks") == units(b, "daily_breaks") + 10


# --- the school file ----------------------------------------------------------------------------

def _example() -> dict[str, Any]:
    match = re.search(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert match
    return load_yaml(match.group(1))


def _doc_events() -> list[dict[str, Any]]:
    match = re.search(r"### School-wide events.*?```yaml\n(.*?)```",
                      DOC.read_text(encoding="utf-8"), re.S)
    assert match, "docs/format.md has no events example"
    return [s for s in load_yaml(match.group(1))["schedules"]["小学部"]["default"]
            if s["kind"] == "event"]


def _with_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    data = copy.deepcopy(_example())
    keep = []
    for s in data["schedules"]["小学部"]["default"]:
        hit = [e for e in events if parse_clock(s["start"]) < parse_clock(e["end"])
               and parse_clock(e["start"]) < parse_clock(s["end"])]
        if not hit:
            keep.append(s)
        elif s["kind"] == "lunch":   # a 午读 at the end of lunch shortens it
            keep.append({**s, "end": min(e["start"] for e in hit)})
    data["schedules"]["小学部"]["default"] = sorted(keep + events,
                                                 key=lambda s: parse_clock(s["start"]))
    return data


def test_doc_events_read_and_round_trip_yaml_and_json(tmp_path):
    events = _doc_events()
    assert [e["label"] for e in events] == ["跑操", "升旗仪式", "午读"]
    data = _with_events(events)
    school = school_from_dict(data, "school.yaml")
    days = school.schedules[0].days
    monday = [s.name for s in days[0].segments if s.kind is K.EVENT]
    tuesday = [s.name for s in days[1].segments if s.kind is K.EVENT]
    assert monday == ["跑操", "升旗仪式", "午读"] and tuesday == ["跑操", "午读"]
    run = next(s for s in days[1].segments if s.kind is K.EVENT)
    assert run.counts_as is CountsAs.ACTIVITY and days[1].study_minutes == 20
    written = school_to_dict(school)["schedules"]["小学部"]
    assert set(written) == {"default", "周一"}
    assert {"kind": "event", "start": "07:30", "end": "07:50", "label": "跑操",
            "counts_as": "activity"} in written["default"]
    for name in ("school.yaml", "school.json"):
        write_school(school, tmp_path / name)
        assert read_school(tmp_path / name) == school
    json.loads((tmp_path / "school.json").read_text(encoding="utf-8"))


def test_chinese_names_for_kind_and_counts_as():
    data = _with_events([{"kind": "集体活动", "start": "07:50", "end": "08:10", "label": "早读",
                          "counts_as": "学习", "days": "周三"}])
    days = school_from_dict(data, "school.yaml").schedules[0].days
    assert [s.counts_as for s in days[2].segments if s.kind is K.EVENT] == [CountsAs.STUDY]
    assert not days[0].of_kind(K.EVENT)


_BAD = [
    # an event overlapping a period (period 1 is 08:20–09:00)
    ({"kind": "event", "start": "08:10", "end": "08:30", "label": "升旗仪式"},
     "schedules.小学部.default[0]", "08:10-08:30"),
    ({"kind": "event", "start": "08:10", "end": "08:30", "days": ["周一"]},
     "schedules.小学部.default[0]", "08:10-08:30"),
    ({"kind": "event", "start": "07:50", "end": "08:10", "counts_as": "rest"},
     "schedules.小学部.default[0].counts_as", "rest"),
    ({"kind": "break", "start": "07:50", "end": "08:10", "counts_as": "study"},
     "schedules.小学部.default[0].counts_as", "study"),
    ({"kind": "event", "start": "07:50", "end": "08:10", "days": ["周八"]},
     "schedules.小学部.default[0].days", "周八"),
]


def _insert(event: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(_example())
    data["schedules"]["小学部"]["default"].insert(0, event)
    return data


@pytest.mark.parametrize("event, where, value", _BAD)
def test_bad_events_name_file_field_and_value(event, where, value):
    with pytest.raises(InputError) as info:
        school_from_dict(_insert(event), "school.yaml")
    text = str(info.value)
    assert text.startswith(f"school.yaml: {where}:"), text
    assert value in text, text


def test_days_only_in_default():
    data = copy.deepcopy(_example())
    data["schedules"]["初中部"]["周五"].insert(
        0, {"kind": "event", "start": "07:00", "end": "07:20", "days": ["周五"]})
    with pytest.raises(InputError, match=r"schedules\.初中部\.周五\[0\]\.days"):
        school_from_dict(data, "school.yaml")


@pytest.mark.parametrize("command", ["check", "solve"])
@pytest.mark.parametrize("event, where, value", _BAD[:2])
def test_cli_exits_2_on_a_bad_event(tmp_path, capsys, command, event, where, value):

    data = _insert(event)
    text = cli_refuses(tmp_path, capsys, data, command)
    assert f"school.yaml: {where}" in text and value in text, text


# --- views: grid rows and the HTML class page -------------------------------------------------

class _Rows(HTMLParser):
    """Per ``tr.event`` row: the text of each day cell (None for a closed cell)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str | None]] = []
        self._in_event = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tr":
            self._in_event = a.get("data-kind") == "event"
            if self._in_event:
                self.rows.append([])
        elif tag == "td" and self._in_event:
            closed = "closed" in (a.get("class") or "")
            self.rows[-1].append(None if closed else "")
            self._cell = [] if not closed else None

    def handle_endtag(self, tag):
        if tag == "td" and self._in_event and self._cell is not None:
            self.rows[-1][-1] = "".join(self._cell).strip()
            self._cell = None
        elif tag == "tr":
            self._in_event = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def test_class_grid_and_html_show_the_event_on_monday_only(tmp_path):
    # Tuesday is the longer day (the grid's reference day): Monday's event still gets a row
    s = _school(_with(make_day(5), _event("07:55", "08:15", "升旗仪式")), make_day(6),
                [("一班", "语文", "王芳", 6), ("一班", "数学", "李明", 5)])
    tt = timetable(s, [("一班", 0, p, "语文") for p in range(1, 4)]
                   + [("一班", 0, p, "数学") for p in (4, 5)]
                   + [("一班", 1, p, "语文") for p in range(1, 4)]
                   + [("一班", 1, p, "数学") for p in range(4, 7)])
    grid = class_grid(s, tt, 0)
    events = [r for r in grid.rows if r.kind == "event"]
    assert len(events) == 1 and events[0].label == "升旗仪式"
    assert events[0].time == "07:55–08:15" and events[0].closed == (False, True)
    assert grid.rows[0] is events[0]   # in time order: before period 1
    assert events[0].cell_text(0) == "升旗仪式" and events[0].cell_text(1) == ""
    p = fit_policy(s)
    write_site(tmp_path, s, p, tt)
    html = (tmp_path / page_name("class", 0)).read_text(encoding="utf-8")
    parser = _Rows()
    parser.feed(html)
    assert parser.rows == [["升旗仪式", None]]


def test_excel_round_trip_keeps_events(tmp_path):
    from jianfu.instances.excel import read_school_xlsx, write_filled

    events = [{"kind": "event", "start": "07:55", "end": "08:15", "label": "升旗仪式",
               "days": ["周一"]},
              {"kind": "event", "start": "12:30", "end": "12:50", "label": "午读",
               "counts_as": "study"}]
    events[1].update(start="13:40", end="14:00")
    school = school_from_dict(_with_events(events), "school.yaml")
    path = tmp_path / "school.xlsx"
    write_filled(path, school)
    assert read_school_xlsx(path) == school


def test_timetable_workbook_shows_the_event_and_reads_back(tmp_path):
    from openpyxl import load_workbook

    from jianfu.instances.excel import write_workbook
    from jianfu.instances.timetable_io import read_timetable as read_timetable_xlsx

    s = _school(_with(make_day(), _event("07:55", "08:15", "升旗仪式")), make_day(),
                [("一班", "语文", "王芳", 6), ("一班", "数学", "李明", 6)])
    tt = _run_all_day(s)
    path = write_workbook(tmp_path / "tt.xlsx", s, fit_policy(s), tt)
    ws = load_workbook(path)["班级-一班"]
    rows = [[str(c.value or "") for c in row] for row in ws.iter_rows()]
    event = next(r for r in rows if r[0] == "升旗仪式")
    assert "升旗仪式" in event[1:] and "07:55–08:15" in " ".join(event)
    assert read_timetable_xlsx(path, s) == tt
