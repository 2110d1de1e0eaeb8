"""Every question in samples/*/expect.json: verdict, per-subnet verdicts, blocking component and code."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from reach import can_reach, load_snapshot
from reach.cli import app

from .conftest import sample_dirs


def questions():
    for folder in sample_dirs():
        expect = json.loads((folder / "expect.json").read_text())
        for i, q in enumerate(expect["questions"]):
            yield pytest.param(folder, q, id=f"{folder.name}-{i}-{q['source']}-{q['target']}")


@pytest.mark.parametrize("folder,q", list(questions()))
def test_sample_question(folder, q):
    answer = can_reach(load_snapshot(folder / "snapshot.json"), q["source"], q["target"],
                       actions=q.get("actions"))
    assert answer.verdict.value == q["verdict"], q.get("why")
    if "permission" in q:
        _check_permission(answer, q["permission"])
    if q.get("blocked_by"):
        first = next(p.blocked_by for p in answer.paths if p.blocked_by)
        assert (first.code, first.component_id) == (q["blocked_by"]["code"],
                                                    q["blocked_by"]["component_id"])
    six = q.get("ipv6")
    # `internet` from a dual-stack function also answers over IPv6 (1.23); from others it does not.
    assert (answer.ipv6 is not None) == (six is not None), q.get("why")
    if six:
        assert answer.ipv6.verdict.value == six["verdict"], q.get("why")
        if six.get("blocked_by"):
            first = next(p.blocked_by for p in answer.ipv6.paths if p.blocked_by)
            assert (first.code, first.component_id) == (six["blocked_by"]["code"],
                                                        six["blocked_by"]["component_id"])
    for subnet_id, expected in (q.get("paths") or {}).items():
        path = next(p for p in answer.paths if p.subnet_id == subnet_id)
        assert path.verdict.value == expected["verdict"], subnet_id
        if expected.get("blocked_by"):
            assert (path.blocked_by.code, path.blocked_by.component_id) == (
                expected["blocked_by"]["code"], expected["blocked_by"]["component_id"])


def _check_permission(answer, expected):
    """The permission half: its verdict, and per action the verdict and the deciding statements."""
    if expected is None:
        assert answer.permission is None
        assert "NETWORK_ONLY" in {n["code"] for n in answer.notes}
        return
    got = answer.permission.to_dict()
    assert got["verdict"] == expected["verdict"]
    actions = {a["action"]: a for a in got["actions"]}
    assert set(actions) == set(expected["actions"])
    for name, want in expected["actions"].items():
        a = actions[name]
        assert a["verdict"] == want["verdict"], name
        deciders = {(d["policy"], d["sid"]) for d in a["decided_by"]}
        assert {tuple(d) for d in want.get("decided_by", [])} <= deciders, name
        if "decided_by" in want and not want["decided_by"]:
            assert not deciders, name
        assert a.get("not_allowed_by", []) == want.get("not_allowed_by", a.get("not_allowed_by", [])), name


def test_every_sample_has_questions():
    assert len(sample_dirs()) >= 3
    for folder in sample_dirs():
        assert json.loads((folder / "expect.json").read_text())["questions"], folder.name


@pytest.mark.parametrize("folder,q", list(questions())[:12])
def test_cli_json_matches_the_contract_shape(folder, q):
    result = CliRunner().invoke(app, ["can", q["source"], q["target"], "--snapshot",
                                      str(folder / "snapshot.json"), "--format", "json"])
    assert result.exit_code == (0 if q["verdict"] == "reachable" else 1)
    out = json.loads(result.stdout)
    assert set(out) >= {"source", "target", "verdict", "paths"}
    assert out["verdict"] == q["verdict"]
    assert set(out["target"]) == {"spec", "kind", "protocol", "port"}
    assert set(out["source"]) >= {"function", "arn", "vpc_id", "region"}
    for p in out["paths"]:
        assert set(p) >= {"subnet_id", "availability_zone", "eni", "verdict", "hops", "blocked_by"}
        assert p["verdict"] in ("reachable", "unreachable", "unknown")
        for h in p["hops"]:
            # Contract §2.1 fields, then the typed ones (issue 10): hops may gain fields.
            assert set(h) == {"component_id", "kind", "decision", "detail", "direction", "refs", "rule"}
            assert h["direction"] in ("outbound", "reply") and h["refs"][0] == h["component_id"]
        if p["blocked_by"]:
            assert set(p["blocked_by"]) == {"component_id", "kind", "code", "reason", "fix"}


def test_text_leads_with_the_verdict_then_blockers_then_fix(tmp_path):
    folder = next(f for f in sample_dirs() if f.name == "categram")
    result = CliRunner().invoke(app, ["can", "misplaced", "internet", "--snapshot",
                                      str(folder / "snapshot.json")])
    lines = result.stdout.splitlines()
    assert result.exit_code == 1
    assert lines[0].startswith("UNREACHABLE")
    assert "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS" in lines[1]
    assert lines.index("fix") > lines.index(next(line for line in lines if line.startswith("path")))


@pytest.mark.parametrize("args,message", [
    (["can", "nope", "internet"], "unknown function"),
    (["can", "api", "rds:nope"], "unknown target"),
    (["can", "api", "ftp://x"], "unknown target"),
    (["can", "api", "10.0.0.300:80"], "not an IPv4 address"),
    (["can", "api", "internet:70000"], "port"),
    (["can", "api"], "missing TARGET"),
])
def test_bad_sources_and_targets_exit_2_with_one_line(args, message):
    folder = next(f for f in sample_dirs() if f.name == "categram")
    result = CliRunner().invoke(app, [*args, "--snapshot", str(folder / "snapshot.json")])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr
