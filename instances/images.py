"""Timetable images (PNG) and print files (PDF) per class and teacher, for the parents'
WeChat group and the classroom door.

Each image is one page of HTML (the grid of :mod:`jianfu.instances.views` with the
school, the class, its 班主任, the term and the date the timetable takes effect) drawn
by headless Chromium. One browser serves every page: it is driven over its DevTools
pipe (``--remote-debugging-pipe``: commands on its fd 3, answers on fd 4, each a JSON
text ended by a NUL byte), which lets it measure each page and shoot it whole.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import re
import select
import shutil
import subprocess
import tempfile
from datetime import date
from html import escape
from pathlib import Path
from typing import Any, Sequence

from ..models.errors import InputError
from ..models.school import School
from ..models.timetable import Timetable
from .html_site import CSS, render_grid
from .views import Grid, class_grid, teacher_grid, write_atomic

__all__ = ["find_chromium", "write_images", "image_page", "term_name", "Chromium",
           "NO_CHROMIUM", "IMAGE_KINDS"]

log = logging.getLogger(__name__)

IMAGE_KINDS = ("png", "pdf")
NO_CHROMIUM = ("需要无头浏览器 Chromium 来生成图片 (Debian/Ubuntu: apt-get install -y chromium) "
               "— PNG/PDF images need headless Chromium, which is not installed")
_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
_WIDTH = 960          # CSS pixels: a week of five days reads on a phone when zoomed
_SCALE = 2            # device pixels per CSS pixel: sharp after WeChat's recompression
_WAIT = 60.0          # seconds for one answer of the browser before giving up
_BAD_NAME = re.compile(r'[\\/:*?"<>|\s]+')


def find_chromium() -> str | None:
    """The path of a headless-capable Chromium on ``PATH``, or ``None``."""
    for name in _CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def term_name(day: date) -> str:
    """The school term a day falls in: August–January the first term (第一学期) of the
    school year starting that autumn, February–July the second (第二学期)."""
    if day.month >= 8:
        return f"{day.year}–{day.year + 1}学年 第一学期"
    if day.month == 1:
        return f"{day.year - 1}–{day.year}学年 第一学期"
    return f"{day.year - 1}–{day.year}学年 第二学期"


_IMAGE_CSS = """
body { width: %dpx; max-width: none; margin: 0; padding: 22px 24px 16px; }
header.card { border-bottom: 3px solid var(--accent); padding-bottom: 8px; margin-bottom: 12px; }
header.card .school { font-size: 1.05rem; color: var(--muted); margin: 0; }
header.card h1 { font-size: 1.9rem; margin: 2px 0 4px; }
header.card .facts { font-size: 1rem; margin: 0; }
header.card .facts b { color: var(--accent); }
td.cell { height: 3.6em; font-size: 1rem; }
table.tt col.lab { width: 7em; }
footer { margin-top: 10px; }
@media print { @page { size: A4 portrait; margin: 8mm; } body { width: auto; padding: 0; } }
""" % _WIDTH


def image_page(school: School, grid: Grid, *, facts: Sequence[tuple[str, str]]) -> str:
    """The HTML of one image: a header card (school, title, ``facts`` such as 班主任,
    学期, 执行日期), the grid and its notes. Self-contained: nothing from the network."""
    items = " · ".join(f"{escape(k)} <b>{escape(v)}</b>" for k, v in facts)
    body = (f'<header class="card"><p class="school">{escape(school.name)}</p>'
            f"<h1>{escape(grid.title)}</h1><p class=\"facts\">{items}</p></header>\n"
            f"{render_grid(grid)}\n"
            f"<footer>{escape(grid.subtitle)}</footer>")
    return ('<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{escape(grid.title)} · {escape(school.name)}</title>\n"
            f"<style>{CSS}{_IMAGE_CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


class Chromium:
    """One headless Chromium driven over its DevTools pipe; use as a context manager.

    ``png(url)`` returns a screenshot of the whole page, ``pdf(url)`` the page printed.
    """

    def __init__(self, executable: str, profile: Path) -> None:
        # the shell puts our pipes on the browser's fd 3 (commands) and fd 4 (answers)
        args = ["sh", "-c", 'exec "$0" "$@" 3<&0 4>&1 0</dev/null 1>/dev/null', executable,
                "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--no-first-run", "--disable-background-networking", "--disable-sync",
                "--disable-component-update", "--disable-extensions", "--mute-audio",
                "--remote-debugging-pipe", f"--user-data-dir={profile}", "about:blank"]
        self._proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                      stderr=subprocess.DEVNULL)
        self._buffer = b""
        self._id = 0
        self._session = ""
        try:
            target = self._call("Target.createTarget", {"url": "about:blank"})["targetId"]
            self._session = self._call("Target.attachToTarget",
                                       {"targetId": target, "flatten": True})["sessionId"]
            self._call("Page.enable", session=True)
            self._call("Emulation.setDeviceMetricsOverride",
                       {"width": _WIDTH, "height": 800, "deviceScaleFactor": _SCALE,
                        "mobile": False}, session=True)
        except BaseException:
            self._proc.kill()
            self._proc.wait()
            raise

    def __enter__(self) -> "Chromium":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        if self._proc.poll() is None:
            try:
                self._send("Browser.close", {}, None)
                self._proc.wait(10)
            except (OSError, subprocess.TimeoutExpired):
                self._proc.kill()
                self._proc.wait()

    def _send(self, method: str, params: dict[str, Any], session: str | None) -> int:
        self._id += 1
        message: dict[str, Any] = {"id": self._id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        assert self._proc.stdin is not None
        self._proc.stdin.write(json.dumps(message).encode() + b"\0")
        self._proc.stdin.flush()
        return self._id

    def _next(self) -> dict[str, Any]:
        assert self._proc.stdout is not None
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._proc.stdout], [], [], _WAIT)
            chunk = os.read(self._proc.stdout.fileno(), 1 << 20) if ready else b""
            if not chunk:
                raise RuntimeError("Chromium stopped answering" if ready else
                                   f"Chromium gave no answer in {_WAIT:g} s")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def _call(self, method: str, params: dict[str, Any] | None = None, *,
              session: bool = False) -> dict[str, Any]:
        wanted = self._send(method, params or {}, self._session if session else None)
        while True:
            message = self._next()
            if message.get("id") == wanted:
                if "error" in message:
                    raise RuntimeError(f"Chromium {method}: {message['error'].get('message')}")
                return message.get("result", {})

    def _open(self, url: str) -> None:
        wanted = self._send("Page.navigate", {"url": url}, self._session)
        loaded = answered = False
        while not (loaded and answered):
            message = self._next()
            answered = answered or message.get("id") == wanted
            loaded = loaded or message.get("method") == "Page.loadEventFired"

    def png(self, url: str) -> bytes:
        """A PNG of the whole page at ``url``, as tall as its content."""
        self._open(url)
        size = self._call("Runtime.evaluate", {
            "expression": "[document.documentElement.scrollWidth,"
                          " document.documentElement.scrollHeight]",
            "returnByValue": True}, session=True)["result"]["value"]
        shot = self._call("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size[0], "height": size[1], "scale": 1}},
            session=True)
        return base64.b64decode(shot["data"])

    def pdf(self, url: str) -> bytes:
        """The page at ``url`` printed (A4, as its ``@page`` rule says)."""
        self._open(url)
        out = self._call("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True},
                         session=True)
        return base64.b64decode(out["data"])


def _file_name(kind: str, name: str, used: set[str], ext: str) -> str:
    base = f"{'班级' if kind == 'class' else '教师'}-{_BAD_NAME.sub('_', name).strip('._') or kind}"
    stem, n = base, 2
    while stem in used:
        stem = f"{base}~{n}"
        n += 1
    used.add(stem)
    return f"{stem}.{ext}"


def write_images(out_dir: Path | str, school: School, timetable: Timetable, *, kind: str = "png",
                 effective: date | None = None, term: str | None = None,
                 chromium: str | None = None) -> list[Path]:
    """Write one image per class and per teacher into ``out_dir``; return the files.

    Parameters
    ----------
    kind
        ``png`` (an image as tall as the timetable, for WeChat) or ``pdf`` (A4).
    effective
        The date the timetable takes effect (执行日期), default today.
    term
        The term's name, default :func:`term_name` of ``effective``.
    chromium
        The browser to draw with, default :func:`find_chromium`.

    Raises
    ------
    InputError
        When no Chromium is installed.
    """
    if kind not in IMAGE_KINDS:
        raise InputError("--format", kind, f"one of {', '.join(IMAGE_KINDS)}")
    exe = chromium or find_chromium()
    if exe is None:
        raise InputError("--format", kind, NO_CHROMIUM)
    day = effective or date.today()
    term = term or term_name(day)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    jobs: list[tuple[str, Grid, list[tuple[str, str]]]] = []
    for c, cls in enumerate(school.classes):
        head = cls.head_teacher
        facts = [("班主任", school.teachers[head].name if head is not None else "—"),
                 ("学期", term), ("执行日期", day.isoformat())]
        jobs.append(("class", class_grid(school, timetable, c), facts))
    for t in range(len(school.teachers)):
        heads = [c.name for c in school.classes if c.head_teacher == t]
        facts = ([("班主任", "、".join(heads))] if heads else []) + [
            ("学期", term), ("执行日期", day.isoformat())]
        jobs.append(("teacher", teacher_grid(school, timetable, t), facts))
    used: set[str] = set()
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="jianfu-images-") as tmp:
        pages = Path(tmp)
        try:
            with Chromium(exe, pages / "profile") as browser:
                for i, (what, grid, facts) in enumerate(jobs):
                    page = pages / f"page-{i:04d}.html"
                    page.write_text(image_page(school, grid, facts=facts), encoding="utf-8")
                    data = (browser.png(page.as_uri()) if kind == "png"
                            else browser.pdf(page.as_uri()))
                    written.append(write_atomic(out / _file_name(what, grid.name, used, kind),
                                                data))
        except (OSError, RuntimeError) as exc:
            raise InputError("chromium", exe,
                             f"Chromium 未能生成图片 could not draw the images: {exc}") from None
    log.info("wrote %d %s files to %s", len(written), kind, out)
    return written
