"""Any school file, by its suffix: YAML or JSON (:mod:`.schoolfile`) or the Excel template
(:mod:`.excel`), so that callers need not know which reader a clerk's file wants."""

from __future__ import annotations

import os
from pathlib import Path

from ..models.school import School
from .excel import read_school_xlsx
from .schoolfile import read_school

__all__ = ["read_any_school"]


def read_any_school(path: str | os.PathLike[str]) -> School:
    """The school in ``path``: ``.xlsx`` is the Excel template, anything else YAML/JSON.

    Raises :class:`~jianfu.models.errors.InputError` naming the file, the field (or the
    sheet and cell) and the value.
    """
    if Path(path).suffix.lower() == ".xlsx":
        return read_school_xlsx(path)
    return read_school(path)
