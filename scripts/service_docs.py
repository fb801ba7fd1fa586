"""docs/service.md's examples, replayed: check them (the test suite does) or rewrite their answers (``--update``).

Every ``$ curl ...`` in the page is a request to the service with the bundled packs, followed by what it
answers. The request is replayed in-process (no port, no ``curl``); when the page pipes the answer through
``jq``, the filter is applied by its Python equivalent in ``FILTERS`` (checked against ``jq`` itself where
``jq`` is installed), printed as ``jq`` prints it. A last output line ``...`` means the answer goes on and
only the lines above it are compared. The page's decision-log example is replayed too: each line's
request is asked again and the line the service logs must be the line shown. Fields that differ from one
answer to the next (``answered_at``, the answer's ``id``) are compared by their shape only.

Run from the project root with the project installed:  python scripts/service_docs.py [--update]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "service.md"
BASE = "http://127.0.0.1:8000"
_FENCE = re.compile(r"^```(?P<info>[a-z]*)\n(?P<body>.*?)^```$", re.M | re.S)
# what differs from one answer to the next: compared by shape, and kept as the page shows it on --update
VOLATILE = [re.compile(r'(?P<key>"answered_at": ?)"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"'),
            re.compile(r'(?P<key>"id": ?)"[0-9a-f]{12}-\d+"')]

Json = Any
# jq filters the page uses, each with what it gives in Python: the stream of values jq would print
FILTERS: dict[str, Callable[[Json], list[Json]]] = {
    ".[] | {id, title: .short_title, version, in_force, reviews}":
        lambda a: [{"id": p["id"], "title": p["short_title"], "version": p["version"], "in_force": p["in_force"],
                    "reviews": p["reviews"]} for p in a],
    "{id, version, document: .document.short_title, facts: [.facts[] | {name, values}][0:2], "
    "meetings: [.meetings[] | {id, each_of}]}":
        lambda a: [{"id": a["id"], "version": a["version"], "document": a["document"]["short_title"],
                    "facts": [{"name": f["name"], "values": f["values"]} for f in a["facts"]][0:2],
                    "meetings": [{"id": m["id"], "each_of": m["each_of"]} for m in a["meetings"]]}],
    "{statuses: (.result.outcomes | map_values(.status)), notifications: [.result.notifications[].id], "
    "possible: [.result.possible_notifications[] | {id, missing}], record}":
        lambda a: [{"statuses": {k: o["status"] for k, o in a["result"]["outcomes"].items()},
                    "notifications": [n["id"] for n in a["result"]["notifications"]],
                    "possible": [{"id": n["id"], "missing": n["missing"]}
                                 for n in a["result"]["possible_notifications"]],
                    "record": a["record"]}],
    ".result.milestones[] | {id, earliest, due, actual, status}":
        lambda a: [{k: m[k] for k in ("id", "earliest", "due", "actual", "status")} for m in a["result"]["milestones"]],
    ".result | {quorate, missing, trace: [.trace[] | {role, filled_by, satisfied}]}":
        lambda a: [{"quorate": a["result"]["quorate"], "missing": a["result"]["missing"],
                    "trace": [{k: t[k] for k in ("role", "filled_by", "satisfied")} for t in a["result"]["trace"]]}],
    ".result": lambda a: [a["result"]],
    ".record": lambda a: [a["record"]],
    "{openapi, title: .info.title, paths: (.paths | keys)}":
        lambda a: [{"openapi": a["openapi"], "title": a["info"]["title"], "paths": sorted(a["paths"])}],
}


@dataclass
class Request:
    """One ``curl`` request of the page, and the ``jq`` filter its answer goes through (if any)."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    to_file: bool  # curl -o: the answer is saved, nothing is printed
    jq: str | None
    compact: bool


@dataclass
class Example:
    command: str
    output: list[str] = field(default_factory=list)

    @property
    def partial(self) -> bool:
        return bool(self.output) and self.output[-1] == "..."


def examples(text: str) -> Iterator[tuple[int, int, list[Example | str]]]:
    """Each fenced block holding ``$ curl`` commands: (start, end, its lines, each command an Example)."""
    for m in _FENCE.finditer(text):
        body = m.group("body")
        if "$ curl " not in body:
            continue
        items: list[Example | str] = []
        lines = iter(body.splitlines())
        current: Example | None = None
        for line in lines:
            if line.startswith("$ curl "):
                command = [line]
                while command[-1].endswith("\\"):
                    command.append(next(lines))
                current = Example("\n".join(command))
                items.append(current)
            elif current is not None and line.strip():
                current.output.append(line)
            elif current is not None:  # a blank line ends an example's answer
                current = None
                items.append(line)
            else:
                items.append(line)
        yield m.start("body"), m.end("body"), items


def parse(command: str) -> Request:
    """The request a ``curl`` command line sends (only the options the page uses are understood)."""
    words = shlex.split(command.removeprefix("$ ").replace("\\\n", " "))
    jq = None
    compact = False
    if "|" in words:
        pipe = words.index("|")
        words, after = words[:pipe], words[pipe + 1:]
        assert after[0] == "jq", command
        compact = "-c" in after
        [jq] = [w for w in after[1:] if not w.startswith("-")]
    assert words[0] == "curl", command
    method, headers, body, url, to_file = "GET", {}, None, None, False
    args = iter(words[1:])
    for word in args:
        if word == "-s":
            continue
        if word == "-X":
            method = next(args)
        elif word == "-H":
            name, _, value = next(args).partition(":")
            headers[name.strip().lower()] = value.strip()
        elif word == "-d":
            body = next(args).encode()
        elif word == "-o":
            next(args)
            to_file = True
        else:
            assert url is None and word.startswith(BASE), f"{command}: {word!r} is not understood here"
            url = word
    assert url is not None, command
    if body is not None and method == "GET":
        method = "POST"
    return Request(method, url[len(BASE):], headers, body, to_file, jq, compact)


def printed(request: Request, answer: httpx.Response) -> list[str]:
    """What the command prints: the answer as ``curl -s`` prints it, or as ``jq`` prints what it picks."""
    if request.to_file:
        return []
    if request.jq is None:
        return answer.text.splitlines()
    if request.jq not in FILTERS:
        raise KeyError(f"no Python equivalent of the jq filter {request.jq!r}: add one to FILTERS in {__file__}")
    lines = []
    for value in FILTERS[request.jq](answer.json()):
        if request.compact:
            lines.append(json.dumps(value, ensure_ascii=False, separators=(",", ":")))
        else:
            lines += json.dumps(value, ensure_ascii=False, indent=2).splitlines()
    return lines


def by_jq(request: Request, answer: httpx.Response) -> list[str] | None:
    """What ``jq`` itself prints of the answer, when it is installed (None when it is not)."""
    jq = shutil.which("jq")
    if jq is None or request.jq is None or request.to_file:
        return None
    out = subprocess.run([jq, *(["-c"] if request.compact else []), request.jq], input=answer.content,
                         capture_output=True, check=True)
    return out.stdout.decode().splitlines()


def masked(lines: list[str]) -> list[str]:
    text = "\n".join(line.rstrip() for line in lines)
    for pattern in VOLATILE:
        text = pattern.sub(r'\g<key>"…"', text)
    return text.split("\n")


class Service:
    """The service with the bundled packs and a decision log, answering in-process."""

    def __init__(self) -> None:
        from lif_rules.pack import load_packs
        from lif_rules.service import create_app
        self.folder = tempfile.TemporaryDirectory(prefix="lif-rules-docs-")
        self.log = Path(self.folder.name) / "decisions.jsonl"
        packs = load_packs(None)
        self.start = lambda: create_app(packs, decision_log=self.log)

    def ask(self, requests: list[tuple[str, str, dict[str, str], bytes | None]]) -> list[httpx.Response]:
        """The answers to these requests (method, path, headers, body), from a service started for them."""
        app = self.start()

        async def go() -> list[httpx.Response]:
            async with app.router.lifespan_context(app):  # its end closes the decision log
                transport = httpx.ASGITransport(app=app)
                async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
                    return [await client.request(m, p, headers=h, content=b) for m, p, h, b in requests]
        return asyncio.run(go())

    def logged(self, answer: httpx.Response) -> str:
        [line] = [line for line in self.log.read_text(encoding="utf-8").splitlines()
                  if json.loads(line)["id"] == answer.headers["x-answer-id"]]
        return line

    def close(self) -> None:
        self.folder.cleanup()


@dataclass
class Replayed:
    example: Example
    request: Request
    got: list[str]
    jq_got: list[str] | None
    status: int
    content_type: str


def replay(text: str, service: Service) -> list[Replayed]:
    """Every curl example of the page, asked again."""
    found = [(e, parse(e.command)) for _s, _e, items in examples(text) for e in items if isinstance(e, Example)]
    answers = service.ask([(r.method, r.path, r.headers, r.body) for _e, r in found])
    return [Replayed(e, r, printed(r, a), by_jq(r, a), a.status_code, a.headers.get("content-type", ""))
            for (e, r), a in zip(found, answers)]


def log_block(text: str) -> tuple[int, int, list[str]]:
    """The page's decision-log example: the ``json`` block of the section on the decision log."""
    section = text.index("## The decision log")
    m = next(m for m in _FENCE.finditer(text, section) if m.group("info") == "json")
    return m.start("body"), m.end("body"), m.group("body").splitlines()


def replay_log(text: str, service: Service) -> list[str]:
    """The line the service logs for each line of the page's decision-log example, its request asked again."""
    entries = [json.loads(line) for line in log_block(text)[2]]
    answers = service.ask([("POST", f"/packs/{e['record']['pack']}/{e['question']}",
                            {"content-type": "application/json"}, json.dumps(e["request"]).encode())
                           for e in entries])
    return [service.logged(a) for a in answers]


def mismatches(text: str) -> list[str]:
    """Every example whose answer differs from what the page shows, and how."""
    service = Service()
    try:
        problems = []
        for r in replay(text, service):
            want = r.example.output[:-1] if r.example.partial else r.example.output
            shown = r.got[:len(want)] if r.example.partial else r.got
            if masked(shown) != masked(want):
                problems.append(f"{r.example.command}\n--- docs/service.md\n" + "\n".join(want) + "\n--- now\n"
                                + "\n".join(shown))
            if r.jq_got is not None and r.jq_got != r.got:
                problems.append(f"{r.example.command}\n--- jq prints\n" + "\n".join(r.jq_got)
                                + "\n--- its Python equivalent in FILTERS prints\n" + "\n".join(r.got))
            if r.request.to_file and not (r.status == 200 and r.content_type.startswith("text/calendar")):
                problems.append(f"{r.example.command}\n--- answered {r.status} {r.content_type}")
        shown_log = log_block(text)[2]
        now = replay_log(text, service)
        if masked(now) != masked(shown_log):
            problems.append("the decision log\n--- docs/service.md\n" + "\n".join(shown_log) + "\n--- now\n"
                            + "\n".join(now))
        return problems
    finally:
        service.close()


def _keep_volatile(old: list[str], new: list[str]) -> list[str]:
    """The new lines, with the volatile values the page showed (so an update changes only what changed)."""
    if not new:
        return []
    old_text, new_text = "\n".join(old), "\n".join(new)
    for pattern in VOLATILE:
        before = [m.group(0) for m in pattern.finditer(old_text)]
        if len(before) == len(pattern.findall(new_text)):
            values = iter(before)
            new_text = pattern.sub(lambda _m: next(values), new_text)
    return new_text.split("\n")


def update(text: str) -> str:
    """The page with every example's answer as the service gives it now (partial answers stay partial)."""
    service = Service()
    try:
        replayed = iter(replay(text, service))
        edits = []
        for start, end, items in examples(text):
            lines: list[str] = []
            for item in items:
                if isinstance(item, str):
                    lines.append(item)
                    continue
                r = next(replayed)
                got = r.got[:len(item.output) - 1] + ["..."] if item.partial else r.got
                lines += [item.command, *_keep_volatile(item.output, got)]
            edits.append((start, end, "\n".join(lines) + "\n"))
        start, end, shown_log = log_block(text)
        edits.append((start, end, "\n".join(_keep_volatile(shown_log, replay_log(text, service))) + "\n"))
    finally:
        service.close()
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="rewrite the answers in docs/service.md")
    args = parser.parse_args()
    text = PAGE.read_text(encoding="utf-8")
    if args.update:
        PAGE.write_text(update(text), encoding="utf-8")
        return 0
    problems = mismatches(text)
    print("\n\n".join(problems))
    print("docs/service.md is up to date" if not problems else f"{len(problems)} examples out of date")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
