"""Shared pieces of the command line: usage errors, dates, loading packs, reading case files, output.

Text output goes through :func:`_print`, which escapes anything a terminal would act on (escape
sequences, carriage returns), so no text from a pack or a case can paint over what is shown.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, NoReturn, TextIO

from ..core.cases import CaseFile, parse_case, read_case
from ..core.loading import CONTROL, MAX_BYTES
from ..errors import FactError
from ..pack import PACK_SUFFIXES, PolicyPack, available_packs, load_pack, looks_like_path

PROG = "lif-rules"
MAX_STDIN_BYTES = MAX_BYTES  # a case on standard input is held to a file's limit

Command = Callable[[str, str, Callable[[argparse.Namespace], int]], argparse.ArgumentParser]
"""Adds a subcommand: ``command(name, summary, run)`` returns its parser for the arguments."""
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class UsageError(Exception):
    """Bad input on the command line (exit status 2); ``prog`` names the (sub)command it is about."""

    def __init__(self, message: str, prog: str = PROG):
        super().__init__(message)
        self.prog = prog


class EnvironmentProblem(Exception):
    """The environment stopped a command (an output that cannot encode the text, a full disk): exit 2."""


def _one_line(e: BaseException) -> str:
    text = str(e.args[0]) if len(e.args) == 1 else str(e)
    return " ".join(text.split()) or type(e).__name__


def safe(text: str) -> str:
    """``text`` with every character a terminal would act on (but newlines and tabs) shown escaped."""
    return CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _error(message: str, prefix: str = f"{PROG}: error: ") -> None:
    _write(sys.stderr, f"{prefix}{safe(message)}\n")
    try:
        sys.stderr.flush()
    except OSError:
        pass


def _write(out: TextIO, text: str) -> None:
    try:
        out.write(text)
    except UnicodeEncodeError as e:
        encoding = getattr(out, "encoding", None) or "this output's encoding"
        raise EnvironmentProblem(f"the output cannot show the character {e.object[e.start:e.end]!r} in {encoding}; "
                                 f"set PYTHONIOENCODING=utf-8 (or use --json, which is ASCII-safe)") from None


def _silence_stdout() -> None:
    try:
        import os
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


class _Parser(argparse.ArgumentParser):
    """argparse, with its error as one line after the usage, raised as a UsageError (exit status 2)."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        raise UsageError(" ".join(message.split()), self.prog)


def _parse_date(text: str) -> date:
    """A date written YYYY-MM-DD (or ``today``), or an ArgumentTypeError saying what is wrong."""
    text = text.strip()
    if text == "today":
        return date.today()
    if not _DATE.match(text):
        raise argparse.ArgumentTypeError(f"invalid date {text!r}: expected YYYY-MM-DD, e.g. 2026-01-05")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid date {text!r}: not a real date") from None


def _actual_arg(text: str) -> tuple[str, date]:
    mid, sep, when = text.partition("=")
    if not sep or not mid.strip():
        raise argparse.ArgumentTypeError(f"invalid --actual {text!r}: expected MILESTONE=YYYY-MM-DD")
    try:
        return mid.strip(), _parse_date(when)
    except argparse.ArgumentTypeError as e:
        raise argparse.ArgumentTypeError(f"{e} in --actual {text!r}") from None


# -- helpers --------------------------------------------------------------------------------------

def _load(ref: str) -> PolicyPack:
    """A pack by bundled id or by path (an existing file, or anything that looks like a path)."""
    path = Path(ref)
    if path.exists():
        return load_pack(path)
    note_local_copy(ref)
    return load_pack(ref)


def note_local_copy(ref: str) -> None:
    """Say on standard error when a bundled id is given while a pack file of that name is in this folder:
    an author editing ./dudley.yaml who types ``dudley`` would otherwise see the bundled pack's answer."""
    if looks_like_path(ref) or ref not in available_packs():
        return
    local = [name for name in (ref + suffix for suffix in PACK_SUFFIXES) if Path(name).is_file()]
    if local:
        _error(f"{ref!r} is the bundled pack; the file {local[0]} in this folder is not read: give its path "
               f"(./{local[0]}) to use it", prefix="note: ")


def _print(text: str, out: TextIO | None = None) -> None:
    """Write text for a person: anything a terminal would act on is shown escaped."""
    _write(out or sys.stdout, safe(text))


def json_text(data: Any) -> str:
    """What ``--json`` prints: indented, ASCII only (so any terminal encoding can show it), one final newline."""
    return json.dumps(data, indent=2, ensure_ascii=True) + "\n"


def _print_json(data: Any) -> None:
    _write(sys.stdout, json_text(data))


def _read_case(ref: str) -> CaseFile:
    """A case's facts from a YAML or JSON file, or ``-`` for standard input, read as strictly as packs."""
    if ref != "-":
        return read_case(ref)
    raw = sys.stdin.buffer.read(MAX_STDIN_BYTES + 1)
    if len(raw) > MAX_STDIN_BYTES:
        raise FactError(f"<stdin>: the case is more than {MAX_STDIN_BYTES:,} bytes; the limit is {MAX_STDIN_BYTES:,}")
    return parse_case(raw, "<stdin>")

