"""Shared pieces of the command line: usage errors, dates, loading packs, reading case files, output."""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path
from collections.abc import Callable
from typing import Any, NoReturn, TextIO

import yaml

from ..errors import Problem
from ..pack import PolicyPack, load_pack

PROG = "lif-rules"

Command = Callable[[str, str, Callable[[argparse.Namespace], int]], argparse.ArgumentParser]
"""Adds a subcommand: ``command(name, summary, run)`` returns its parser for the arguments."""
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class UsageError(Exception):
    """Bad input on the command line (exit status 2)."""



def _one_line(e: BaseException) -> str:
    text = str(e.args[0]) if len(e.args) == 1 else str(e)
    return " ".join(text.split()) or type(e).__name__


def _error(message: str, prefix: str = f"{PROG}: error: ") -> None:
    sys.stderr.write(f"{prefix}{message}\n")
    sys.stderr.flush()


def _silence_stdout() -> None:
    try:
        import os
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


class _Parser(argparse.ArgumentParser):
    """argparse, with its error as one line after the usage, on standard error, exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {' '.join(message.split())}\n")



def _date_arg(text: str) -> date:
    value = _parse_date(text)
    if value is None:
        raise argparse.ArgumentTypeError(f"invalid date {text!r}: expected YYYY-MM-DD, e.g. 2026-01-05")
    return value


def _parse_date(text: str) -> date | None:
    text = text.strip()
    if text == "today":
        return date.today()
    if not _DATE.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _actual_arg(text: str) -> tuple[str, date]:
    mid, sep, when = text.partition("=")
    if not sep or not mid.strip():
        raise argparse.ArgumentTypeError(f"invalid --actual {text!r}: expected MILESTONE=YYYY-MM-DD")
    value = _parse_date(when)
    if value is None:
        raise argparse.ArgumentTypeError(f"invalid date {when!r} in --actual {text!r}: expected YYYY-MM-DD, "
                                         f"e.g. {mid.strip()}=2026-01-05")
    return mid.strip(), value



# -- helpers --------------------------------------------------------------------------------------

def _load(ref: str) -> PolicyPack:
    """A pack by bundled id or by path (an existing file, or anything that looks like a path)."""
    path = Path(ref)
    if path.is_file() or ref.endswith((".yaml", ".yml", ".json")) or "/" in ref or "\\" in ref or path.is_dir():
        return load_pack(path)
    return load_pack(ref)


def _print(text: str, out: TextIO | None = None) -> None:
    (out or sys.stdout).write(text)


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _problem_json(p: Problem) -> dict[str, Any]:
    return asdict(p)


def _read_facts(ref: str) -> dict[str, Any]:
    where = "standard input" if ref == "-" else repr(ref)
    if ref == "-":
        text = sys.stdin.read()
    else:
        try:
            text = Path(ref).read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise UsageError(f"cannot read facts file {ref!r}: no such file") from None
        except IsADirectoryError:
            raise UsageError(f"cannot read facts file {ref!r}: it is a folder") from None
        except UnicodeDecodeError:
            raise UsageError(f"cannot read facts file {ref!r}: not UTF-8 text") from None
        except OSError as e:
            raise UsageError(f"cannot read facts file {ref!r}: {e.strerror or e}") from None
    data: Any
    try:
        data = json.loads(text)
    except ValueError:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
            problem = getattr(e, "problem", None) or str(e)
            raise UsageError(f"facts in {where} are not valid YAML or JSON{at}: {' '.join(str(problem).split())}") \
                from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise UsageError(f"facts in {where} must be a mapping of fact names to values (e.g. subject: child), "
                         f"got {_kind(data)}")
    return data


def _kind(data: Any) -> str:
    return {list: "a list", str: "a string", bool: "true or false", int: "a number", float: "a number"}.get(
        type(data), type(data).__name__)


