"""Request bodies: the JSON each ``POST /packs/{id}/...`` takes, read exactly as strictly as the library reads input.

Dates are ISO ``YYYY-MM-DD`` strings of real dates (never a date and time, never a number); unknown
fields are refused; a JSON text with a repeated key, ``NaN`` or ``Infinity`` (or a number too large to
be finite, such as ``1e999``), or a string escaping half of a surrogate pair (``"\\ud800"``, not a
Unicode character) is refused as invalid, as case files with repeated keys or such escapes are.
Facts and attendees pass through untouched: the library checks them (``PolicyPack.decide``,
``PolicyPack.check_quorum``) and says what is wrong in its own words.
"""

from __future__ import annotations

import json
import math
import re
import sys
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

__all__ = ["IsoDate", "DecideBody", "ScheduleBody", "QuorumBody", "WhyNotBody", "parse_json", "MOST_DIGITS"]

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: Any) -> date:
    if not isinstance(value, str):
        raise ValueError(f"expected a date written YYYY-MM-DD, e.g. 2026-03-02, got {json.dumps(value)}")
    if not _ISO.fullmatch(value):
        raise ValueError(f"expected a date written YYYY-MM-DD (a date, not a date and time), got {value!r}")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a real date") from None


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
"""A real calendar date written ``YYYY-MM-DD``."""

WantedStatus = Literal["required", "consider", "discretionary", "not_eligible"]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DecideBody(_Body):
    """``POST /packs/{id}/decide``: the case's facts (an absent or null fact is unknown)."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"facts": {"subject": "child", "died": True, "abuse_or_neglect": "suspected"}, "review": None, "as_of": None},
        {"facts": {"subject": "adult", "died": False, "seriously_harmed": True, "abuse_or_neglect": "known",
                   "care_and_support_needs": True}, "review": "sar", "as_of": "2026-03-02"}]})

    facts: dict[str, Any] = Field(description="fact name → value; an absent or null fact is unknown")
    review: str | None = Field(default=None, description="decide this review type only")
    as_of: IsoDate | None = Field(default=None, description="apply the rules in force on this date "
                                                            "(null: the latest rules)")


class ScheduleBody(_Body):
    """``POST /packs/{id}/schedule``: a review's start, the dates milestones really happened, and today."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"review": "rapid_review", "start": "2026-12-18", "actual": {"rapid_review_meeting": "2027-01-05"},
         "today": "2027-01-06"}]})

    review: str = Field(description="the review type (or a notification with a deadline)")
    start: IsoDate = Field(description="the date of the review's first event, which counts as met")
    actual: dict[str, IsoDate] = Field(default_factory=dict, description="milestone id → the date it happened")
    today: IsoDate | None = Field(default=None, description="give each milestone a status on this date")


_PERSON: dict[str, Any] = {"type": "object", "properties": {"name": {"type": "string"}, "roles": {"type": "array", "items": {
    "type": "string"}}}, "required": ["roles"], "additionalProperties": False}


class QuorumBody(_Body):
    """``POST /packs/{id}/quorum``: a meeting, the roles present, and its date."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"meeting": "rapid_review_meeting", "attendees": ["police", "local_authority"], "on": "2026-03-02"}]})

    meeting: str = Field(description="the meeting id, e.g. rapid_review_meeting")
    attendees: list[Any] = Field(description="who attended: role ids (\"police\"), or people with the roles they "
                                             "hold ({\"name\": \"Jo Smith\", \"roles\": [\"police\"]}), as "
                                             "PolicyPack.check_quorum takes them and checks them",
                                 json_schema_extra={"items": {"anyOf": [{"type": "string"}, _PERSON]}})
    on: IsoDate | None = Field(default=None, description="the meeting's date (null: today)")


class WhyNotBody(_Body):
    """``POST /packs/{id}/why-not``: the smallest changes of facts that would decide a review as ``want``."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"facts": {"subject": "child", "died": False}, "review": "rapid_review", "want": "required"},
        {"facts": {"subject": "child", "died": False}, "review": "scr", "want": "required", "as_of": "2018-01-01"}]})

    facts: dict[str, Any] = Field(description="fact name → value; an absent or null fact is unknown")
    review: str = Field(description="the review type")
    want: WantedStatus = Field(description="the status wanted")
    as_of: IsoDate | None = Field(default=None, description="apply the rules in force on this date "
                                                            "(null: the latest rules)")


class _Refused(ValueError):
    pass


def _refuse_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) < len(pairs):
        keys = [key for key, _ in pairs]
        repeated = next(key for n, key in enumerate(keys) if key in keys[:n])
        raise _Refused(f"the key {repeated!r} appears twice in one object")
    return out


def _refuse_constant(name: str) -> Any:
    raise _Refused(f"{name} is not a JSON value")


def _finite(text: str) -> float:
    """A number with a fraction or an exponent, refused when it is too large for a float (it would be infinite)."""
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(f"the number {_cut(text)} is too large: it would be infinite, and Infinity is not a JSON value")
    return value


MOST_DIGITS = 4300
"""The most digits an integer in a body may have (Python's own limit for reading one, by default)."""


def _integer(text: str) -> int:
    """An integer, refused in plain words when it has more digits than :data:`MOST_DIGITS`."""
    if len(text) - text.startswith("-") > MOST_DIGITS:
        raise _Refused(f"a number of more than {MOST_DIGITS} digits")
    try:
        return int(text)
    except ValueError:  # the interpreter was started with a lower limit (PYTHONINTMAXSTRDIGITS)
        raise _Refused(f"a number of more than {sys.get_int_max_str_digits()} digits") from None


def _cut(text: str, most: int = 60) -> str:
    return text if len(text) <= most else text[:most - 3] + "..."


_DECODER = json.JSONDecoder(object_pairs_hook=_refuse_repeats, parse_constant=_refuse_constant, parse_float=_finite,
                            parse_int=_integer)

_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
"""An escape of a surrogate (the only way a UTF-8 text can put one in a string), or text that looks like one."""

_SURROGATE = re.compile("[\ud800-\udfff]")


def _refuse_surrogates(value: Any) -> None:
    """Refuse the first string or key (in document order) that holds a surrogate.

    JSON lets a string escape half of a surrogate pair without the other half; that is no Unicode
    character, so no answer or error could say it in UTF-8. A pair, escaped together, is already
    the one character it stands for. The walk is a loop, not recursion: a body may nest as deeply
    as the parser reads.
    """
    stack: list[tuple[Any, str, bool]] = [(value, "", False)]  # (value, where it is, whether it is a key)
    while stack:
        item, path, is_key = stack.pop()
        if isinstance(item, str):
            found = _SURROGATE.search(item)
            if found:
                where = ("a key" if is_key else "the string") + (f" {'in' if is_key else 'at'} {path}" if path else "")
                raise _Refused(f"{where} holds \\u{ord(found.group()):04x}, half of a surrogate pair without the "
                               "other half: not a Unicode character")
        elif isinstance(item, dict):
            for key, inner in reversed(item.items()):
                stack.append((inner, f"{path}.{key}" if path else key, False))
                stack.append((key, path, True))
        elif isinstance(item, list):
            for n in range(len(item) - 1, -1, -1):
                stack.append((item[n], f"{path}.{n}" if path else str(n), False))


def parse_json(raw: bytes) -> Any:
    """Parse a request body as strict JSON: UTF-8, perhaps after a byte-order mark; no repeated keys, ``NaN``,
    ``Infinity``, numbers too large to be finite, integers of more than :data:`MOST_DIGITS` digits, or lone
    surrogates.

    Raises:
        json.JSONDecodeError: anything else, with the reason as its ``msg``.
    """
    try:
        text = raw.decode("utf-8-sig")  # a byte-order mark may start the body, as it may start a case file
    except UnicodeDecodeError as e:
        raise json.JSONDecodeError("the body is not UTF-8", "", e.start) from None
    try:
        value = _DECODER.decode(text)
        if _SURROGATE_ESCAPE.search(text):
            _refuse_surrogates(value)
        return value
    except json.JSONDecodeError:
        raise
    except _Refused as e:
        raise json.JSONDecodeError(str(e), text, 0) from None
    except RecursionError:
        raise json.JSONDecodeError("nested too deeply", text, 0) from None
    except ValueError as e:  # none is known: numbers are read by _finite and _integer, which say what is wrong
        raise json.JSONDecodeError(" ".join(str(e).split()), text, 0) from None
