"""Homework plans as text and tables: the weekly table, the summary, a DataFrame."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from ...models.homework import WEEKEND, HomeworkPlan
from ...models.policy import Policy

if TYPE_CHECKING:
    import pandas as pd


def plan_frame(plan: HomeworkPlan) -> "pd.DataFrame":
    """The plan as a tidy DataFrame ``class, day, subject, minutes`` (non-zero cells)."""
    import pandas as pd

    return pd.DataFrame(plan.rows(), columns=["class", "day", "subject", "minutes"])


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - _width(text))
    return gap + text if right else text + gap


def format_weekly_table(plan: HomeworkPlan, cls: int | None = None) -> str:
    """Per-class weekly tables: subjects (Chinese names) × days, with totals and targets."""
    minutes = plan.array()
    target = {(r.cls, r.subject): r for r in plan.targets}
    blocks = []
    for c in range(len(plan.classes)) if cls is None else [cls]:
        subjects = [s for s in range(len(plan.subjects))
                    if minutes[c, :, s].any() or (c, s) in target]
        head = ["学科"] + list(plan.days) + ["合计", "目标"]
        body = []
        for s in subjects:
            row = [plan.subjects[s]] + [str(v) if v else "·" for v in minutes[c, :, s]]
            t = target.get((c, s))
            row += [str(int(minutes[c, :, s].sum())), f"{t.target:.0f}" if t else "–"]
            body.append(row)
        totals = minutes[c].sum(axis=1)
        body.append(["合计"] + [str(int(v)) for v in totals] + [str(int(totals.sum())), ""])
        widths = [max(_width(r[i]) for r in [head] + body) for i in range(len(head))]
        lines = [f"{plan.classes[c]} 每日书面作业（分钟） daily written homework (minutes)"]
        for r in [head] + body:
            lines.append("  ".join(_pad(v, widths[i], right=i > 0) for i, v in enumerate(r)))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def format_plan_summary(plan: HomeworkPlan, policy: Policy | None = None) -> str:
    """Metrics and every target that had to be reduced (honestly reported).

    With ``policy``, its publication notes are added (``no_noon_homework``: the plan is
    evening homework only; the weekend bucket when weekends are controlled).
    """
    lines = [f"作业总量统筹 Homework plan — {plan.school} ({plan.profile})"]
    if policy is not None and policy.no_noon_homework:
        lines.append("  中午不布置作业: 本计划只安排晚间书面作业 "
                     "(no homework at noon: this plan is evening written homework only)")
    if plan.weekend:
        lines.append(f"  {WEEKEND}: 由最后一个上课日的学科布置, 上限为双休日上限 "
                     "(weekend bucket: set by the last school day's subjects, weekend cap)")
    width = max(_width(k) for k, _ in plan.metrics.rows())
    lines += [f"  {_pad(k, width)}  {v}" for k, v in plan.metrics.rows()]
    reduced = [r for r in plan.targets if r.infeasible]
    if reduced:
        lines.append("目标超出上限, 已削减 Targets above what the caps allow (reduced):")
        for r in reduced:
            lines.append(f"  {plan.classes[r.cls]} {plan.subjects[r.subject]}: 目标 target "
                         f"{r.target:.0f}, 上限允许 caps allow {r.capacity:.0f}, "
                         f"计划 planned {r.planned}")
    return "\n".join(lines)
