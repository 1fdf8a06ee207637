"""The district file: ``district.yaml`` naming the profile, the schools and the 走教 teachers.

A district directory holds ``district.yaml`` and one school file per school
(:mod:`jianfu.instances.schoolfile`)::

    district: 清河区
    profile: national
    schools:
      - {name: 清河镇中心小学, file: s01.yaml}
      - {name: 柳溪村小学, file: s02.yaml}
    itinerant:                       # 走教 teachers serving several schools
      - name: 王芳
        schools: [清河镇中心小学, 柳溪村小学]
        max_periods_per_week: 16     # total load across the schools (optional)

Every itinerant teacher appears, under the same name, in the ``teachers`` list of each
school file it serves. Such a teacher is in at most one school per half-day (上午 /
下午) and their lessons over all schools stay within ``max_periods_per_week``.
:func:`read_district` validates the file; :func:`read_schools` reads the schools and
checks them against it, keeping each school's problem apart so that a district run can
go on without a broken school; :func:`load_schools` is the strict form (the first
problem raises). Errors are :class:`InputError` naming the file, the field path and the
value.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import yaml

from ..models.errors import InputError
from ..models.policy import load_policy
from ..models.school import School
from .files import write_atomic
from .schoolfile import load_yaml, read_school

__all__ = ["DISTRICT_FILE", "District", "DistrictSchool", "Itinerant", "SchoolsRead",
           "read_district", "write_district", "read_schools", "load_schools", "district_file",
           "output_dir_of", "check_district_outputs"]

#: Name of the district file inside a district directory.
DISTRICT_FILE = "district.yaml"

_TOP = ("district", "profile", "schools", "itinerant")
_SCHOOL_KEYS = ("name", "file")
_ITINERANT_KEYS = ("name", "schools", "max_periods_per_week")


@dataclass(frozen=True, slots=True)
class DistrictSchool:
    """A school of the district: its name and its file (relative to the directory)."""

    name: str
    file: str


@dataclass(frozen=True, slots=True)
class Itinerant:
    """A 走教 teacher: the schools they serve and their total weekly load cap."""

    name: str
    schools: tuple[str, ...]
    max_periods_per_week: int | None = None

    def __post_init__(self) -> None:
        if len(self.schools) < 2:
            raise InputError("schools", list(self.schools),
                             "an itinerant teacher serves ≥ 2 schools")
        if self.max_periods_per_week is not None and self.max_periods_per_week < 1:
            raise InputError("max_periods_per_week", self.max_periods_per_week, "at least 1")


@dataclass(frozen=True, slots=True)
class District:
    """A district: name, policy profile, schools and itinerant teachers.

    ``directory`` is where the school files are; ``school_index`` and
    ``itinerant_index`` map names to positions.
    """

    name: str
    profile: str
    schools: tuple[DistrictSchool, ...]
    itinerant: tuple[Itinerant, ...] = ()
    directory: str = "."
    school_index: Mapping[str, int] = field(init=False, repr=False, compare=False)
    itinerant_index: Mapping[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.schools:
            raise InputError("schools", [], "a district needs at least one school")
        seen: dict[str, int] = {}
        files: set[str] = set()
        for i, s in enumerate(self.schools):
            if s.name in seen:
                raise InputError(f"schools[{i}].name", s.name, "duplicate school name")
            if s.file in files:
                raise InputError(f"schools[{i}].file", s.file, "two schools share a file")
            seen[s.name] = i
            files.add(s.file)
        names: set[str] = set()
        for i, t in enumerate(self.itinerant):
            if t.name in names:
                raise InputError(f"itinerant[{i}].name", t.name, "duplicate itinerant teacher")
            names.add(t.name)
            if len(set(t.schools)) != len(t.schools):
                raise InputError(f"itinerant[{i}].schools", list(t.schools),
                                 "a school listed twice")
            for j, s in enumerate(t.schools):
                if s not in seen:
                    raise InputError(f"itinerant[{i}].schools[{j}]", s,
                                     f"not a school of the district ({', '.join(seen)})")
        object.__setattr__(self, "school_index", seen)
        object.__setattr__(self, "itinerant_index",
                           {t.name: i for i, t in enumerate(self.itinerant)})

    def path_of(self, school: str) -> Path:
        """The school file of ``school``."""
        return Path(self.directory) / self.schools[self.school_index[school]].file

    def itinerant_of(self, school: str) -> tuple[Itinerant, ...]:
        """The itinerant teachers serving ``school``."""
        return tuple(t for t in self.itinerant if school in t.schools)


def district_file(path: str | os.PathLike[str]) -> Path:
    """``path`` itself when it is a file, else ``path/district.yaml``."""
    p = Path(path)
    return p / DISTRICT_FILE if p.is_dir() else p


def read_district(path: str | os.PathLike[str]) -> District:
    """Read and validate ``district.yaml`` (``path`` is the file or its directory).

    Raises
    ------
    InputError
        Naming ``district.yaml``, the field path and the value of the first problem.
    """
    file = district_file(path)
    where = str(file)
    if not file.is_file():
        raise InputError(where, "", "district file not found (a district directory holds "
                         f"{DISTRICT_FILE})")
    try:
        data = load_yaml(file.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise InputError(where, "", f"not valid YAML: {exc}") from None
    return district_from_dict(data, where, file.parent)


def district_from_dict(data: Any, source: str, directory: str | os.PathLike[str] = "."
                       ) -> District:
    """Build a :class:`District` from parsed YAML; errors name ``source`` and the field."""
    def err(path: str, value: Any, problem: str) -> InputError:
        return InputError(f"{source}: {path}", value, problem)

    def mapping(value: Any, path: str, keys: tuple[str, ...], required: tuple[str, ...]
                ) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise err(path, value, "expected a mapping")
        for k in value:
            if k not in keys:
                raise err(f"{path}.{k}" if path else str(k), value[k],
                          f"unknown field (known: {', '.join(keys)})")
        for k in required:
            if k not in value:
                raise err(f"{path}.{k}" if path else k, "", "required field missing")
        return value

    def text(value: Any, path: str) -> str:
        if not isinstance(value, (str, int)) or isinstance(value, bool) or str(value).strip() == "":
            raise err(path, value, "expected a non-empty name")
        return str(value).strip()

    def seq(value: Any, path: str) -> list[Any]:
        if not isinstance(value, list):
            raise err(path, value, "expected a list")
        return value

    top = mapping(data, "", _TOP, ("schools",))
    name = text(top.get("district", "district"), "district")
    profile = text(top.get("profile", "national"), "profile")
    try:
        load_policy(profile)
    except InputError as exc:
        raise err("profile", profile, exc.problem) from None
    schools = []
    for i, raw in enumerate(seq(top["schools"], "schools")):
        if isinstance(raw, str):
            raw = {"name": Path(raw).stem, "file": raw}
        s = mapping(raw, f"schools[{i}]", _SCHOOL_KEYS, ("name", "file"))
        schools.append(DistrictSchool(text(s["name"], f"schools[{i}].name"),
                                      text(s["file"], f"schools[{i}].file")))
    itinerant = []
    for i, raw in enumerate(seq(top.get("itinerant") or [], "itinerant")):
        path = f"itinerant[{i}]"
        t = mapping(raw, path, _ITINERANT_KEYS, ("name", "schools"))
        served = tuple(text(s, f"{path}.schools[{j}]")
                       for j, s in enumerate(seq(t["schools"], f"{path}.schools")))
        most = t.get("max_periods_per_week")
        if most is not None and (not isinstance(most, int) or isinstance(most, bool) or most < 1):
            raise err(f"{path}.max_periods_per_week", most, "a whole number ≥ 1")
        try:
            itinerant.append(Itinerant(text(t["name"], f"{path}.name"), served, most))
        except InputError as exc:
            raise err(f"{path}.{exc.where}", exc.value, exc.problem) from None
    try:
        return District(name, profile, tuple(schools), tuple(itinerant), str(directory))
    except InputError as exc:
        raise err(exc.where, exc.value, exc.problem) from None


def district_to_dict(district: District) -> dict[str, Any]:
    """The inverse of :func:`district_from_dict` (without the directory)."""
    out: dict[str, Any] = {"district": district.name, "profile": district.profile,
                           "schools": [{"name": s.name, "file": s.file} for s in district.schools]}
    if district.itinerant:
        rows = []
        for t in district.itinerant:
            row: dict[str, Any] = {"name": t.name, "schools": list(t.schools)}
            if t.max_periods_per_week is not None:
                row["max_periods_per_week"] = t.max_periods_per_week
            rows.append(row)
        out["itinerant"] = rows
    return out


def write_district(district: District, directory: str | os.PathLike[str]) -> Path:
    """Write ``directory/district.yaml`` atomically; returns its path."""
    path = Path(directory) / DISTRICT_FILE
    text = yaml.safe_dump(district_to_dict(district), allow_unicode=True, sort_keys=False,
                          width=100)
    write_atomic(path, text)
    return path


@dataclass(frozen=True, slots=True)
class SchoolsRead:
    """The schools of a district as read by :func:`read_schools`.

    ``schools`` maps the name of every school that passed its checks to its
    :class:`School`, in the district's order; ``errors`` maps every other school to the
    :class:`InputError` that keeps it out, in the order the problems were found (one
    error per school; a cross-school problem is the error of each school it keeps out).
    """

    schools: Mapping[str, School]
    errors: Mapping[str, InputError]

    def raise_first(self) -> None:
        """Raise the first problem found, if any (what :func:`load_schools` does)."""
        for exc in self.errors.values():
            raise exc


def _read_entry(district: District, i: int, entry: DistrictSchool, where: str) -> School:
    """One school file, checked against its ``district.yaml`` entry."""
    path = district.path_of(entry.name)
    if not path.is_file():
        raise InputError(f"{where}: schools[{i}].file", entry.file, "school file not found")
    school = read_school(path)
    if school.name != entry.name:
        raise InputError(f"{where}: schools[{i}].name", entry.name,
                         f"the file {entry.file} is the school {school.name!r}")
    if school.profile != district.profile:
        raise InputError(f"{path}: profile", school.profile,
                         f"district.yaml gives the district profile {district.profile!r} "
                         f"(一个区统一政策 one profile per district; a school may override "
                         f"single fields under 'policy')")
    return school


def read_schools(district: District) -> SchoolsRead:
    """Read every school file and check it against the district file, school by school.

    Checks: each file exists, reads, and its school name is the one ``district.yaml``
    gives and its profile the district's (single-field overrides may differ); every
    itinerant teacher is a teacher of each school it serves (a namesake elsewhere is
    another person); a school file's ``schools`` list of an itinerant teacher, when
    given, names the same schools; the teacher's planned weekly periods over their
    schools are within ``max_periods_per_week``.

    A problem keeps out only the school it is about: the other schools are still read
    and checked. A teacher over their cap keeps out all their schools that are left
    (which school should give up lessons is not for jianfu to say); the cap is counted
    over the schools that passed the other checks, so a broken school does not push
    its teacher's other schools out.

    Returns
    -------
    SchoolsRead
        The schools that passed, and an :class:`InputError` for each one that did not.
    """
    where = str(Path(district.directory) / DISTRICT_FILE)
    schools: dict[str, School] = {}
    errors: dict[str, InputError] = {}

    def drop(name: str, exc: InputError) -> None:
        schools.pop(name, None)
        errors.setdefault(name, exc)

    for i, entry in enumerate(district.schools):
        try:
            schools[entry.name] = _read_entry(district, i, entry, where)
        except InputError as exc:
            drop(entry.name, exc)
    for i, t in enumerate(district.itinerant):
        for j, name in enumerate(t.schools):
            school = schools.get(name)
            if school is None:
                continue
            k = school.teacher_index.get(t.name)
            if k is None:
                drop(name, InputError(f"{where}: itinerant[{i}].schools[{j}]", name,
                                      f"the school file has no teacher named {t.name}"))
                continue
            listed = school.teachers[k].schools
            if listed and set(listed) != set(t.schools):
                drop(name, InputError(f"{district.path_of(name)}: teachers[{k}].schools",
                                      list(listed),
                                      f"district.yaml says {t.name} serves {', '.join(t.schools)}"))
    # loads over the schools that passed the checks above, so that no teacher's verdict
    # depends on another teacher's coming first
    passed = dict(schools)
    for i, t in enumerate(district.itinerant):
        live = [n for n in t.schools if n in passed]
        load = 0
        for name in live:
            school = passed[name]
            k = school.teacher_index[t.name]
            load += sum(school.requirements[q].periods for q in school.requirements_of_teacher[k])
        if t.max_periods_per_week is not None and load > t.max_periods_per_week:
            exc = InputError(f"{where}: itinerant[{i}].max_periods_per_week",
                             t.max_periods_per_week,
                             f"{t.name} is planned for {load} periods a week over "
                             f"{', '.join(live)} (总课时超出上限 total load above the cap)")
            for name in live:
                drop(name, exc)
    return SchoolsRead(schools, errors)


def load_schools(district: District) -> dict[str, School]:
    """Read every school file and check it against the district file (:func:`read_schools`).

    Returns
    -------
    dict
        School name → :class:`School`, in the district's order.

    Raises
    ------
    InputError
        The first problem found, naming the file, the field path and the value.
    """
    read = read_schools(district)
    read.raise_first()
    return dict(read.schools)


# --- district outputs ---------------------------------------------------------------------------

def output_dir_of(out: str | os.PathLike[str], district: District, school: str) -> Path:
    """The output directory of ``school`` in a district run: ``OUT/<school file stem>``."""
    return Path(out) / Path(district.schools[district.school_index[school]].file).stem


def _plan_from_quotas(path: Path, school: School, profile: str) -> Any:
    from ..models.homework import HomeworkMetrics, HomeworkPlan, WEEKEND
    from .homework_io import read_quotas

    days, entries, oral = read_quotas(path, school)
    zero = HomeworkMetrics(0.0, 0, 0, 0.0, 0.0, 0.0, 0.0, 0, 0.0, 0.0, 0.0, 0, 0.0)
    return HomeworkPlan(school=school.name, profile=profile, days=days,
                        weekend=bool(days) and days[-1] == WEEKEND,
                        classes=tuple(c.name for c in school.classes),
                        subjects=tuple(s.name for s in school.subjects),
                        entries=tuple(entries), targets=(), metrics=zero, oral=tuple(oral))


def check_district_outputs(directory: str | os.PathLike[str], out: str | os.PathLike[str]) -> Any:
    """Check a district run's outputs: every school's ``timetable.json`` and
    ``quotas.csv`` through the checkers, and the cross-school rules.

    A school without ``timetable.json`` counts as a hard ``school_missing`` record; a
    missing ``quotas.csv`` leaves the homework unchecked for that school (reported as
    ``homework: None``). A school whose file cannot be read or fails its checks against
    ``district.yaml`` (:func:`read_schools`), or whose ``timetable.json`` cannot be read,
    is not checked: a hard ``school_not_checked`` record carrying the error.

    Returns
    -------
    jianfu.models.district_check.DistrictVerdict
        ``verdict.compliant`` is False on any hard violation; the schools are in the
        district's order.

    Raises
    ------
    InputError
        When ``district.yaml`` itself is bad.
    """
    from ..models.district_check import check_district
    from .timetable_io import read_timetable

    district = read_district(directory)
    read = read_schools(district)
    not_checked = {name: str(exc) for name, exc in read.errors.items()}
    schools: dict[str, School] = {}
    timetables: dict[str, Any] = {}
    plans: dict[str, Any] = {}
    for name, school in read.schools.items():
        folder = output_dir_of(out, district, name)
        tt_path = folder / "timetable.json"
        try:
            timetables[name] = read_timetable(tt_path, school) if tt_path.is_file() else None
        except InputError as exc:
            not_checked[name] = str(exc)
            continue
        schools[name] = school
        q_path = folder / "quotas.csv"
        if timetables[name] is not None and q_path.is_file():
            plans[name] = _plan_from_quotas(q_path, school, school.policy().name)
    verdict = check_district(district.itinerant, schools, timetables, plans,
                             not_checked=not_checked)
    order = district.school_index
    return dataclasses.replace(verdict, schools=tuple(sorted(verdict.schools,
                                                             key=lambda v: order[v.name])))
