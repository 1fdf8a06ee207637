"""models/change: dates to timetable days, and the moves between two timetables."""

from datetime import date

import pytest
from builders import timetable
from change_fixtures import swap_school

from jianfu.models.change import lesson_moves, week_dates, weekday


def test_plain_weekdays():
    assert week_dates(date(2026, 10, 14)) == {d: date(2026, 10, 12 + d) for d in range(5)}
    assert weekday(date(2026, 10, 17)) is None


def test_a_holiday_and_a_make_up_day():
    # 周一 a holiday, the Saturday follows 周一's timetable (调休)
    def day_of(d):
        if d == date(2026, 10, 12):
            return None
        if d == date(2026, 10, 17):
            return 0
        return weekday(d)

    got = week_dates(date(2026, 10, 12), day_of)
    assert got == {0: date(2026, 10, 17), 1: date(2026, 10, 13), 2: date(2026, 10, 14),
                   3: date(2026, 10, 15), 4: date(2026, 10, 16)}
    with pytest.raises(ValueError, match="2026-10-17"):
        week_dates(date(2026, 10, 12), lambda d: 0 if d.weekday() in (0, 5) else weekday(d))


def test_lesson_moves_pair_the_slots_left_with_the_slots_taken():
    s, _, base = swap_school()
    rows = [("一班", 1, 6, "数学")] + [("一班", d, k, "语文") for d in (0, 1)
                                      for k in range(1, 7) if (d, k) != (1, 6)]
    moves = lesson_moves(s, timetable(s, rows), base)
    assert [m.text(s) for m in moves] == ["一班 数学（王芳） 周一第1节 → 周二第6节",
                                          "一班 语文（李强） 周二第6节 → 周一第1节"]
    assert lesson_moves(s, base, base) == []
