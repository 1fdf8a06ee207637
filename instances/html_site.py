"""A static HTML site per school: timetables to share (晒课表) and homework notices (作业公示).

Pages: ``index.html`` (links, and the checker's verdict in plain words), ``check.html``
(the 教务处's details: rule ids, weights, the checker's sentences), one page per class,
teacher and venue, and with a homework plan one 作业公示 page per class with a section per day
(``homework-001.html#d0``), so a class teacher can post today's link in the parents'
group. Every page is self-contained: inline CSS, no script, no font or image from the
network; ``lang="zh-CN"``; readable on a 412-pixel-wide phone and printable on A4.
Names are HTML-escaped.
"""

from __future__ import annotations

import logging
from html import escape
from pathlib import Path
from typing import Any, Iterable, Sequence

from ..models.policy import Policy
from ..models.school import School
from ..models.timetable import Timetable
from .views import (Grid, HomeworkTable, class_grid, hard_rows, homework_tables, summary_rows,
                     summary_verdict, teacher_grid, venue_grids, weekly_count, write_atomic,
                     is_time_line, plain_verdict, quality_lines)

__all__ = ["write_site", "write_site_files", "page_name", "render_grid", "CSS"]

log = logging.getLogger(__name__)

CSS = """
:root { --line: #c8ccd2; --head: #e8eef6; --muted: #5f6670; --accent: #1f5fa8;
        --break: #e6f2e0; --lunch: #fff4d1; --closed: #eeeeee; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; padding: 12px; color: #1d2127; background: #fff; line-height: 1.45;
       font: 16px/1.45 "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC",
       "Source Han Sans SC", "WenQuanYi Micro Hei", system-ui, sans-serif; }
header { margin-bottom: 10px; }
h1 { font-size: 1.35rem; margin: 0 0 2px; }
h2 { font-size: 1.1rem; margin: 18px 0 6px; }
.sub { color: var(--muted); font-size: .85rem; margin: 0; }
nav { font-size: .9rem; margin: 4px 0 10px; }
nav a { color: var(--accent); margin-right: 12px; }
a { color: var(--accent); }
.wrap { width: 100%; overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
table.tt { table-layout: fixed; min-width: 340px; }
th, td { border: 1px solid var(--line); padding: 4px 3px; text-align: center; vertical-align: middle; }
thead th { background: var(--head); font-size: .9rem; }
table.tt col.lab { width: 3.6em; }
table.tt th.lab { font-size: .8rem; font-weight: 600; line-height: 1.2; }
table.tt th.lab small { display: block; font-weight: 400; color: var(--muted); font-size: .68rem; }
td.cell { font-size: .86rem; line-height: 1.25; word-break: break-all; height: 3.2em; }
td.cell .l0 { font-weight: 700; display: block; }
td.cell .l1, td.cell .l2, td.cell .l3 { display: block; color: var(--muted); font-size: .72rem; }
td .t { display: block; font-weight: 700; color: #8c1d18; font-size: .78rem; }
td.closed { background: var(--closed); }
tr.seg th, tr.seg td { font-size: .8rem; color: #3b4a3b; padding: 3px; }
tr.long_break td, tr.long_break th, tr.activity td, tr.activity th { background: var(--break); }
tr.lunch td, tr.lunch th { background: var(--lunch); }
tr.event th, tr.event td:not(.closed) { background: #e6eefa; }
tr.self_study td, tr.self_study th, tr.after_school td, tr.after_school th { background: #f1f1f1; }
.verdict { padding: 8px 10px; border-radius: 6px; font-weight: 700; margin: 8px 0; }
.ok { background: #e3f4e1; color: #1e5e1a; }
.bad { background: #fde2e1; color: #8c1d18; }
.unk { background: #eee; color: #444; }
ul.links { list-style: none; padding: 0; margin: 0; display: flex; flex-wrap: wrap; gap: 6px; }
ul.links a { display: inline-block; padding: 6px 10px; border: 1px solid var(--line);
             border-radius: 6px; text-decoration: none; min-width: 4.5em; text-align: center; }
table.num td { font-variant-numeric: tabular-nums; }
table.num td:first-child, table.num th:first-child { text-align: left; }
section.day { border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; margin: 10px 0; }
section.day h2 { margin: 0 0 4px; }
section.day ul { margin: 4px 0; padding-left: 1.2em; }
section.day .total { font-weight: 700; margin: 4px 0 0; }
section.day .over { color: #8c1d18; }
.note { color: var(--muted); font-size: .8rem; }
footer { color: var(--muted); font-size: .75rem; margin-top: 18px; }
@media (min-width: 700px) {
  body { max-width: 1000px; margin: 0 auto; padding: 20px; }
  td.cell { font-size: .95rem; height: 3.6em; }
  table.tt col.lab { width: 6.5em; }
}
@media print {
  @page { size: A4; margin: 10mm; }
  body { padding: 0; font-size: 11pt; max-width: none; }
  nav, footer, .noprint { display: none; }
  th, td { border-color: #000; }
  a { color: inherit; text-decoration: none; }
  table.tt, section.bell { page-break-inside: avoid; }
  section.day { page-break-inside: avoid; }
}
"""

_PREFIX = {"class": "class", "teacher": "teacher", "venue": "venue", "homework": "homework"}


def page_name(kind: str, index: int) -> str:
    """The file name of a page: ``class-001.html``, ``teacher-012.html``…"""
    return f"{_PREFIX[kind]}-{index + 1:03d}.html"


def _page(title: str, body: str, school: School) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="jianfu 减负">\n'
        f"<title>{escape(title)} · {escape(school.name)}</title>\n"
        f"<style>{CSS}</style>\n</head>\n<body>\n{body}\n"
        f'<footer>{escape(school.name)} · jianfu 减负 生成 generated</footer>\n</body>\n</html>\n')


def _nav(extra: str = "") -> str:
    return f'<nav><a href="index.html">← 首页 Home</a>{extra}</nav>'


def _line(i: int, line: str) -> str:
    # a cell's own time (this day's bell differs from the row's) stands out
    kind = "t" if is_time_line(line) else f"l{min(i, 3)}"
    return f'<span class="{kind}">{escape(line)}</span>'


def _cell(entries: Iterable[Any]) -> str:
    return "<br>".join("".join(_line(i, line) for i, line in enumerate(entry.lines))
                       for entry in entries)


def _segment_cell(entries: Iterable[Any]) -> str:
    """A segment cell (课后服务, the activity's classes): one line, its own time apart."""
    parts = []
    for entry in entries:
        words = " ".join(escape(x) for x in entry.lines if not is_time_line(x))
        times = "".join(f'<span class="t">{escape(x)}</span>' for x in entry.lines
                        if is_time_line(x))
        parts.append(words + times)
    return "<br>".join(parts)


def render_grid(grid: Grid) -> str:
    """The ``<table>`` of a grid; cells carry ``data-day``/``data-period`` (1-based)."""
    ndays = len(grid.days)
    out = ['<div class="wrap"><table class="tt">', '<colgroup><col class="lab">'
           + "<col>" * ndays + "</colgroup>",
           "<thead><tr><th>节次</th>"
           + "".join(f"<th>{escape(d)}</th>" for d in grid.days) + "</tr></thead><tbody>"]
    for row in grid.rows:
        label = f'<th class="lab" scope="row">{escape(row.label)}<small>{escape(row.time)}</small></th>'
        if row.is_period:
            cells = []
            for d in range(ndays):
                closed = " closed" if row.closed and row.closed[d] else ""
                cells.append(f'<td class="cell{closed}" data-day="{d}" data-period="{row.period + 1}"'
                             f' data-time="{escape(row.day_time(d))}">{_cell(row.cells[d])}</td>')
            out.append(f'<tr class="period">{label}{"".join(cells)}</tr>')
        elif row.merged:
            out.append(f'<tr class="seg {escape(row.kind)}" data-kind="{escape(row.kind)}">{label}'
                       f'<td colspan="{ndays}">{escape(row.cell_text(0).replace(chr(10), " "))} '
                       f"{escape(row.time)}</td></tr>")
        else:
            cells = "".join(
                f'<td data-day="{d}" data-time="{escape(row.day_time(d))}" '
                f'class="{"closed" if row.closed and row.closed[d] else ""}">'
                f'{_segment_cell(row.cells[d])}</td>' for d in range(ndays))
            out.append(f'<tr class="seg {escape(row.kind)}" data-kind="{escape(row.kind)}">'
                       f"{label}{cells}</tr>")
    out.append("</tbody></table></div>")
    out.extend(f'<p class="note">{escape(n)}</p>' for n in grid.notes)
    return "\n".join(out)


def _grid_page(school: School, grids: Grid | Sequence[Grid], extra_nav: str = "") -> str:
    """A page of one grid, or of a venue's grids (one per bell schedule), one after the other."""
    parts = [grids] if isinstance(grids, Grid) else list(grids)
    grid = parts[0]
    if len(parts) == 1:
        body = (f"<header><h1>{escape(grid.title)}</h1><p class=\"sub\">{escape(grid.subtitle)}"
                f"</p></header>{_nav(extra_nav)}\n{render_grid(grid)}")
    else:
        title = f"{grid.name} 使用表"
        body = (f"<header><h1>{escape(title)}</h1><p class=\"sub\">{escape(school.name)}</p>"
                f"</header>{_nav(extra_nav)}\n<p class=\"note\">各作息时间不同，每表只列同一作息的"
                "班级 — the bells differ: each table lists the classes on one bell, at its times.</p>\n"
                + "\n".join(f'<section class="bell"><h2>{escape(g.title)}</h2><p class="sub">'
                            f"{escape(g.subtitle)}</p>{render_grid(g)}</section>" for g in parts))
    return _page(grid.title, body, school)


def _homework_page(school: School, table: HomeworkTable, class_page: str) -> str:
    sections = []
    for d, evening in enumerate(table.evenings):
        if evening.items:
            items = "".join(f'<li data-subject="{escape(s)}">{escape(s)} <b>{m}</b> 分钟</li>'
                            for s, m in evening.items)
            listing = f"<ul>{items}</ul>"
        else:
            listing = '<p class="note">无书面作业 no written homework</p>'
        if evening.oral:
            items = "".join(f'<li data-subject="{escape(s)}" data-kind="口头">{escape(s)} '
                            f'<b>{m}</b> 分钟</li>' for s, m in evening.oral)
            listing += f"<p>口头/实践作业 oral/practical:</p><ul>{items}</ul>"
        over = " over" if evening.over else ""
        sections.append(
            f'<section class="day" id="d{d}" data-day="{escape(evening.day)}" '
            f'data-total="{evening.total}" data-cap="{evening.cap}">'
            f'<h2>{escape(evening.day)}</h2>{listing}'
            f'<p class="total{over}">合计 {evening.total} 分钟 · 上限 {evening.cap} 分钟</p></section>')
    head = "".join(f"<th>{escape(d)}</th>" for d in table.days)
    rows = []
    for label, values, bold in table.rows:
        tag = "th" if bold else "td"
        cells = "".join(f"<{tag}>{escape(str(v))}</{tag}>" for v in values)
        rows.append(f"<tr><{tag}>{escape(label)}</{tag}>{cells}</tr>")
    week = (f'<h2>本周一览 The week</h2><div class="wrap"><table class="num">'
            f"<thead><tr><th>学科</th>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")
    jump = " ".join(f'<a href="#d{d}">{escape(day)}</a>' for d, day in enumerate(table.days))
    notes = "".join(f'<p class="note">{escape(n)}</p>' for n in table.notes)
    nav = _nav(f'<a href="{class_page}">课表 Timetable</a>')
    body = (f"<header><h1>{escape(table.title)}</h1><p class=\"sub\">{escape(table.subtitle)}</p>"
            f"</header>{nav}"
            f'<p class="noprint">{jump}</p>{"".join(sections)}{week}{notes}')
    return _page(table.title, body, school)


def _links(items: Sequence[tuple[str, str]]) -> str:
    return '<ul class="links">' + "".join(
        f'<li><a href="{href}">{escape(text)}</a></li>' for text, href in items) + "</ul>"


def _per_week(timetable: Timetable) -> int | float:
    """Lessons a week, a lesson every other week (单双周) counted half."""
    return weekly_count((x.day, x.period, x.week) for x in timetable.lessons)


CHECK_PAGE = "check.html"   # the 教务处's page: rule ids, weights, the checker's sentences


def _index_page(school: School, policy: Policy, timetable: Timetable, summary: Any,
                violations: Sequence[Any] | None, has_homework: bool) -> str:
    """The home page, for parents and teachers: the timetables, and the check in plain words."""
    state = "unk" if summary is None else "ok" if summary.compliant else "bad"
    parts = [f"<header><h1>{escape(school.name)} 课表</h1>"
             f'<p class="sub">{len(school.classes)} 个班 · '
             f"{len(school.teachers)} 位教师 · 每周 {_per_week(timetable)} 节课</p></header>",
             f'<div class="verdict {state}">{escape(plain_verdict(summary))}</div>']
    for grade in school.grades:
        parts.append(f"<h2>{grade}年级 班级课表</h2>")
        parts.append(_links([(school.classes[c].name, page_name("class", c))
                             for c in school.classes_of_grade(grade)]))
    if has_homework:
        parts.append("<h2>作业公示 Homework</h2>")
        parts.append(_links([(c.name, page_name("homework", i))
                             for i, c in enumerate(school.classes)]))
    from .overview_write import PAGES   # 总课表, 课时统计, 空闲表

    parts.append("<h2>总课表与统计 Whole school</h2>")
    parts.append(_links([(text, href) for href, text in PAGES]))
    parts.append("<h2>教师课表 Teachers</h2>")
    parts.append(_links([(t.name, page_name("teacher", i)) for i, t in enumerate(school.teachers)]))
    if school.venues:
        parts.append("<h2>场地 Venues</h2>")
        parts.append(_links([(v.name, page_name("venue", i)) for i, v in enumerate(school.venues)]))
    quality = quality_lines(summary)
    if quality:
        parts.append("<h2>排课质量 How well the timetable keeps the school's wishes</h2><ul>"
                     + "".join(f"<li>{escape(line)}</li>" for line in quality) + "</ul>")
    if summary is not None:
        parts.append(f'<p class="note"><a href="{CHECK_PAGE}">教务处：检查明细 checker details '
                     "for the office</a></p>")
    return _page(f"{school.name} 课表", "\n".join(parts), school)


def _check_page(school: School, policy: Policy, summary: Any,
                violations: Sequence[Any] | None) -> str:
    """The 教务处's page: the checker's verdict, rules by id, weights and the total cost."""
    state = "unk" if summary is None else "ok" if summary.compliant else "bad"
    parts = [f"<header><h1>{escape(school.name)} 检查明细</h1>"
             f'<p class="sub">教务处用 for the office · 政策配置 profile {escape(policy.name)}</p>'
             "</header>", _nav(),
             f'<div class="verdict {state}">{escape(summary_verdict(summary))}</div>']
    hard = hard_rows(summary)
    if hard:
        parts.append("<h2>硬性违规 Hard violations</h2><table class=\"num\"><thead><tr><th>规则 rule"
                     "</th><th>中文</th><th>数量</th></tr></thead><tbody>"
                     + "".join(f"<tr><td>{escape(r)}</td><td>{escape(zh)}</td><td>{n}</td></tr>"
                               for r, zh, n in hard) + "</tbody></table>")
        messages = [v.message for v in violations or () if v.hard][:50]
        if messages:
            parts.append("<ul>" + "".join(f"<li>{escape(m)}</li>" for m in messages) + "</ul>")
    soft = summary_rows(summary)
    if soft:
        parts.append("<h2>软规则 Soft rules</h2><div class=\"wrap\"><table class=\"num\"><thead><tr>"
                     "<th>规则 rule</th><th>单位</th><th>权重</th><th>代价</th></tr></thead><tbody>"
                     + "".join(f"<tr><td>{escape(zh)} <small>{escape(r)}</small></td><td>{u:g}</td>"
                               f"<td>{w:g}</td><td>{c:g}</td></tr>" for r, zh, u, w, c in soft)
                     + f"<tr><th>合计 total</th><td></td><td></td><th>{summary.objective:g}</th></tr>"
                     "</tbody></table></div>")
    return _page(f"{school.name} 检查明细", "\n".join(parts), school)


def write_site(out_dir: Path | str, school: School, policy: Policy, timetable: Timetable,
               plan: Any = None, summary: Any = None, *,
               violations: Sequence[Any] | None = None) -> Path:
    """Write the static site into ``out_dir``; return the path of ``index.html``."""
    return write_site_files(out_dir, school, policy, timetable, plan, summary,
                            violations=violations)[0]


def write_site_files(out_dir: Path | str, school: School, policy: Policy, timetable: Timetable,
                     plan: Any = None, summary: Any = None, *,
                     violations: Sequence[Any] | None = None) -> list[Path]:
    """Write the static site into ``out_dir``; return every page written, index first."""
    out = Path(out_dir)
    tables = homework_tables(school, policy, plan) if plan is not None else []
    pages = [write_atomic(out / "index.html", _index_page(
        school, policy, timetable, summary, violations, bool(tables)))]
    if summary is not None:
        pages.append(write_atomic(out / CHECK_PAGE, _check_page(school, policy, summary,
                                                                violations)))
    for c in range(len(school.classes)):
        extra = (f'<a href="{page_name("homework", c)}">作业公示 Homework</a>' if tables else "")
        pages.append(write_atomic(out / page_name("class", c),
                                  _grid_page(school, class_grid(school, timetable, c), extra)))
    for t in range(len(school.teachers)):
        pages.append(write_atomic(out / page_name("teacher", t),
                                  _grid_page(school, teacher_grid(school, timetable, t))))
    for v in range(len(school.venues)):
        pages.append(write_atomic(out / page_name("venue", v),
                                  _grid_page(school, venue_grids(school, timetable, v))))
    for table in tables:
        pages.append(write_atomic(out / page_name("homework", table.cls),
                                  _homework_page(school, table, page_name("class", table.cls))))
    from .overview_write import write_overview_pages

    pages.extend(write_overview_pages(out, school, policy, timetable, CSS))
    log.info("wrote %d pages to %s", len(pages), out)
    return pages
