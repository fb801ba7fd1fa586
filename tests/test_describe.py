"""``PolicyPack.describe()`` and ``load_packs``: what a pack says about itself, read back from the pack."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

import lif_rules
from lif_rules.pack import bundled_dir


@pytest.mark.parametrize("pack_id", lif_rules.available_packs())
def test_the_description_lists_exactly_what_the_pack_answers_to(pack_id: str) -> None:
    pack = lif_rules.load_pack(pack_id)
    d = pack.describe()
    assert (d.id, d.version, d.sha256) == (pack.id, pack.version, pack.sha256)
    assert [f.name for f in d.facts] == pack.facts
    assert [r.id for r in d.reviews] == pack.reviews
    assert [m.id for m in d.meetings] == pack.meetings
    assert all(r.citation and r.legal_basis and r.decided_by for r in d.reviews)
    assert type(d) is lif_rules.PackDescription
    assert lif_rules.PackDescription.model_validate(d.model_dump(mode="json")) == d


@pytest.mark.parametrize("pack_id", lif_rules.available_packs())
def test_each_review_with_a_timetable_lists_the_milestones_schedule_gives(pack_id: str) -> None:
    pack = lif_rules.load_pack(pack_id)
    for review in pack.describe().reviews:
        if not review.has_timetable:
            assert review.milestones == []
            with pytest.raises(LookupError):
                pack.schedule(review.id, start=date(2026, 3, 2))
            continue
        scheduled = {m.id for m in pack.schedule(review.id, start=date(2026, 3, 2))}
        # a recurring milestone is scheduled as <id>_1, <id>_2, ...
        assert {m for m in scheduled if m in review.milestones} | {m.rsplit("_", 1)[0] for m in scheduled
                                                                    if m not in review.milestones} \
            == set(review.milestones)


def test_dudley_described() -> None:
    d = lif_rules.load_pack("dudley").describe()
    assert d.document.short_title == "Dudley LIF 2020"
    assert d.document.approved == date(2021, 2, 23)
    assert d.document.in_force == lif_rules.InForce(from_date=date(2021, 2, 23), to_date=None)
    assert d.document.regime == ["working_together_2018", "care_act_2014"]
    facts = {f.name: f for f in d.facts}
    assert facts["abuse_or_neglect"].type == "enum"
    assert facts["abuse_or_neglect"].values == ["known", "suspected", "not_suspected"]
    assert facts["died"].values == [True, False]
    rapid = next(r for r in d.reviews if r.id == "rapid_review")
    assert rapid.milestones == ["referral_received", "scoping_requests_sent", "scoping_returned",
                                "rapid_review_meeting", "national_panel_informed"]
    assert rapid.in_force is None
    panel = next(n for n in d.notifications if n.id == "national_panel_notification")
    assert panel.in_force == lif_rules.InForce(from_date=date(2018, 6, 29), to_date=None)
    assert panel.by == "local authority"
    assert all(n.about and n.text for n in d.notes)


def test_roles_name_the_bodies_that_held_them_before() -> None:
    d = lif_rules.load_pack("dudley").describe()
    icb = next(r for r in d.roles if r.id == "icb")
    assert [(p.id, p.until) for p in icb.predecessors] == [("ccg", date(2022, 6, 30))]


def test_the_summary_is_the_packs_line_in_a_list() -> None:
    d = lif_rules.load_pack("stockport").describe()
    s = d.summary()
    assert (s.id, s.title, s.version, s.sha256, s.in_force) == (d.id, d.document.title, d.version, d.sha256,
                                                                d.document.in_force)
    assert s.reviews == [r.id for r in d.reviews]


def test_load_packs_without_a_folder_gives_the_bundled_packs() -> None:
    packs = lif_rules.load_packs()
    assert list(packs) == lif_rules.available_packs()
    assert all(packs[i] is lif_rules.load_pack(i) for i in packs)


def _copy(name: str, to: Path, *, as_name: str | None = None, text: Callable[[str], str] = lambda t: t) -> Path:
    target = to / (as_name or name)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text((bundled_dir() / name).read_text(encoding="utf-8")), encoding="utf-8")
    return target


def test_load_packs_reads_a_folder_and_skips_baselines_beside_the_packs(tmp_path: Path) -> None:
    _copy("dudley.yaml", tmp_path)
    _copy("stockport.yaml", tmp_path, as_name="sk.yml")
    _copy("baselines/national.yaml", tmp_path, as_name="national.yaml")  # beside them, not in baselines/
    packs = lif_rules.load_packs(tmp_path)
    assert sorted(packs) == ["dudley", "stockport"]
    assert packs["dudley"].sha256 == lif_rules.load_pack("dudley").sha256


def test_load_packs_reports_every_problem_of_every_file(tmp_path: Path) -> None:
    _copy("dudley.yaml", tmp_path, text=lambda t: t.replace("legal_basis: statutory_guidance", "legal_basis: law", 1))
    _copy("stockport.yaml", tmp_path, text=lambda t: t.replace("citation:", "citatoin:", 1))
    _copy("cumbria.yaml", tmp_path)
    with pytest.raises(lif_rules.PackError) as info:
        lif_rules.load_packs(tmp_path)
    files = {p.file for p in info.value.errors}
    assert files == {str(tmp_path / "dudley.yaml"), str(tmp_path / "stockport.yaml")}
    assert all(p.line > 1 for p in info.value.errors)


def test_two_files_with_one_pack_id_are_refused(tmp_path: Path) -> None:
    _copy("dudley.yaml", tmp_path)
    _copy("dudley.yaml", tmp_path, as_name="dudley_copy.yaml")
    with pytest.raises(lif_rules.PackError) as info:
        lif_rules.load_packs(tmp_path)
    [problem] = info.value.errors
    assert problem.file == str(tmp_path / "dudley_copy.yaml")
    assert (problem.path, problem.line) == ("$.pack", 5)
    assert "pack id 'dudley' is also the id of" in problem.message


def test_load_packs_of_a_missing_folder_is_a_pack_error(tmp_path: Path) -> None:
    with pytest.raises(lif_rules.PackError, match="no such folder"):
        lif_rules.load_packs(tmp_path / "nowhere")
