"""A loaded pack is immutable, safe to share between threads, and picklable (also into worker processes)."""

from __future__ import annotations

import multiprocessing
import pickle
import random
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest

import lif_rules
from lif_rules.pack import bundled_dir

PACK_IDS = lif_rules.available_packs()
THREADS = 16
CALLS_PER_THREAD = 300


def fresh(pack_id: str) -> lif_rules.PolicyPack:
    """A pack loaded from its file path: not the shared cached object, with empty memos."""
    return lif_rules.load_pack(bundled_dir() / f"{pack_id}.yaml")


@pytest.fixture
def fast_switching() -> Iterator[None]:
    """Switch threads often, so races have a chance to show."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


# -- random calls ---------------------------------------------------------------------------------
Call = tuple[str, tuple[Any, ...], dict[str, Any]]


def random_facts(pack: lif_rules.PolicyPack, rng: random.Random) -> dict[str, Any]:
    return {f.name: rng.choice(f.values) for f in pack.compiled.facts if rng.random() < 0.6}


def random_calls(pack: lif_rules.PolicyPack, rng: random.Random, n: int) -> list[Call]:
    reviews = pack.reviews
    timetabled = [r for r in reviews if pack.compiled.reviews[r].milestones]
    roles = [b for r in pack.compiled.roles.values() for b in (r.id, *(p[0] for p in r.predecessors))] + ["probation"]
    calls: list[Call] = []
    for _ in range(n):
        kind = rng.random()
        if kind < 0.6 or not (timetabled or pack.meetings):
            review = rng.choice([None, None, *reviews])
            as_of = rng.choice([None, date(2019, 1, 1), date(2026, 6, 1), date(2040, 1, 1)])
            calls.append(("decide", (random_facts(pack, rng),), {"review": review, "as_of": as_of}))
        elif kind < 0.85 and timetabled:
            review = rng.choice(timetabled)
            start = date(2020, 1, 1) + timedelta(days=rng.randrange(3000))
            ids = [m.id for m in pack.compiled.reviews[review].milestones if not m.start and m.every is None]
            actual = {m: start + timedelta(days=rng.randrange(400)) for m in ids if rng.random() < 0.3}
            today = rng.choice([None, max([start, *actual.values()]) + timedelta(days=rng.randrange(400))])
            calls.append(("schedule", (review,), {"start": start, "actual": actual, "today": today}))
        elif pack.meetings:
            meeting = rng.choice(pack.meetings)
            people = [rng.choice(roles) for _ in range(rng.randrange(6))]
            on = date(2021, 1, 1) + timedelta(days=rng.randrange(1000))
            calls.append(("check_quorum", (meeting,), {"attendees": people, "on": on}))
        else:
            calls.append(("decide", ({},), {}))
    return calls


def run(pack: lif_rules.PolicyPack, call: Call) -> Any:
    name, args, kwargs = call
    method: Callable[..., Any] = getattr(pack, name)
    return method(*args, **kwargs).model_dump(mode="json")


# -- immutability ---------------------------------------------------------------------------------
@pytest.mark.parametrize("pack_id", PACK_IDS)
def test_a_pack_refuses_new_and_changed_attributes(pack_id: str) -> None:
    pack = lif_rules.load_pack(pack_id)
    for name in ("id", "reviews", "facts", "meetings", "compiled", "document", "_compiled", "_decider", "new"):
        with pytest.raises(AttributeError):
            setattr(pack, name, None)
    with pytest.raises(AttributeError):
        del pack.id
    assert pack.decide({}).outcomes.keys() == set(pack.reviews)


@pytest.mark.parametrize("pack_id", PACK_IDS[:1])
def test_a_pack_refuses_deleted_attributes(pack_id: str) -> None:
    pack = fresh(pack_id)
    for name in ("_compiled", "_decider", "_sources", "_scheduler"):
        with pytest.raises(AttributeError):
            delattr(pack, name)


@pytest.mark.parametrize("pack_id", PACK_IDS)
def test_the_lists_a_pack_hands_out_are_copies(pack_id: str) -> None:
    pack = fresh(pack_id)
    reviews, facts, meetings = pack.reviews, pack.facts, pack.meetings
    pack.reviews.append("x")
    pack.facts.clear()
    pack.meetings.append("x")
    assert (pack.reviews, pack.facts, pack.meetings) == (reviews, facts, meetings)


@pytest.mark.parametrize("pack_id", PACK_IDS[:1])
def test_the_compiled_form_cannot_be_changed(pack_id: str) -> None:
    pack = fresh(pack_id)
    compiled = pack.compiled
    with pytest.raises(AttributeError):
        compiled.id = "x"  # type: ignore[misc]
    for mapping in (compiled.reviews, compiled.meetings, compiled.roles, compiled.notifications,
                    compiled.fact_index, compiled.definitions):
        with pytest.raises(TypeError):
            mapping["x"] = None  # type: ignore[index]


def _mutations(result: Any) -> list[Callable[[], Any]]:
    return [
        lambda: result.append(None), lambda: result.extend([None]), lambda: result.insert(0, None),
        lambda: result.clear(), lambda: result.pop(), lambda: result.__setitem__(0, None),
        lambda: result.__delitem__(0), lambda: result.sort(), lambda: result.reverse(),
        lambda: result.__iadd__([None]),
    ]


@pytest.mark.parametrize("pack_id", PACK_IDS)
def test_decision_results_cannot_be_changed(pack_id: str) -> None:
    pack = fresh(pack_id)
    cases: list[dict[str, Any]] = [{}, {"subject": "child", "died": True, "abuse_or_neglect": "suspected"},
                                   {"subject": "adult", "died": True}]
    for facts in cases:
        before = pack.decide(facts).model_dump(mode="json")
        d = pack.decide(facts)
        lists = [d.notifications, d.possible_notifications, d.warnings]
        for o in d.outcomes.values():
            lists += [o.missing, o.trace]
        for n in d.notifications:
            lists += [n.to, n.trace]
        for pn in d.possible_notifications:
            lists += [pn.to, pn.trace, pn.missing]
        for lst in lists:
            for mutate in _mutations(lst):
                with pytest.raises((TypeError, AttributeError)):
                    mutate()
        with pytest.raises((TypeError, AttributeError)):
            d.outcomes["x"] = d.outcomes[pack.reviews[0]]
        with pytest.raises((TypeError, AttributeError)):
            d.outcomes.pop(pack.reviews[0])
        for o in d.outcomes.values():
            for step in o.trace:
                with pytest.raises((TypeError, AttributeError)):
                    step.values["died"] = True
        with pytest.raises((TypeError, ValueError)):  # pydantic: frozen instance
            d.pack = "x"  # type: ignore[misc]
        with pytest.raises((TypeError, ValueError)):
            d.outcomes[pack.reviews[0]].status = "required"  # type: ignore[misc]
        assert pack.decide(facts).model_dump(mode="json") == before
        assert pack.decide(facts, as_of=date(2026, 1, 1)).model_dump(mode="json")["outcomes"] == before["outcomes"]


@pytest.mark.parametrize("pack_id", PACK_IDS)
def test_changing_a_schedule_or_quorum_result_changes_no_later_result(pack_id: str) -> None:
    pack = fresh(pack_id)
    for review in pack.reviews:
        if not pack.compiled.reviews[review].milestones:
            continue
        before = pack.schedule(review, start=date(2026, 12, 18)).model_dump(mode="json")
        s = pack.schedule(review, start=date(2026, 12, 18))
        for m in s.milestones:
            try:
                m.explanation.clear()
            except (TypeError, AttributeError):
                pass
        try:
            s.milestones.clear()
        except (TypeError, AttributeError):
            pass
        assert pack.schedule(review, start=date(2026, 12, 18)).model_dump(mode="json") == before
    for meeting in pack.meetings:
        before = pack.check_quorum(meeting, attendees=["police"], on=date(2026, 3, 2)).model_dump(mode="json")
        q = pack.check_quorum(meeting, attendees=["police"], on=date(2026, 3, 2))
        for lst in (q.missing, q.trace, q.notes, q.other_attendees):
            try:
                lst.clear()
            except (TypeError, AttributeError):
                pass
        assert pack.check_quorum(meeting, attendees=["police"], on=date(2026, 3, 2)).model_dump(mode="json") == before


# -- threads --------------------------------------------------------------------------------------
@pytest.mark.parametrize("pack_id", PACK_IDS)
def test_sixteen_threads_agree_with_sequential_results(pack_id: str, fast_switching: None) -> None:
    expected_pack = fresh(pack_id)
    per_thread = [random_calls(expected_pack, random.Random(f"{pack_id}-{t}"), CALLS_PER_THREAD) for t in range(THREADS)]
    expected = [[run(expected_pack, c) for c in calls] for calls in per_thread]

    shared = fresh(pack_id)  # empty memos and no scheduler yet: the threads race to fill them
    results: list[list[Any] | None] = [None] * THREADS
    errors: list[BaseException] = []
    barrier = threading.Barrier(THREADS)

    def worker(t: int) -> None:
        try:
            barrier.wait()
            results[t] = [run(shared, c) for c in per_thread[t]]
        except BaseException as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(THREADS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=120)
    assert not errors, errors[0]
    assert all(not th.is_alive() for th in threads)
    for t in range(THREADS):
        assert results[t] == expected[t], f"thread {t} disagrees with the sequential results"


def test_threads_loading_the_same_bundled_pack_get_one_object() -> None:
    got: list[lif_rules.PolicyPack] = []
    barrier = threading.Barrier(8)

    def worker() -> None:
        barrier.wait()
        got.append(lif_rules.load_pack(PACK_IDS[0]))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=60)
    assert len(got) == 8 and all(p is got[0] for p in got)


# -- pickling -------------------------------------------------------------------------------------
@pytest.mark.parametrize("pack_id", PACK_IDS)
def test_a_pickled_pack_answers_identically(pack_id: str) -> None:
    pack = fresh(pack_id)
    copy = pickle.loads(pickle.dumps(pack))
    assert isinstance(copy, lif_rules.PolicyPack)
    assert (copy.id, copy.reviews, copy.facts, copy.meetings) == (pack.id, pack.reviews, pack.facts, pack.meetings)
    for call in random_calls(pack, random.Random(pack_id), 400):
        assert run(copy, call) == run(pack, call), call
    bundled = lif_rules.load_pack(pack_id)
    again = pickle.loads(pickle.dumps(bundled, protocol=pickle.HIGHEST_PROTOCOL))
    assert again.decide({}).model_dump(mode="json") == bundled.decide({}).model_dump(mode="json")


def test_a_pickled_pack_does_not_need_its_files(tmp_path: Any) -> None:
    import shutil
    (tmp_path / "baselines").mkdir()
    shutil.copy(bundled_dir() / "baselines" / "national.yaml", tmp_path / "baselines" / "national.yaml")
    text = (bundled_dir() / "dudley.yaml").read_text(encoding="utf-8")
    (tmp_path / "local.yaml").write_text(text.replace("pack: dudley", "pack: local", 1), encoding="utf-8")
    pack = lif_rules.load_pack(tmp_path / "local.yaml")
    blob = pickle.dumps(pack)
    shutil.rmtree(tmp_path / "baselines")
    (tmp_path / "local.yaml").unlink()
    copy = pickle.loads(blob)
    assert copy.id == "local"
    for call in random_calls(pack, random.Random("local"), 100):
        assert run(copy, call) == run(pack, call), call


@pytest.mark.parametrize("pack_id", PACK_IDS)
def test_results_and_errors_pickle(pack_id: str) -> None:
    pack = lif_rules.load_pack(pack_id)
    for call in random_calls(pack, random.Random(pack_id + "!"), 50):
        name, args, kwargs = call
        result = getattr(pack, name)(*args, **kwargs)
        assert pickle.loads(pickle.dumps(result)).model_dump(mode="json") == result.model_dump(mode="json")
    with pytest.raises(lif_rules.FactError) as fact_error:
        pack.decide({"no_such_fact": True})
    again = pickle.loads(pickle.dumps(fact_error.value))
    assert (type(again), str(again), again.fact) == (lif_rules.FactError, str(fact_error.value), "no_such_fact")


def test_a_pack_error_pickles(tmp_path: Any) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("pack: bad\nfoo: [1\n", encoding="utf-8")
    with pytest.raises(lif_rules.PackError) as info:
        lif_rules.load_pack(path)
    again = pickle.loads(pickle.dumps(info.value))
    assert again.errors == info.value.errors and str(again) == str(info.value)


def decide_all(pack: lif_rules.PolicyPack, cases: list[dict[str, Any]]) -> list[Any]:
    """Run in a worker process: decide each case and return the JSON dumps."""
    return [pack.decide(facts).model_dump(mode="json") for facts in cases]


def test_a_spawned_pool_decides_like_the_parent() -> None:
    rng = random.Random(2026)
    jobs = []
    expected = []
    for pack_id in PACK_IDS:
        pack = fresh(pack_id)
        cases = [random_facts(pack, rng) for _ in range(40)]
        jobs += [(pack, cases[:20]), (pack, cases[20:])]
        expected += [decide_all(pack, cases[:20]), decide_all(pack, cases[20:])]
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        got = pool.starmap(decide_all, jobs)
    assert got == expected
