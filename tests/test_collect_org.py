"""`reach collect --accounts/--org` against an organisation in moto (server mode, 127.0.0.1)."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import boto3
import pytest
from typer.testing import CliRunner

from reach import load_snapshot, parse_snapshot
from reach.cli import app
from reach.collect import IAM_ACTIONS, org as org_module
from reach.collect.calls import ASSUME_ROLE, LIST_ACCOUNTS, iam_action
from reach.collect.layout import complete, write_account
from reach.collect.many import collect_accounts
from reach.collect.org import Account, parse_account_ids

from .collect_estate import fake_aws, moto_server, set_auth
from .org_estate import MANAGEMENT, REGION, ROLE, build_org
from .test_collect import _moto_signs_get_requests, _reach

runner = CliRunner()


@pytest.fixture(scope="module")
def moto_org():
    """A moto server on 127.0.0.1 holding the organisation; IAM enforced while collecting."""
    with fake_aws(), moto_server() as endpoint:
        yield endpoint, build_org(endpoint)


@pytest.fixture
def enforced(moto_org, monkeypatch):
    """moto enforcing IAM, and the environment holding the auditor's keys (the first hop)."""
    endpoint, org = moto_org
    _moto_signs_get_requests(monkeypatch)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", org.keys["aws_access_key_id"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", org.keys["aws_secret_access_key"])
    monkeypatch.delenv("AWS_SESSION_TOKEN")
    monkeypatch.delenv("AWS_SECURITY_TOKEN")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    set_auth(endpoint, 0)
    try:
        yield endpoint, org
    finally:
        set_auth(endpoint, float("inf"))


def _cli(*args: str):
    return runner.invoke(app, ["collect", *args])


def _accounts(data: dict) -> dict[str, dict]:
    return {a["AccountId"]: a["Regions"] for a in data["Accounts"]}


def _recorded(monkeypatch) -> tuple[boto3.Session, list[str]]:
    """The first hop's session, and every call it and the sessions assumed from it make."""
    calls: list[str] = []

    def record(model, **_):
        calls.append(iam_action(model.service_model.signing_name, model.name))
    session = boto3.Session(region_name=REGION)
    session.events.register("before-call", record)
    assume = org_module.assume

    def assume_and_record(*args, **kwargs):
        target = assume(*args, **kwargs)
        target.events.register("before-call", record)
        return target
    monkeypatch.setattr("reach.collect.many.assume", assume_and_record)
    return session, calls


# ---------------------------------------------------------------- --accounts

@pytest.fixture
def by_accounts(enforced, tmp_path):
    endpoint, org = enforced
    out = tmp_path / "org.json"
    result = _cli("--accounts", f"{org.network},{org.payments}", "--accounts", org.reports,
                  "--accounts", org.locked, "--role-name", ROLE, "--region", REGION,
                  "--endpoint-url", endpoint, "-o", str(out))
    return result, out, org


def test_accounts_are_collected_and_the_unassumable_one_is_a_gap(by_accounts):
    result, out, org = by_accounts
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text())
    accounts = _accounts(data)
    assert list(accounts) == sorted(org.members)
    for account in (org.network, org.payments, org.reports):
        assert accounts[account][REGION]["Gaps"] == [], account
    (gap,) = accounts[org.locked][REGION]["Gaps"]
    assert (gap["Service"], gap["Call"], gap["Region"]) == ("sts", "AssumeRole", REGION)
    assert gap["Error"].startswith(f"arn:aws:iam::{org.locked}:role/{ROLE}: AccessDenied")
    assert all(items == [] for key, items in accounts[org.locked][REGION].items() if key != "Gaps")
    warning = [line for line in result.stderr.splitlines() if org.locked in line]
    assert len(warning) == 1 and warning[0].startswith(f"reach: warning: account {org.locked} was not")
    # Each account holds its own objects.
    vpcs = lambda account: {v["VpcId"] for v in accounts[account][REGION]["Vpcs"]}  # noqa: E731
    assert org.network_vpc in vpcs(org.network) and org.reports_vpc in vpcs(org.reports)
    assert {f["FunctionName"] for f in accounts[org.payments][REGION]["Functions"]} == {"payments"}
    groups = {g["GroupId"]: g for g in accounts[org.payments][REGION]["SecurityGroups"]}
    assert groups[org.payments_sg]["VpcId"] == org.network_vpc  # B's group in A's VPC
    assert groups[org.payments_sg]["OwnerId"] == org.payments


def test_the_snapshot_loads_with_every_account(by_accounts):
    _, out, org = by_accounts
    snap = load_snapshot(out)
    assert sorted({rs.account_id for rs in snap.regions}) == sorted(org.members)
    assert [(g.service, g.call) for g in snap.gaps] == [("sts", "AssumeRole")]
    assert snap.get("Subnets", org.shared_subnet).owner_id == org.network


def test_cross_account_questions(by_accounts):
    """payments (application account) runs in the network account's shared subnet: its path is
    the network account's route table, NACL, NAT gateway and endpoint, behind its own group.
    reports reaches the network account's database through a cross-account peering."""
    from reach import can_reach
    _, out, org = by_accounts
    snap = load_snapshot(out)
    for target, through in (("internet", org.nat), ("dynamodb", org.endpoint)):
        answer = can_reach(snap, "payments", target).to_dict()
        assert answer["verdict"] == "reachable", answer
        (path,) = answer["paths"]
        hops = [h["component_id"] for h in path["hops"]]
        assert hops[0] == org.payments_sg
        assert {org.private_rtb, org.nacl, through} <= set(hops)
    answer = can_reach(snap, "reports", "rds:ledger").to_dict()
    assert answer["verdict"] == "reachable", answer
    assert org.peering in [h["component_id"] for h in answer["paths"][0]["hops"]]


def test_calls_made_are_in_the_policy(enforced, monkeypatch):
    endpoint, org = enforced
    session, calls = _recorded(monkeypatch)
    found, _ = org_module.list_organisation(session, endpoint_url=endpoint)
    collect_accounts(session, found, role_name=ROLE, regions=[REGION], endpoint_url=endpoint)
    made = set(calls)
    assert made <= set(IAM_ACTIONS), made - set(IAM_ACTIONS)
    assert {ASSUME_ROLE.action, LIST_ACCOUNTS.action} <= made


# ---------------------------------------------------------------- --org

def test_org_lists_active_accounts_and_skips_suspended(enforced, tmp_path):
    endpoint, org = enforced
    out = tmp_path / "org.json"
    result = _cli("--org", "--role-name", ROLE, "--region", REGION, "--endpoint-url", endpoint,
                  "-o", str(out))
    assert result.exit_code == 0, result.output
    accounts = _accounts(json.loads(out.read_text()))
    assert set(accounts) == {MANAGEMENT, *org.members}
    assert org.suspended not in accounts
    assert [g["Call"] for g in accounts[org.locked][REGION]["Gaps"]] == ["AssumeRole"]


def test_org_is_paged(enforced, monkeypatch):
    """ListAccounts is read page by page, however small the pages."""
    endpoint, org = enforced
    from reach.collect import get
    fetch = get.fetch

    def small_pages(client, call, **params):
        if call is LIST_ACCOUNTS:
            pages = client.get_paginator(call.method).paginate(PaginationConfig={"PageSize": 2})
            return [item for page in pages for item in page["Accounts"]]
        return fetch(client, call, **params)
    monkeypatch.setattr(org_module, "fetch", small_pages)
    found, skipped = org_module.list_organisation(boto3.Session(), endpoint_url=endpoint)
    assert [a.account_id for a in found] == sorted([MANAGEMENT, *org.members])
    assert [(s.account_id, s.status) for s in skipped] == [(org.suspended, "SUSPENDED")]


def test_org_refused_is_exit_2(moto_org):
    endpoint, org = moto_org
    set_auth(endpoint, 0)
    try:
        with pytest.MonkeyPatch.context() as mp:
            iam_user_without_rights(mp, endpoint)
            result = _cli("--org", "--role-name", ROLE, "--region", REGION,
                          "--endpoint-url", endpoint, "-o", "-")
    finally:
        set_auth(endpoint, float("inf"))
    assert result.exit_code == 2
    # moto answers this JSON-protocol refusal in XML, so botocore reads the code as "403".
    assert result.stderr.startswith("reach: --org: organizations:ListAccounts was refused (")
    assert "AccessDenied" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def iam_user_without_rights(mp: pytest.MonkeyPatch, endpoint: str) -> None:
    iam = boto3.client("iam", endpoint_url=endpoint, aws_access_key_id="testing",
                       aws_secret_access_key="testing")
    set_auth(endpoint, float("inf"))
    try:
        iam.create_user(UserName="nobody-special")
    except iam.exceptions.EntityAlreadyExistsException:
        pass
    key = iam.create_access_key(UserName="nobody-special")["AccessKey"]
    set_auth(endpoint, 0)
    mp.setenv("AWS_ACCESS_KEY_ID", key["AccessKeyId"])
    mp.setenv("AWS_SECRET_ACCESS_KEY", key["SecretAccessKey"])
    mp.delenv("AWS_SESSION_TOKEN", raising=False)
    mp.delenv("AWS_SECURITY_TOKEN", raising=False)


def test_nothing_collected_is_exit_2(enforced, tmp_path):
    endpoint, org = enforced
    out = tmp_path / "org.json"
    result = _cli("--accounts", org.locked, "--role-name", ROLE, "--region", REGION,
                  "--endpoint-url", endpoint, "-o", str(out))
    assert result.exit_code == 2
    assert "no account could be collected" in result.stderr and "AccessDenied" in result.stderr
    assert not out.exists()


# ---------------------------------------------------------------- --output DIR and --resume

def test_directory_output_reads_back_and_resumes(enforced, tmp_path):
    endpoint, org = enforced
    out = tmp_path / "org"
    args = ["--accounts", ",".join(org.members), "--role-name", ROLE, "--region", REGION,
            "--endpoint-url", endpoint, "-o", f"{out}/"]
    first = _cli(*args)
    assert first.exit_code == 0, first.output
    layout = sorted(str(p.relative_to(out)) for p in out.rglob("Vpcs.json"))
    assert layout == sorted(f"accounts/{a}/{REGION}/Vpcs.json" for a in org.members)
    assert not [p for p in (out / "accounts").iterdir() if p.name.startswith(".")]
    from_dir = load_snapshot(out)
    from_file = parse_snapshot(json.loads(_cli(*args[:-2], "-o", "-").stdout))
    assert sorted((rs.account_id, rs.region) for rs in from_dir.regions) == sorted(
        (rs.account_id, rs.region) for rs in from_file.regions)
    assert set(from_dir.index["Functions"]) == set(from_file.index["Functions"])
    assert complete(out, org.network, [REGION]) and not complete(out, org.locked, [REGION])

    marker = out / "accounts" / org.network / REGION / "Vpcs.json"
    before = marker.stat().st_mtime_ns
    again = _cli(*args[:-1], str(out), "--resume")
    assert again.exit_code == 0, again.output
    assert marker.stat().st_mtime_ns == before  # complete: not read again
    assert not complete(out, org.locked, [REGION])  # still refused: tried again, still a gap
    assert f"account {org.locked} was not collected" in again.stderr


def test_an_account_is_written_whole_or_not_at_all(tmp_path, monkeypatch):
    (tmp_path / "accounts").mkdir()
    write_account(tmp_path, "111122223333", {"us-east-1": {"Vpcs": [{"VpcId": "vpc-1"}], "Gaps": []}})

    def interrupted(src, dst):
        raise KeyboardInterrupt
    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_account(tmp_path, "111122223333", {"us-east-1": {"Vpcs": [], "Gaps": []}})
    monkeypatch.undo()
    assert [p.name for p in (tmp_path / "accounts").iterdir()] == ["111122223333"]
    assert load_snapshot(tmp_path).index["Vpcs"].keys() == {"vpc-1"}


# ---------------------------------------------------------------- options that do not apply

@pytest.mark.parametrize("args, message", [
    (["--accounts", "111122223333"], "--accounts needs --role-name"),
    (["--org"], "--org needs --role-name"),
    (["--org", "--accounts", "111122223333", "--role-name", "R"], "not both"),
    (["--role-name", "R"], "--role-name applies only with --accounts or --org"),
    (["--external-id", "x"], "--external-id applies only with --accounts or --org"),
    (["--resume", "-o", "x.json"], "--resume applies only with"),
    (["--accounts", "111122223333", "--role-name", "R", "--resume", "-o", "-"], "--resume applies only"),
    (["--accounts", "12345", "--role-name", "R"], "'12345' is not an AWS account id"),
    (["--accounts", "111122223333", "--role-name", "arn:aws:iam::1:role/R"], "not an IAM role name"),
    (["--accounts", "111122223333", "--role-name", "R", "--all-regions", "--region", "us-east-1"],
     "not both"),
])
def test_options_that_do_not_apply_are_refused(moto_org, args, message):
    result = _cli(*args, "--endpoint-url", moto_org[0])
    assert result.exit_code == 2, result.output
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_account_ids_are_parsed():
    assert parse_account_ids(["111122223333, 444455556666", "111122223333"]) == [
        Account("111122223333"), Account("444455556666")]


def test_as_a_subprocess_prints_only_warnings(enforced, tmp_path):
    endpoint, org = enforced
    out = tmp_path / "org.json"
    env = {**os.environ, "CI": "true"}
    run = subprocess.run([*_reach(), "collect", "--accounts", f"{org.payments},{org.locked}",
                          "--role-name", ROLE, "--region", REGION, "--endpoint-url", endpoint,
                          "-o", str(out)], env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout == ""
    assert run.stderr.splitlines() == [line for line in run.stderr.splitlines()
                                       if line.startswith("reach: warning: account ")]
    assert len(run.stderr.splitlines()) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["org.json"]
    assert "not-stored-1" not in Path(out).read_text()


def test_one_account_to_a_directory(moto_org, tmp_path):
    endpoint, org = moto_org
    out = tmp_path / "one"
    result = _cli("--region", REGION, "--endpoint-url", endpoint, "-o", f"{out}/")
    assert result.exit_code == 0, result.output
    names = {p.name for p in (out / "accounts" / MANAGEMENT / REGION).iterdir()}
    assert {"Vpcs.json", "Functions.json", "Gaps.json"} <= names
    snap = load_snapshot(out)
    assert [(rs.account_id, rs.region) for rs in snap.regions] == [(MANAGEMENT, REGION)]
