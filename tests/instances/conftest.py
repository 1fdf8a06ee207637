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
