"""The output folder of one run: written together, swapped in whole, checked on reading.

A re-solve into a folder that already holds a timetable used to replace ``school.yaml``
and ``report.txt`` but keep the old ``timetable.json`` and ``quotas.csv``, so ``check``
and ``export`` then read files of two different runs. Now a run writes into a
temporary sibling folder (:class:`RunFolder`), created before any work so that an
unwritable place fails at once, and swaps it in at the end; a run that does not
commit leaves the old folder exactly as it was. ``timetable.json`` records the
fingerprint of the school it was made for, and :func:`read_solved` refuses a folder
whose timetable belongs to another school.

:func:`write_solved` writes a solved school's files — for ``jianfu solve`` into the
staged folder, for a district run into each school's folder as soon as it finishes,
``result.json`` last (it marks the school finished) — and :func:`read_finished` reads
that mark back when a district run resumes.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Any, Mapping

from ..models.errors import InputError
from ..models.school import School, school_fingerprint
from ..models.timetable import Timetable

__all__ = ["RunFolder", "SCHOOL_COPY", "RUN_MARKERS", "TIMETABLE", "REPORT", "RECORD", "QUOTAS",
           "FINISHED", "check_output_dir", "check_output_file", "read_solved", "write_solved",
           "read_finished"]

SCHOOL_COPY = "school.yaml"   # `jianfu solve` keeps the school beside its timetable
TIMETABLE, REPORT, QUOTAS = "timetable.json", "report.txt", "quotas.csv"
#: A district school's record (status, times, checker counts, input fingerprint).
RECORD = "result.json"
#: Files that mark a folder as one jianfu wrote (so it may be replaced whole).
RUN_MARKERS = (REPORT, TIMETABLE, SCHOOL_COPY)
#: Statuses of a finished school (not solved again when a district run resumes).
FINISHED = ("OPTIMAL", "FEASIBLE", "INFEASIBLE")
#: The numbers of a :data:`RECORD`, in their order in the file (``None`` when absent).
RECORD_NUMBERS = ("runtime", "time_to_first", "objective", "bound", "gap", "hard", "soft")


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


class RunFolder:
    """The output folder ``path`` of one run, staged in a temporary sibling.

    Entering validates the place and creates the staging folder (``.staged``): an
    existing file, a folder of other files, an input file (``inputs``) inside the folder
    other than its own school copy, or an unwritable parent is an
    :class:`InputError` before any work is done. :meth:`commit` swaps the staged
    folder in; leaving the block without it removes the staging folder and leaves
    ``path`` untouched.
    """

    def __init__(self, path: str | os.PathLike[str],
                 inputs: tuple[str | os.PathLike[str], ...] = ()) -> None:
        self.path = Path(path)
        self.inputs = tuple(Path(i) for i in inputs)
        self.staged = Path()
        self.committed = False

    @property
    def holds_run(self) -> bool:
        """``path`` holds the files of an earlier run."""
        return self.path.is_dir() and any((self.path / m).exists() for m in RUN_MARKERS)

    def __enter__(self) -> "RunFolder":
        where = str(self.path)
        if self.path.exists() and not self.path.is_dir():
            raise InputError(where, "", "这是一个文件，输出需要文件夹 this is a file; the output "
                                        "(-o) must be a folder")
        if self.path.is_dir() and any(self.path.iterdir()) and not self.holds_run:
            raise InputError(where, "", "文件夹里已有其他文件；请指定新的或空的文件夹 the folder "
                                        "holds other files; jianfu replaces its output folder "
                                        "whole, so give a new or empty one")
        inside = self.path.resolve()
        for given in self.inputs:
            src = given.resolve()
            if inside in src.parents and src != inside / SCHOOL_COPY:
                raise InputError(str(given), "", f"输入文件在输出文件夹 {self.path} 里，而输出文件夹会被整个替换；"
                                 f"请把它移出来 this input file is inside the output folder, which "
                                 f"jianfu replaces whole: move it out first")
        parent = inside.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
            self.staged = Path(tempfile.mkdtemp(prefix=f".{self.path.name}.", suffix=".tmp",
                                                dir=parent))
        except OSError as exc:
            raise InputError(where, "", f"无法写入 cannot write here: {_reason(exc)}") from None
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if not self.committed:
            shutil.rmtree(self.staged, ignore_errors=True)

    def commit(self) -> None:
        """Put the staged folder in place of ``path`` (the old one is removed)."""
        os.chmod(self.staged, 0o777 & ~_umask())
        old = None
        if self.path.exists():
            old = self.staged.with_name(self.staged.name.removesuffix(".tmp") + ".old")
            os.rename(self.path, old)
        try:
            os.rename(self.staged, self.path)
        except OSError:
            if old is not None:
                os.rename(old, self.path)
            raise
        self.committed = True
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)

    def write_solved(self, school: School, report: str, *, school_file: str | os.PathLike[str],
                     status: str, timetable: Timetable | None, objective: float, bound: float,
                     profile: str, interrupted: bool) -> list[Path]:
        """:func:`write_solved` into the staged folder, with the school's copy and its
        fingerprint: the user's own copy (``jianfu solve OUT/school.yaml -o OUT``) is
        kept verbatim, a school read from any other file is written as YAML."""
        from .school_calendar import carry_calendar

        own = Path(school_file).resolve() == self.path.resolve() / SCHOOL_COPY
        written = write_solved(self.staged, school, report, status=status,
                               timetable=timetable, objective=objective, bound=bound,
                               profile=profile, fingerprint=True, interrupted=interrupted,
                               school_copy=Path(school_file) if own else True)
        kept = carry_calendar(school_file, self.staged)   # the school file's 校历, if any
        return written + ([kept] if kept is not None else [])


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_output_dir(path: str | os.PathLike[str]) -> Path:
    """Validate a folder to be written into before any work: not a file, writable."""
    p = Path(path)
    if p.exists() and not p.is_dir():
        raise InputError(str(p), "", "这是一个文件，输出需要文件夹 this is a file; the output "
                                     "(-o) must be a folder")
    _probe(p if p.is_dir() else p.resolve().parent, str(p))
    return p


def _probe(directory: Path, where: str) -> None:
    """Create and remove a file in ``directory`` (made if missing): can we write there?"""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".jianfu-", suffix=".probe", dir=directory)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise InputError(where, "", f"无法写入 cannot write here: {_reason(exc)}") from None


def check_output_file(path: str | os.PathLike[str]) -> Path:
    """Validate a file to be written before any work: not a folder, parent writable."""
    p = Path(path)
    if p.is_dir():
        raise InputError(str(p), "", "这是文件夹，需要文件名 this is a folder; give a file name")
    _probe(p.resolve().parent, str(p))
    return p


def read_solved(out: str | os.PathLike[str], school_path: str | os.PathLike[str] | None = None
                ) -> tuple[School, Timetable, object]:
    """The school (``school_path`` or the folder's copy), timetable and homework plan (or
    ``None``) of a solved folder.

    Refuses a timetable
    whose recorded school fingerprint is not the school's: it was made for another
    school or another version of this one.
    """
    from .readers import read_any_school
    from .timetable_io import read_timetable, read_timetable_meta

    folder = Path(out)
    school = read_any_school(school_path or folder / SCHOOL_COPY)
    timetable_path = folder / TIMETABLE
    if not timetable_path.is_file():
        raise InputError(str(timetable_path), "",
                         "这里没有课表：请先运行 `jianfu solve … -o OUT` no timetable here: run "
                         "`jianfu solve … -o OUT` first")
    recorded = read_timetable_meta(timetable_path).get("school_fingerprint")
    if recorded is not None and recorded != school_fingerprint(school):
        raise InputError(str(timetable_path), "",
                         "这个课表不是按这份学校文件排的（学校文件在排课后改过，或不是同一所学校）；"
                         "请重新排课 — this timetable was not made for this school file (the "
                         "school changed after solving, or it is another school): solve again")
    timetable = read_timetable(timetable_path, school)
    plan = None
    quotas = folder / QUOTAS
    if quotas.is_file():
        from .homework_io import read_quota_sheet

        plan = read_quota_sheet(quotas, school)
    return school, timetable, plan


def _num(x: Any) -> Any:
    """``None`` for NaN (JSON has none), else ``x``."""
    return None if isinstance(x, float) and math.isnan(x) else x


def write_solved(folder: str | os.PathLike[str], school: School, report: str, *,
                 status: str, timetable: Timetable | None = None,
                 objective: float = math.nan, bound: float = math.nan,
                 profile: str | None = None, fingerprint: bool = False,
                 interrupted: bool = False, school_copy: bool | Path = False,
                 record: Mapping[str, Any] | None = None) -> list[Path]:
    """Write one solved school's files into ``folder``; returns them, report first.

    Parameters
    ----------
    folder
        Written into directly (created if missing), each file atomically.
    school, report
        The school solved and ``report.txt``'s text.
    status, timetable, objective, bound, profile
        ``timetable.json`` is written only with a timetable, which has passed the
        checker; its ``meta`` records the status, objective, bound and profile
        (default: the school's own).
    fingerprint
        Record the school's fingerprint too, so that :func:`read_solved` refuses the
        folder with another school. A district leaves it out: its school was solved
        with the 走教 half-day restrictions, which the school file does not hold.
    interrupted
        The search was stopped by a signal (recorded in the ``meta``).
    school_copy
        Keep the school beside the timetable (:data:`SCHOOL_COPY`): ``True`` writes
        it, a path is copied verbatim.
    record
        A district school's :data:`RECORD`: its :data:`RECORD_NUMBERS`, ``name``,
        ``status``, ``reason`` and input ``fingerprint``. Written last: it marks the
        school finished (:func:`read_finished`).
    """
    from .files import write_atomic
    from .schoolfile import write_school
    from .timetable_io import dump_timetable

    folder = Path(folder)
    written = [folder / REPORT]
    if timetable is not None:
        meta: dict[str, Any] = {"status": status, "objective": _num(objective),
                                "bound": _num(bound),
                                "profile": profile or school.policy().name}
        if fingerprint:
            meta["school_fingerprint"] = school_fingerprint(school)
        if interrupted:
            meta["interrupted"] = True
        write_atomic(folder / TIMETABLE, dump_timetable(timetable, school, meta))
    if isinstance(school_copy, Path):
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(school_copy, folder / SCHOOL_COPY)
    elif school_copy:
        write_school(school, folder / SCHOOL_COPY)
    if school_copy is not False:
        written.append(folder / SCHOOL_COPY)
    if timetable is not None:
        written.append(folder / TIMETABLE)
    write_atomic(folder / REPORT, report.rstrip("\n") + "\n")
    if record is not None:
        data = {k: _num(record.get(k)) for k in RECORD_NUMBERS}
        data.update(name=record["name"], status=record["status"],
                    reason=record.get("reason", ""), fingerprint=record["fingerprint"])
        write_atomic(folder / RECORD, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
        written.append(folder / RECORD)
    return written


def read_finished(folder: str | os.PathLike[str], fingerprint: str) -> dict[str, Any] | None:
    """A district school's :data:`RECORD`, when the school is finished for this input.

    ``None`` (solve it again) unless the record reads, its fingerprint is
    ``fingerprint``, its status is :data:`FINISHED` and, but for a proven infeasible
    school, its timetable is there.
    """
    folder = Path(folder)
    try:
        data = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("fingerprint") != fingerprint \
            or data.get("status") not in FINISHED:
        return None
    if data["status"] != "INFEASIBLE" and not (folder / TIMETABLE).is_file():
        return None
    return data
