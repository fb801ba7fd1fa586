"""Commands about a case: decide, schedule, quorum."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from ..core.explain import render_decision, render_quorum, terminal_width
from ..errors import FactError
from .common import Command, UsageError, _actual_arg, _parse_date, _load, _one_line, _print, _print_json, _read_case
from .views import SCHEDULE_FORMATS, write_schedule

def _decide(args: argparse.Namespace) -> int:
    pack = _load(args.pack)
    case = _read_case(args.facts)
    try:
        decision = pack.decide(case.facts, review=args.review, as_of=args.as_of)
    except FactError as e:
        raise case.locate(e) from None
    if args.json:
        _print_json(decision.model_dump(mode="json"))
    else:
        _print(render_decision(decision, trace=args.trace, width=terminal_width()))
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
    fmt = args.format or ("json" if args.json else "table")
    return write_schedule(schedule, pack, fmt, args.output, args.json)


# -- quorum ---------------------------------------------------------------------------------------

def _attendee_arg(text: str) -> str | dict[str, Any]:
    """``police`` (one attendee, one role) or ``Jo Smith=police,local_authority`` (a person and their roles)."""
    if "=" not in text:
        return text
    name, _, roles = text.rpartition("=")
    held = roles.split(",")  # as written: the library refuses a role id with spaces around it, as the service does
    if not name.strip() or not all(r.strip() for r in held):
        raise argparse.ArgumentTypeError(
            f"expected a role id or NAME=ROLE,ROLE (e.g. 'Jo Smith=police,local_authority'), got {text!r}")
    return {"name": name.strip(), "roles": held}


def _quorum(args: argparse.Namespace) -> int:
    pack = _load(args.pack)
    try:
        result = pack.check_quorum(args.meeting, attendees=list(args.roles), on=args.on)
    except ValueError as e:
        raise UsageError(_one_line(e)) from None
    if args.json:
        _print_json(result.model_dump(mode="json"))
    else:
        _print(render_quorum(result, width=terminal_width()))
    return 0 if result.quorate else 1




def register(command: Command) -> None:
    """Add decide, schedule and quorum to the command line."""
    p = command("decide", "decide which reviews a case is eligible for, with the rule and citation for each",
                _decide)
    p.add_argument("pack", metavar="PACK", help="a bundled pack id or a pack file")
    p.add_argument("facts", metavar="FACTS", help="the case's facts: a YAML or JSON file of fact: value, or - for "
                                                  "standard input; a fact left out is unknown")
    p.add_argument("--review", metavar="ID", help="decide this review type only")
    p.add_argument("--as-of", metavar="DATE", type=_parse_date, help="apply the rules in force on this date (dated rules as "
                        "they stood then; warns when it is outside the period the pack is in force)")
    p.add_argument("--trace", action="store_true", help="show every rule looked at, with the values it saw")

    p = command("schedule", "compute a review's milestones as a table, in date order", _schedule)
    p.add_argument("pack", metavar="PACK", help="a bundled pack id or a pack file")
    p.add_argument("review", metavar="REVIEW", help="the review type, e.g. rapid_review")
    p.add_argument("--start", metavar="DATE", type=_parse_date, required=True,
                   help="the date of the review's first event (e.g. the referral)")
    p.add_argument("--actual", metavar="ID=DATE", type=_actual_arg, action="append", default=[],
                   help="the date a milestone really happened (repeatable)")
    p.add_argument("--today", metavar="DATE", type=_parse_date, help="show each milestone's status on this date")
    p.add_argument("--format", choices=SCHEDULE_FORMATS, help="table (the default), json, csv (a row per milestone, "
                   "for spreadsheets), ics (a calendar to import) or html (the timeline as a page)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")

    p = command("quorum", "check whether a meeting is quorate and who is missing (exit 1 when not quorate)",
                _quorum)
    p.add_argument("pack", metavar="PACK", help="a bundled pack id or a pack file")
    p.add_argument("meeting", metavar="MEETING", help="the meeting, e.g. rapid_review_meeting")
    p.add_argument("roles", nargs="*", metavar="ATTENDEE", type=_attendee_arg,
                   help="who attended: a role id (one attendee holding that role), e.g. local_authority police icb, "
                        "or a person and the roles they hold, e.g. 'Jo Smith=police,local_authority'")
    p.add_argument("--on", metavar="DATE", type=_parse_date, help="the meeting's date (default: today)")
