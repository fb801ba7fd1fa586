"""Response bodies: an answer (the library's result with its ``Record``), an error, and liveness."""

from __future__ import annotations

import json
from typing import Generic, TypeVar

from .. import Counterfactual, Decision, QuorumResult, Record, Schedule
from ..models import _Model

__all__ = ["Answer", "DecisionAnswer", "ScheduleAnswer", "QuorumAnswer", "WhyNotAnswer", "FieldProblem", "ErrorDetail",
           "ErrorBody", "Health", "ascii_json"]

R = TypeVar("R")


class Answer(_Model, Generic[R]):
    """A result of the library, and the record to reproduce it from the same pack text and engine."""

    result: R
    record: Record


class DecisionAnswer(Answer[Decision]):
    """``POST /packs/{id}/decide``: which reviews the case is eligible for, and its record."""


class ScheduleAnswer(Answer[Schedule]):
    """``POST /packs/{id}/schedule``: the review's milestones, and the record."""


class QuorumAnswer(Answer[QuorumResult]):
    """``POST /packs/{id}/quorum``: whether the meeting is quorate, and the record."""


class WhyNotAnswer(Answer[list[Counterfactual]]):
    """``POST /packs/{id}/why-not``: the smallest changes of facts that give the status wanted, and the record."""


class FieldProblem(_Model):
    """One problem with a request: the field at fault (``as_of``, ``actual.sar_panel_meeting``, ``facts.died``)."""

    field: str
    message: str


class ErrorDetail(_Model):
    """What went wrong: ``type`` names the kind of error (``not_found``, ``bad_facts``, ``invalid_body`` ...),
    ``message`` says it in plain words, ``field`` is the field at fault, ``problems`` every problem of a body."""

    type: str
    message: str
    field: str | None = None
    problems: list[FieldProblem] = []


class ErrorBody(_Model):
    """Every error the service answers with."""

    error: ErrorDetail


class Health(_Model):
    """Liveness: the service is up and serving these packs."""

    status: str
    packs: list[str]
    engine_version: str


def ascii_json(text: str) -> str:
    """The same JSON text with every non-ASCII character escaped (for log lines and HTTP headers)."""
    return text if text.isascii() else json.dumps(json.loads(text), ensure_ascii=True, separators=(",", ":"))
