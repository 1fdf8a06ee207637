"""Homework plans as text and tables: the weekly table, the summary, a DataFrame."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

import numpy as np

from ...models.homework import ORAL, WEEKEND, WRITTEN, HomeworkPlan
from ...models.policy import Policy

if TYPE_CHECKING:
    import pandas as pd


def plan_frame(plan: HomeworkPlan) -> "pd.DataFrame":
    """The plan as a tidy DataFrame ``class, day, subject, minutes, kind`` (non-zero
    cells; ``kind`` is 书面 written or 口头 oral/practical)."""
    import pandas as pd

    return pd.DataFrame(plan.quota_rows(), columns=["class", "day", "subject", "minutes", "kind"])


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - _width(text))
    return gap + text if right else text + gap


def format_weekly_table(plan: HomeworkPlan, cls: int | None = None) -> str:
    """Per-class weekly tables: subjects (Chinese names) × days, with totals and targets.

    A class with oral/practical minutes (grades 1–2) gets a table of those instead,
    with its written total (0) as the last row.
    """
    minutes, oral = plan.array(), plan.oral_array()
    target = {(r.cls, r.subject): r for r in plan.targets}
    blocks = []
    for c in range(len(plan.classes)) if cls is None else [cls]:
        head = ["学科"] + list(plan.days) + ["合计", "目标"]
        body = []
        totals = minutes[c].sum(axis=1)
        if oral[c].any():
            title = (f"{plan.classes[c]} 每日口头/实践作业（分钟） daily oral/practical homework "
                     f"(minutes); 一二年级书面作业 0 (grades 1–2: no written homework)")
            for s in np.flatnonzero(oral[c].any(axis=0)):
                body.append([f"{plan.subjects[s]} {ORAL}"]
                            + [str(v) if v else "·" for v in oral[c, :, s]]
                            + [str(int(oral[c, :, s].sum())), "–"])
            oral_totals = oral[c].sum(axis=1)
            body.append([f"合计 {ORAL}"] + [str(int(v)) for v in oral_totals]
                        + [str(int(oral_totals.sum())), ""])
            body.append([f"合计 {WRITTEN}"] + [str(int(v)) for v in totals]
                        + [str(int(totals.sum())), ""])
        else:
            title = f"{plan.classes[c]} 每日书面作业（分钟） daily written homework (minutes)"
            for s in range(len(plan.subjects)):
                if not (minutes[c, :, s].any() or (c, s) in target):
                    continue
                row = [plan.subjects[s]] + [str(v) if v else "·" for v in minutes[c, :, s]]
                t = target.get((c, s))
                row += [str(int(minutes[c, :, s].sum())), f"{t.target:.0f}" if t else "–"]
                body.append(row)
            body.append(["合计"] + [str(int(v)) for v in totals] + [str(int(totals.sum())), ""])
        widths = [max(_width(r[i]) for r in [head] + body) for i in range(len(head))]
        lines = [title]
        for r in [head] + body:
            lines.append("  ".join(_pad(v, widths[i], right=i > 0) for i, v in enumerate(r)))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def format_plan_summary(plan: HomeworkPlan, policy: Policy | None = None, *,
                        verbose: bool = False) -> str:
    """Metrics and every target that had to be reduced (honestly reported); the solver's
    figures (objective, rounding, kernel iterations) only with ``verbose``.

    With ``policy``, its publication notes are added (``no_noon_homework``: the plan is
    evening homework only; the weekend bucket when weekends are controlled).
    """
    lines = [f"作业总量统筹 Homework plan — {plan.school} ({plan.profile})"]
    if policy is not None and policy.no_noon_homework:
        lines.append("  中午不布置作业: 本计划只安排晚间作业 "
                     "(no homework at noon: this plan is evening homework only)")
    if plan.weekend:
        lines.append(f"  {WEEKEND}: 由最后一个上课日的学科布置, 上限为双休日上限 "
                     "(weekend bucket: set by the last school day's subjects, weekend cap)")
    lines += _oral_lines(plan, policy)
    rows = plan.metrics.rows(technical=verbose)
    width = max(_width(k) for k, _ in rows)
    lines += [f"  {_pad(k, width)}  {v}" for k, v in rows]
    reduced = [r for r in plan.targets if r.infeasible]
    if reduced:
        lines.append("目标超出上限, 已削减 Targets above what the caps allow (reduced):")
        for r in reduced:
            lines.append(f"  {plan.classes[r.cls]} {plan.subjects[r.subject]}: 目标 target "
                         f"{r.target:.0f}, 上限允许 caps allow {r.capacity:.0f}, "
                         f"计划 planned {r.planned}")
    return "\n".join(lines)


def _oral_lines(plan: HomeworkPlan, policy: Policy | None) -> list[str]:
    """The oral/practical homework of grades 1–2 in one or two summary lines."""
    oral = plan.oral_array()
    classes = [c for c in range(len(plan.classes)) if oral[c].any()]
    if not classes:
        return []
    line = (f"  口头/实践作业 oral/practical (一二年级 grades 1–2, 书面作业 0 written): "
            f"{len(classes)} 个班 classes, 最多 max {int(oral.sum(axis=2).max(initial=0))} "
            f"分钟/天 min/day")
    if policy is not None:
        most = policy.lower_grades_max_oral_subjects
        line += (f"; 上限 limit {policy.lower_grades_oral_minutes} 分钟/天 min/day"
                 + (f", 每天至多 {most} 科 at most {most} subject(s) a day"
                    if most is not None else ""))
    return [line]
