"""Regenerate the README's pictures of the views (docs/images/*.png) in Debian's headless Chromium.

Run from anywhere, with the project's venv:  .venv/bin/python scripts/screenshots.py
Needs the test extra (selenium, Jinja2) and `apt-get install -y chromium chromium-driver`.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "views"))

import headless  # noqa: E402

import lif_rules  # noqa: E402
from lif_rules.views import pack_html, timeline_html  # noqa: E402

IMAGES = REPO / "docs" / "images"
WIDTH = 1100


def main() -> int:
    reason = headless.unavailable()
    if reason is not None:
        print(f"cannot take screenshots: {reason}", file=sys.stderr)
        return 1
    pack = lif_rules.load_pack("dudley")
    schedule = pack.schedule("rapid_review", start=date(2026, 12, 18), today=date(2027, 1, 6),
                             actual={"scoping_requests_sent": date(2026, 12, 22),
                                     "rapid_review_meeting": date(2027, 1, 5)})
    pages = {"timeline": timeline_html(schedule, pack), "rendered-pack": pack_html(pack)}
    with tempfile.TemporaryDirectory() as folder, headless.chromium(WIDTH, 900) as browser:
        for name, html in pages.items():
            page = Path(folder) / f"{name}.html"
            page.write_text(html, encoding="utf-8")
            browser.get(page.as_uri())
            height = 760 if name == "timeline" else 1250
            print(headless.screenshot(browser, IMAGES / f"{name}.png", width=WIDTH, height=height).relative_to(REPO))
        headless.screenshot(browser, Path(folder) / "whole.png", width=WIDTH)  # the whole page, to reach any part
        section = browser.find_element("id", "review-rapid_review")
        section.screenshot(str(IMAGES / "rendered-pack-review.png"))
        print((IMAGES / "rendered-pack-review.png").relative_to(REPO))
    return 0


if __name__ == "__main__":
    sys.exit(main())
