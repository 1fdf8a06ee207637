"""The whole-school tables of :mod:`jianfu.instances.overview` in the workbook, the site
and CSV.

- :func:`add_overview_sheets` adds 总课表, 教师总课表, 课时统计, 开课统计 and 空闲表 to the
  timetable workbook (:func:`jianfu.instances.excel.write_workbook`), right after 汇总.
  The two 总课表 print on A3 landscape, fitted to the page width, the header rows
  repeated on every page; row heights follow the wrapped cell text.
- :func:`write_overview_pages` writes ``master.html``, ``teacher-master.html``,
  ``stats.html`` and ``free.html`` into the site (:data:`PAGES`, linked from
  ``index.html``).
- :func:`write_overview_csv` writes ``master.csv``, ``teacher_master.csv``,
  ``teacher_load.csv``, ``class_subjects.csv`` and ``free_teachers.csv`` (UTF-8 with a
  BOM, Chinese-first headers) beside ``lessons.csv``.
- :func:`format_loads` is the 课时统计 as text (``jianfu stats``).
"""

from __future__ import annotations

import csv
import io
import math
import re
from html import escape
from pathlib import Path
from typing import Any, Sequence

from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break

from ..models.policy import Policy
from ..models.school import School
from ..models.timetable import Timetable
from .overview import (ACTIVITY_LABEL, ClassSubjects, MasterTable, TeacherLoad,
                       class_subjects, free_tables, master_table, number, teacher_loads,
                       teacher_master_table)
from .views import write_atomic
from .xlsx_style import BORDER, CENTER, LEFT, font, head, title

__all__ = ["add_overview_sheets", "write_overview_pages", "write_overview_csv", "PAGES",
           "LOAD_COLUMNS", "SUBJECT_COLUMNS", "FREE_COLUMNS", "format_loads",
           "MASTER_SHEET", "TEACHER_MASTER_SHEET"]

MASTER_SHEET = "总课表"
TEACHER_MASTER_SHEET = "教师总课表"
LOAD_SHEET = "课时统计"
SUBJECT_SHEET = "开课统计"
FREE_SHEET = "空闲表"

#: The site's pages: (file, link text on index.html).
PAGES = (("master.html", "总课表 Whole-school timetable"),
         ("teacher-master.html", "教师总课表 Teachers' timetable"),
         ("stats.html", "课时统计 · 开课统计 Periods per teacher and class"),
         ("free.html", "空闲表 Free teachers"))

LOAD_COLUMNS = ("教师 teacher", "任教学科 subjects", "任教班级 classes", "班主任 head of",
                "周课时 periods a week")
SUBJECT_COLUMNS = ("班级 class", "年级 grade", "学科 subject", "课程方案 curriculum",
                   "学校计划 school plan", "已排 scheduled", "少排 short", "说明 note")
FREE_COLUMNS = ("作息 schedule", "星期 day", "节次 period", "时间 time", "学科 subject",
                "空闲教师 free teachers", "人数 count")


def _load_header(days: Sequence[str]) -> list[str]:
    return [*LOAD_COLUMNS, *(f"{d}节数 periods" for d in days), "空堂 idle periods",
            *(f"{d}节次 first–last" for d in days), "走教 itinerant", "本校半天 half-days here"]


def _load_values(load: TeacherLoad, days: Sequence[str]) -> list[Any]:
    return [load.name, "、".join(load.subjects), "、".join(load.classes), "、".join(load.head_of),
            load.per_week, *load.per_day, load.total_gaps,
            *(load.span(d) for d in range(len(days))),
            "、".join(load.itinerant), load.half_day_text(tuple(days)) if load.itinerant else ""]


# =========================================================================================
# The workbook: the look of excel.py's sheets (xlsx_style.py)
# =========================================================================================

CLOSED_FILL = PatternFill("solid", fgColor="D9D9D9")
ACTIVITY_FILL = PatternFill("solid", fgColor="E2F0D9")
SHORT_FILL = "F8CBAD"
_BAD_SHEET = re.compile(r"[\[\]:*?/\\]")
_A3 = 8     # openpyxl's PAPERSIZE_A3
_A4 = 9


_font, _head, _title = font, head, title


def _print(ws: Any, paper: int, title_rows: str) -> None:
    """Landscape on ``paper``, fitted to the page width, ``title_rows`` on every page."""
    ws.page_setup.paperSize = paper
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.3
    ws.page_margins.top = ws.page_margins.bottom = 0.4
    ws.print_title_rows = title_rows


def _text_width(text: str) -> int:
    """Width of ``text`` in Excel's character units: a Chinese character is two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _wrapped_lines(text: str, width: float, size: float) -> int:
    """Lines ``text`` takes in a column ``width`` characters wide at font ``size``."""
    room = max(1.0, width - 0.8)
    return sum(max(1, math.ceil(_text_width(line) * size / 11 / room))
               for line in (text.split("\n") if text else [""]))


def _master_sheet(ws: Any, table: MasterTable) -> None:
    size = 9.0
    lesson_width = 6.8 if table.kind == "class" else 9.0
    has_note = any(r.note for b in table.blocks for r in b.rows)
    first = 3 if has_note else 2                 # first lesson column
    width = first - 1 + max(len(b.columns) for b in table.blocks)
    _title(ws, table.title, table.subtitle, width)
    name_width = max([8] + [len(r.name) * 2 + 1 for b in table.blocks for r in b.rows])
    ws.column_dimensions["A"].width = min(name_width, 16)
    if has_note:
        ws.column_dimensions["B"].width = 8 if table.kind == "class" else 10
    widths: dict[int, float] = {}
    row = 3
    header_rows: list[int] = []
    for n, block in enumerate(table.blocks):
        if len(table.blocks) > 1:
            ws.cell(row, 1, f"作息 {block.schedule}").font = _font(11, bold=True)
            if n:
                ws.row_breaks.append(Break(id=row - 1))
            row += 1
        header_rows.append(row)
        ws.cell(row, 1, "班级" if table.kind == "class" else "教师")
        if has_note:
            ws.cell(row, 2, table.note_header)
        for col in range(1, first):   # not over the times: a reader takes that row for a class
            ws.merge_cells(start_row=row, start_column=col, end_row=row + 1, end_column=col)
        for d, day in enumerate(table.days):
            cols = block.day_columns(d)
            if not cols:
                continue
            ws.cell(row, first + cols[0], day)
            if len(cols) > 1:
                ws.merge_cells(start_row=row, start_column=first + cols[0], end_row=row,
                               end_column=first + cols[-1])
        for i, column in enumerate(block.columns):
            c = first + i
            ws.cell(row + 1, c, int(column.label) if column.label.isdigit() else column.label)
            ws.cell(row + 2, c, column.time or None)
            w = 5.5 if column.period is None else lesson_width
            widths[c] = max(widths.get(c, 0), w)
        for r in range(row, row + 3):
            for c in range(1, first + len(block.columns)):
                _head(ws.cell(r, c))
                if r == row + 2:
                    ws.cell(r, c).font = _font(7, color="555555")
        ws.row_dimensions[row + 2].height = 20
        row += 3
        for item in block.rows:
            ws.cell(row, 1, item.name)
            if has_note:
                ws.cell(row, 2, item.note or None)
            lines = 1
            for i, (text, column) in enumerate(zip(item.cells, block.columns)):
                c = first + i
                cell = ws.cell(row, c, text or None)
                if item.closed[i]:
                    cell.fill = CLOSED_FILL
                elif column.period is None and text:
                    cell.fill = ACTIVITY_FILL
                lines = max(lines, _wrapped_lines(text, widths[c], size))
            for c in range(1, first + len(block.columns)):
                cell = ws.cell(row, c)
                cell.border, cell.alignment = BORDER, CENTER
                cell.font = _font(size, bold=c == 1)
            ws.row_dimensions[row].height = max(24, 11.5 * lines + 4)
            row += 1
        row += 1
    for c, w in widths.items():
        ws.column_dimensions[get_column_letter(c)].width = w
    # one block: its header on every page; several: each starts a page under the title
    _print(ws, _A3, f"1:{header_rows[0] + 2}" if len(table.blocks) == 1 else "1:2")
    if len(table.blocks) == 1:
        ws.freeze_panes = f"{get_column_letter(first)}{header_rows[0] + 3}"
    else:
        ws.freeze_panes = f"{get_column_letter(first)}3"


def _table_sheet(ws: Any, title: str, subtitle: str, header: Sequence[str],
                 rows: Sequence[Sequence[Any]], widths: Sequence[float], *,
                 fills: dict[tuple[int, int], str] | None = None, notes: Sequence[str] = (),
                 a3: bool = False) -> None:
    """A titled table: header at row 3, ``rows`` below, cell fills keyed (row, column)
    0-based in ``rows``; row heights by the wrapped text."""
    _title(ws, title, subtitle, len(header))
    for c, text in enumerate(header, start=1):
        _head(ws.cell(3, c, text))
        ws.column_dimensions[get_column_letter(c)].width = widths[c - 1]
    ws.row_dimensions[3].height = max(15 * _wrapped_lines(t, widths[i], 10.5)
                                      for i, t in enumerate(header))
    for i, values in enumerate(rows):
        r = 4 + i
        lines = 1
        for c, value in enumerate(values, start=1):
            cell = ws.cell(r, c, value if value != "" else None)
            cell.font, cell.border = _font(10), BORDER
            cell.alignment = LEFT if isinstance(value, str) and len(value) > 8 else CENTER
            color = (fills or {}).get((i, c - 1))
            if color:
                cell.fill = PatternFill("solid", fgColor=color)
            lines = max(lines, _wrapped_lines(str(value) if value not in (None, "") else "",
                                              widths[c - 1], 10))
        ws.row_dimensions[r].height = max(18, 13.5 * lines + 3)
    r = 5 + len(rows)
    for note in notes:
        ws.cell(r, 1, note).font = _font(9, color="555555")
        r += 1
    ws.freeze_panes = "B4"
    _print(ws, _A3 if a3 else _A4, "1:3")


def _subject_matrix(tables: Sequence[ClassSubjects]
                    ) -> tuple[list[str], list[list[Any]], dict[tuple[int, int], str]]:
    """开课统计 as a matrix: classes down, curriculum subjects across; a short cell reads
    ``已排/应排`` on a red fill."""
    subjects: list[str] = []
    for t in tables:
        for r in t.rows:
            if r.subject not in subjects and (r.scheduled or r.curriculum or r.planned):
                subjects.append(r.subject)
    header = ["班级 class", "年级 grade", *subjects, "合计 total", "少排 short"]
    rows, fills = [], {}
    for i, t in enumerate(tables):
        by = {r.subject: r for r in t.rows}
        values: list[Any] = [t.name, t.grade]
        for j, s in enumerate(subjects):
            r = by.get(s)
            if r is None:
                values.append("")
            elif r.short:
                values.append(f"{r.scheduled}/{number(r.scheduled + r.short)}")
                fills[(i, 2 + j)] = SHORT_FILL
            else:
                values.append(r.scheduled if r.scheduled or r.curriculum or r.planned else "")
        values += [t.scheduled, "、".join(f"{r.subject} {r.short}" for r in t.short)]
        rows.append(values)
    return header, rows, fills


def add_overview_sheets(wb: Any, school: School, policy: Policy, timetable: Timetable,
                        index: int = 1) -> list[str]:
    """Add the overview sheets to ``wb`` from position ``index``; return their names."""
    names: list[str] = []

    def sheet(name: str) -> Any:
        ws = wb.create_sheet(name, index + len(names))
        names.append(name)
        return ws

    _master_sheet(sheet(MASTER_SHEET), master_table(school, timetable))
    _master_sheet(sheet(TEACHER_MASTER_SHEET), teacher_master_table(school, timetable))
    days = school.days
    loads = teacher_loads(school, timetable)
    header = _load_header(days)
    rows = [_load_values(x, days) for x in loads]
    total = number(sum(x.per_week for x in loads))
    rows.append(["合计 total", "", "", "", total,
                 *(number(sum(x.per_day[d] for x in loads)) for d in range(len(days))),
                 sum(x.total_gaps for x in loads), *([""] * len(days)), "", ""])
    widths = [10, 14, 22, 10, 8, *([6.5] * len(days)), 7, *([6.5] * len(days)), 12, 22]
    _table_sheet(sheet(LOAD_SHEET), f"{school.name} 课时统计",
                 "合班、走班按一节计，单双周的课按半节计；空堂：当天第一节与最后一节课之间的空节 — a "
                 "合班/走班 lesson counts once, a lesson every other week half", header, rows,
                 widths, a3=True)
    tables = class_subjects(school, policy, timetable)
    header, rows, fills = _subject_matrix(tables)
    notes = [f"{t.name} {r.subject}：已排 {r.scheduled} 节，{r.reason}"
             for t in tables for r in t.short]
    _table_sheet(sheet(SUBJECT_SHEET), f"{school.name} 开课统计",
                 f"每周已排节数；红色：少于课程方案（{policy.name}）或学校计划，格中为 已排/应排",
                 header, rows, [11, 6, *([7] * (len(header) - 4)), 7, 18], fills=fills,
                 notes=notes or ["各班各科均已开齐开足 every class has every subject in full."])
    frees = free_tables(school, timetable)
    for table in frees:
        name = FREE_SHEET if len(frees) == 1 else \
            _BAD_SHEET.sub("_", f"{FREE_SHEET}-{table.schedule}")[:31]
        header = ["星期 day", "节次 period", "时间 time", *table.subjects, "空闲人数 free"]
        rows = [[days[r.day], f"第{r.period + 1}节", r.time, *("、".join(f) for f in r.free),
                 r.count] for r in table.rows]
        _table_sheet(sheet(name), f"{school.name} 教师空闲表 · {table.schedule}",
                     f"{table.teachers} 位教师；按任教资格分列，无课且不在外（开会、走教）的教师 — "
                     f"teachers free in each period, by subject", header, rows,
                     [6, 7, 11, *([12] * len(table.subjects)), 8], a3=True)
    return names


# =========================================================================================
# The site
# =========================================================================================

_CSS = """
table.master { table-layout: auto; font-size: .72rem; }
table.master td, table.master th { padding: 2px 3px; white-space: pre-line; line-height: 1.2; }
table.master th.name { text-align: left; white-space: nowrap; position: sticky; left: 0;
                       background: #fff; z-index: 1; }
table.master thead th { background: var(--head); }
table.master thead tr.time th { font-size: .62rem; font-weight: 400; color: var(--muted); }
table.master td.closed { background: var(--closed); }
table.master td.act { background: var(--break); }
table.master td.note { white-space: nowrap; }
table.stats td.short { background: #f8cbad; font-weight: 700; }
table.free td:nth-child(-n+3) { white-space: nowrap; }
body.wide { max-width: none; }
@media print {
  @page { size: A3 landscape; margin: 8mm; }
  table.master { font-size: 7pt; page-break-inside: auto; }
  table.master tr { page-break-inside: avoid; }
  table.master thead { display: table-header-group; }
  table.master th.name { position: static; }
}
"""


def _page(school: School, title: str, body: str, css: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="jianfu 减负">\n'
        f"<title>{escape(title)} · {escape(school.name)}</title>\n"
        f"<style>{css}{_CSS}</style>\n</head>\n<body class=\"wide\">\n"
        f'<header><h1>{escape(title)}</h1></header>\n'
        '<nav><a href="index.html">← 首页 Home</a>'
        + "".join(f'<a href="{href}">{escape(text.split(" ")[0])}</a>' for href, text in PAGES)
        + f"</nav>\n{body}\n"
        f'<footer>{escape(school.name)} · jianfu 减负 生成 generated</footer>\n</body>\n</html>\n')


def _master_html(table: MasterTable) -> str:
    out = [f'<p class="sub">{escape(table.subtitle)}</p>']
    for block in table.blocks:
        if len(table.blocks) > 1:
            out.append(f"<h2>作息 {escape(block.schedule)}</h2>")
        days = "".join(f'<th colspan="{len(block.day_columns(d))}">{escape(day)}</th>'
                       for d, day in enumerate(table.days) if block.day_columns(d))
        who = "班级" if table.kind == "class" else "教师"
        head = (f'<thead><tr><th rowspan="3">{who}</th><th rowspan="3">'
                f"{escape(table.note_header)}</th>{days}</tr>"
                "<tr>" + "".join(f"<th>{escape(c.label)}</th>" for c in block.columns) + "</tr>"
                '<tr class="time">' + "".join(f"<th>{escape(c.time)}</th>" for c in block.columns)
                + "</tr></thead>")
        body = []
        for row in block.rows:
            cells = []
            for i, (text, column) in enumerate(zip(row.cells, block.columns)):
                cls = "closed" if row.closed[i] else "act" if column.period is None and text else ""
                period = "act" if column.period is None else str(column.period + 1)
                cells.append(f'<td class="{cls}" data-day="{column.day}" data-period="{period}">'
                             f"{escape(text)}</td>")
            body.append(f'<tr data-{table.kind}="{escape(row.name)}"><th class="name" scope="row">'
                        f"{escape(row.name)}</th><td class=\"note\">{escape(row.note)}</td>{''.join(cells)}</tr>")
        out.append(f'<div class="wrap"><table class="master" data-schedule="'
                   f'{escape(block.schedule)}">{head}<tbody>{"".join(body)}</tbody></table></div>')
    return "\n".join(out)


def _plain_table(header: Sequence[str], rows: Sequence[Sequence[Any]],
                 short: set[tuple[int, int]] | None = None, css: str = "num stats") -> str:
    head = "".join(f"<th>{escape(str(h))}</th>" for h in header)
    body = []
    for i, values in enumerate(rows):
        cells = "".join(
            f'<td class="{"short" if short and (i, j) in short else ""}">{escape(str(v))}</td>'
            for j, v in enumerate(values))
        body.append(f"<tr>{cells}</tr>")
    return (f'<div class="wrap"><table class="{css}"><thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table></div>")


def write_overview_pages(out_dir: Path | str, school: School, policy: Policy,
                         timetable: Timetable, css: str = "") -> list[Path]:
    """Write the overview pages (:data:`PAGES`) into the site folder ``out_dir``, each
    with the site's ``css`` (:data:`jianfu.instances.html_site.CSS`) and its own."""
    out = Path(out_dir)
    days = school.days
    written = [
        write_atomic(out / PAGES[0][0], _page(school, f"{school.name} 总课表",
                                              _master_html(master_table(school, timetable)), css)),
        write_atomic(out / PAGES[1][0], _page(school, f"{school.name} 教师总课表", _master_html(
            teacher_master_table(school, timetable)), css))]
    loads = teacher_loads(school, timetable)
    tables = class_subjects(school, policy, timetable)
    header, rows, fills = _subject_matrix(tables)
    notes = "".join(f"<li>{escape(t.name)} {escape(r.subject)}：已排 {r.scheduled} 节，"
                    f"{escape(r.reason)}</li>" for t in tables for r in t.short)
    stats = (
        "<h2>课时统计 Periods per teacher</h2>"
        '<p class="note">合班、走班按一节计，单双周的课按半节计；空堂：当天第一节与最后一节课之间的空节。</p>'
        + _plain_table(_load_header(days), [_load_values(x, days) for x in loads])
        + "<h2>开课统计 Periods per class and subject</h2>"
        f'<p class="note">每周已排节数；红色：少于课程方案（{escape(policy.name)}）或学校计划，'
        "格中为 已排/应排。</p>"
        + _plain_table(header, rows, set(fills))
        + (f"<ul>{notes}</ul>" if notes else
           '<p class="note">各班各科均已开齐开足 every class has every subject in full.</p>'))
    written.append(write_atomic(out / PAGES[2][0], _page(school, f"{school.name} 课时统计", stats, css)))
    parts = []
    for table in free_tables(school, timetable):
        parts.append(f"<h2>作息 {escape(table.schedule)} · {table.teachers} 位教师</h2>")
        parts.append(_plain_table(
            ["星期", "节次", "时间", *table.subjects, "空闲人数"],
            [[days[r.day], f"第{r.period + 1}节", r.time, *("、".join(f) for f in r.free), r.count]
             for r in table.rows], css="stats free"))
    written.append(write_atomic(out / PAGES[3][0], _page(
        school, f"{school.name} 教师空闲表",
        '<p class="note">按任教资格分列：该节无课、且不在外（开会、走教）的教师，供代课和调课参考。</p>'
        + "".join(parts), css)))
    return written


# =========================================================================================
# CSV
# =========================================================================================

def _csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    return write_atomic(path, buffer.getvalue().encode("utf-8-sig"))


def _master_csv(path: Path, table: MasterTable) -> Path:
    """One row per class (teacher), one column per (day, period): the block's cell text,
    lines joined by a space and lessons by `` | ``."""
    keys: list[tuple[int, int | None]] = []
    for block in table.blocks:
        for c in block.columns:
            if (c.day, c.period) not in keys:
                keys.append((c.day, c.period))
    keys.sort(key=lambda k: (k[0], 99 if k[1] is None else k[1]))
    who = "班级 class" if table.kind == "class" else "教师 teacher"
    header = [who, "班主任 head teacher" if table.kind == "class" else "任教学科 subjects",
              "作息 schedule",
              *(f"{table.days[d]}{ACTIVITY_LABEL}" if p is None else f"{table.days[d]}第{p + 1}节"
                for d, p in keys)]
    rows = []
    for block in table.blocks:
        where = {(c.day, c.period): i for i, c in enumerate(block.columns)}
        for row in block.rows:
            rows.append([row.name, row.note, block.schedule, *(
                " | ".join(x.replace("\n", " ") for x in row.cells[where[k]].split("\n\n"))
                if k in where else "" for k in keys)])
    return _csv(path, header, rows)


def write_overview_csv(out_dir: Path | str, school: School, policy: Policy,
                       timetable: Timetable) -> list[Path]:
    """Write the overview CSVs into ``out_dir``; return their paths."""
    out = Path(out_dir)
    days = school.days
    written = [_master_csv(out / "master.csv", master_table(school, timetable)),
               _master_csv(out / "teacher_master.csv", teacher_master_table(school, timetable))]
    loads = teacher_loads(school, timetable)
    header = [*LOAD_COLUMNS, *(f"{d}节数 periods" for d in days), "空堂 idle periods",
              *(f"{d}首节 first" for d in days), *(f"{d}末节 last" for d in days),
              "走教学校 other schools", "本校半天 half-days here"]
    rows = [[x.name, "、".join(x.subjects), "、".join(x.classes), "、".join(x.head_of), x.per_week,
             *x.per_day, x.total_gaps, *x.first, *x.last, "、".join(x.itinerant),
             x.half_day_text(days) if x.itinerant else ""] for x in loads]
    written.append(_csv(out / "teacher_load.csv", header, rows))
    rows = [[t.name, t.grade, r.subject, r.curriculum, r.planned, r.scheduled, r.short, r.reason]
            for t in class_subjects(school, policy, timetable) for r in t.rows]
    written.append(_csv(out / "class_subjects.csv", SUBJECT_COLUMNS, rows))
    rows = [[table.schedule, days[r.day], r.period + 1, r.time, subject, "、".join(names),
             len(names)]
            for table in free_tables(school, timetable) for r in table.rows
            for subject, names in zip(table.subjects, r.free)]
    written.append(_csv(out / "free_teachers.csv", FREE_COLUMNS, rows))
    return written


# =========================================================================================
# Text (jianfu stats)
# =========================================================================================

def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns (a Chinese character takes two)."""
    from unicodedata import east_asian_width

    used = sum(2 if east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - used)


def format_loads(school: School, policy: Policy, timetable: Timetable) -> str:
    """The 课时统计 and the short subjects as a text table for the terminal."""
    days = school.days
    loads = teacher_loads(school, timetable)
    width = max([4] + [2 * len(x.name) for x in loads])
    head = (_pad("教师", width) + "  周课时  " + "  ".join(_pad(d, 4) for d in days)
            + "  空堂  每天节次 first–last")
    lines = [f"== 课时统计 {school.name} ==", head]
    for x in loads:
        per_day = "  ".join(f"{number(v):>4}" for v in x.per_day)
        spans = " ".join(x.span(d) or "-" for d in range(len(days)))
        away = (f"走教 {'、'.join(x.itinerant)}；本校 {len(x.half_days)} 个半天"
                if x.itinerant else "")
        lines.append(f"{_pad(x.name, width)}  {x.per_week:>6}  {per_day}  {x.total_gaps:>4}  "
                     f"{spans:<22}  {away}".rstrip())
    total = number(sum(x.per_week for x in loads))
    lines.append(f"合计 total: {len(loads)} 位教师 teachers, {total} 节 periods a week, "
                 f"{sum(x.total_gaps for x in loads)} 节空堂 idle periods")
    short = [(t, r) for t in class_subjects(school, policy, timetable) for r in t.short]
    lines.append("")
    lines.append("== 开课统计 short subjects ==")
    if not short:
        lines.append("各班各科均已开齐开足 every class has every subject in full")
    for t, r in short:
        lines.append(f"{t.name} {r.subject}: 已排 {r.scheduled} 节，少 {r.short} 节 — {r.reason}")
    return "\n".join(lines)
