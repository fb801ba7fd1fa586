"""Robustness of the three questions: on bad input only the documented errors escape.

``decide`` raises only ``FactError`` (a ``ValueError``) for bad facts; ``schedule`` and
``check_quorum`` only ``LookupError`` or ``ValueError`` — never ``TypeError``, ``OverflowError``,
``IndexError``, ``KeyError`` or ``AttributeError``.
"""

from __future__ import annotations

import collections
import json
import types
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lif_rules

PACKS = {pid: lif_rules.load_pack(pid) for pid in lif_rules.available_packs()}
STATUSES = {"required", "consider", "discretionary", "not_eligible", "undetermined"}
FUZZ = settings(deadline=None)
NEVER = (TypeError, OverflowError, IndexError, KeyError, AttributeError)

packs = st.sampled_from(sorted(PACKS)).map(PACKS.__getitem__)


# -- values of every kind ------------------------------------------------------------------------
_ATOMS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=12),
    st.sampled_from(["child", "adult", "known", "suspected", "not_suspected", "true", "false", "True", "", "yes"]),
    st.dates(), st.just(0), st.just(1), st.just(1.0), st.just(float("nan")), st.binary(max_size=4),
)
_ANY = st.recursive(
    _ATOMS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.tuples(inner, inner), st.frozensets(st.integers(), max_size=3),
        st.dictionaries(st.text(max_size=5), inner, max_size=3),
    ),
    max_leaves=8,
)


_IDS = st.one_of(st.text(max_size=10), st.integers(), st.none(), st.booleans(), st.floats(), st.binary(max_size=4),
                 st.tuples(st.text(max_size=3)), st.dates())
_UNHASHABLE = st.one_of(st.lists(st.text(max_size=3), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
                        st.sets(st.integers(), max_size=2))


def fact_values(pack: lif_rules.PolicyPack) -> st.SearchStrategy[Any]:
    own = [v for f in pack.compiled.facts for v in f.values]
    return st.one_of(st.sampled_from(own), _ANY)


def fact_names(pack: lif_rules.PolicyPack) -> st.SearchStrategy[Any]:
    names = pack.facts
    return st.one_of(
        st.sampled_from(names), st.sampled_from(names).map(str.upper), st.sampled_from(names).map(lambda n: n + " "),
        st.text(max_size=15), st.integers(), st.none(), st.tuples(st.sampled_from(names)),
    )


class _Facts(Mapping[Any, Any]):
    """A read-only mapping that is not a dict."""

    def __init__(self, data: dict[Any, Any]):
        self._data = data

    def __getitem__(self, key: Any) -> Any:
        return self._data[key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


def as_mapping_kind(data: dict[Any, Any], kind: str) -> Mapping[Any, Any]:
    if kind == "proxy":
        return types.MappingProxyType(data)
    if kind == "ordered":
        return collections.OrderedDict(data)
    if kind == "custom":
        return _Facts(data)
    if kind == "defaultdict":
        return collections.defaultdict(lambda: None, data)
    return data


@st.composite
def arbitrary_facts(draw: st.DrawFn, pack: lif_rules.PolicyPack) -> Mapping[Any, Any]:
    good = {f.name: draw(st.sampled_from(f.values)) for f in pack.compiled.facts if draw(st.booleans())}
    bad = draw(st.dictionaries(fact_names(pack), fact_values(pack), max_size=4))
    data = {**good, **bad} if draw(st.booleans()) else {**bad, **good}
    kind = draw(st.sampled_from(["dict", "dict", "proxy", "ordered", "custom", "defaultdict"]))
    return as_mapping_kind(data, kind)


def check_decision(pack: lif_rules.PolicyPack, d: lif_rules.Decision, review: str | None = None) -> None:
    assert list(d.outcomes) == ([review] if review else pack.reviews)
    for rid, o in d.outcomes.items():
        assert o.review == rid
        assert o.status in STATUSES
        assert set(o.missing) <= set(pack.facts)
        assert (o.status == "undetermined") == bool(o.missing), (rid, o.status, o.missing)
        assert o.trace and all(step.rule_id and step.citation for step in o.trace)
    for n in d.possible_notifications:
        assert n.missing and set(n.missing) <= set(pack.facts)
    json.dumps(d.model_dump(mode="json"))


# -- decide --------------------------------------------------------------------------------------
@FUZZ
@given(data=st.data(), pack=packs)
def test_decide_arbitrary_fact_mappings(pack: lif_rules.PolicyPack, data: st.DataObject) -> None:
    facts = data.draw(arbitrary_facts(pack), label="facts")
    review = data.draw(st.one_of(st.none(), st.sampled_from(pack.reviews)), label="review")
    try:
        d = pack.decide(facts, review=review)
    except lif_rules.FactError as e:
        assert str(e)
        return
    check_decision(pack, d, review)


@FUZZ
@given(data=st.data(), pack=packs)
def test_decide_accepts_exactly_the_valid_facts(pack: lif_rules.PolicyPack, data: st.DataObject) -> None:
    """A mapping of declared facts to allowed values (or None) decides; anything else is a FactError."""
    facts = data.draw(arbitrary_facts(pack), label="facts")
    catalogue = {f.name: f for f in pack.compiled.facts}

    def allowed(name: Any, value: Any) -> bool:
        if not isinstance(name, str) or name not in catalogue:
            return False
        if value is None:
            return True
        if catalogue[name].type == "bool":
            return value is True or value is False
        return type(value) is str and value in catalogue[name].values

    valid = all(allowed(k, v) for k, v in facts.items())
    if valid:
        check_decision(pack, pack.decide(facts))
    else:
        with pytest.raises(lif_rules.FactError):
            pack.decide(facts)


@FUZZ
@given(data=st.data(), pack=packs)
def test_decide_with_arbitrary_review_and_as_of(pack: lif_rules.PolicyPack, data: st.DataObject) -> None:
    review = data.draw(st.one_of(st.none(), st.sampled_from(pack.reviews), _IDS), label="review")
    as_of = data.draw(st.one_of(st.none(), st.dates(), st.datetimes(), _ANY), label="as_of")
    try:
        d = pack.decide({}, review=review, as_of=as_of)
    except LookupError:
        return
    except ValueError as e:  # as_of is not a fact: a plain ValueError names it
        assert "as_of" in str(e)
        return
    except NEVER as e:  # pragma: no cover - the failure is the point
        raise AssertionError(f"{type(e).__name__} escaped decide(review={review!r}, as_of={as_of!r}): {e}") from e
    check_decision(pack, d, review)
    assert d.as_of == as_of


@pytest.mark.parametrize("facts", [
    None, [], [("died", True)], "died", "", b"died", 0, 1, True, 3.5, ("died", True), {"died"},
    frozenset(), date(2026, 1, 1), object(), iter([("died", True)]),
], ids=repr)
def test_non_mapping_facts_are_fact_errors(facts: Any) -> None:
    for pack in PACKS.values():
        with pytest.raises(lif_rules.FactError):
            pack.decide(facts)


@FUZZ
@given(facts=_ANY.filter(lambda v: not isinstance(v, Mapping)), pack=packs)
def test_arbitrary_non_mapping_facts_are_fact_errors(pack: lif_rules.PolicyPack, facts: Any) -> None:
    with pytest.raises(lif_rules.FactError):
        pack.decide(facts)


# -- schedule ------------------------------------------------------------------------------------
def timetabled(pack: lif_rules.PolicyPack) -> list[str]:
    return [r for r in pack.reviews if pack.compiled.reviews[r].milestones]


_DATES = st.one_of(
    st.dates(), st.dates(min_value=date(9990, 1, 1)), st.dates(max_value=date(1, 3, 1)),
    st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)), st.just(date.max), st.just(date.min),
)
_DATE_LIKE = st.one_of(_DATES, _DATES, st.datetimes(), st.text(max_size=12), st.just("2026-12-18"),
                       st.integers(), st.none(), st.floats(), st.lists(st.dates(), max_size=2))


def milestone_keys(pack: lif_rules.PolicyPack, review: str) -> st.SearchStrategy[Any]:
    rules = pack.compiled.reviews[review].milestones if review in pack.compiled.reviews else ()
    ids = [m.id for m in rules] or ["x"]
    return st.one_of(
        st.sampled_from(ids), st.sampled_from(ids).map(lambda i: f"{i}_{1}"),
        st.tuples(st.sampled_from(ids), st.integers(-3, 10**6)).map(lambda t: f"{t[0]}_{t[1]}"),
        st.text(max_size=12), st.integers(), st.none(), st.tuples(st.integers()),
    )


@st.composite
def schedule_calls(draw: st.DrawFn, pack: lif_rules.PolicyPack) -> dict[str, Any]:
    review = draw(st.one_of(st.sampled_from(timetabled(pack) or pack.reviews), st.sampled_from(pack.reviews),
                            _IDS))
    start = draw(_DATE_LIKE)
    actual = draw(st.one_of(
        st.none(),
        st.dictionaries(milestone_keys(pack, review if isinstance(review, str) else ""), _DATE_LIKE, max_size=4),
        st.dictionaries(milestone_keys(pack, review if isinstance(review, str) else ""), _DATES, max_size=4),
        st.lists(st.dates(), max_size=2), st.text(max_size=5), st.integers(),
    ))
    today = draw(st.one_of(st.none(), _DATE_LIKE))
    return {"review": review, "start": start, "actual": actual, "today": today}


@FUZZ
@given(data=st.data(), pack=packs)
def test_schedule_arbitrary_inputs(pack: lif_rules.PolicyPack, data: st.DataObject) -> None:
    call = data.draw(schedule_calls(pack), label="call")
    try:
        s = pack.schedule(call["review"], start=call["start"], actual=call["actual"], today=call["today"])
    except (LookupError, ValueError):
        return
    except NEVER as e:
        raise AssertionError(f"{type(e).__name__} escaped schedule(**{call!r}): {e}") from e
    assert s.milestones
    json.dumps(s.model_dump(mode="json"))


@FUZZ
@given(data=st.data(), pack=packs)
def test_schedule_valid_shapes_at_extreme_dates(pack: lif_rules.PolicyPack, data: st.DataObject) -> None:
    """Well-typed calls at any date: a schedule or ValueError (out of the calendar's range), nothing else."""
    reviews = timetabled(pack)
    if not reviews:
        return
    review = data.draw(st.sampled_from(reviews), label="review")
    start = data.draw(_DATES, label="start")
    ids = [m.id for m in pack.compiled.reviews[review].milestones if not m.start and m.every is None]
    actual = data.draw(st.dictionaries(st.sampled_from(ids), _DATES, max_size=3) if ids else st.just({}), label="actual")
    today = data.draw(st.one_of(st.none(), _DATES), label="today")
    try:
        pack.schedule(review, start=start, actual=actual, today=today)
    except ValueError:
        return
    except (LookupError, *NEVER) as e:
        raise AssertionError(f"{type(e).__name__} escaped schedule({review!r}, start={start!r}, "
                             f"actual={actual!r}, today={today!r}): {e}") from e


# -- check_quorum --------------------------------------------------------------------------------
def role_ids(pack: lif_rules.PolicyPack) -> list[str]:
    return [b for r in pack.compiled.roles.values() for b in (r.id, *(p[0] for p in r.predecessors))] or ["police"]


class _Attendees:
    """An iterable that is not a list (a generator-like object, usable once)."""

    def __init__(self, items: list[Any]):
        self.items = items

    def __iter__(self) -> Iterator[Any]:
        return iter(self.items)


@st.composite
def quorum_calls(draw: st.DrawFn, pack: lif_rules.PolicyPack) -> dict[str, Any]:
    meeting = draw(st.one_of(st.sampled_from(pack.meetings or ["rapid_review_meeting"]), _IDS))
    role = st.one_of(st.sampled_from(role_ids(pack)), st.text(max_size=8), _ATOMS)
    people = draw(st.lists(role, max_size=6))
    attendees = draw(st.sampled_from(["list", "tuple", "set", "iter", "dict", "str", "none", "int", "bytes", "gen"]))
    shaped: Any = {
        "list": people, "tuple": tuple(people), "iter": _Attendees(people), "dict": dict.fromkeys(map(repr, people)),
        "str": "police", "none": None, "int": 3, "bytes": b"police", "gen": (p for p in people),
    }.get(attendees)
    if attendees == "set":
        try:
            shaped = set(people)
        except TypeError:
            shaped = people
    on = draw(st.one_of(st.none(), _DATE_LIKE))
    return {"meeting": meeting, "attendees": shaped, "on": on}


@FUZZ
@given(data=st.data(), pack=packs)
def test_check_quorum_arbitrary_inputs(pack: lif_rules.PolicyPack, data: st.DataObject) -> None:
    call = data.draw(quorum_calls(pack), label="call")
    try:
        q = pack.check_quorum(call["meeting"], attendees=call["attendees"], on=call["on"])
    except (LookupError, ValueError):
        return
    except NEVER as e:
        raise AssertionError(f"{type(e).__name__} escaped check_quorum(**{call!r}): {e}") from e
    assert not (q.quorate and q.missing)
    json.dumps(q.model_dump(mode="json"))


@FUZZ
@given(data=st.data(), pack=packs)
def test_check_quorum_valid_attendees_any_date(pack: lif_rules.PolicyPack, data: st.DataObject) -> None:
    if not pack.meetings:
        with pytest.raises(LookupError):
            pack.check_quorum("rapid_review_meeting", attendees=[], on=date(2026, 1, 1))
        return
    meeting = data.draw(st.sampled_from(pack.meetings), label="meeting")
    people = data.draw(st.lists(st.sampled_from(role_ids(pack)), max_size=5), label="attendees")
    on = data.draw(_DATES, label="on")
    q = pack.check_quorum(meeting, attendees=people, on=on)
    assert set(q.missing) <= set(role_ids(pack))


def test_dates_just_inside_the_extremes() -> None:
    for pack in PACKS.values():
        for review in timetabled(pack):
            for start in (date.min, date.min + timedelta(days=1), date.max - timedelta(days=1), date.max,
                          datetime(2026, 1, 5), "2026-01-05", 20260105):
                try:
                    pack.schedule(review, start=start)  # type: ignore[arg-type]
                except ValueError:
                    pass
        for meeting in pack.meetings:
            for on in (date.min, date.max):
                pack.check_quorum(meeting, attendees=["police"], on=on)


@settings(max_examples=10, deadline=None)
@given(ident=_UNHASHABLE, pack=packs)
def test_unhashable_ids_are_lookup_or_value_errors(pack: lif_rules.PolicyPack, ident: Any) -> None:
    calls: list[Callable[[], Any]] = [
        lambda: pack.decide({}, review=ident),
        lambda: pack.schedule(ident, start=date(2026, 1, 5)),
        lambda: pack.check_quorum(ident, attendees=[], on=date(2026, 1, 5)),
    ]
    for call in calls:
        with pytest.raises((LookupError, ValueError)):
            call()


# -- why-not, analyses, periods, descriptions ----------------------------------------------------
@FUZZ
@given(data=st.data(), pack=packs)
def test_why_not_arbitrary_inputs(pack: lif_rules.PolicyPack, data: st.DataObject) -> None:
    facts = data.draw(arbitrary_facts(pack), label="facts")
    review = data.draw(st.one_of(st.sampled_from(pack.reviews), _IDS), label="review")
    want = data.draw(st.one_of(st.sampled_from(sorted(STATUSES)), _IDS), label="want")
    as_of = data.draw(st.one_of(st.none(), st.dates(), _IDS), label="as_of")
    try:
        found = pack.why_not(facts, review=review, want=want, as_of=as_of)
    except (lif_rules.FactError, LookupError, ValueError) as e:
        assert not isinstance(e, NEVER)
        return
    assert all(c.status == want for c in found)
    assert all(set(c.changes) <= set(pack.facts) for c in found)


@pytest.mark.parametrize("pack_id", sorted(PACKS))
def test_analyse_and_describe_every_bundled_pack(pack_id: str) -> None:
    pack = PACKS[pack_id]
    for finding in pack.analyse():
        assert finding.review in pack.reviews
        assert finding.example is None or set(finding.example) == set(pack.facts)
    description = pack.describe()
    assert [r.id for r in description.reviews] == pack.reviews
    json.dumps(description.model_dump(mode="json"))


@FUZZ
@given(day=st.one_of(st.dates(), _IDS, st.datetimes()), pack=packs)
def test_rules_on_any_day_is_a_pack_or_a_value_error(pack: lif_rules.PolicyPack, day: Any) -> None:
    try:
        dated = pack.rules_on(day)
    except ValueError as e:
        assert not isinstance(e, NEVER)
        return
    assert dated.reviews == pack.reviews
    check_decision(dated, dated.decide({}))


# -- the command line ----------------------------------------------------------------------------
_WORDS = ["decide", "schedule", "quorum", "validate", "test", "schema", "diff", "why-not", "check", "render", "packs",
          "show", "dudley", "cumbria", "dudly", "-", "--json", "--trace", "--review", "sar", "rapid_review",
          "--as-of", "2022-06-29", "2026-02-30", "--start", "--today", "--actual", "rapid_review_meeting=2022-06-13",
          "--want", "required", "--coverage", "--format", "csv", "ics", "--on", "police", "icb", "Jo=police,icb",
          "dudley@2018-01-01", "nowhere.yaml", "", "\x1b[2J", "--", "-o", "/dev/null", "--help"]


@FUZZ
@given(argv=st.lists(st.sampled_from(_WORDS), max_size=7), stdin=st.sampled_from(["", "{}", "died: yes", "[1]",
                                                                                   "subject: child\nsubject: adult"]))
def test_the_command_line_never_fails_with_an_internal_error(argv: list[str], stdin: str) -> None:
    import contextlib
    import io
    import sys

    from lif_rules.cli import main

    if "serve" in argv or ("render" in argv and "-o" not in argv):
        return
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode()))
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(argv)
    finally:
        sys.stdin = saved
    assert status in (0, 1, 2), (argv, status, err.getvalue())
    assert "Traceback" not in err.getvalue() and "internal error" not in err.getvalue(), (argv, err.getvalue())
    if "--json" in argv and status == 2 and "--help" not in argv:
        assert json.loads(out.getvalue())["error"]["type"] in {"usage", "invalid_pack", "bad_facts", "not_found",
                                                               "environment"}, (argv, out.getvalue())
