"""The README's examples are run, so they cannot go stale: its Python sessions as a doctest, its commands
with the output it shows, and its two first commands as CI runs them."""

from __future__ import annotations

import doctest
import re

from scripts_kit import REPO, load_script  # tests/ is on sys.path through its conftest

readme = load_script("readme")
TEXT = readme.README.read_text(encoding="utf-8")


def test_the_python_sessions_give_what_the_readme_shows() -> None:
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    result = runner.run(readme.sessions(TEXT))
    assert result.attempted > 20
    assert result.failed == 0


def test_the_commands_print_what_the_readme_shows() -> None:
    assert len([c for _s, _e, body in readme.blocks(TEXT, "console") for c in readme.commands(body)]) >= 5
    assert readme.mismatches(TEXT) == [], "run `python scripts/readme.py --update` and review the change"


def test_the_first_two_commands_install_run_and_test_as_ci_does() -> None:
    first, second = [body.strip() for _s, _e, body in readme.blocks(TEXT, "sh")][:2]
    assert first == ('python3 -m venv .venv && .venv/bin/pip install -q ".[test]" && '
                     '.venv/bin/lif-rules decide dudley examples/serious-harm.yaml')
    assert second == ".venv/bin/pytest -q"
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r'^\.venv/bin/pip install --quiet "\.\[test\]"$', ci, re.M)
    assert "\n.venv/bin/lif-rules decide dudley examples/serious-harm.yaml" in ci
    assert ci.rstrip().endswith(".venv/bin/pytest -q")
    assert TEXT.index(first) < TEXT.index("##")  # the README starts with them


def test_the_readings_page_says_what_the_packs_say() -> None:
    readings = load_script("readings")
    assert (REPO / "docs" / "readings.md").read_text(encoding="utf-8") == readings.page(), \
        "run `python scripts/readings.py` to rewrite docs/readings.md from the packs' notes"


def test_every_page_the_readme_links_to_exists() -> None:
    for target in re.findall(r"\]\(((?:docs|benchmarks|scripts)/[^)#]+)\)", TEXT):
        assert (REPO / target).is_file(), target
