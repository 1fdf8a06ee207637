"""The printable audit report a 督导 hands to the school: ``audit.xlsx`` and ``audit.html``
(and ``compare.xlsx`` / ``compare.html`` for the 阴阳课表 comparison).

Both files are rendered in memory first and then written atomically, so a failure
leaves no half-written report. The workbook prints on A4, fitted to the width.
"""

from __future__ import annotations

import io
from datetime import date
from html import escape
from pathlib import Path
from typing import Any, Sequence

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from ..models.audit import AuditResult, Comparison, rule_rows, worst_first
from ..models.checker import summary_line
from ..models.violation import Violation
from .excel import BORDER, CENTER, LEFT, _font, _head, _page_setup, _title
from .files import write_atomic
from .html_site import CSS

__all__ = ["write_audit_report", "write_compare_report", "audit_workbook", "audit_html",
           "compare_workbook", "compare_html"]

_DETAIL = ("序号 No.", "规则 Rule", "班级 Class", "教师 Teacher", "学科 Subject", "星期 Day",
           "节次 Period", "说明 What was found")


def _facts(result: AuditResult) -> list[tuple[str, str]]:
    school = result.school
    plan = ("由课表推断，并与课程方案对照 read off the timetable, checked against the curriculum"
            if result.inferred else "学校文件 the school file")
    return [
        ("学校 School", school.name),
        ("课表文件 File", result.source),
        ("课表形式 Layout found", result.found),
        ("规模 Size", f"{len(school.classes)} 个班 classes · {len(school.teachers)} 位教师 "
                      f"teachers · {len(result.timetable.lessons)} 节课 lessons a week"),
        ("政策配置 Profile", result.policy.name),
        ("课程计划 Plan", plan),
        ("作息时间 Bells", result.bells),
        ("审计日期 Date", date.today().isoformat()),
        ("结论 Verdict", _verdict(result)),
    ]


def _verdict(result: AuditResult) -> str:
    if result.compliant:
        return "合规 COMPLIANT — 未发现硬性违规 no hard violation found"
    rules = sum(1 for r in rule_rows(result.violations) if r[3])
    return (f"不合规 NOT COMPLIANT — {len(result.hard)} 处硬性违规，涉及 {rules} 条规则 "
            f"hard violation(s) in {rules} rule(s)")


def _detail_rows(violations: Sequence[Violation]) -> list[list[Any]]:
    rows = []
    for found in worst_first(violations).values():
        for v in found:
            rows.append([len(rows) + 1, v.rule, v.cls or "", v.teacher or "", v.subject or "",
                         v.day or "", v.period or "", v.message])
    return rows


# --- Excel -------------------------------------------------------------------------------

def _table(ws: Any, row: int, header: Sequence[str], rows: Sequence[Sequence[Any]],
           left: Sequence[int] = ()) -> int:
    for col, text in enumerate(header, start=1):
        _head(ws.cell(row, col, text))
    for values in rows:
        row += 1
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row, col, value)
            cell.font, cell.border = _font(), BORDER
            cell.alignment = LEFT if col in left else CENTER
    return row + 2


def _widths(ws: Any, widths: Sequence[float]) -> None:
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w


def audit_workbook(result: AuditResult) -> bytes:
    """``audit.xlsx``: 审计报告 (the facts, the verdict, one row per broken rule, the
    notes), 违规明细 (every hard violation: rule, class, teacher, subject, day, period,
    sentence) and 质量提示 (the soft rules' cases)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "审计报告"
    _title(ws, f"{result.school.name} 课表审计报告", "Timetable audit report · jianfu 减负",
                 6)
    row = 4
    for key, value in _facts(result):
        ws.cell(row, 1, key).font = _font(bold=True)
        cell = ws.cell(row, 2, value)
        bad = key.startswith("结论") and not result.compliant
        cell.font = _font(bold=key.startswith("结论"),
                          color=("9C0006" if bad else "006100") if key.startswith("结论") else None)
        cell.alignment = LEFT
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=6)
        row += 1
    row += 1
    rules = rule_rows(result.violations)
    if rules:
        row = _table(ws, row, ["规则 Rule", "中文", "English", "类别 Kind", "处数 Cases",
                               "合计 Amount"],
                     [[r, zh, en, "硬 hard" if hard else "软 soft", n, amount]
                      for r, zh, en, hard, n, amount in rules], left=(1, 2, 3))
    else:
        ws.cell(row, 1, "未发现任何违规 nothing found").font = _font(bold=True)
        row += 2
    if result.notes:
        ws.cell(row, 1, "说明 Notes").font = _font(bold=True)
        for note in result.notes:
            row += 1
            ws.cell(row, 1, f"· {note}").alignment = LEFT
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=6)
            ws.row_dimensions[row].height = 30
    _widths(ws, (22, 20, 26, 10, 10, 10))
    _page_setup(ws, "1:2")
    for title, hard in (("违规明细", True), ("质量提示", False)):
        found = [v for v in result.violations if v.hard == hard]
        sheet = wb.create_sheet(title)
        heading = "硬性违规明细 Hard violations" if hard else "质量提示（软规则） Soft rules"
        _title(sheet, f"{result.school.name} {heading}",
                     f"{len(found)} 条 records · {summary_line(result.summary)}", len(_DETAIL))
        _table(sheet, 4, _DETAIL, _detail_rows(found), left=(8,))
        _widths(sheet, (7, 16, 14, 12, 12, 8, 8, 70))
        sheet.freeze_panes = "A5"
        _page_setup(sheet, "1:4", landscape=True)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- HTML --------------------------------------------------------------------------------

_EXTRA_CSS = """
table.report td, table.report th { text-align: left; font-size: .9rem; }
table.report td.n { text-align: center; font-variant-numeric: tabular-nums; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 8px 0; }
dl.facts dt { font-weight: 700; } dl.facts dd { margin: 0; }
@media print { table.report { page-break-inside: auto; } tr { page-break-inside: avoid; } }
"""


def _html_page(title: str, body: str) -> str:
    return ('<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<meta name="generator" content="jianfu 减负">\n'
            f"<title>{escape(title)}</title>\n<style>{CSS}{_EXTRA_CSS}</style>\n</head>\n"
            f"<body>\n{body}\n<footer>jianfu 减负 生成 generated · {date.today().isoformat()}"
            "</footer>\n</body>\n</html>\n")


def _html_table(header: Sequence[str], rows: Sequence[Sequence[Any]],
                numeric: Sequence[int] = ()) -> str:
    out = ['<div class="wrap"><table class="report"><thead><tr>'
           + "".join(f"<th>{escape(h)}</th>" for h in header) + "</tr></thead><tbody>"]
    for row in rows:
        out.append("<tr>" + "".join(
            ('<td class="n">' if i in numeric else "<td>") + f"{escape(str(v))}</td>"
            for i, v in enumerate(row)) + "</tr>")
    out.append("</tbody></table></div>")
    return "\n".join(out)


def audit_html(result: AuditResult) -> str:
    """``audit.html``: the same report as the workbook, one printable page."""
    facts = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in _facts(result)
                    if not k.startswith("结论"))
    cls = "ok" if result.compliant else "bad"
    body = [f"<header><h1>{escape(result.school.name)} 课表审计报告</h1>"
            f'<p class="sub">Timetable audit report</p></header>',
            f'<div class="verdict {cls}">{escape(_verdict(result))}</div>',
            f'<dl class="facts">{facts}</dl>']
    rules = rule_rows(result.violations)
    body.append("<h2>各规则 By rule</h2>")
    header = ["规则 Rule", "中文", "English", "类别 Kind", "处数 Cases", "合计 Amount"]
    body.append(_html_table(header, [[r, zh, en, "硬 hard" if hard else "软 soft", n, f"{amount:g}"]
                                     for r, zh, en, hard, n, amount in rules],
                            numeric=(3, 4, 5))
                if rules else "<p>未发现任何违规 nothing found</p>")
    hard = [v for v in result.violations if v.hard]
    body.append(f"<h2>硬性违规明细 Hard violations ({len(hard)})</h2>")
    body.append(_html_table(_DETAIL, _detail_rows(hard), numeric=(0, 5, 6))
                if hard else "<p>无 none</p>")
    soft = [v for v in result.violations if not v.hard]
    if soft:
        body.append(f'<details class="noprint"><summary>质量提示（软规则） Soft rules '
                    f"({len(soft)})</summary>"
                    + _html_table(_DETAIL, _detail_rows(soft), numeric=(0, 5, 6)) + "</details>")
    if result.notes:
        body.append("<h2>说明 Notes</h2><ul>"
                    + "".join(f"<li>{escape(n)}</li>" for n in result.notes) + "</ul>")
    return _html_page(f"{result.school.name} 课表审计报告", "\n".join(body))


def write_audit_report(out_dir: str | Path, result: AuditResult) -> list[Path]:
    """Write ``audit.xlsx`` and ``audit.html`` into ``out_dir``; return their paths."""
    out = Path(out_dir)
    xlsx, html = audit_workbook(result), audit_html(result)   # rendered before any is written
    write_atomic(out / "audit.xlsx", xlsx)
    write_atomic(out / "audit.html", html)
    return [out / "audit.xlsx", out / "audit.html"]


# --- the 阴阳课表 comparison --------------------------------------------------------------

_DIFF = ("班级 Class", "星期 Day", "节次 Period", "公布 Published", "公布教师 teacher",
         "实际 Taught", "实际教师 teacher")


def _diff_rows(cmp: Comparison) -> list[list[Any]]:
    return [[d.cls, d.day, d.period, d.published, d.published_teacher or "", d.taught,
             d.taught_teacher or ""] for d in cmp.differences]


def _replacement_rows(cmp: Comparison) -> list[list[Any]]:
    return [[r.taught, r.published, r.periods, "是 yes" if r.squeezed else ""]
            for r in cmp.replacements]


_REPLACED = ("实际 Taught", "← 公布 Published", "节数 Periods", "主科挤占 Taken by 语数外")


def _compare_verdict(cmp: Comparison) -> str:
    if cmp.identical:
        return f"一致 IDENTICAL — {cmp.periods} 节完全相同 all {cmp.periods} periods agree"
    return (f"不一致 DIFFERENT — {len(cmp.differences)} 节不同，涉及 {len(cmp.classes)} 个班 "
            f"{len(cmp.differences)} period(s) differ in {len(cmp.classes)} class(es)")


def compare_workbook(cmp: Comparison) -> bytes:
    """``compare.xlsx``: 比对结果 (files, verdict, the replacement counts) and 逐节差异
    (every period that differs)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "比对结果"
    _title(ws, f"{cmp.school} 阴阳课表比对", "Published against taught timetable", 4)
    row = 4
    for key, value in (("公布课表 Published", f"{cmp.published} — {cmp.published_found}"),
                       ("实际课表 Taught", f"{cmp.taught} — {cmp.taught_found}"),
                       ("结论 Verdict", _compare_verdict(cmp))):
        ws.cell(row, 1, key).font = _font(bold=True)
        ws.cell(row, 2, value).alignment = LEFT
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
        row += 1
    _table(ws, row + 1, _REPLACED, _replacement_rows(cmp))
    _widths(ws, (22, 22, 12, 22))
    _page_setup(ws, "1:2")
    sheet = wb.create_sheet("逐节差异")
    _title(sheet, f"{cmp.school} 逐节差异 Every period that differs",
                 _compare_verdict(cmp), len(_DIFF))
    _table(sheet, 4, _DIFF, _diff_rows(cmp))
    _widths(sheet, (14, 8, 8, 16, 12, 16, 12))
    sheet.freeze_panes = "A5"
    _page_setup(sheet, "1:4", landscape=True)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def compare_html(cmp: Comparison) -> str:
    """``compare.html``: the same comparison, one printable page."""
    cls = "ok" if cmp.identical else "bad"
    body = [f"<header><h1>{escape(cmp.school)} 阴阳课表比对</h1>"
            '<p class="sub">Published against taught timetable</p></header>',
            f'<div class="verdict {cls}">{escape(_compare_verdict(cmp))}</div>',
            '<dl class="facts">'
            f"<dt>公布课表 Published</dt><dd>{escape(cmp.published)} — "
            f"{escape(cmp.published_found)}</dd>"
            f"<dt>实际课表 Taught</dt><dd>{escape(cmp.taught)} — "
            f"{escape(cmp.taught_found)}</dd></dl>"]
    if not cmp.identical:
        body.append("<h2>学科替换 Subjects replaced</h2>")
        body.append(_html_table(_REPLACED, _replacement_rows(cmp), numeric=(2,)))
        body.append(f"<h2>逐节差异 Every period that differs ({len(cmp.differences)})</h2>")
        body.append(_html_table(_DIFF, _diff_rows(cmp), numeric=(2,)))
    return _html_page(f"{cmp.school} 阴阳课表比对", "\n".join(body))


def write_compare_report(out_dir: str | Path, cmp: Comparison) -> list[Path]:
    """Write ``compare.xlsx`` and ``compare.html`` into ``out_dir``; return their paths."""
    out = Path(out_dir)
    xlsx, html = compare_workbook(cmp), compare_html(cmp)
    write_atomic(out / "compare.xlsx", xlsx)
    write_atomic(out / "compare.html", html)
    return [out / "compare.xlsx", out / "compare.html"]
