"""School file: the documented example, round trips, and every kind of bad input."""

from __future__ import annotations

import copy
import json
import os
import re
from pathlib import Path
from typing import Any, Callable

import pytest

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

from builders import cli_refuses

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

    data = copy.deepcopy(example)
    data["meetings"] = [{"name": "行政会", "teachers": ["王校长"], "day": "周一", "half": "下午"}]
    text = cli_refuses(tmp_path, capsys, data, command)
    assert "school.yaml: meetings[0].teachers[0]: '王校长'" in text


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

    if field == "head_teacher":
        data = copy.deepcopy(example)
        data["classes"][0]["head_teacher"] = value
    else:
        data = _with_class_meeting(example, value)
    text = cli_refuses(tmp_path, capsys, data, command)
    assert words in text, text


# --- 合班 and 复式班 (combined) ---------------------------------------------------------------

def _combined_snippet() -> str:
    match = re.search(r"### Combined lessons.*?```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"),
                      re.S)
    assert match, "docs/format.md has no combined example"
    return match.group(1)


def _with_combined(example: dict[str, Any], combined: Any = None) -> dict[str, Any]:
    """The example with the classes and teachers of the documented combined snippet."""
    data = copy.deepcopy(example)
    data["classes"] += [{"name": "一(1)班", "grade": 1, "schedule": "小学部"},
                        {"name": "一(2)班", "grade": 1, "schedule": "小学部"},
                        {"name": "二(1)班", "grade": 2, "schedule": "小学部"}]
    data["teachers"] += [{"name": "张老师", "subjects": ["体育与健康"]},
                         {"name": "李老师", "subjects": ["语文", "数学"]},
                         {"name": "王老师", "subjects": ["体育与健康"]}]
    data["requirements"]["一(1)班"] = {"体育与健康": "张老师", "语文": "王芳"}
    data["requirements"]["一(2)班"] = {"体育与健康": "张老师",
                                       "语文": {"teacher": "李老师", "periods": 4}}
    data["requirements"]["二(1)班"] = {"数学": {"teacher": "李老师", "periods": 4}}
    data["combined"] = (load_yaml(_combined_snippet())["combined"] if combined is None
                        else combined)
    return data


def test_doc_combined_lessons_read_and_round_trip(example, tmp_path):
    school = build(_with_combined(example), "format.md")
    pe, rest = school.combined
    assert pe.name == "一年级体育合班" and pe.venue_kind == "ground"
    assert school.teachers[pe.teacher].name == "张老师"
    assert [(school.classes[school.requirements[q].cls].name,
             school.subjects[school.requirements[q].subject].name) for q in rest.members] == \
        [("一(2)班", "语文"), ("二(1)班", "数学")]
    assert school.teachers[rest.teacher].name == "李老师"   # given, and every member's
    text = dump_school(school)
    assert "members: [[一(2)班, 语文], [二(1)班, 数学]], teacher: 李老师}" in text
    for name in ("c.yaml", "c.json"):
        write_school(school, tmp_path / name)
        assert read_school(tmp_path / name) == school
    data = _with_combined(example, [{"name": "体育", "members": [
        {"class": "一(1)班", "subject": "体育与健康"}, "一(2)班：体育与健康"]}])
    again = build(data)
    assert again.teachers[again.combined[0].teacher].name == "张老师"   # the first member's
    assert "combined" not in school_to_dict(build(example))


def _pe(members: list[Any], **more: Any) -> list[dict[str, Any]]:
    return [{"name": "体育合班", "members": members, **more}]


COMBINED_ERRORS = [
    # (id, combined, change to the requirements, expected location, expected value text)
    ("unknown class", _pe([["一(1)班", "体育与健康"], ["一(9)班", "体育与健康"]]), None,
     "combined[0].members[1]", "'一(9)班'"),
    ("unknown subject", _pe([["一(1)班", "体育与健康"], ["一(2)班", "体操"]]), None,
     "combined[0].members[1]", "'体操'"),
    ("not a requirement", _pe([["一(1)班", "体育与健康"], ["二(1)班", "体育与健康"]]), None,
     "combined[0].members[1]", "'二(1)班:体育与健康'"),
    ("bad member", _pe([["一(1)班", "体育与健康"], "一(2)班"]), None,
     "combined[0].members[1]", "'一(2)班'"),
    ("one member", _pe([["一(1)班", "体育与健康"]]), None, "combined[0].members", "at least two"),
    ("member twice", _pe([["一(1)班", "体育与健康"], ["一(2)班", "体育与健康"]])
     + [{"name": "又一个", "members": [["一(2)班", "体育与健康"], ["一(1)班", "语文"]]}], None,
     "combined[1].members[0]", "already a member"),
    ("unequal periods", _pe([["一(1)班", "体育与健康"], ["一(2)班", "体育与健康"]]),
     ("一(2)班", "体育与健康", {"teacher": "张老师", "periods": 3}),
     "combined[0].members[1]", "periods 3"),
    ("another teacher", _pe([["一(1)班", "体育与健康"], ["一(2)班", "体育与健康"]]),
     ("一(2)班", "体育与健康", "王老师"), "combined[0].members[1]", "王老师"),
    ("teacher of the lesson", _pe([["一(1)班", "体育与健康"], ["一(2)班", "体育与健康"]],
                                  teacher="王老师"), None, "combined[0].members[0]", "王老师"),
    ("unknown teacher", _pe([["一(1)班", "体育与健康"], ["一(2)班", "体育与健康"]],
                            teacher="赵老师"), None, "combined[0].teacher", "'赵老师'"),
    ("unknown venue kind", _pe([["一(1)班", "体育与健康"], ["一(2)班", "体育与健康"]],
                               venue_kind="pool"), None, "combined[0].venue_kind", "'pool'"),
    ("class twice", _pe([["一(1)班", "体育与健康"], ["一(1)班", "语文"]]),
     ("一(1)班", "语文", {"teacher": "张老师", "periods": 2}), "combined[0].members[1]", "twice"),
    ("different venue needs", [{"name": "复式", "members": [["一(2)班", "语文"], ["二(1)班", "数学"]]}],
     ("二(1)班", "数学", {"teacher": "李老师", "periods": 4, "venue": "lab"}),
     "combined[0].venue_kind", "different venue kinds"),
    ("PE with another subject", [{"name": "复式", "members": [["一(2)班", "体育与健康"],
                                                             ["二(1)班", "数学"]],
                                  "venue_kind": "ground"}],
     ("二(1)班", "数学", {"teacher": "张老师", "periods": 4}), "combined[0].members[1]", "pe"),
    ("unknown field", _pe([["一(1)班", "体育与健康"], ["一(2)班", "体育与健康"]], room="操场"), None,
     "combined[0].room", "unknown field"),
]


@pytest.mark.parametrize("combined,change,where,value", [e[1:] for e in COMBINED_ERRORS],
                         ids=[e[0] for e in COMBINED_ERRORS])
def test_bad_combined_names_file_field_and_value(example, combined, change, where, value):
    data = _with_combined(example, combined)
    if change is not None:
        data["requirements"][change[0]][change[1]] = change[2]
        teacher = change[2] if isinstance(change[2], str) else change[2]["teacher"]
        if teacher == "张老师":
            data["teachers"][-3]["subjects"].append(change[1])   # 张老师 may teach it
    with pytest.raises(InputError) as info:
        build(data, "school.yaml")
    text = str(info.value)
    assert text.startswith(f"school.yaml: {where}:"), text
    assert value in text, text


@pytest.mark.parametrize("command", ["check", "solve"])
def test_cli_exits_2_on_a_bad_combined_lesson(example, tmp_path, capsys, command):

    data = _with_combined(example)
    data["requirements"]["一(2)班"]["体育与健康"] = "王老师"
    text = cli_refuses(tmp_path, capsys, data, command)
    assert "school.yaml: combined[0].members[1]: '一(2)班:体育与健康'" in text


# --- fixed and forbidden periods (固定, 禁排) --------------------------------------------------

def test_doc_example_fixed_and_forbidden_periods():
    school = build(load_yaml(doc_example_text()), "format.md")
    c3, c7 = school.class_index["三年级1班"], school.class_index["七年级1班"]
    q = {(school.requirements[i].cls, school.subjects[school.requirements[i].subject].name): i
         for i in range(len(school.requirements))}
    assert school.fixed_periods[q[(c3, "道德与法治")]] == ((0, 0),)
    # 七年级1班 has 7, 7, 7, 7, 6 periods: 数学 is never in the last of them
    assert school.forbidden_periods[q[(c7, "数学")]] == {(0, 6), (1, 6), (2, 6), (3, 6), (4, 5)}
    # 体育与健康 for every class: the first afternoon period (小学部 P5, 初中部 P5)
    assert school.forbidden_periods[q[(c3, "体育与健康")]] == {(d, 4) for d in range(5)}
    assert school.forbidden_periods[q[(c7, "体育与健康")]] == {(d, 4) for d in range(5)}


def test_fixed_and_forbidden_forms_and_round_trip(example, tmp_path):
    data = copy.deepcopy(example)
    body = data["requirements"]["三年级1班"]
    body["语文"] = {"teacher": "王芳", "fixed": ["周一2", {"day": "周二", "period": 2}, "周三 第3节"],
                  "forbidden": "周五下午"}
    body["数学"] = {"teacher": "李强", "forbidden": [{"day": "周四", "period": "最后"}, 6, "上午第1节"]}
    school = build(data)
    q = {school.subjects[school.requirements[i].subject].name: i
         for i in school.requirements_of_class[school.class_index["三年级1班"]]}
    assert school.fixed_periods[q["语文"]] == ((0, 1), (1, 1), (2, 2))
    assert school.forbidden_periods[q["语文"]] == {(4, 4), (4, 5)}
    assert school.forbidden_periods[q["数学"]] == {(3, 5)} | {(d, p) for d in range(5) for p in (0, 5)}
    text = dump_school(school)
    assert "fixed: [周一第2节, 周二第2节, 周三第3节], forbidden: [周五下午]" in text
    assert "forbidden: [周四最后一节, 第6节, 上午第1节]" in text
    assert "{name: 体育与健康, forbidden: [下午第1节]}" in text
    for name in ("s.yaml", "s.json"):
        write_school(school, tmp_path / name)
        assert read_school(tmp_path / name) == school


SLOT_ERRORS = [
    # (id, class, subject, body, expected location, expected value text)
    ("unreadable", "三年级1班", "语文", {"teacher": "王芳", "fixed": ["周八1"]},
     "requirements.三年级1班.语文.fixed[0]", "'周八1': 无法识别的时段"),
    ("period 0", "三年级1班", "语文", {"teacher": "王芳", "forbidden": "第0节"},
     "requirements.三年级1班.语文.forbidden", "'第0节': 节次从 1 开始"),
    ("every period", "三年级1班", "语文", {"teacher": "王芳", "forbidden": ["全天"]},
     "requirements.三年级1班.语文.forbidden[0]", "names every period"),
    ("outside the day", "三年级1班", "语文", {"teacher": "王芳", "fixed": ["周一第9节"]},
     "requirements.三年级1班.语文.fixed[0]", "'周一第9节': 三年级1班 周一没有这一节"),
    ("beyond the day shape", "七年级1班", "语文", {"teacher": "周杰", "fixed": ["周五第7节"]},
     "requirements.七年级1班.语文.fixed[0]", "has no such period that day (6 periods)"),
    ("more fixed than periods", "三年级1班", "书法",
     {"teacher": "孙丽", "periods": 1, "fixed": ["周二1", "周三1"]},
     "requirements.三年级1班.书法.fixed", "2: 固定 2 个时段，但每周只有 1 节"),
    ("fixed and forbidden", "七年级1班", "数学",
     {"teacher": "吴敏", "fixed": ["周五6"], "forbidden": ["最后一节"]},
     "requirements.七年级1班.数学.fixed[0]", "'周五第6节': 周五第6节 又是禁排时段"),
    ("two fixed in one period", "三年级1班", "数学", {"teacher": "李强", "fixed": ["周一1"]},
     "requirements.三年级1班.道德与法治.fixed[0]", "三年级1班 周一第1节 已固定为 数学"),   # the later one
    ("bad mapping", "三年级1班", "语文", {"teacher": "王芳", "fixed": [{"day": "周一", "slot": 1}]},
     "requirements.三年级1班.语文.fixed[0]", "unknown field 'slot'"),
]


@pytest.mark.parametrize("cls,subject,body,where,value", [e[1:] for e in SLOT_ERRORS],
                         ids=[e[0] for e in SLOT_ERRORS])
def test_bad_fixed_or_forbidden_names_file_field_and_value(example, cls, subject, body, where,
                                                           value):
    data = copy.deepcopy(example)
    data["requirements"][cls][subject] = body
    with pytest.raises(InputError) as info:
        build(data, "school.yaml")
    text = str(info.value)
    assert text.startswith(f"school.yaml: {where}:"), text
    assert value in text, text


def test_bad_subject_wide_forbidden_is_named(example):
    data = copy.deepcopy(example)
    data["subjects"].append({"name": "数学", "forbidden": ["午后"]})
    with pytest.raises(InputError) as info:
        build(data, "school.yaml")
    assert str(info.value).startswith("school.yaml: subjects[3].forbidden[0]: '午后': "), info.value


@pytest.mark.parametrize("command", ["check", "solve"])
def test_cli_exits_2_on_a_bad_fixed_period(example, tmp_path, capsys, command):

    data = copy.deepcopy(example)
    data["requirements"]["三年级1班"]["语文"] = {"teacher": "王芳", "fixed": ["周一第9节"]}
    text = cli_refuses(tmp_path, capsys, data, command)
    assert "school.yaml: requirements.三年级1班.语文.fixed[0]: '周一第9节'" in text, text


# --- 意愿 (wishes) and 教案齐头 (level_progress) --------------------------------------------

def test_doc_example_wishes_and_level_progress(example):
    from jianfu.models.school import Wish

    school = build(example, "format.md")
    chen = school.teachers[school.teacher_index["陈静"]]
    # 小学部 (the first of 陈静's two schedules, a tie): lunch 11:50–14:00
    assert chen.wishes == (Wish(False, 2, stretch=Unavailable(4, 14 * 60, 24 * 60)),
                           Wish(False, 1, period=0),
                           Wish(True, 1, stretch=Unavailable(1, 0, 11 * 60 + 50)))
    assert school.policy().level_progress is True


def test_wish_forms_round_trip(example, tmp_path):
    data = copy.deepcopy(example)
    data["teachers"][1]["wishes"] = [
        {"avoid": "周一第2节", "weight": 3}, {"avoid": "周三 14:00-16:00"},
        {"prefer": "周四下午", "weight": 100}, {"avoid": "周五"}]
    school = build(data)
    li = school.teachers[1]
    assert [(w.prefer, w.weight, w.period, w.day) for w in li.wishes] == [
        (False, 3, 1, 0), (False, 1, None, None), (True, 100, None, None), (False, 1, None, None)]
    text = dump_school(school)
    assert "wishes: [{avoid: 周一第2节, weight: 3}, {avoid: '周三 14:00-16:00'}, " \
           "{prefer: 周四下午, weight: 100}, {avoid: 周五}]" in text
    for name in ("w.yaml", "w.json"):
        write_school(school, tmp_path / name)
        assert read_school(tmp_path / name) == school
    del data["teachers"][1]["wishes"]
    assert "wishes" not in school_to_dict(build(data))["teachers"][1]


WISH_ERRORS = [
    ("neither", {"weight": 2}, "teachers[2].wishes[0]", "exactly one of avoid or prefer"),
    ("both", {"avoid": "周一", "prefer": "周二上午"}, "teachers[2].wishes[0]", "exactly one"),
    ("bad day", {"avoid": "周八上午"}, "teachers[2].wishes[0].avoid", "'周八上午'"),
    ("prefer a period", {"prefer": "第1节"}, "teachers[2].wishes[0].prefer", "'第1节'"),
    ("period 0", {"avoid": "第0节"}, "teachers[2].wishes[0].avoid", "numbered from 1"),
    ("weight 0", {"avoid": "第1节", "weight": 0}, "teachers[2].wishes[0].weight", "0"),
    ("weight text", {"avoid": "第1节", "weight": "高"}, "teachers[2].wishes[0].weight", "'高'"),
    ("unknown field", {"avoid": "第1节", "why": "晨练"}, "teachers[2].wishes[0].why",
     "unknown field"),
]


@pytest.mark.parametrize("wish,where,value", [e[1:] for e in WISH_ERRORS],
                         ids=[e[0] for e in WISH_ERRORS])
def test_bad_wish_names_file_field_and_value(example, wish, where, value):
    data = copy.deepcopy(example)
    data["teachers"][2]["wishes"] = [wish]
    with pytest.raises(InputError) as info:
        build(data, "school.yaml")
    text = str(info.value)
    assert text.startswith(f"school.yaml: {where}:"), text
    assert value in text, text


@pytest.mark.parametrize("command", ["check", "solve"])
@pytest.mark.parametrize("change, words", [
    (lambda d: d["teachers"][2].update(wishes=[{"avoid": "周八上午", "weight": 2}]),
     "school.yaml: teachers[2].wishes[0].avoid: '周八上午': 无法识别的意愿时间"),
    (lambda d: d["teachers"][2].update(wishes=[{"avoid": "第1节", "weight": 101}]),
     "school.yaml: teachers[2].wishes[0].weight: 101: 超出范围 out of range (1..100)"),
    (lambda d: d["policy"].update(level_progress="maybe"), "level_progress"),
], ids=["wish time", "wish weight", "level_progress"])
def test_cli_exits_2_on_a_bad_wish_or_level_progress(example, tmp_path, capsys, command, change,
                                                     words):

    data = copy.deepcopy(example)
    change(data)
    text = cli_refuses(tmp_path, capsys, data, command)
    assert words in text, text
    assert "school.yaml" in text 


# --- 分组 (split lessons) -----------------------------------------------------------------------

def _split_snippet() -> str:
    match = re.search(r"### Split lessons.*?```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"),
                      re.S)
    assert match, "docs/format.md has no split example"
    return match.group(1)


def _with_split(example: dict[str, Any], split: Any = None) -> dict[str, Any]:
    """The example with the documented split snippet and its second PE teacher."""
    data = copy.deepcopy(example)
    data["teachers"] += [{"name": "李娜", "subjects": ["体育与健康"]}]
    data["split"] = load_yaml(_split_snippet())["split"] if split is None else split
    return data


def test_doc_split_lessons_read_and_round_trip(example, tmp_path):
    school = build(_with_split(example), "format.md")
    pe, it, labour = school.splits
    names = {k: [(g.name, school.subjects[g.subject].name, school.teachers[g.teacher].name)
                 for g in split.groups] for k, split in zip("pil", school.splits)}
    assert names["p"] == [("男生", "体育与健康", "刘洋"), ("女生", "体育与健康", "李娜")]
    assert names["i"] == [("A", "信息科技", "赵磊"), ("B", "劳动", "李强")]
    assert names["l"] == [("A", "劳动", "李强"), ("B", "信息科技", "赵磊")]
    assert pe.venue_kind == "ground" and it.venue_kind is None
    text = dump_school(school)
    assert "groups: {A: 赵磊, B: [劳动, 李强]}" in text
    for name in ("s.yaml", "s.json"):
        write_school(school, tmp_path / name)
        assert read_school(tmp_path / name) == school
    assert "split" not in school_to_dict(build(example))
    # the requirement's own group first, wherever the file lists it
    data = _with_split(example)
    data["split"][0]["groups"] = {"女生": "李娜", "男生": "刘洋"}
    assert build(data).splits == school.splits


@pytest.mark.parametrize("command", ["check", "solve"])
@pytest.mark.parametrize("change, words", [
    (lambda s: s[0]["groups"].update({"女生": "王五"}),
     "school.yaml: split[0].groups.女生.teacher: '王五': 未定义的教师"),
    (lambda s: s[0].update({"groups": {"女生": "李娜", "男生": "王芳"}}),
     "school.yaml: split[0].groups.女生.teacher: '李娜': 没有一组是该课的学科和任课教师"),
    (lambda s: s[0]["groups"].update({"女生": "刘洋"}),
     "一位教师不能同时教两组"),
    (lambda s: s[1].update({"subject": "科学"}),
     "school.yaml: split[1]: '七年级1班:科学': 没有该课程要求"),
    (lambda s: s[1]["groups"].update({"B": ["劳动", "李强", "劳动"]}),
     "school.yaml: split[1].groups.B: "),
    (lambda s: s[0].update({"groups": {"男生": "刘洋"}}),
     "school.yaml: split[0].groups: "),
])
def test_cli_exits_2_on_a_bad_split_lesson(example, tmp_path, capsys, command, change, words):
    data = _with_split(example)
    change(data["split"])
    text = cli_refuses(tmp_path, capsys, data, command)
    assert words in text, text


# --- 单双周 (alternating weeks) ------------------------------------------------------------------

def _alternate_snippet() -> dict[str, Any]:
    match = re.search(r"### Alternating weeks.*?```yaml\n(.*?)```",
                      DOC.read_text(encoding="utf-8"), re.S)
    assert match, "docs/format.md has no alternate example"
    return load_yaml(match.group(1))


def _with_alternate(example: dict[str, Any], alternate: Any = None) -> dict[str, Any]:
    """The example with the documented alternating slot and its requirements."""
    data = copy.deepcopy(example)
    snippet = _alternate_snippet()
    data["alternate"] = snippet["alternate"] if alternate is None else alternate
    for cname, body in snippet["requirements"].items():
        data["requirements"][cname].update(body)
    return data


def test_doc_alternating_weeks_read_and_round_trip(example, tmp_path):
    school = build(_with_alternate(example), "format.md")
    k, = school.alternates
    c3 = school.class_index["三年级1班"]
    req = {school.subjects[school.requirements[q].subject].name: school.requirements[q]
           for q in school.requirements_of_class[c3]}
    assert (k.cls, k.odd, k.even) == (c3, *(school.requirements.index(req[s])
                                            for s in ("地方与校本课程", "书法")))
    assert (req["地方与校本课程"].periods, req["地方与校本课程"].biweekly) == (1, 1)
    assert (req["书法"].periods, req["书法"].biweekly) == (0, 1)
    # the same 30 periods in each week of the cycle, 29 of them every week
    assert [school.class_week_periods(c3, w) for w in (None, 1, 2)] == [29, 30, 30]
    text = dump_school(school)
    assert "periods: 1.5" in text and "periods: 0.5" in text
    assert "- {class: 三年级1班, odd: 地方与校本课程, even: 书法}" in text
    for name in ("a.yaml", "a.json"):
        write_school(school, tmp_path / name)
        assert read_school(tmp_path / name) == school
    assert "alternate" not in school_to_dict(build(example))
    # one side only; two slots naming one requirement: a whole number again
    one = _with_alternate(example, [{"class": "三年级1班", "even": "书法"},
                                    {"class": "三年级1班", "odd": "地方与校本课程"}])
    one["requirements"]["三年级1班"]["地方与校本课程"]["periods"] = 1.5
    assert [(x.odd is None, x.even is None) for x in build(one).alternates] == [
        (True, False), (False, True)]
    two = _with_alternate(example, [{"class": "三年级1班", "odd": "书法", "even": "地方与校本课程"},
                                    {"class": "三年级1班", "odd": "地方与校本课程", "even": "书法"}])
    two["requirements"]["三年级1班"].update({"地方与校本课程": {"teacher": "吴敏", "periods": 1},
                                          "书法": {"teacher": "孙丽", "periods": 1}})
    both = build(two)
    assert [(r.periods, r.biweekly) for r in both.requirements
            if both.subjects[r.subject].name in ("书法", "地方与校本课程") and r.cls == c3] == [
        (0, 2), (0, 2)]


@pytest.mark.parametrize("command", ["check", "solve"])
@pytest.mark.parametrize("change, words", [
    (lambda d: d["alternate"][0].update({"odd": "体育与健康"}),
     "school.yaml: alternate[0].odd: '三年级1班:体育与健康': 体育课不能单双周"),
    (lambda d: d["alternate"].clear(),
     "school.yaml: requirements.三年级1班.书法.periods: 0.5: 半节课是隔周一节"),
    (lambda d: d["requirements"]["三年级1班"]["书法"].update({"periods": 1}),
     "school.yaml: requirements.三年级1班.书法.periods: 1: 三年级1班:书法 在 alternate 中隔周上 1 节"),
    (lambda d: d["alternate"][0].update({"even": "历史"}),
     "school.yaml: alternate[0].even: '三年级1班:历史': 没有该课程要求"),
    (lambda d: d["alternate"][0].update({"even": "编程"}),
     "school.yaml: alternate[0].even: '编程': 未定义的学科"),
    (lambda d: d["alternate"].append({"class": "三年级1班"}),
     "school.yaml: alternate[1].odd: 单周和双周至少有一门课"),
    (lambda d: d["alternate"][0].update({"even": "地方与校本课程"}),
     "school.yaml: alternate[0].even: "),
    (lambda d: d["alternate"][0].update({"week": "单"}),
     "school.yaml: alternate[0].week: 'week': 未知字段"),
    (lambda d: d["requirements"]["三年级1班"]["书法"].update({"periods": 0.25}),
     "school.yaml: requirements.三年级1班.书法.periods: 0.25: 应为整数或半数"),
    (lambda d: d["requirements"]["三年级1班"]["地方与校本课程"].update({"doubles": 1}),
     "school.yaml: requirements.三年级1班.地方与校本课程.doubles: 1: "),
])
def test_cli_exits_2_on_bad_alternating_weeks(example, tmp_path, capsys, command, change, words):
    data = _with_alternate(example)
    change(data)
    text = cli_refuses(tmp_path, capsys, data, command)
    assert words in text, text
