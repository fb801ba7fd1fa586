"""What the view tests share: the bundled packs, a schedule in every status, random schedules, artefacts.

Screenshots go to ``test-artefacts/`` (git-ignored; ``LIF_RULES_ARTEFACTS`` moves it).
"""

from __future__ import annotations

import os
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

import lif_rules
from lif_rules import strategies

import headless

REPO = Path(__file__).resolve().parents[2]
ARTEFACTS = Path(os.environ.get("LIF_RULES_ARTEFACTS") or REPO / "test-artefacts")
PACKS = {pid: lif_rules.load_pack(pid) for pid in lif_rules.available_packs()}
TIMETABLES = sorted((pid, rid) for pid, pack in PACKS.items() for rid, review in pack.compiled.reviews.items()
                    if review.milestones)


def every_status() -> tuple[lif_rules.PolicyPack, lif_rules.Schedule]:
    """Dudley's rapid review over Christmas 2026, its milestones given every status (and none) a view must show.

    The statuses are set by hand, as a schedule that knows met_late and met_early would give them:
    the views take a schedule as it comes.
    """
    pack = PACKS["dudley"]
    real = pack.schedule("rapid_review", start=date(2026, 12, 18), actual={"rapid_review_meeting": date(2027, 1, 5)},
                         today=date(2027, 1, 13))
    changes: dict[str, dict[str, Any]] = {
        "became_aware": {"status": "met"},
        "referral_received": {"status": "met"},
        "scoping_requests_sent": {"actual": date(2026, 12, 29), "status": "met_late", "days_late": 7,
                                  "working_days_late": 3},
        "scoping_returned": {"status": "overdue", "days_late": 13, "working_days_late": 8},
        "rapid_review_meeting": {"actual": date(2026, 12, 23), "status": "met_early"},
        "national_panel_informed": {"status": "upcoming", "days_late": None, "working_days_late": None},
    }
    milestones = [m.model_copy(update=changes[m.id]) for m in real]
    milestones.append(milestones[-1].model_copy(update={"id": "extra", "name": "A step with no status",
                                                        "status": None, "due": date(2027, 1, 20)}))
    milestones.append(milestones[-1].model_copy(update={"id": "due_now", "name": "A step that can happen now",
                                                        "status": "due", "due": date(2027, 1, 15)}))
    schedule = real.model_copy(update={"milestones": milestones,
                                       "warnings": ["rapid_review_meeting happened before its window opened"]})
    return pack, lif_rules.Schedule.model_validate(schedule.model_dump())


@st.composite
def schedules(draw: st.DrawFn) -> lif_rules.Schedule:
    """Schedules of any bundled review with a timetable, with actual dates and often a date for today."""
    pid, rid = draw(st.sampled_from(TIMETABLES))
    pack = PACKS[pid]
    start, actual = draw(strategies.schedule_inputs(pack, rid, min_value=date(2015, 1, 1), max_value=date(2035, 1, 1)))
    latest = max([start, *actual.values()])
    today = draw(st.none() | st.dates(min_value=latest, max_value=date(2038, 1, 1)))
    return pack.schedule(rid, start=start, actual=actual, today=today)


def save_screenshot(browser: Any, name: str) -> Path:
    """Keep what the browser shows, the whole page, as a test artefact."""
    return headless.screenshot(browser, ARTEFACTS / f"{name}.png")


_BLOCKS = {"p", "div", "li", "ul", "ol", "dt", "dd", "td", "th", "tr", "caption", "h1", "h2", "h3", "h4", "br",
           "section", "header", "footer", "nav", "table", "title", "desc", "text", "g"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_style = tag == "style"
        if tag in _BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        self.in_style = False
        if tag in _BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.in_style:
            self.parts.append(data)


def page_text(html: str) -> str:
    """The words of a page (its title and tooltips too): tags gone, entities decoded, white space collapsed."""
    parser = _Text()
    parser.feed(html)
    return " ".join("".join(parser.parts).split())


def assert_self_contained(html: str) -> None:
    """The page loads nothing: no scripts, style sheets, images, frames or fonts, and links only within itself."""
    for tag in ("<script", "<link", "<img", "<iframe", "<object", "<embed", "<base", "@import", "@font-face"):
        assert tag not in html.lower(), tag
    for target in re.findall(r'\b(?:src|href|xlink:href|action)\s*=\s*"([^"]*)"', html):
        assert target.startswith("#"), target
    assert set(re.findall(r"url\(([^)]*)\)", html)) <= {"#hatch"}
