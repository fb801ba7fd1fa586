"""Commands that analyse a pack's rules for its authors: why-not and check."""

from __future__ import annotations

import argparse

from ..analyses.why_not import WANTS, counterfactual_words
from ..core.explain import show_facts
from ..errors import FactError
from .common import Command, _parse_date, _load, _print, _print_json, _read_case


def _why_not(args: argparse.Namespace) -> int:
    pack = _load(args.pack)
    case = _read_case(args.facts)
    try:
        found = pack.why_not(case.facts, review=args.review, want=args.want, as_of=args.as_of)
        now = pack.decide(case.facts, review=args.review, as_of=args.as_of).outcomes[args.review].status
    except FactError as e:
        raise case.locate(e) from None
    if args.json:
        _print_json({"review": args.review, "want": args.want, "status": now,
                     "counterfactuals": [c.model_dump(mode="json") for c in found]})
    else:
        _print(counterfactual_words(args.review, args.want, found, now) + "\n")
    return 0


def _check(args: argparse.Namespace) -> int:
    pack = _load(args.pack)
    findings = pack.analyse()
    dead = [f for f in findings if f.kind == "unreachable_rule"]
    if args.json:
        _print_json({"pack": pack.id, "findings": [f.model_dump(mode="json") for f in findings],
                     "rules_that_decide_nothing": len(dead)})
        return 1 if dead else 0
    for f in findings:
        _print(f"{f.kind}: {f.review}: {f.message}\n")
        if f.example is not None:
            _print(f"    for example {show_facts(f.example)}\n")
    count = len(dead)
    _print(f"{pack.id}: {len(findings)} finding{'' if len(findings) == 1 else 's'}; "
           f"{count} rule{'' if count == 1 else 's'} that decide{'s' if count == 1 else ''} nothing\n")
    return 1 if dead else 0


def register(command: Command) -> None:
    """Add why-not and check to the command line."""
    p = command("why-not", "the smallest changes of facts that would give a review the status you want", _why_not)
    p.add_argument("pack", metavar="PACK", help="a bundled pack id or a pack file")
    p.add_argument("facts", metavar="FACTS", help="the case's facts: a YAML or JSON file, or - for standard input")
    p.add_argument("--review", metavar="ID", required=True, help="the review type, e.g. sar")
    p.add_argument("--want", metavar="STATUS", required=True, choices=WANTS,
                   help=f"the status wanted: {', '.join(WANTS)}")
    p.add_argument("--as-of", metavar="DATE", type=_parse_date, help="apply the rules in force on this date")

    p = command("check", "rules that can never decide, cases no rule covers and overlapping rules, each with an "
                         "example case (exit 1 when a rule decides nothing)", _check)
    p.add_argument("pack", metavar="PACK", help="a bundled pack id or a pack file")
