"""Test-suite set-up: ``tests/`` on ``sys.path``, so every test module imports the shared
builder as ``builders``, whichever directory it is in (``tests/models`` is a package,
``tests/solver`` is not) and whichever file is run alone."""

from __future__ import annotations

import sys
from pathlib import Path

_TESTS = str(Path(__file__).resolve().parent)
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)
