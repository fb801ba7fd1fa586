"""docs/service.md's examples are replayed, so they cannot go stale: each request it shows is asked again of
the service with the bundled packs, and must be answered as the page shows (see scripts/service_docs.py)."""

from __future__ import annotations


from scripts_kit import load_script  # tests/ is on sys.path through its conftest

service_docs = load_script("service_docs")
TEXT = service_docs.PAGE.read_text(encoding="utf-8")


def test_every_example_request_is_found_and_understood() -> None:
    found = [e for _s, _e, items in service_docs.examples(TEXT) for e in items if isinstance(e, service_docs.Example)]
    assert len(found) >= 12
    paths = {service_docs.parse(e.command).path for e in found}
    assert {"/health", "/packs", "/packs/dudley", "/packs/dudley/decide", "/packs/dudley/schedule",
            "/packs/dudley/quorum", "/packs/dudley/why-not", "/openapi.json"} <= paths
    assert all(e.output for e in found if not service_docs.parse(e.command).to_file)
    assert len(service_docs.log_block(TEXT)[2]) >= 2


def test_the_examples_answer_what_the_page_shows() -> None:
    assert service_docs.mismatches(TEXT) == [], "run `python scripts/service_docs.py --update` and review the change"


def test_a_stale_answer_is_caught() -> None:
    stale = TEXT.replace('"table_top_review": "consider"', '"table_top_review": "discretionary"', 1)
    assert stale != TEXT
    [problem] = service_docs.mismatches(stale)
    assert "packs/dudley/decide" in problem


def test_only_volatile_fields_are_compared_by_shape() -> None:
    shown = ['"answered_at": "2026-11-30T12:33:45.391604Z", "id":"d4b180c93695-2"']
    assert service_docs.masked(shown) == service_docs.masked(['"answered_at": "2027-01-01T00:00:00Z", '
                                                              '"id":"0123456789ab-17"'])
    assert service_docs.masked(['"as_of": "2026-03-02"']) != service_docs.masked(['"as_of": "2026-03-03"'])
