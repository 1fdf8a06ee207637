"""School file: the documented example, round trips, and every kind of bad input."""

from __future__ import annotations

import copy
import json
import os
import re
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from jianfu.instances import files
from jianfu.instances.files import write_atomic
from jianfu.instances.generator import generate_school
from jianfu.instances.schoolfile import (
    dump_school,
    format_unavailable,
    load_yaml,
    parse_unavailable,
    read_school,
    school_from_dict,
    school_to_dict,
    write_school,
)
from jianfu.models.errors import InputError
from jianfu.models.policy import PROFILES
from jianfu.models.school import SegmentKind, Unavailable

DOC = Path(__file__).resolve().parents[2] / "docs" / "format.md"


def doc_example_text() -> str:
    match = re.search(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert match, "docs/format.md has no ```yaml example"
    return match.group(1)


@pytest.fixture(scope="module")
def example() -> dict[str, Any]:
    return load_yaml(doc_example_text())


def build(data: dict[str, Any], source: str = "school.yaml"):
    return school_from_dict(data, source)


# --- the documented example ------------------------------------------------------------------

def test_doc_example_parses_with_defaults_filled_in(example):
    school = build(example, "format.md")
    assert school.name == "示范九年一贯制学校"
    assert [s.name for s in school.schedules] == ["小学部", "初中部"]
    junior = school.schedules[1]
    assert [len(d.periods) for d in junior.days] == [7, 7, 7, 7, 6]
    c3 = school.class_index["三年级1班"]
    periods = {school.subjects[school.requirements[q].subject].name: school.requirements[q].periods
               for q in school.requirements_of_class[c3]}
    assert periods["语文"] == 7            # grade-3 curriculum default
    assert periods["地方与校本课程"] == 1   # explicit override of the default 2
    assert sum(periods.values()) == 30
    c7 = school.class_index["七年级1班"]
    assert sum(school.requirements[q].periods for q in school.requirements_of_class[c7]) == 34
    # built-in subjects first, the school's own appended; metadata overrides merged
    assert school.subjects[-1].name == "书法"
    art = school.subjects[school.subject_index["美术"]]
    assert art.venue_kind == "art" and art.part_of == "艺术"
    # Chinese segment kind names
    day = school.schedules[0].days[0]
    assert day.segments[5].kind is SegmentKind.EYE and day.segments[6].kind is SegmentKind.BREAK
    # unavailability: 周一上午 ends when 小学部 lunch starts (11:50); a time range
    sun = school.teachers[school.teacher_index["孙丽"]]
    assert sun.unavailable == (Unavailable(0, 0, 11 * 60 + 50), Unavailable(2, 14 * 60, 16 * 60))
    assert sun.schools == ("示范九年一贯制学校", "城东小学")
    bio = next(school.requirements[q] for q in school.requirements_of_class[c7]
               if school.subjects[school.requirements[q].subject].name == "生物学")
    assert bio.venue_kind == "lab"
    assert school.policy().study_cap_hours == (6.0, 7.0)


def test_doc_example_round_trips(example, tmp_path):
    school = build(example, "format.md")
    for name in ("a.yaml", "a.json"):
        write_school(school, tmp_path / name)
        assert read_school(tmp_path / name) == school


@pytest.mark.parametrize("preset,profile", [("primary", "national"), ("junior", "guangdong-2025"),
                                            ("nine-year", "beijing-2024")])
def test_generated_school_round_trips_yaml_and_json(preset, profile, tmp_path):
    school = generate_school(preset, 2, 7, PROFILES[profile])
    for name in ("s.yaml", "s.json"):
        write_school(school, tmp_path / name)
        again = read_school(tmp_path / name)
        assert again == school
        assert again.policy() == school.policy()


def test_written_yaml_is_readable_and_short(tmp_path):
    school = generate_school("primary", 1, 3)
    write_school(school, tmp_path / "s.yaml")
    text = (tmp_path / "s.yaml").read_text(encoding="utf-8")
    assert "一年级1班" in text and "\\u" not in text          # allow_unicode
    assert "periods:" not in text                              # curriculum defaults left out
    keys = [line.split(":")[0] for line in text.splitlines() if re.match(r"^[a-z_]+:", line)]
    assert keys == ["school", "profile", "days", "schedules", "venues", "classes", "teachers",
                    "requirements"]


def test_non_contiguous_requirements_and_custom_subject_list_round_trip():
    school = build(load_yaml(doc_example_text()))
    # requirements interleaved between classes: the writer falls back to the list form
    reqs = school.requirements
    mixed = tuple(sorted(reqs, key=lambda r: (r.subject, r.cls)))
    import dataclasses
    other = dataclasses.replace(school, requirements=mixed)
    data = school_to_dict(other)
    assert isinstance(data["requirements"], list)
    assert school_from_dict(load_yaml(dump_school(other)), "x.yaml") == other
    # a subject list that is not the built-in one is written in full
    subjects = tuple(reversed(school.subjects))
    n = len(subjects)

    def remap(i: int) -> int:
        return n - 1 - i

    custom = dataclasses.replace(
        school, subjects=subjects,
        teachers=tuple(dataclasses.replace(t, subjects=tuple(remap(s) for s in t.subjects))
                       for t in school.teachers),
        requirements=tuple(dataclasses.replace(r, subject=remap(r.subject)) for r in reqs))
    assert school_to_dict(custom)["builtin_subjects"] is False
    assert school_from_dict(load_yaml(dump_school(custom)), "x.yaml") == custom


def test_unquoted_clock_times_stay_times():
    data = load_yaml("a: 14:00\nb: 08:20\nc: 9:05\nd: 12\n")
    assert data == {"a": "14:00", "b": "08:20", "c": "9:05", "d": 12}


def test_json_school_file_is_chosen_by_suffix(example, tmp_path):
    path = tmp_path / "school.json"
    path.write_text(json.dumps(example, ensure_ascii=False), encoding="utf-8")
    assert read_school(path) == build(example)


def test_profile_file_relative_to_the_school_file(example, tmp_path):
    (tmp_path / "prof").mkdir()
    (tmp_path / "prof" / "mine.yaml").write_text("extends: beijing-2024\nlong_break_minutes: 25\n",
                                                 encoding="utf-8")
    data = copy.deepcopy(example)
    data["profile"] = "prof/mine.yaml"
    (tmp_path / "s.yaml").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    school = read_school(tmp_path / "s.yaml")
    assert school.policy().long_break_minutes == 25
    assert school.policy().long_breaks_per_day == 2
    write_school(school, tmp_path / "out" / "s.yaml")
    assert read_school(tmp_path / "out" / "s.yaml") == school


# --- unavailability syntax -------------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ("周二", Unavailable(1, 0, 24 * 60)),
    ("周二全天", Unavailable(1, 0, 24 * 60)),
    ("周二上午", Unavailable(1, 0, 11 * 60 + 50)),
    ("周二下午", Unavailable(1, 14 * 60, 24 * 60)),
    ("周二 08:00-10:00", Unavailable(1, 8 * 60, 10 * 60)),
    ("周二 8:00~9:30", Unavailable(1, 8 * 60, 9 * 60 + 30)),
    ("周五 15:00-24:00", Unavailable(4, 15 * 60, 24 * 60)),
])
def test_unavailability_syntax(example, text, expected):
    school = build(example)
    schedule = school.schedules[0]
    assert parse_unavailable(text, school.days, schedule) == expected
    assert parse_unavailable(format_unavailable(expected, school.days, schedule),
                             school.days, schedule) == expected


@pytest.mark.parametrize("text", ["周八", "周二晚上", "周二 10:00-09:00", "周二 25:00-26:00", "上午"])
def test_bad_unavailability_is_rejected(example, text):
    school = build(example)
    with pytest.raises(ValueError):
        parse_unavailable(text, school.days, school.schedules[0])


# --- errors name the file, the field path and the value ----------------------------------------

def _set(path: list[Any], value: Any) -> Callable[[dict[str, Any]], None]:
    def apply(data: dict[str, Any]) -> None:
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return apply


def _delete(path: list[Any]) -> Callable[[dict[str, Any]], None]:
    def apply(data: dict[str, Any]) -> None:
        node = data
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]
    return apply


ERRORS = [
    # (id, mutation, expected location, expected value text)
    ("unknown top field", _set(["teacher"], []), "school.yaml: teacher", "'teacher'"),
    ("unknown teacher field", _set(["teachers", 1, "max_per_day"], 4),
     "school.yaml: teachers[1].max_per_day", "'max_per_day'"),
    ("unknown segment field", _set(["schedules", "小学部", "default", 0, "room"], "x"),
     "schedules.小学部.default[0].room", "'room'"),
    ("unknown requirement field", _set(["requirements", "三年级1班", "数学", "hours"], 4),
     "requirements.三年级1班.数学.hours", "'hours'"),
    ("grade wrong type", _set(["classes", 0, "grade"], "三"), "classes[0].grade", "'三'"),
    ("grade out of range", _set(["classes", 1, "grade"], 10), "classes[1].grade", "10"),
    ("missing grade", _delete(["classes", 0, "grade"]), "classes[0].grade", "missing"),
    ("missing school name", _delete(["school"]), "school.yaml: school", "missing"),
    ("missing teacher reference", _set(["requirements", "七年级1班", "数学", "teacher"], "李刚"),
     "requirements.七年级1班.数学.teacher", "'李刚'"),
    ("unknown class in requirements", _set(["requirements", "八年级1班"], {"语文": "王芳"}),
     "requirements.八年级1班", "'八年级1班'"),
    ("unknown subject", _set(["requirements", "三年级1班", "编程"], "赵磊"),
     "requirements.三年级1班.编程", "'编程'"),
    ("teacher for a subject they do not teach", _set(["requirements", "三年级1班", "语文"], "刘洋"),
     "requirements.三年级1班.语文.teacher", "'刘洋'"),
    ("unknown teacher subject", _set(["teachers", 0, "subjects", 1], "思政"),
     "teachers[0].subjects[1]", "'思政'"),
    ("unknown schedule", _set(["classes", 0, "schedule"], "高中部"), "classes[0].schedule", "'高中部'"),
    ("unknown venue", _set(["requirements", "七年级1班", "生物学", "venue"], "实验室9"),
     "requirements.七年级1班.生物学.venue", "'实验室9'"),
    ("bad time 25:00", _set(["schedules", "小学部", "default", 2, "start"], "25:00"),
     "schedules.小学部.default[2].start", "'25:00'"),
    ("time wrong type", _set(["schedules", "初中部", "周五", 0, "end"], 845),
     "schedules.初中部.周五[0].end", "845"),
    ("end before start", _set(["schedules", "小学部", "default", 0, "end"], "08:10"),
     "schedules.小学部.default[0].end", "'08:10'"),
    ("overlapping segments", _set(["schedules", "小学部", "default", 1, "start"], "08:50"),
     "schedules.小学部.default[1]", "08:50"),
    ("unknown segment kind", _set(["schedules", "小学部", "default", 1, "kind"], "recess"),
     "schedules.小学部.default[1].kind", "'recess'"),
    ("unknown day in schedule", _set(["schedules", "初中部", "周六"], []),
     "schedules.初中部.周六", "'周六'"),
    ("bad unavailability", _set(["teachers", 5, "unavailable", 1], "周八上午"),
     "school.yaml: teachers[5].unavailable[1]", "'周八上午'"),
    ("periods_per_day too long", _set(["classes", 1, "periods_per_day"], [7, 7, 7, 7, 7]),
     "classes[1].periods_per_day[4]", "7"),
    ("periods_per_day wrong length", _set(["classes", 1, "periods_per_day"], [7, 7]),
     "classes[1].periods_per_day", "[7, 7]"),
    ("too many doubles", _set(["requirements", "三年级1班", "美术", "doubles"], 2),
     "requirements.三年级1班.美术.doubles", "2"),
    ("periods zero", _set(["requirements", "三年级1班", "数学", "periods"], 0),
     "requirements.三年级1班.数学.periods", "0"),
    ("periods missing for a non-curriculum subject", _set(["requirements", "三年级1班", "书法"], "孙丽"),
     "requirements.三年级1班.书法.periods", "missing"),
    ("duplicate teacher", _set(["teachers", 1, "name"], "王芳"), "teachers[1].name", "'王芳'"),
    ("duplicate class", _set(["classes", 1, "name"], "三年级1班"), "classes[1].name", "'三年级1班'"),
    ("capacity zero", _set(["venues", 0, "capacity"], 0), "venues[0].capacity", "0"),
    ("max periods wrong type", _set(["teachers", 0, "max_periods_per_day"], "4"),
     "teachers[0].max_periods_per_day", "'4'"),
    ("bad category", _set(["subjects", 1, "category"], "fun"), "subjects[1].category", "'fun'"),
    ("unknown policy field", _set(["policy", "homework_minutes"], 30),
     "school.yaml: policy.homework_minutes", "30"),
    ("bad policy value", _set(["policy", "study_cap_hours"], "six"),
     "school.yaml: policy.study_cap_hours", "'six'"),
    ("unknown profile", _set(["profile"], "shanghai"), "school.yaml: profile", "'shanghai'"),
    ("days not a list", _set(["days"], "周一"), "school.yaml: days", "'周一'"),
    ("teachers not a list", _set(["teachers"], {"王芳": {}}), "school.yaml: teachers", "王芳"),
]


@pytest.mark.parametrize("mutate,where,value", [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS])
def test_errors_name_file_path_and_value(example, mutate, where, value):
    data = copy.deepcopy(example)
    mutate(data)
    with pytest.raises(InputError) as info:
        build(data, "school.yaml")
    text = str(info.value)
    assert text.startswith("school.yaml: "), text
    assert where in text, text
    assert value in text, text


def test_read_errors_name_the_file(tmp_path):
    missing = tmp_path / "nope.yaml"
    with pytest.raises(InputError, match="nope.yaml"):
        read_school(missing)
    bad = tmp_path / "bad.yaml"
    bad.write_text("school: x\ndays: [周一\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.yaml: line \d+"):
        read_school(bad)
    bad_json = tmp_path / "bad.json"
    bad_json.write_text('{"school": ', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad.json: line 1"):
        read_school(bad_json)
    listing = tmp_path / "list.yaml"
    listing.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(InputError, match="list.yaml"):
        read_school(listing)


def test_one_schedule_needs_no_schedule_field(example):
    data = copy.deepcopy(example)
    del data["schedules"]["初中部"]
    data["classes"] = [{"name": "三年级1班", "grade": 3}]
    data["requirements"] = {"三年级1班": data["requirements"]["三年级1班"]}
    school = build(data)
    assert school.classes[0].schedule == 0
    del data["schedules"]["小学部"]["default"]
    with pytest.raises(InputError, match=r"schedules\.小学部\.default"):
        build(data)


def test_every_day_instead_of_default(example):
    data = copy.deepcopy(example)
    body = data["schedules"]["小学部"]
    default = body.pop("default")
    for day in data["days"]:
        body[day] = copy.deepcopy(default)
    assert build(data).schedules[0] == build(example).schedules[0]


# --- atomic writes ---------------------------------------------------------------------------

def test_write_atomic_creates_parents_and_replaces(tmp_path):
    target = tmp_path / "a" / "b" / "c.txt"
    write_atomic(target, "第一版\n")
    assert target.read_text(encoding="utf-8") == "第一版\n"
    write_atomic(target, b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"
    assert os.listdir(target.parent) == ["c.txt"]


def test_write_atomic_never_leaves_half_a_file(tmp_path, monkeypatch):
    target = tmp_path / "t.txt"
    write_atomic(target, "old")

    def boom(src: str, dst: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, "new" * 1000)
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["t.txt"]


@pytest.mark.parametrize("name", ["demo-nine-year.yaml", "demo-primary-guangdong.yaml"])
def test_bundled_demo_schools_read_and_have_slack(name):
    from jianfu.instances.generator import slack_report

    path = Path(__file__).resolve().parents[2] / "instances" / "data" / name
    school = read_school(path)
    assert slack_report(school, school.policy())["ok"]
    assert school.teachers and school.requirements


def test_policy_overrides_with_mappings_stay_hashable(example, tmp_path):
    data = copy.deepcopy(example)
    data["policy"] = {"weights": {"teacher_gaps": 2}, "subject_homework_caps": {"语文": 30},
                      "study_cap_hours": [6, 7]}
    school = build(data)
    assert school.policy().weights.teacher_gaps == 2
    assert school.policy().subject_cap("语文") == 30
    hash(school)
    write_school(school, tmp_path / "s.yaml")
    again = read_school(tmp_path / "s.yaml")
    assert again == school and hash(again) == hash(school)


# --- meetings (教研活动, 行政会) -------------------------------------------------------------

def test_doc_example_meetings_name_their_group_once():
    from jianfu.models.school import Half

    school = build(load_yaml(doc_example_text()), "format.md")
    chinese, admin = school.meetings
    assert (chinese.name, chinese.day, chinese.half) == ("语文组教研", 1, Half.AFTERNOON)
    assert [school.teachers[t].name for t in school.meeting_members[0]] == ["王芳", "周杰"]
    assert [school.teachers[t].name for t in school.meeting_members[1]] == ["李强", "吴敏"]
    # 下午 in each member's schedule: 王芳 teaches 小学部 (lunch ends 14:00), 周杰 初中部 (13:40)
    wang, zhou = school.teacher_index["王芳"], school.teacher_index["周杰"]
    assert school.meeting_times[wang] == ((0, Unavailable(1, 14 * 60, 24 * 60)),)
    assert school.meeting_times[zhou] == ((0, Unavailable(1, 13 * 60 + 40, 24 * 60)),)
    assert (admin.start, admin.end, admin.half) == (15 * 60 + 40, 17 * 60, None)


def test_meeting_forms_and_round_trip(example, tmp_path):
    data = copy.deepcopy(example)
    data["meetings"] = [
        {"name": "理科组教研", "subject": ["科学", "生物学"], "teachers": "吴敏", "day": "周三",
         "half": "morning"},
        {"name": "语文组教研", "subject": "语文组", "day": "周四", "half": "全天"},
    ]
    school = build(data)
    assert [school.teachers[t].name for t in school.meeting_members[0]] == ["赵磊", "吴敏"]
    assert [school.teachers[t].name for t in school.meeting_members[1]] == ["王芳", "周杰"]
    text = dump_school(school)
    assert '{name: 理科组教研, subject: [科学, 生物学], teachers: [吴敏], day: 周三, half: 上午}' in text
    for name in ("m.yaml", "m.json"):
        write_school(school, tmp_path / name)
        assert read_school(tmp_path / name) == school
    del data["meetings"]
    assert "meetings" not in school_to_dict(build(data))


MEETING_ERRORS = [
    # (id, meeting, expected location, expected value text)
    ("unknown teacher", {"name": "行政会", "teachers": ["王校长"], "day": "周一", "half": "下午"},
     "meetings[0].teachers[0]", "'王校长'"),
    ("unknown subject", {"name": "思政组", "subject": "思政", "day": "周一", "half": "下午"},
     "meetings[0].subject", "'思政'"),
    ("unknown day", {"name": "行政会", "teachers": ["李强"], "day": "周六", "half": "下午"},
     "meetings[0].day", "'周六'"),
    ("bad half", {"name": "行政会", "teachers": ["李强"], "day": "周一", "half": "晚上"},
     "meetings[0].half", "'晚上'"),
    ("times reversed", {"name": "行政会", "teachers": ["李强"], "day": "周一", "start": "17:00",
                        "end": "15:40"}, "meetings[0].end", "'15:40'"),
    ("half and times", {"name": "行政会", "teachers": ["李强"], "day": "周一", "half": "下午",
                        "start": "15:40", "end": "17:00"}, "meetings[0].half", "not both"),
    ("no time", {"name": "行政会", "teachers": ["李强"], "day": "周一"},
     "meetings[0].start", "missing"),
    ("names nobody", {"name": "行政会", "day": "周一", "half": "下午"},
     "meetings[0]", "names nobody"),
    ("subject nobody teaches", {"name": "化学组教研", "subject": "化学", "day": "周一", "half": "下午"},
     "meetings[0].subject", "'化学'"),
    ("unknown field", {"name": "行政会", "teachers": ["李强"], "day": "周一", "time": "下午"},
     "meetings[0].time", "unknown field"),
    ("missing name", {"teachers": ["李强"], "day": "周一", "half": "下午"},
     "meetings[0].name", "missing"),
]


@pytest.mark.parametrize("meeting,where,value", [e[1:] for e in MEETING_ERRORS],
                         ids=[e[0] for e in MEETING_ERRORS])
def test_bad_meeting_names_file_field_and_value(example, meeting, where, value):
    data = copy.deepcopy(example)
    data["meetings"] = [meeting]
    with pytest.raises(InputError) as info:
        build(data, "school.yaml")
    text = str(info.value)
    assert text.startswith(f"school.yaml: {where}:"), text
    assert value in text, text


@pytest.mark.parametrize("command", ["check", "solve"])
def test_cli_exits_2_on_a_bad_meeting(example, tmp_path, capsys, command):
    from jianfu.cli import main

    data = copy.deepcopy(example)
    data["meetings"] = [{"name": "行政会", "teachers": ["王校长"], "day": "周一", "half": "下午"}]
    path = tmp_path / "school.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    tt = tmp_path / "tt.json"
    tt.write_text(json.dumps({"school": data["school"], "lessons": []}), encoding="utf-8")
    argv = ["check", str(path), str(tt)] if command == "check" else \
        ["solve", str(path), "--time-limit", "1", "-o", str(tmp_path / "out")]
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert "school.yaml: meetings[0].teachers[0]: '王校长'" in out + err
    assert "Traceback" not in out + err
    assert not (tmp_path / "out").exists()


# --- 班主任 (head_teacher) and 班会 ---------------------------------------------------------

def _with_class_meeting(data: dict[str, Any], teacher: str) -> dict[str, Any]:
    """The example with a 班会 subject, given to ``teacher`` in 三年级1班 (班主任 王芳)."""
    data = copy.deepcopy(data)
    data["subjects"].append({"name": "班会", "english": "Class meeting", "category": "moral"})
    data["requirements"]["三年级1班"]["班会"] = {"teacher": teacher, "periods": 1}
    return data


def test_head_teacher_is_read_and_written_back(example, tmp_path):
    school = build(example, "format.md")
    heads = {c.name: school.teachers[c.head_teacher].name for c in school.classes}
    assert heads == {"三年级1班": "王芳", "七年级1班": "周杰"}
    write_school(school, tmp_path / "s.yaml")
    text = (tmp_path / "s.yaml").read_text(encoding="utf-8")
    assert "head_teacher: 王芳" in text and "head_teacher: 周杰" in text
    data = copy.deepcopy(example)
    del data["classes"][1]["head_teacher"]
    plain = build(data)
    assert plain.classes[1].head_teacher is None
    write_school(plain, tmp_path / "p.json")
    assert read_school(tmp_path / "p.json") == plain


def test_class_meeting_goes_to_the_head_teacher(example):
    # 王芳 does not list 班会 among her subjects: as 班主任 she teaches it all the same
    school = build(_with_class_meeting(example, "王芳"))
    c3, meeting = school.class_index["三年级1班"], school.subject_index["班会"]
    assert [school.requirements[q].teacher for q in school.requirements_of_class[c3]
            if school.requirements[q].subject == meeting] == [school.teacher_index["王芳"]]
    with pytest.raises(InputError) as info:
        build(_with_class_meeting(example, "李强"))
    text = str(info.value)
    assert text.startswith("school.yaml: requirements.三年级1班.班会.teacher: '李强': "), text
    assert "班主任 王芳" in text and "head_teacher_meeting" in text


@pytest.mark.parametrize("command", ["check", "solve"])
@pytest.mark.parametrize("field, value, words", [
    ("head_teacher", "王老师", "school.yaml: classes[0].head_teacher: '王老师': 未定义的教师"),
    ("meeting", "李强", "school.yaml: requirements.三年级1班.班会.teacher: '李强': 班会应由班主任 王芳"),
])
def test_cli_exits_2_on_a_bad_head_teacher(example, tmp_path, capsys, command, field, value,
                                           words):
    from jianfu.cli import main

    if field == "head_teacher":
        data = copy.deepcopy(example)
        data["classes"][0]["head_teacher"] = value
    else:
        data = _with_class_meeting(example, value)
    path = tmp_path / "school.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    tt = tmp_path / "tt.json"
    tt.write_text(json.dumps({"school": data["school"], "lessons": []}), encoding="utf-8")
    argv = ["check", str(path), str(tt)] if command == "check" else \
        ["solve", str(path), "--time-limit", "1", "-o", str(tmp_path / "out")]
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert words in out + err, out + err
    assert "Traceback" not in out + err
    assert not (tmp_path / "out").exists()
