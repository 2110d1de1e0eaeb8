"""The snapshot loader: every sample and corpus snapshot loads with the right counts and round-trips."""
from __future__ import annotations

import json
from collections import defaultdict

import pytest

from reach.model import RESOURCE_KEYS, dump_snapshot, load_snapshot
from reach.model.load import _read_file
from reach.model.snapshot import Snapshot

from .conftest import CORPUS, corpus_dirs, sample_dirs

# The id field of each key's raw items, for counting independently of the model.
RAW_IDS = {"Vpcs": "VpcId", "Subnets": "SubnetId", "RouteTables": "RouteTableId",
           "InternetGateways": "InternetGatewayId", "NatGateways": "NatGatewayId",
           "VpcEndpoints": "VpcEndpointId", "SecurityGroups": "GroupId",
           "NetworkAcls": "NetworkAclId", "PrefixLists": "PrefixListId",
           "NetworkInterfaces": "NetworkInterfaceId",
           "VpcPeeringConnections": "VpcPeeringConnectionId",
           "TransitGateways": "TransitGatewayId",
           "TransitGatewayAttachments": "TransitGatewayAttachmentId",
           "TransitGatewayVpcAttachments": "TransitGatewayAttachmentId",
           "TransitGatewayRouteTables": "TransitGatewayRouteTableId",
           "DBInstances": "DBInstanceIdentifier"}


def raw_ids(folder) -> dict[str, list]:
    """Every id per key, repeats kept, read straight from the JSON files with the json module."""
    ids: dict[str, list] = defaultdict(list)
    for path in folder.rglob("*.json"):
        data = json.loads(path.read_text())
        for key, items in data.items():
            if key in RAW_IDS and isinstance(items, list):
                target = "TransitGatewayAttachments" if key == "TransitGatewayVpcAttachments" else key
                ids[target] += [item[RAW_IDS[key]] for item in items]
    return ids


def roundtrip(snapshot: Snapshot) -> Snapshot:
    return Snapshot(regions=_read_file(json.dumps(dump_snapshot(snapshot)).encode(), "<dump>").parts)


@pytest.mark.parametrize("folder", corpus_dirs(), ids=lambda p: p.name)
def test_corpus_snapshot_loads_with_right_counts(folder):
    snapshot = load_snapshot(folder)
    # An id listed twice with different contents is dropped, with a warning (checks.py).
    dropped = defaultdict(set)
    for w in snapshot.warnings:
        if w.code == "DUPLICATE_ID":
            dropped[w.field].add(w.component_id)
    for key, ids in raw_ids(folder).items():
        assert all(ids.count(rid) > 1 for rid in dropped[key]), key
        assert set(snapshot.index[key]) == set(ids) - dropped[key], key
    assert snapshot.regions
    assert roundtrip(snapshot) == snapshot


def test_corpus_is_present_and_complete():
    assert len(corpus_dirs()) == 20, f"expected the 20 Batfish snapshots under {CORPUS}"


def test_corpus_layouts_give_accounts_and_regions():
    multi = load_snapshot(CORPUS / "test-vpc-peering-multi-account")
    assert {(r.account_id, r.region) for r in multi.regions} == {
        ("123456789012", "us-east-1"), ("123456789013", "us-east-1")}
    regions = load_snapshot(CORPUS / "pybatfish-hybrid-cloud")
    assert {r.region for r in regions.regions} == {"us-east-2", "us-west-2"}
    flat = load_snapshot(CORPUS / "test-nat-gateway")
    assert [r.region for r in flat.regions] == ["us-east-2"]  # inferred from the AZs
    assert [r.region for r in load_snapshot(CORPUS / "test-nat-gateway", region="eu-west-1").regions] \
        == ["eu-west-1"]


def test_batfish_wrappers_fold_into_tgw_tables_and_attachments():
    snap = load_snapshot(CORPUS / "unit-fixtures")
    table = snap.index["TransitGatewayRouteTables"]["tgw-rtb-08262a9ed03306288"]
    assert {p.transit_gateway_attachment_id for p in table.propagations} >= {
        "tgw-attach-07f5ec59e9f540021"}
    assert any(r.destination_cidr_block == "192.168.0.0/16" and r.state == "blackhole"
               for r in table.routes)


@pytest.mark.parametrize("folder", sample_dirs(), ids=lambda p: p.name)
def test_sample_loads_with_expected_counts(folder):
    snapshot = load_snapshot(folder / "snapshot.json")
    raw = json.loads((folder / "snapshot.json").read_text())
    parts = ([lists for a in raw["Accounts"] for lists in a["Regions"].values()]
             if "Accounts" in raw else [raw])  # §1.2 or §1.1
    for key in RESOURCE_KEYS:
        assert len(list(snapshot.items(key))) == sum(len(p.get(key, [])) for p in parts), key
    expect = json.loads((folder / "expect.json").read_text())
    for key, n in expect.get("counts", {}).items():
        assert len(list(snapshot.items(key))) == n, key
    assert roundtrip(snapshot) == snapshot


def test_multi_account_file_shape(write_json):
    path = write_json({"SnapshotVersion": 1, "Accounts": [
        {"AccountId": "111122223333", "Regions": {
            "us-east-1": {"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]},
            "eu-west-1": {"Vpcs": [{"VpcId": "vpc-2", "CidrBlock": "10.1.0.0/16"}]}}}]})
    snap = load_snapshot(path)
    assert {(r.account_id, r.region) for r in snap.regions} == {
        ("111122223333", "us-east-1"), ("111122223333", "eu-west-1")}
    assert snap.region_of("vpc-2") == "eu-west-1"
    assert roundtrip(snap) == snap


def test_dangling_references_are_warnings(write_json):
    path = write_json({"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}],
                       "Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1", "CidrBlock": "10.0.1.0/24"}],
                       "RouteTables": [{"RouteTableId": "rtb-1", "VpcId": "vpc-1", "Routes": [
                           {"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": "nat-gone"}]}],
                       "Functions": [{"FunctionName": "f", "VpcConfig": {
                           "SubnetIds": ["subnet-1"], "SecurityGroupIds": ["sg-gone"]}}]})
    snap = load_snapshot(path)
    missing = {(w.component_id, w.missing_id) for w in snap.warnings if w.code == "DANGLING_REFERENCE"}
    assert missing == {("rtb-1", "nat-gone"), ("f", "sg-gone")}


def test_unknown_keys_are_listed_not_fatal(write_json):
    path = write_json({"Vpcs": [], "Reservations": [], "ResponseMetadata": {}})
    snap = load_snapshot(path)
    assert [k for _, k in snap.unknown_keys] == ["Reservations"]


def test_stdin(monkeypatch, write_json):
    import io
    import sys
    data = json.dumps({"Vpcs": [{"VpcId": "vpc-1"}]}).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert list(load_snapshot("-").index["Vpcs"]) == ["vpc-1"]
