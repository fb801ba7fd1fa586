"""Commands that describe packs: ``packs`` (the bundled packs) and ``show PACK`` (one pack's description)."""

from __future__ import annotations

import argparse
import shutil
import textwrap
from collections.abc import Iterable

from ..describe import InForce, PackDescription
from ..pack import load_packs
from ..core.explain import render_table, show_date, show_value
from .common import Command, _load, _print, _print_json

_NONE = "-"


def _packs(args: argparse.Namespace) -> int:
    summaries = [pack.describe().summary() for pack in load_packs().values()]
    if args.json:
        _print_json([s.model_dump(mode="json") for s in summaries])
        return 0
    rows = [(s.id, s.short_title, s.version or _NONE, period(s.in_force)) for s in summaries]
    table = render_table(("id", "title", "version", "in force"), rows)
    indent = " " * (max(len(s.id) for s in summaries) + 2)
    width = shutil.get_terminal_size().columns
    lines = table[:2]
    for line, summary in zip(table[2:], summaries):
        lines += [line, *textwrap.wrap(f"review types: {', '.join(summary.reviews)}", max(width, 40),
                                       initial_indent=indent, subsequent_indent=indent + "  ",
                                       break_on_hyphens=False, break_long_words=False)]
    _print("\n".join(lines) + "\n")
    return 0


def _show(args: argparse.Namespace) -> int:
    pack = _load(args.pack)  # a pack that cannot be had: the command line reports it as for every command
    description = pack.describe()
    if args.json:
        _print_json(description.model_dump(mode="json"))
    else:
        _print(render_description(description, width=shutil.get_terminal_size().columns))
    return 0


# -- rendering ------------------------------------------------------------------------------------

def period(in_force: InForce | None) -> str:
    """``from 2021-02-23``, ``2018-06-29 to 2023-12-14``, ``until 2018-06-28`` or ``-``."""
    if in_force is None or (in_force.from_date is None and in_force.to_date is None):
        return _NONE
    if in_force.to_date is None:
        return f"from {show_date(in_force.from_date)}"
    if in_force.from_date is None:
        return f"until {show_date(in_force.to_date)}"
    return f"{show_date(in_force.from_date)} to {show_date(in_force.to_date)}"


def render_description(d: PackDescription, *, width: int = 100) -> str:
    """The description as a reader would want it on a terminal, long text wrapped to ``width``."""
    out = _Lines(max(width, 40))
    doc = d.document
    out.text(doc.title)
    out.fields("  ", [
        ("pack", d.id), ("short title", doc.short_title), ("publisher", doc.publisher), ("source", doc.source),
        ("version", doc.version), ("published", doc.published), ("approved", show_date(doc.approved)),
        ("review due", show_date(doc.review_due)), ("in force", period(doc.in_force)),
        ("regime", ", ".join(doc.regime)), ("sha256", d.sha256)])
    out.heading(f"Facts ({len(d.facts)})")
    for f in d.facts:
        out.text(f"{f.name}: {' | '.join(show_value(v) for v in f.values)}", indent="  ")
        out.text(f.description, indent="      ")
    out.heading(f"Review types ({len(d.reviews)})")
    for r in d.reviews:
        out.text(f"{r.id}: {r.name}", indent="  ")
        out.fields("      ", [
            ("legal basis", r.legal_basis), ("decided by", r.decided_by), ("citation", r.citation),
            ("in force", period(r.in_force) if r.in_force else None),
            ("timetable", ", ".join(r.milestones) if r.has_timetable else "none")])
    out.heading(f"Notifications ({len(d.notifications)})")
    for n in d.notifications:
        out.text(f"{n.id}: {n.name}", indent="  ")
        out.fields("      ", [
            ("by", n.by), ("to", ", ".join(n.to)), ("deadline", n.deadline), ("citation", n.citation),
            ("in force", period(n.in_force) if n.in_force else None)])
    out.heading(f"Meetings with a quorum rule ({len(d.meetings)})")
    for m in d.meetings:
        quorum = [f"each of {', '.join(m.each_of)}" if m.each_of else "",
                  f"at least {m.at_least} of its roles represented" if m.at_least else "",
                  f"chaired by {m.chair}" if m.chair else ""]
        out.text(f"{m.id}: {m.name}", indent="  ")
        out.fields("      ", [("quorum", "; ".join(q for q in quorum if q)), ("citation", m.citation),
                              ("note", m.note), ("in force", period(m.in_force) if m.in_force else None)])
    out.heading(f"Roles ({len(d.roles)})")
    for role in d.roles:
        before = "; ".join(f"{p.id} ({p.name}) until {p.until.isoformat()}" for p in role.predecessors)
        out.text(f"{role.id}: {role.name}", indent="  ")
        out.fields("      ", [("before", before or None), ("in force", period(role.in_force) if role.in_force else None)])
    out.heading(f"Notes ({len(d.notes)})")
    for note in d.notes:
        out.text(f"{note.about}{f' ({note.ref})' if note.ref else ''}:", indent="  ")
        out.text(note.text, indent="      ")
    return out.joined()


class _Lines:
    """Lines of text wrapped to a width, with labelled fields aligned under one another."""

    def __init__(self, width: int):
        self.width = width
        self.lines: list[str] = []

    def text(self, text: str, indent: str = "") -> None:
        self.lines += textwrap.wrap(text, self.width, initial_indent=indent, subsequent_indent=indent + "  ",
                                    break_on_hyphens=False, break_long_words=False) or [indent.rstrip()]

    def fields(self, indent: str, fields: Iterable[tuple[str, str | None]]) -> None:
        shown = [(label, value) for label, value in fields if value]
        label_width = max((len(label) for label, _ in shown), default=0)
        for label, value in shown:
            head = f"{indent}{label.ljust(label_width)}  "
            self.lines += textwrap.wrap(value, self.width, initial_indent=head, subsequent_indent=" " * len(head),
                                        break_on_hyphens=False, break_long_words=False)

    def heading(self, title: str) -> None:
        self.lines += ["", title]

    def joined(self) -> str:
        return "\n".join(self.lines) + "\n"


def register(command: Command) -> None:
    """Add packs and show to the command line."""
    command("packs", "list the bundled packs: id, title, version, in-force period and review types", _packs)
    p = command("show", "describe a pack: its document, facts and their values, review types, notifications, "
                        "meetings and notes", _show)
    p.add_argument("pack", metavar="PACK", help="a bundled pack id or a pack file")
