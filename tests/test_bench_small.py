"""The benchmark's generator and a tiny estate audited end to end: correctness only, never speed."""
from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys

import pytest

from bench.generate import SIZES, generate
from reach import can_reach, parse_snapshot
from reach.questions.audit import audit

from .conftest import ROOT

workers_module = importlib.import_module("reach.questions.workers")


def test_generator_is_seeded_and_reproducible():
    assert json.dumps(generate(SIZES["XS"], seed=3)) == json.dumps(generate(SIZES["XS"], seed=3))
    assert json.dumps(generate(SIZES["XS"], seed=3)) != json.dumps(generate(SIZES["XS"], seed=4))


def test_more_functions_over_the_same_combinations():
    few, many = generate(SIZES["XS"], functions=20), generate(SIZES["XS"], functions=200)
    combos = lambda e: {(tuple(f["VpcConfig"]["SubnetIds"]), tuple(f["VpcConfig"]["SecurityGroupIds"]))
                        for f in e["Functions"] if "VpcConfig" in f}
    assert len(many["Functions"]) == 10 * len(few["Functions"])
    assert combos(many) == combos(few)


def test_tiny_estate_audits_consistently_with_can_reach():
    raw = generate(SIZES["XS"], seed=5)
    report = audit(parse_snapshot(raw))
    kinds = {a.target["kind"] for a in report.results}
    assert kinds == {"internet", "dynamodb", "s3", "rds"}
    assert len({a.source["function"] for a in report.results}) == len(raw["Functions"])
    fresh = parse_snapshot(raw)
    for a in report.results[::7]:
        assert a.to_dict() == can_reach(fresh, a.source["function"], a.target["spec"],
                                        network_only_note=False).to_dict()


def _record_workers(monkeypatch, tmp_path):
    """A file to which each forked audit worker writes its process id."""
    seen = tmp_path / "workers"
    real = workers_module._answer_share

    def recorded(*args):
        with open(seen, "a") as f:
            f.write(f"{os.getpid()}\n")
        return real(*args)
    monkeypatch.setattr(workers_module, "_answer_share", recorded)
    return seen


def test_two_jobs_give_the_same_answers(monkeypatch, tmp_path):
    raw = generate(SIZES["S"], seed=6)
    seen = _record_workers(monkeypatch, tmp_path)
    one = audit(parse_snapshot(raw), jobs=1)
    assert not seen.exists()
    two = audit(parse_snapshot(raw), jobs=2)
    workers = seen.read_text().split()
    assert len(workers) == 1 and workers[0] != str(os.getpid())  # a second process really answered part
    assert [a.to_dict() for a in one.results] == [a.to_dict() for a in two.results]
    assert one.warnings == two.warnings
    lean = audit(parse_snapshot(raw), jobs=2, hops=False)
    assert all(p.hops == [] for a in lean.results for p in a.paths)
    assert [a.to_dict(hops=False) for a in lean.results] == [a.to_dict(hops=False) for a in one.results]


def test_jobs_1_and_jobs_2_write_the_same_bytes(tmp_path):
    """`reach audit --jobs N` prints the same bytes for every N (json with and without hops, text)."""
    path = tmp_path / "S.json"
    path.write_text(json.dumps(generate(SIZES["S"], seed=2)))
    for extra in (["-f", "json"], ["-f", "json", "--hops"], []):
        outs = []
        for jobs in ("1", "2"):
            proc = subprocess.run([sys.executable, "-m", "reach", "audit", "-s", str(path), "--jobs", jobs,
                                   *extra], capture_output=True, cwd=ROOT, timeout=300)
            assert proc.returncode == 0, proc.stderr
            outs.append(proc.stdout)
        assert outs[0] == outs[1], extra
        assert len(outs[0]) > 10_000


def test_generated_organisation_shares_subnets_and_nothing_else_collides():
    from bench.org import account_id, generate_org
    raw = generate_org(3, "XS", seed=2)
    snap = parse_snapshot(raw)
    per_account = {}
    for rs in snap.regions:
        for key in ("Vpcs", "Subnets", "SecurityGroups", "NetworkInterfaces", "RouteTables"):
            for item in getattr(rs, {"Vpcs": "vpcs", "Subnets": "subnets", "SecurityGroups": "security_groups",
                                     "NetworkInterfaces": "network_interfaces",
                                     "RouteTables": "route_tables"}[key]):
                per_account.setdefault(item.model_dump(by_alias=True).get(
                    {"Vpcs": "VpcId", "Subnets": "SubnetId", "SecurityGroups": "GroupId",
                     "NetworkInterfaces": "NetworkInterfaceId", "RouteTables": "RouteTableId"}[key]),
                    set()).add(rs.account_id)
    shared = {rid for rid, accounts in per_account.items() if len(accounts) > 1}
    network_vpc = raw["Accounts"][0]["Regions"]["us-east-1"]["Vpcs"][0]["VpcId"]
    assert network_vpc in shared and len(shared) == 3  # the VPC and its two shared subnets
    report = audit(snap)
    accounts = {a.source["account_id"] for a in report.results}
    assert accounts == {account_id(k) for k in range(3)}
    moved = [a for a in report.results if a.source["account_id"] == account_id(1)
             and a.source["vpc_id"] == network_vpc]
    assert moved and {a.target["kind"] for a in moved} >= {"internet", "dynamodb", "s3"}


def test_the_cold_question_profile_runs():
    """bench/cold.py (docs/performance.md, "A cold reach can") prints every phase; no time asserted."""
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "cold.py"),
                          str(ROOT / "samples" / "categram" / "snapshot.json"), "api", "dynamodb"],
                         capture_output=True, text=True, check=True, cwd=ROOT).stdout
    for phase in ("CLI, typer, pydantic", "reach's models", "the engine", "loading", "the estate",
                  "the question", "the JSON", "total"):
        assert phase in out


def test_the_audit_profile_runs_and_writes_the_audits_json(tmp_path):
    """bench/audit_phases.py (docs/performance.md, "What is left") times every phase and writes
    the same JSON as `reach audit -f json`; no time asserted."""
    snap = ROOT / "samples" / "categram" / "snapshot.json"
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "audit_phases.py"), str(snap), "--jobs", "1"],
                          capture_output=True, text=True, check=True, cwd=ROOT)
    for phase in ("imports", "loading", "the walks", "ENI permission warnings", "JSON written", "total"):
        assert phase in proc.stderr
    cli = subprocess.run([sys.executable, "-m", "reach", "audit", "-s", str(snap), "-f", "json"],
                         capture_output=True, text=True, cwd=ROOT)
    assert json.loads(proc.stdout) == json.loads(cli.stdout)


def test_a_workers_error_is_raised_in_the_parent_without_a_traceback_of_its_own(monkeypatch, capfd):
    raw = generate(SIZES["S"], seed=6)
    parent, real = os.getpid(), workers_module._answer_chunk

    def failing(*args):
        if os.getpid() != parent:
            raise ValueError("the worker's own error")
        return real(*args)
    monkeypatch.setattr(workers_module, "_answer_chunk", failing)
    try:
        audit(parse_snapshot(raw), jobs=2)
    except ValueError as error:
        assert str(error) == "the worker's own error"
    else:
        raise AssertionError("the worker's error was not raised")
    assert "Traceback" not in capfd.readouterr().err


def test_the_audit_cpu_measure_runs_on_a_checkout():
    """bench/audit_cpu.py (docs/performance.md, the walk's steps) times audit() alone; no time asserted."""
    snap = ROOT / "samples" / "categram" / "snapshot.json"
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "audit_cpu.py"), str(snap), "--repeat", "1",
                          "--root", str(ROOT)], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    answers = len(audit(parse_snapshot(snap.read_text())).results)
    assert f"for {answers} answers" in out


def test_two_jobs_judge_every_role_for_the_eni_warnings_once_and_in_order(monkeypatch, tmp_path):
    """The ENI permission warnings (1.20) are cut over the processes like the questions: the same
    warnings, in the same order, as one process gives."""
    raw = generate(SIZES["S"], seed=6)
    eni_actions = ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DeleteNetworkInterface",
                   "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"]
    roles, lacking = [], []
    for n, fn in enumerate(raw["Functions"]):
        name = fn["Role"].rsplit("/", 1)[1]
        allowed = [] if n % 3 else [{"Effect": "Allow", "Action": eni_actions, "Resource": "*"}]
        if not allowed and "VpcConfig" in fn:
            lacking.append(fn["FunctionName"])
        roles.append({"RoleName": name, "Path": "/", "RoleId": f"AROA{n:017d}", "Arn": fn["Role"],
                      "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [
                          {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                           "Action": "sts:AssumeRole"}]},
                      "RolePolicyList": [{"PolicyName": "p", "PolicyDocument": {
                          "Version": "2012-10-17", "Statement": allowed or [
                              {"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*"}]}}],
                      "AttachedManagedPolicies": []})
    raw["RoleDetailList"] = roles
    seen = _record_workers(monkeypatch, tmp_path)
    one = audit(parse_snapshot(raw), jobs=1, hops=False)
    two = audit(parse_snapshot(raw), jobs=2, hops=False)
    assert len(seen.read_text().split()) == 1
    assert [w.component_id for w in one.warnings if w.code == "ROLE_LACKS_ENI_PERMISSIONS"] == sorted(lacking)
    assert len(lacking) > 20
    assert one.warnings == two.warnings


def test_the_pieces_of_an_audit_shrink_toward_its_end():
    """The last pieces are a third of the first: the process that takes the last one keeps the
    others waiting for less."""
    work = [(str(i), None, f"vpc-{i // 10}") for i in range(6400)]
    sizes = [len(p) for p in workers_module._pieces(work, 64)]
    assert sum(sizes) == len(work)
    assert all(a >= b for a, b in zip(sizes[::8], sizes[8::8]))
    assert sizes[0] >= 2.5 * sizes[-1]


@pytest.mark.parametrize("count", [1, 2, 3, 5, 8, 64])
def test_the_pieces_of_an_audit_are_its_questions_in_order_cut_between_vpcs_when_near(count):
    vpcs = "aaabbbbbbbbbbbbbbbbccdeeeeeeffffg" * 3
    work = [(str(i), None, v + str(i // 33)) for i, v in enumerate(vpcs)]
    pieces = workers_module._pieces(work, count)
    assert [q for p in pieces for q in p] == work and all(pieces)
    assert len(pieces) <= count
    run = len(work) // count // 4  # half the shortest run: the last ones are half the average
    for before, after in zip(pieces, pieces[1:]):
        if before[-1][2] == after[0][2]:  # cut inside a VPC only when no change was within half a run
            end = sum(len(p) for p in pieces[:pieces.index(after)])
            assert all(work[i][2] == work[i - 1][2] for i in range(end, min(end + run, len(work))))


@pytest.mark.parametrize("scp_effect,warned", [("Deny", True), ("Allow", False), (None, False)])
def test_without_roles_only_an_scp_can_decide_the_eni_actions(scp_effect, warned, monkeypatch):
    """A snapshot with no role of the account: the ENI actions (1.20) are unknown, which is not
    said per function, unless an SCP denies them (docs/semantics.md P1, P4): then every VPC
    function is warned. With neither roles nor SCPs no role is judged at all."""
    from reach.questions.enis import permissions as eni_permissions
    raw = generate(SIZES["XS"], seed=3)
    if scp_effect:
        statement = {"Effect": scp_effect, "Action": "ec2:CreateNetworkInterface", "Resource": "*"}
        allow_all = {"Effect": "Allow", "Action": "*", "Resource": "*"}
        raw["ServiceControlPolicies"] = [{"TargetId": "r-abcd", "TargetType": "ROOT", "Policies": [
            {"PolicySummary": {"Id": "p-eni", "Name": "eni"},
             "Content": json.dumps({"Statement": [allow_all, statement]})}]}]
    judged = []
    real = eni_permissions.judge_eni
    monkeypatch.setattr(eni_permissions, "judge_eni", lambda *a, **k: judged.append(a[1]) or real(*a, **k))
    report = audit(parse_snapshot(raw), hops=False)
    in_vpc = sorted(fn["FunctionName"] for fn in raw["Functions"] if fn.get("VpcConfig", {}).get("SubnetIds"))
    warned_about = sorted(w.component_id for w in report.warnings if w.code == "ROLE_LACKS_ENI_PERMISSIONS")
    assert warned_about == (in_vpc if warned else [])
    assert len(in_vpc) > 3
    assert len(judged) == (len(in_vpc) if scp_effect else 0)
