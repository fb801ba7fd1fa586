"""``lif-rules new ID``: a starter pack an author can edit, with a schema line that works wherever it is copied.

The pack is written with ``pack.schema.json`` beside it, so editors that read the first line
(``# yaml-language-server: $schema=pack.schema.json``) check every key as the author types, in a
checkout, an installed copy or any folder the two files are copied to.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from .authoring import schema_text
from .common import Command, UsageError, _print

STARTER = """\
# yaml-language-server: $schema=pack.schema.json
#
# {id}: a starter pack. Replace each TODO with the words of your framework document, cite the section
# for every rule and deadline, and run `lif-rules validate {id}.yaml` and `lif-rules test {id}.yaml`.
pack: {id}
extends: national        # the statutory definitions, facts and notifications written once

document:
  title: TODO the framework document's full title
  short_title: TODO a short name used in citations
  publisher: TODO who publishes it
  source: TODO where the document can be found
  version: "TODO"
  in_force:
    from: {today}
  regime: [working_together_2023, care_act_2014]

reviews:
  rapid_review:
    name: Rapid review (children)
    legal_basis: statutory_guidance
    decided_by: TODO who decides (e.g. the safeguarding partners, at the rapid review meeting)
    citation: "Working Together to Safeguard Children 2023 ch.5; TODO your document's section"
    rules:
      - id: serious_case
        when: serious_child_safeguarding_case
        status: required
        citation: "Working Together to Safeguard Children 2023 ch.5; TODO your document's section"
        because: a serious child safeguarding case is notified, and a rapid review follows
    otherwise_because: not a serious child safeguarding case
    milestones:
      - id: referral_received
        name: Referral received
        start: true
        citation: "TODO your document's section"
      - id: rapid_review_meeting
        name: Rapid review meeting
        due: {{after: referral_received, working_days: 10}}
        citation: "TODO your document's section (TODO the number of working days it gives)"
      - id: national_panel_informed
        name: Outcome sent to the Child Safeguarding Practice Review Panel
        due: {{after: referral_received, working_days: 15}}
        citation: "TODO your document's section"

notes:
  - about: reviews.rapid_review
    text: TODO where your document's words depart from the law, or are ambiguous, say which reading the pack takes.

examples:
  - kind: decide
    description: a child seriously harmed, abuse known
    cite: "TODO your document's section"
    facts: {{subject: child, died: false, seriously_harmed: true, abuse_or_neglect: known}}
    expect: {{rapid_review: required}}
  - kind: schedule
    description: a referral on a Monday with no bank holiday in the following three weeks
    cite: "TODO your document's section"
    review: rapid_review
    start: 2025-03-03
    expect:
      rapid_review_meeting: {{due: 2025-03-17}}
      national_panel_informed: {{due: 2025-03-24}}
"""

_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def _new(args: argparse.Namespace) -> int:
    from datetime import date

    if not _ID.match(args.id):
        suggestion = re.sub(r"[^a-z0-9_]+", "_", args.id.lower()).strip("_")
        hint = f"; e.g. {suggestion!r}" if suggestion and _ID.match(suggestion) else ""
        raise UsageError(f"invalid pack id {args.id!r}: ids use lowercase letters, digits and '_', starting with a "
                         f"letter{hint}")
    folder = Path(args.folder)
    pack = folder / f"{args.id}.yaml"
    if pack.exists():
        raise UsageError(f"{pack} already exists; choose another id or folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        pack.write_text(STARTER.format(id=args.id, today=date.today().isoformat()), encoding="utf-8")
        (folder / "pack.schema.json").write_text(schema_text(), encoding="utf-8")
    except OSError as e:
        raise UsageError(f"cannot write in {str(folder)!r}: {e.strerror or e}") from None
    _print(f"wrote {pack} and {folder / 'pack.schema.json'} (editors check the pack against it as you type)\n")
    return 0


def register(command: Command) -> None:
    """Add new to the command line."""
    p = command("new", "write a starter pack to edit, with the JSON Schema beside it for editors", _new)
    p.add_argument("id", metavar="ID", help="the new pack's id, e.g. sandwell (the file is ID.yaml)")
    p.add_argument("--folder", metavar="DIR", default=".", help="where to write it (default: this folder)")
