"""Fixtures of the view tests: one headless Chromium for the session, and pages opened in it from files.

Browser tests skip (with the reason) only where no Chromium can be started; ``.ci/run`` installs it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))
import headless  # noqa: E402
from viewkit import assert_self_contained  # noqa: E402


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session (skips, saying why, where none can be started)."""
    reason = headless.unavailable()
    if reason is not None:
        pytest.skip(reason)
    with headless.chromium() as driver:
        yield driver


@pytest.fixture
def open_page(browser: Any, tmp_path: Path) -> Any:
    """Write an HTML page to a file and open it from its file:// URL, with the console log cleared."""

    def open_(html: str, name: str = "page") -> Any:
        assert_self_contained(html)  # references nothing outside itself, so it works offline
        path = tmp_path / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        browser.set_window_size(1280, 900)
        browser.get_log("browser")
        browser.get(path.as_uri())
        return browser

    return open_
