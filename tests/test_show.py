"""`reach show`: counts per account and region, functions in and out of a VPC, warnings."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from reach.cli import app

from .conftest import CORPUS, corpus_dirs, sample_dirs

runner = CliRunner()


@pytest.mark.parametrize("folder", corpus_dirs(), ids=lambda p: p.name)
def test_show_every_corpus_snapshot(folder):
    result = runner.invoke(app, ["show", "--snapshot", str(folder), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["regions"]


@pytest.mark.parametrize("folder", sample_dirs(), ids=lambda p: p.name)
def test_show_every_sample(folder):
    result = runner.invoke(app, ["show", "--snapshot", str(folder / "snapshot.json"), "-f", "json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    raw = json.loads((folder / "snapshot.json").read_text())
    region = summary["regions"][0]
    assert region["counts"]["Functions"] == len(raw.get("Functions", []))
    in_vpc = sorted(f["FunctionName"] if f.get("Version", "$LATEST") == "$LATEST"
                    else f"{f['FunctionName']}:{f['Version']}"
                    for f in raw.get("Functions", [])
                    if (f.get("VpcConfig") or {}).get("SubnetIds"))
    assert region["functions_in_vpc"] == in_vpc
    text = runner.invoke(app, ["show", "--snapshot", str(folder / "snapshot.json")])
    assert text.exit_code == 0 and "functions in a VPC" in text.stdout


def test_show_counts_and_functions(write_json):
    path = write_json({"AccountId": "111122223333", "Region": "us-east-1",
                       "Vpcs": [{"VpcId": "vpc-1"}],
                       "Functions": [{"FunctionName": "out"},
                                     {"FunctionName": "in", "VpcConfig": {"SubnetIds": ["subnet-x"],
                                                                          "SecurityGroupIds": []}}]})
    result = runner.invoke(app, ["show", "--snapshot", str(path), "--format", "json"])
    summary = json.loads(result.stdout)
    region = summary["regions"][0]
    assert (region["account_id"], region["region"]) == ("111122223333", "us-east-1")
    assert region["counts"]["Vpcs"] == 1 and region["counts"]["Functions"] == 2
    assert region["functions_in_vpc"] == ["in"] and region["functions_outside_vpc"] == ["out"]
    assert [w["missing_id"] for w in summary["warnings"]
            if w["code"] == "DANGLING_REFERENCE"] == ["subnet-x"]
    # No key at all for these kinds: said plainly, not only through dangling references.
    assert {w["field"] for w in summary["warnings"] if w["code"] == "MISSING_DATA"} == {
        "Subnets", "RouteTables", "SecurityGroups", "NetworkAcls"}


def test_verbose_lists_ignored_keys():
    result = runner.invoke(app, ["show", "--snapshot", str(CORPUS / "test-nat-gateway"), "--verbose"])
    assert result.exit_code == 0 and "ignored keys" in result.stdout


def test_snapshot_from_environment(monkeypatch):
    monkeypatch.setenv("REACH_SNAPSHOT", str(CORPUS / "test-subnet"))
    assert runner.invoke(app, ["show"]).exit_code == 0
