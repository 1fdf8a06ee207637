"""Input errors that name the file or field path and the offending value."""

from __future__ import annotations

from numbers import Integral
from typing import Any


#: Longest value echoed in a message; a whole line of a real file can be megabytes.
SHOWN_CHARS = 80


def shown(value: Any, limit: int = SHOWN_CHARS) -> str:
    """``repr(value)`` cut to ``limit`` characters, saying how long it was."""
    text = repr(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}…（共 {len(text)} 字符 chars）"


class InputError(ValueError):
    """Bad input. ``str(err)`` reads ``<where>: <value>: <problem>``.

    ``where`` is a file name and/or a field path such as
    ``school.yaml: teachers[3].unavailable[1]``; the CLI prints it and exits 2.
    """

    def __init__(self, where: str, value: Any, problem: str) -> None:
        self.where = where
        self.value = value
        self.problem = problem
        super().__init__(f"{where}: {shown(value)}: {problem}" if value != "" else
                         f"{where}: {problem}")

    def in_file(self, filename: str) -> "InputError":
        """Return the same error with ``filename`` prefixed to its location."""
        if self.where.startswith(filename):
            return self
        return InputError(f"{filename}: {self.where}", self.value, self.problem)


def check_index(path: str, value: Any, size: int) -> None:
    """Raise :class:`InputError` at ``path`` unless ``value`` indexes one of ``size`` entries.

    Any whole number counts (``numpy`` integers too), but not ``True``/``False``.
    """
    if isinstance(value, bool) or not isinstance(value, Integral) or not 0 <= value < size:
        raise InputError(path, value, f"refers to nothing (valid: 0..{size - 1})")
