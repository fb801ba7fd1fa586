"""The HTML views opened in a real headless Chromium from file:// URLs, checked as a person sees them.

Each test keeps a screenshot in test-artefacts/. They skip, saying why, only where no browser can be started.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

pytest.importorskip("selenium", reason='selenium is not installed (pip install -e ".[test]")')
from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402

from lif_rules.views import pack_html, timeline_html  # noqa: E402
from lif_rules.views.words import STATUS_WORDS  # noqa: E402
from test_document import HOSTILE, hostile_pack  # noqa: E402
from viewkit import PACKS, every_status, save_screenshot  # noqa: E402


def assert_quiet_and_offline(browser: Any) -> None:
    """Nothing went wrong in the console, and the page fetched nothing (works with no network)."""
    errors = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    assert errors == []
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    assert browser.execute_script("return document.querySelectorAll('script, link, img, iframe').length") == 0
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text


def centre_x(browser: Any, element: Any) -> float:
    box = browser.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.left, r.width];", element)
    return float(box[0] + box[1] / 2)


def test_a_timeline_shows_one_mark_per_dated_milestone_in_date_order_and_today(open_page: Any) -> None:
    pack, schedule = every_status()
    browser = open_page(timeline_html(schedule, pack), "timeline")
    marks = browser.find_elements(By.CSS_SELECTOR, "svg.timeline path.mark")
    dated = [m for m in schedule if (m.actual or m.due) is not None]
    assert len(marks) == len(dated) == 8
    assert all(mark.is_displayed() for mark in marks)
    placed = sorted((date.fromisoformat(mark.get_attribute("data-date")), centre_x(browser, mark)) for mark in marks)
    assert sorted(d for d, _ in placed) == sorted((m.actual or m.due) for m in dated)
    for (d1, x1), (d2, x2) in zip(placed, placed[1:]):
        assert (x1 < x2) if d1 < d2 else (x1 == pytest.approx(x2)), (d1, d2)

    today = browser.find_element(By.CSS_SELECTOR, "svg.timeline .today-mark")
    assert today.is_displayed() and today.text == "today, Wed 13 Jan 2027"
    line = today.find_element(By.TAG_NAME, "line")
    before = max(x for d, x in placed if d < date(2027, 1, 13))
    after = min(x for d, x in placed if d > date(2027, 1, 13))
    assert before < centre_x(browser, line) < after

    labels = {g.get_attribute("data-id"): g.find_element(By.CSS_SELECTOR, ".status-label").text
              for g in browser.find_elements(By.CSS_SELECTOR, "svg.timeline g.milestone")}
    assert labels["scoping_requests_sent"] == "met late, 7 days late (3 working days) · happened Tue 29 Dec 2026"
    assert labels["scoping_returned"] == "overdue, 13 days late (8 working days) · due Thu 31 Dec 2026"
    assert labels["rapid_review_meeting"] == "met early · happened Wed 23 Dec 2026"
    assert labels["extra"] == "due Wed 20 Jan 2027"
    assert browser.find_element(By.CSS_SELECTOR, ".warnings").is_displayed()
    assert len(browser.find_elements(By.CSS_SELECTOR, "table.milestones tbody tr")) == len(schedule)
    assert_quiet_and_offline(browser)
    save_screenshot(browser, "timeline-every-status")


def outline(d: str) -> tuple[tuple[int, int], ...]:
    """A mark's shape wherever it is drawn: its corners around its centre (a circle has none)."""
    if " a" in d:
        return ()
    points = [(float(x), float(y)) for x, y in re.findall(r"(-?[\d.]+),(-?[\d.]+)", d)]
    cx = (min(x for x, _ in points) + max(x for x, _ in points)) / 2
    cy = (min(y for _, y in points) + max(y for _, y in points)) / 2
    return tuple(sorted((round(x - cx), round(y - cy)) for x, y in points))


def test_statuses_differ_in_shape_or_fill_not_only_in_colour(open_page: Any) -> None:
    pack, schedule = every_status()
    browser = open_page(timeline_html(schedule, pack), "timeline-shapes")
    seen: dict[tuple[tuple[tuple[int, int], ...], bool], str] = {}
    for g in browser.find_elements(By.CSS_SELECTOR, "svg.timeline g.milestone"):
        mark = g.find_element(By.CSS_SELECTOR, "path.mark")
        hollow = browser.execute_script("return getComputedStyle(arguments[0]).fill", mark) == "rgb(255, 255, 255)"
        signature = (outline(mark.get_attribute("d")), hollow)
        status = g.get_attribute("data-status")
        assert seen.setdefault(signature, status) == status, (status, seen[signature])
    assert len(seen) == len(STATUS_WORDS) + 1
    legend = browser.find_element(By.CSS_SELECTOR, "ul.legend").text
    assert all(words in legend for words in STATUS_WORDS.values())


def test_a_long_review_with_recurring_meetings_draws_every_occurrence(open_page: Any) -> None:
    pack = PACKS["dudley"]
    schedule = pack.schedule("sar", start=date(2026, 9, 1), actual={"commissioned": date(2026, 11, 20)},
                             today=date(2027, 2, 10))
    browser = open_page(timeline_html(schedule, pack), "timeline-sar")
    marks = browser.find_elements(By.CSS_SELECTOR, "svg.timeline path.mark")
    assert len(marks) == len(schedule) and all(m.is_displayed() for m in marks)
    names = [t.text for t in browser.find_elements(By.CSS_SELECTOR, "svg.timeline text.name")]
    assert [n for n in names if n.startswith("SAR Panel meeting ")] == [f"SAR Panel meeting {n}" for n in range(1, 7)]
    assert_quiet_and_offline(browser)
    save_screenshot(browser, "timeline-sar")


def test_a_timeline_without_today_has_no_today_mark(open_page: Any) -> None:
    pack = PACKS["cumbria"]
    schedule = pack.schedule("rapid_review", start=date(2026, 12, 24))
    browser = open_page(timeline_html(schedule, pack), "timeline-no-today")
    assert browser.find_elements(By.CSS_SELECTOR, ".today-mark") == []
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg.timeline path.mark")) == len(schedule)
    assert "no date for today was given" in browser.find_element(By.CSS_SELECTOR, "p.lede").text
    assert_quiet_and_offline(browser)


@pytest.mark.parametrize("pid", sorted(PACKS))
def test_a_rendered_pack_reads_as_a_document(pid: str, open_page: Any) -> None:
    pack = PACKS[pid]
    browser = open_page(pack_html(pack), f"pack-{pid}")
    assert browser.find_element(By.TAG_NAME, "h1").text == pack.compiled.document.title
    headings = [h.text for h in browser.find_elements(By.CSS_SELECTOR, "section.review h3")]
    assert headings == [f"{r.name} {r.id}" for r in pack.compiled.reviews.values()]
    broken = browser.execute_script(
        "return [...document.querySelectorAll('a[href^=\"#\"]')]"
        ".filter(a => !document.getElementById(a.getAttribute('href').slice(1))).map(a => a.textContent)")
    assert broken == []
    notes = browser.find_elements(By.CSS_SELECTOR, ".note")
    assert len(notes) == len(pack.compiled.notes) and all(n.is_displayed() for n in notes)
    assert_quiet_and_offline(browser)
    save_screenshot(browser, f"pack-{pid}")


def test_a_script_in_a_pack_is_shown_as_text_and_never_runs(open_page: Any, write_pack: Any) -> None:
    pack = hostile_pack(write_pack)
    browser = open_page(pack_html(pack), "pack-hostile")
    assert browser.find_element(By.CSS_SELECTOR, "section.review h3").text == f"R {HOSTILE} r"
    body = browser.find_element(By.TAG_NAME, "body").text
    assert body.count(HOSTILE) >= 11
    assert_quiet_and_offline(browser)
    browser = open_page(timeline_html(pack.schedule("r", start=date(2026, 1, 5), today=date(2026, 1, 6)), pack),
                        "timeline-hostile")
    assert browser.find_element(By.TAG_NAME, "h1").text == f"R {HOSTILE}: timeline"
    assert_quiet_and_offline(browser)
    save_screenshot(browser, "timeline-hostile")
