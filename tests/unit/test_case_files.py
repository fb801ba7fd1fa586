"""Case files read as strictly as packs, in a case file's own words."""

from __future__ import annotations

import pytest

from lif_rules.core.cases import parse_case
from lif_rules.errors import FactError


@pytest.mark.parametrize("text, at", [("", "1:1"), ("  \n\n", "1:1"), ("# nothing known yet\n", "1:1"),
                                      ("---\n", "1:1"), ("null\n", "1:1"), ("\n~\n", "2:1"), ("--- null\n", "1:5")])
def test_an_empty_case_is_refused_saying_how_to_write_every_fact_unknown(text: str, at: str) -> None:
    with pytest.raises(FactError) as caught:
        parse_case(text.encode(), "case.yaml")
    assert str(caught.value) == f"case.yaml:{at}: $: the case is empty; write {{}} for a case with every fact unknown"


@pytest.mark.parametrize("text", ["{}\n", "# nothing known yet\n{}\n", "--- {}\n"])
def test_a_case_with_every_fact_unknown_is_written_as_an_empty_mapping(text: str) -> None:
    assert parse_case(text.encode(), "case.yaml").facts == {}


def test_a_second_document_is_refused_in_a_case_file_s_words() -> None:
    with pytest.raises(FactError) as caught:
        parse_case(b"subject: child\n---\ndied: true\n", "case.yaml")
    assert str(caught.value) == "case.yaml:2:1: $: a case file holds one YAML document; found a second '---'"


def test_a_case_that_repeats_a_key_is_refused_where_it_repeats() -> None:
    with pytest.raises(FactError) as caught:
        parse_case(b"died: true\ndied: false\n", "case.yaml")
    assert str(caught.value).startswith("case.yaml:2:1: ")
