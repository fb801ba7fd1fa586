"""Commands for policy authors: validate, test, schema, diff."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from ..analyses.diff import diff_packs, render_diff
from ..analyses.coverage import Coverage, coverage
from ..analyses.examples import ExampleResult, run_examples
from ..core.explain import render_problems
from ..core.loading import FileNotRead
from ..core.schema import PackSpec
from ..errors import PackError, Problem, printable
from ..pack import available_packs, check_baseline, is_baseline_file, load_pack, looks_like_path, pack_files
from .common import Command, UsageError, _load, _parse_date, _print, _print_json, note_local_copy

SCHEMA_ID = "urn:lif-rules:pack.schema.json"
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_TITLE = "lif_rules policy pack"

# -- validate -------------------------------------------------------------------------------------

VALIDATE_HELP = """\
Each problem is printed as file:line:column: yaml.path: message. The path leads from the top of
the pack ($) through its keys to the place of the problem: an item of a list is named by its id
when it has one (e.g. $.reviews.sar.rules[serious_case].when, the 'when' of the rule with
'id: serious_case'), and otherwise counted from 1 (examples[1] is the first example, to[2] the
second recipient). Warnings (e.g. a 'pack:' id that differs from the file name) are printed as
file:line:column: warning: message and do not change the exit status.

"""

def _targets(paths: Sequence[str]) -> list[tuple[str, Path | None]]:
    """(display name, file) for each PATH; a folder gives its pack files; a bundled id has no file."""
    out: list[tuple[str, Path | None]] = []
    for ref in paths:
        path = Path(ref)
        if path.is_dir():
            files = pack_files(path)
            if not files:
                raise UsageError(f"no pack files (*.yaml, *.yml, *.json) in folder {ref!r}")
            out += [(str(f), f) for f in files]
        elif path.exists() or looks_like_path(ref):
            out.append((ref, path))
        elif ref in available_packs():
            note_local_copy(ref)
            out.append((ref, None))
        else:
            known = ", ".join(available_packs())
            raise UsageError(f"no such file, folder or bundled pack: {ref!r} (bundled packs: {known})")
    return out


def validate_baseline(path: Path, display: str) -> tuple[str, str, list[Problem]]:
    """Check a baseline on its own (see :func:`lif_rules.pack.check_baseline`), with a one-line summary."""
    spec, problems = check_baseline(path, display)
    top_id = spec.baseline or "?"
    summary = f"baseline {top_id}: {len(spec.facts)} facts, {len(spec.definitions)} definitions"
    if spec.notifications:
        summary += f", {len(spec.notifications)} notifications"
    return top_id, summary, problems


def _validate_one(display: str, path: Path | None) -> dict[str, Any]:
    """What validating one target found; its ``problems`` and ``warnings`` are :class:`Problem` objects."""
    entry: dict[str, Any] = {"file": display, "valid": False, "kind": "pack", "id": None, "review_types": None,
                             "problems": [], "warnings": []}
    try:
        pack = load_pack(path) if path is not None else load_pack(display)
    except FileNotRead:  # missing, a folder, a device, refused: bad input (exit status 2), not an invalid pack
        raise
    except PackError as e:
        if path is None or not is_baseline_file(path):  # a baseline never loads as a pack: only now worth asking
            entry["problems"] = list(e.errors)
            return entry
        entry["kind"] = "baseline"
        try:
            entry["id"], entry["summary"], problems = validate_baseline(path, display)
        except PackError as unreadable:
            entry["problems"] = list(unreadable.errors)
            return entry
        entry["problems"] = problems
        entry["valid"] = not problems
        return entry
    entry.update(valid=True, id=pack.id, review_types=len(pack.reviews), warnings=list(pack.warnings),
                 summary=f"{pack.id}: {len(pack.reviews)} review type{'' if len(pack.reviews) == 1 else 's'}")
    return entry


def _validate(args: argparse.Namespace) -> int:
    results = [_validate_one(display, path) for display, path in _targets(args.paths)]
    ok = all(r["valid"] for r in results)
    if args.json:
        _print_json({"valid": ok, "files": [{**r, "problems": [asdict(p) for p in r["problems"]],
                                             "warnings": [asdict(w) for w in r["warnings"]]} for r in results]})
        return 0 if ok else 1
    for r in results:  # one line each: a line break in a file's name is shown escaped
        for w in r["warnings"]:
            _print(printable(f"{w.file}:{w.line}:{w.column}: warning: {w.message}") + "\n")
        if r["valid"]:
            _print(printable(f"ok: {r['file']} ({r['summary']})") + "\n")
        else:
            for p in r["problems"]:
                _print(printable(str(p)) + "\n")
    bad = [r for r in results if not r["valid"]]
    if bad:
        problems = sum(len(r["problems"]) for r in bad)
        _print(f"{problems} problem{'' if problems == 1 else 's'} in {len(bad)} of {len(results)} "
               f"file{'' if len(results) == 1 else 's'}\n", sys.stderr)
    return 0 if ok else 1


# -- test -----------------------------------------------------------------------------------------

def _result_line(pack_id: str, r: ExampleResult) -> list[str]:
    where = "" if r.passed else f" ({r.where})"
    lines = [f"{'PASS' if r.passed else 'FAIL'} {pack_id} examples[{r.index + 1}]{where}: {r.description} [{r.cite}]"]
    lines += [f"    {p}" for p in r.problems]
    return lines


def _test(args: argparse.Namespace) -> int:
    passed = failed = invalid = 0
    report: list[dict[str, Any]] = []
    for display, path in _targets(args.paths):
        try:
            pack = load_pack(path) if path is not None else load_pack(display)
        except PackError as e:
            if path is not None and is_baseline_file(path):  # baselines have no examples of their own
                continue
            invalid += 1
            report.append({"file": display, "pack": None, "problems": [asdict(p) for p in e.errors],
                           "results": []})
            if not args.json:
                _print(render_problems(e))
            continue
        results = run_examples(pack)
        passed += sum(1 for r in results if r.passed)
        failed += sum(1 for r in results if not r.passed)
        entry: dict[str, Any] = {"file": display, "pack": pack.id, "problems": [],
                                 "results": [asdict(r) for r in results]}
        covered = coverage(pack) if args.coverage else None
        if covered is not None:
            entry["coverage"] = asdict(covered)
        report.append(entry)
        if args.json:
            continue
        if not results:
            _print(f"{pack.id} ({display}): no examples\n")
        for r in results:
            _print("\n".join(_result_line(pack.id, r)) + "\n")
        if covered is not None:
            _print("".join(f"{line}\n" for line in _coverage_lines(covered)))
    summary = f"{passed} passed, {failed} failed"
    if invalid:
        summary += f", {invalid} pack{'' if invalid == 1 else 's'} invalid"
    ok = failed == 0 and invalid == 0
    if args.json:
        _print_json({"passed": passed, "failed": failed, "invalid": invalid, "ok": ok, "packs": report})
    else:
        _print(summary + "\n")
    return 2 if invalid else 0 if ok else 1


def _coverage_lines(c: Coverage) -> list[str]:
    lines = [f"coverage of {c.pack}: {len(c.rules) - len(c.rules_not_covered)} of {len(c.rules)} rules decide an example, "
             f"{len(c.milestones) - len(c.milestones_not_covered)} of {len(c.milestones)} milestones and "
             f"{len(c.meetings) - len(c.meetings_not_covered)} of {len(c.meetings)} meetings are checked by one"]
    for what, items in (("rules no example decides by", c.rules_not_covered),
                        ("milestones no example checks", c.milestones_not_covered),
                        ("meetings no example checks", c.meetings_not_covered)):
        if items:
            lines.append(f"  {what}: {', '.join(items)}")
    return lines


# -- schema ---------------------------------------------------------------------------------------

def pack_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of the pack authoring format."""
    body = PackSpec.model_json_schema(by_alias=True)
    body.pop("title", None)
    _ids_only(body)
    return {"$schema": SCHEMA_DIALECT, "$id": SCHEMA_ID, "title": SCHEMA_TITLE, **body}


def _ids_only(node: Any) -> None:
    """A mapping keyed by ids (``reviews:``, ``facts:``...) takes no other keys, so an editor flags ``rapid-review:``."""
    if isinstance(node, dict):
        if "patternProperties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for value in node.values():
            _ids_only(value)
    elif isinstance(node, list):
        for value in node:
            _ids_only(value)


def schema_text() -> str:
    """The schema as ``lif-rules schema`` prints it (and as ``policies/pack.schema.json`` holds it, beside the bundled packs)."""
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

def _dated(ref: str) -> tuple[str, date | None]:
    """``dudley@2018-01-01`` → (``dudley``, the date); a ref without ``@DATE`` (or a file that exists, whose
    path may hold an ``@``) has no date."""
    head, sep, tail = ref.rpartition("@")
    if not sep or not head or Path(ref).is_file():
        return ref, None
    try:
        return head, _parse_date(tail)
    except argparse.ArgumentTypeError as e:
        raise UsageError(f"{e} after '@' in {ref!r} (write PACK@YYYY-MM-DD)") from None


def _diff(args: argparse.Namespace) -> int:
    (old_ref, old_day), (new_ref, new_day) = _dated(args.old), _dated(args.new)
    old = _load(old_ref)
    new = old if new_ref == old_ref else _load(new_ref)
    result = diff_packs(old, new, old_as_of=old_day, new_as_of=new_day)
    if args.json:
        _print_json(result.model_dump(mode="json") | {"changed": result.changed})
    else:
        _print(render_diff(result))
    return 1 if result.changed else 0


def register(command: Command) -> None:
    """Add validate, test, schema and diff to the command line."""
    p = command("validate", "check pack files and print every problem as file:line:column: yaml.path: message",
                _validate)
    p.add_argument("paths", nargs="+", metavar="PATH", help="a pack or baseline file, a folder of them, or a bundled id")
    p.epilog = VALIDATE_HELP + (p.epilog or "")

    p = command("test", "run the worked examples packs carry, as a policy author's test suite", _test)
    p.add_argument("paths", nargs="+", metavar="PATH", help="a pack file, a folder of packs, or a bundled id")
    p.add_argument("--coverage", action="store_true", help="also list the rules no example decides by, and the "
                                                          "milestones and meetings no example checks")

    p = command("schema", "print the JSON Schema of the pack format, for editors", _schema)
    p.add_argument("--output", "-o", metavar="FILE", help="write the schema to FILE instead of printing it")

    p = command("diff", "show how two versions of a pack decide, schedule and count quorum differently "
                        "(exit 1 when they do)", _diff)
    p.add_argument("old", metavar="OLD", help="the earlier version: a bundled pack id or a pack file, with @YYYY-MM-DD "
                                              "to take its rules as of that date (e.g. dudley@2018-01-01)")
    p.add_argument("new", metavar="NEW", help="the later version, likewise (e.g. dudley@2024-01-01, or dudley for its "
                                              "latest rules)")
