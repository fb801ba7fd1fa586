"""Stage 1, read: pack file bytes → plain data plus a ``SourceMap`` of every node's location.

YAML is read from the parser's event stream, never constructed by PyYAML, so no tag can build
an object. Plain scalars follow the YAML 1.2 core schema (``yes``/``no``/``on``/``off`` stay
strings, ``1e3`` is a number, no sexagesimals, no timestamps). Duplicate keys, merge keys,
explicit non-core tags, multiple documents and excessive size, depth or alias expansion are
reported as located problems.
"""

from __future__ import annotations

import math
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

from ..errors import PackError, Problem
from . import slips

__all__ = ["Document", "SourceMap", "Location", "read_document", "parse_text", "format_path", "value_at"]

MAX_BYTES = 5_000_000
MAX_DEPTH = 64
MAX_NODES = 200_000
MAX_ALIAS_EXPANSION = 10_000

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

PathT = tuple[str | int, ...]
Kind = Literal["pack", "case"]
"""What a text is read as: a pack (or baseline) file, or a case file."""

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
# what a terminal acts on (C0 and C1 controls, DEL, line and paragraph separators, bidirectional controls);
# newlines and tabs are ordinary text
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_YAML11_BOOLS = {"yes", "no", "on", "off", "y", "n", "Yes", "No", "On", "Off", "YES", "NO", "ON", "OFF", "Y", "N"}


@dataclass(frozen=True)
class Location:
    """Where a node starts (1-based line and column), how it was written, and where it ends."""

    line: int
    column: int
    style: str | None = None  # scalar style: None (plain), "'", '"', "|", ">"
    end_line: int = 0
    end_column: int = 0


@dataclass
class SourceMap:
    """YAML path → location of the node (and, for mapping entries, of the key)."""

    file: str
    text: str
    nodes: dict[PathT, Location] = field(default_factory=dict)
    keys: dict[PathT, Location] = field(default_factory=dict)
    yaml11_words: dict[PathT, str] = field(default_factory=dict)
    strings: dict[PathT, str] = field(default_factory=dict)
    rejected: set[PathT] = field(default_factory=set)  # nodes whose tag was refused (already reported)
    ids: dict[PathT, str] = field(default_factory=dict)  # list item → its 'id:', when unique in its list

    def format(self, path: PathT) -> str:
        """``path`` as authors read it: list items named by their id, or counted from 1 (see :func:`format_path`)."""
        return format_path(path, self.ids)

    def locate(self, path: PathT, *, key: bool = False) -> Location:
        """The location of ``path``, or of its nearest located ancestor."""
        table = self.keys if key else self.nodes
        p = tuple(path)
        while p:
            if p in table:
                return table[p]
            if not key and p in self.nodes:
                return self.nodes[p]
            p = p[:-1]
        return self.nodes.get((), Location(1, 1))

    def problem(self, path: PathT, message: str, *, key: bool = False) -> Problem:
        """A problem located at ``path``."""
        loc = self.locate(path, key=key)
        return Problem(self.file, loc.line, loc.column, self.format(path), message)

    def problem_in_scalar(self, path: PathT, offset: int, message: str) -> Problem:
        """A problem at character ``offset`` inside the string scalar at ``path``."""
        line, column = self.position_in_scalar(path, offset)
        return Problem(self.file, line, column, self.format(path), message)

    def position_in_scalar(self, path: PathT, offset: int) -> tuple[int, int]:
        """File line and column of character ``offset`` of a scalar's value.

        Exact for plain, quoted (without escapes), literal and folded scalars: the n-th
        non-blank character of the value is the n-th non-blank character of its source.
        """
        loc = self.nodes.get(tuple(path))
        if loc is None:
            start = self.locate(path)
            return start.line, start.column
        lines = self.text.splitlines()
        row, col = loc.line - 1, loc.column - 1
        if loc.style in ("'", '"'):
            col += 1
        elif loc.style in ("|", ">"):
            row, col = row + 1, 0
        value = self.strings.get(tuple(path))
        if value is None or (loc.style == '"' and "\\" in _source_slice(lines, loc)):
            return loc.line, loc.column
        if value.strip() and offset >= len(value.rstrip()):  # the end: just after the last character
            row_col = self.position_in_scalar(path, len(value.rstrip()) - 1)
            return row_col[0], row_col[1] + 1
        wanted = sum(1 for ch in value[:offset] if not ch.isspace())
        seen = 0
        while row < len(lines):
            text = lines[row]
            while col < len(text):
                if not text[col].isspace():
                    if seen == wanted:
                        return row + 1, col + 1
                    seen += 1
                col += 1
            row, col = row + 1, 0
        return loc.line, loc.column


def _source_slice(lines: list[str], loc: Location) -> str:
    if loc.end_line == loc.line:
        return lines[loc.line - 1][loc.column - 1 : loc.end_column - 1] if loc.line - 1 < len(lines) else ""
    return "\n".join(lines[loc.line - 1 : loc.end_line])


@dataclass
class Document:
    """A parsed pack file: its plain data, where every node came from, and the problems reading it.

    ``problems`` holds what reading could step over (duplicate keys keep their first value,
    disallowed tags their text); anything that stops reading raises ``PackError`` instead.
    """

    data: Any
    source: SourceMap
    problems: list[Problem] = field(default_factory=list)
    orphan_conditions: list[PathT] = field(default_factory=list)  # conditions in parts the schema dropped


def value_at(data: Any, path: PathT) -> Any:
    """The node of plain data at ``path``, or ``None`` when the path does not lead anywhere."""
    for part in path:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def format_path(path: PathT, ids: Mapping[PathT, str] | None = None) -> str:
    """A YAML path as a policy author reads it: ``$.reviews.sar.rules[serious_case].when``.

    A list item is named by its ``id`` when ``ids`` gives one (``rules[serious_case]``,
    ``milestones[scoping_requests_sent]``), and otherwise counted from 1 (``examples[1]`` is the first
    example, ``to[2]`` the second recipient). Paths stay 0-based inside the library; only their text
    counts from 1. Very deep paths are shortened.

    Examples:
        >>> format_path(("reviews", "sar", "rules", 0, "when"))
        '$.reviews.sar.rules[1].when'
        >>> format_path(("reviews", "sar", "rules", 0, "when"), {("reviews", "sar", "rules", 0): "duty"})
        '$.reviews.sar.rules[duty].when'
    """
    if len(path) > 12:
        head = format_path(path[:6], ids)
        tail = "".join(_part(path[: n + 1], ids) for n in range(len(path) - 3, len(path)))
        return f"{head}...{tail} ({len(path)} levels deep)"
    return "$" + "".join(_part(path[: n + 1], ids) for n in range(len(path)))


def _part(prefix: PathT, ids: Mapping[PathT, str] | None) -> str:
    part = prefix[-1]
    if isinstance(part, int):
        name = ids.get(prefix) if ids else None
        return f"[{name}]" if name is not None else f"[{part + 1}]"
    if _WORD.fullmatch(part):
        return f".{part}"
    return f"[{part!r}]"


def read_document(path: str | Path, *, display_name: str | None = None, what: str = "pack file") -> Document:
    """Read a pack file (or a case file: ``what``) into a ``Document``.

    Raises:
        PackError: the file is missing, unreadable, not a regular file, not UTF-8, too large or not
            valid YAML (problems about the whole file have line and column 0).
    """
    name = display_name or str(path)
    return parse_bytes(read_limited(path, name, what), name)


def read_limited(path: str | Path, name: str, what: str, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, never reading more than ``limit + 1``.

    Devices, pipes and folders are refused without reading (a FIFO is opened without waiting for a
    writer), so no path can make loading block or read without end.

    Raises:
        PackError: with one problem about the whole file (line and column 0).
    """
    def refuse(message: str) -> PackError:
        return PackError([Problem(name, 0, 0, "$", message)])

    try:
        fd = os.open(os.fspath(path), os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise refuse(f"no such {what}") from None
    except IsADirectoryError:
        raise refuse(f"is a folder, not a {what}") from None
    except (OSError, ValueError) as e:  # ValueError: a NUL in the path
        raise refuse(f"cannot read {what}: {_reason(e)}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise refuse(f"is a folder, not a {what}")
        if not stat.S_ISREG(info.st_mode):
            raise refuse(f"is not a regular file (a device, pipe or socket); a {what} must be a file")
        if info.st_size > limit:
            raise refuse(f"{what} is {info.st_size:,} bytes; the limit is {limit:,} bytes")
        chunks = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as e:
        raise refuse(f"cannot read {what}: {_reason(e)}") from None
    finally:
        os.close(fd)
    raw = b"".join(chunks)
    if len(raw) > limit:
        raise refuse(f"{what} is more than {limit:,} bytes; the limit is {limit:,} bytes")
    return raw


def _reason(e: BaseException) -> str:
    if isinstance(e, OSError) and e.strerror:
        return e.strerror.lower() if e.strerror[:1].isupper() and not e.strerror[1:2].isupper() else e.strerror
    if isinstance(e, ValueError):
        return "the path contains a NUL character" if "null" in str(e).lower() else str(e)
    return str(e)


def parse_bytes(raw: bytes, name: str, *, kind: Kind = "pack") -> Document:
    """Decode UTF-8 (a BOM is allowed) and parse (``kind``: see :func:`parse_text`)."""
    if len(raw) > MAX_BYTES:
        raise PackError([Problem(name, 0, 0, "$", f"pack file is {len(raw)} bytes; the limit is {MAX_BYTES} bytes")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        before = raw[: e.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise PackError([Problem(name, line, column, "$", slips.not_utf8(raw[e.start]))]) from None
    return parse_text(text, name, kind=kind)


def parse_text(text: str, name: str, *, kind: Kind = "pack") -> Document:
    """Parse YAML text into plain data and a source map, collecting every structural problem.

    ``kind`` says what the text is. In a pack, a control character in any key or string (``"\\e"``,
    ``"\\r"``, a bidirectional override), which could paint over what a terminal shows, is a located
    problem, and so is a file with no document. A case is shown escaped wherever it is shown, and
    may be empty (its ``data`` is then ``None``: every fact unknown).
    """
    if len(text) > MAX_BYTES:
        raise PackError([Problem(name, 0, 0, "$", f"pack text is {len(text)} characters; the limit is {MAX_BYTES}")])
    builder = _Builder(name, text, kind)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            builder.feed(event)
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
    if (builder.documents == 0 or builder.root is None) and kind == "pack":
        raise PackError(builder.problems + [
            Problem(name, 1, 1, "$", "the pack is empty; expected a mapping with 'pack:' or 'baseline:'")])
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
            if path[-1:] == ("id",) and len(path) >= 2 and top is not None and not top.skip_value and isinstance(path[-2], int) and _WORD.fullmatch(value):
                self.source.ids[path[:-1]] = value
        self._add(value, path, loc, event.anchor, 1)

    def _resolve(self, event: Any, path: PathT) -> Any:
        text: str = event.value
        tag = event.tag
        plain = event.implicit[0] and tag in (None, "!") and not event.style
        if tag == f"{_CORE}str" or (tag in (None, "!") and not plain):
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
            self._problem(event.start_mark, path,
                          f"duplicate key {key!r} (first defined at line {first.line}, column {first.column})")
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
