"""Read timetables made by any tool, in the shapes schools keep (``jianfu audit``).

:func:`read_timetable_file` reads one file into a :class:`TimetableFile`: every lesson
by the names the file writes (class, day, period, subject, teacher), where it was
found (``总课表.xlsx: 总课表!D5``) and the shape found (:data:`LAYOUTS`):

- an Excel **总课表** (``master``): one sheet with the classes down and (day, period)
  across, as 晓羊, FET's and most schools' own sheets print it: a header row of days
  (周一…/星期一…, often merged over their period columns or written once), a row of
  periods below it (1…8, 第1节, 一), or one header row of ``周一1`` / ``周一第1节``; a
  title row above; the classes in a column left of the days (a class in two rows,
  subjects above teachers, is one class);
- **per-class sheets** (``per_class``): one sheet per class, days across, periods down
  (第1节, 1, 上午 1…), the class in the sheet name or a title cell; rows such as 大课间
  or 午休 are skipped and a 课外活动 row gives the activity sessions. jianfu's own
  ``jianfu export --format xlsx`` workbook is read this way (its 教师-/场地- sheets
  are skipped);
- **one row per lesson** (``rows``): CSV (UTF-8 with or without a BOM, GBK) or a sheet
  with columns 班级/class, 星期/day, 节次/period, 学科/subject, 教师/teacher (场地/venue,
  年级/grade optional), as ``jianfu export --format csv`` writes it;
- a **FET result** (``fet``): ``…_data_and_timetable.fet``, or ``…_activities.xml``
  with its ``.fet``; students sets become classes, hours periods;
- jianfu's **timetable JSON** (``json``).

A cell reads ``语文(王)``, ``语文（王芳）``, ``语文\\n王芳``, ``语文 王芳`` or just
``语文``; a line ``@实验室1`` names the venue and a line of clock times is skipped.
The names are matched to a school in :mod:`jianfu.instances.audit`. Helpers here
normalise them: :func:`class_key` (三（2）班 and 三(2)班 are one class, 七年级1班 /
初一(1)班 / 7.1 are grade 7), :func:`canonical_day`, :func:`canonical_subject`
(英语 = 外语, 体育 = 体育与健康, 道法 = 道德与法治 …).

Every bad file is an :class:`InputError` naming the file, and the sheet and cell.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, NamedTuple, Sequence

from openpyxl.utils import get_column_letter

from ..models.errors import InputError
from ..models.textfile import check_readable, read_text
from .curriculum import SUBJECT_BY_NAME

__all__ = [
    "LAYOUTS", "RawLesson", "RawSession", "TimetableFile", "read_timetable_file",
    "canonical_day", "canonical_subject", "class_key", "grade_of", "normal_text", "parse_cell",
    "parse_cell_lessons", "CellLesson", "parse_period", "DAY_ORDER", "WEEK_MARKS",
]

LAYOUTS: dict[str, str] = {
    "master": "总课表：班级在行，(星期, 节次) 在列 — whole-school sheet, classes down, "
              "(day, period) across",
    "per_class": "分班课表：每班一张工作表，星期在列、节次在行 — one sheet per class, days "
                 "across, periods down",
    "rows": "逐节列表：每行一节课（班级、星期、节次、学科、教师） — one row per lesson (class, "
            "day, period, subject, teacher)",
    "fet": "FET 课表：学生组即班级，课时即节次 — a FET result: students sets as classes, hours "
           "as periods",
    "json": "jianfu 课表 JSON — jianfu's timetable JSON",
}


@dataclass(frozen=True, slots=True)
class RawLesson:
    """A lesson as the file writes it; ``period`` 1-based; ``where`` the file and cell."""

    cls: str
    day: str
    period: int
    subject: str
    teacher: str | None = None
    venue: str | None = None
    where: str = ""
    group: str | None = None   # a group of a split lesson or 走班 block (男生, A层)
    week: int | None = None    # 单双周: 1 单周 (odd weeks), 2 双周 (even weeks); None every week


@dataclass(frozen=True, slots=True)
class RawSession:
    """An after-class activity session (课外体育活动) the file lists."""

    cls: str
    day: str
    venue: str | None = None
    where: str = ""


@dataclass(frozen=True, slots=True)
class TimetableFile:
    """What a timetable file says, by name.

    ``layout`` is one of :data:`LAYOUTS`, ``detail`` where it was found (sheets, header
    rows); ``grades`` the grade the file gives a class (a FET year, a 年级 column);
    ``school_name`` the school a title names; ``notes`` what the reader assumed.
    """

    source: str
    layout: str
    detail: str
    lessons: tuple[RawLesson, ...]
    sessions: tuple[RawSession, ...] = ()
    school_name: str | None = None
    grades: Mapping[str, int] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def found(self) -> str:
        """The sentence saying which shape was found, and where."""
        return f"{LAYOUTS[self.layout]}（{self.detail}）" if self.detail else LAYOUTS[self.layout]


# --------------------------------------------------------------------------------------
# Names: days, periods, classes, subjects
# --------------------------------------------------------------------------------------
DAY_ORDER = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
_ZH_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
           "十": 10, "日": 7, "天": 7}
_EN_DAYS = {"mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2,
            "wednesday": 2, "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "fri": 4,
            "friday": 4, "sat": 5, "saturday": 5, "sun": 6, "sunday": 6}
_DAY = re.compile(r"^(?:周|星期|礼拜)([一二三四五六日天1-7])$")


def normal_text(value: Any) -> str:
    """``value`` as text with full-width forms made plain (（2） → (2), ２ → 2) and every
    space removed: the form names are compared in."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value)))


def canonical_day(value: Any) -> str | None:
    """周一 … 周日 for 周一, 星期一, 礼拜一, 周1, Mon, Monday; ``None`` for anything else."""
    if value is None:
        return None
    text = normal_text(value).rstrip(".")
    m = _DAY.match(text)
    if m:
        ch = m.group(1)
        n = int(ch) if ch.isdigit() else _ZH_NUM[ch]
        return DAY_ORDER[n - 1]
    d = _EN_DAYS.get(text.lower())
    return DAY_ORDER[d] if d is not None else None


def _zh_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if not text or any(ch not in "一二三四五六七八九十" for ch in text):
        return None
    if text == "十":
        return 10
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_ZH_NUM[tens] if tens else 1) * 10 + (_ZH_NUM[ones] if ones else 0)
    return _ZH_NUM[text] if len(text) == 1 else None


_PERIOD = re.compile(r"^(?:上午|下午|晚上|早上|中午|上|下)?第?([0-9]{1,2}|[一二三四五六七八九十]{1,3})"
                     r"节?(?:课)?$")


def parse_period(value: Any) -> int | None:
    """The period number a label writes: ``1``, ``第1节``, ``第一节``, ``上午1``; else ``None``."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value) if float(value).is_integer() and 1 <= value <= 20 else None
    m = _PERIOD.match(normal_text(value))
    if not m:
        return None
    n = _zh_number(m.group(1))
    return n if n is not None and 1 <= n <= 20 else None


_DAY_PERIOD = re.compile(r"^((?:周|星期|礼拜)[一二三四五六日天1-7])[-_/:·.]?(.+)$")


def _day_period(value: Any) -> tuple[str, int] | None:
    """(day, period) of a header cell ``周一1``, ``周一第1节``, ``星期一\\n1``."""
    if value is None:
        return None
    m = _DAY_PERIOD.match(normal_text(value))
    if not m:
        return None
    day, period = canonical_day(m.group(1)), parse_period(m.group(2))
    return (day, period) if day and period else None


_GRADE = r"([一二三四五六七八九]|[1-9])"
_NUMBER = r"([0-9]{1,2}|[一二三四五六七八九十]{1,3})"
_CLASS_FORMS = (
    re.compile(rf"^(?:小学)?{_GRADE}年级\(?{_NUMBER}?\)?班?$"),          # 三年级2班, 三年级(2)班
    re.compile(rf"^{_GRADE}\({_NUMBER}\)班?$"),                           # 三(2)班, 3(2)班
    re.compile(rf"^([一二三四五六七八九]){_NUMBER}班$"),                   # 三2班
    re.compile(r"^初([一二三])(?:年级)?\(?([0-9]{1,2}|[一二三四五六七八九十]{1,3})?\)?班?$"),
    re.compile(r"^小([一二三四五六])(?:年级)?\(?([0-9]{1,2}|[一二三四五六七八九十]{1,3})?\)?班?$"),
    re.compile(r"^([1-9])[.\-·_]([0-9]{1,2})班?$"),                       # 7.1, 7-1
    re.compile(r"^([1-9])([0-9]{2})班?$"),                                # 701班
)


def class_key(name: Any) -> tuple[int, int] | str:
    """What makes two class names the same class: ``(grade, number)`` when the name
    reads as one (三（2）班, 三(2)班 and 三年级2班 are ``(3, 2)``; 初一(1)班, 七年级1班 and
    7.1 are ``(7, 1)``), else the name in :func:`normal_text` form."""
    text = normal_text(name)
    for i, form in enumerate(_CLASS_FORMS):
        m = form.match(text)
        if not m:
            continue
        grade = _zh_number(m.group(1)) or 0
        if i == 3:
            grade += 6
        number = _zh_number(m.group(2)) if m.group(2) else 0
        if 1 <= grade <= 9 and number is not None:
            return grade, number
    return text


_GRADE_IN = (re.compile(r"([一二三四五六七八九])年级"), re.compile(r"([1-9])年级"),
             re.compile(r"初([一二三])"))


def grade_of(name: Any) -> int | None:
    """The grade (1–9) a class name says, or ``None`` (火箭班, 2023级1班)."""
    key = class_key(name)
    if isinstance(key, tuple):
        return key[0]
    for i, form in enumerate(_GRADE_IN):
        m = form.search(key)
        if m:
            return (_zh_number(m.group(1)) or 0) + (6 if i == 2 else 0)
    return None


_CLASS_IN_TEXT = re.compile(
    r"((?:小学)?[一二三四五六七八九1-9]年级\s*[（(]?\s*[0-9一二三四五六七八九十]{1,3}\s*[)）]?\s*班"
    r"|[一二三四五六七八九1-9]\s*[（(]\s*[0-9]{1,2}\s*[)）]\s*班?"
    r"|初[一二三]\s*[（(]?\s*[0-9]{1,2}\s*[)）]?\s*班?"
    r"|[1-9][0-9]{2}班|[1-9][.\-][0-9]{1,2}班?)")


def class_in_text(text: Any) -> str | None:
    """The class a title names: ``三（2）班 课程表`` → ``三（2）班``; ``None`` if none."""
    if text is None:
        return None
    m = _CLASS_IN_TEXT.search(str(text))
    return re.sub(r"\s+", "", m.group(1)) if m else None


#: What schools call the curriculum's subjects (instances/curriculum.py names).
SUBJECT_ALIASES: dict[str, str] = {
    **{name: name for name in SUBJECT_BY_NAME},
    "英语": "外语", "英文": "外语", "外语": "外语", "日语": "外语", "俄语": "外语", "英": "外语",
    "体育": "体育与健康", "体育课": "体育与健康", "体健": "体育与健康", "体": "体育与健康",
    "道法": "道德与法治", "道德法治": "道德与法治", "品德": "道德与法治", "品社": "道德与法治",
    "品生": "道德与法治", "品德与社会": "道德与法治", "品德与生活": "道德与法治",
    "思品": "道德与法治", "思想品德": "道德与法治", "政治": "道德与法治", "道": "道德与法治",
    "政": "道德与法治",
    "语": "语文", "数": "数学", "史": "历史", "历": "历史", "地": "地理", "物": "物理",
    "化": "化学", "生": "生物学", "生物": "生物学", "科": "科学",
    "信息": "信息科技", "信息技术": "信息科技", "信技": "信息科技", "电脑": "信息科技",
    "计算机": "信息科技", "信": "信息科技",
    "音": "音乐", "美": "美术",
    "劳技": "劳动", "劳动技术": "劳动", "劳动教育": "劳动", "劳": "劳动",
    "综合实践": "综合实践活动", "综实": "综合实践活动", "综合": "综合实践活动", "综": "综合实践活动",
    "地方": "地方与校本课程", "校本": "地方与校本课程", "地方课程": "地方与校本课程",
    "校本课程": "地方与校本课程", "地方与校本": "地方与校本课程", "地校": "地方与校本课程",
}


def canonical_subject(name: str) -> str:
    """The curriculum's name of a subject (英语 → 外语, 体育 → 体育与健康, 道法 →
    道德与法治, 生物 → 生物学 …); any other name as written (书法, 班会)."""
    text = normal_text(name)
    return SUBJECT_ALIASES.get(text, text)


_EMPTY = {"", "-", "/", "—", "–", "无", "空", "×", "x", "/ ", "——"}
# a line of clock times, as jianfu adds when a day's bell differs: (08:10–08:50), 周五 15:30-16:00
_TIME_LINE = re.compile(r"^[(（]?[^()（）\d]{0,8}\d{1,2}[:：]\d{2}\s*[-–—~～至]\s*\d{1,2}[:：]\d{2}"
                        r"[)）]?$")
_BRACKETED = re.compile(r"^(.+?)\s*[(（\[【](.+?)[)）\]】]$")
VENUE_MARK = "@"
_VENUE_MARKS = (VENUE_MARK, "＠")
# 单双周 marks: 书法(单周), 科学（双周）, 书法 单周 — anywhere on the subject line
_WEEK_MARK = re.compile(r"\s*[(（\[【]\s*([单双])\s*周?\s*[)）\]】]|(?:^|(?<=\s))([单双])周(?=\s|$)")
WEEK_MARKS: dict[str, int] = {"单": 1, "双": 2}


class CellLesson(NamedTuple):
    """One lesson a cell writes: ``week`` 1 单周, 2 双周, ``None`` every week."""

    subject: str
    teacher: str | None
    venue: str | None
    group: str | None
    week: int | None = None


def parse_cell(value: Any) -> list[tuple[str, str | None, str | None, str | None]]:
    """The lessons a timetable cell holds, as (subject, teacher, venue, group).

    ``语文(王)``, ``语文（王芳）``, ``语文\\n王芳``, ``语文 王芳``, ``语文``; a line
    ``@实验室1`` is the venue, a line of clock times is skipped, and two lessons in one
    cell are separated by a blank line (as ``jianfu export`` writes them). A first line
    ``男生 体育与健康`` (a teacher's line below it or not) is the group 男生 of a split
    lesson (as jianfu writes 分组 and 走班 groups). An empty cell, ``-``, ``/``, ``无``
    hold none. The 单双周 mark of ``书法(单周)`` is dropped here; :func:`parse_cell_lessons`
    keeps it.
    """
    return [x[:4] for x in parse_cell_lessons(value)]


def parse_cell_lessons(value: Any) -> list[CellLesson]:
    """The lessons a cell holds (:func:`parse_cell`), each with its 单双周 week:
    ``书法(单周)``, ``书法（双周）`` or ``书法 单周`` on the subject line."""
    if value is None:
        return []
    text = str(value).strip()
    if normal_text(text) in _EMPTY:
        return []
    out = []
    for block in re.split(r"\n\s*\n", text):
        lines = [ln.strip() for ln in block.splitlines()]
        lines = [ln for ln in lines if ln and not _TIME_LINE.match(ln)]
        venue = next((ln[1:].strip() or None for ln in lines if ln.startswith(_VENUE_MARKS)),
                     None)
        rest = [ln for ln in lines if not ln.startswith(_VENUE_MARKS)]
        if not rest or normal_text(rest[0]) in _EMPTY:
            continue
        week: int | None = None
        marks = [a or b for a, b in _WEEK_MARK.findall(rest[0])]
        if marks:
            week = WEEK_MARKS[marks[0]]
            rest[0] = _WEEK_MARK.sub("", rest[0]).strip() or rest[0]
        first = rest[0]
        teacher: str | None = None
        group: str | None = None
        m = _BRACKETED.match(first) if not _WEEK_MARK.match(first) else None
        words = first.split(None, 1)
        if m:
            subject, teacher = m.group(1).strip(), m.group(2).strip()
            inner = subject.split(None, 1)      # 男生 体育(刘洋)
            if len(inner) > 1 and _is_subject(inner[1]) and not _is_subject(inner[0]):
                group, subject = inner
        elif len(words) > 1 and _is_subject(words[1]) and not _is_subject(words[0]):
            group, subject, teacher = words[0], words[1], rest[1] if len(rest) > 1 else None
        elif len(words) > 1:
            subject, teacher = words
        else:
            subject = first
            teacher = rest[1] if len(rest) > 1 else None
        teacher = teacher.strip() if teacher else None
        out.append(CellLesson(subject.strip(), teacher or None, venue, group, week))
    return out


def _is_subject(text: str) -> bool:
    return canonical_subject(_WEEK_MARK.sub("", text).strip() or text) in SUBJECT_BY_NAME


# --------------------------------------------------------------------------------------
# The file
# --------------------------------------------------------------------------------------
def read_timetable_file(path: str | Path, *, fet: str | Path | None = None,
                        layout: str | None = None) -> TimetableFile:
    """Read a timetable file of any shape jianfu knows (see the module docstring).

    Parameters
    ----------
    path
        ``.xlsx`` (总课表, per-class sheets or one row per lesson), ``.csv``, ``.fet`` /
        ``.fet.gz`` (a FET file with its timetable locked in, such as
        ``…_data_and_timetable.fet``), ``…_activities.xml`` or ``.json``.
    fet
        The ``.fet`` file of an ``…_activities.xml`` (default: found beside it).
    layout
        A workbook: read only the sheets of this shape (``master``: its 总课表,
        ``per_class``, ``rows``). By default a workbook with both a 总课表 and class
        sheets (as ``jianfu export`` writes it) is read by its 总课表, with a note when its
        class sheets say otherwise.

    Raises
    ------
    InputError
        Naming the file (and sheet and cell) for a file that cannot be read or whose
        shape is not recognised.
    """
    file = check_readable(path)
    name = file.name.lower()
    if name.endswith((".xlsx", ".xlsm")):
        return _read_workbook(file, layout)
    if name.endswith(".csv") or name.endswith(".txt"):
        return _read_csv(file)
    if name.endswith((".fet", ".fet.gz", ".xml")):
        return _read_fet(file, fet)
    if name.endswith(".json"):
        return _read_json(file)
    if name.endswith(".xls"):
        raise InputError(str(file), "", "旧版 .xls 工作簿请在 Excel/WPS 中另存为 .xlsx — save the "
                                        "old .xls workbook as .xlsx in Excel or WPS first")
    raise InputError(str(file), file.suffix, "不认识的课表文件类型 unknown timetable file type; "
                                             "give .xlsx, .csv, .fet, _activities.xml or .json")


# --- Excel -----------------------------------------------------------------------------

class _Sheet:
    """A worksheet as a grid of values, merged cells filled with their top-left value."""

    def __init__(self, ws: Any, source: str) -> None:
        self.name = ws.title
        self.source = source
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        width = max((len(r) for r in rows), default=0)
        self.cells = [r + [None] * (width - len(r)) for r in rows]
        self.nrows, self.ncols = len(self.cells), width
        self.origin: dict[tuple[int, int], tuple[int, int]] = {}
        for rng in ws.merged_cells.ranges:
            top = (rng.min_row - 1, rng.min_col - 1)
            if top[0] >= self.nrows or top[1] >= self.ncols:
                continue
            value = self.cells[top[0]][top[1]]
            for r in range(rng.min_row - 1, min(rng.max_row, self.nrows)):
                for c in range(rng.min_col - 1, min(rng.max_col, self.ncols)):
                    self.cells[r][c] = value
                    self.origin[(r, c)] = top

    def get(self, r: int, c: int) -> Any:
        if 0 <= r < self.nrows and 0 <= c < self.ncols:
            v = self.cells[r][c]
            return v.strip() if isinstance(v, str) and v.strip() == "" else v
        return None

    def text(self, r: int, c: int) -> str:
        v = self.get(r, c)
        return "" if v is None else str(v).strip()

    def where(self, r: int, c: int) -> str:
        return f"{self.source}: {self.name}!{get_column_letter(c + 1)}{r + 1}"

    def root(self, r: int, c: int) -> tuple[int, int]:
        return self.origin.get((r, c), (r, c))


_SKIP_SHEETS = ("汇总", "说明", "作业", "目录", "课时统计", "开课统计", "空闲表")   # no timetable
_SKIP_WORDS = ("教师", "老师", "场地", "教室")             # a teacher's or a room's timetable
_ACTIVITY_LABELS = ("课外体育活动", "课外活动", "体育活动", "阳光体育", "阳光一小时", "activity")
_HEADER_SCAN = 25


def _read_workbook(file: Path, layout: str | None = None) -> TimetableFile:
    from .excel import open_workbook

    if layout not in (None, "master", "per_class", "rows"):
        raise InputError("layout", layout, "master, per_class or rows")
    wb = open_workbook(file)
    source = file.name
    masters, classes, rows = [], [], []
    for ws in wb.worksheets:
        sheet = _Sheet(ws, source)
        if sheet.nrows == 0 or sheet.name.startswith(_SKIP_SHEETS + _SKIP_WORDS):
            continue                  # jianfu's 汇总, 教师-王芳, 场地-操场 sheets
        found = _master(sheet)
        if found is not None:
            masters.append(found)
            continue
        found = _per_class(sheet)
        if found is not None:
            classes.append(found)
            continue
        found = _rows_sheet(sheet)
        if found is not None:
            rows.append(found)
    title = next((p.title for p in masters + classes if p.title), None)
    school = _school_name(title) if masters or classes else next(
        (p.title for p in rows if p.title), None)   # a rows sheet's 学校 column
    notes: list[str] = []
    if layout is not None:
        found_parts = {"master": masters, "per_class": classes, "rows": rows}[layout]
        if not found_parts:
            raise InputError(source, "", f"找不到这种课表 no sheet of this shape: "
                                         f"{LAYOUTS[layout]}")
        masters, classes, rows = (found_parts if layout == "master" else [],
                                  found_parts if layout == "per_class" else [],
                                  found_parts if layout == "rows" else [])
    if masters and classes:
        # jianfu's own workbook: say if the class sheets differ from the 总课表 read
        differ = len(_cells(masters) ^ _cells(classes))
        if differ:
            notes.append(f"总课表与班级课表有 {differ} 处不同，按总课表读 — the 总课表 and the class "
                         f"sheets differ in {differ} lesson(s); the 总课表 is read")
    if masters:
        parts, layout = masters, "master"
    elif classes:
        parts, layout = classes, "per_class"
        seen: dict[str, str] = {}
        for p in classes:
            if not p.cls:
                raise InputError(f"{source}: {p.sheet}", p.sheet,
                                 "看不出这张课表是哪个班的 cannot tell which class this sheet is "
                                 "for: name the sheet after the class (三(2)班) or put the class "
                                 "in a title cell")
            key = str(class_key(p.cls))
            if key in seen:
                raise InputError(f"{source}: {p.sheet}", p.cls,
                                 f"与工作表 {seen[key]} 是同一个班 the same class as sheet "
                                 f"{seen[key]}: one sheet per class")
            seen[key] = p.sheet
    elif rows:
        parts, layout = rows, "rows"
    else:
        raise InputError(source, "", "找不到课表 no timetable found: expected a 总课表 (classes "
                                     "down, days and periods across), one sheet per class (days "
                                     "across, periods down) or one row per lesson (班级, 星期, 节次, "
                                     "学科, 教师)")
    lessons = tuple(x for p in parts for x in p.lessons)
    sessions = tuple(x for p in parts for x in p.sessions)
    grades = {k: v for p in parts for k, v in p.grades.items()}
    if layout == "per_class":
        detail = f"{len(parts)} 张班级工作表 class sheets"
    else:
        detail = "；".join(p.detail for p in parts)
    return TimetableFile(str(file), layout, detail, lessons, sessions,
                         school_name=school, grades=grades, notes=tuple(notes))


def _cells(parts: Sequence[Any]) -> set[tuple[Any, ...]]:
    """The lessons of ``parts`` as comparable keys (class, day, period, subject, group, week)."""
    return {(str(class_key(x.cls)), canonical_day(x.day), x.period, canonical_subject(x.subject),
             x.group, x.week) for p in parts for x in p.lessons}


@dataclass
class _Part:
    sheet: str
    detail: str
    lessons: list[RawLesson]
    sessions: list[RawSession] = field(default_factory=list)
    title: str | None = None
    cls: str = ""
    grades: dict[str, int] = field(default_factory=dict)


def _school_name(title: str | None) -> str | None:
    if not title:
        return None
    m = re.search(r"([^\s·|,，:：]+?(?:学校|小学|中学|初中|学园|学堂|实验校))", title)
    return m.group(1) if m else None


def _title_above(sheet: _Sheet, header: int) -> str | None:
    """The texts above the header row (a title such as ``XX小学 总课表``), joined."""
    texts = dict.fromkeys(sheet.text(r, c) for r in range(header) for c in range(sheet.ncols))
    return " ".join(t for t in texts if t) or None


def _day_row(sheet: _Sheet, start: int = 0, scan: int = _HEADER_SCAN
             ) -> tuple[int, dict[int, str]] | None:
    """The first of ``scan`` rows from ``start`` with at least two different day names,
    and its day columns (merged day cells already fill their columns)."""
    for r in range(start, min(sheet.nrows, start + scan)):
        days = {c: d for c in range(sheet.ncols) if (d := canonical_day(sheet.get(r, c)))}
        if len(set(days.values())) >= 2:
            return r, days
    return None


def _sequence(labels: list[int]) -> list[int]:
    """Period numbers of labels in order: the labels when they increase (1 2 3, 2 3 4),
    else their positions (上午 1 2 3 4, 下午 1 2 3 counts on: 5 6 7)."""
    if all(b > a for a, b in zip(labels, labels[1:])):
        return labels
    return list(range(1, len(labels) + 1))


def _activity_label(value: Any) -> bool:
    text = normal_text(value).lower() if value is not None else ""
    return bool(text) and any(a in text for a in _ACTIVITY_LABELS)


def _master_columns(sheet: _Sheet, r: int, days: dict[int, str]
                    ) -> tuple[dict[int, tuple[str, int]], int, dict[int, str]] | None:
    """The (day, period) of each lesson column of a 总课表 header at row ``r``, the last
    header row, and the day of each activity column (a 课外活动 column under a day, as
    jianfu writes it); ``None`` when the header is not a 总课表's."""
    combined = {c: dp for c in range(sheet.ncols) if (dp := _day_period(sheet.get(r, c)))}
    if len(combined) >= 2:
        return combined, r, {}
    for pr in (r + 1, r + 2):
        periods = {c: p for c in range(sheet.ncols)
                   if (p := parse_period(sheet.get(pr, c))) is not None}
        if len(periods) < 2:
            continue
        first = min(days)
        cols: dict[int, str] = {}
        acts: dict[int, str] = {}
        current = None
        for c in range(first, sheet.ncols):       # a day written once over its periods
            d = days.get(c)
            activity = c not in periods and _activity_label(sheet.get(pr, c))
            if d is not None:
                current = d
            elif (c not in periods and not activity) or sheet.text(r, c):
                current = None
            if current is not None and c in periods:
                cols[c] = current
            elif current is not None and activity:
                acts[c] = current
        per_day: dict[str, list[int]] = {}
        for c in sorted(cols):
            per_day.setdefault(cols[c], []).append(c)
        if not any(len(cs) >= 2 for cs in per_day.values()):
            return None               # one column per day: a per-class sheet
        out: dict[int, tuple[str, int]] = {}
        for d, cs in per_day.items():
            for c, p in zip(cs, _sequence([periods[c] for c in cs])):
                out[c] = (d, p)
        return out, pr, acts
    return None


_CLASS_HEADERS = ("班级", "班别", "班次", "班", "class", "班级名称")
_NOT_CLASSES = ("教师", "老师", "姓名", "教师姓名", "场地", "教室")


def _class_column(sheet: _Sheet, header: int, last: int, first_lesson: int) -> int | None:
    candidates = list(range(first_lesson))
    if not candidates:
        return None
    for c in candidates:
        for r in range(header, last + 1):
            if normal_text(sheet.text(r, c)).lower() in _CLASS_HEADERS:
                return c

    def score(c: int) -> tuple[int, int]:
        values = [sheet.get(r, c) for r in range(last + 1, sheet.nrows)]
        named = sum(1 for v in values if v is not None and grade_of(v) is not None)
        return named, sum(1 for v in values if v is not None)

    best = max(candidates, key=lambda c: (score(c), -c))
    return best if score(best)[1] else None


def _master(sheet: _Sheet) -> _Part | None:
    """A 总课表: classes down, (day, period) across; header blocks may repeat (one per
    grade)."""
    found = _day_row(sheet)
    if found is None:
        return None
    r, days = found
    header = _master_columns(sheet, r, days)
    if header is None:
        return None
    cols, last, acts = header
    cc = _class_column(sheet, r, last, min(cols))
    if cc is None or any(normal_text(sheet.text(h, cc)) in _NOT_CLASSES
                         for h in range(r, last + 1)):
        return None                               # teachers or rooms down: not a 总课表 of classes
    if any(w in sheet.name for w in _SKIP_WORDS) and not any(
            grade_of(sheet.get(row, cc)) for row in range(last + 1, sheet.nrows)):
        return None                               # 教师总课表: teachers' names, no class
    title = _title_above(sheet, r)
    first_last = last
    lessons: list[RawLesson] = []
    sessions: list[RawSession] = []
    blocks = 1
    row = last + 1
    current: tuple[str, int] | None = None      # class and its first row
    texts: dict[int, list[str]] = {}
    roots: dict[int, set[tuple[int, int]]] = {}

    def flush() -> None:
        if current is None:
            return
        name, r0 = current
        for c, parts in texts.items():
            if c in acts:                        # the class's after-class session that day
                venue = next((ln.strip()[1:].strip() or None for p in parts
                              for ln in p.splitlines() if ln.strip().startswith(VENUE_MARK)),
                             None)
                sessions.append(RawSession(name, acts[c], venue, sheet.where(r0, c)))
                continue
            day, period = cols[c]
            for subject, teacher, venue, group, week in parse_cell_lessons("\n".join(parts)):
                lessons.append(RawLesson(name, day, period, subject, teacher, venue,
                                         sheet.where(r0, c), group, week))

    while row < sheet.nrows:
        again = _day_row(sheet, row, scan=1)
        if again is not None:
            more = _master_columns(sheet, row, again[1])
            if more is not None:                  # the header again, for the next block
                flush()
                current, texts, roots = None, {}, {}
                cols, last, acts = more
                blocks += 1
                row = last + 1
                continue
        value = sheet.get(row, cc)
        name = normal_text(value) if value is not None else ""
        cells = {c: sheet.root(row, c) for c in [*cols, *acts] if sheet.text(row, c)}
        if cells and all(_TIME_LINE.match(line.strip()) for c in cells
                         for line in sheet.text(row, c).splitlines() if line.strip()):
            row += 1                             # the periods' clock times under the header
            continue
        same = current is not None and (not name or name == normal_text(current[0]))
        if not same:
            flush()
            current, texts, roots = None, {}, {}
            if not name or (not cells and grade_of(value) is None):
                row += 1                         # a blank row, a note, a subtotal
                continue
            current = (str(value).strip(), row)
        elif not cells:
            if not name:                         # a blank row ends the class
                flush()
                current, texts, roots = None, {}, {}
            row += 1
            continue
        for c, root in cells.items():            # the class's row, or its second row
            if root in roots.setdefault(c, set()):
                continue
            roots[c].add(root)
            texts.setdefault(c, []).append(sheet.text(row, c))
        row += 1
    flush()
    if not lessons:
        return None
    span = (f"第{r + 1}–{first_last + 1}行 header rows {r + 1}–{first_last + 1}"
            if first_last > r else f"第{r + 1}行 header row {r + 1}")
    classes = len(dict.fromkeys(x.cls for x in lessons))
    detail = (f"工作表 {sheet.name}，表头{span}，{classes} 个班 classes"
              + (f"，{blocks} 段（每段有表头） blocks, each with its header" if blocks > 1 else ""))
    return _Part(sheet.name, detail, lessons, sessions, title=title)


def _per_class(sheet: _Sheet) -> _Part | None:
    """One class's sheet: days across (one column each), periods down."""
    found = _day_row(sheet)
    if found is None:
        return None
    r, days = found
    day_col: dict[str, int] = {}
    for c, d in sorted(days.items()):
        if d in day_col and sheet.root(r, c) != sheet.root(r, day_col[d]):
            return None
        day_col.setdefault(d, c)
    first = min(day_col.values())
    best, labels = None, {}
    for c in range(first):
        found_labels = {row: p for row in range(r + 1, sheet.nrows)
                        if (p := parse_period(sheet.get(row, c))) is not None}
        if len(found_labels) > len(labels):
            best, labels = c, found_labels
    if best is None or len(labels) < 2:
        return None
    title = _title_above(sheet, r)
    cls = _sheet_class(sheet, r) or ""
    # rows of one period: its label row and the rows a merged label spans (subject, teacher)
    order: list[tuple[int, list[int]]] = []
    for row in sorted(labels):
        if order and sheet.root(row, best) == sheet.root(order[-1][1][0], best):
            order[-1][1].append(row)
        else:
            order.append((labels[row], [row]))
    numbers = _sequence([n for n, _ in order])
    lessons: list[RawLesson] = []
    for period, (_, rows) in zip(numbers, order):
        for d, c in day_col.items():
            parts, seen = [], set()
            for row in rows:
                root = sheet.root(row, c)
                if root in seen or not sheet.text(row, c):
                    continue
                seen.add(root)
                parts.append(sheet.text(row, c))
            for subject, teacher, venue, group, week in parse_cell_lessons("\n".join(parts)):
                lessons.append(RawLesson(cls, d, period, subject, teacher, venue,
                                         sheet.where(rows[0], c), group, week))
    if lessons and sum(1 for x in lessons if grade_of(x.subject) is not None) * 2 > len(lessons):
        return None          # classes in the cells: a teacher's or a room's timetable
    sessions: list[RawSession] = []
    for row in range(r + 1, sheet.nrows):
        label = "".join(normal_text(sheet.text(row, c)) for c in range(first))
        if not any(a in label for a in _ACTIVITY_LABELS):
            continue
        for d, c in day_col.items():
            text = sheet.text(row, c)
            if text:                              # merged across the days: every day
                venue = next((ln.strip()[1:].strip() or None for ln in text.splitlines()
                              if ln.strip().startswith(_VENUE_MARKS)), None)
                sessions.append(RawSession(cls, d, venue, sheet.where(row, c)))
    grades: dict[str, int] = {}
    grade = _subtitle_grade(sheet, r)
    if grade is not None:
        grades[cls] = grade
    return _Part(sheet.name, f"工作表 {sheet.name}", lessons, sessions, title=title, cls=cls,
                 grades=grades)


def _sheet_class(sheet: _Sheet, header: int) -> str | None:
    """The class of a per-class sheet: its name (``三(2)班``, ``班级-三(2)班``,
    ``三2班课表``) or a title cell above the header."""
    name = re.sub(r"^(?:班级|班)[-_:：\s]*", "", sheet.name.strip())
    name = re.sub(r"(?:课程表|课表)$", "", name).strip()
    if name and grade_of(name) is not None:
        return name
    for r in range(header):
        for c in range(sheet.ncols):
            found = class_in_text(sheet.text(r, c))
            if found:
                return found
    if name and not re.match(r"^(?:sheet|工作表)\s*\d*$", name, re.I):
        return name
    return None


def _subtitle_grade(sheet: _Sheet, header: int) -> int | None:
    """A grade a line above the header states (``… · 3年级 · …``, jianfu's subtitle)."""
    for r in range(header):
        m = re.search(r"(?:^|[·\s])([1-9])年级(?:[·\s]|$)", sheet.text(r, 0))
        if m:
            return int(m.group(1))
    return None


# --- one row per lesson ----------------------------------------------------------------

_COLUMNS: dict[str, tuple[str, ...]] = {
    "class": ("class", "班级", "班别", "班", "班级名称"),
    "day": ("day", "星期", "weekday", "周", "日期"),
    "period": ("period", "节次", "节", "课节", "第几节"),
    "subject": ("subject", "学科", "科目", "课程", "课程名称"),
    "teacher": ("teacher", "教师", "任课教师", "老师", "教师姓名"),
    "venue": ("venue", "场地", "教室", "上课地点"),
    "grade": ("grade", "年级"),
    "school": ("school", "学校", "学校名称"),
    "group": ("group", "分组"),
    "week": ("week", "单双周"),
}
_WEEK_VALUES = {"单": 1, "单周": 1, "odd": 1, "1": 1, "双": 2, "双周": 2, "even": 2, "2": 2}
_REQUIRED = ("class", "day", "period", "subject")


def _header_columns(values: Sequence[Any]) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for c, v in enumerate(values):
        if v is None:
            continue
        tokens = [normal_text(t).lower() for t in str(v).split()] + [normal_text(v).lower()]
        for key, names in _COLUMNS.items():
            if key not in found and any(t in names for t in tokens):
                found[key] = c
                break
    return found if all(k in found for k in _REQUIRED) else None


def _rows(table: Sequence[Sequence[Any]], where: Callable[[int, int], str]
          ) -> tuple[list[RawLesson], dict[str, int], int, str | None] | None:
    """Lessons of a table with a header row of 班级, 星期, 节次, 学科 (教师, 场地, 年级)."""
    for h in range(min(len(table), 10)):
        cols = _header_columns(table[h])
        if cols is not None:
            break
    else:
        return None
    lessons = []
    grades: dict[str, int] = {}
    school: str | None = None

    def cell(row: Sequence[Any], key: str) -> Any:
        c = cols.get(key)
        if c is None or c >= len(row):
            return None
        v = row[c]
        return v.strip() if isinstance(v, str) else v

    for i in range(h + 1, len(table)):
        row = table[i]
        if all(v is None or str(v).strip() == "" for v in row):
            continue
        values = {k: cell(row, k) for k in cols}
        for key in _REQUIRED:
            if values[key] is None or str(values[key]) == "":
                raise InputError(where(i, cols[key]), "", f"缺少{_ZH[key]} missing the {key}")
        day = canonical_day(values["day"])
        number = parse_period(values["day"])       # 1 … 7 for 周一 … 周日, as some tools write
        if day is None and number is not None and number <= 7:
            day = DAY_ORDER[number - 1]
        if day is None:
            raise InputError(where(i, cols["day"]), values["day"],
                             "不认识的星期 not a day (周一…周日, 星期一, Mon)")
        period = parse_period(values["period"])
        if period is None:
            raise InputError(where(i, cols["period"]), values["period"],
                             "节次应为 1、2… 或 第1节 a period number (1, 2 … or 第1节)")
        cls = str(values["class"]).strip()
        teacher, venue, group = (values.get(k) for k in ("teacher", "venue", "group"))
        week = values.get("week")
        if week not in (None, ""):
            text = normal_text(week).lower().removesuffix(".0")
            if text not in _WEEK_VALUES:
                raise InputError(where(i, cols["week"]), week, "应为 单 或 双 expected 单 (odd "
                                                              "weeks, 单周) or 双 (even weeks, "
                                                              "双周); empty: every week")
            week = _WEEK_VALUES[text]
        lessons.append(RawLesson(
            cls, day, period, str(values["subject"]).strip(),
            str(teacher).strip() if teacher not in (None, "") else None,
            str(venue).strip() if venue not in (None, "") else None,
            where(i, cols["subject"]),
            str(group).strip() if group not in (None, "") else None,
            week if week not in (None, "") else None))
        grade = values.get("grade")
        if grade not in (None, ""):
            try:
                g = int(float(str(grade)))
            except ValueError:
                g = grade_of(grade) or 0
            if not 1 <= g <= 9:
                raise InputError(where(i, cols["grade"]), grade, "年级应为 1–9 a grade 1–9")
            grades.setdefault(cls, g)
        if school is None and values.get("school") not in (None, ""):
            school = str(values["school"]).strip()
    return lessons, grades, h, school


_ZH = {"class": "班级", "day": "星期", "period": "节次", "subject": "学科"}


def _rows_sheet(sheet: _Sheet) -> _Part | None:
    found = _rows(sheet.cells, sheet.where)
    if found is None:
        return None
    lessons, grades, h, school = found
    return _Part(sheet.name, f"工作表 {sheet.name}，表头第{h + 1}行 header row {h + 1}",
                 lessons, grades=grades, title=school)


def _read_csv(file: Path) -> TimetableFile:
    text = read_text(file)
    try:
        table = [[v if v != "" else None for v in row]
                 for row in csv.reader(io.StringIO(text, newline=""))]
    except csv.Error as exc:
        raise InputError(str(file), "", f"CSV 格式错误 bad CSV: {exc}") from None

    def where(r: int, c: int) -> str:
        return f"{file.name}: 第{r + 1}行 row {r + 1}, 第{c + 1}列 column {c + 1}"

    found = _rows(table, where)
    if found is None:
        raise InputError(file.name, "", "找不到表头 no header row: the columns are 班级 class, "
                                        "星期 day, 节次 period, 学科 subject (教师 teacher, 场地 "
                                        "venue, 年级 grade optional)")
    lessons, grades, h, school = found
    return TimetableFile(str(file), "rows", f"CSV，表头第{h + 1}行 header row {h + 1}",
                         tuple(lessons), grades=grades, school_name=school)


# --- jianfu's timetable JSON ----------------------------------------------------------------

def _read_json(file: Path) -> TimetableFile:
    from ..models.textfile import load_data

    data = load_data(file)
    if not isinstance(data, Mapping) or not isinstance(data.get("lessons"), list):
        raise InputError(str(file), "", "不是 jianfu 课表 JSON not a jianfu timetable JSON "
                                        "(no \"lessons\" list)")
    lessons, sessions = [], []
    for i, x in enumerate(data["lessons"]):
        where = f"{file.name}: lessons[{i}]"
        if not isinstance(x, Mapping) or not all(k in x for k in ("class", "day", "period",
                                                                  "subject")):
            raise InputError(where, x, "应有 class, day, period, subject expected class, day, "
                                       "period, subject")
        period = x["period"]
        if isinstance(period, bool) or not isinstance(period, int) or period < 1:
            raise InputError(f"{where}.period", period, "节次应为 ≥ 1 的整数 a whole number ≥ 1")
        lessons.append(RawLesson(str(x["class"]), str(x["day"]), period, str(x["subject"]),
                                 x.get("teacher"), x.get("venue"), where))
    for i, s in enumerate(data.get("sessions") or []):
        if isinstance(s, Mapping) and "class" in s and "day" in s:
            sessions.append(RawSession(str(s["class"]), str(s["day"]), s.get("venue"),
                                       f"{file.name}: sessions[{i}]"))
    school = data.get("school")
    return TimetableFile(str(file), "json", "", tuple(lessons), tuple(sessions),
                         school_name=str(school) if school else None)


# --- FET ---------------------------------------------------------------------------------------

def _fet_of(activities: Path) -> Path:
    """The ``.fet`` of FET's ``<name>_activities.xml``: beside it (or one folder up) as
    ``<name>_data_and_timetable.fet`` or ``<name>.fet``."""
    stem = activities.name[:-len("_activities.xml")] if activities.name.endswith(
        "_activities.xml") else activities.stem
    for folder in (activities.parent, activities.parent.parent):
        for name in (f"{stem}_data_and_timetable.fet", f"{stem}.fet", f"{stem}.fet.gz"):
            if (folder / name).is_file():
                return folder / name
    raise InputError(activities.name, "", f"找不到对应的 .fet 文件 cannot find its .fet file "
                                          f"({stem}_data_and_timetable.fet or {stem}.fet beside "
                                          f"it): give it with --fet")


def _read_fet(file: Path, fet: str | Path | None) -> TimetableFile:
    from ..models.fet import break_slots
    from .fet import read_fet, read_fet_result
    from .fet_school import SESSION_SUBJECT

    problem_file = Path(fet) if fet is not None else (
        _fet_of(file) if file.name.lower().endswith(".xml") else file)
    problem = read_fet(problem_file, ignore_unsupported=True)
    solution = read_fet_result(problem, file)
    if not solution.placements:
        raise InputError(file.name, "", "文件中没有课表 no timetable in this file: give FET's "
                                        "…_data_and_timetable.fet or …_activities.xml (with its "
                                        ".fet)")
    # hours that are breaks on every day are not periods; the others count 1, 2, …
    breaks = break_slots(problem)
    periods: dict[int, int] = {}
    n = 0
    for h, label in enumerate(problem.hours):
        if all((d, h) in breaks for d in range(problem.n_days)):
            continue
        n += 1
        periods[h] = n
    labels = [m for h in periods if (m := _fet_hour(problem.hours[h])) is not None]
    if len(labels) == len(periods) and _sequence(labels) == labels:
        periods = {h: _fet_hour(problem.hours[h]) or 0 for h in periods}
    classes, grades = _fet_classes(problem)
    lessons: list[RawLesson] = []
    notes: list[str] = []
    shared = sessions = 0
    for a in problem.activities:
        pl = solution.placements.get(a.id)
        if pl is None:
            continue
        if problem.subjects[a.subject] == SESSION_SUBJECT:   # jianfu's export: not a lesson
            sessions += 1
            continue
        names = [c for s in a.students for c in classes.get(s, (s,))]
        teacher = problem.teachers[a.teachers[0]] if a.teachers else None
        if len(a.teachers) > 1:
            shared += 1
        subject = problem.subjects[a.subject]
        for h in range(pl.hour, pl.hour + a.duration):
            if h not in periods:
                continue
            for cls in dict.fromkeys(names):
                lessons.append(RawLesson(cls, problem.days[pl.day], periods[h], subject, teacher,
                                         problem.rooms[pl.room].name if pl.room is not None
                                         else None, f"{file.name}: Activity Id={a.id}"))
    unplaced = sum(1 for a in problem.activities if a.id not in solution.placements)
    if unplaced:
        notes.append(f"{unplaced} 个 FET 活动未排 activities have no placement and are left out")
    if shared:
        notes.append(f"{shared} 个 FET 活动有多位教师，按第一位计 activities with several "
                     f"teachers count for the first")
    if sessions:
        notes.append(f"{sessions} 个课外体育活动不是课，未计入 after-class activity sessions are "
                     f"not lessons and are left out (check them with jianfu check school.yaml "
                     f"{file.name})")
    detail = (f"{problem_file.name}{'，课表 ' + file.name if problem_file != file else ''}，"
              f"{len(problem.activities)} 个活动 activities")
    return TimetableFile(str(file), "fet", detail, tuple(lessons), grades=grades,
                         school_name=None, notes=tuple(notes))


def _fet_hour(label: str) -> int | None:
    m = re.match(r"^\s*第?\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*节", label)
    if m:
        return _zh_number(m.group(1))
    return parse_period(label)


def _fet_classes(problem: Any) -> tuple[dict[str, tuple[str, ...]], dict[str, int]]:
    """Each students set's classes: a group is a class, a subgroup its group's class, a
    year its groups (or itself when it has none); and the grade a year's name gives."""
    classes: dict[str, tuple[str, ...]] = {}
    grades: dict[str, int] = {}
    for year, groups in problem.years:
        grade = grade_of(year) or _year_grade(year)
        if not groups:
            classes[year] = (year,)
            if grade:
                grades[year] = grade
            continue
        classes[year] = tuple(g for g, _ in groups)
        for group, subgroups in groups:
            classes[group] = (group,)
            for sub in subgroups:
                classes.setdefault(sub, (group,))
            if grade:
                grades.setdefault(group, grade)
    return classes, grades


def _year_grade(year: str) -> int | None:
    m = re.match(r"^\s*([1-9])\s*(?:年级)?\s*$", year)
    return int(m.group(1)) if m else None


