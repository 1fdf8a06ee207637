"""The look of jianfu's workbooks, shared by the timetable sheets (:mod:`.excel`) and the
whole-school tables (:mod:`.overview_write`): 宋体 with the GB2312 charset (so Excel and
WPS pick the Chinese face), thin grey borders, centred wrapped text, a blue header."""

from __future__ import annotations

from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

__all__ = ["FONT_NAME", "BORDER", "CENTER", "LEFT", "HEAD_FILL", "font", "head", "title"]

FONT_NAME = "宋体"          # present in every Chinese Office/WPS install; prints well
_GB2312 = 134               # font charset so Excel picks the Chinese face
_THIN = Side(style="thin", color="808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
HEAD_FILL = PatternFill("solid", fgColor="DDE7F3")


def font(size: float = 10.5, bold: bool = False, color: str | None = None,
         italic: bool = False) -> Font:
    return Font(name=FONT_NAME, size=size, bold=bold, italic=italic, charset=_GB2312,
                color=color)


def head(cell: Any) -> None:
    """A header cell: bold on the header fill, bordered, centred."""
    cell.font, cell.fill, cell.border, cell.alignment = font(bold=True), HEAD_FILL, BORDER, CENTER


def title(ws: Any, text: str, subtitle: str, width: int) -> None:
    """A sheet's title and subtitle over its first ``width`` columns."""
    ws.cell(1, 1, text).font = font(16, bold=True)
    ws.cell(2, 1, subtitle).font = font(10, color="555555")
    for row in (1, 2):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        ws.cell(row, 1).alignment = CENTER
    ws.row_dimensions[1].height = 26
