"""Seeded generator of a district: town and rural schools sharing 走教 teachers.

:func:`generate_district` builds ``n`` schools with
:func:`jianfu.instances.generator.generate_school` — a realistic mix of town primary
schools (3–7 classes a grade), junior schools (4–10), nine-year schools (2–4) and
small rural primary schools (1 class a grade) — then makes some teachers itinerant:
rural schools are grouped in twos and threes, and in each group one teacher of
外语, 音乐, 美术 or 体育与健康 takes over that subject in the group's other schools
for as many classes as keep their weekly total within
:data:`ITINERANT_MAX_PERIODS`. Each such teacher is listed in ``district.yaml`` with
the schools they serve and the cap. The generator's own part-time teachers keep
their half-days off (some teacher unavailability); its placeholder 走教 school names
are dropped (they name schools outside the district).

Feasible by construction: every school passes the generator's slack check, and an
itinerant teacher is kept only when :func:`jianfu.models.itinerant.assign_itinerant`
can share out their half-days with room (each school gets slots for its lessons at
most 70 % full); otherwise the merge is undone.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import random
from pathlib import Path
from typing import Sequence

from ..models.errors import InputError
from ..models.itinerant import assign_itinerant  # the half-day check of the district run
from ..models.policy import NATIONAL, Policy
from ..models.school import School, Teacher
from .curriculum import PE
from .district import District, DistrictSchool, Itinerant, write_district
from .generator import generate_school
from .schoolfile import write_school

log = logging.getLogger(__name__)

__all__ = ["generate_district", "write_generated_district", "ITINERANT_MAX_PERIODS",
           "SHARED_SUBJECTS"]

#: Weekly periods an itinerant teacher carries at most over all their schools.
ITINERANT_MAX_PERIODS = 18
#: Subjects small rural schools share teachers for (docs/policy.md §1: 跨校走教).
SHARED_SUBJECTS = ("外语", "音乐", "美术", "体育与健康")

_PLACES = ("清河", "柳溪", "青石", "桃源", "凤山", "东湖", "南山", "西园", "北塘", "滨江",
           "新城", "城关", "白沙", "黄土岭", "石门", "龙潭", "杨柳", "金竹", "高桥", "双河",
           "马鞍", "松林", "梅岭", "枫树", "三江", "玉泉", "长岗", "红星", "永丰", "太平")
_VILLAGES = ("李家", "王庄", "陈湾", "上坪", "下坝", "张村", "刘家", "何塘", "周岭", "吴冲")

# (kind, preset, share of schools, classes per grade (low, high))
_MIX = (("town", "primary", 0.30, (3, 7)), ("junior", "junior", 0.25, (4, 10)),
        ("nine", "nine-year", 0.15, (2, 4)), ("rural", "primary", 0.30, (1, 1)))


def _kinds(n: int, rng: random.Random) -> list[str]:
    """``n`` school kinds in the mix's proportions (largest remainders), shuffled."""
    raw = [(kind, share * n) for kind, _, share, _ in _MIX]
    counts = {k: int(x) for k, x in raw}
    rest = sorted(raw, key=lambda kx: -(kx[1] - int(kx[1])))
    for k, _ in rest[:n - sum(counts.values())]:
        counts[k] += 1
    kinds = [k for k, _, _, _ in _MIX for _ in range(counts[k])]
    rng.shuffle(kinds)
    return kinds


def _name(kind: str, rng: random.Random, used: set[str]) -> str:
    for _ in range(1000):
        place = rng.choice(_PLACES)
        name = {"town": f"{place}镇中心小学", "junior": f"{place}中学",
                "nine": f"{place}九年一贯制学校",
                "rural": f"{place}{rng.choice(_VILLAGES)}村小学"}[kind]
        if name not in used:
            used.add(name)
            return name
    name = f"{kind}{len(used) + 1}"   # pragma: no cover - 300+ names per kind
    used.add(name)
    return name


def _tidy_teachers(school: School) -> School:
    """Drop the generator's placeholder 走教 school names (schools outside the district)."""
    teachers = tuple(dataclasses.replace(t, schools=()) if t.schools else t
                     for t in school.teachers)
    return dataclasses.replace(school, teachers=teachers)


def _load(school: School, t: int) -> int:
    return sum(school.requirements[q].periods for q in school.requirements_of_teacher[t])


def _drop_idle(school: School) -> School:
    """Remove teachers left without lessons (after giving their classes away)."""
    keep = [i for i in range(len(school.teachers)) if school.requirements_of_teacher[i]]
    if len(keep) == len(school.teachers):
        return school
    new = {old: k for k, old in enumerate(keep)}
    return dataclasses.replace(
        school, teachers=tuple(school.teachers[i] for i in keep),
        classes=tuple(c if c.head_teacher is None
                      else dataclasses.replace(c, head_teacher=new.get(c.head_teacher))
                      for c in school.classes),
        requirements=tuple(dataclasses.replace(r, teacher=new[r.teacher])
                           for r in school.requirements))


def _share(schools: dict[str, School], group: Sequence[str], subject: str, home: str,
           cap: int) -> tuple[dict[str, School], Itinerant] | None:
    """Make a teacher of ``subject`` in ``home`` itinerant over ``group`` (or ``None``)."""
    school = schools[home]
    if subject not in school.subject_index:
        return None
    s = school.subject_index[subject]
    owners = sorted({school.requirements[q].teacher for q in range(len(school.requirements))
                     if school.requirements[q].subject == s},
                    key=lambda t: (_load(school, t), t))
    if not owners:
        return None
    t_home = owners[0]
    name = school.teachers[t_home].name
    load = _load(school, t_home)
    if load > cap - 2:
        return None
    changed = {home: school}
    served = [home]
    for other in group:
        if other == home:
            continue
        b = schools[other]
        if name in b.teacher_index or subject not in b.subject_index:
            continue
        sb = b.subject_index[subject]
        take = []
        for q, r in enumerate(b.requirements):
            if r.subject == sb and load + r.periods <= cap:
                take.append(q)
                load += r.periods
        if not take:
            continue
        k = len(b.teachers)
        teachers = b.teachers + (Teacher(name, (sb,)),)
        reqs = tuple(dataclasses.replace(r, teacher=k) if q in take else r
                     for q, r in enumerate(b.requirements))
        changed[other] = _drop_idle(dataclasses.replace(b, teachers=teachers, requirements=reqs))
        served.append(other)
    if len(served) < 2:
        return None
    for n in served:
        sch = changed[n]
        k = sch.teacher_index[name]
        teachers = list(sch.teachers)
        # an itinerant teacher's time is shared out by the district run, not fixed here
        teachers[k] = dataclasses.replace(teachers[k], unavailable=(), max_periods_per_day=None,
                                          schools=tuple(served))
        changed[n] = dataclasses.replace(sch, teachers=tuple(teachers))
    return changed, Itinerant(name, tuple(served), cap)


def generate_district(n_schools: int, seed: int, policy: Policy | None = None,
                      name: str | None = None,
                      layout: Sequence[tuple[str, int]] | None = None
                      ) -> tuple[District, dict[str, School]]:
    """Generate a district of ``n_schools`` schools that is feasible by construction.

    Parameters
    ----------
    n_schools
        Number of schools (≥ 1).
    seed
        Random seed; the same arguments always give an equal district.
    policy
        Policy profile every school follows (default national).
    name
        District name (default generated).
    layout
        Instead of the random mix: one ``(kind, classes per grade)`` per school, kind
        ``town``, ``junior``, ``nine`` or ``rural`` (small test districts).

    Returns
    -------
    (District, dict)
        The district (``directory`` ``"."``; :func:`write_generated_district` writes
        it) and school name → school, in the district's order.
    """
    if isinstance(n_schools, bool) or not isinstance(n_schools, int) or n_schools < 1:
        raise InputError("schools", n_schools, "a whole number ≥ 1")
    policy = policy or NATIONAL
    rng = random.Random(f"jianfu-district:{n_schools}:{seed}")
    used: set[str] = set()
    schools: dict[str, School] = {}
    kinds: dict[str, str] = {}
    if layout is not None and len(layout) != n_schools:
        raise InputError("layout", len(layout), f"one (kind, classes per grade) per school "
                         f"({n_schools})")
    plan = list(layout) if layout is not None else [(k, None) for k in _kinds(n_schools, rng)]
    for i, (kind, size) in enumerate(plan):
        found = [m for m in _MIX if m[0] == kind]
        if not found:
            raise InputError(f"layout[{i}]", kind, f"one of {', '.join(m[0] for m in _MIX)}")
        _, preset, _, (low, high) = found[0]
        k = rng.randint(low, high) if size is None else int(size)
        school_name = _name(kind, rng, used)
        school = generate_school(preset, k, seed * 1000 + i, policy, name=school_name)
        schools[school_name] = _tidy_teachers(school)
        kinds[school_name] = kind
    files = {n: f"s{i + 1:02d}.yaml" for i, n in enumerate(schools)}
    rural = [n for n in schools if kinds[n] == "rural"]
    groups: list[list[str]] = []
    for i in range(0, len(rural), 2):
        groups.append(rural[i:i + 2])
    if len(groups) > 1 and len(groups[-1]) == 1:
        groups[-2].extend(groups.pop())
    itinerant: list[Itinerant] = []
    for g, group in enumerate(groups):
        if len(group) < 2:
            continue
        for j, subject in enumerate(SHARED_SUBJECTS):
            if subject == PE and policy.daily_pe:
                continue   # a PE lesson every day keeps the PE teacher in one school
            home = group[(g + j) % len(group)]
            made = _share(schools, group, subject, home, ITINERANT_MAX_PERIODS)
            if made is None:
                continue
            changed, teacher = made
            trial = dict(schools)
            trial.update(changed)
            probe = District("probe", "national",
                             tuple(DistrictSchool(n, files[n]) for n in trial), (teacher,))
            try:
                assign_itinerant(probe, trial)
            except InputError as exc:
                log.debug("not sharing %s: %s", teacher.name, exc)
                continue
            schools = trial
            itinerant.append(teacher)
    district = District(name or f"{rng.choice(_PLACES)}区", _profile_name(policy),
                        tuple(DistrictSchool(n, files[n]) for n in schools), tuple(itinerant))
    return district, schools


def _profile_name(policy: Policy) -> str:
    from ..models.policy import PROFILES

    return policy.name if policy.name in PROFILES else "national"


def write_generated_district(directory: str | os.PathLike[str], district: District,
                             schools: dict[str, School]) -> Path:
    """Write ``district.yaml`` and every school file into ``directory``; returns the
    path of ``district.yaml``."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    for entry in district.schools:
        write_school(schools[entry.name], out / entry.file)
    return write_district(dataclasses.replace(district, directory=str(out)), out)
