"""district.yaml reading, writing and validation; the seeded district generator."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from jianfu.instances.district import (District, DistrictSchool, Itinerant, load_schools,
                                       read_district, read_schools, write_district)
from jianfu.instances.district_gen import (ITINERANT_MAX_PERIODS, generate_district,
                                           write_generated_district)
from jianfu.instances.generator import slack_report
from jianfu.models.errors import InputError

RURAL3 = [("rural", 1), ("rural", 1), ("rural", 1)]


@pytest.fixture(scope="module")
def rural(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, District, dict]:
    district, schools = generate_district(3, 5, layout=RURAL3)
    folder = tmp_path_factory.mktemp("rural")
    write_generated_district(folder, district, schools)
    return folder, district, schools


def _edit(folder: Path, tmp_path: Path, change) -> Path:
    """Copy the district to ``tmp_path`` with ``change(data)`` applied to district.yaml."""
    for f in folder.iterdir():
        (tmp_path / f.name).write_bytes(f.read_bytes())
    data = yaml.safe_load((tmp_path / "district.yaml").read_text(encoding="utf-8"))
    change(data)
    (tmp_path / "district.yaml").write_text(yaml.safe_dump(data, allow_unicode=True),
                                            encoding="utf-8")
    return tmp_path


def test_round_trip(rural) -> None:
    folder, district, schools = rural
    back = read_district(folder)
    assert back.name == district.name and back.profile == district.profile
    assert back.schools == district.schools and back.itinerant == district.itinerant
    assert read_district(folder / "district.yaml") == back
    loaded = load_schools(back)
    assert list(loaded) == list(schools)
    for name, school in schools.items():
        assert loaded[name] == school


def test_write_district_is_readable(tmp_path: Path) -> None:
    d = District("测试区", "national", (DistrictSchool("甲小学", "a.yaml"),
                                       DistrictSchool("乙小学", "b.yaml")),
                 (Itinerant("王芳", ("甲小学", "乙小学"), 12),))
    write_district(d, tmp_path)
    back = read_district(tmp_path)
    assert back.schools == d.schools and back.itinerant == d.itinerant


@pytest.mark.parametrize("change, where, value", [
    (lambda d: d.update(colour="red"), "colour", "red"),
    (lambda d: d.update(profile="mars"), "profile", "mars"),
    (lambda d: d["schools"].append(dict(d["schools"][0])), "schools[3].name", None),
    (lambda d: d["itinerant"][0]["schools"].__setitem__(1, "火星小学"),
     "itinerant[0].schools[1]", "火星小学"),
    (lambda d: d["itinerant"][0].update(max_periods_per_week=0),
     "itinerant[0].max_periods_per_week", "0"),
    (lambda d: d["itinerant"][0].update(schools=d["itinerant"][0]["schools"][:1]),
     "itinerant[0].schools", None),
    (lambda d: d["schools"][0].update(file="nope.yaml"), "schools[0].file", "nope.yaml"),
    (lambda d: [d["schools"][0].update(file=d["schools"][1]["file"]),
                d["schools"][1].update(file="s01.yaml")], "schools[0].name", None),
    (lambda d: d["itinerant"][0].update(max_periods_per_week=1),
     "itinerant[0].max_periods_per_week", "1"),
    (lambda d: d["itinerant"][0].update(name="不存在"), "itinerant[0].schools[0]", None),
])
def test_bad_district_names_file_field_and_value(rural, tmp_path: Path, change, where,
                                                  value) -> None:
    folder, _, _ = rural
    path = _edit(folder, tmp_path, change)
    with pytest.raises(InputError) as info:
        load_schools(read_district(path))
    text = str(info.value)
    assert "district.yaml" in text and where in text, text
    if value is not None:
        assert value in text


def test_school_with_another_profile_is_rejected(rural, tmp_path: Path) -> None:
    folder, district, _ = rural
    path = _edit(folder, tmp_path, lambda d: d.update(profile="panjin"))
    with pytest.raises(InputError) as info:
        load_schools(read_district(path))
    assert district.schools[0].file in str(info.value) and "profile" in str(info.value)


def test_missing_district_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="district file not found"):
        read_district(tmp_path)


def test_generator_is_deterministic_and_seeded() -> None:
    a = generate_district(3, 5, layout=RURAL3)
    b = generate_district(3, 5, layout=RURAL3)
    c = generate_district(3, 6, layout=RURAL3)
    assert a[0] == b[0] and a[1] == b[1]
    assert a[1] != c[1]


def test_generator_shares_teachers_within_caps(rural) -> None:
    _, district, schools = rural
    assert district.itinerant, "rural schools share at least one teacher"
    for t in district.itinerant:
        assert t.max_periods_per_week == ITINERANT_MAX_PERIODS
        total = 0
        for name in t.schools:
            school = schools[name]
            k = school.teacher_index[t.name]
            assert set(school.teachers[k].schools) == set(t.schools)
            assert school.teachers[k].unavailable == ()
            total += sum(school.requirements[q].periods for q in school.requirements_of_teacher[k])
        assert total <= t.max_periods_per_week
    for school in schools.values():
        report = slack_report(school, school.policy())
        # a shared teacher's slack is decided by the half-day split, not the school alone
        shared = {t.name for t in district.itinerant_of(school.name)}
        problems = [p for p in report["problems"] if not any(n in p for n in shared)]
        assert problems == []
        for t in school.teachers:   # no placeholder 走教 school outside the district
            assert set(t.schools) <= set(schools)


def test_generated_mix_is_realistic() -> None:
    district, schools = generate_district(12, 3)
    names = list(schools)
    assert len(set(names)) == 12
    kinds = {"村小学": 0, "中心小学": 0, "中学": 0, "九年一贯制学校": 0}
    for n in names:
        for k in kinds:
            if n.endswith(k):
                kinds[k] += 1
                break
    assert all(kinds.values()), kinds
    sizes = [len(s.classes) for s in schools.values()]
    assert min(sizes) == 6 and max(sizes) > 12
    assert all(re.fullmatch(r"s\d\d\.yaml", s.file) for s in district.schools)


def test_generator_rejects_bad_arguments() -> None:
    with pytest.raises(InputError, match="schools"):
        generate_district(0, 1)
    with pytest.raises(InputError, match="layout"):
        generate_district(2, 1, layout=[("rural", 1)])
    with pytest.raises(InputError, match=r"layout\[0\]"):
        generate_district(1, 1, layout=[("castle", 1)])


# --- a district with broken schools: each problem keeps out only its school ----------------------

def _copy(folder: Path, tmp_path: Path) -> Path:
    for f in folder.iterdir():
        (tmp_path / f.name).write_bytes(f.read_bytes())
    return tmp_path


def test_broken_schools_are_collected_one_by_one(rural, tmp_path: Path) -> None:
    folder, district, schools = rural
    path = _copy(folder, tmp_path)
    first, second, third = district.schools
    (path / first.file).write_text((path / first.file).read_text(encoding="utf-8")
                                   + "\nteachers: [unclosed\n", encoding="utf-8")
    text = (path / second.file).read_text(encoding="utf-8")
    teacher = re.search(r"\{teacher: (\S+?)\}", text).group(1)
    (path / second.file).write_text(text.replace(f"{{teacher: {teacher}}}", "{teacher: 无名氏}", 1),
                                    encoding="utf-8")
    read = read_schools(read_district(path))
    assert list(read.errors) == [first.name, second.name]
    assert f"{first.file}: line" in str(read.errors[first.name])
    assert "YAML" in str(read.errors[first.name])
    assert second.file in str(read.errors[second.name]) and "无名氏" in str(read.errors[second.name])
    assert list(read.schools) == [third.name] and read.schools[third.name] == schools[third.name]
    with pytest.raises(InputError, match=first.file):   # the strict form: the first problem
        load_schools(read_district(path))


def test_a_missing_school_file_keeps_out_only_that_school(rural, tmp_path: Path) -> None:
    folder, district, _ = rural
    path = _copy(folder, tmp_path)
    gone = district.schools[1]
    (path / gone.file).unlink()
    read = read_schools(read_district(path))
    assert list(read.errors) == [gone.name]
    text = str(read.errors[gone.name])
    assert "district.yaml" in text and "schools[1].file" in text and gone.file in text
    assert set(read.schools) == {s.name for s in district.schools} - {gone.name}


def test_a_teacher_over_the_cap_keeps_out_their_schools_only(rural, tmp_path: Path) -> None:
    folder, district, _ = rural
    path = _edit(folder, tmp_path, lambda d: d["itinerant"][0].update(max_periods_per_week=1))
    t = district.itinerant[0]
    read = read_schools(read_district(path))
    assert set(read.errors) == set(t.schools)
    assert all("itinerant[0].max_periods_per_week" in str(e) for e in read.errors.values())
    assert set(read.schools) == {s.name for s in district.schools} - set(t.schools)


def test_a_broken_school_does_not_count_for_the_cap(rural, tmp_path: Path) -> None:
    folder, district, schools = rural
    t = district.itinerant[0]
    a, b = t.schools
    load = {n: sum(schools[n].requirements[q].periods
                   for q in schools[n].requirements_of_teacher[schools[n].teacher_index[t.name]])
            for n in t.schools}
    assert load[a] > 0 and load[b] > 0
    path = _edit(folder, tmp_path, lambda d: d["itinerant"][0].update(
        max_periods_per_week=load[b]))   # room for b alone, not for both
    (path / district.schools[district.school_index[a]].file).write_text("school: [",
                                                                        encoding="utf-8")
    read = read_schools(read_district(path))
    assert list(read.errors) == [a] and b in read.schools
