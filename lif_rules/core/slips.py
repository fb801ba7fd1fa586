"""YAML syntax errors → plain words with the fix, for the slips policy authors make most.

PyYAML says "did not find expected '-' indicator" or "mapping values are not allowed here"; an
author needs to hear that a line is indented one space too few, or that a citation holding ': '
must be put in quotes. :func:`explain` reads the lines around the error and says which, with the
fix; errors it does not recognise keep PyYAML's words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["explain", "not_utf8", "control_character"]

# a line's key: indentation, any '- ' item markers, the key (plain or quoted), then ':' and a space or the end
_KEY = re.compile(r"""^(?P<indent> *)(?P<dashes>(?:- +)*)(?P<key>"[^"]*"|'[^']*'|[^\s#'"\[\]{},:-][^:#]*?|-[^\s:#][^:#]*?)[ \t]*:(?=\s|$)""")


# spaces YAML does not read as spaces, which text pasted from a word processor or a PDF brings
_ODD_SPACE = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")

# libyaml's words, then PyYAML's own (used when libyaml is not installed)
_BLOCK_ENDS = ("did not find expected '-' indicator", "did not find expected key", "expected <block end>")


@dataclass(frozen=True)
class _Choice:
    indent: int
    line: int  # 1-based
    what: str  # the key (for a key) or "" (for a list item's '-')


def explain(context: str | None, problem: str | None, line: int, column: int,
            context_line: int, context_column: int, lines: list[str]) -> tuple[int, int, str]:
    """Where to report a YAML syntax error and what to say (line and column 1-based)."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    col = column - 1
    problem = problem or ""
    context = context or ""
    for at in dict.fromkeys((line, line - 1, context_line)):  # the line of the error, or the one it began on
        found = _ODD_SPACE.search(lines[at - 1]) if 0 < at <= len(lines) else None
        if found is not None:
            name = unicodedata.name(found.group(), "a space").lower()
            return at, found.start() + 1, (f"this line holds a {name} (U+{ord(found.group()):04X}), which YAML does "
                                           f"not read as a space (it comes with text pasted from a document): type an "
                                           f"ordinary space instead")
    quoted = _quote_inside_quotes(text, col)
    if quoted is not None:
        return line, column, quoted
    if 0 < col <= len(text) and text[:col].rstrip()[-1:] in ("'", '"') and problem.startswith(_BLOCK_ENDS[1:]):
        return line, column, "there is text after the closing quote: put all of the text inside the quotes"
    if "'\\t'" in problem or _tab_indents(lines, line):
        return line, column, "a tab indents this line; YAML is indented with spaces only: replace the tab with spaces"
    if problem.startswith("mapping values are not allowed"):
        return line, column, _colon(lines, line, col)
    if problem.startswith(_BLOCK_ENDS) and "block" in context and text[:col].strip() == "":
        return line, column, _indentation(lines, line, col)
    if problem.startswith("could not find expected ':'") and "simple key" in context:
        return context_line, context_column, _no_colon(lines, context_line)
    if "sequence entries are not allowed" in problem:
        return line, column, ("'- ' starts a list item, which cannot follow a key on the same line: put the item on "
                              "the next line, indented (or, if this is text, put it in quotes)")
    if re.match(r"found character (.* )?that cannot start any token", problem) and col < len(text):
        return line, column, f"a value cannot start with {text[col]!r} in YAML; put the value in quotes"
    flow = re.match(r"(?:did not find )?expected ',' or '([\]}])'", problem)
    if "flow" in context and flow is not None:
        closer = flow.group(1)
        opener, kind, parts = ("[", "list", "items") if closer == "]" else ("{", "mapping", "entries")
        return line, column, (f"the {kind} opened with '{opener}' at line {context_line}, column {context_column} is "
                              f"not closed: end it with '{closer}', with ',' between its {parts} (text holding ',', "
                              f"':', '{opener}' or '{closer}' goes in quotes)")
    if "quoted scalar" in context and "end of stream" in problem:
        return context_line, context_column, ("the text in quotes that starts here is never closed: end it with the "
                                              "same quote it starts with")
    if context and problem:
        return line, column, f"invalid YAML: {context}: {problem}"
    return line, column, f"invalid YAML: {problem or context or 'not valid YAML'}"


def not_utf8(byte: int) -> str:
    """The message for a file that is not UTF-8, naming the character the byte is in Windows-1252."""
    try:
        shown = bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        shown = ""
    guess = f" ({shown!r} in Windows-1252)" if shown and shown.isprintable() else ""
    return (f"the file is not saved as UTF-8: byte 0x{byte:02x}{guess} cannot be read; save the file with the "
            f"UTF-8 encoding (in most editors: Save As, Encoding: UTF-8)")


def control_character(ch: str) -> str:
    """The message for a control character in pack text, naming it (``U+001B``)."""
    name = unicodedata.name(ch, "") or _CONTROL_NAMES.get(ord(ch), "a control character")
    return (f"control character U+{ord(ch):04X} ({name.lower()}) in the text; remove it (text may hold printable "
            f"characters, newlines and tabs only)")


_CONTROL_NAMES = {
    0x00: "null", 0x07: "bell", 0x08: "backspace", 0x0B: "vertical tab", 0x0C: "form feed", 0x0D: "carriage return",
    0x1B: "escape", 0x7F: "delete", 0x85: "next line", 0x9B: "control sequence introducer",
}


# -- the slips ------------------------------------------------------------------------------------

def _indent_of(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _tab_indents(lines: list[str], line: int) -> bool:
    near = lines[max(0, line - 2): line]
    return any("\t" in row[: len(row) - len(row.lstrip())] for row in near)


def _content(text: str) -> bool:
    stripped = text.strip()
    return bool(stripped) and not stripped.startswith("#")


def _choices(lines: list[str], row: int) -> list[_Choice]:
    """Where a line after ``row`` (0-based, exclusive) could be indented: the keys and items it could join.

    Walking up from the line above, each line less indented than those below it opens a mapping or a
    list the next line may continue; lines that are not ``key:`` or ``- `` (continued text) are passed over.
    """
    out: list[_Choice] = []
    level: int | None = None
    for r in range(row - 1, -1, -1):
        text = lines[r]
        if not _content(text):
            continue
        indent = _indent_of(text)
        if level is not None and indent >= level:
            continue
        m = _KEY.match(text)
        stripped = text.lstrip(" ")
        if m is None and not stripped.startswith("- ") and stripped != "-":
            continue
        if stripped.startswith("-"):
            dashes = m.group("dashes") if m else stripped[: len(stripped) - len(stripped.lstrip("- "))]
            at = indent
            for part in re.findall(r"- +", dashes):
                out.append(_Choice(at, r + 1, ""))
                at += len(part)
            if m is not None:
                out.append(_Choice(at, r + 1, m.group("key")))
        elif m is not None:
            out.append(_Choice(indent, r + 1, m.group("key")))
        level = indent
        if indent == 0:
            break
    return out


def _spaces(n: int) -> str:
    return f"{n} space{'' if n == 1 else 's'}"


def _like(c: _Choice, first: bool) -> str:
    what = f"'{c.what}:'" if c.what else "the '-' of the item"
    if c.indent == 0:
        return f"{'start it' if first else 'or start it'} at the beginning of the line, like {what} (line {c.line})"
    return f"{'indent it by' if first else 'or by'} {_spaces(c.indent)}, like {what} (line {c.line})"


def _indentation(lines: list[str], line: int, col: int) -> str:
    text = lines[line - 1]
    n = _indent_of(text)
    item = text.lstrip(" ").startswith("-")
    every = _choices(lines, line - 1)
    choices = [c for c in every if (c.what == "") == item and c.indent != n]
    if not choices:
        if item:
            key = next((c for c in every if c.what), None)
            among = f" (like '{key.what}:' on line {key.line})" if key else ""
            return (f"this list item stands among the keys of a mapping{among}; write it as 'key: value', or put the "
                    f"list under a key of its own")
        return f"wrong indentation: this line is indented by {_spaces(n)}, which lines it up with nothing above it"
    best = min(abs(c.indent - n) for c in choices)
    near: dict[int, _Choice] = {}
    for c in choices:  # the nearest line above first
        if abs(c.indent - n) == best:
            near.setdefault(c.indent, c)
    fixes = [_like(c, k == 0) for k, c in enumerate(sorted(near.values(), key=lambda c: -c.indent))]
    if item:
        return f"wrong indentation: this list item is indented by {_spaces(n)}; {' '.join(fixes)}"
    message = f"wrong indentation: this line is indented by {_spaces(n)}, which lines it up with no key above it; " \
              f"{' '.join(fixes)}"
    dash = next((c for c in every if not c.what and c.indent == n), None)
    if dash is not None:
        message += f"; or, to add it to the list at line {dash.line}, start it with '- '"
    return message


def _colon(lines: list[str], line: int, col: int) -> str:
    """'mapping values are not allowed': a ': ' inside text, or a line indented under a value."""
    text = lines[line - 1]
    m = _KEY.match(text)
    if m is not None and m.end() - 1 < col:
        key = m.group("key")
        value = text[m.end() + 1:].strip()
        return (f"the value of '{key}:' contains ': ', which YAML reads as the start of another key; put the whole "
                f"value in quotes: {key}: {_quoted(value)}")
    n = _indent_of(text)
    above = next((r for r in range(line - 2, -1, -1) if _content(lines[r])), None)
    owner = _KEY.match(lines[above]) if above is not None else None
    if above is not None and owner is not None:
        key = owner.group("key")
        key_indent = len(owner.group("indent")) + len(owner.group("dashes"))
        return (f"wrong indentation: this line is indented by {_spaces(n)}, more than '{key}:' on line {above + 1}, so "
                f"YAML reads it as more of the value of '{key}:'; "
                + _like(_Choice(key_indent, above + 1, key), True))
    return "this line holds ': ' where YAML does not expect a key; if it is text, put it in quotes"


def _no_colon(lines: list[str], line: int) -> str:
    above = next((r for r in range(line - 2, -1, -1) if _content(lines[r])), None)
    owner = _KEY.match(lines[above]) if above is not None else None
    further = f" indent it further than '{owner.group('key')}:' on line {above + 1}" if owner and above is not None \
        else " indent it further than the key above"
    return (f"this line is neither 'key: value' nor a list item '- ...': if it is a key, add ':' after it; if it "
            f"continues the text of the line above,{further} (or put the whole text in quotes)")


def _quoted(value: str) -> str:
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    return "'" + value.replace("'", "''") + "'"


def _quote_inside_quotes(text: str, col: int) -> str | None:
    """An apostrophe inside single quotes (or a double quote inside double quotes) that ended the text early."""
    if not (0 < col < len(text)) or text[col - 1] not in "'\"" or not (text[col].isalnum() or text[col] == " "):
        return None
    quote = text[col - 1]
    start = None
    for i in range(col - 2, -1, -1):
        if text[i] == quote and (i == 0 or text[i - 1] in " \t[{,:-"):
            start = i
            break
    if start is None:
        return None
    ends = [i for i in range(col, len(text)) if text[i] == quote and (i + 1 == len(text) or text[i + 1] in " \t,]}#")]
    if not ends:
        return None
    inner = text[start + 1: ends[-1]]
    if quote == "'":
        doubled = "'" + inner.replace("'", "''") + "'"
        other = f' or put the text in double quotes ("{inner}")' if '"' not in inner and "\\" not in inner else ""
        return f"an apostrophe ends text in single quotes: write each apostrophe twice ({doubled}){other}"
    escaped = '"' + inner.replace("\\", "\\\\").replace('"', '\\"') + '"'
    single = "'" + inner.replace("'", "''") + "'"
    return (f"a double quote ends text in double quotes: put the text in single quotes ({single}) or write each "
            f"double quote inside it as \\\" ({escaped})")
