"""The README's examples, run: check them (the test suite does) or rewrite their outputs (``--update``).

Blocks fenced as ``pycon`` are Python sessions, run in order as one doctest. Blocks fenced as
``console`` hold commands (``$ lif-rules ...``) each followed by the output it prints; a last output
line ``...`` means the output goes on and only the lines above it are compared. Commands run from the
repository root in a terminal ``COLUMNS`` wide, so tables wrap the same way everywhere.

Run from the project root with the project installed:  python scripts/readme.py [--update]
"""

from __future__ import annotations

import argparse
import doctest
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
COLUMNS = 120
_FENCE = re.compile(r"^```(?P<info>[a-z]*)\n(?P<body>.*?)^```$", re.M | re.S)


@dataclass
class Command:
    line: str
    output: list[str] = field(default_factory=list)

    @property
    def partial(self) -> bool:
        return bool(self.output) and self.output[-1] == "..."


def blocks(text: str, info: str) -> list[tuple[int, int, str]]:
    """(start, end, body) of each fenced block with this info string, in order."""
    return [(m.start("body"), m.end("body"), m.group("body")) for m in _FENCE.finditer(text) if m.group("info") == info]


def commands(body: str) -> list[Command]:
    out: list[Command] = []
    for line in body.splitlines():
        if line.startswith("$ "):
            out.append(Command(line[2:]))
        elif out:
            out[-1].output.append(line)
    return out


def run(command: str) -> list[str]:
    """The lines a command prints (standard output, then standard error), as a person would see them."""
    argv = shlex.split(command)
    if argv[0] == "lif-rules":
        argv = [sys.executable, "-m", "lif_rules", *argv[1:]]
    env = {**os.environ, "COLUMNS": str(COLUMNS), "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, env=env, timeout=300)
    return (result.stdout + result.stderr).rstrip("\n").splitlines()


def mismatches(text: str) -> list[str]:
    """Every command whose output differs from what the README shows, and how."""
    problems = []
    for _start, _end, body in blocks(text, "console"):
        for c in commands(body):
            got = run(c.line)
            want = c.output[:-1] if c.partial else c.output
            shown = got[:len(want)] if c.partial else got
            if [line.rstrip() for line in shown] != [line.rstrip() for line in want]:
                problems.append(f"$ {c.line}\n--- README\n" + "\n".join(want) + "\n--- now\n" + "\n".join(shown))
    return problems


def sessions(text: str) -> doctest.DocTest:
    """The README's Python sessions as one doctest (they share their names, in order)."""
    source = "\n".join(body for _s, _e, body in blocks(text, "pycon"))
    return doctest.DocTestParser().get_doctest(source, {}, "README.md", str(README), 0)


def update(text: str) -> str:
    """The README with every command's output as the command prints it now (partial outputs stay partial)."""
    pieces = []
    last = 0
    for start, end, body in blocks(text, "console"):
        lines = []
        for c in commands(body):
            got = run(c.line)
            lines.append(f"$ {c.line}")
            lines += (got[:len(c.output) - 1] + ["..."]) if c.partial else got
        pieces += [text[last:start], "\n".join(lines) + "\n"]
        last = end
    return "".join(pieces) + text[last:]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="rewrite the outputs in README.md")
    args = parser.parse_args()
    text = README.read_text(encoding="utf-8")
    if args.update:
        README.write_text(update(text), encoding="utf-8")
        return 0
    problems = mismatches(text)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(sessions(text))
    print("\n\n".join(problems))
    failed = len(problems) + runner.failures
    print(f"{'README is up to date' if not failed else f'{failed} README examples out of date'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
