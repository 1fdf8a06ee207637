"""调课通知 and the dated week: what ``jianfu change`` writes.

:func:`notice_rows` turns the week plans into the notice's rows (who, which class, which
day, date and period, from what to what); :func:`write_change_files` writes them as
``调课通知.txt`` (for WeChat), ``调课通知.html`` and ``调课通知.xlsx``, and each week as
``本周课表_<Monday>.html`` / ``.xlsx`` (every class and teacher of that week, the
changes marked) and ``timetable_<Monday>.json`` (the week's lessons, ``cover`` on the
cover lessons; cancelled lessons left out).
"""

from __future__ import annotations

import dataclasses
import html
import io
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

from ..models.change import ChangePlan, WeekRequest
from ..models.errors import InputError
from ..models.school import School
from ..models.timetable import Lesson, Timetable
from .timetable_io import dump_timetable
from .views import Grid, class_grid, teacher_grid, write_atomic

__all__ = ["NoticeRow", "notice_rows", "notice_text", "parse_changes",
           "write_change_files"]

HEADER = ("类型", "日期", "星期", "节次", "班级", "原安排", "调整后", "需通知")
KIND_COVER, KIND_MOVE, KIND_CANCEL = "代课", "调课", "停课"


@dataclass(frozen=True, slots=True)
class NoticeRow:
    """One line of the 调课通知."""

    kind: str        # 代课 / 调课 / 停课
    date: date | None
    day: str         # 周二
    period: str      # 第3节 08:30–09:10
    cls: str
    before: str      # 数学 王芳
    after: str       # 数学 李强（代课） / 周四第1节（10月15日） / 停课（研学）
    notify: str      # 李强、王芳、七年级1班

    def cells(self) -> tuple[str, ...]:
        return (self.kind, _date(self.date), self.day, self.period, self.cls, self.before,
                self.after, self.notify)


def _date(d: date | None) -> str:
    return "" if d is None else f"{d.month}月{d.day}日"


def _period(school: School, x: Lesson, period: int | None = None) -> str:
    p = x.period if period is None else period
    periods = school.day_of(x.cls, x.day).periods
    clock = ""
    if p < len(periods):
        seg = periods[p]
        clock = f" {seg.start // 60:02d}:{seg.start % 60:02d}–{seg.end // 60:02d}:{seg.end % 60:02d}"
    return f"第{p + 1}节{clock}"


def notice_rows(school: School, plans: Sequence[ChangePlan], reason: str = "") -> list[NoticeRow]:
    """The notice's rows, week by week and in time order: covers, moves, cancellations."""
    rows: list[tuple[tuple, NoticeRow]] = []
    why = f"（{reason}）" if reason else ""
    for plan in plans:
        week = plan.week
        if week is None:
            continue
        for c in plan.covers:
            x = c.lessons[0]
            when = week.date_of(x.day)
            subject = school.subjects[x.subject].name
            absent, cover = school.teachers[c.absent].name, school.teachers[c.teacher].name
            classes = "、".join(school.classes[y.cls].name + (f" {y.group}" if y.group else "")
                               for y in c.lessons)
            rows.append(((when, x.day, x.period, 0, x.cls), NoticeRow(
                KIND_COVER, when, school.days[x.day], _period(school, x), classes,
                f"{subject} {absent}{why}", f"{subject} {cover}（代课）",
                f"{cover}、{absent}、{classes}")))
        for m in plan.moves:
            x = Lesson(m.cls, m.day, m.period, m.subject, m.teacher)
            when, to = week.date_of(m.day), week.date_of(m.to_day)
            teacher = school.teachers[m.teacher].name
            cname = school.classes[m.cls].name
            rows.append(((when, m.day, m.period, 1, m.cls), NoticeRow(
                KIND_MOVE, when, school.days[m.day], _period(school, x), cname,
                f"{school.subjects[m.subject].name} {teacher}",
                f"改到 {school.days[m.to_day]}（{_date(to)}）"
                f"{_period(school, dataclasses.replace(x, day=m.to_day), m.to_period)}",
                f"{teacher}、{cname}")))
        for x in week.cancelled:
            when = week.date_of(x.day)
            hit = next((a for a in week.away if a.cls == x.cls and a.day == x.day), None)
            note = f"（{hit.reason}）" if hit is not None and hit.reason else ""
            teacher = school.teachers[x.teacher].name
            cname = school.classes[x.cls].name + (f" {x.group}" if x.group else "")
            rows.append(((when, x.day, x.period, 2, x.cls), NoticeRow(
                KIND_CANCEL, when, school.days[x.day], _period(school, x), cname,
                f"{school.subjects[x.subject].name} {teacher}", f"停课：班级外出{note}",
                f"{teacher}、{cname}")))
        # 课外体育活动 sessions the moves shifted (a day that lost its PE lesson gets one)
        before = {(x.cls, x.day) for x in week.base.sessions}
        after = {(x.cls, x.day) for x in week.timetable.sessions}
        for c, d in sorted(before ^ after):
            when = week.date_of(d)
            added = (c, d) in after
            rows.append(((when, d, 99, 3, c), NoticeRow(
                KIND_MOVE, when, school.days[d], "课外体育活动", school.classes[c].name,
                "—" if added else "课外体育活动", "增加课外体育活动" if added else "取消课外体育活动",
                school.classes[c].name)))
    rows.sort(key=lambda kv: (kv[0][0] or date.min, *kv[0][1:]))
    return [r for _, r in rows]


def notice_text(school: School, rows: Sequence[NoticeRow], title: str) -> str:
    """The plain-text notice for a WeChat group: one line per change."""
    lines = [f"【{school.name} 调课通知】{title}"]
    if not rows:
        lines.append("本周没有需要调整的课 — nothing to change.")
    for r in rows:
        lines.append(f"{r.kind}｜{_date(r.date)} {r.day} {r.period}｜{r.cls}｜{r.before} → "
                     f"{r.after}")
    lines.append("请相关老师和班主任知悉。")
    return "\n".join(lines) + "\n"


_CSS = """body{font-family:"PingFang SC","Microsoft YaHei",sans-serif;margin:1em}
table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #888;padding:.3em .5em;
text-align:center;white-space:pre-line}th{background:#eee}.cover{background:#fff2cc}
.move{background:#dde8ff}.cancel,.absent{background:#eee;color:#888;text-decoration:line-through}
.closed{background:#f4f4f4}"""


def _notice_html(school: School, rows: Sequence[NoticeRow], title: str) -> str:
    body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r.cells()) + "</tr>"
                   for r in rows)
    head = "".join(f"<th>{h}</th>" for h in HEADER)
    return (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<title>调课通知</title><style>{_CSS}</style></head><body>"
            f"<h1>{html.escape(school.name)} 调课通知</h1><p>{html.escape(title)}</p>"
            f"<table><tr>{head}</tr>{body}</table></body></html>\n")


_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_FILL = {"cover": PatternFill("solid", fgColor="FFF2CC"), "move": PatternFill("solid", fgColor="DDE8FF"),
         "cancel": PatternFill("solid", fgColor="EEEEEE"), "absent": PatternFill("solid", fgColor="EEEEEE"),
         "head": PatternFill("solid", fgColor="DDDDDD")}


def _xlsx_bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _notice_xlsx(school: School, rows: Sequence[NoticeRow], title: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "调课通知"
    ws.append([f"{school.name} 调课通知 {title}"])
    ws.cell(1, 1).font = Font(size=14, bold=True)
    ws.append(list(HEADER))
    for r in rows:
        ws.append(list(r.cells()))
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.border, cell.alignment = _BORDER, _CENTER
            if cell.row == 2:
                cell.fill, cell.font = _FILL["head"], Font(bold=True)
    for col, width in zip("ABCDEFGH", (7, 9, 6, 16, 14, 18, 26, 24)):
        ws.column_dimensions[col].width = width
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToHeight = 0
    return _xlsx_bytes(wb)


# --- the dated week -------------------------------------------------------------------

def _marks(plan: ChangePlan) -> tuple[Timetable, dict[Lesson, str]]:
    """The week's lessons with its cancelled ones, and each changed lesson's mark."""
    week = plan.week
    assert week is not None
    moved = {(m.cls, m.to_day, m.to_period, m.subject) for m in plan.moves}
    marks: dict[Lesson, str] = {}
    for x in week.timetable.lessons:
        if x.cover:
            marks[x] = "cover"
        elif (x.cls, x.day, x.period, x.subject) in moved:
            marks[x] = "move"
    for x in week.cancelled:
        marks[x] = "cancel"
    return Timetable(week.timetable.lessons + tuple(week.cancelled), week.timetable.sessions), marks


_MARK_TEXT = {"cover": "【代课】", "move": "【调课】", "cancel": "【停课】", "absent": "【请假·他人代课】"}


def _dated_days(grid: Grid, plan: ChangePlan) -> tuple[str, ...]:
    week = plan.week
    assert week is not None
    return tuple(f"{name} {_date(week.date_of(d))}" if week.date_of(d) else f"{name}（不上课）"
                 for d, name in enumerate(grid.days))


def _grids(school: School, plan: ChangePlan) -> tuple[list[Grid], dict[Lesson, str]]:
    tt, marks = _marks(plan)
    grids = [class_grid(school, tt, c) for c in range(len(school.classes))]
    # an absent teacher's own page shows the lessons given to cover (【请假】)
    given = tuple(x for c in plan.covers for x in c.lessons)
    for x in given:
        marks[x] = "absent"
    mine = Timetable(tt.lessons + given, tt.sessions)
    grids += [teacher_grid(school, mine, t) for t in range(len(school.teachers))
              if any(x.teacher == t for x in mine.lessons)]
    # changed classes and teachers first
    touched = {("class", x.cls) for x in marks} | {("teacher", x.teacher) for x in marks}
    for plan_cover in plan.covers:
        touched.add(("teacher", plan_cover.absent))
    grids.sort(key=lambda g: ((g.kind, g.index) not in touched, g.kind != "class", g.index))
    return grids, marks


def _cell(entries, marks: dict[Lesson, str]) -> tuple[str, str]:
    texts, kind = [], ""
    for e in entries:
        mark = marks.get(e.lesson) if e.lesson is not None else None
        texts.append((_MARK_TEXT[mark] if mark else "") + e.text)
        kind = kind or (mark or "")
    return "\n\n".join(texts), kind


def _week_html(school: School, plan: ChangePlan, title: str) -> str:
    grids, marks = _grids(school, plan)
    parts = [f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
             f'<meta name="viewport" content="width=device-width,initial-scale=1">'
             f"<title>本周课表 {html.escape(title)}</title><style>{_CSS}</style></head><body>"
             f"<h1>{html.escape(school.name)} 本周课表</h1><p>{html.escape(title)} · "
             f'<span class="cover">代课</span> <span class="move">调课</span> '
             f'<span class="cancel">停课</span></p>']
    for g in grids:
        days = _dated_days(g, plan)
        parts.append(f"<h2>{html.escape(g.title)}</h2><p>{html.escape(g.subtitle)}</p><table>"
                     "<tr><th>节次</th><th>时间</th>" + "".join(f"<th>{html.escape(d)}</th>"
                                                           for d in days) + "</tr>")
        for row in g.rows:
            cells = []
            for d in range(len(days)):
                text, kind = _cell(row.cells[d], marks)
                closed = " closed" if row.closed and row.closed[d] else ""
                cells.append(f'<td class="{kind}{closed}">{html.escape(text)}</td>')
            parts.append(f"<tr><th>{html.escape(row.label)}</th><td>{html.escape(row.time)}</td>"
                         + "".join(cells) + "</tr>")
        parts.append("</table>")
    return "".join(parts) + "</body></html>\n"


def _week_xlsx(school: School, plan: ChangePlan, title: str) -> bytes:
    from .excel import sheet_names

    grids, marks = _grids(school, plan)
    names = sheet_names(school)
    wb = Workbook()
    wb.remove(wb.active)
    for g in grids:
        ws = wb.create_sheet(names[(g.kind, g.index)])
        days = _dated_days(g, plan)
        ws.append([f"{g.title}（{title}）"])
        ws.cell(1, 1).font = Font(size=14, bold=True)
        ws.append([g.subtitle])
        ws.append(["节次", "时间", *days])
        for row in g.rows:
            values, kinds = [row.label, row.time], ["", ""]
            for d in range(len(days)):
                text, kind = _cell(row.cells[d], marks)
                values.append(text or None)
                kinds.append(kind)
            ws.append(values)
            for col, kind in enumerate(kinds, start=1):
                cell = ws.cell(ws.max_row, col)
                cell.border, cell.alignment = _BORDER, _CENTER
                if kind:
                    cell.fill = _FILL[kind]
            lines = max(str(v or "").count("\n") + 1 for v in values)
            ws.row_dimensions[ws.max_row].height = max(20, 15 * lines)
        for cell in ws[3]:
            cell.border, cell.alignment, cell.fill = _BORDER, _CENTER, _FILL["head"]
        ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 9, 13
        for col in "CDEFGHI":
            ws.column_dimensions[col].width = 18
        ws.page_setup.orientation = "landscape"
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToHeight = 0
    return _xlsx_bytes(wb)


def write_change_files(dest: Path, school: School, plans: Sequence[ChangePlan],
                       title: str, reason: str = "") -> list[Path]:
    """Write the notice (txt, html, xlsx) and each week's dated timetable into ``dest``."""
    rows = notice_rows(school, plans, reason)
    dest.mkdir(parents=True, exist_ok=True)
    written = [
        write_atomic(dest / "调课通知.txt", notice_text(school, rows, title)),
        write_atomic(dest / "调课通知.html", _notice_html(school, rows, title)),
        write_atomic(dest / "调课通知.xlsx", _notice_xlsx(school, rows, title)),
    ]
    for plan in plans:
        week = plan.week
        if week is None or week.monday is None:
            continue
        tag = week.monday.isoformat()
        label = f"{title} · {tag} 当周"
        written.append(write_atomic(dest / f"本周课表_{tag}.html", _week_html(school, plan, label)))
        written.append(write_atomic(dest / f"本周课表_{tag}.xlsx", _week_xlsx(school, plan, label)))
        written.append(write_atomic(dest / f"timetable_{tag}.json", dump_timetable(
            week.timetable, school, {"week_of": tag, "cancelled": len(week.cancelled)})))
    return [Path(p) for p in written]


# --- what the clerk typed -------------------------------------------------------------

def _parse_dates(text: str, day_of) -> list[date]:
    """``2026-10-12..2026-10-13,2026-10-15``: every school day named."""
    out: list[date] = []
    for part in (p.strip() for p in text.replace("，", ",").split(",")):
        if not part:
            continue
        first, _, last = part.partition("..")
        try:
            a = date.fromisoformat(first.strip())
            b = date.fromisoformat(last.strip()) if last else a
        except ValueError:
            raise InputError("--dates", part, "日期形如 2026-10-12 或 2026-10-12..2026-10-13 — "
                                              "a date or a range FIRST..LAST") from None
        if b < a:
            raise InputError("--dates", part, "结束日期早于开始日期 the range ends before it starts")
        d = a
        while d <= b:
            out.append(d)
            d += timedelta(days=1)
    return out


def _slot(school: School, text: str, what: str) -> tuple[int, int]:
    """``周一3`` / ``周一第3节`` → (day, 0-based period)."""
    t = text.strip().replace("第", "").replace("节", "")
    for d, name in enumerate(school.days):
        if t.startswith(name) and t[len(name):].isdigit() and int(t[len(name):]) >= 1:
            return d, int(t[len(name):]) - 1
    raise InputError(what, text, f"时段形如 {school.days[0]}3（{school.days[0]}第3节） — a day and "
                                 f"a period, e.g. {school.days[0]}3")


def parse_changes(school: School, *, absent: Sequence[str] = (), class_away: Sequence[str] = (),
                  dates: str | None = None, half_days: str | None = None,
                  week_of: str | None = None, swaps: Sequence[str] = (), reason: str = "",
                  day_of=None) -> dict[date, WeekRequest]:
    """The changes typed on ``jianfu change``, week by week (keyed by the Monday).

    ``dates`` (``2026-10-12..2026-10-13``) are whole days; ``half_days`` (``周二下午``,
    ``周三上午``, ``周四``, comma-separated) are read in the week of ``week_of``; ``swaps``
    are two ``教师:时段`` (``王芳:周一3``) in the week of ``week_of``. ``day_of`` maps a
    date to its timetable day (default: Monday–Friday, ``models.change.weekday``).
    """
    from ..models.change import Absence, Away, SwapRequest, week_dates, weekday
    from ..models.school import Half

    day_of = day_of or weekday
    teachers = [_ref(school.teacher_index, n, "--absent", "教师 teacher") for n in absent]
    classes = [_ref(school.class_index, n, "--class-away", "班级 class") for n in class_away]
    if (teachers or classes) and not (dates or half_days):
        raise InputError("--dates", "", "请给出日期 give --dates or --half-day (with --week-of)")
    if (half_days or swaps) and not week_of:
        raise InputError("--week-of", "", "--half-day 和 --swap 需要 --week-of（当周任一天的日期） — "
                                          "give a date in that week")
    anchor = None
    if week_of:
        try:
            anchor = date.fromisoformat(week_of)
        except ValueError:
            raise InputError("--week-of", week_of, "a date like 2026-10-12") from None
    # (date, day, half) for every day named
    named: list[tuple[date, int, Half]] = []
    for d in _parse_dates(dates, day_of) if dates else []:
        n = day_of(d)
        if n is not None and n < len(school.days):
            named.append((d, n, Half.DAY))
    if half_days:
        assert anchor is not None
        held = {n: d for n, d in _week(anchor, day_of, len(school.days), week_dates).items()}
        for part in (p.strip() for p in half_days.replace("，", ",").split(",")):
            if not part:
                continue
            half = Half.AFTERNOON if part.endswith("下午") else \
                Half.MORNING if part.endswith("上午") else Half.DAY
            name = part.removesuffix("下午").removesuffix("上午").removesuffix("全天")
            if name not in school.days:
                raise InputError("--half-day", part, f"形如 {school.days[1]}下午、{school.days[2]}上午"
                                                     f" — a day, optionally 上午/下午")
            n = school.days.index(name)
            if n not in held:
                raise InputError("--half-day", part, f"{anchor} 那一周的{name}不上课 — no school "
                                                     f"that day in the week of {anchor}")
            named.append((held[n], n, half))
    if (teachers or classes) and not named:
        raise InputError("--dates", dates or half_days, "这些日期都不上课 no school on those dates")
    weeks: dict[date, dict] = {}

    def week(d: date) -> dict:
        monday = d - timedelta(days=d.weekday())
        if monday not in weeks:
            weeks[monday] = {"dates": _week(d, day_of, len(school.days), week_dates),
                             "absences": [], "away": [], "swaps": []}
        return weeks[monday]

    for d, n, half in named:
        for t in teachers:
            schedule = school.schedules[school.schedule_of_teacher(t)].days[n]
            u = half.stretch(n, schedule)
            week(d)["absences"].append(Absence(t, n, u.start, u.end, reason))
        for c in classes:
            u = half.stretch(n, school.day_of(c, n))
            week(d)["away"].append(Away(c, n, u.start, u.end, reason))
    if swaps:
        if len(swaps) != 2:
            raise InputError("--swap", " ".join(swaps), "两位教师各一个时段 two TEACHER:SLOT, "
                                                        "e.g. 王芳:周一3 李强:周三2")
        ends = []
        for text in swaps:
            name, sep, slot = text.partition(":") if ":" in text else text.partition("：")
            if not sep:
                raise InputError("--swap", text, "形如 王芳:周一3 — TEACHER:SLOT")
            t = _ref(school.teacher_index, name.strip(), "--swap", "教师 teacher")
            ends.append((t, *_slot(school, slot, "--swap")))
        assert anchor is not None
        (a, d1, p1), (b, d2, p2) = ends
        week(anchor)["swaps"].append(SwapRequest(a, d1, p1, b, d2, p2))
    return {m: WeekRequest(w["dates"], tuple(w["absences"]), tuple(w["away"]), tuple(w["swaps"]))
            for m, w in sorted(weeks.items())}


def _week(d: date, day_of, days: int, week_dates) -> dict:
    try:
        return week_dates(d, day_of, days)
    except ValueError as exc:
        raise InputError("--dates", str(d), str(exc)) from None


def _ref(index, name: str, flag: str, what: str) -> int:
    if name not in index:
        raise InputError(flag, name, f"学校中没有这个{what}")
    return index[name]
