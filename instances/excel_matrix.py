"""The 任课表 sheet: who teaches what, as schools write it — a class × subject matrix.

One row per class, one column per subject, the teacher's name in the cell. The weekly
periods come from the curriculum for the class's grade (``docs/format.md``) unless the
cell gives them after the name: ``王芳 5``, ``王芳5``, ``王芳(5)`` or ``王芳（5节）``; a half
(``王芳 1.5``) is a period every other week (单双周, the 单双周 sheet names the slots). A
blank cell (or ``/``, ``-``, ``—``, ``无``) means the class does not have the subject.

The row sheet 任课 (one row per class and subject) stays: it is how the old workbooks
read, and where a requirement gets 连堂, 场地类型, 固定 and 禁排. The two combine: a 任课
row for a class and subject of the matrix completes that cell (its 教师 and 周课时 may be
left blank; when given they must agree with the cell), a row the matrix does not have is
a requirement of its own. The requirements come in matrix order (class by class, column
by column), then the 任课 rows the matrix does not have.

:func:`add_matrix_sheet` writes the sheet, :func:`merge_matrix` reads it into the school
file's requirement list (``instances/excel.py`` calls both).
"""

from __future__ import annotations

import re
from typing import Any, Collection, Mapping, Sequence

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..models.errors import InputError
from ..models.school import Requirement, School

__all__ = ["MATRIX_SHEET", "add_matrix_sheet", "matrix_rows", "merge_matrix", "parse_cell",
           "weekly"]

MATRIX_SHEET = "任课表"
CLASS_HEADER = "班级"
_NONE = {"/", "-", "—", "－", "／", "无", "×"}
_CELL = re.compile(r"^(.*?)\s*[(（]?\s*(\d+(?:\.5)?)\s*节?\s*[)）]?$")
_CELL_NOTE = "teacher — 教师姓名；周课时不同于课程方案时写 王芳 5（单双周 王芳 1.5）"

Cell = tuple[str, int, "int | None", str]       # sheet, row, column, field (as _Places)


def parse_cell(text: str, teachers: Collection[str] = ()) -> tuple[str, int | float | None]:
    """``王芳`` → ``("王芳", None)``; ``王芳 5``, ``王芳5``, ``王芳(5)``, ``王芳（5节）`` →
    ``("王芳", 5)``; ``王芳 1.5`` → ``("王芳", 1.5)`` (单双周). A name in ``teachers`` is
    taken whole, so 李老师2 stays a name."""
    text = text.strip()
    if text in teachers:
        return text, None
    match = _CELL.match(text)
    if match is None:
        return text, None
    number = match.group(2)
    return match.group(1).strip(), float(number) if "." in number else int(number)


def matrix_rows(school: School) -> tuple[list[str], list[list[Any]]]:
    """The subject columns and the rows (class, then one cell per column) of
    ``school``'s requirements; periods are written only where they differ from the
    curriculum, and the 任课 rows it still needs are :func:`extra_rows`."""
    from .curriculum import weekly_periods

    policy = school.policy()
    subjects = [s.name for s in school.subjects]
    rows = []
    for c, cls in enumerate(school.classes):
        try:
            plan = weekly_periods(cls.grade, policy)
        except ValueError:
            plan = {}
        cells: list[Any] = [None] * len(subjects)
        for q in school.requirements:
            if q.cls != c:
                continue
            name = school.subjects[q.subject].name
            teacher = school.teachers[q.teacher].name
            periods = weekly(q)
            cells[q.subject] = teacher if plan.get(name) == periods else f"{teacher} {periods}"
        rows.append([cls.name, *cells])
    return subjects, rows


def weekly(q: Requirement) -> int | float:
    """A requirement's ``periods`` as the school file gives them: 1.5 for one lesson every
    week and one every other week (单双周); a whole number stays an ``int``."""
    halves = 2 * q.periods + q.biweekly
    return halves // 2 if halves % 2 == 0 else halves / 2


def extra_rows(school: School) -> list[list[Any]]:
    """任课 rows for the requirements with 连堂, 场地类型, 固定 or 禁排 (blank 教师 and
    周课时: the matrix gives them)."""
    out = []
    for q in school.requirements:
        if q.doubles or q.venue_kind or q.fixed or q.forbidden:
            out.append([school.classes[q.cls].name, school.subjects[q.subject].name, None, None,
                        q.doubles or None, q.venue_kind,
                        [x.text(school.days) for x in q.fixed] or None,
                        [x.text(school.days) for x in q.forbidden] or None])
    return out


def add_matrix_sheet(ws: Worksheet, subjects: Sequence[str], rows: Sequence[Sequence[Any]],
                     examples: Sequence[Sequence[Any]], *, header: Any, append: Any) -> None:
    """Write the 任课表 sheet: ``header`` and ``append`` are the workbook's own helpers."""
    header(ws, [CLASS_HEADER, *subjects],
           ["class — 班级名称 (班级 sheet)", *[_CELL_NOTE] * len(subjects)], "标记")
    for row in examples:
        append(ws, row, example=True)
    for row in rows:
        append(ws, row)
    ws.column_dimensions["B"].width = 12
    for col in range(3, 3 + len(subjects)):
        ws.column_dimensions[get_column_letter(col)].width = 11
    ws.freeze_panes = "C3"
    last = get_column_letter(2 + len(subjects))
    # Suggestions, not a lock: a cell may add periods (王芳 5) and a new teacher may
    # not be on the 教师 sheet yet; the reader names any cell it cannot use.
    teachers = DataValidation(type="list", formula1="='教师'!$B$3:$B$2000", allow_blank=True,
                              showErrorMessage=False)
    ws.add_data_validation(teachers)
    teachers.add(f"C3:{last}2000")
    classes = DataValidation(type="list", formula1="='班级'!$B$3:$B$2000", allow_blank=True,
                             showErrorMessage=False)
    ws.add_data_validation(classes)
    classes.add("B3:B2000")


def _where(source: str, cell: Cell) -> str:
    sheet, row, col, field = cell
    text = f"{source}: {sheet}!{get_column_letter(col or 1)}{row}"
    return f"{text} ({field})" if field else text


def read_matrix(ws: Worksheet, source: str, teachers: set[str], plain: Any, example_mark: str
                ) -> list[tuple[dict[str, Any], dict[str, Cell]]]:
    """The requirements of the 任课表 sheet, each with the cell of each field."""
    sheet = ws.title
    class_col: int | None = None
    subject_cols: dict[int, str] = {}
    seen: dict[str, int] = {}
    for col in range(2, ws.max_column + 1):
        head = plain(ws.cell(1, col).value)
        if head is None:
            continue
        head = str(head)
        if class_col is None and head in (CLASS_HEADER, "class"):
            class_col = col
            continue
        if head in seen:
            raise InputError(f"{source}: {sheet}!{get_column_letter(col)}1", head,
                             f"学科列重复 this subject is already at {get_column_letter(seen[head])}1")
        seen[head] = col
        subject_cols[col] = head
    if class_col is None:
        raise InputError(f"{source}: {sheet}!B1", plain(ws.cell(1, 2).value) or "",
                         f"缺少表头“{CLASS_HEADER}” the first column must be headed {CLASS_HEADER}; "
                         f"keep rows 1 and 2 of the template")
    out = []
    for row in range(3, ws.max_row + 1):
        if str(ws.cell(row, 1).value or "").strip() == example_mark:
            continue
        cls = plain(ws.cell(row, class_col).value)
        filled = []
        for col, subject in subject_cols.items():
            value = plain(ws.cell(row, col).value)
            if value is None or str(value).strip() in _NONE:
                continue
            where = (sheet, row, col, "teacher")
            if not isinstance(value, str):
                raise InputError(_where(source, where), value,
                                 "应写教师姓名，可加周课时 expected a teacher's name, optionally "
                                 "with the periods: 王芳 or 王芳 5")
            teacher, periods = parse_cell(value, teachers)
            if not teacher:
                raise InputError(_where(source, where), value,
                                 "缺少教师姓名 no teacher's name before the periods (王芳 5)")
            item: dict[str, Any] = {"class": cls, "subject": subject, "teacher": teacher}
            cells: dict[str, Cell] = {"": (sheet, row, col, ""),
                                      ".class": (sheet, row, class_col, "class"),
                                      ".subject": (sheet, 1, col, "subject"),
                                      ".teacher": where}
            if periods is not None:
                item["periods"] = periods
                cells[".periods"] = (sheet, row, col, "periods")
            filled.append((item, cells))
        if filled and cls is None:
            raise InputError(_where(source, (sheet, row, class_col, "class")), "",
                             "缺少班级 this row has teachers but no class name")
        out += filled
    return out


def merge_matrix(entries: Sequence[tuple[dict[str, Any], dict[str, Cell]]],
                 rows: Sequence[dict[str, Any]], row_cells: Sequence[Mapping[str, Cell]],
                 source: str) -> tuple[list[dict[str, Any]], list[dict[str, Cell]]]:
    """The requirement list of the matrix ``entries`` and the 任课 ``rows`` together
    (module docstring); a value both give differently is an error naming both cells."""
    index: dict[tuple[str, str], int] = {}
    for i, item in enumerate(rows):
        index.setdefault((str(item.get("class")), str(item.get("subject"))), i)
    items: list[dict[str, Any]] = []
    cells_out: list[dict[str, Cell]] = []
    used: set[int] = set()
    for item, cells in entries:
        i = index.get((str(item["class"]), str(item["subject"])))
        if i is None or i in used:
            items.append(dict(item))
            cells_out.append(dict(cells))
            continue
        used.add(i)
        row, where = dict(rows[i]), dict(row_cells[i])
        for field in ("teacher", "periods"):
            if field not in item:
                continue
            if field in row and row[field] != item[field]:
                sheet, r, c, _ = cells[f".{field}"]
                raise InputError(_where(source, where[f".{field}"]), row[field],
                                 f"与{sheet}!{get_column_letter(c or 1)}{r}的 {item[field]!r} 不同 "
                                 f"differs from the {MATRIX_SHEET} cell; leave one of them blank")
            row[field] = item[field]
            where[f".{field}"] = cells[f".{field}"]
        items.append(row)
        cells_out.append(where)
    for i, row in enumerate(rows):
        if i not in used:
            items.append(dict(row))
            cells_out.append(dict(row_cells[i]))
    return items, cells_out
