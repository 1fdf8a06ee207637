"""Timetable JSON: round trip with metadata, name validation with file, path and value."""

from __future__ import annotations

import copy
import dataclasses
import json
from typing import Any

import pytest

from jianfu.instances.generator import generate_school
from jianfu.instances.timetable_io import (
    read_timetable,
    read_timetable_meta,
    timetable_from_dict,
    timetable_to_dict,
    write_timetable,
)
from jianfu.models.errors import InputError
from jianfu.models.school import School
from jianfu.models.timetable import Lesson, Session, Timetable


@pytest.fixture(scope="module")
def school() -> School:
    return generate_school("junior", 1, 5)


def _timetable(school: School) -> Timetable:
    """A few lessons naming every kind of entity, venues included, plus sessions."""
    lessons = []
    for n, q in enumerate(school.requirements[:12]):
        kind = school.venue_kind(q)
        venue = school.venues_of_kind(kind)[0] if kind else None
        lessons.append(Lesson(q.cls, n % len(school.days), n // len(school.days), q.subject,
                              q.teacher, venue))
    ground = school.venues_of_kind("ground")[0]
    sessions = (Session(0, 1, ground), Session(1, 3, None))
    return Timetable(tuple(lessons), sessions)


def test_round_trip_with_meta(school, tmp_path):
    tt = _timetable(school)
    meta = {"status": "OPTIMAL", "objective": 37, "bound": 35.5, "note": "第一版"}
    path = tmp_path / "out" / "tt.json"
    write_timetable(tt, school, path, meta=meta)
    assert read_timetable(path, school) == tt
    assert read_timetable_meta(path) == meta
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["school"] == school.name
    assert data["meta"] == meta
    first = data["lessons"][0]
    assert set(first) == {"class", "day", "period", "subject", "teacher", "venue"}
    assert first["period"] == tt.lessons[0].period + 1          # 1-based in the file
    assert data["sessions"][0]["venue"] == school.venues[school.venues_of_kind("ground")[0]].name
    assert "\\u" not in path.read_text(encoding="utf-8")         # Chinese kept readable


def test_dict_round_trip_without_meta(school):
    tt = _timetable(school)
    data = timetable_to_dict(tt, school)
    assert "meta" not in data
    assert timetable_from_dict(json.loads(json.dumps(data)), school, "tt.json") == tt
    assert read_empty(school).lessons == ()


def read_empty(school: School) -> Timetable:
    return timetable_from_dict({"school": school.name, "lessons": []}, school, "tt.json")


def test_no_rule_checking(school):
    # Two lessons of one class in the same slot is the checker's business, not the reader's.
    q = school.requirements[0]
    data = {"school": school.name, "lessons": [
        {"class": school.classes[q.cls].name, "day": school.days[0], "period": 1,
         "subject": school.subjects[q.subject].name, "teacher": school.teachers[q.teacher].name},
        {"class": school.classes[q.cls].name, "day": school.days[0], "period": 1,
         "subject": school.subjects[q.subject].name, "teacher": school.teachers[q.teacher].name,
         "venue": None}]}
    assert len(timetable_from_dict(data, school, "tt.json").lessons) == 2


CASES = [
    ("unknown class", ["lessons", 3, "class"], "十年级1班", "lessons[3].class"),
    ("unknown day", ["lessons", 0, "day"], "周日", "lessons[0].day"),
    ("unknown subject", ["lessons", 2, "subject"], "编程", "lessons[2].subject"),
    ("unknown teacher", ["lessons", 11, "teacher"], "王五", "lessons[11].teacher"),
    ("unknown venue", ["lessons", 1, "venue"], "游泳馆", "lessons[1].venue"),
    ("period zero", ["lessons", 4, "period"], 0, "lessons[4].period"),
    ("period text", ["lessons", 4, "period"], "1", "lessons[4].period"),
    ("period fraction", ["lessons", 4, "period"], 1.5, "lessons[4].period"),
    ("period bool", ["lessons", 4, "period"], True, "lessons[4].period"),
    ("week unknown", ["lessons", 3, "week"], "三", "lessons[3].week"),
    ("week number", ["lessons", 3, "week"], 3, "lessons[3].week"),
    ("week bool", ["lessons", 3, "week"], True, "lessons[3].week"),
    ("session class", ["sessions", 1, "class"], "九年级9班", "sessions[1].class"),
    ("session venue", ["sessions", 0, "venue"], "天台", "sessions[0].venue"),
    ("unknown field", ["lessons", 5, "room"], "101", "lessons[5].room"),
    ("other school", ["school"], "别的学校", "tt.json: school"),
    ("meta not an object", ["meta"], [1, 2], "tt.json: meta"),
]


@pytest.mark.parametrize("path,value,where", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_names_are_reported_with_path_and_value(school, path, value, where):
    shown = repr(path[-1]) if path[-1] == "room" else repr(value)   # unknown field: the key
    data: Any = copy.deepcopy(timetable_to_dict(_timetable(school), school))
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    with pytest.raises(InputError) as info:
        timetable_from_dict(data, school, "tt.json")
    text = str(info.value)
    assert text.startswith("tt.json: ") and where in text and shown in text, text


@pytest.mark.parametrize("field", ["class", "day", "period", "subject", "teacher"])
def test_missing_lesson_field(school, field):
    data = copy.deepcopy(timetable_to_dict(_timetable(school), school))
    del data["lessons"][7][field]
    with pytest.raises(InputError, match=rf"tt.json: lessons\[7\]\.{field}: .*missing"):
        timetable_from_dict(data, school, "tt.json")


def test_bad_files(school, tmp_path):
    with pytest.raises(InputError, match="none.json"):
        read_timetable(tmp_path / "none.json", school)
    bad = tmp_path / "bad.json"
    bad.write_text('{"school": "x", "lessons": [', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.json: line 1"):
        read_timetable(bad, school)
    top = tmp_path / "top.json"
    top.write_text("[]", encoding="utf-8")
    with pytest.raises(InputError, match="top.json"):
        read_timetable(top, school)
    assert read_timetable_meta(top) == {}


def test_meta_without_a_number_is_written_as_null(school, tmp_path):
    path = tmp_path / "tt.json"
    write_timetable(_timetable(school), school, path,
                    meta={"status": "FEASIBLE", "objective": 12.0, "bound": float("nan"),
                          "gap": float("inf"), "terms": {"spread": 3}})
    text = path.read_text(encoding="utf-8")
    assert "NaN" not in text and "Infinity" not in text
    assert read_timetable_meta(path) == {"status": "FEASIBLE", "objective": 12.0, "bound": None,
                                         "gap": None, "terms": {"spread": 3}}


def test_a_lesson_of_one_week_round_trips_and_old_files_read_as_before(school, tmp_path):
    tt = _timetable(school)
    first = tt.lessons[0]
    odd = dataclasses.replace(first, week=1)
    even = dataclasses.replace(first, subject=tt.lessons[1].subject, venue=None, week=2)
    cycle = Timetable(tt.lessons[1:] + (odd, even), tt.sessions)
    path = tmp_path / "tt.json"
    write_timetable(cycle, school, path)
    assert read_timetable(path, school) == cycle
    data = json.loads(path.read_text(encoding="utf-8"))
    assert sorted(x.get("week", "") for x in data["lessons"]) == [""] * 11 + ["单", "双"]
    row = next(i for i, x in enumerate(data["lessons"]) if x.get("week") == "单")
    for name, week in (("单周", 1), ("odd", 1), (2, 2), ("双", 2), ("even", 2)):
        data["lessons"][row]["week"] = name
        got = timetable_from_dict(data, school, "tt.json")
        assert sorted(x.week or 0 for x in got.lessons)[-2:] == sorted((week, 2))
