"""The district audit's answer (``jianfu audit DIR``): one :class:`SchoolAudit` per school
submission of a folder, gathered in a :class:`DistrictAudit`, and its text report.

A submission is read and checked by :func:`jianfu.instances.audit.audit_file`; one that
cannot be read keeps the reason (the file, sheet and cell) instead of a result, so the
others are still audited (:func:`jianfu.instances.district_audit.audit_folder`). The
report files are written by :mod:`jianfu.instances.district_audit_report`.

This module imports no solver and no reader.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any, Sequence

from .audit import AuditResult, rule_name, worst_first
from .checker import HARD_RULES, SOFT_RULES
from .violation import Violation

__all__ = ["SchoolAudit", "DistrictAudit", "DistrictRule", "VERDICTS", "LAYOUT_NAMES",
           "format_district", "worst_cases"]

#: A school's verdict id → (中文, English): the words of the report.
VERDICTS: dict[str, tuple[str, str]] = {
    "compliant": ("合规", "compliant"),
    "not_compliant": ("不合规", "not compliant"),
    "unreadable": ("无法读取", "unreadable"),
}

#: The shape a reader found (:data:`jianfu.instances.audit_io.LAYOUTS`), in a few words.
LAYOUT_NAMES: dict[str, str] = {
    "master": "总课表 whole-school sheet",
    "per_class": "分班课表 per-class sheets",
    "rows": "逐节列表 one row per lesson",
    "fet": "FET 课表 FET result",
    "json": "jianfu JSON",
}


def worst_cases(violations: Sequence[Violation], n: int = 3) -> list[str]:
    """The sentences of the ``n`` worst hard violations: the largest case of each broken
    rule in the report's order, then the second of each, and so on (so three cases name
    three rules when three are broken)."""
    grouped = [found for found in worst_first(v for v in violations if v.hard).values()]
    out: list[str] = []
    depth = 0
    while len(out) < n and any(depth < len(found) for found in grouped):
        for found in grouped:
            if depth < len(found) and len(out) < n:
                out.append(found[depth].message)
        depth += 1
    return out


@dataclass(frozen=True)
class SchoolAudit:
    """One school's submission: a file, or a folder holding its timetable.

    ``name`` is the submission's name (the file's stem, the folder's name): the school in
    the district report. ``path`` is the submission relative to the district folder;
    ``files`` the files read (the timetable first, then the school file and the bells
    file used). Exactly one of ``result`` (the audit) and ``error`` (why it could not be
    read, naming the file, sheet and cell) is set. ``notes`` are what the reading
    assumed beyond the audit's own notes (an encoding, the file chosen of several).
    """

    name: str
    path: str
    files: tuple[str, ...] = ()
    result: AuditResult | None = None
    error: str | None = None
    notes: tuple[str, ...] = ()
    seconds: float = 0.0

    def __post_init__(self) -> None:
        if (self.result is None) == (self.error is None):
            raise ValueError("a SchoolAudit has either a result or an error")

    @property
    def verdict(self) -> str:
        """``compliant``, ``not_compliant`` or ``unreadable`` (:data:`VERDICTS`)."""
        if self.result is None:
            return "unreadable"
        return "compliant" if self.result.compliant else "not_compliant"

    @property
    def verdict_text(self) -> str:
        return VERDICTS[self.verdict][0]

    @property
    def school_name(self) -> str:
        """The school's name as its file writes it (a title, a 学校 column), else ``name``."""
        return self.result.school.name if self.result is not None else self.name

    @property
    def layout(self) -> str:
        """The shape found, in a few words ('' when unreadable)."""
        return LAYOUT_NAMES.get(self.result.layout, self.result.layout) if self.result else ""

    @property
    def plan(self) -> str:
        if self.result is None:
            return ""
        return "由课表推断 read off the timetable" if self.result.inferred else \
            "学校文件 the school file"

    @property
    def violations(self) -> tuple[Violation, ...]:
        return self.result.violations if self.result is not None else ()

    @property
    def hard(self) -> int:
        return self.result.summary.hard if self.result is not None else 0

    @property
    def hard_by_rule(self) -> dict[str, int]:
        """Hard violations per broken rule, in the report's order."""
        if self.result is None:
            return {}
        return {r: n for r, n in self.result.summary.hard_by_rule.items() if n}

    @property
    def quality_points(self) -> float | None:
        """The soft rules' total (the objective; lower is better), ``None`` when unreadable."""
        return self.result.summary.objective if self.result is not None else None

    def worst(self, n: int = 3) -> list[str]:
        """The sentences of the school's ``n`` worst hard violations (:func:`worst_cases`)."""
        return worst_cases(self.violations, n)

    @property
    def all_notes(self) -> tuple[str, ...]:
        return self.notes + (self.result.notes if self.result is not None else ())


@dataclass(frozen=True, slots=True)
class DistrictRule:
    """One rule broken somewhere in the district: the schools breaking it (with their
    counts, by name) and the district's total of records and amounts."""

    rule: str
    zh: str
    en: str
    hard: bool
    schools: tuple[tuple[str, int], ...]
    cases: int
    amount: float

    @property
    def school_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.schools)


@dataclass(frozen=True)
class DistrictAudit:
    """Every submission of a district folder, by name. ``seconds`` is the whole audit's
    time (not in the report files, which say only what was found)."""

    folder: str
    schools: tuple[SchoolAudit, ...]
    profile: str | None = None
    seconds: float = 0.0

    def by_verdict(self, verdict: str) -> tuple[SchoolAudit, ...]:
        return tuple(s for s in self.schools if s.verdict == verdict)

    @property
    def compliant(self) -> tuple[SchoolAudit, ...]:
        return self.by_verdict("compliant")

    @property
    def not_compliant(self) -> tuple[SchoolAudit, ...]:
        return self.by_verdict("not_compliant")

    @property
    def unreadable(self) -> tuple[SchoolAudit, ...]:
        return self.by_verdict("unreadable")

    @property
    def all_compliant(self) -> bool:
        """Every school read and compliant (the command's exit 0)."""
        return bool(self.schools) and len(self.compliant) == len(self.schools)

    def rules(self) -> list[DistrictRule]:
        """Per rule broken by any school: hard rules first, each in the report's order;
        its schools with the most records first (then by name)."""
        order = [r for r, *_ in HARD_RULES] + [r for r, *_ in SOFT_RULES]
        per: dict[str, dict[str, list[Violation]]] = {}
        for s in self.schools:
            for v in s.violations:
                per.setdefault(v.rule, {}).setdefault(s.name, []).append(v)
        hard_of = {r: any(v.hard for found in by.values() for v in found)
                   for r, by in per.items()}
        rank = {r: i for i, r in enumerate(order)}
        out = []
        for rule in sorted(per, key=lambda r: (not hard_of[r], rank.get(r, len(rank)), r)):
            zh, en = rule_name(rule)
            by = per[rule]
            schools = tuple(sorted(((name, len(found)) for name, found in by.items()),
                                   key=lambda x: (-x[1], x[0])))
            out.append(DistrictRule(rule, zh, en, hard_of[rule], schools,
                                    sum(len(f) for f in by.values()),
                                    sum(v.amount for f in by.values() for v in f)))
        return out

    def summary_line(self) -> str:
        n, k, m, r = (len(self.schools), len(self.compliant), len(self.not_compliant),
                      len(self.unreadable))
        return (f"{n} 所学校：{k} 所合规，{m} 所不合规，{r} 所无法读取 — {n} school"
                f"{'s' if n != 1 else ''}: {k} compliant, {m} not compliant, {r} unreadable")

    def as_dict(self) -> dict[str, Any]:
        """The audit as plain data (``--json``): the counts, each school, each rule."""
        return {
            "folder": self.folder, "profile": self.profile,
            "schools": len(self.schools), "compliant": len(self.compliant),
            "not_compliant": len(self.not_compliant), "unreadable": len(self.unreadable),
            "results": [{
                "name": s.name, "path": s.path, "files": list(s.files), "verdict": s.verdict,
                "school": s.school_name, "layout": s.result.layout if s.result else None,
                "hard": s.hard, "hard_by_rule": s.hard_by_rule,
                "quality_points": s.quality_points, "worst": s.worst(), "error": s.error,
                "notes": list(s.all_notes)} for s in self.schools],
            "rules": [{"rule": r.rule, "hard": r.hard, "cases": r.cases,
                       "schools": dict(r.schools)} for r in self.rules()],
        }


# --------------------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------------------
def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    gap = " " * max(0, width - _width(text))
    return gap + text if right else text + gap


def _num(x: float | None) -> str:
    if x is None:
        return "—"
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]],
           right: Sequence[int] = ()) -> list[str]:
    widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(header)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(_pad(c, w, i in right)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    return [line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def format_district(audit: DistrictAudit, *, worst: int = 3) -> str:
    """The district report's first page as text: the summary line, one row per school
    (verdict, hard violations by rule, quality points, shape found), one line per hard
    rule broken (the schools breaking it), the unreadable schools' reasons and each
    non-compliant school's ``worst`` worst cases."""
    lines = [f"区域课表审计 District timetable audit: {audit.folder}"
             + (f" · 政策 profile {audit.profile}" if audit.profile else ""),
             audit.summary_line(), ""]
    rows = []
    for i, s in enumerate(audit.schools, start=1):
        rules = "、".join(f"{r} {n}" for r, n in s.hard_by_rule.items())
        rows.append([str(i), s.name, s.verdict_text, str(s.hard) if s.result else "—",
                     rules or ("—" if s.result is None else ""), _num(s.quality_points),
                     s.layout.split(" ")[0] if s.layout else "—"])
    lines += _table(["序号", "学校 School", "结论 Verdict", "硬性违规 Hard", "违规规则 Rules broken",
                     "质量扣分 Quality", "课表形式 Layout"], rows, right=(0, 3, 5))
    hard = [r for r in audit.rules() if r.hard]
    lines += ["", "各规则 By rule (硬性 hard)"]
    if not hard:
        lines.append("  无 none — 没有学校违反硬性规则 no school breaks a hard rule")
    for r in hard:
        names = "、".join(f"{name}（{n}）" for name, n in r.schools)
        lines.append(f"  {r.rule} {r.zh} — {len(r.schools)} 所学校 school(s), {r.cases} 处 "
                     f"case(s): {names}")
    if audit.unreadable:
        lines += ["", "无法读取 Unreadable"]
        lines += [f"  {s.name}: {s.error}" for s in audit.unreadable]
    if audit.not_compliant and worst:
        lines += ["", "最突出的问题 Worst cases"]
        for s in audit.not_compliant:
            lines.append(f"  {s.name}")
            lines += [f"    - {m}" for m in s.worst(worst)]
    return "\n".join(lines)
