"""The layering rules of docs/architecture.md, read from the source: no import circle,
``models/`` free of solvers, ``instances/`` free of ``solver/``."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _modules() -> dict[str, tuple[Path, bool]]:
    out = {}
    for f in ROOT.rglob("*.py"):
        rel = f.relative_to(ROOT)
        if rel.parts[0] in (".venv", ".git", "tests", "build") or "site-packages" in rel.parts:
            continue
        parts = list(rel.with_suffix("").parts)
        package = parts[-1] == "__init__"
        out[".".join(["jianfu", *(parts[:-1] if package else parts)])] = (f, package)
    return out


MODULES = _modules()


def _imports(name: str) -> set[str]:
    """Every module ``name`` imports, at the top or inside a function, absolute names."""
    path, package = MODULES[name]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if package else name.split(".")[:-1]
                base = base[:len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_no_import_circle() -> None:
    graph = {m: {t for t in _imports(m) if t in MODULES and t != m} for m in MODULES}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            part = []
            while True:
                w = stack.pop()
                part.append(w)
                if w == v:
                    break
            if len(part) > 1:
                circles.append(sorted(part))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    assert circles == []


def test_models_import_no_solver_and_instances_no_solver_package() -> None:
    for name in MODULES:
        imported = _imports(name)
        if name.startswith("jianfu.models"):
            bad = {m for m in imported if m.split(".")[0] in ("ortools", "numba")
                   or m.startswith(("jianfu.solver", "jianfu.instances"))}
            assert not bad, (name, bad)
        if name.startswith("jianfu.instances"):
            bad = {m for m in imported if m.startswith("jianfu.solver")
                   or m.split(".")[0] == "ortools"}
            assert not bad, (name, bad)
