"""The FET export of a school (instances/fet_school.py): the XML of each mapped rule on
a tiny school, what it cannot express, and FET's timetable read back and checked."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from jianfu.instances.fet_export import write_fet
from jianfu.instances.fet_school import (SESSION_SUBJECT, fet_weight, read_fet_timetable,
                                         school_fet)
from jianfu.models.errors import InputError
from jianfu.models.school import Teacher

from builders import fit_policy, make_schedule, mini_school

FET_CL = shutil.which("fet-cl")


def test_soft_weights_map_to_percentages() -> None:
    assert [fet_weight(w) for w in (0, 1, 2, 3, 10, 20)] == [None, 50.0, 75.0, 87.5, 99.9, 99.99]


def tiny():
    """Two parallel classes over five days: 语文 4 with a double period, 体育 1."""
    s = mini_school([("一班", 1), ("二班", 1)],
                    [("一班", "语文", "王芳", 4, 1), ("一班", "体育", "张伟", 1),
                     ("二班", "语文", "李明", 4, 1), ("二班", "体育", "张伟", 1)], days=5)
    return s, fit_policy(s, daily_activity_minutes=60)


def _xml(sf, tmp_path: Path) -> ET.Element:
    return ET.parse(write_fet(sf.problem, tmp_path / "tiny.fet")).getroot()


def _rule(root: ET.Element, rule: str) -> list[ET.Element]:
    """The constraints whose comment names the jianfu rule."""
    return [el for lst in ("Time_Constraints_List", "Space_Constraints_List")
            for el in root.find(lst) if f"({rule})" in (el.findtext("Comments") or "")]


def _text(el: ET.Element) -> str:
    """The element as one line, without its comment (and the indentation)."""
    parts = [f"<{el.tag}>"]
    for child in el:
        if child.tag == "Comments":
            continue
        if len(child):
            parts.append(f"<{child.tag}>" + "".join(
                f"<{x.tag}>{x.text}</{x.tag}>" for x in child) + f"</{child.tag}>")
        else:
            parts.append(f"<{child.tag}>{child.text}</{child.tag}>")
    return "".join(parts) + f"</{el.tag}>"


def test_grid_is_the_period_numbers_with_lunch_and_the_activity_hour() -> None:
    s, p = tiny()
    sf = school_fet(s, p)
    assert sf.problem.hours == ("第1节 08:30-09:10", "第2节 09:20-10:00", "第3节 10:30-11:10",
                                "第4节 11:20-12:00", "午休", "第5节 14:00-14:40",
                                "第6节 14:50-15:30", "课外活动")


def test_each_mapped_rule_writes_its_fet_constraint(tmp_path: Path) -> None:
    s, p = tiny()
    root = _xml(school_fet(s, p), tmp_path)
    days = "".join(f"<Break_Time><Day>{d}</Day><Hour>午休</Hour></Break_Time>" for d in s.days)
    assert [_text(e) for e in _rule(root, "lunch")] == [
        "<ConstraintBreakTimes><Weight_Percentage>100</Weight_Percentage>"
        f"<Number_of_Break_Times>5</Number_of_Break_Times>{days}<Active>true</Active>"
        "</ConstraintBreakTimes>"]
    # 连堂: the double starts where two periods are joined (not over 大课间 or lunch)
    starts = "".join(f"<Preferred_Starting_Time><Preferred_Starting_Day>{d}"
                     f"</Preferred_Starting_Day><Preferred_Starting_Hour>{h}"
                     f"</Preferred_Starting_Hour></Preferred_Starting_Time>"
                     for d in s.days for h in ("第1节 08:30-09:10", "第3节 10:30-11:10",
                                               "第5节 14:00-14:40"))
    assert [_text(e) for e in _rule(root, "double_period")] == [
        f"<ConstraintActivityPreferredStartingTimes><Weight_Percentage>100</Weight_Percentage>"
        f"<Activity_Id>{i}</Activity_Id><Number_of_Preferred_Starting_Times>15"
        f"</Number_of_Preferred_Starting_Times>{starts}<Active>true</Active>"
        f"</ConstraintActivityPreferredStartingTimes>" for i in (1, 5)]
    # 主科上午: the class's morning periods, weight 3 → 87.5 %
    morning = [e for e in _rule(root, "main_morning")]
    assert [e.findtext("Activity_Id") for e in morning] == ["1", "2", "3", "5", "6", "7"]
    assert {e.findtext("Weight_Percentage") for e in morning} == {"87.5"}
    assert [(x.findtext("Preferred_Day"), x.findtext("Preferred_Hour")[:3])
            for x in morning[0].findall("Preferred_Time_Slot")] == \
        [(d, f"第{k}节") for d in s.days for k in (1, 2, 3, 4)]
    # 体育课位置: not the first period nor the first after lunch, weight 2 → 75 %
    pe = _rule(root, "pe_placement")
    assert [(e.findtext("Activity_Id"), e.findtext("Weight_Percentage")) for e in pe] == \
        [("4", "75"), ("8", "75")]
    assert {x.findtext("Preferred_Hour")[:3] for x in pe[0].findall("Preferred_Time_Slot")} == \
        {"第2节", "第3节", "第4节", "第6节"}
    # 同科每天一次: at most ceil(4/5) + 1 = 2 hours of 语文 a day, weight 10 → 99.9 %
    assert [_text(e) for e in _rule(root, "subject_once_daily")] == [
        f"<ConstraintStudentsSetActivityTagMaxHoursDaily><Weight_Percentage>99.9"
        f"</Weight_Percentage><Maximum_Hours_Daily>2</Maximum_Hours_Daily><Students>{c}"
        f"</Students><Activity_Tag>语文</Activity_Tag><Active>true</Active>"
        f"</ConstraintStudentsSetActivityTagMaxHoursDaily>" for c in ("一班", "二班")]
    # 分散安排: the three 语文 lessons (one double) two days apart, weight 2 → 75 %
    assert [_text(e) for e in _rule(root, "spread")] == [
        "<ConstraintMinDaysBetweenActivities><Weight_Percentage>75</Weight_Percentage>"
        "<Consecutive_If_Same_Day>false</Consecutive_If_Same_Day><Number_of_Activities>3"
        "</Number_of_Activities>" + "".join(f"<Activity_Id>{i}</Activity_Id>" for i in ids)
        + "<MinDays>2</MinDays><Active>true</Active></ConstraintMinDaysBetweenActivities>"
        for ids in ((1, 2, 3), (5, 6, 7))]
    # 平行班同步: the k-th lessons of the two classes on one day, weight 1 → 50 %
    assert [[x.text for x in e.findall("Activity_Id")] for e in _rule(root, "parallel_step")] \
        == [["1", "5"], ["2", "6"], ["3", "7"], ["4", "8"]]
    assert [_text(e) for e in _rule(root, "teacher_consecutive")] == [
        "<ConstraintTeachersMaxHoursContinuously><Weight_Percentage>87.5</Weight_Percentage>"
        "<Maximum_Hours_Continuously>3</Maximum_Hours_Continuously><Active>true</Active>"
        "</ConstraintTeachersMaxHoursContinuously>"]
    assert [_text(e) for e in _rule(root, "teacher_gaps")] == [
        "<ConstraintTeachersMaxGapsPerDay><Weight_Percentage>100</Weight_Percentage>"
        "<Max_Gaps>1</Max_Gaps><Active>true</Active></ConstraintTeachersMaxGapsPerDay>"]


def test_sessions_fill_the_days_without_pe(tmp_path: Path) -> None:
    s, p = tiny()
    sf = school_fet(s, p)
    # PE once a week: four sessions per class, in the activity hour, on the ground
    assert sorted(sf.sessions.values()) == [0] * 4 + [1] * 4
    assert all(sf.problem.subjects[a.subject] == SESSION_SUBJECT and a.teachers == ()
               for a in sf.problem.activities if a.id in sf.sessions)
    root = _xml(sf, tmp_path)
    tied = _rule(root, "daily_activity")
    assert [[x.text for x in e.findall("Activity_Id")] for e in tied] == \
        [["4", "9", "10", "11", "12"], ["8", "13", "14", "15", "16"]]
    assert {(e.findtext("Weight_Percentage"), e.findtext("MinDays")) for e in tied} == \
        {("100", "1")}
    rooms = [e for e in _rule(root, "session_slot") if e.tag == "ConstraintActivityPreferredRooms"]
    assert len(rooms) == 8 and {tuple(x.text for x in e.findall("Preferred_Room"))
                                for e in rooms} == {("操场#1", "操场#2")}


def test_teachers_are_kept_out_of_the_activity_hour() -> None:
    s, p = tiny()
    sf = school_fet(s, p)
    na = {sf.problem.teachers[c.get("teacher")]: c.get("slots")
          for c in sf.problem.of_kind("TeacherNotAvailableTimes")}
    assert na == {t: tuple((d, 7) for d in range(5)) for t in ("王芳", "张伟", "李明")}


def two_schedules():
    """Classes 甲班 and 乙班 on bell schedules alike until lunch; 乙's is 40 minutes
    shorter, so 乙's 第6节 (14:10–14:50) overlaps 甲's 第5节 (14:00–14:40). 孙丽 teaches
    音乐 (one music room) to both; both have PE on the ground (two places)."""
    days = 2
    a = make_schedule("甲", days=days)
    b = make_schedule("乙", days=days, lunch_minutes=80)
    return mini_school([("甲班", 1, 0), ("乙班", 1, 1)],
                       [("甲班", "语文", "王芳", 4), ("甲班", "音乐", "孙丽", 2),
                        ("甲班", "体育", "张伟", 2),
                        ("乙班", "语文", "李明", 4), ("乙班", "音乐", "孙丽", 2),
                        ("乙班", "体育", "赵丽", 2)], days=days, schedules=(a, b))


def test_overlapping_periods_of_two_bell_schedules_are_kept_apart() -> None:
    s = two_schedules()
    sf = school_fet(s, fit_policy(s))
    p = sf.problem
    # the clock time is in an hour's name only when both bell schedules agree on it
    assert p.hours[0] == "第1节 08:30-09:10" and "第5节" in p.hours and "第6节" in p.hours
    h5, h6 = p.hours.index("第5节"), p.hours.index("第6节")
    occupy = p.of_kind("ActivitiesOccupyMaxTimeSlotsFromSelection")
    # 孙丽 (teacher) and the one music room: on each day at most one of 第5节/第6节 …
    teacher = [c for c in occupy if "teacher_clash" in c.get("comment")]
    music = [c for c in occupy if "venue_clash" in c.get("comment")]
    assert [c.get("slots") for c in teacher] == [((0, h5), (0, h6)), ((1, h5), (1, h6))]
    assert [c.get("slots") for c in music] == [((0, h5), (0, h6)), ((1, h5), (1, h6))]
    music_ids = {a.id for a in p.activities if p.subjects[a.subject] == "音乐"}
    assert all(set(c.get("activities")) == music_ids for c in teacher + music)
    # … and the ground's two places are split between overlapping hours of A and B
    off = {p.rooms[c.get("room")].name: set(c.get("slots"))
           for c in p.of_kind("RoomNotAvailableTimes")}
    assert set(off) == {"操场#1", "操场#2"}
    assert set().union(*off.values()) == {(d, h) for d in range(2) for h in (h5, h6)}
    for d in range(2):
        free = [{r for r, slots in off.items() if (d, h) not in slots} for h in (h5, h6)]
        assert len(free[0]) == len(free[1]) == 1 and not free[0] & free[1]


def test_what_fet_cannot_express_is_listed_in_the_output_and_the_file(tmp_path: Path) -> None:
    s, p = tiny()
    p = dataclasses.replace(p, weights=dataclasses.replace(p.weights, head_teacher_first=2))
    s = dataclasses.replace(s, classes=tuple(dataclasses.replace(c, head_teacher=0)
                                             for c in s.classes))
    sf = school_fet(s, p)
    heads = [m for m in sf.not_carried if m.startswith("班主任上第一节")]
    gaps = [m for m in sf.not_carried if m.startswith("教师空堂")]
    assert len(heads) == 1 and len(gaps) == 1 and "每天至多 1 节空堂" in gaps[0]
    assert not any(m.startswith("单双周") for m in sf.not_carried)
    comments = _xml(sf, tmp_path).findtext("Comments")
    assert all(m in comments for m in sf.not_carried)
    assert "第1节 08:30-09:10" in comments and "100×(1−2^−w)" in comments
    # without a gaps bound the rule is simply not written
    assert not school_fet(s, p, max_gaps=None).problem.of_kind("TeachersMaxGapsPerDay")


def test_an_alternating_slot_is_listed_as_not_carried() -> None:
    s = mini_school([("一班", 3)], [("一班", "语文", "王芳", 4), ("一班", "科学", "赵磊", 0.5),
                                   ("一班", "音乐", "陈静", 0.5)],
                    days=2, alternates=[("一班", "科学", "音乐")])
    sf = school_fet(s, fit_policy(s))
    assert any(m.startswith("单双周") for m in sf.not_carried)


def test_export_command_prints_what_is_not_carried(tmp_path: Path, capsys) -> None:
    from jianfu.cli import main
    from jianfu.instances.schoolfile import write_school

    s, _ = tiny()
    write_school(s, tmp_path / "s.yaml")
    assert main(["export", str(tmp_path / "s.yaml"), "--format", "fet",
                 "-o", str(tmp_path / "s.fet")]) == 0
    out = capsys.readouterr().out
    assert "FET 无法表达 not carried" in out and "教师空堂 teacher_gaps" in out
    assert "s_data_and_timetable.fet" in out


def test_an_export_without_a_timetable_is_refused_by_check(tmp_path: Path) -> None:
    s, p = tiny()
    path = write_fet(school_fet(s, p).problem, tmp_path / "tiny.fet")
    with pytest.raises(InputError, match="未排"):
        read_fet_timetable(path, s, p)
    other = mini_school([("一班", 1)], [("一班", "数学", "王芳", 4)], days=5)
    with pytest.raises(InputError, match="不是|不同"):
        read_fet_timetable(path, other)


def _fet_solve(path: Path, out: Path, seconds: int = 60) -> Path:
    run = subprocess.run([FET_CL, f"--inputfile={path}", f"--outputdir={out}",
                          f"--timelimitseconds={seconds}"], capture_output=True, text=True,
                         timeout=seconds + 60, check=False)
    assert "Simulation successful" in run.stdout + run.stderr, (run.stdout + run.stderr)[-2000:]
    return out / "timetables" / path.stem / f"{path.stem}_data_and_timetable.fet"


@pytest.mark.skipif(FET_CL is None, reason="fet-cl not installed")
def test_fet_timetable_of_two_bell_schedules_keeps_every_hard_rule(tmp_path: Path) -> None:
    from jianfu.models.checker import check, summarize

    s = two_schedules()
    s = dataclasses.replace(s, teachers=tuple(
        Teacher(t.name, max_periods_per_day=3) if t.name == "孙丽" else t for t in s.teachers))
    p = fit_policy(s)
    path = write_fet(school_fet(s, p).problem, tmp_path / "two.fet")
    tt = read_fet_timetable(_fet_solve(path, tmp_path / "out"), s, p)
    assert len(tt.lessons) == sum(r.periods for r in s.requirements)
    summary = summarize(check(s, p, tt), p)
    assert summary.compliant, summary.hard_by_rule


@pytest.mark.skipif(FET_CL is None, reason="fet-cl not installed")
def test_fet_timetable_of_a_generated_school_passes_jianfus_checker(tmp_path: Path) -> None:
    """The nine-year school (two bell schedules, sessions, ground, labs): what FET
    keeps at 100 % the checker finds kept; the soft rules are scored by jianfu."""
    from jianfu.cli import main
    from jianfu.instances.generator import generate_school
    from jianfu.instances.schoolfile import write_school
    from jianfu.models.checker import check, summarize

    s = generate_school("nine-year", 1, seed=3)
    p = s.policy()
    write_school(s, tmp_path / "school.yaml")
    assert main(["export", str(tmp_path / "school.yaml"), "--format", "fet",
                 "-o", str(tmp_path / "school.fet")]) == 0
    result = _fet_solve(tmp_path / "school.fet", tmp_path / "out")
    tt = read_fet_timetable(result, s, p)
    summary = summarize(check(s, p, tt), p)
    assert summary.compliant, summary.hard_by_rule
    assert len(tt.sessions) > 0
    # the CLI reads it through read_timetable's .fet branch
    assert main(["check", str(tmp_path / "school.yaml"), str(result)]) == 0


def test_reading_back_puts_each_class_on_its_own_clock(tmp_path: Path) -> None:
    """孙丽 in 甲's 第5节 and 乙's 第6节 on 周一: one FET hour apart, but 14:00–14:40 and
    14:10–14:50 — the checker, reading each class's own bell schedule, sees the clash
    the export's cross-schedule records keep FET from making."""
    from jianfu.instances.fet_export import write_locked_fet
    from jianfu.models.checker import check, summarize
    from jianfu.models.fet import FetSolution, Placement

    s = two_schedules()
    p = fit_policy(s)
    sf = school_fet(s, p)
    h = {name.split()[0]: k for k, name in enumerate(sf.problem.hours)}
    at = {1: (0, "第1节"), 2: (0, "第2节"), 3: (1, "第1节"), 4: (1, "第2节"),   # 甲 语文
          5: (0, "第5节"), 6: (1, "第3节"), 7: (0, "第3节"), 8: (1, "第4节"),   # 甲 音乐, 体育
          9: (0, "第1节"), 10: (0, "第2节"), 11: (1, "第1节"), 12: (1, "第2节"),  # 乙 语文
          13: (0, "第6节"), 14: (1, "第4节"), 15: (0, "第3节"), 16: (1, "第3节")}  # 乙 音乐, 体育
    rooms = {r.name: k for k, r in enumerate(sf.problem.rooms)}
    room = {5: "音乐教室", 6: "音乐教室", 13: "音乐教室", 14: "音乐教室",
            7: "操场#1", 8: "操场#1", 15: "操场#2", 16: "操场#2"}
    sol = FetSolution({i: Placement(d, h[name], rooms.get(room.get(i)))
                       for i, (d, name) in at.items()})
    path = write_locked_fet(sf.problem, sol, tmp_path / "by_hand.fet")
    tt = read_fet_timetable(path, s, p)
    sun = [x for x in tt.lessons if s.teachers[x.teacher].name == "孙丽" and x.day == 0]
    assert sorted((s.classes[x.cls].name, x.period) for x in sun) == [("乙班", 5), ("甲班", 4)]
    summary = summarize(check(s, p, tt), p)
    assert {k: n for k, n in summary.hard_by_rule.items() if n} == \
        {"teacher_clash": 1, "venue_clash": 1}


def test_a_teachers_wish_is_a_weighted_preferred_time_slot_of_their_lessons() -> None:
    from jianfu.models.school import Wish

    s, p = tiny()
    wang = s.teacher_index["王芳"]
    s = dataclasses.replace(s, teachers=tuple(
        dataclasses.replace(t, wishes=(Wish(period=0, weight=3),)) if i == wang else t
        for i, t in enumerate(s.teachers)))
    sf = school_fet(s, p)
    wish = [c for c in sf.problem.of_kind("ActivityPreferredTimeSlots")
            if "teacher_wish" in c.get("comment")]
    assert [(c.get("activity"), c.weight) for c in wish] == [(1, 87.5), (2, 87.5), (3, 87.5)]
    assert {h for _, h in wish[0].get("slots")} == {0, 1, 2, 3, 5, 6} - {0}


def test_level_progress_ties_the_lessons_of_a_teachers_classes_to_the_same_days() -> None:
    s = mini_school([("一班", 1), ("二班", 1)],
                    [("一班", "语文", "王芳", 3), ("二班", "语文", "王芳", 3)], days=5)
    p = fit_policy(s, level_progress=True)
    same = [c for c in school_fet(s, p).problem.of_kind("ActivitiesSameStartingDay")
            if c.hard]
    assert [c.get("activities") for c in same] == [(1, 4), (2, 5), (3, 6)]
    assert not [c for c in school_fet(s, fit_policy(s)).problem.of_kind(
        "ActivitiesSameStartingDay") if c.hard]


def test_occupy_max_time_slots_xml(tmp_path: Path) -> None:
    s = two_schedules()
    root = _xml(school_fet(s, fit_policy(s)), tmp_path)
    first = _rule(root, "teacher_clash")[0]
    ids = "".join(f"<Activity_Id>{i}</Activity_Id>" for i in (5, 6, 13, 14))
    slots = "".join(f"<Selected_Time_Slot><Selected_Day>周一</Selected_Day><Selected_Hour>{h}"
                    f"</Selected_Hour></Selected_Time_Slot>" for h in ("第5节", "第6节"))
    assert _text(first) == (
        "<ConstraintActivitiesOccupyMaxTimeSlotsFromSelection><Weight_Percentage>100"
        f"</Weight_Percentage><Number_of_Activities>4</Number_of_Activities>{ids}"
        f"<Number_of_Selected_Time_Slots>2</Number_of_Selected_Time_Slots>{slots}"
        "<Max_Number_of_Occupied_Time_Slots>1</Max_Number_of_Occupied_Time_Slots>"
        "<Active>true</Active></ConstraintActivitiesOccupyMaxTimeSlotsFromSelection>")


def test_pe_and_a_session_every_day_when_neither_alone_is_enough() -> None:
    # 大课间 30 + PE 40 < 120, 30 + PE 40 + 活动 60 ≥ 120 (daily PE, 广东 2025)
    s = mini_school([("一班", 1)], [("一班", "语文", "王芳", 5), ("一班", "体育", "张伟", 5)],
                    days=5)
    sf = school_fet(s, fit_policy(s, daily_activity_minutes=120, daily_pe=True))
    assert len(sf.sessions) == 5
    tied = [c for c in sf.problem.of_kind("MinDaysBetweenActivities") if c.hard]
    pe = tuple(a.id for a in sf.problem.activities if sf.problem.subjects[a.subject] == "体育")
    assert [c.get("activities") for c in tied] == [pe]
    assert not [m for m in sf.not_carried if "每天校内体育活动" in m]


@pytest.mark.skipif(FET_CL is None, reason="fet-cl not installed")
def test_fet_timetable_of_the_guangdong_demo_passes_jianfus_checker(tmp_path: Path) -> None:
    from jianfu.instances.schoolfile import read_school
    from jianfu.models.checker import check, summarize

    s = read_school(Path(__file__).parents[2] / "instances" / "data" /
                    "demo-primary-guangdong.yaml")
    p = s.policy()
    path = write_fet(school_fet(s, p).problem, tmp_path / "gd.fet")
    tt = read_fet_timetable(_fet_solve(path, tmp_path / "out"), s, p)
    assert summarize(check(s, p, tt), p).compliant
