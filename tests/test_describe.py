"""``PolicyPack.describe()`` and ``load_packs``: what a pack says about itself, read back from the pack."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

import lif_rules
from lif_rules.pack import bundled_dir

from described_pack import AREA  # tests/ is on sys.path through its conftest


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


def test_a_pack_is_described_as_it_is_written(write_pack: Callable[..., str]) -> None:
    pack = lif_rules.load_pack(write_pack(AREA))
    d = pack.describe()
    assert (d.id, d.version, d.sha256) == ("area", "2.1", pack.sha256)
    assert d.document == lif_rules.DocumentDescription(
        title="Area Safeguarding Partnership Learning and Improvement Framework", short_title="Area LIF 2024",
        publisher="Area Safeguarding Partnership", source="area-lif-2024.txt", version="2.1", published=None,
        approved=date(2024, 3, 1), review_due=date(2026, 3, 31),
        in_force=lif_rules.InForce(from_date=date(2024, 4, 1), to_date=None),
        regime=["working_together_2023", "care_act_2014"])
    assert d.facts == [
        lif_rules.FactDescription(name="subject", type="enum", values=["child", "adult"],
                                  description="who the case is about"),
        lif_rules.FactDescription(name="died", type="bool", values=[True, False], description="the subject has died")]
    assert d.reviews == [
        lif_rules.ReviewDescription(id="rapid_review", name="Rapid review", legal_basis="statutory_guidance",
                                    decided_by="the safeguarding partners", citation="Area LIF 2024 s2", in_force=None,
                                    has_timetable=True, milestones=["referral_received", "meeting"]),
        lif_rules.ReviewDescription(id="audit", name="Case file audit", legal_basis="non_statutory",
                                    decided_by="the audit group", citation="Area LIF 2024 s5",
                                    in_force=lif_rules.InForce(from_date=date(2025, 1, 1), to_date=date(2025, 12, 31)),
                                    has_timetable=False, milestones=[])]
    assert d.notifications == [lif_rules.NotificationDescription(
        id="death_notice", name="Notice of a child's death", by="local authority", to=["Ofsted", "the partners"],
        deadline="within 5 working days", citation="Area LIF 2024 s3",
        in_force=lif_rules.InForce(from_date=date(2024, 6, 1), to_date=None))]
    assert d.roles == [
        lif_rules.RoleDescription(id="local_authority", name="the local authority", predecessors=[]),
        lif_rules.RoleDescription(id="health", name="the health partner", predecessors=[
            lif_rules.PredecessorDescription(id="ccg", name="the clinical commissioning group",
                                             until=date(2022, 6, 30))])]
    assert d.meetings == [lif_rules.MeetingDescription(
        id="rapid_review_meeting", name="Rapid review meeting", each_of=["local_authority", "health"], at_least=2,
        chair="local_authority", citation="Area LIF 2024 s2.4", note="remote attendance counts")]
    assert d.notes == [lif_rules.NoteDescription(about="reviews.rapid_review", ref="s2.3",
                                                 text="the document gives no unit; the pack reads working days")]


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
    text = (tmp_path / "dudley_copy.yaml").read_text(encoding="utf-8")
    assert (problem.path, problem.line) == ("$.pack", text.splitlines().index("pack: dudley") + 1)
    assert "pack id 'dudley' is also the id of" in problem.message


def test_load_packs_of_a_missing_folder_is_a_pack_error(tmp_path: Path) -> None:
    with pytest.raises(lif_rules.PackError, match="no such folder"):
        lif_rules.load_packs(tmp_path / "nowhere")
