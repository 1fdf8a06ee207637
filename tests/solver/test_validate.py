"""validate_school: the counts and the pre-checks `jianfu check school.xlsx` prints."""

from __future__ import annotations

import dataclasses

from jianfu.instances.views import example_school
from jianfu.solver.validate import format_validation, validate_school


def test_a_good_school_is_counted_and_nothing_is_found() -> None:
    found = validate_school(example_school())
    assert (found.classes, found.teachers, found.requirements, found.lessons) == (2, 7, 24, 60)
    assert found.ok and found.problems == ()
    assert "未发现问题" in format_validation(found, "school.xlsx")


def test_a_teacher_who_cannot_fit_the_week_is_one_problem() -> None:
    school = example_school()
    t = school.teacher_index["王芳"]
    teachers = list(school.teachers)
    teachers[t] = dataclasses.replace(teachers[t], max_periods_per_day=1)   # 8 periods, 5 days
    found = validate_school(dataclasses.replace(school, teachers=tuple(teachers)))
    assert not found.ok and len(found.problems) == 1 and "王芳" in found.problems[0]
    assert "1. 王芳" in format_validation(found)
