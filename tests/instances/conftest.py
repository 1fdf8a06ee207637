"""Fixtures of the instances tests: the example school of instances/views.py and its timetable."""

from __future__ import annotations

import pytest

from jianfu.instances.views import example_school, example_timetable


@pytest.fixture(scope="module")
def school():
    return example_school()


@pytest.fixture(scope="module")
def timetable(school):
    return example_timetable(school)


@pytest.fixture()
def example_school_yaml(school, tmp_path_factory):
    """The example school as the text of a school file."""
    from jianfu.instances.schoolfile import write_school

    path = tmp_path_factory.mktemp("school") / "school.yaml"
    write_school(school, path)
    return path.read_text(encoding="utf-8")
