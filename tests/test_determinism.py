"""Results do not depend on hash randomisation, and come in the pack's order.

The same cases are decided, scheduled and checked for quorum in fresh interpreters with
different ``PYTHONHASHSEED`` values; the JSON they print must be byte-for-byte identical.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import date
from typing import Any

import pytest

import lif_rules

SEEDS = ["0", "1", "12345"]
PACK_IDS = lif_rules.available_packs()

SCRIPT = textwrap.dedent('''
    import itertools, json, os, random, sys, tempfile
    from datetime import date, timedelta
    import lif_rules

    def out(kind, pack, key, model):
        sys.stdout.write(json.dumps([kind, pack, key, model.model_dump(mode="json")]) + "\\n")

    for pack_id in lif_rules.available_packs():
        pack = lif_rules.load_pack(pack_id)
        facts = pack.compiled.facts
        rng = random.Random(pack_id)
        cases = [{}]
        cases += [{f.name: v} for f in facts for v in f.values]
        cases += [{f.name: rng.choice(f.values) for f in facts if rng.random() < 0.5} for _ in range(60)]
        cases += [{f.name: rng.choice(f.values) for f in facts} for _ in range(30)]
        cases.append({"subject": "child", "died": True, "abuse_or_neglect": "suspected"})
        cases.append({"subject": "adult", "died": False, "seriously_harmed": True, "abuse_or_neglect": "known",
                      "care_and_support_needs": True, "concern_about_joint_working": True})
        for n, case in enumerate(cases):
            out("decide", pack_id, n, pack.decide(case))
            out("decide_as_of", pack_id, n, pack.decide(case, as_of=date(2016, 1, 1)))
            for review in pack.reviews:
                out("decide_one", pack_id, [n, review], pack.decide(case, review=review))
        try:
            pack.decide({"no_such_fact": True})
        except lif_rules.FactError as e:
            sys.stdout.write(json.dumps(["fact_error", pack_id, str(e)]) + "\\n")
        for review in pack.reviews:
            rules = pack.compiled.reviews[review].milestones
            if not rules:
                continue
            for start in (date(2026, 12, 18), date(2022, 5, 27), date(2027, 8, 31)):
                out("schedule", pack_id, [review, start.isoformat()],
                    pack.schedule(review, start=start, today=start + timedelta(days=20)))
                ids = [m.id for m in rules if not m.start and m.every is None]
                actual = {m: start + timedelta(days=10 + 3 * i) for i, m in enumerate(ids) if i % 2 == 0}
                out("schedule_actual", pack_id, [review, start.isoformat()],
                    pack.schedule(review, start=start, actual=actual, today=start + timedelta(days=10 + 3 * len(ids))))
        roles = [b for r in pack.compiled.roles.values() for b in (r.id, *(p[0] for p in r.predecessors))]
        for meeting in pack.meetings:
            for k in range(len(roles) + 1):
                for people in itertools.combinations(roles + ["probation", "education"], k):
                    for on in (date(2022, 6, 30), date(2022, 7, 1), date(2026, 3, 2)):
                        out("quorum", pack_id, [meeting, list(people), on.isoformat()],
                            pack.check_quorum(meeting, attendees=list(people), on=on))

    # a pack with many problems: their order and wording
    text = open(os.path.join(os.path.dirname(lif_rules.__file__), "..", "policies", "dudley.yaml")).read()
    for old, new in [("when: sar_duty", "when: sar_dutty and subject == childs"),
                     ("each_of: [local_authority, police, icb]", "each_of: [local_authorty, police, icb, nhs]"),
                     ("earliest: {after: referral_received, working_days: 7}",
                      "earliest: {after: national_panel_informed, working_days: 7}"),
                     ("reviews:", "colour: blue\\nreviews:")]:
        text = text.replace(old, new, 1)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "broken.yaml")
        with open(path, "w") as f:
            f.write(text)
        try:
            lif_rules.load_pack(path)
        except lif_rules.PackError as e:
            sys.stdout.write(json.dumps(["pack_error", [str(p).replace(folder, "") for p in e.errors]]) + "\\n")
''')


def run_with_seed(seed: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    return subprocess.Popen([sys.executable, "-c", SCRIPT], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


@pytest.fixture(scope="module")
def outputs() -> dict[str, bytes]:
    procs = {seed: run_with_seed(seed) for seed in SEEDS}
    got = {}
    for seed, proc in procs.items():
        stdout, stderr = proc.communicate(timeout=120)
        assert proc.returncode == 0, stderr.decode(errors="replace")
        got[seed] = stdout
    return got


def test_outputs_are_identical_across_hash_seeds(outputs: dict[str, bytes]) -> None:
    first = outputs[SEEDS[0]]
    assert first.count(b"\n") > 100
    for pack_id in PACK_IDS:
        assert f'"decide", "{pack_id}"'.encode() in first
    for seed in SEEDS[1:]:
        if outputs[seed] != first:
            a, b = first.splitlines(), outputs[seed].splitlines()
            diff = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            pytest.fail(f"PYTHONHASHSEED={seed} differs from {SEEDS[0]} at line {diff + 1}:\n"
                        f"{a[diff][:400] if diff < len(a) else '<end>'!r}\n{b[diff][:400] if diff < len(b) else '<end>'!r}")


def test_every_bundled_pack_has_quorum_or_schedule_output(outputs: dict[str, bytes]) -> None:
    first = outputs[SEEDS[0]]
    assert b'["pack_error", ["' in first
    for pack_id in PACK_IDS:
        pack = lif_rules.load_pack(pack_id)
        if any(pack.compiled.reviews[r].milestones for r in pack.reviews):
            assert f'"schedule", "{pack_id}"'.encode() in first
        if pack.meetings:
            assert f'"quorum", "{pack_id}"'.encode() in first


# -- order ----------------------------------------------------------------------------------------
def cases_for(pack: lif_rules.PolicyPack) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = [{}]
    out += [{f.name: v} for f in pack.compiled.facts for v in f.values]
    facts = pack.compiled.facts
    out += [{f.name: f.values[(i + k) % len(f.values)] for i, f in enumerate(facts) if (i + k) % 3} for k in range(9)]
    return out


@pytest.mark.parametrize("pack_id", PACK_IDS)
def test_outcomes_follow_the_pack_review_order_and_missing_its_fact_order(pack_id: str) -> None:
    pack = lif_rules.load_pack(pack_id)
    position = {name: i for i, name in enumerate(pack.facts)}
    for case in cases_for(pack):
        for d in (pack.decide(case), pack.decide(case, as_of=date(2026, 1, 1))):
            assert list(d.outcomes) == pack.reviews
            assert list(d.model_dump(mode="json")["outcomes"]) == pack.reviews
            for o in d.outcomes.values():
                assert [position[f] for f in o.missing] == sorted(position[f] for f in o.missing), (o.review, o.missing)
                assert len(set(o.missing)) == len(o.missing)
            for n in d.possible_notifications:
                assert [position[f] for f in n.missing] == sorted(position[f] for f in n.missing), (n.id, n.missing)
            order = list(pack.compiled.notifications)
            ids = [n.id for n in d.notifications]
            assert ids == sorted(ids, key=order.index)
        for review in pack.reviews:
            assert list(pack.decide(case, review=review).outcomes) == [review]


@pytest.mark.parametrize("pack_id", PACK_IDS)
def test_facts_given_in_any_order_decide_the_same(pack_id: str) -> None:
    pack = lif_rules.load_pack(pack_id)
    for case in cases_for(pack):
        forward = pack.decide(case).model_dump(mode="json")
        backward = pack.decide(dict(reversed(list(case.items())))).model_dump(mode="json")
        assert forward == backward
