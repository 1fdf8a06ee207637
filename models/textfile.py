"""Text files people make: UTF-8 with or without a BOM, UTF-16 from Notepad, GBK/GB18030.

Excel and Notepad on Chinese Windows save CSV and text as GBK (GB18030 is its
superset) unless told otherwise, and Notepad's UTF-8 starts with a BOM. Every reader
of a file a person made goes through :func:`read_text` (YAML and JSON through
:func:`load_data`, which also refuses a key given twice), which also turns a missing
file, a folder, an unreadable or an empty file into an
:class:`~jianfu.models.errors.InputError` naming the file. A file read in another
encoding than UTF-8 is noted (:func:`take_notes`) so the command can say so.
"""

from __future__ import annotations

import codecs
import json
import os
import re
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError

__all__ = ["read_text", "decode_text", "take_notes", "note", "check_readable", "load_yaml",
           "load_data"]

_notes: list[str] = []


def check_readable(path: str | os.PathLike[str]) -> Path:
    """``path`` as a :class:`Path` if it is an existing file, else an :class:`InputError`."""
    p = Path(path)
    if p.is_dir():
        raise InputError(str(p), "", "这是文件夹，不是文件 this is a folder, not a file")
    if not p.exists():
        raise InputError(str(p), "", "文件不存在 file not found")
    return p


def read_text(path: str | os.PathLike[str]) -> str:
    """The text of a file a person made, whatever of the usual encodings it is in."""
    p = check_readable(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(str(p), "", f"无法读取 cannot read: {exc.strerror or exc}") from None
    text, encoding = decode_text(data, str(p))
    if not text.strip():
        raise InputError(str(p), "", "文件为空 the file is empty")
    if encoding not in ("UTF-8", "UTF-8 (BOM)"):
        _notes.append(f"{p.name}: 按 {encoding} 编码读取 read as {encoding} "
                      f"(jianfu writes UTF-8)")
    return text


def decode_text(data: bytes, source: str) -> tuple[str, str]:
    """``(text, encoding name)`` of ``data``; ``source`` names the file in errors."""
    for bom, codec, name in ((codecs.BOM_UTF8, "utf-8", "UTF-8 (BOM)"),
                             (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
                             (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16")):
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(codec), name
            except UnicodeDecodeError:
                break
    else:
        try:
            return data.decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            pass
        try:
            return data.decode("gb18030"), "GBK/GB18030"
        except UnicodeDecodeError:
            pass
    raise InputError(source, "", "无法识别文字编码，请另存为 UTF-8 unknown text encoding "
                                 "(neither UTF-8 nor GBK): save the file as UTF-8")


def note(text: str) -> None:
    """Keep ``text`` for the command to say (with the encoding notes, :func:`take_notes`):
    what a reader assumed about a file."""
    _notes.append(text)


def take_notes() -> list[str]:
    """The encoding notes since the last call (and forget them)."""
    notes = list(_notes)
    _notes.clear()
    return notes


# --- YAML and JSON ---------------------------------------------------------------------

class _Loader(yaml.SafeLoader):
    """SafeLoader without YAML 1.1 base-60 integers, so ``start: 14:00`` stays a string,
    and without timestamps: ``2026-10-01`` stays text for the reader to check (PyYAML
    raises a bare ValueError on ``2026-13-01``)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers
            if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)"
               r"|[-+]?0x[0-9a-fA-F_]+)$"),
    list("-+0123456789"))


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    """A mapping that refuses a key given twice (YAML keeps the last one silently)."""
    loader.flatten_mapping(node)
    seen: dict[Any, yaml.Node] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, f"键必须是文字 a key must be a plain value, not {key!r}",
                key_node.start_mark)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                f"“{key}” 首次出现于第 {seen[key].start_mark.line + 1} 行 first given on line "
                f"{seen[key].start_mark.line + 1}", seen[key].start_mark,
                f"重复的键 “{key}” key {key!r} given twice", key_node.start_mark)
        seen[key] = key_node
    return {loader.construct_object(k, deep=True): loader.construct_object(v, deep=True)
            for k, v in node.value}


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(text: str) -> Any:
    """Parse YAML text like ``yaml.safe_load`` but keep ``14:00`` as the string ``"14:00"``
    and refuse a key given twice in one mapping."""
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"重复的键 “{key}” key {key!r} given twice")
        out[key] = value
    return out


def load_data(path: str | os.PathLike[str]) -> Any:
    """The YAML or JSON data of a file a person made (encoding detected, keys unique).

    Raises :class:`InputError` naming the file and line for unreadable, empty or
    malformed files and duplicate keys.
    """
    path = Path(path)
    text = read_text(path)
    try:
        if path.suffix.lower() == ".json":
            return json.loads(text, object_pairs_hook=_json_object)
        return load_yaml(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: line {exc.lineno}", "",
                         f"JSON 格式错误 bad JSON: {exc.msg}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}: line {mark.line + 1}" if mark is not None else str(path)
        problem = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        if context and getattr(exc, "context_mark", None) is not None:
            problem = f"{problem}; {context}"
        raise InputError(where, "", f"YAML 格式错误 bad YAML: {problem}") from None
    except ValueError as exc:   # a duplicate JSON key
        raise InputError(str(path), "", f"JSON 格式错误 bad JSON: {exc}") from None
