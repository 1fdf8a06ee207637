"""The smallest schools of the 调代课 tests (tests/solver/school/test_change.py,
tests/models/test_checker_week.py, tests/instances/test_change_notice.py)."""

from datetime import date

from builders import fit_policy, mini_school, timetable

from jianfu.models.change import week_dates
from jianfu.models.school import Teacher, Unavailable

MONDAY = date(2026, 10, 12)
DATES = {d: x for d, x in week_dates(MONDAY).items() if d < 2}   # a two-day school week
DAY = 24 * 60


def cover_school(*, extra: bool = True, second_same: bool = False):
    """一班 数学 王芳 P1–3 / 语文 P4–6 both days; 二班 the other way round (数学 赵敏), or
    the same way with ``second_same``; 孙丽 teaches no class but is registered for 数学."""
    s = mini_school([("一班", 1), ("二班", 1)],
                    [("一班", "数学", "王芳", 6), ("一班", "语文", "李强", 6),
                     ("二班", "数学", "赵敏", 6), ("二班", "语文", "陈静", 6)],
                    teachers=[Teacher("孙丽", subjects=(1,))] if extra else ())
    rows = []
    for d in (0, 1):
        for k in range(1, 7):
            rows.append(("一班", d, k, "数学" if k <= 3 else "语文"))
            rows.append(("二班", d, k, ("数学" if k <= 3 else "语文") if second_same
                         else ("语文" if k <= 3 else "数学")))
    return s, fit_policy(s), timetable(s, rows)


def swap_school(every_day: bool = False):
    """One class: 数学 (王芳, only 周一第1节) and 11 语文 (李强); 王芳 can teach on 周二 only
    in period 6, where 一班 has 语文; nobody else teaches 数学."""
    s = mini_school([("一班", 1)], [("一班", "数学", "王芳", 1), ("一班", "语文", "李强", 11)],
                    teachers=[Teacher("王芳", subjects=(1,),
                                      unavailable=(Unavailable(1, 0, 14 * 60 + 45),)),
                              Teacher("李强", subjects=(0,))])
    rows = [("一班", 0, 1, "数学")] + [("一班", d, k, "语文") for d in (0, 1)
                                      for k in range(1, 7) if (d, k) != (0, 1)]
    return s, fit_policy(s), timetable(s, rows)
