"""Stage 1, read (the JSON part): the text of a file named ``.json``, read as strict JSON.

The text is scanned into the events the YAML parser gives for the same data, so the builder in
:mod:`lif_rules.core.parsing` records every location, refuses repeated keys and applies every limit
exactly as it does for YAML. Whatever JSON does not allow, though YAML would read it, is a located
problem: ``True`` or ``None``, a trailing comma, single quotes, a comment, a key without quotes,
``NaN``, an escape JSON does not have, half of a character written as ``\\uD83D``.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Iterator
from typing import Any, NoReturn

import yaml

__all__ = ["JSONSyntaxError", "events"]

_SPACE = re.compile(r"[ \t\n\r]*")
_LINE_START = re.compile(r"\r\n|\r|\n")
_STRING = re.compile(r'"(?:[^"\\\x00-\x1f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"')
_STRING_PART = re.compile(r'[^"\\\x00-\x1f]*')
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_NUMBER_LIKE = re.compile(r"[-+.0-9A-Za-z_]+")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_ESCAPE = re.compile(r'\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})')
_HEX_ESCAPE = re.compile(r"\\u[0-9a-fA-F]{0,4}")
_VALUE = "a value: {...}, [...], \"text\", a number, true, false or null"


class JSONSyntaxError(Exception):
    """The text is not strict JSON: what is wrong, and where (1-based line and column)."""

    def __init__(self, line: int, column: int, message: str):
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


def events(text: str) -> Iterator[Any]:
    """The YAML events of the JSON ``text`` (none but the stream's when it holds only white space).

    Raises:
        JSONSyntaxError: at the first place the text is not JSON.
    """
    return _Reader(text).read()


class _Mark(yaml.Mark):
    """Where an event starts or ends: the 0-based line and column, all the builder reads of a YAML mark."""

    def __init__(self, line: int, column: int):  # the rest of a mark (the text, a pointer) is never read
        self.line, self.column = line, column


class _Reader:
    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        self.starts = [0] + [m.end() for m in _LINE_START.finditer(text)]

    def mark(self, pos: int) -> _Mark:
        """Where character ``pos`` is, as a YAML parser marks it (0-based line and column)."""
        line = bisect_right(self.starts, pos) - 1
        return _Mark(line, pos - self.starts[line])

    def where(self, pos: int) -> str:
        mark = self.mark(pos)
        return f"line {mark.line + 1}, column {mark.column + 1}"

    def fail(self, pos: int, message: str) -> NoReturn:
        at = self.mark(pos)
        raise JSONSyntaxError(at.line + 1, at.column + 1, message)

    def skip(self) -> str:
        """Skip white space; the next character, or ``""`` at the end."""
        self.pos = _end(_SPACE, self.text, self.pos)
        return self.text[self.pos : self.pos + 1]

    def read(self) -> Iterator[Any]:
        at = self.mark(0)
        yield yaml.StreamStartEvent(at, at)
        if self.skip():
            yield yaml.DocumentStartEvent(at, at, explicit=False)
            yield from self.value()
            if self.skip():
                self.fail(self.pos, self.after_the_end())
            at = self.mark(self.pos)
            yield yaml.DocumentEndEvent(at, at, explicit=False)
        at = self.mark(self.pos)
        yield yaml.StreamEndEvent(at, at)

    # -- values -----------------------------------------------------------------------------------
    def value(self) -> Iterator[Any]:
        ch = self.skip()
        if ch == "{":
            yield from self.container("{", "}")
        elif ch == "[":
            yield from self.container("[", "]")
        elif ch == '"':
            yield self.string()
        else:
            yield self.plain()

    def container(self, opener: str, closer: str) -> Iterator[Any]:
        start = self.pos
        is_object = opener == "{"
        begin = yaml.MappingStartEvent if is_object else yaml.SequenceStartEvent
        end = yaml.MappingEndEvent if is_object else yaml.SequenceEndEvent
        yield begin(None, None, True, self.mark(start), self.mark(start + 1), flow_style=True)
        self.pos += 1
        if self.skip() == closer:
            self.pos += 1
            yield end(self.mark(self.pos - 1), self.mark(self.pos))
            return
        what = "object" if is_object else "array"
        while True:
            if not self.skip():
                self.fail(self.pos, self.not_closed(what, opener, closer, start))
            if is_object:
                yield self.key()
                if self.skip() != ":":
                    self.fail(self.pos, self.unexpected("':' after the key"))
                self.pos += 1
            if not self.skip():
                self.fail(self.pos, self.not_closed(what, opener, closer, start))
            yield from self.value()
            ch = self.skip()
            if ch == closer:
                self.pos += 1
                yield end(self.mark(self.pos - 1), self.mark(self.pos))
                return
            if ch != ",":
                if not ch:
                    self.fail(self.pos, self.not_closed(what, opener, closer, start))
                self.fail(self.pos, self.unexpected(f"',' or '{closer}' after the {'value' if is_object else 'item'}"))
            comma = self.pos
            self.pos += 1
            if self.skip() == closer:
                self.fail(comma, f"a ',' before '{closer}': JSON allows no comma after the last "
                                 f"{'entry' if is_object else 'item'}; remove it")

    def key(self) -> Any:
        ch = self.skip()
        if ch == '"':
            return self.string()
        word = _WORD.match(self.text, self.pos)
        if word is not None:
            self.fail(self.pos, f"a key is written in double quotes in JSON: \"{word.group()}\"")
        self.fail(self.pos, self.unexpected("a key in double quotes"))

    def string(self) -> Any:
        start = self.pos
        found = _STRING.match(self.text, start)
        if found is None:
            self.fail(*self.bad_string(start))
        self.pos = found.end()
        token = found.group()
        value: str = json.loads(token) if "\\" in token else token[1:-1]
        half = _SURROGATE.search(value)
        if half is not None:
            self.fail(start, f"the escape \\u{ord(half.group()):04X} is half of a character (a surrogate): write the "
                             f"character itself, or both halves of it")
        return yaml.ScalarEvent(None, None, (False, True), value, self.mark(start), self.mark(self.pos), style='"')

    def bad_string(self, start: int) -> tuple[int, str]:
        """Where and why the string starting at ``start`` is not JSON."""
        pos = start + 1
        text = self.text
        while True:
            pos = _end(_STRING_PART, text, pos)
            ch = text[pos : pos + 1]
            if ch == "\\":
                escape = _ESCAPE.match(text, pos)
                if escape is not None:
                    pos = escape.end()
                    continue
                shown = _end(_HEX_ESCAPE, text, pos) if text[pos + 1 : pos + 2] == "u" else pos + 2
                return pos, (f"'{text[pos:shown]}' is not an escape JSON has: write \\\" \\\\ \\/ \\b \\f \\n \\r \\t "
                             f"or \\u and four hex digits")
            if ch in ("\n", "\r", ""):
                return start, ("the string that starts here is not closed on its line: end it with '\"' (a line break "
                               "inside a string is written \\n)")
            escaped = {"\t": "\\t", "\b": "\\b", "\f": "\\f"}.get(ch, f"\\u{ord(ch):04X}")
            return pos, f"control character U+{ord(ch):04X} inside a string: write it as {escaped}"

    def plain(self) -> Any:
        """A number, ``true``, ``false`` or ``null``."""
        start = self.pos
        text = self.text
        ch = text[start : start + 1]
        if not ch:
            self.fail(start, f"the text ends where {_VALUE} is expected")
        if ch.isdigit() or (ch == "-" and text[start + 1 : start + 2].isdigit()):
            run = text[start : _end(_NUMBER_LIKE, text, start)]
            if _NUMBER.fullmatch(run) is None:
                self.fail(start, f"{run!r} is not a JSON number (written like 12, -3, 0.5 or 1e6, without leading zeros)")
            token = run
        elif text.startswith("-Infinity", start):
            self.fail(start, "-Infinity is not a JSON value: JSON numbers are finite")
        else:
            word = _WORD.match(text, start)
            if word is None:
                self.fail(start, self.unexpected(_VALUE))
            token = word.group()
            if token not in ("true", "false", "null"):
                self.fail(start, _not_a_value(token))
        self.pos = start + len(token)
        return yaml.ScalarEvent(None, None, (True, False), token, self.mark(start), self.mark(self.pos), style=None)

    # -- what to say ------------------------------------------------------------------------------
    def unexpected(self, wanted: str) -> str:
        ch = self.text[self.pos : self.pos + 1]
        if not ch:
            return f"the text ends where {wanted} is expected"
        special = self.comment_or_quote()
        if special:
            return special
        return f"expected {wanted}, found {ch!r}"

    def comment_or_quote(self) -> str:
        ahead = self.text[self.pos : self.pos + 2]
        if ahead[:1] == "#" or ahead in ("//", "/*"):
            return "JSON has no comments: remove it (or write the file as YAML, named .yaml, to keep it)"
        if ahead[:1] == "'":
            return "a string is written in double quotes in JSON, not single quotes"
        return ""

    def not_closed(self, what: str, opener: str, closer: str, start: int) -> str:
        return f"the {what} opened with '{opener}' at {self.where(start)} is not closed: end it with '{closer}'"

    def after_the_end(self) -> str:
        return self.comment_or_quote() or "text after the end of the JSON value: a file holds one value; remove the rest"


def _end(pattern: re.Pattern[str], text: str, pos: int) -> int:
    """Where a match of ``pattern`` at ``pos`` ends (``pos`` when it does not match there)."""
    found = pattern.match(text, pos)
    return pos if found is None else found.end()


def _not_a_value(word: str) -> str:
    if word.lower() in ("true", "false", "null"):
        return f"{word!r} is not JSON: write {word.lower()}"
    if word.lower() == "none":
        return f"{word!r} is not JSON: write null"
    if word in ("NaN", "Infinity"):
        return f"{word} is not a JSON value: JSON numbers are finite"
    return f"{word!r} is not a JSON value: text is written in double quotes (\"{word}\")"
