"""The live status line: its words, and that it keeps out of logs and off pipes."""

from __future__ import annotations

import io
import logging
import math
import time


from jianfu.instances.progress_line import (
    SolveState, StatusLine, clock, district_status, solve_status)


def test_solve_status_in_peoples_words():
    assert solve_status(12.2, 477.0, 176.0, 60) == \
        "已用 12s  当前最好 477  下界 176  差距 63%  剩余 48s"
    assert solve_status(3, None, None, 60) == "已用 3s  正在找第一张课表  剩余 57s"
    assert solve_status(70, 12.5, math.nan, 60) == "已用 1m10s  当前最好 12.5  剩余 0s"
    assert solve_status(5, 0.0, 0.0, 30) == "已用 5s  当前最好 0  下界 0  差距 0%  剩余 25s"


def test_clock():
    assert [clock(s) for s in (0, 59.4, 60, 125, 3720)] == ["0s", "59s", "1m00s", "2m05s", "1h02m"]


def test_district_status():
    assert district_status(65, 3, 10, 2, 0, 130.0, "城南小学", 477, 176) == (
        "已用 1m05s  完成 3/10 所  在排 2  未成 0  最近 城南小学 477（下界 176，差距 63%）  剩余约 2m10s")
    assert district_status(1, 0, 10, 2, 0, None) == "已用 1s  完成 0/10 所  在排 2  未成 0  剩余 估算中"
    assert district_status(2, None, None, 0, 0, None) == "已用 2s  正在读入学校、启动排课"


def test_solve_state_keeps_the_best_and_the_highest_bound():
    state = SolveState(60)
    state.update(1.0, 500.0, 100.0)
    state.update(2.0, 477.0, 176.0)
    state.update(3.0, 480.0, 150.0)   # not better, a lower bound: both kept
    assert (state.best, state.bound) == (477.0, 176.0)
    assert state.render(12) == "已用 12s  当前最好 477  下界 176  差距 63%  剩余 48s"


def _drawn(stream: io.StringIO) -> None:
    """Wait for the ticking thread's first draw (it draws on start)."""
    for _ in range(2000):
        if stream.getvalue():
            return
        time.sleep(0.005)
    raise AssertionError("the status line was never drawn")


def test_line_is_rewritten_in_place_and_finished_before_a_log_and_at_the_end():
    stream = io.StringIO()
    text = ["已用 1s  当前最好 500"]
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        with StatusLine(stream, lambda _: text[0], enabled=True, interval=3600) as line:
            _drawn(stream)
            text[0] = "已用 2s"
            line.refresh()            # shorter: blanks the rest of the longer line
            logging.getLogger("jianfu.test").warning("a log line")
            text[0] = "已用 3s"
            line.refresh()            # a new line after the log: nothing to blank
    finally:
        root.removeHandler(handler)
    assert stream.getvalue() == ("\r已用 1s  当前最好 500" + "\r已用 2s" + " " * 14
                                 + "\na log line\n" + "\r已用 3s" + "\n")


def test_off_a_terminal_nothing_is_drawn():
    stream = io.StringIO()
    with StatusLine(stream, lambda _: "已用 1s", enabled=False, interval=0.01) as line:
        line.refresh()
    assert stream.getvalue() == ""
