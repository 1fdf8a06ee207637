"""Package discovery for the repository-root layout (the root directory *is* ``jianfu``).

``pyproject.toml`` holds the metadata; setuptools' own ``packages.find`` cannot prefix
the names it finds, so the sub-packages are found here and mapped under ``jianfu``.
A hand-kept list once missed ``jianfu.solver.constraints`` (now ``jianfu.solver.school.constraints``) and broke ``pip install .``.
"""

from setuptools import find_packages, setup

SUBPACKAGES = find_packages(where=".", exclude=["tests", "tests.*", "build", "build.*"])

setup(
    package_dir={"jianfu": "."},
    packages=["jianfu", *(f"jianfu.{name}" for name in SUBPACKAGES)],
)
