"""Write docs/readings.md from the packs' own notes: where each framework departs from the law, and the
reading each pack takes of ambiguous text. The test suite checks the page is current.

Run from the project root with the project installed:  python scripts/readings.py [--check]
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import lif_rules

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "readings.md"
INTRO = """\
# The readings the packs take

A framework document paraphrases the law, and sometimes leaves out a unit, an anchor or a date. Where
a document departs from the statute or statutory guidance it paraphrases, its pack follows the law;
where the text is ambiguous, the pack takes one reading. Each pack says so in a note, next to the part
of the pack the note is about. This page gathers those notes (it is written from the packs by
`scripts/readings.py`, so it always says what the packs say).

The national baseline's notes come first: every pack extends it, so they hold for every pack.
"""


def page() -> str:
    packs = [lif_rules.load_pack(pid) for pid in lif_rules.available_packs()]
    baseline = {(n.about, n.text) for n in packs[0].compiled.notes}
    for pack in packs[1:]:
        baseline &= {(n.about, n.text) for n in pack.compiled.notes}
    parts = [INTRO, "## The national baseline\n"]
    parts += [_note(about, text) for about, text in
              [(n.about, n.text) for n in packs[0].compiled.notes if (n.about, n.text) in baseline]]
    for pack in packs:
        doc = pack.document
        parts.append(f"## {doc.short_title} (`{pack.id}`)\n\n{doc.title}.\n")
        parts += [_note(n.about, n.text) for n in pack.compiled.notes if (n.about, n.text) not in baseline]
    return "\n".join(parts).rstrip() + "\n"


def _note(about: str, text: str) -> str:
    body = textwrap.fill(" ".join(text.split()), width=100, initial_indent="  ", subsequent_indent="  ")
    return f"- **{about}**\n{body}\n"


def main() -> int:
    text = page()
    if "--check" in sys.argv[1:]:
        current = PAGE.read_text(encoding="utf-8") if PAGE.exists() else ""
        print("docs/readings.md is current" if current == text else "docs/readings.md is stale: run scripts/readings.py")
        return 0 if current == text else 1
    PAGE.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
