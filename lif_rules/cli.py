"""The command line, ``lif-rules``: validate, decide, schedule, quorum, test, schema and diff.

Every command prints readable text, or JSON on standard output with ``--json``. Errors are one
clear line on standard error (one line per problem for an invalid pack), never a traceback.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any, NoReturn, TextIO

import yaml

from . import __version__
from .diff import diff_packs, render_diff
from .errors import FactError, PackError, Problem
from .examples import ExampleResult, run_examples
from .explain import render_decision, render_problems, render_quorum, render_schedule
from .loading import read_document
from .pack import PolicyPack, available_packs, check_baseline, load_pack
from .schema import PackSpec

__all__ = ["main", "pack_schema", "SCHEMA_ID"]

PROG = "lif-rules"
SCHEMA_ID = "urn:lif-rules:pack.schema.json"
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_TITLE = "lif_rules policy pack"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MAX_BASELINE_DEPTH = 8

EPILOG = """\
PACK is a bundled pack id (%(packs)s) or a pack file path.
Dates are written YYYY-MM-DD. --json prints machine-readable output on standard output.

exit status:
  0  fine
  1  problems found: an invalid pack, a failed example, a meeting not quorate, a diff with changes
  2  usage error: bad arguments or dates, an unreadable facts file, bad facts, an unknown
     pack, review, milestone or meeting id
  3  internal error (a bug in lif-rules; please report it)
"""


class UsageError(Exception):
    """Bad input on the command line (exit status 2)."""


# -- top level ------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    """Run ``lif-rules`` with ``argv`` (default: ``sys.argv[1:]``) and return the exit status."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # argparse has printed usage and the error (or the help) already
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 2)
    args.json = args.json or args.json_first
    try:
        command: Callable[[argparse.Namespace], int] = args.run
        return command(args)
    except UsageError as e:
        _error(str(e))
        return 2
    except PackError as e:
        sys.stderr.write(render_problems(e))
        return 1
    except FactError as e:
        _error(_one_line(e))
        return 2
    except LookupError as e:
        _error(_one_line(e))
        return 2
    except BrokenPipeError:  # e.g. piped into head: stop quietly
        _silence_stdout()
        return 0
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except Exception as e:  # anything else is a bug: one line, no traceback
        _error(f"internal error: {type(e).__name__}: {_one_line(e)}", prefix=f"{PROG}: ")
        return 3


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


def _parser() -> argparse.ArgumentParser:
    try:
        packs = ", ".join(available_packs()) or "none"
    except OSError:
        packs = "none found"
    epilog = EPILOG % {"packs": packs}
    formatter = argparse.RawDescriptionHelpFormatter
    parser = _Parser(prog=PROG, description="Learning and Improvement Frameworks as policy packs: check them, "
                                            "and ask which reviews a case needs, when milestones are due and "
                                            "whether a meeting is quorate.",
                     epilog=epilog, formatter_class=formatter)
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    parser.add_argument("--json", dest="json_first", action="store_true", help="print machine-readable JSON on "
                        "standard output (also accepted after the command)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True, parser_class=_Parser)
    common = _Parser(add_help=False)
    common.add_argument("--json", action="store_true", help="print machine-readable JSON on standard output")

    def command(name: str, summary: str, run: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=summary, description=summary, parents=[common], epilog=epilog,
                           formatter_class=formatter)
        p.set_defaults(run=run)
        return p

    p = command("validate", "check pack files and print every problem as file:line:column: yaml.path: message",
                _validate)
    p.add_argument("paths", nargs="+", metavar="PATH", help="a pack or baseline file, a folder of them, or a bundled id")

    p = command("decide", "decide which reviews a case is eligible for, with the rule and citation for each",
                _decide)
    p.add_argument("pack", metavar="PACK", help="a bundled pack id or a pack file")
    p.add_argument("facts", metavar="FACTS", help="the case's facts: a YAML or JSON file of fact: value, or - for "
                                                  "standard input; a fact left out is unknown")
    p.add_argument("--review", metavar="ID", help="decide this review type only")
    p.add_argument("--as-of", metavar="DATE", type=_date_arg, help="the date of the decision (warns when it is "
                                                                   "outside the period the pack is in force)")
    p.add_argument("--trace", action="store_true", help="show every rule looked at, with the values it saw")

    p = command("schedule", "compute a review's milestones as a table, in date order", _schedule)
    p.add_argument("pack", metavar="PACK", help="a bundled pack id or a pack file")
    p.add_argument("review", metavar="REVIEW", help="the review type, e.g. rapid_review")
    p.add_argument("--start", metavar="DATE", type=_date_arg, required=True,
                   help="the date of the review's first event (e.g. the referral)")
    p.add_argument("--actual", metavar="ID=DATE", type=_actual_arg, action="append", default=[],
                   help="the date a milestone really happened (repeatable)")
    p.add_argument("--today", metavar="DATE", type=_date_arg, help="show each milestone's status on this date")

    p = command("quorum", "check whether a meeting is quorate and who is missing (exit 1 when not quorate)",
                _quorum)
    p.add_argument("pack", metavar="PACK", help="a bundled pack id or a pack file")
    p.add_argument("meeting", metavar="MEETING", help="the meeting, e.g. rapid_review_meeting")
    p.add_argument("roles", nargs="*", metavar="ROLE", help="the roles present, e.g. local_authority police icb")
    p.add_argument("--on", metavar="DATE", type=_date_arg, help="the meeting's date (default: today)")

    p = command("test", "run the worked examples packs carry, as a policy author's test suite", _test)
    p.add_argument("paths", nargs="+", metavar="PATH", help="a pack file, a folder of packs, or a bundled id")

    p = command("schema", "print the JSON Schema of the pack format, for editors", _schema)
    p.add_argument("--output", "-o", metavar="FILE", help="write the schema to FILE instead of printing it")

    p = command("diff", "show how two versions of a pack decide, schedule and count quorum differently "
                        "(exit 1 when they do)", _diff)
    p.add_argument("old", metavar="OLD", help="the earlier version: a bundled pack id or a pack file")
    p.add_argument("new", metavar="NEW", help="the later version: a bundled pack id or a pack file")
    return parser


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


# -- validate -------------------------------------------------------------------------------------

def _targets(paths: Sequence[str]) -> list[tuple[str, Path | None]]:
    """(display name, file) for each PATH; a folder gives its *.yaml files; a bundled id has no file."""
    out: list[tuple[str, Path | None]] = []
    for ref in paths:
        path = Path(ref)
        if path.is_dir():
            files = sorted(list(path.glob("*.yaml")) + list(path.glob("*.yml")))
            if not files:
                raise UsageError(f"no pack files (*.yaml) in folder {ref!r}")
            out += [(str(f), f) for f in files]
        elif path.exists() or ref.endswith((".yaml", ".yml")) or "/" in ref or "\\" in ref:
            out.append((ref, path))
        elif ref in available_packs():
            out.append((ref, None))
        else:
            known = ", ".join(available_packs())
            raise UsageError(f"no such file, folder or bundled pack: {ref!r} (bundled packs: {known})")
    return out


def _is_baseline(path: Path) -> bool:
    try:
        data = read_document(path).data
    except PackError:
        return False
    return isinstance(data, dict) and "baseline" in data and "pack" not in data


def validate_baseline(path: Path, display: str) -> tuple[str, str, list[Problem]]:
    """Check a baseline on its own (see :func:`lif_rules.pack.check_baseline`), with a one-line summary."""
    spec, problems = check_baseline(path, display)
    top_id = spec.baseline or "?"
    summary = f"baseline {top_id}: {len(spec.facts)} facts, {len(spec.definitions)} definitions"
    if spec.notifications:
        summary += f", {len(spec.notifications)} notifications"
    return top_id, summary, problems


def _validate_one(display: str, path: Path | None) -> dict[str, Any]:
    entry: dict[str, Any] = {"file": display, "valid": False, "kind": "pack", "id": None, "review_types": None,
                             "problems": []}
    try:
        if path is not None and _is_baseline(path):
            entry["kind"] = "baseline"
            entry["id"], entry["summary"], problems = validate_baseline(path, display)
            entry["problems"] = [_problem_json(p) for p in problems]
            entry["valid"] = not problems
            return entry
        pack = load_pack(path) if path is not None else load_pack(display)
    except PackError as e:
        entry["problems"] = [_problem_json(p) for p in e.errors]
        return entry
    entry.update(valid=True, id=pack.id, review_types=len(pack.reviews),
                 summary=f"{pack.id}: {len(pack.reviews)} review type{'' if len(pack.reviews) == 1 else 's'}")
    return entry


def _validate(args: argparse.Namespace) -> int:
    results = [_validate_one(display, path) for display, path in _targets(args.paths)]
    ok = all(r["valid"] for r in results)
    if args.json:
        _print_json({"valid": ok, "files": results})
        return 0 if ok else 1
    for r in results:
        if r["valid"]:
            _print(f"ok: {r['file']} ({r['summary']})\n")
        else:
            for p in r["problems"]:
                _print(f"{p['file']}:{p['line']}:{p['column']}: {p['path']}: {p['message']}\n")
    bad = [r for r in results if not r["valid"]]
    if bad:
        problems = sum(len(r["problems"]) for r in bad)
        _print(f"{problems} problem{'' if problems == 1 else 's'} in {len(bad)} of {len(results)} "
               f"file{'' if len(results) == 1 else 's'}\n", sys.stderr)
    return 0 if ok else 1


# -- decide ---------------------------------------------------------------------------------------

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


def _decide(args: argparse.Namespace) -> int:
    pack = _load(args.pack)
    facts = _read_facts(args.facts)
    decision = pack.decide(facts, review=args.review, as_of=args.as_of)
    if args.json:
        _print_json(decision.model_dump(mode="json"))
    else:
        _print(render_decision(decision, trace=args.trace))
    return 0


# -- schedule -------------------------------------------------------------------------------------

def _schedule(args: argparse.Namespace) -> int:
    pack = _load(args.pack)
    actual: dict[str, date] = {}
    for mid, when in args.actual:
        if mid in actual and actual[mid] != when:
            raise UsageError(f"--actual gives two dates for {mid!r}: {actual[mid].isoformat()} and {when.isoformat()}")
        actual[mid] = when
    try:
        schedule = pack.schedule(args.review, start=args.start, actual=actual, today=args.today)
    except (ValueError, OverflowError) as e:
        raise UsageError(_one_line(e)) from None
    if args.json:
        _print_json(schedule.model_dump(mode="json"))
    else:
        _print(render_schedule(schedule))
    return 0


# -- quorum ---------------------------------------------------------------------------------------

def _quorum(args: argparse.Namespace) -> int:
    pack = _load(args.pack)
    result = pack.check_quorum(args.meeting, attendees=list(args.roles), on=args.on)
    if args.json:
        _print_json(result.model_dump(mode="json"))
    else:
        _print(render_quorum(result))
    return 0 if result.quorate else 1


# -- test -----------------------------------------------------------------------------------------

def _result_line(pack_id: str, r: ExampleResult) -> list[str]:
    where = "" if r.passed else f" ({r.where})"
    lines = [f"{'PASS' if r.passed else 'FAIL'} {pack_id} examples[{r.index}]{where}: {r.description} [{r.cite}]"]
    lines += [f"    {p}" for p in r.problems]
    return lines


def _test(args: argparse.Namespace) -> int:
    targets = [(d, p) for d, p in _targets(args.paths) if p is None or not _is_baseline(p)]
    passed = failed = invalid = 0
    report: list[dict[str, Any]] = []
    for display, path in targets:
        try:
            pack = load_pack(path) if path is not None else load_pack(display)
        except PackError as e:
            invalid += 1
            report.append({"file": display, "pack": None, "problems": [_problem_json(p) for p in e.errors],
                           "results": []})
            if not args.json:
                _print(render_problems(e))
            continue
        results = run_examples(pack)
        passed += sum(1 for r in results if r.passed)
        failed += sum(1 for r in results if not r.passed)
        report.append({"file": display, "pack": pack.id, "problems": [], "results": [asdict(r) for r in results]})
        if args.json:
            continue
        if not results:
            _print(f"{pack.id} ({display}): no examples\n")
        for r in results:
            _print("\n".join(_result_line(pack.id, r)) + "\n")
    summary = f"{passed} passed, {failed} failed"
    if invalid:
        summary += f", {invalid} pack{'' if invalid == 1 else 's'} invalid"
    ok = failed == 0 and invalid == 0
    if args.json:
        _print_json({"passed": passed, "failed": failed, "invalid": invalid, "ok": ok, "packs": report})
    else:
        _print(summary + "\n")
    return 0 if ok else 1


# -- schema ---------------------------------------------------------------------------------------

def pack_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of the pack authoring format."""
    body = PackSpec.model_json_schema(by_alias=True)
    body.pop("title", None)
    return {"$schema": SCHEMA_DIALECT, "$id": SCHEMA_ID, "title": SCHEMA_TITLE, **body}


def schema_text() -> str:
    """The schema as ``lif-rules schema`` prints it (and as ``lif_rules/pack.schema.json`` holds it)."""
    return json.dumps(pack_schema(), indent=2, ensure_ascii=False) + "\n"


def _schema(args: argparse.Namespace) -> int:
    text = schema_text()
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as e:
            raise UsageError(f"cannot write {args.output!r}: {e.strerror or e}") from None
        _print(f"wrote {args.output}\n", sys.stderr)
        return 0
    _print(text)
    return 0


# -- diff -----------------------------------------------------------------------------------------

def _diff(args: argparse.Namespace) -> int:
    old = _load(args.old)
    new = _load(args.new)
    result = diff_packs(old, new)
    if args.json:
        _print_json(result.model_dump(mode="json") | {"changed": result.changed})
    else:
        _print(render_diff(result))
    return 1 if result.changed else 0
