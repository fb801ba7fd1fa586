"""Fuzz the service from its own OpenAPI document (schemathesis, over loopback): no 500s, no answer off its schema.

The number of cases per endpoint follows the hypothesis profile (tests/conftest.py): ``fast``,
``dev`` (50) or ``ci`` (200); ``HYPOTHESIS_PROFILE=stress`` for a long run by hand.
"""

from __future__ import annotations

import httpx
import schemathesis
from schemathesis.specs.openapi.checks import positive_data_acceptance

import lif_rules
from lif_rules.service import create_app

from .conftest import Server

DOCUMENT = create_app(lif_rules.load_packs()).openapi()
schema = schemathesis.openapi.from_dict(DOCUMENT)


def test_the_fuzzed_document_is_the_one_the_server_serves(client: httpx.Client) -> None:
    assert client.get("/openapi.json").json() == DOCUMENT


@schema.parametrize()
def test_no_input_gets_a_500_or_an_answer_off_its_schema(case: schemathesis.Case, server: Server) -> None:
    # Facts are checked against each pack's own catalogue, which one document cannot state for every
    # pack: a schema-valid body may still name a fact the pack does not have (a 422 FactError, as the
    # library raises). Every other check runs, the 500 and response-schema checks among them.
    case.call_and_validate(base_url=server.url, excluded_checks=[positive_data_acceptance])
