"""Ctrl-C and SIGTERM during a search: stop it, keep what it found, and say so.

CP-SAT catches SIGINT itself and then returns its best solution as if the time limit
had ended, so a Ctrl-C looked like success. Here the command's main thread owns the
signals (:func:`install`, around a CLI command): while a search runs inside
:func:`interruptible`, a signal stops it and is recorded (``Stop.signum``) so the
caller can report "interrupted" and exit 130/143; outside a search it ends the command
at once (:class:`Interrupted`). Python runs signal handlers in the main thread only,
so :func:`solve_cp` runs ``CpSolver.Solve`` on a helper thread and waits on it.

Without :func:`install` (a library user, a Dask worker) nothing changes but CP-SAT's
own SIGINT catching, which is turned off so the process's handlers stay in charge.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["Interrupted", "Stop", "install", "interruptible", "solve_cp", "signal_name"]

_searches: list["Stop"] = []


class Interrupted(BaseException):
    """A signal outside a search: the command ends with ``128 + signum``.

    A ``BaseException`` like ``KeyboardInterrupt``, so ``except Exception`` does not
    swallow it.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signal_name(signum))
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


class Stop:
    """One running search: the callbacks that stop it and the signal that did."""

    def __init__(self, stops: tuple[Callable[[], Any], ...]) -> None:
        self.stops = stops
        self.signum: int | None = None

    def __call__(self, signum: int) -> None:
        self.signum = signum
        for stop in self.stops:
            stop()

    @property
    def interrupted(self) -> bool:
        return self.signum is not None


def signal_name(signum: int) -> str:
    return {signal.SIGINT: "Ctrl-C (SIGINT)", signal.SIGTERM: "SIGTERM"}.get(
        signum, f"signal {signum}")


def _handler(signum: int, frame: object) -> None:
    if not _searches:
        raise Interrupted(signum)
    for search in list(_searches):
        search(signum)


@contextmanager
def install() -> Iterator[None]:
    """Route SIGINT and SIGTERM through this module within the block (main thread only);
    the previous handlers come back after it."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, _handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextmanager
def interruptible(*stops: Callable[[], Any]) -> Iterator[Stop]:
    """Within the block a signal calls ``stops`` instead of ending the command."""
    search = Stop(stops)
    # a signal that came while an enclosing search ran stops this one at once too
    outer = next((s.signum for s in _searches if s.interrupted), None)
    _searches.append(search)
    try:
        if outer is not None:
            search(outer)
        yield search
    finally:
        _searches.remove(search)


def solve_cp(solver: Any, model: Any, callback: Any = None) -> tuple[int, int | None]:
    """``solver.Solve(model, callback)`` that a signal can stop.

    Returns CP-SAT's status code and the signal that stopped the search (``None``
    when it ended by itself).
    """
    solver.parameters.catch_sigint_signal = False
    with interruptible(solver.StopSearch) as search:
        if threading.current_thread() is not threading.main_thread():
            return solver.Solve(model, callback), search.signum
        box: dict[str, Any] = {}

        def run() -> None:
            try:
                box["code"] = solver.Solve(model, callback)
            except BaseException as exc:  # re-raised in the caller's thread
                box["error"] = exc

        worker = threading.Thread(target=run, name="jianfu-cp-sat", daemon=True)
        worker.start()
        while worker.is_alive():
            worker.join(0.05)
            if search.interrupted:   # StopSearch is a no-op until Solve has begun
                solver.StopSearch()
        if "error" in box:
            raise box["error"]
        return box["code"], search.signum
