"""Cross-school rules of the district checker on hand-placed lessons."""

from __future__ import annotations

import dataclasses

import pytest

from jianfu.instances.district import Itinerant
from jianfu.instances.district_gen import generate_district
from jianfu.models.district_check import (check_district, check_itinerant_clash,
                                          check_itinerant_load, check_itinerant_missing,
                                          format_district_verdict, half_day_cut, half_of)
from jianfu.models.school import School
from jianfu.models.timetable import Lesson, Timetable


@pytest.fixture(scope="module")
def pair() -> tuple[Itinerant, School, School]:
    district, schools = generate_district(2, 5, layout=[("rural", 1), ("rural", 1)])
    teacher = district.itinerant[0]
    a, b = (schools[n] for n in teacher.schools)
    return teacher, a, b


def _lesson(school: School, teacher: str, day: int, period: int, nth: int = 0) -> Lesson:
    """A lesson of ``teacher``'s ``nth`` requirement at ``(day, period)``."""
    k = school.teacher_index[teacher]
    r = school.requirements[school.requirements_of_teacher[k][nth]]
    return Lesson(r.cls, day, period, r.subject, k)


def _afternoon(school: School, cls: int, day: int) -> int:
    sched = school.day_of(cls, day)
    return next(p for p in range(len(sched.periods)) if sched.afternoon[p])


def test_half_of_and_cut(pair) -> None:
    _, a, _ = pair
    for d in range(len(a.days)):
        cut = half_day_cut(a, d)
        for c in range(len(a.classes)):
            periods = a.day_of(c, d).periods
            assert half_of(a, c, d, 0) == 0
            assert half_of(a, c, d, len(periods) - 1) == 1
            assert half_of(a, c, d, len(periods)) is None
            for p, seg in enumerate(periods):
                # [0, cut) holds exactly the morning periods
                assert (seg.end <= cut) == (half_of(a, c, d, p) == 0)
                assert (seg.start >= cut) == (half_of(a, c, d, p) == 1)


def test_same_half_day_in_two_schools_is_one_clash(pair) -> None:
    t, a, b = pair
    tt_a = Timetable((_lesson(a, t.name, 0, 0),))
    tt_b = Timetable((_lesson(b, t.name, 0, 1),))
    found = check_itinerant_clash([t], {a.name: a, b.name: b}, {a.name: tt_a, b.name: tt_b})
    assert len(found) == 1
    v = found[0]
    assert v.rule == "itinerant_clash" and v.hard and v.amount == 1
    assert v.teacher == t.name and v.day == a.days[0]
    assert a.name in v.message and b.name in v.message


def test_morning_here_afternoon_there_is_fine(pair) -> None:
    t, a, b = pair
    lb = _lesson(b, t.name, 0, 0)
    tt_a = Timetable((_lesson(a, t.name, 0, 0), _lesson(a, t.name, 1, 0)))
    tt_b = Timetable((dataclasses.replace(lb, period=_afternoon(b, lb.cls, 0)),
                      dataclasses.replace(lb, day=2)))
    assert check_itinerant_clash([t], {a.name: a, b.name: b},
                                 {a.name: tt_a, b.name: tt_b}) == []


def test_namesake_outside_the_teachers_schools_is_not_counted(pair) -> None:
    t, a, b = pair
    only_a = Itinerant(t.name, (a.name, "别的学校"), None)
    tt = {a.name: Timetable((_lesson(a, t.name, 0, 0),)),
          b.name: Timetable((_lesson(b, t.name, 0, 0),))}
    assert check_itinerant_clash([only_a], {a.name: a, b.name: b}, tt) == []


def test_load_over_cap_counts_the_excess(pair) -> None:
    t, a, b = pair
    capped = dataclasses.replace(t, max_periods_per_week=2)
    tt_a = Timetable((_lesson(a, t.name, 0, 0), _lesson(a, t.name, 1, 0)))
    tt_b = Timetable((_lesson(b, t.name, 2, 0),))
    found = check_itinerant_load([capped], {a.name: a, b.name: b}, {a.name: tt_a, b.name: tt_b})
    assert [(v.rule, v.amount, v.teacher) for v in found] == [("itinerant_load", 1, t.name)]
    assert check_itinerant_load([dataclasses.replace(t, max_periods_per_week=3)],
                                {a.name: a, b.name: b}, {a.name: tt_a, b.name: tt_b}) == []


def test_missing_teacher_and_missing_timetable(pair) -> None:
    t, a, b = pair
    ghost = Itinerant("无名氏", (a.name, b.name), None)
    assert len(check_itinerant_missing([ghost], {a.name: a, b.name: b})) == 2
    tt_a = Timetable((_lesson(a, t.name, 0, 0),))
    verdict = check_district([t], {a.name: a, b.name: b}, {a.name: tt_a, b.name: None})
    assert not verdict.compliant
    assert verdict.hard_by_rule.get("school_missing") == 1
    assert verdict.schools[1].missing and verdict.schools[1].hard == 1
    text = format_district_verdict(verdict)
    assert "school_missing" in text and "NOT COMPLIANT" in text


def test_planted_clash_makes_the_district_non_compliant(pair) -> None:
    t, a, b = pair
    tt = {a.name: Timetable((_lesson(a, t.name, 3, 0),)),
          b.name: Timetable((_lesson(b, t.name, 3, 0),))}
    verdict = check_district([t], {a.name: a, b.name: b}, tt)
    assert verdict.hard_by_rule.get("itinerant_clash") == 1
    assert [v.rule for v in verdict.cross] == ["itinerant_clash"]
    assert "itinerant_clash" in format_district_verdict(verdict)


def test_a_school_that_cannot_be_read_is_not_checked_with_its_reason(pair) -> None:
    t, a, b = pair
    tt_a = Timetable((_lesson(a, t.name, 0, 0),))
    reason = "s02.yaml: line 3: YAML 格式错误 bad YAML"
    verdict = check_district([t], {a.name: a}, {a.name: tt_a}, not_checked={b.name: reason})
    assert not verdict.compliant and verdict.cross == ()
    assert verdict.hard_by_rule["school_not_checked"] == 1   # (one lesson: a's coverage fails)
    ok, skipped = verdict.schools
    assert ok.name == a.name and ok.timetable is not None and not ok.not_checked
    assert skipped.name == b.name and skipped.not_checked and skipped.reason == reason
    assert skipped.hard == 1
    text = format_district_verdict(verdict)
    assert f"{b.name}: 未检查 not checked (school_not_checked) — {reason}" in text
    assert "NOT COMPLIANT" in text
