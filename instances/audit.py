"""``jianfu audit``: audit a timetable made by any tool, against a school file or a school
read off the timetable itself; and compare a published timetable with the one taught.

:func:`audit_file` is the single-school audit as a library call (a district loop calls
it per file): it reads the file (:mod:`jianfu.instances.audit_io`), matches its names
to the school file's (:func:`timetable_for`) or builds the school from the timetable
(:func:`infer_school`), and runs :func:`jianfu.models.checker.check`, whose rule
``curriculum`` compares the plan with the profile's curriculum either way. :func:`compare_files` is the 阴阳课表
comparison (:func:`jianfu.models.audit.compare_timetables`).

The school read off a timetable: its classes (the grade from the name: 三(2)班,
七年级1班, 初一(1)班, 7.1; a name without one is an error naming its cell), the
curriculum's subjects by name or alias (no venue needs: the file does not say where
lessons are), the teachers the cells name (a surname alone, 王, is the one full name
of the file starting with it, if there is exactly one; a cell without a teacher gets a
placeholder per class and subject), the requirements counted off the lessons (the
teacher most of them name; the double periods found), each class's day shape (its
last lesson each day) and the bell schedule: ``--bells`` (the school file's
``schedules:`` section, a school file, or a workbook with its 作息时间 sheet) or, by
default, the profile's standard day per stage (:func:`jianfu.instances.generator.standard_day`).
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..models.audit import UNNAMED, AuditResult, Comparison, assume_sessions, compare_timetables
from ..models.checker import check, summarize
from ..models.errors import InputError
from ..models.policy import PROFILES, Policy, load_policy, stage_of
from ..models.school import (CLASS_MEETING, BellSchedule, Category, Requirement, School,
                             SchoolClass, Subject, Teacher)
from ..models.textfile import check_readable, load_data
from ..models.timetable import Lesson, Session, Timetable
from .audit_io import (DAY_ORDER, TimetableFile, canonical_day, canonical_subject, class_key,
                       grade_of, normal_text, read_timetable_file)
from .curriculum import SUBJECTS

__all__ = ["audit_file", "audit_timetable", "compare_files", "infer_school", "timetable_for",
           "located_timetable_for",
           "read_bells", "STAGE_SCHEDULE"]

STAGE_SCHEDULE = {"primary": "小学部", "junior": "初中部"}
_STAGE_WORDS = {"primary": ("小学", "primary"), "junior": ("初中", "中学", "junior")}


# --------------------------------------------------------------------------------------
# The single-school audit
# --------------------------------------------------------------------------------------
def audit_file(path: str | Path, *, school: School | str | Path | None = None,
               bells: str | Path | None = None, policy: Policy | None = None,
               profile: str | None = None, fet: str | Path | None = None) -> AuditResult:
    """Audit the timetable in ``path`` (any shape :func:`read_timetable_file` reads).

    Parameters
    ----------
    school
        The school (a :class:`School` or a school file): its names must match the
        timetable's and its requirements are the plan. Without it the school is read off
        the timetable (:func:`infer_school`) and checked against the profile's curriculum.
    bells
        Without ``school``: the bell schedule file (default: the profile's standard day).
    policy, profile
        The policy, or a profile name or file (default: the school's, else national).
    fet
        The ``.fet`` of a FET ``…_activities.xml`` (default: found beside it).

    Raises
    ------
    InputError
        Naming the file, sheet and cell (or field) of anything that cannot be read.
    """
    if isinstance(school, (str, Path)):
        from .readers import read_any_school

        school = read_any_school(school)
    tf = read_timetable_file(path, fet=fet)
    return audit_timetable(tf, school=school, bells=bells, policy=policy, profile=profile)


def audit_timetable(tf: TimetableFile, *, school: School | None = None,
                    bells: str | Path | None = None, policy: Policy | None = None,
                    profile: str | None = None) -> AuditResult:
    """Audit a timetable already read (see :func:`audit_file`)."""
    notes = list(tf.notes)
    if school is not None:
        policy = policy or school.policy(profile)
        timetable = timetable_for(tf, school)
        inferred, bells_from = False, "学校文件 the school file"
    else:
        policy = policy or load_policy(profile)
        school, timetable, more, bells_from = infer_school(tf, policy, bells=bells,
                                                           profile=profile)
        notes += more
        inferred = True
    timetable, added = assume_sessions(school, policy, timetable)
    if added:
        notes.append(f"课表未列出课外体育活动：按作息时间表的活动时段，在需要的日子计 {added} 次 — the "
                     f"file lists no after-class activity sessions: {added} assumed in the bell "
                     f"schedule's activity slot on the days a class needs one")
    violations = check(school, policy, timetable)
    if inferred:
        others = [v for v in violations if v.rule == "teacher_assignment"]
        violations = [v for v in violations if v.rule != "teacher_assignment"]
        notes.append("课表不载明教师的任教资格：挤占（语数外教师上体育、艺术、劳动、科学、信息科技课）须用 "
                     "--school 给出教师的任教学科才能核查 — the file does not say which subjects a "
                     "teacher is qualified for: 挤占 (occupied_subject) is checked only with --school")
        if others:
            notes.append(f"{len(others)} 节课由该班该科的另一位教师上；课程计划由课表推断，不算违规 — "
                         f"{len(others)} lesson(s) taught by a second teacher of the class's "
                         f"subject: not a violation when the plan is read off the timetable")
    return AuditResult(
        source=tf.source, layout=tf.layout, found=tf.found, school=school, policy=policy,
        timetable=timetable, violations=tuple(violations),
        summary=summarize(violations, policy), inferred=inferred, bells=bells_from,
        notes=tuple(notes))


# --------------------------------------------------------------------------------------
# 阴阳课表
# --------------------------------------------------------------------------------------
def compare_files(published: str | Path, taught: str | Path, *,
                  school: School | str | Path | None = None, profile: str | None = None,
                  fet: str | Path | None = None) -> Comparison:
    """Compare the published timetable with the one reported as taught (any two shapes).

    With ``school`` both are read against it; without, each is read off its own file and
    the classes are matched by :func:`class_key` (三(1)班 = 三年级1班).
    """
    if isinstance(school, (str, Path)):
        from .readers import read_any_school

        school = read_any_school(school)
    a, b = read_timetable_file(published, fet=fet), read_timetable_file(taught, fet=fet)
    if school is not None:
        sa = sb = school
        ta, tb = timetable_for(a, school), timetable_for(b, school)
    else:
        policy = load_policy(profile)
        sa, ta, _, _ = infer_school(a, policy, profile=profile)
        sb, tb, _, _ = infer_school(b, policy, profile=profile)
    keys: dict[Any, str] = {class_key(c.name): c.name for c in sa.classes}
    rename = {c.name: keys[class_key(c.name)] for c in sb.classes
              if class_key(c.name) in keys and keys[class_key(c.name)] != c.name}
    return compare_timetables((sa, ta), (sb, tb), classes=rename,
                              sources=(str(published), str(taught)), found=(a.found, b.found))


# --------------------------------------------------------------------------------------
# Names against a school file
# --------------------------------------------------------------------------------------
_SEPARATORS = re.compile(r"[/／、,，;；+＋|\s]+")
_TWO_SUBJECTS = ("一格写了两门学科：一节课只写一门学科（两节课之间空一行） the cell names two subjects: "
                 "one subject per lesson (two lessons in one cell: a blank line between them)")


def _known(names: Iterable[str]) -> str:
    names = list(names)
    return "、".join(names[:12]) + (" …" if len(names) > 12 else "")


class _Surnames:
    """A teacher written by surname (王, 王老师) found among full names, if unique."""

    def __init__(self, names: Iterable[str], teaches: Mapping[str, set[str]]) -> None:
        self.names = list(dict.fromkeys(names))
        self.teaches = teaches

    def find(self, given: str, subject: str, preferred: str | None = None) -> str | None:
        base = normal_text(given)
        for suffix in ("老师", "教师"):
            if base.endswith(suffix) and len(base) > len(suffix):
                base = base[:-len(suffix)]
        if base in self.names:
            return base
        if len(base) > 2:
            return None
        found = [n for n in self.names if n.startswith(base) and len(n) > len(base)]
        if preferred in found:
            return preferred
        teaching = [n for n in found if subject in self.teaches.get(n, set())]
        if len(teaching) == 1:
            return teaching[0]
        return found[0] if len(found) == 1 else None


def timetable_for(tf: TimetableFile, school: School) -> Timetable:
    """The timetable ``tf`` writes, by ``school``'s names.

    Classes match by name, then written another way (:func:`class_key`: 三（2）班 is
    三(2)班); days by :func:`canonical_day`; subjects by name or alias
    (:func:`canonical_subject`); a teacher by name, or by surname when one teacher of the
    school fits (the class's teacher of the subject first); a cell without a teacher
    means the group's teacher (分组, 走班), else the class's teacher of the subject.

    Raises
    ------
    InputError
        Naming the sheet and cell of a name the school does not have, or of a cell
        naming two subjects (``语文 数学``, ``语文/数学``).
    """
    return located_timetable_for(tf, school)[0]


def located_timetable_for(tf: TimetableFile, school: School
                          ) -> tuple[Timetable, dict[Lesson | Session, str]]:
    """:func:`timetable_for`, and where in the file each lesson and session was read
    (``课表.xlsx: 班级-七年级1班!C5``; the first place, for one written twice)."""
    classes: dict[Any, int] = {}
    for i, c in enumerate(school.classes):
        classes.setdefault(c.name, i)
        classes.setdefault(normal_text(c.name), i)
    by_key: dict[Any, list[int]] = defaultdict(list)
    for i, c in enumerate(school.classes):
        by_key[class_key(c.name)].append(i)
    days = {canonical_day(d) or normal_text(d): i for i, d in enumerate(school.days)}
    subjects: dict[str, int] = {}
    for i, s in enumerate(school.subjects):
        subjects.setdefault(s.name, i)
        subjects.setdefault(normal_text(s.name), i)
    for i, s in enumerate(school.subjects):
        subjects.setdefault(canonical_subject(s.name), i)
    teacher_of = {(r.cls, r.subject): r.teacher for r in school.requirements}
    teaches: dict[str, set[str]] = defaultdict(set)
    for r in school.requirements:
        teaches[school.teachers[r.teacher].name].add(school.subjects[r.subject].name)
    surnames = _Surnames((t.name for t in school.teachers), teaches)

    def cls_of(name: str, where: str) -> int:
        for probe in (name, normal_text(name)):
            if probe in classes:
                return classes[probe]
        found = by_key.get(class_key(name), [])
        if len(found) == 1:
            return found[0]
        raise InputError(where, name, f"学校文件中没有这个班级 no such class in {school.name}; "
                                      f"known: {_known(c.name for c in school.classes)}")

    def day_of(name: str, where: str) -> int:
        d = days.get(canonical_day(name) or normal_text(name))
        if d is None:
            raise InputError(where, name, f"不是上课日 not a school day of {school.name} "
                                          f"({'、'.join(school.days)})")
        return d

    def known_subject(name: str) -> int | None:
        for probe in (name, normal_text(name), canonical_subject(name)):
            if probe in subjects:
                return subjects[probe]
        return None

    def subject_of(name: str, where: str) -> int:
        found = known_subject(name)
        if found is not None:
            return found
        parts = [p for p in _SEPARATORS.split(name) if p]
        if len(parts) > 1 and all(known_subject(p) is not None for p in parts):
            raise InputError(where, name, _TWO_SUBJECTS)
        raise InputError(where, name, f"学校文件中没有这个学科 no such subject in {school.name}; "
                                      f"known: {_known(s.name for s in school.subjects)}")

    def teacher_of_cell(given: str | None, c: int, s: int, where: str,
                        group: str | None = None) -> int:
        if given is None:
            part = school.split_part.get((c, group or "", s))
            if part is not None:
                return school.splits[part[0]].groups[part[1]].teacher
            part = school.block_part.get((c, group or "", s))
            if part is not None:
                return school.blocks[part[0]].groups[part[1]].teacher
            if (c, s) in teacher_of:
                return teacher_of[(c, s)]
            raise InputError(where, school.subjects[s].name,
                             f"格中没有教师，学校文件中 {school.classes[c].name} 也没有这门课的任课"
                             f"教师 — the cell names no teacher and the school file gives "
                             f"{school.classes[c].name} no teacher of it")
        if given in school.teacher_index:
            return school.teacher_index[given]
        preferred = school.teachers[teacher_of[(c, s)]].name if (c, s) in teacher_of else None
        name = surnames.find(given, school.subjects[s].name, preferred)
        if name is None and known_subject(given) is not None:
            raise InputError(where, f"{school.subjects[s].name} {given}", _TWO_SUBJECTS)
        if name is None:
            cls, subject = school.classes[c].name, school.subjects[s].name
            known = (f"{cls} 的{subject}教师是 {preferred} — {cls}'s {subject} teacher is "
                     f"{preferred}" if preferred else
                     f"known: {_known(t.name for t in school.teachers)}")
            raise InputError(where, given, f"学校文件中没有这位教师（或同姓的不止一位） no such "
                                           f"teacher in {school.name}, or the surname fits more "
                                           f"than one; {known}")
        return school.teacher_index[name]

    def venue_of(name: str | None, where: str) -> int | None:
        if name is None:
            return None
        for probe in (name, normal_text(name)):
            if probe in school.venue_index:
                return school.venue_index[probe]
        raise InputError(where, name, f"学校文件中没有这个场地 no such venue in {school.name}; "
                                      f"known: {_known(v.name for v in school.venues)}")

    def group_of(group: str | None, c: int, s: int, where: str) -> str | None:
        if group is None or school.has_group(c, group, s):
            return group
        raise InputError(where, group, f"{school.classes[c].name} 没有上 {school.subjects[s].name} "
                                       f"的这个分组或走班教学组 no such group of a split lesson or "
                                       f"走班 block of this class and subject")

    places: dict[Lesson | Session, str] = {}
    for x in tf.lessons:
        c = cls_of(x.cls, x.where)
        s = subject_of(x.subject, x.where)
        group = group_of(x.group, c, s, x.where)
        lesson = Lesson(c, day_of(x.day, x.where), x.period - 1, s,
                        teacher_of_cell(x.teacher, c, s, x.where, group),
                        venue_of(x.venue, x.where), group, x.week)
        places.setdefault(lesson, x.where)
    for raw in tf.sessions:
        session = Session(cls_of(raw.cls, raw.where), day_of(raw.day, raw.where),
                          venue_of(raw.venue, raw.where))
        places.setdefault(session, raw.where)
    lessons = tuple(x for x in places if isinstance(x, Lesson))
    sessions = tuple(x for x in places if isinstance(x, Session))
    return Timetable(lessons, sessions), places


# --------------------------------------------------------------------------------------
# A school read off the timetable
# --------------------------------------------------------------------------------------
def infer_school(tf: TimetableFile, policy: Policy, *, bells: str | Path | None = None,
                 profile: str | None = None, name: str | None = None
                 ) -> tuple[School, Timetable, list[str], str]:
    """The school a timetable implies, its timetable, the notes on what was assumed and
    where the bell schedule came from (see the module docstring).

    Raises
    ------
    InputError
        Naming the cell of a class whose grade cannot be told, a day that is not one, or
        the bells file's field.
    """
    notes: list[str] = []
    # classes: one per class_key, named as first written
    display: dict[Any, str] = {}
    grade: dict[Any, int] = {}
    first_at: dict[Any, str] = {}
    raw_key: dict[str, Any] = {}
    for x in [*tf.lessons, *tf.sessions]:
        if x.cls in raw_key:
            continue
        key = class_key(x.cls)
        raw_key[x.cls] = key
        display.setdefault(key, normal_text(x.cls))
        first_at.setdefault(key, x.where)
        g = tf.grades.get(x.cls) or grade_of(x.cls)
        if g is not None:
            grade.setdefault(key, g)
    if not display:
        raise InputError(tf.source, "", "课表中没有任何课 the timetable has no lessons")
    for key, where in first_at.items():
        if key not in grade:
            raise InputError(where, display[key],
                             "看不出这个班是几年级 cannot tell the class's grade from its name: "
                             "write it like 三(2)班, 七年级1班, 初一(1)班 or 7.1, or give --school")
    order = list(display)
    keys = sorted(order, key=lambda k: (grade[k], k[1] if isinstance(k, tuple) else 0,
                                        order.index(k)))
    cls_index = {k: i for i, k in enumerate(keys)}

    # days
    for x in [*tf.lessons, *tf.sessions]:
        if canonical_day(x.day) is None:
            raise InputError(x.where, x.day, "不认识的星期 not a day (周一…周日, 星期一, Mon)")
    lesson_days = {canonical_day(x.day) for x in tf.lessons}
    days = tuple(d for d in DAY_ORDER if d in lesson_days)
    day_index = {d: i for i, d in enumerate(days)}

    # subjects: the curriculum's (no venue needs), then the others as written
    subjects = [dataclasses.replace(s, venue_kind=None) for s in SUBJECTS]
    subject_index = {s.name: i for i, s in enumerate(subjects)}
    for x in tf.lessons:
        sname = canonical_subject(x.subject)
        if sname not in subject_index:
            category = Category.MORAL if sname == CLASS_MEETING else Category.LOCAL
            subject_index[sname] = len(subjects)
            subjects.append(Subject(sname, category=category))

    # teachers: as written, a surname alone joined to the one full name it fits
    written = [normal_text(x.teacher) for x in tf.lessons if x.teacher]
    teaches: dict[str, set[str]] = defaultdict(set)
    for x in tf.lessons:
        if x.teacher:
            teaches[normal_text(x.teacher)].add(canonical_subject(x.subject))
    full = [t for t in written if len(t) >= 2 and not t.endswith(("老师", "教师"))]
    surnames = _Surnames(full, teaches)
    resolved: dict[tuple[str, str], str] = {}   # (as written, subject) → the teacher
    for x in tf.lessons:
        if x.teacher:
            t, sname = normal_text(x.teacher), canonical_subject(x.subject)
            if (t, sname) not in resolved:
                resolved[(t, sname)] = surnames.find(t, sname) or t
    joined = len({t for (t, _), name in resolved.items() if name != t})
    if joined:
        notes.append(f"{joined} 个只写了姓的教师名已对应到全名 surname-only teacher name(s) matched "
                     f"to the one full name of the file that fits")
    teacher_names: list[str] = []
    teacher_index: dict[str, int] = {}

    def teacher(name: str) -> int:
        if name not in teacher_index:
            teacher_index[name] = len(teacher_names)
            teacher_names.append(name)
        return teacher_index[name]

    unnamed = grouped = 0
    raw_lessons = []   # (class, day, period 0-based, subject, teacher)
    group_slots: set[tuple[int, str, int]] = set()
    for x in tf.lessons:
        c = cls_index[raw_key[x.cls]]
        s = subject_index[canonical_subject(x.subject)]
        if x.group is not None:        # the groups of a split lesson: one lesson of the class
            slot = (c, canonical_day(x.day) or "", x.period)
            if slot in group_slots:
                grouped += 1
                continue
            group_slots.add(slot)
        if x.teacher:
            t = teacher(resolved[(normal_text(x.teacher), subjects[s].name)])
        else:
            placeholder = f"{UNNAMED} unnamed {display[keys[c]]} {subjects[s].name}"
            unnamed += placeholder not in teacher_index
            t = teacher(placeholder)
        raw_lessons.append((c, day_index[canonical_day(x.day) or ""], x.period - 1, s, t))
    if grouped:
        notes.append(f"{grouped} 节分组（走班）课与同一时段的另一组合为一节 group lesson(s) of a "
                     f"split or 走班 block counted as one lesson of the class with the first group")
    if unnamed:
        notes.append(f"{unnamed} 门课的格中没有教师，按每班每科一位“未注明”教师计 — "
                     f"{unnamed} class subject(s) name no teacher: one placeholder teacher "
                     f"each")

    # bell schedules and each class's day shape
    stages = sorted({stage_of(grade[k]) for k in keys}, key=("primary", "junior").index)
    last = defaultdict(int)   # (class, day) → its last period, 1-based
    for c, d, p, _, _ in raw_lessons:
        last[(c, d)] = max(last[(c, d)], p + 1)
    if bells is not None:
        schedules, source = read_bells(bells, days)
        bells_from = f"{source}"
        schedule_of = {st: _schedule_for(schedules, st, source) for st in stages}
    else:
        try:
            schedules = tuple(_standard(st, [grade[k] for k in keys if stage_of(grade[k]) == st],
                                        [c for c, k in enumerate(keys) if stage_of(grade[k]) == st],
                                        last, days, policy) for st in stages)
            if policy.long_break_common:   # one 大课间 for the whole school, as generated
                from .generator import long_break_shifts

                schedules = tuple(
                    _standard(st, [grade[k] for k in keys if stage_of(grade[k]) == st],
                              [c for c, k in enumerate(keys) if stage_of(grade[k]) == st],
                              last, days, policy, shift)
                    for st, shift in zip(stages, long_break_shifts(schedules)))
        except InputError:          # more periods than a day holds
            x = max(tf.lessons, key=lambda x: x.period)
            raise InputError(x.where, f"第{x.period}节", "标准作息一天排不下这么多节 the standard "
                                                       "day cannot hold so many periods: give the "
                                                       "school's bell schedule with --bells") from None
        schedule_of = {st: i for i, st in enumerate(stages)}
        bells_from = (f"默认作息（{policy.name} 标准日）the profile's standard day per stage "
                      f"({'、'.join(s.name for s in schedules)})")
        notes.append("未给作息时间表：按政策配置的标准作息检查 — no bell schedule given: checked "
                     "against the profile's standard day (give --bells for the school's own)")
    classes = []
    for c, k in enumerate(keys):
        sched = schedules[schedule_of[stage_of(grade[k])]]
        shape = tuple(min(last[(c, d)], len(sched.days[d].periods)) for d in range(len(days)))
        classes.append(SchoolClass(display[k], grade[k], schedule_of[stage_of(grade[k])], shape))

    # requirements: the lessons counted; the teacher most of them name
    count: Counter[tuple[int, int]] = Counter()
    who: dict[tuple[int, int], Counter[int]] = defaultdict(Counter)
    for c, d, p, s, t in dict.fromkeys(raw_lessons):
        count[(c, s)] += 1
        who[(c, s)][t] += 1
    requirements = tuple(Requirement(c, s, who[(c, s)].most_common(1)[0][0], n)
                         for (c, s), n in sorted(count.items()))
    school = School(
        name=name or tf.school_name or Path(tf.source).stem.split("_")[0], days=days,
        schedules=tuple(schedules), subjects=tuple(subjects), classes=tuple(classes),
        # a timetable does not say what a teacher is qualified for: taken as what they
        # teach, so 挤占 (occupied_subject) needs the school file's subjects
        teachers=tuple(Teacher(t, tuple(sorted({s for _, _, _, s, tt in raw_lessons if tt == i})))
                       for i, t in enumerate(teacher_names)), venues=(),
        requirements=requirements,
        profile=profile if profile else (policy.name if policy.name in PROFILES else "national"))
    lessons = tuple(dict.fromkeys(Lesson(c, d, p, s, t) for c, d, p, s, t in raw_lessons))
    school = _with_doubles(school, lessons)
    sessions = tuple(dict.fromkeys(
        Session(cls_index[raw_key[s.cls]], day_index[canonical_day(s.day) or ""])
        for s in tf.sessions if (canonical_day(s.day) or "") in day_index))
    return school, Timetable(lessons, sessions), notes, bells_from


def _with_doubles(school: School, lessons: Iterable[Lesson]) -> School:
    """The school with each requirement's double periods (连堂) as the timetable has them:
    two lessons of the subject in joined periods of a day."""
    periods: dict[tuple[int, int, int], set[int]] = defaultdict(set)
    for x in lessons:
        periods[(x.cls, x.subject, x.day)].add(x.period)
    doubles: Counter[tuple[int, int]] = Counter()
    for (c, s, d), ps in periods.items():
        joined = school.day_of(c, d).joined
        skip = -1
        for p in sorted(ps):
            if p != skip and p + 1 in ps and p < len(joined) and joined[p]:
                doubles[(c, s)] += 1
                skip = p + 1
    if not doubles:
        return school
    reqs = tuple(dataclasses.replace(r, doubles=min(doubles[(r.cls, r.subject)], r.periods // 2))
                 for r in school.requirements)
    return dataclasses.replace(school, requirements=reqs)


def _standard(stage: str, grades: list[int], members: list[int],
              last: Mapping[tuple[int, int], int], days: tuple[str, ...],
              policy: Policy, shift: int = 0) -> BellSchedule:
    """The profile's standard bell schedule of a stage, as many periods each day as its
    classes use (at least one)."""
    from .generator import standard_day

    most = max((last.get((c, d), 0) for c in members for d in range(len(days))), default=1)
    cache: dict[int, Any] = {}
    out = []
    for d in range(len(days)):
        n = max((last.get((c, d), 0) for c in members), default=0) or most
        if n not in cache:
            cache[n] = standard_day(stage, n, policy, grades, shift=shift)
        out.append(cache[n])
    return BellSchedule(STAGE_SCHEDULE[stage], tuple(out))


def _schedule_for(schedules: tuple[BellSchedule, ...], stage: str, source: str) -> int:
    if len(schedules) == 1:
        return 0
    found = [i for i, s in enumerate(schedules)
             if any(w in s.name.lower() for w in _STAGE_WORDS[stage])
             and not (stage == "junior" and "小学" in s.name)]
    if found:
        return found[0]
    raise InputError(source, "、".join(s.name for s in schedules),
                     f"有多张作息表，看不出哪张是{'小学' if stage == 'primary' else '初中'}的 — several "
                     f"bell schedules: put 小学 or 初中 in their names so each class finds its own")


def read_bells(path: str | Path, days: tuple[str, ...]) -> tuple[tuple[BellSchedule, ...], str]:
    """The bell schedules of ``path`` for the school days ``days``, and the file's name.

    ``path`` is a small YAML/JSON file with the school file's ``schedules:`` section (and
    optionally ``days:``), a whole school file (its schedules are used), or a workbook
    with the template's 作息时间 sheet. Day keys may be written 星期五 as well as 周五.

    Raises
    ------
    InputError
        Naming the file and the field (or the sheet and cell) of a bad segment.
    """
    from .schoolfile import school_from_dict

    file = check_readable(path)
    if file.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_bells_xlsx(file, days), file.name
    data = load_data(file)
    if not isinstance(data, Mapping):
        raise InputError(str(file), data, "应为含 schedules: 的映射 expected a mapping with "
                                          "schedules: (as in the school file)")
    if "school" not in data:
        for key in data:
            if key not in ("schedules", "days"):
                raise InputError(f"{file}: {key}", key, "未知字段 unknown field; a bells file "
                                                        "has schedules: (and days:)")
    if "schedules" not in data:
        raise InputError(f"{file}: schedules", "", "缺少必填字段 missing required field")
    raw = _day_keys(data["schedules"], days)
    school = school_from_dict({"school": "bells", "days": list(days), "schedules": raw}, str(file))
    return school.schedules, file.name


def _day_keys(raw: Any, days: tuple[str, ...]) -> Any:
    """The ``schedules`` mapping with its day keys (星期五, Fri) written as ``days`` writes them."""
    if not isinstance(raw, Mapping):
        return raw
    out = {}
    for name, body in raw.items():
        if isinstance(body, Mapping):
            body = {(canonical_day(k) if canonical_day(k) in days else k): v
                    for k, v in body.items()}
        out[name] = body
    return out


def _read_bells_xlsx(file: Path, days: tuple[str, ...]) -> tuple[BellSchedule, ...]:
    from .excel import _Places, open_workbook, schedule_mapping
    from .schoolfile import school_from_dict

    wb = open_workbook(file)
    if "作息时间" not in wb.sheetnames:
        raise InputError(file.name, "、".join(wb.sheetnames),
                         "缺少工作表 作息时间 missing the sheet 作息时间 (as in `jianfu template`)")
    places = _Places(file.name)
    raw = _day_keys(schedule_mapping(wb["作息时间"], places), days)
    marker = "\x00xlsx"
    try:
        return school_from_dict({"school": "bells", "days": list(days), "schedules": raw},
                                marker).schedules
    except InputError as exc:
        where = exc.where[len(marker):].lstrip(": ") if exc.where.startswith(marker) else exc.where
        raise places.error(where, exc.value, exc.problem) from None
