"""Stage 1, read (the YAML part): text → plain data and the location of every node.

YAML is read from the parser's event stream, never constructed by PyYAML, so no tag can build
an object. Plain scalars follow the YAML 1.2 core schema (``yes``/``no``/``on``/``off`` stay
strings, ``1e3`` is a number, no sexagesimals, no timestamps). Duplicate keys, merge keys,
explicit non-core tags, multiple documents and excessive size, depth or alias expansion are
reported as located problems. A file named ``.json`` is scanned by :mod:`lif_rules.core.jsontext`
into the same events, so it is read with every one of these checks. Imported on first use: a
process whose packs all come from the cache of compiled packs never imports the YAML parser.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..errors import PackError, Problem
from . import jsontext, slips
from .loading import (CONTROL, IDENTIFIER, MAX_ALIAS_EXPANSION, MAX_BYTES, MAX_DEPTH, MAX_NODES, MAX_NUMBER_DIGITS, Document,
                      Kind, Location, PathT, SourceMap)

__all__ = ["parse"]

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {f"{_CORE}{t}" for t in ("str", "int", "float", "bool", "null", "map", "seq")} | {"!"}
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_TRUE = re.compile(r"^(?:true|True|TRUE)$")
_FALSE = re.compile(r"^(?:false|False|FALSE)$")
_INT10 = re.compile(r"^[-+]?[0-9]+$")
_INT8 = re.compile(r"^0o[0-7]+$")
_INT16 = re.compile(r"^0x[0-9a-fA-F]+$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_INF = re.compile(r"^[-+]?\.(?:inf|Inf|INF)$")
_NAN = re.compile(r"^\.(?:nan|NaN|NAN)$")
_YAML11_BOOLS = {"yes", "no", "on", "off", "y", "n", "Yes", "No", "On", "Off", "YES", "NO", "ON", "OFF", "Y", "N"}


def parse(text: str, name: str, kind: Kind, *, strict_json: bool = False) -> Document:
    """YAML text (or, with ``strict_json``, JSON text) → a ``Document`` (see :func:`loading.parse_text`)."""
    if len(text) > MAX_BYTES:
        raise PackError([Problem(name, 0, 0, "$", f"pack text is {len(text)} characters; the limit is {MAX_BYTES}")])
    builder = _Builder(name, text, kind)
    try:
        for event in jsontext.events(text) if strict_json else yaml.parse(text, Loader=_Loader):
            builder.feed(event)
    except jsontext.JSONSyntaxError as e:
        builder.problems.append(Problem(name, e.line, e.column, builder.current_path(), f"invalid JSON: {e.message}"))
        raise PackError(builder.problems) from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        at = e.context_mark or mark
        context_at = (at.line + 1, at.column + 1) if at else (line, column)
        line, column, message = slips.explain(e.context, e.problem, line, column, *context_at, text.splitlines())
        builder.problems.append(Problem(name, line, column, builder.current_path(), message))
        raise PackError(builder.problems) from None
    except yaml.YAMLError as e:  # reader errors (control characters) carry a position of their own
        pos = getattr(e, "position", None)
        line, column = _line_col(text, pos) if isinstance(pos, int) else (1, 1)
        ch = getattr(e, "character", None)
        if isinstance(ch, int) and 0 <= ch <= 0x10FFFF:
            ch = chr(ch)
        message = slips.control_character(ch) if isinstance(ch, str) and len(ch) == 1 else \
            f"invalid YAML: {getattr(e, 'reason', e)}"
        builder.problems.append(Problem(name, line, column, "$", message))
        raise PackError(builder.problems) from None
    except _StopReading as e:
        builder.problems.append(Problem(name, e.line, e.column, e.path, e.message))
        raise PackError(builder.problems) from None
    if builder.documents == 0 or builder.root is None:  # nothing, only comments, '---', or null
        loc = builder.source.nodes.get((), Location(1, 1))
        if (loc.line, loc.column) == (loc.end_line, loc.end_column):  # nothing written (after '---'): the file's start
            loc = Location(1, 1)
        message = "the pack is empty; expected a mapping with 'pack:' or 'baseline:'" if kind == "pack" else \
            "the case is empty; write {} for a case with every fact unknown"
        raise PackError(builder.problems + [Problem(name, loc.line, loc.column, "$", message)])
    return Document(builder.root, builder.source, builder.problems)


def _line_col(text: str, pos: int) -> tuple[int, int]:
    before = text[:pos]
    return before.count("\n") + 1, pos - (before.rfind("\n") + 1) + 1


class _StopReading(Exception):
    """Reading cannot go on (too big, too deep, a second document): one located problem."""

    def __init__(self, line: int, column: int, path: str, message: str):
        super().__init__(message)
        self.line, self.column, self.path, self.message = line, column, path, message


@dataclass
class _Frame:
    kind: str  # "map" or "seq"
    value: Any
    path: PathT
    anchor: str | None
    size: int = 1
    pending_key: str | None = None
    key_seen: dict[str, Location] = field(default_factory=dict)
    skip_value: bool = False
    repeated: bool = False  # a key of this mapping was repeated


class _Builder:
    """Builds plain data from YAML events without ever constructing tagged objects."""

    def __init__(self, name: str, text: str, kind: Kind):
        self.name = name
        self.kind = kind
        self.printable = kind == "pack"
        self.source = SourceMap(name, text)
        self.problems: list[Problem] = []
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.root: Any = None
        self.documents = 0
        self.nodes = 0
        self.expanded = 0

    def current_path(self) -> str:
        if not self.stack:
            return "$"
        top = self.stack[-1]  # the entry being read, or else the last one read
        path = top.path
        if top.kind == "map" and (top.pending_key is not None or top.key_seen):
            path = path + (top.pending_key if top.pending_key is not None else list(top.key_seen)[-1],)
        elif top.kind == "seq" and top.value:
            path = path + (len(top.value) - 1,)
        return self.source.format(path)

    def _child_path(self) -> PathT:
        if not self.stack:
            return ()
        top = self.stack[-1]
        if top.kind == "map":
            return top.path + (top.pending_key if top.pending_key is not None else "?",)
        return top.path + (len(top.value),)

    def _problem(self, mark: Any, path: PathT, message: str) -> None:
        self.problems.append(Problem(self.name, mark.line + 1, mark.column + 1, self.source.format(path), message))

    def _loc(self, event: Any, style: str | None = None) -> Location:
        s, e = event.start_mark, event.end_mark
        return Location(s.line + 1, s.column + 1, style, e.line + 1, e.column + 1)

    def feed(self, event: Any) -> None:
        mark: Any = event.start_mark
        if isinstance(event, yaml.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise _StopReading(mark.line + 1, mark.column + 1, "$", f"a {self.kind} file holds one YAML document; found a second '---'")
            return
        if isinstance(event, (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent)):
            return
        if isinstance(event, yaml.AliasEvent):
            path = self._child_path()
            anchored = self.anchors.get(str(event.anchor))
            if anchored is None:
                self._problem(event.start_mark, path, f"alias '*{event.anchor}' names no anchor defined before it")
                self._add(None, path, self._loc(event), None, 1)
                return
            value, size = anchored
            self.expanded += size
            if self.expanded > MAX_ALIAS_EXPANSION:
                raise _StopReading(mark.line + 1, mark.column + 1, self.source.format(path),
                              f"aliases expand to more than {MAX_ALIAS_EXPANSION} nodes; refusing to read further")
            self._add(value, path, self._loc(event), None, size)
            return
        if isinstance(event, yaml.ScalarEvent):
            self._scalar(event)
            return
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            self._start(event)
            return
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            frame = self.stack.pop()
            if frame.kind == "seq":
                self._unname_duplicates(frame)
            self._add(frame.value, frame.path, None, frame.anchor, frame.size)

    def _unname_duplicates(self, frame: _Frame) -> None:
        """Items of one list that share an id are counted instead, so each path names one item."""
        ids = self.source.ids
        seen: dict[str, list[PathT]] = {}
        for k in range(len(frame.value)):
            item = frame.path + (k,)
            if item in ids:
                seen.setdefault(ids[item], []).append(item)
        for items in seen.values():
            if len(items) > 1:
                for item in items:
                    del ids[item]

    def _count(self, event: Any, path: PathT) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _StopReading(event.start_mark.line + 1, event.start_mark.column + 1, self.source.format(path),
                          f"the pack has more than {MAX_NODES} nodes; refusing to read further")

    def _check_tag(self, event: Any, path: PathT) -> bool:
        tag = event.tag
        if tag is None or tag in _ALLOWED_TAGS:
            return True
        shown = "!!" + tag[len(_CORE):] if tag.startswith(_CORE) else tag
        self._problem(event.start_mark, path,
                      f"tag {shown!r} is not allowed: packs are data, and only plain YAML values are read")
        self.source.rejected.add(path)
        return False

    def _start(self, event: Any) -> None:
        is_map = isinstance(event, yaml.MappingStartEvent)
        path = self._child_path()
        self._count(event, path)
        if len(self.stack) >= MAX_DEPTH:
            raise _StopReading(event.start_mark.line + 1, event.start_mark.column + 1, self.source.format(path),
                          f"nested more than {MAX_DEPTH} levels deep; refusing to read further")
        self._check_tag(event, path)
        self.source.nodes[path] = self._loc(event)
        self.stack.append(_Frame("map" if is_map else "seq", {} if is_map else [], path, event.anchor))

    def _scalar(self, event: Any) -> None:
        top = self.stack[-1] if self.stack else None
        if top is not None and top.kind == "map" and top.pending_key is None:
            self._key(event, top)
            return
        path = self._child_path()
        self._count(event, path)
        style = event.style or None
        loc = self._loc(event, style)
        self.source.nodes[path] = loc
        value: Any
        if not self._check_tag(event, path):
            value = event.value
        else:
            value = self._resolve(event, path)
        if isinstance(value, str):
            self.source.strings[path] = value
            if self.printable:
                self._check_printable(value, path, loc)
            if path[-1:] == ("id",) and len(path) >= 2 and top is not None and not top.skip_value and isinstance(path[-2], int) and IDENTIFIER.fullmatch(value):
                self.source.ids[path[:-1]] = value
        self._add(value, path, loc, event.anchor, 1)

    def _resolve(self, event: Any, path: PathT) -> Any:
        text: str = event.value
        tag = event.tag
        plain = event.implicit[0] and tag in (None, "!") and not event.style
        if tag == f"{_CORE}str" or (tag in (None, "!") and not plain):
            return text
        digits = _number_digits(text) if len(text) > MAX_NUMBER_DIGITS else 0
        if digits > MAX_NUMBER_DIGITS:  # refused before it is converted: Python will not convert (or show) the longest
            self._problem(event.start_mark, path, f"a number of {digits:,} digits: numbers are written with at most "
                                                  f"{MAX_NUMBER_DIGITS} digits")
            self.source.rejected.add(path)  # reported here, not again as the wrong type
            return text
        value = _core_scalar(text)
        if tag is None or tag == "!":
            if isinstance(value, str) and text in _YAML11_BOOLS:
                self.source.yaml11_words[path] = text
            return value
        wanted = tag[len(_CORE):]
        kinds: dict[str, type | tuple[type, ...]] = {"int": int, "float": (int, float), "bool": bool, "null": type(None)}
        ok = isinstance(value, kinds[wanted]) and not (wanted in ("int", "float") and isinstance(value, bool))
        if not ok:
            self._problem(event.start_mark, path, f"{text!r} is not a valid !!{wanted}")
            return text
        return float(value) if wanted == "float" else value

    def _check_printable(self, value: str, path: PathT, loc: Location, *, key: bool = False) -> None:
        bad = CONTROL.search(value)
        if bad is None:
            return
        line, column = (loc.line, loc.column) if key else self.source.position_in_scalar(path, bad.start())
        self.problems.append(Problem(self.name, line, column, self.source.format(path), slips.control_character(bad.group())))

    def _key(self, event: Any, top: _Frame) -> None:
        path = top.path + (event.value,)
        self._count(event, path)
        self._check_tag(event, path)
        loc = self._loc(event, event.style or None)
        if self.printable:
            self._check_printable(event.value, path, loc, key=True)
        key = event.value
        if key == "<<" and not event.style:
            self._problem(event.start_mark, path, "merge keys ('<<') are not supported; write the entries out")
            top.skip_value = True
        if key in top.key_seen:
            first = top.key_seen[key]
            # a list item's first key again, before any other repeat: most often the next item, its '- ' left out
            hint = ("; if this line starts another item of the list, begin it with '- '"
                    if top.path and isinstance(top.path[-1], int) and not top.repeated
                    and key == next(iter(top.key_seen)) else "")
            top.repeated = True
            self._problem(event.start_mark, path,
                          f"duplicate key {key!r} (first defined at line {first.line}, column {first.column}){hint}")
            top.skip_value = True
        else:
            top.key_seen[key] = loc
            self.source.keys[path] = loc
        top.pending_key = key

    def _add(self, value: Any, path: PathT, loc: Location | None, anchor: str | None, size: int) -> None:
        if anchor is not None:
            self.anchors[anchor] = (value, size)
        if not self.stack:
            self.root = value
            return
        top = self.stack[-1]
        top.size += size
        if top.kind == "seq":
            top.value.append(value)
        else:
            key = top.pending_key
            if key is None:  # a collection used as a key
                self.problems.append(Problem(self.name, *self._loc_pair(path), self.source.format(top.path),
                                             "mapping keys must be plain strings, not collections"))
                top.pending_key = "?"
                top.skip_value = True
                return
            if not top.skip_value:
                top.value[key] = value
            top.pending_key = None
            top.skip_value = False

    def _loc_pair(self, path: PathT) -> tuple[int, int]:
        loc = self.source.nodes.get(path, Location(1, 1))
        return loc.line, loc.column


def _number_digits(text: str) -> int:
    """How many digits ``text`` is written with, when the core schema reads it as a number; else 0."""
    if _INT10.match(text) or _INT8.match(text) or _INT16.match(text) or _FLOAT.match(text):
        return sum(1 for ch in text[2:] if ch.isalnum()) if text[:2] in ("0o", "0x") else sum(ch.isdigit() for ch in text)
    return 0


def _core_scalar(text: str) -> Any:
    """Resolve a plain scalar by the YAML 1.2 core schema."""
    if _NULL.match(text):
        return None
    if _TRUE.match(text):
        return True
    if _FALSE.match(text):
        return False
    if _INT10.match(text):
        return int(text)
    if _INT8.match(text):
        return int(text[2:], 8)
    if _INT16.match(text):
        return int(text[2:], 16)
    if _FLOAT.match(text):
        return float(text)
    if _INF.match(text):
        return -math.inf if text.startswith("-") else math.inf
    if _NAN.match(text):
        return math.nan
    return text
