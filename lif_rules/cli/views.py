"""Commands that write views: ``render`` (a pack as an HTML document) and the file formats of ``schedule``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from ..core.explain import render_schedule, terminal_width
from ..models import Schedule
from ..pack import PolicyPack
from ..views import MissingExtraError, pack_html, schedule_csv, schedule_ics, timeline_html
from .common import Command, UsageError, _error, _load, _print_json, json_text

__all__ = ["SCHEDULE_FORMATS", "write_schedule", "register"]

SCHEDULE_FORMATS = ("table", "json", "csv", "ics", "html")


def _made(make: Callable[[], str | bytes]) -> bytes:
    try:
        data = make()
    except MissingExtraError as e:  # the optional packages are missing: say what to install
        raise UsageError(str(e)) from None
    return data.encode("utf-8") if isinstance(data, str) else data


def _write(data: bytes, output: str | None, fmt: str, as_json: bool) -> int:
    """Write a view to ``output`` (``None`` or ``-``: standard output), saying so on standard error.

    With ``--json`` (``as_json``) standard output is for JSON only: a file written is reported there as
    JSON, and a format other than JSON must go to a file.
    """
    if output is None or output == "-":
        if as_json and fmt != "json":
            raise UsageError(f"--json prints JSON on standard output, so {fmt} needs a file: add -o FILE")
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    try:
        Path(output).write_bytes(data)
    except OSError as e:
        raise UsageError(f"cannot write {output!r}: {e.strerror or e}") from None
    if as_json:
        _print_json({"output": output, "format": fmt, "bytes": len(data)})
    else:
        sys.stderr.write(f"wrote {output} ({fmt})\n")
    return 0


_SCHEDULE_VIEWS: dict[str, Callable[[Schedule, PolicyPack], str | bytes]] = {
    "table": lambda schedule, pack: render_schedule(schedule),
    "json": lambda schedule, pack: json_text(schedule.model_dump(mode="json")),
    "csv": lambda schedule, pack: schedule_csv(schedule).encode("utf-8-sig"),  # the BOM tells Excel it is UTF-8
    "ics": lambda schedule, pack: schedule_ics(schedule),
    "html": timeline_html,
}


def write_schedule(schedule: Schedule, pack: PolicyPack, fmt: str, output: str | None, as_json: bool) -> int:
    """Write a schedule as ``fmt`` (one of :data:`SCHEDULE_FORMATS`) to ``output`` or standard output.

    A CSV file has no place for the schedule's warnings, and a calendar app shows them only inside its
    events, so for those formats they are also written to standard error.
    """
    if fmt in ("csv", "ics"):
        for warning in schedule.warnings:
            _error(warning, prefix="warning: ")
    if fmt == "table" and output is None:  # shown in a terminal: wrapped to its width
        return _write(_made(lambda: render_schedule(schedule, width=terminal_width())), output, fmt, as_json)
    return _write(_made(lambda: _SCHEDULE_VIEWS[fmt](schedule, pack)), output, fmt, as_json)


def _render(args: argparse.Namespace) -> int:
    pack = _load(args.pack)
    return _write(_made(lambda: pack_html(pack)), args.output, "html", args.json)


def register(command: Command) -> None:
    """Add render to the command line."""
    p = command("render", "write a pack as one HTML document for a partnership board or a policy author", _render)
    p.add_argument("pack", metavar="PACK", help="a bundled pack id or a pack file")
    p.add_argument("-o", "--output", metavar="FILE", help="write the document to FILE (default: standard output)")
