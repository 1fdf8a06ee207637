"""The district audit report a 教育局 / 督导 keeps: ``district_audit.xlsx``,
``district_audit.html`` and ``district_audit.csv`` (:class:`DistrictAudit`).

- ``district_audit.xlsx``: 汇总 (the folder, the counts, the schools that need attention),
  学校 (one row per school: file, shape found, verdict, hard violations by rule, quality
  points, the worst cases, notes or the reason it could not be read), 规则 (one row per
  rule broken: the schools breaking it) and 明细 (every case: school, rule, class,
  teacher, subject, day, period, sentence; an unreadable school one row with its reason);
- ``district_audit.html``: the summary, the school and rule tables and each
  non-compliant school's hard violations, one printable A4 page, Chinese first;
- ``district_audit.csv``: the rows of 明细, UTF-8 with a byte-order mark so Excel opens
  it by double-click.

All three are rendered in memory first, then each is written atomically.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from html import escape
from pathlib import Path
from typing import Any, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment

from ..models.audit import worst_first
from ..models.district_audit import DistrictAudit, SchoolAudit
from .audit_report import _html_page, _html_table, _table, _widths
from .excel import _title
from .district_audit import REPORT_NAMES, check_report_dir
from .excel import _font, _page_setup
from .files import write_atomic

__all__ = ["district_workbook", "district_html", "district_csv", "detail_rows",
           "write_district_report", "DETAIL_COLUMNS"]

#: The columns of 明细 and of ``district_audit.csv``.
DETAIL_COLUMNS = ("学校 School", "文件 File", "结论 Verdict", "规则 Rule", "规则名称 Rule name",
                  "类别 Kind", "班级 Class", "教师 Teacher", "学科 Subject", "星期 Day",
                  "节次 Period", "单双周 Week", "数量 Amount", "说明 What was found")

_SCHOOL_COLUMNS = ("序号 No.", "学校 School", "文件 File", "文件中的校名 Name in the file",
                   "课表形式 Layout found", "课程计划 Plan", "结论 Verdict", "硬性违规 Hard",
                   "各规则 By rule", "质量扣分 Quality points", "最突出的问题 Worst cases",
                   "说明或原因 Notes or reason")

_RULE_COLUMNS = ("规则 Rule", "中文", "English", "类别 Kind", "学校数 Schools", "处数 Cases",
                 "涉及学校 Schools breaking it")

_QUALITY_NOTE = ("质量扣分：软规则（主科上午、教师空堂、分散安排等）的加权合计，越低越好，不影响合规 — "
                 "quality points: the soft rules' weighted total, lower is better; not a "
                 "matter of compliance")


def _num(x: float | None) -> Any:
    if x is None:
        return ""
    return int(x) if float(x).is_integer() else round(float(x), 3)


def _by_rule(s: SchoolAudit) -> str:
    from ..models.audit import rule_name

    return "；".join(f"{rule_name(r)[0]}（{r}）{n} 处" for r, n in s.hard_by_rule.items())


def _file(s: SchoolAudit) -> str:
    return "、".join(s.files) if s.files else s.path


def _school_row(i: int, s: SchoolAudit) -> list[Any]:
    notes = s.error if s.error else "\n".join(s.all_notes)
    return [i, s.name, _file(s), s.school_name if s.result else "", s.layout, s.plan,
            s.verdict_text, s.hard if s.result else "", _by_rule(s), _num(s.quality_points),
            "\n".join(s.worst()), notes]


def _rule_row(r: Any) -> list[Any]:
    return [r.rule, r.zh, r.en, "硬 hard" if r.hard else "软 soft", len(r.schools), r.cases,
            "、".join(f"{name}（{n}）" for name, n in r.schools)]


def detail_rows(audit: DistrictAudit) -> list[list[Any]]:
    """The rows of 明细 and of the CSV (:data:`DETAIL_COLUMNS`): per school by name, its
    hard violations (worst first in each rule), then its soft ones; an unreadable school
    one row with its reason."""
    from ..models.audit import rule_name

    rows = []
    for s in audit.schools:
        if s.result is None:
            rows.append([s.name, _file(s), s.verdict_text, "", "", "", "", "", "", "", "", "",
                         "", s.error])
            continue
        for hard in (True, False):
            for found in worst_first(v for v in s.violations if v.hard == hard).values():
                for v in found:
                    rows.append([s.name, _file(s), s.verdict_text, v.rule, rule_name(v.rule)[0],
                                 "硬 hard" if v.hard else "软 soft", v.cls or "",
                                 v.teacher or "", v.subject or "", v.day or "",
                                 v.period or "", {1: "单", 2: "双"}.get(v.week or 0, ""),
                                 _num(v.amount), v.message])
    return rows


def _facts(audit: DistrictAudit) -> list[tuple[str, str]]:
    return [("文件夹 Folder", audit.folder),
            ("政策配置 Profile", audit.profile or "各校学校文件所定，否则 national — each school "
                                                "file's own, else national"),
            ("审计日期 Date", date.today().isoformat()),
            ("学校 Schools", str(len(audit.schools))),
            ("合规 Compliant", str(len(audit.compliant))),
            ("不合规 Not compliant", str(len(audit.not_compliant))),
            ("无法读取 Unreadable", str(len(audit.unreadable))),
            ("结论 Summary", audit.summary_line())]


def _attention(audit: DistrictAudit) -> list[list[Any]]:
    """The schools that need the bureau's attention: not compliant, then unreadable."""
    rows = []
    for s in audit.not_compliant:
        rows.append([s.name, s.verdict_text, s.hard, (s.worst(1) or [""])[0]])
    for s in audit.unreadable:
        rows.append([s.name, s.verdict_text, "", s.error])
    return rows


_ATTENTION = ("学校 School", "结论 Verdict", "硬性违规 Hard", "最突出的问题或原因 Worst case or reason")


# --- Excel -------------------------------------------------------------------------------

def _wrap(ws: Any, first_row: int, columns: Sequence[int]) -> None:
    for row in ws.iter_rows(min_row=first_row):
        for cell in row:
            if cell.column in columns:
                cell.alignment = Alignment(horizontal="left", vertical="top", wrap_text=True)


def district_workbook(audit: DistrictAudit) -> bytes:
    """``district_audit.xlsx``: 汇总, 学校, 规则, 明细 (see the module docstring)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    title = f"{Path(audit.folder).name} 区域课表审计汇总"
    _title(ws, title, "District timetable audit · jianfu 减负", 4)
    row = 4
    for key, value in _facts(audit):
        ws.cell(row, 1, key).font = _font(bold=True)
        cell = ws.cell(row, 2, value)
        if key.startswith("结论"):
            cell.font = _font(bold=True, color="006100" if audit.all_compliant else "9C0006")
        cell.alignment = Alignment(horizontal="left", vertical="center")
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
        row += 1
    row += 1
    attention = _attention(audit)
    if attention:
        ws.cell(row, 1, "需要关注的学校 Schools that need attention").font = _font(bold=True)
        first = row + 2
        row = _table(ws, row + 1, _ATTENTION, attention, left=(1, 4))
        _wrap(ws, first, (4,))
    else:
        ws.cell(row, 1, "所有学校均合规 every school is compliant").font = _font(bold=True)
        row += 2
    ws.cell(row, 1, _QUALITY_NOTE).font = _font(9, color="555555")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
    _widths(ws, (24, 14, 14, 70))
    _page_setup(ws, "1:2")

    sheet = wb.create_sheet("学校")
    _title(sheet, f"{title} · 各校 By school", audit.summary_line(), len(_SCHOOL_COLUMNS))
    _table(sheet, 4, _SCHOOL_COLUMNS, [_school_row(i, s) for i, s in
                                       enumerate(audit.schools, start=1)],
           left=(2, 3, 4, 5, 6, 9, 11, 12))
    _wrap(sheet, 5, (9, 11, 12))
    _widths(sheet, (6, 16, 22, 16, 18, 16, 9, 8, 28, 10, 60, 50))
    sheet.freeze_panes = "C5"
    _page_setup(sheet, "1:4", landscape=True)

    sheet = wb.create_sheet("规则")
    rules = audit.rules()
    _title(sheet, f"{title} · 各规则 By rule", f"{len(rules)} 条规则有违规或提示 rules with "
                                                   f"cases", len(_RULE_COLUMNS))
    _table(sheet, 4, _RULE_COLUMNS, [_rule_row(r) for r in rules], left=(1, 2, 3, 7))
    _wrap(sheet, 5, (7,))
    _widths(sheet, (20, 18, 30, 9, 9, 9, 60))
    sheet.freeze_panes = "A5"
    _page_setup(sheet, "1:4", landscape=True)

    sheet = wb.create_sheet("明细")
    details = detail_rows(audit)
    _title(sheet, f"{title} · 明细 Every case", f"{len(details)} 条 records",
                 len(DETAIL_COLUMNS) + 1)
    _table(sheet, 4, ("序号 No.", *DETAIL_COLUMNS),
           [[i, *r] for i, r in enumerate(details, start=1)], left=(2, 3, 15))
    _widths(sheet, (7, 16, 22, 9, 18, 16, 8, 12, 12, 12, 8, 8, 8, 8, 70))
    sheet.freeze_panes = "A5"
    sheet.auto_filter.ref = f"A4:O{4 + len(details)}"
    _page_setup(sheet, "1:4", landscape=True)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- HTML --------------------------------------------------------------------------------

_CSS = """
td.ok { color: #006100; font-weight: 700; } td.bad { color: #9c0006; font-weight: 700; }
td.gray { color: #5f6670; font-weight: 700; }
table.report td { vertical-align: top; }
h3 { margin: 14px 0 4px; font-size: 1rem; }
p.note { color: #5f6670; font-size: .8rem; }
@media print { h2 { page-break-after: avoid; } }
"""

_VERDICT_CLASS = {"compliant": "ok", "not_compliant": "bad", "unreadable": "gray"}


def _school_table(audit: DistrictAudit) -> str:
    header = ("序号 No.", "学校 School", "课表形式 Layout", "结论 Verdict", "硬性违规 Hard",
              "各规则 By rule", "质量扣分 Quality", "最突出的问题或原因 Worst cases or reason")
    out = ['<div class="wrap"><table class="report"><thead><tr>'
           + "".join(f"<th>{escape(h)}</th>" for h in header) + "</tr></thead><tbody>"]
    for i, s in enumerate(audit.schools, start=1):
        worst = s.worst() if s.result is not None else [s.error or ""]
        cells = [f'<td class="n">{i}</td>',
                 f"<td>{escape(s.name)}<br><small>{escape(_file(s))}</small></td>",
                 f"<td>{escape(s.layout)}</td>",
                 f'<td class="{_VERDICT_CLASS[s.verdict]}">{escape(s.verdict_text)}</td>',
                 f'<td class="n">{s.hard if s.result else "—"}</td>',
                 f"<td>{escape(_by_rule(s))}</td>",
                 f'<td class="n">{escape(str(_num(s.quality_points)))}</td>',
                 "<td>" + "<br>".join(escape(m) for m in worst) + "</td>"]
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table></div>")
    return "\n".join(out)


def district_html(audit: DistrictAudit, *, per_school: int = 20) -> str:
    """``district_audit.html``: the same report as the workbook on printable pages (each
    non-compliant school's hard violations up to ``per_school``, the rest in 明细)."""
    title = f"{Path(audit.folder).name} 区域课表审计汇总"
    facts = "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in _facts(audit)
                    if not k.startswith("结论"))
    cls = "ok" if audit.all_compliant else "bad"
    body = [(f"<header><h1>{escape(title)}</h1>"
             '<p class="sub">District timetable audit</p></header>'),
            f'<div class="verdict {cls}">{escape(audit.summary_line())}</div>',
            f'<dl class="facts">{facts}</dl>',
            "<h2>各校 By school</h2>", _school_table(audit),
            f'<p class="note">{escape(_QUALITY_NOTE)}</p>']
    hard = [r for r in audit.rules() if r.hard]
    body.append("<h2>各规则 By rule（硬性 hard）</h2>")
    body.append(_html_table(_RULE_COLUMNS, [_rule_row(r) for r in hard], numeric=(4, 5))
                if hard else "<p>没有学校违反硬性规则 no school breaks a hard rule</p>")
    if audit.unreadable:
        body.append("<h2>无法读取 Unreadable</h2><ul>"
                    + "".join(f"<li><b>{escape(s.name)}</b>: {escape(s.error or '')}</li>"
                              for s in audit.unreadable) + "</ul>")
    if audit.not_compliant:
        body.append("<h2>硬性违规明细 Hard violations by school</h2>")
    for s in audit.not_compliant:
        found = [v for vs in worst_first(v for v in s.violations if v.hard).values() for v in vs]
        rows = [[i, v.rule, v.cls or "", v.subject or "", v.day or "", v.period or "", v.message]
                for i, v in enumerate(found[:per_school], start=1)]
        body.append(f"<h3>{escape(s.name)}（{len(found)} 处 cases）</h3>")
        body.append(_html_table(("序号 No.", "规则 Rule", "班级 Class", "学科 Subject", "星期 Day",
                                 "节次 Period", "说明 What was found"), rows, numeric=(0, 5)))
        if len(found) > per_school:
            more = len(found) - per_school
            body.append(f'<p class="note">… 另有 {more} 条，见 district_audit.xlsx 明细 — '
                        f"{more} more in district_audit.xlsx, sheet 明细</p>")
    page = _html_page(title, "\n".join(body))
    return page.replace("</style>", f"{_CSS}</style>", 1)


# --- CSV ---------------------------------------------------------------------------------

def district_csv(audit: DistrictAudit) -> bytes:
    """``district_audit.csv``: :func:`detail_rows` under :data:`DETAIL_COLUMNS`, UTF-8
    with a byte-order mark (Excel opens it by double-click)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(DETAIL_COLUMNS)
    writer.writerows(detail_rows(audit))
    return buffer.getvalue().encode("utf-8-sig")


def write_district_report(out_dir: str | Path, audit: DistrictAudit) -> list[Path]:
    """Write ``district_audit.xlsx``, ``.html`` and ``.csv`` into ``out_dir`` (all three
    rendered before any is written); return their paths.

    Raises
    ------
    InputError
        ``out_dir`` is the folder audited.
    """
    out = Path(out_dir)
    check_report_dir(out, audit.folder)
    payloads = (district_workbook(audit), district_html(audit), district_csv(audit))
    paths = [out / name for name in REPORT_NAMES]
    for path, data in zip(paths, payloads):
        write_atomic(path, data)
    return paths
