"""A walk that builds no hops (the audit without --hops) gives the same answers as one that does,
hops aside: the same verdicts, blockers, fixes and notes (contract §2.3)."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest

from bench.generate import SIZES, generate
from reach import can_reach, load_snapshot, parse_snapshot
from reach.questions.audit import audit

from .conftest import ROOT
from .scenarios.org_estate import A, B, C, network_peered, org, payments_account, reports_account

SAMPLES = sorted((ROOT / "samples").glob("*/snapshot.json"))


def _lean(answer) -> dict:
    return answer.to_dict(hops=False)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.parent.name)
def test_an_audit_without_hops_is_the_traced_audit_less_its_hops(sample: Path):
    traced = audit(load_snapshot(str(sample)), hops=True)
    lean = audit(load_snapshot(str(sample)), hops=False)
    assert [_lean(a) for a in lean.results] == [_lean(a) for a in traced.results]
    assert all(not p.hops for a in lean.results for p in a.paths)
    assert any(p.hops for a in traced.results for p in a.paths)


def test_a_generated_estate_audits_the_same_without_hops():
    raw = generate(SIZES["XS"], seed=11)
    traced = audit(parse_snapshot(copy.deepcopy(raw)), hops=True)
    lean = audit(parse_snapshot(raw), hops=False)
    assert [_lean(a) for a in lean.results] == [_lean(a) for a in traced.results]


@pytest.mark.parametrize("accounts,source,target,note_id", [
    # The owner of a shared subnet is not in the snapshot: named from the path's components.
    ([(B, payments_account())], "payments", "internet", "sn-priv"),
    # The peer's account is missing: the peer VPC, met at the peering hop, is named.
    ([(C, reports_account())], "reports", "10.0.3.10:5432", "vpc-a"),
])
def test_account_notes_of_an_unknown_path_do_not_need_its_hops(accounts, source, target, note_id):
    snap = org(*accounts)
    traced = can_reach(parse_snapshot(copy.deepcopy(snap)), source, target)
    lean = can_reach(parse_snapshot(copy.deepcopy(snap)), source, target, trace=False)
    assert lean.verdict == traced.verdict == "unknown"
    assert lean.notes == traced.notes
    assert any(n["code"] == "ACCOUNT_NOT_COLLECTED" and n["component_id"] == note_id for n in lean.notes)
    assert not lean.paths[0].hops and traced.paths[0].hops
    assert _lean(lean) == _lean(traced)


def test_the_same_question_traced_after_a_lean_one_still_has_its_hops():
    snap = parse_snapshot(org((A, network_peered()), (C, reports_account())))
    lean = can_reach(snap, "reports", "rds:db-1", trace=False)
    traced = can_reach(snap, "reports", "rds:db-1")  # the same estate, its walk memo warm
    assert lean.verdict == traced.verdict == "reachable"
    assert not lean.paths[0].hops
    assert "pcx-ac" in [h.component_id for h in traced.paths[0].hops]


def test_an_iam_question_keeps_the_endpoint_it_judges_by_without_hops():
    # reporter's DynamoDB path goes through a gateway endpoint whose policy refuses the audit table
    # (samples/permissions): the judgement reads that endpoint from the path's hops.
    snap = load_snapshot(str(ROOT / "samples" / "permissions" / "snapshot.json"))
    traced = can_reach(snap, "reporter", "dynamodb:audit")
    lean = can_reach(load_snapshot(str(ROOT / "samples" / "permissions" / "snapshot.json")), "reporter", "dynamodb:audit",
                     trace=False)
    assert _lean(lean) == _lean(traced)
    assert "vpce-0a9b8c7d6e5f4a351" in str(lean.to_dict()["permission"])
