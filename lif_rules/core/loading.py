"""Stage 1, read: pack file bytes → plain data plus a ``SourceMap`` of every node's location.

This module reads files (regular files only, within a size limit), decodes them and holds what
reading produces: ``Document``, ``SourceMap`` and ``Location``. The YAML itself is read by
:mod:`lif_rules.core.parsing`, which is imported when a first text is parsed.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ..errors import PackError, Problem
from . import slips

__all__ = ["Document", "SourceMap", "Location", "FileNotRead", "read_document", "parse_text", "format_path", "value_at"]

MAX_BYTES = 5_000_000
MAX_DEPTH = 64
MAX_NODES = 200_000
MAX_ALIAS_EXPANSION = 10_000
MAX_NUMBER_DIGITS = 100
"""The most digits a number may be written with: no value in a pack or a case comes near, and every number
read can then be shown in a message (Python refuses to convert integers of more than 4,300 digits)."""

PathT = tuple[str | int, ...]
Kind = Literal["pack", "case"]
"""What a text is read as: a pack (or baseline) file, or a case file."""



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
    moved: dict[PathT, PathT] = field(default_factory=dict)  # where a part the schema kept was written, when
    # dropping a list item before it moved it up (see ``original``)

    def original(self, path: PathT) -> PathT:
        """Where the part at ``path`` of the checked pack was written in the file.

        The same path, unless the schema dropped a list item written before it (its own problem is
        reported): the later items then move up, and a problem found in one of them must still point
        at the lines it was written on.
        """
        p = tuple(path)
        if self.moved:
            for n in range(len(p), 0, -1):
                found = self.moved.get(p[:n])
                if found is not None:
                    return found + p[n:]
        return p

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
        """A problem located at ``path`` of the checked pack (see ``original``)."""
        path = self.original(path)
        loc = self.locate(path, key=key)
        return Problem(self.file, loc.line, loc.column, self.format(path), message)

    def problem_in_scalar(self, path: PathT, offset: int, message: str) -> Problem:
        """A problem at character ``offset`` inside the string scalar at ``path`` of the checked pack."""
        path = self.original(path)
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


IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
# what a terminal acts on (C0 and C1 controls, DEL, line and paragraph separators, bidirectional controls);
# newlines and tabs are ordinary text
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


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
    if IDENTIFIER.fullmatch(part):
        return f".{part}"
    return f"[{part!r}]"


def read_document(path: str | Path, *, display_name: str | None = None) -> Document:
    """Read a pack (or baseline) file into a ``Document``; case files are read by :mod:`lif_rules.core.cases`.

    Raises:
        PackError: the file is missing, unreadable, not a regular file, not UTF-8, too large or not
            valid YAML (problems about the whole file have line and column 0).
    """
    name = display_name or str(path)
    return parse_bytes(read_limited(path, name, "pack file"), name)


class FileNotRead(PackError):
    """A file that could not be read at all: missing, a folder, a device or pipe, or refused by the system.

    One problem about the whole file (line and column 0). A file too large to read is a ``PackError``
    about its contents instead. The command line tells them apart: this is bad input (exit status 2).
    """

    def __reduce__(self) -> tuple[type[FileNotRead], tuple[tuple[Problem, ...]]]:
        return (FileNotRead, (self.errors,))


def read_limited(path: str | Path, name: str, what: str) -> bytes:
    """The bytes of a regular file of at most ``MAX_BYTES``, never reading more than one byte past it.

    Devices, pipes and folders are refused without reading (a FIFO is opened without waiting for a
    writer), so no path can make loading block or read without end.

    Raises:
        FileNotRead: the file is missing, a folder, not a regular file or cannot be read.
        PackError: the file is too large; either has one problem about the whole file (line and column 0).
    """
    def refuse(message: str) -> PackError:
        return FileNotRead([Problem(name, 0, 0, "$", message)])

    def too_large(message: str) -> PackError:
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
        if info.st_size > MAX_BYTES:
            raise too_large(f"{what} is {info.st_size:,} bytes; the limit is {MAX_BYTES:,} bytes")
        chunks = []
        left = MAX_BYTES + 1
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
    if len(raw) > MAX_BYTES:
        raise too_large(f"{what} is more than {MAX_BYTES:,} bytes; the limit is {MAX_BYTES:,} bytes")
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

    A text whose ``name`` ends in ``.json`` is read as strict JSON (see :mod:`lif_rules.core.jsontext`):
    what JSON does not allow is refused, located, though YAML would read it.

    ``kind`` says what the text is. In a pack, a control character in any key or string (``"\\e"``,
    ``"\\r"``, a bidirectional override), which could paint over what a terminal shows, is a located
    problem. A case is shown escaped wherever it is shown. Either is refused when it holds nothing
    (no document, only comments, or ``null``): a case with every fact unknown is written ``{}``.
    """
    from .parsing import parse  # the YAML parser is imported when a text is first read, not at start-up
    return parse(text, name, kind, strict_json=name.lower().endswith(".json"))
