"""The district audit (``jianfu audit DIR``): every school submission of a folder audited
with :func:`jianfu.instances.audit.audit_file`, one report for the district.

A submission is either

- a **file** in the folder: a timetable of any shape ``jianfu audit`` reads (``.xlsx``,
  ``.csv``, ``.json``, ``.fet``, ``…_activities.xml`` with its ``.fet`` beside it); its
  name is the file's stem (城东小学.xlsx is 城东小学); or
- a **sub-folder** per school: one timetable file, and optionally the school file
  (``school.yaml``/``.yml``/``.json``/``.xlsx`` or ``学校.…``: its names and plan are
  used) and a bells file (``bells.…`` or ``作息时间.…``: the bell schedule when there is
  no school file); its name is the folder's.

Files that are no timetable are passed over: hidden files, Excel's ``~$`` lock files,
``.txt``/``.yaml``/``.md`` and other types, FET's other ``…_*.xml`` files and the
``.fet`` of an ``…_activities.xml``, and the reports jianfu writes (``audit.xlsx``,
``compare.xlsx``, ``district_audit.*``, ``homework.csv``, ``quotas.csv``,
``result.json``), and a sub-folder holding a district report and no timetable (an
earlier ``-o`` inside the folder). A sub-folder holding jianfu's own exports (``timetable.json``,
``timetable.xlsx``, ``lessons.csv``) is audited by the first of them; a sub-folder with
several other timetables, or none, cannot be read, and says so.

A submission that cannot be read (an :class:`InputError` naming its file, sheet and
cell; an :class:`OSError`; a damaged workbook) keeps the reason and the others go on.
Submissions are audited in the order of their names.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Mapping

from ..models.district_audit import DistrictAudit, SchoolAudit
from ..models.errors import InputError
from ..models.policy import load_policy
from ..models.school import School
from ..models.textfile import check_readable, take_notes
from .audit import audit_file

__all__ = ["Submission", "find_submissions", "audit_folder", "check_report_dir",
           "REPORT_NAMES"]

log = logging.getLogger(__name__)

#: The district report's files (:mod:`jianfu.instances.district_audit_report`).
REPORT_NAMES = ("district_audit.xlsx", "district_audit.html", "district_audit.csv")

_TIMETABLE_ENDINGS = (".xlsx", ".xlsm", ".csv", ".json", ".fet", ".fet.gz", "_activities.xml",
                      ".xls")        # .xls: read to say "save it as .xlsx"
_DATA_ENDINGS = (".yaml", ".yml", ".json", ".xlsx")
_SCHOOL_STEMS = ("school", "学校", "学校文件")
_BELLS_STEMS = ("bells", "作息时间", "作息")
#: Files jianfu writes that are no timetable.
_NOT_TIMETABLES = frozenset({"audit.xlsx", "compare.xlsx", "homework.csv", "quotas.csv",
                             "result.json", *REPORT_NAMES})
#: jianfu's own exports of one timetable, the first present read.
_OWN_EXPORTS = ("timetable.json", "timetable.xlsx", "lessons.csv")


@dataclass(frozen=True)
class Submission:
    """One school's submission as found: ``timetable`` the file to audit (``None`` with
    ``problem`` saying why), ``school_file`` and ``bells_file`` those found beside it."""

    name: str
    path: Path
    timetable: Path | None
    school_file: Path | None = None
    bells_file: Path | None = None
    problem: str | None = None
    note: str | None = None


def _fet_stem(name: str) -> str | None:
    """``X`` of ``X_activities.xml``, ``X_data_and_timetable.fet``, ``X.fet``, ``X.fet.gz``."""
    for ending in ("_activities.xml", "_data_and_timetable.fet", ".fet.gz", ".fet"):
        if name.lower().endswith(ending):
            return name[:-len(ending)]
    return None


def _stem(name: str) -> str:
    stem = _fet_stem(name)
    return stem if stem is not None else Path(name).stem


def _is_timetable(file: Path) -> bool:
    name = file.name
    if name.startswith((".", "~$")) or name.lower() in _NOT_TIMETABLES:
        return False
    return name.lower().endswith(_TIMETABLE_ENDINGS)


def _is_named(file: Path, stems: tuple[str, ...]) -> bool:
    lower = file.name.lower()
    return any(lower == f"{s}{e}" for s in stems for e in _DATA_ENDINGS)


def _timetables(files: Iterable[Path]) -> list[Path]:
    """The timetable files among ``files``; a FET ``X_activities.xml`` takes the place of
    its ``X.fet`` / ``X_data_and_timetable.fet``, and a ``X_data_and_timetable.fet`` that
    of ``X.fet`` (the same timetable, or its input)."""
    found = [f for f in files if _is_timetable(f)]
    activities = {_fet_stem(f.name) for f in found if f.name.lower().endswith("_activities.xml")}
    results = {_fet_stem(f.name) for f in found
               if f.name.lower().endswith("_data_and_timetable.fet")}
    out = []
    for f in found:
        lower = f.name.lower()
        if lower.endswith((".fet", ".fet.gz")):
            stem = _fet_stem(f.name)
            if stem in activities:
                continue
            if not lower.endswith("_data_and_timetable.fet") and stem in results:
                continue
        out.append(f)
    return out


def _folder_submission(folder: Path) -> Submission:
    files = sorted((f for f in folder.iterdir() if f.is_file()), key=lambda f: f.name)
    school = next((f for s in _SCHOOL_STEMS for e in _DATA_ENDINGS for f in files
                   if f.name.lower() == f"{s}{e}"), None)
    bells = next((f for s in _BELLS_STEMS for e in _DATA_ENDINGS for f in files
                  if f.name.lower() == f"{s}{e}"), None)
    candidates = _timetables(f for f in files if not _is_named(f, _SCHOOL_STEMS + _BELLS_STEMS))
    if len(candidates) > 1:
        own = [f for name in _OWN_EXPORTS for f in candidates if f.name.lower() == name]
        if len(own) == len(candidates):
            return Submission(folder.name, folder, own[0], school, bells,
                              note=f"文件夹中有 jianfu 导出的 {len(own)} 份课表，按 {own[0].name} 审计 "
                                   f"— {len(own)} jianfu exports of one timetable: "
                                   f"{own[0].name} audited")
        names = "、".join(f.name for f in candidates)
        return Submission(folder.name, folder, None, school, bells,
                          problem=f"{folder.name}: 文件夹中有多份课表 {names}，每校一份 — several "
                                  f"timetable files in the school's folder: keep one")
    if not candidates:
        return Submission(folder.name, folder, None, school, bells,
                          problem=f"{folder.name}: 文件夹中没有课表文件 no timetable file in the "
                                  f"school's folder (.xlsx, .csv, .json, .fet, _activities.xml)")
    return Submission(folder.name, folder, candidates[0], school, bells)


def find_submissions(folder: str | os.PathLike[str], *,
                     skip: Iterable[str | os.PathLike[str]] = ()) -> list[Submission]:
    """The school submissions of ``folder``, by name (see the module docstring);
    ``skip`` are sub-folders passed over (the report's own output folder).

    Raises
    ------
    InputError
        ``folder`` is not a folder, or holds no submission.
    """
    root = Path(folder)
    if not root.is_dir():
        raise InputError(str(root), "", "不是文件夹 not a folder (give the folder of the "
                                        "schools' timetables, or one timetable file)")
    skipped = {Path(p).resolve() for p in skip}
    entries = sorted(root.iterdir(), key=lambda p: p.name)
    subs: list[Submission] = []
    for folder_ in (p for p in entries if p.is_dir()):
        if folder_.name.startswith((".", "__")) or folder_.resolve() in skipped:
            continue
        sub = _folder_submission(folder_)
        if sub.timetable is None and any((folder_ / n).is_file() for n in REPORT_NAMES):
            continue                  # an earlier district report written inside
        subs.append(sub)
    files = [p for p in entries if p.is_file()
             and not _is_named(p, _SCHOOL_STEMS + _BELLS_STEMS)]
    for file in _timetables(files):
        subs.append(Submission(_stem(file.name), file, file))
    if not subs:
        raise InputError(str(root), "", "文件夹中没有学校的课表 no school timetable in this folder: "
                                        "one file per school (.xlsx, .csv, .json, .fet, "
                                        "_activities.xml) or one sub-folder per school")
    subs.sort(key=lambda s: (s.name, s.path.name))
    return subs


def check_report_dir(out: str | os.PathLike[str], folder: str | os.PathLike[str]) -> None:
    """Refuse to write the district report into the folder being audited (it would be
    read as a school next time); a sub-folder of it is fine (it is passed over)."""
    if Path(out).resolve() == Path(folder).resolve():
        raise InputError(str(out), "", "报告不能写进被审计的文件夹本身 the report cannot go into "
                                       "the folder being audited: give another -o (a sub-folder "
                                       "is fine, it is skipped)")


def _reason(exc: BaseException, sub: Submission, root: Path) -> str:
    """Why ``sub`` could not be read, its paths written from the district folder."""
    return _reason_text(exc, sub).replace(f"{root}{os.sep}", "")


def _reason_text(exc: BaseException, sub: Submission) -> str:
    if isinstance(exc, InputError):
        return str(exc)
    if isinstance(exc, OSError):
        where = exc.filename or (sub.timetable or sub.path).name
        return f"{Path(str(where)).name}: 无法读取 cannot read: {exc.strerror or exc}"
    text = str(exc).splitlines()[0][:200] if str(exc) else ""
    return (f"{(sub.timetable or sub.path).name}: 内部错误 internal error {type(exc).__name__}: "
            f"{text} — jianfu 的缺陷，请报告 a bug in jianfu, please report it")


def _relative(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def audit_folder(folder: str | os.PathLike[str], *, profile: str | None = None,
                 bells: str | os.PathLike[str] | None = None,
                 schools: Mapping[str, School | str | os.PathLike[str]] | None = None,
                 skip: Iterable[str | os.PathLike[str]] = (),
                 progress: Callable[[int, int, SchoolAudit], None] | None = None
                 ) -> DistrictAudit:
    """Audit every school submission of ``folder`` (:func:`find_submissions`).

    Parameters
    ----------
    profile
        The profile name or file for every school (default: a school file's own, else
        national).
    bells
        The bell schedule of the schools with neither a school file nor a bells file of
        their own (default: the profile's standard day).
    schools
        School files (or :class:`School` objects) by submission name, for schools whose
        folder holds none; a school file in the folder is used when not given here.
    skip
        Sub-folders passed over (the report's output folder, when inside ``folder``).
    progress
        Called after each school with (its number from 1, the number of schools, it).

    Raises
    ------
    InputError
        ``folder`` is not a folder or holds no submission, or ``schools`` names one it
        does not hold. A school that cannot be read is no error: it is reported.
    """
    start = time.perf_counter()
    root = Path(folder)
    subs = find_submissions(root, skip=skip)
    if profile is not None:
        load_policy(profile)           # a bad profile is the caller's, not every school's
    if bells is not None:
        check_readable(bells)
    schools = dict(schools or {})
    unknown = [k for k in schools if k not in {s.name for s in subs}]
    if unknown:
        raise InputError("schools", unknown[0], f"文件夹中没有这所学校的课表 no submission of that "
                                                f"name in {root}; found: "
                                                f"{'、'.join(s.name for s in subs[:12])}")
    take_notes()                      # the notes of each school are its own
    out: list[SchoolAudit] = []
    for i, sub in enumerate(subs, start=1):
        t0 = time.perf_counter()
        school = schools.get(sub.name, sub.school_file)
        if isinstance(school, (str, os.PathLike)):
            school = Path(school)
        used = [p for p in (sub.timetable, school if isinstance(school, Path) else None,
                            sub.bells_file if school is None else None) if p is not None]
        files = tuple(_relative(p, root) for p in used)
        notes = [sub.note] if sub.note else []
        if sub.timetable is None:
            audit = SchoolAudit(sub.name, _relative(sub.path, root), files,
                                error=sub.problem or sub.name, seconds=0.0)
        else:
            try:
                result = audit_file(sub.timetable, school=school, profile=profile,
                                    bells=None if school is not None else
                                    (sub.bells_file or bells))
            except Exception as exc:   # one bad school never stops the district
                if not isinstance(exc, (InputError, OSError)):
                    log.exception("auditing %s", sub.timetable)
                notes += take_notes()
                audit = SchoolAudit(sub.name, _relative(sub.path, root), files,
                                    error=_reason(exc, sub, root), notes=tuple(notes),
                                    seconds=time.perf_counter() - t0)
            else:
                notes += take_notes()
                audit = SchoolAudit(sub.name, _relative(sub.path, root), files, result=result,
                                    notes=tuple(notes), seconds=time.perf_counter() - t0)
        log.info("%s: %s (%.2f s)", sub.name, audit.verdict, audit.seconds)
        out.append(audit)
        if progress is not None:
            progress(i, len(subs), audit)
    return DistrictAudit(str(root), tuple(out), profile, time.perf_counter() - start)
