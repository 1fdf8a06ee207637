"""``export``: write a solved timetable in the formats people use.

``fmt`` is ``xlsx``, ``html``, ``ics``, ``csv``, ``png``, ``pdf`` or ``all``; each writer
renders the shared grids and tables of :mod:`jianfu.instances.views`. ``all`` writes the
images (``png``) only where headless Chromium is installed: :func:`skipped` says why not.
"""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path
from typing import Any

from ..models.calendar import SchoolCalendar
from ..models.errors import InputError
from ..models.policy import Policy
from ..models.school import School
from ..models.timetable import Timetable
from .calendar_ics import write_calendars
from .excel import write_workbook
from .html_site import write_site_files
from .images import NO_CHROMIUM, find_chromium, write_images
from .overview_write import write_overview_csv
from .tidy_csv import write_tidy
from .views import check_summary

log = logging.getLogger(__name__)

__all__ = ["export", "FORMATS", "skipped"]

FORMATS = ("xlsx", "html", "ics", "csv", "png", "pdf")
IN_ALL = ("xlsx", "html", "ics", "csv", "png")   # PDFs on request only: the pages print


def skipped(fmt: str) -> list[str]:
    """Why ``fmt`` (``all``) leaves out a format this machine cannot write, one line each."""
    if fmt == "all" and find_chromium() is None:
        return [f"未生成图片 no images (png): {NO_CHROMIUM}"]
    return []


def export(out_dir: Path | str, school: School, policy: Policy, timetable: Timetable,
           plan: Any = None, *, fmt: str, term_start: date | None = None,
           term_end: date | None = None, calendar: SchoolCalendar | None = None,
           effective: date | None = None, dest: Path | str | None = None) -> list[Path]:
    """Write ``timetable`` (and the homework ``plan``) for people; return the files written.

    Parameters
    ----------
    out_dir
        Folder for the outputs (created).
    fmt
        ``xlsx`` (课表.xlsx), ``html`` (a static site under ``out_dir/site``), ``ics``
        (calendars under ``out_dir/calendars``, needs ``calendar`` or
        ``term_start``/``term_end``), ``csv`` (tidy ``lessons.csv``/``homework.csv``, and the
        whole-school tables ``master.csv``, ``teacher_load.csv`` …), ``png``/``pdf`` (one
        image per class and teacher under ``out_dir/images``, drawn by headless Chromium)
        or ``all``.
    calendar
        The term (:class:`~jianfu.models.calendar.SchoolCalendar`: holidays, make-up
        days) for the calendars; else ``term_start``/``term_end``, a term without
        holidays.
    effective
        The images' 执行日期 (default: ``term_start``, else today).
    dest
        For ``xlsx``: the workbook path (default ``out_dir/timetable.xlsx``); for
        ``html``/``ics``: the folder (default as above). Ignored with ``all``.
    """
    out = Path(out_dir)
    formats = IN_ALL if fmt == "all" else (fmt,)
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise InputError("--format", fmt, f"one of {', '.join(FORMATS)}, all")
    if calendar is None and term_start is not None and term_end is not None:
        if term_end < term_start:
            raise InputError("--term-end", term_end.isoformat(),
                             f"学期结束早于开始 before the term's start {term_start.isoformat()}")
        calendar = SchoolCalendar(term_start, term_end)
    if "ics" in formats and calendar is None:
        if fmt == "all":
            formats = tuple(f for f in formats if f != "ics")
            log.info("no term dates: calendars skipped")
        else:
            raise InputError("--term-start/--term-end", "",
                             "日历需要学期起止日期 calendars need the term's first and last day")
    if fmt == "all" and skipped(fmt):
        formats = tuple(f for f in formats if f != "png")
        log.info("%s", skipped(fmt)[0])
    own = None if fmt == "all" else dest
    summary, violations = (check_summary(school, policy, timetable)
                           if {"xlsx", "html"} & set(formats) else (None, None))
    written: list[Path] = []
    for f in formats:
        if f == "xlsx":
            path = Path(own) if own else out / "timetable.xlsx"
            written.append(write_workbook(path, school, policy, timetable, plan, summary,
                                          violations=violations))
        elif f == "html":
            site = Path(own) if own else out / "site"
            written.extend(write_site_files(site, school, policy, timetable, plan, summary,
                                            violations=violations))
        elif f == "ics":
            assert calendar is not None
            folder = Path(own) if own else out / "calendars"
            written.extend(write_calendars(folder, school, timetable, calendar))
        elif f in ("png", "pdf"):
            written.extend(write_images(Path(own) if own else out / "images", school, timetable,
                                        kind=f, effective=effective or term_start))
        else:
            folder = Path(own) if own else out
            written.extend(write_tidy(folder, school, timetable, plan, policy))
            written.extend(write_overview_csv(folder, school, policy, timetable))   # 总课表 …
    return written
