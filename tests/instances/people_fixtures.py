"""A small hand-made homework plan for the people-facing export tests."""

from __future__ import annotations

from jianfu.models.homework import HomeworkEntry, HomeworkMetrics, HomeworkPlan, plan_days


def make_plan(school):
    """A small hand-made plan: 三(1)班 周一 语文 20 + 数学 15, 周二 外语 10; 三(2)班 周一 数学 30."""
    subjects = tuple(s.name for s in school.subjects)
    s = {n: i for i, n in enumerate(subjects)}
    entries = (HomeworkEntry(0, 0, s["语文"], 20), HomeworkEntry(0, 0, s["数学"], 15),
               HomeworkEntry(0, 1, s["外语"], 10), HomeworkEntry(1, 0, s["数学"], 30))
    return HomeworkPlan(school=school.name, profile="national", days=plan_days(school, False),
                        weekend=False, classes=tuple(c.name for c in school.classes),
                        subjects=subjects, entries=entries, targets=(),
                        metrics=HomeworkMetrics(*([0] * 13)))
