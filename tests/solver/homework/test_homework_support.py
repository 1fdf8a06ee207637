"""The homework tests' builders (``builders.homework_school``, ``round_robin_timetable``)."""

from __future__ import annotations

from builders import homework_school, round_robin_timetable


def test_round_robin_covers_every_requirement() -> None:
    school = homework_school((1, 5, 9))
    tt = round_robin_timetable(school, {1: 2})
    for r in school.requirements:
        n = sum(1 for x in tt.lessons if x.cls == r.cls and x.subject == r.subject)
        assert n == r.periods
    assert len(tt.by_class_slot) == len(tt.lessons)      # no class has two lessons at once
    assert max(x.period for x in tt.lessons) < 7
