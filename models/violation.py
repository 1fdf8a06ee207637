"""Violation records shared by the timetable and homework checkers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Violation:
    """One broken rule.

    ``rule`` is a stable id (``teacher_clash``); ``hard`` says whether the timetable is
    non-compliant; ``amount`` is how much (periods, minutes, count) and for soft rules
    the penalty units; ``weight`` multiplies it into the objective. Entity fields are
    names (for people); unused ones are ``None``; ``week`` is the week of a two-week
    cycle (单双周: 1 单周, 2 双周) the violation is found in, ``None`` when in every week.
    ``message`` is Chinese with English alongside, a sentence a 教务处 clerk can act on.
    """

    rule: str
    hard: bool
    message: str
    amount: float = 1
    weight: float = 0
    cls: str | None = None
    teacher: str | None = None
    venue: str | None = None
    subject: str | None = None
    day: str | None = None
    period: int | None = None   # 1-based, as printed on a timetable
    week: int | None = None     # 1 单周, 2 双周; None: every week

    @property
    def cost(self) -> float:
        return self.amount * self.weight

    def as_dict(self) -> dict[str, object]:
        return {k: getattr(self, k) for k in self.__slots__ if getattr(self, k) is not None}
