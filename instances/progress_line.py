"""A live status line for long runs (``jianfu solve``, ``jianfu district solve``).

On a terminal the line is rewritten in place (``\\r``) about once a second::

    已用 12s  当前最好 477  下界 176  差距 63%  剩余 48s

A log record finishes the line first (so logs never run into it), and so does the end
of the run. Off a terminal nothing is drawn: piped or logged output stays as it was.
The formatting (:func:`solve_status`, :func:`district_status`) is plain functions; the
ticking (:class:`StatusLine`) a small daemon thread.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import dataclass
from typing import Callable, TextIO

__all__ = ["solve_status", "district_status", "clock", "SolveState", "StatusLine",
           "text_width"]


def clock(seconds: float) -> str:
    """``48s``, ``2m05s``, ``1h02m``."""
    s = max(0, int(round(seconds)))
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{s % 3600 // 60:02d}m"


def _points(x: float) -> str:
    return f"{x:.0f}" if abs(x - round(x)) < 0.05 else f"{x:.1f}"


def gap_percent(best: float, bound: float) -> float:
    """How far the best timetable may be from the best possible: (best − bound) / best."""
    if best <= 0 or best <= bound:
        return 0.0
    return 100.0 * (best - max(bound, 0.0)) / best


def solve_status(elapsed: float, best: float | None, bound: float | None,
                 time_limit: float) -> str:
    """The line of a school's search: ``已用 12s  当前最好 477  下界 176  差距 63%  剩余 48s``
    (before the first timetable: ``正在找第一张课表``). ``best`` and ``bound`` are penalty
    points (lower is better); ``None`` or NaN when not known yet."""
    parts = [f"已用 {clock(elapsed)}"]
    if best is None or math.isnan(best):
        parts.append("正在找第一张课表")
    else:
        parts.append(f"当前最好 {_points(best)}")
        if bound is not None and not math.isnan(bound):
            parts.append(f"下界 {_points(bound)}")
            parts.append(f"差距 {gap_percent(best, bound):.0f}%")
    parts.append(f"剩余 {clock(max(0.0, time_limit - elapsed))}")
    return "  ".join(parts)


def district_status(elapsed: float, done: int | None, total: int | None, running: int,
                    failed: int, estimate: float | None, last: str | None = None,
                    objective: float = math.nan, bound: float = math.nan) -> str:
    """The line of a district run: ``已用 1m05s  完成 3/10 所  在排 2  未成 0  最近 城南小学
    477（下界 176，差距 63%）  剩余约 2m10s`` (``total`` ``None``: before the first
    report, ``已用 2s  正在读入学校、启动排课``)."""
    if total is None:
        return f"已用 {clock(elapsed)}  正在读入学校、启动排课"
    parts = [f"已用 {clock(elapsed)}", f"完成 {done}/{total} 所", f"在排 {running}",
             f"未成 {failed}"]
    if last:
        text = f"最近 {last}"
        if not math.isnan(objective):
            text += f" {_points(objective)}"
            if not math.isnan(bound):
                text += f"（下界 {_points(bound)}，差距 {gap_percent(objective, bound):.0f}%）"
        parts.append(text)
    parts.append(f"剩余约 {clock(estimate)}" if estimate is not None else "剩余 估算中")
    return "  ".join(parts)


def text_width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


@dataclass
class SolveState:
    """The best timetable and bound seen so far; :meth:`update` is the ``progress=``
    callback of :func:`jianfu.solver.solve` (called from the solver's thread)."""

    time_limit: float
    best: float | None = None
    bound: float | None = None

    def update(self, elapsed: float, objective: float, bound: float) -> None:
        if self.best is None or objective < self.best:
            self.best = objective
        if not math.isnan(bound):   # each bound is proven: keep the highest
            self.bound = bound if self.bound is None else max(self.bound, bound)

    def render(self, elapsed: float) -> str:
        return solve_status(elapsed, self.best, self.bound, self.time_limit)


class _BreakLine(logging.Filter):
    """Finishes the status line before a log record is written."""

    def __init__(self, line: "StatusLine") -> None:
        super().__init__()
        self.line = line

    def filter(self, record: logging.LogRecord) -> bool:
        self.line.finish()
        return True


class StatusLine:
    """A line on ``stream`` redrawn with ``render(elapsed)`` every ``interval`` seconds and
    on :meth:`refresh`; does nothing unless ``enabled`` (a terminal). Use as a context
    manager: the line is finished (a newline) at the end, and before every log record
    of the root logger's handlers.
    """

    def __init__(self, stream: TextIO, render: Callable[[float], str], *, enabled: bool,
                 interval: float = 1.0) -> None:
        self.stream, self.render, self.enabled, self.interval = stream, render, enabled, interval
        self.start = time.monotonic()
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._shown = 0          # columns of the line on screen now (0: none)
        self._filter = _BreakLine(self)

    def __enter__(self) -> "StatusLine":
        if self.enabled:
            for handler in logging.getLogger().handlers:
                handler.addFilter(self._filter)
            self._thread = threading.Thread(target=self._tick, name="jianfu-status",
                                            daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop ticking and finish the line."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2 * self.interval + 1)
            self._thread = None
        for handler in logging.getLogger().handlers:
            handler.removeFilter(self._filter)
        self.finish()

    def _tick(self) -> None:
        self.refresh()
        while not self._stop.wait(self.interval):
            self.refresh()

    def refresh(self) -> None:
        """Redraw the line now (from any thread)."""
        if not self.enabled or self._stop.is_set():
            return
        with self._lock:
            text = self.render(time.monotonic() - self.start)
            pad = max(0, self._shown - text_width(text))
            self.stream.write("\r" + text + " " * pad)
            self.stream.flush()
            self._shown = text_width(text)

    def finish(self) -> None:
        """End the line on screen (if one is shown), so other output starts on a new one."""
        with self._lock:
            if self._shown:
                self.stream.write("\n")
                self.stream.flush()
                self._shown = 0
