"""`reach enis`: combinations (1.5-1.8), missing, stale and drifted ENIs, capacity, the what-if."""
from __future__ import annotations

import json
from string import Formatter

import pytest
from typer.testing import CliRunner

from reach import ReachInputError, load_snapshot, parse_snapshot
from reach.cli import app
from reach.questions.enis import CODES, PlannedFunction, named_function, plan_enis
from reach.catalogue import ENI_WARNINGS, eni_warning_text

from .conftest import sample_dirs

runner = CliRunner()
ROW_KEYS = {"vpc_id", "subnet_id", "availability_zone", "security_group_ids", "functions",
            "existing_eni_ids"}
UUID = "3f1c2a7e-8b4d-4e6a-9c1f-2d7b5e8a1c30"


def fn(name, subnets, groups, *, version="$LATEST", state="Active", **extra) -> dict:
    return {"FunctionName": name, "Version": version, "State": state,
            "VpcConfig": {"SubnetIds": subnets, "SecurityGroupIds": groups}, **extra}


def eni(eni_id, subnet, groups, creator=None, kind="lambda") -> dict:
    item = {"NetworkInterfaceId": eni_id, "InterfaceType": kind, "SubnetId": subnet,
            "VpcId": "vpc-b" if subnet == "sn-d" else "vpc-a", "Status": "in-use",
            "Groups": [{"GroupId": g} for g in groups]}
    if creator:
        item["Description"] = f"AWS Lambda VPC ENI-{creator}-{UUID}"
    return item


def snapshot(functions=(), enis=(), *, free=250, **extra) -> dict:
    """vpc-a: sn-a and sn-c in 1a, sn-b in 1b; vpc-b: sn-d. Groups sg-x, y, z, w in vpc-a, sg-q in vpc-b."""
    subnets = [("sn-a", "vpc-a", "us-east-1a"), ("sn-b", "vpc-a", "us-east-1b"),
               ("sn-c", "vpc-a", "us-east-1a"), ("sn-d", "vpc-b", "us-east-1a")]
    return {"AccountId": "111122223333", "Region": "us-east-1",
            "Vpcs": [{"VpcId": "vpc-a"}, {"VpcId": "vpc-b"}],
            "Subnets": [{"SubnetId": s, "VpcId": v, "AvailabilityZone": az,
                         "AvailableIpAddressCount": free} for s, v, az in subnets],
            "SecurityGroups": [{"GroupId": f"sg-{g}", "VpcId": "vpc-a"} for g in "xyzw"]
            + [{"GroupId": "sg-q", "VpcId": "vpc-b"}],
            "Functions": list(functions), "NetworkInterfaces": list(enis), **extra}


def plan(*args, **kwargs):
    quota = kwargs.pop("eni_quota", 500)
    add = kwargs.pop("add_function", None)
    return plan_enis(parse_snapshot(snapshot(*args, **kwargs)), eni_quota=quota, add_function=add)


def rows(p) -> dict[tuple, dict]:
    return {(r["subnet_id"], tuple(r["security_group_ids"])): r for r in p.to_dict()["enis"]}


def warnings(p, code) -> list[dict]:
    return [w for w in p.to_dict()["warnings"] if w["code"] == code]


# ------------------------------------------------------------ the samples' hand-made answers

def answered_samples() -> list:
    """The samples whose expect.json lists the combinations worked out by hand."""
    return [f for f in sample_dirs() if (f / "expect.json").is_file()
            and "enis" in json.loads((f / "expect.json").read_text())]


def test_the_samples_have_hand_made_answers():
    assert {"categram", "peered", "locked-down"} <= {f.name for f in answered_samples()}


@pytest.mark.parametrize("folder", answered_samples(), ids=lambda p: p.name)
def test_sample_plan_matches_expect(folder):
    expect = json.loads((folder / "expect.json").read_text())
    p = plan_enis(load_snapshot(folder / "snapshot.json"))
    got = {(r.subnet_id, r.security_group_ids): (list(r.functions), list(r.existing_eni_ids))
           for r in p.enis}
    want = {(e["subnet_id"], tuple(e["security_group_ids"])): (e["functions"], e["existing_eni_ids"])
            for e in expect["enis"]}
    assert got == want
    assert p.eni_count == expect["eni_count"] == len(p.enis)


@pytest.mark.parametrize("folder", sample_dirs(), ids=lambda p: p.name)
def test_sample_cli_json_has_the_contract_shape(folder):
    result = runner.invoke(app, ["enis", "--snapshot", str(folder / "snapshot.json"), "-f", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert {"enis", "warnings"} <= set(out)
    keys = [(r["vpc_id"], r["subnet_id"], r["security_group_ids"]) for r in out["enis"]]
    assert keys == sorted(keys)
    for r in out["enis"]:
        assert ROW_KEYS <= set(r) <= ROW_KEYS | {"account_ids", "subnet_owner_id"}  # §2.2, added
        for k in ("security_group_ids", "functions", "existing_eni_ids"):
            assert r[k] == sorted(r[k])
    for w in out["warnings"]:
        assert w["code"] in CODES and w["component_id"]
    text = runner.invoke(app, ["enis", "--snapshot", str(folder / "snapshot.json")])
    assert text.exit_code == 0
    for r in out["enis"]:
        assert r["subnet_id"] in text.stdout and r["functions"][0] in text.stdout


def test_categram_missing_eni_of_inactive_function_is_expected():
    p = plan_enis(load_snapshot(next(f for f in sample_dirs() if f.name == "categram") / "snapshot.json"))
    (w,) = warnings(p, "ENI_MISSING")
    assert (w["functions"], w["expected"]) == (["film-fetcher"], True)
    assert {c for c, _ in p.codes()} == {"ENI_MISSING", "SINGLE_AZ"}
    (sub,) = [s for s in p.subnets if s.subnet_id == "subnet-0b7d1f3e9a5c6e213"]
    assert (sub.lambda_enis, sub.new_enis_needed, sub.available_ip_address_count) == (2, 1, 248)
    assert [(v.lambda_enis, v.new_enis_needed) for v in p.vpcs] == [(5, 1)]


# ------------------------------------------------------------ combinations

def test_tc19_sharing_group_order_and_published_versions():
    p = plan([fn("F1", ["sn-a", "sn-b"], ["sg-x", "sg-y"]), fn("F2", ["sn-a", "sn-b"], ["sg-y", "sg-x"]),
              fn("F3", ["sn-a"], ["sg-x"]), fn("F4", ["sn-c"], ["sg-x"]),
              fn("F4", ["sn-a"], ["sg-x", "sg-y", "sg-z"], version="3")],
             [eni("eni-1", "sn-a", ["sg-y", "sg-x"], "F2")])
    assert {k: r["functions"] for k, r in rows(p).items()} == {
        ("sn-a", ("sg-x", "sg-y")): ["F1", "F2"], ("sn-b", ("sg-x", "sg-y")): ["F1", "F2"],
        ("sn-a", ("sg-x",)): ["F3"], ("sn-c", ("sg-x",)): ["F4"],
        ("sn-a", ("sg-x", "sg-y", "sg-z")): ["F4:3"]}
    assert p.eni_count == 5
    # The ENI's groups, listed in another order, still match the set (1.6).
    assert rows(p)[("sn-a", ("sg-x", "sg-y"))]["existing_eni_ids"] == ["eni-1"]
    assert rows(p)[("sn-a", ("sg-x", "sg-y"))]["availability_zone"] == "us-east-1a"


def test_duplicates_and_functions_outside_a_vpc():
    p = plan([fn("dup", ["sn-a", "sn-a"], ["sg-x", "sg-x"]), {"FunctionName": "none"},
              {"FunctionName": "empty", "VpcConfig": {"SubnetIds": [], "SecurityGroupIds": [],
                                                      "VpcId": ""}},
              fn("vers", ["sn-b"], ["sg-x"], version="2"), {"FunctionName": "vers"}])
    assert list(rows(p)) == [("sn-a", ("sg-x",)), ("sn-b", ("sg-x",))]
    assert rows(p)[("sn-b", ("sg-x",))]["functions"] == ["vers:2"]


def test_functions_of_two_regions_with_one_name():
    region = snapshot([fn("api", ["sn-a"], ["sg-x"])])
    other = json.loads(json.dumps(region).replace("sn-a", "sn-e").replace('"vpc-a"', '"vpc-e"'))
    data = {"Accounts": [{"AccountId": "111122223333",
                          "Regions": {"us-east-1": region, "eu-west-1": other}}]}
    p = plan_enis(parse_snapshot(data))
    assert [(r.subnet_id, r.functions) for r in p.enis] == [("sn-a", ("api",)), ("sn-e", ("api",))]


# ------------------------------------------------------------ missing (1.9, 1.11, TC34)

@pytest.mark.parametrize("states,expected", [
    (["Active"], False), (["Inactive"], True), (["Pending"], True),
    (["Inactive", "Pending"], True), (["Inactive", "Active"], False), (["Failed"], False)])
def test_missing_eni_is_expected_only_while_pending_or_inactive(states, expected):
    p = plan([fn(f"f{i}", ["sn-a"], ["sg-x"], state=s) for i, s in enumerate(states)])
    (w,) = warnings(p, "ENI_MISSING")
    assert (w["component_id"], w["security_group_ids"], w["expected"]) == ("sn-a", ["sg-x"], expected)
    assert w["states"] == {f"f{i}": s.lower() for i, s in enumerate(states)}


def test_missing_eni_carries_the_state_reason():
    p = plan([fn("f", ["sn-a"], ["sg-x"], state="Failed", StateReasonCode="SubnetOutOfIPAddresses")])
    assert warnings(p, "ENI_MISSING")[0]["state_reasons"] == {"f": "SubnetOutOfIPAddresses"}


# ------------------------------------------------------------ stale, orphaned (1.7, 1.12)

def test_stale_orphaned_and_unnamed_enis():
    p = plan([fn("api", ["sn-a"], ["sg-x"])],
             [eni("eni-ok", "sn-a", ["sg-x"], "api"), eni("eni-old", "sn-a", ["sg-y"], "api"),
              eni("eni-gone", "sn-b", ["sg-x"], "deleted-fn"), eni("eni-anon", "sn-c", ["sg-z"]),
              eni("eni-efs", "sn-a", ["sg-w"], kind="efs")])
    assert p.codes() == [("ENI_STALE", "eni-anon"), ("ENI_STALE", "eni-old"),
                         ("ENI_ORPHANED", "eni-gone"), ("SINGLE_AZ", "api")]
    stale = {s.network_interface_id: (s.function, s.orphaned) for s in p.stale}
    assert stale == {"eni-old": ("api", False), "eni-gone": ("deleted-fn", True),
                     "eni-anon": (None, False)}
    assert rows(p)[("sn-a", ("sg-x",))]["existing_eni_ids"] == ["eni-ok"]
    # Stale ENIs still count against the quota until Lambda deletes them (1.16).
    assert [(v.vpc_id, v.lambda_enis) for v in p.vpcs] == [("vpc-a", 4)]


def test_a_published_version_keeps_its_eni_alive():
    p = plan([fn("api", ["sn-a"], ["sg-x"]), fn("api", ["sn-a"], ["sg-y"], version="4")],
             [eni("eni-1", "sn-a", ["sg-x"], "api"), eni("eni-4", "sn-a", ["sg-y"], "api")])
    assert not p.stale and rows(p)[("sn-a", ("sg-y",))]["existing_eni_ids"] == ["eni-4"]


@pytest.mark.parametrize("description,name", [
    (f"AWS Lambda VPC ENI-my-fn-{UUID}", "my-fn"), (f"AWS Lambda VPC ENI-my-{UUID}", "my"),
    (f"AWS Lambda VPC ENI-unknown-fn-{UUID}", "unknown-fn"), ("AWS Lambda VPC ENI-my-fn-x", "my-fn"),
    ("Interface for NAT Gateway nat-1", None), (None, None)])
def test_named_function_takes_the_longest_name(description, name):
    assert named_function(description, {"my", "my-fn"}) == name


# ------------------------------------------------------------ drift (1.15, TC20)

def test_tc20_groups_changed_by_hand():
    p = plan([fn("F1", ["sn-a"], ["sg-x", "sg-y"]), fn("F2", ["sn-a"], ["sg-y", "sg-x"])],
             [eni("eni-1", "sn-a", ["sg-x"], "F1")])
    (w,) = warnings(p, "ENI_DRIFTED")
    assert (w["component_id"], w["security_group_ids"], w["expected_security_group_ids"]) == (
        "eni-1", ["sg-x"], ["sg-x", "sg-y"])
    assert (w["function"], w["functions"]) == ("F1", ["F1", "F2"])
    # It still serves the combination: nothing is missing and no new ENI is needed.
    assert rows(p)[("sn-a", ("sg-x", "sg-y"))]["existing_eni_ids"] == ["eni-1"]
    assert not warnings(p, "ENI_MISSING") and not p.stale
    assert p.subnets[0].new_enis_needed == 0


def test_an_old_eni_of_a_function_whose_combination_has_its_eni_is_stale_not_drifted():
    p = plan([fn("F1", ["sn-a"], ["sg-y"])],
             [eni("eni-new", "sn-a", ["sg-y"], "F1"), eni("eni-old", "sn-a", ["sg-x"], "F1")])
    assert [c for c, _ in p.codes()] == ["ENI_STALE", "SINGLE_AZ"]


# ------------------------------------------------------------ capacity (1.8, 1.16, 1.17, 1.27)

@pytest.mark.parametrize("free,full", [(1, True), (2, False), (None, False)])
def test_subnet_free_addresses_against_new_enis(free, full):
    data = snapshot([fn("f1", ["sn-a"], ["sg-x"]), fn("f2", ["sn-a"], ["sg-y"]),
                     fn("f3", ["sn-a"], ["sg-z"])], [eni("eni-1", "sn-a", ["sg-z"], "f3")])
    data["Subnets"][0]["AvailableIpAddressCount"] = free
    p = plan_enis(parse_snapshot(data))
    assert p.subnets[0].new_enis_needed == 2
    got = warnings(p, "SUBNET_FULL")
    assert bool(got) == full
    if full:
        assert (got[0]["component_id"], got[0]["available_ip_address_count"],
                got[0]["new_enis_needed"]) == ("sn-a", 1, 2)


def test_tc37_quota_reuse_and_new_combination():
    enis = [eni(f"eni-{i:03}", "sn-a", ["sg-x"], "busy") for i in range(500)]
    base = [fn("busy", ["sn-a", "sn-b"], ["sg-x"])]
    enis.append(eni("eni-b", "sn-b", ["sg-x"], "busy"))
    reuse = plan(base, enis[:499] + enis[500:], add_function=PlannedFunction("new", ("sn-a",), ("sg-x",)))
    assert reuse.what_if.reused == (("sn-a", ("sg-x",)),) and not reuse.what_if.created
    assert not reuse.what_if.would_exceed_quota and not warnings(reuse, "ENI_QUOTA_EXCEEDED")
    new = plan(base, enis[:499] + enis[500:],
               add_function=PlannedFunction("new", ("sn-a",), ("sg-x", "sg-z")))
    assert new.what_if.created == (("sn-a", ("sg-x", "sg-z")),) and new.what_if.would_exceed_quota
    (w,) = warnings(new, "ENI_QUOTA_EXCEEDED")
    assert (w["component_id"], w["lambda_enis"], w["new_enis_needed"], w["total"], w["quota"]) == (
        "vpc-a", 500, 1, 501, 500)


def test_eni_quota_is_configurable():
    p = plan([fn("f", ["sn-a", "sn-b"], ["sg-x"])], [eni("eni-1", "sn-a", ["sg-x"], "f")], eni_quota=1)
    assert [(c, i) for c, i in p.codes() if c == "ENI_QUOTA_EXCEEDED"] == [("ENI_QUOTA_EXCEEDED", "vpc-a")]
    assert not warnings(plan([fn("f", ["sn-a"], ["sg-x"])], eni_quota=1), "ENI_QUOTA_EXCEEDED")
    with pytest.raises(ReachInputError):
        plan([], eni_quota=0)


def test_vpc_config_limits_and_single_az():
    many = [f"sn-{i}" for i in range(17)]
    data = snapshot([fn("wide", many, ["sg-x"]), fn("groups", ["sn-a", "sn-b"],
                                                    [f"sg-{i}" for i in range(6)]),
                     fn("one-az", ["sn-a", "sn-c"], ["sg-x"]), fn("two-az", ["sn-a", "sn-b"], ["sg-x"])])
    data["Subnets"] += [{"SubnetId": s, "VpcId": "vpc-a", "AvailabilityZone": "us-east-1a"} for s in many]
    p = plan_enis(parse_snapshot(data))
    codes = set(p.codes())
    assert ("VPC_CONFIG_TOO_MANY_SUBNETS", "wide") in codes and ("VPC_CONFIG_TOO_MANY_GROUPS", "groups") in codes
    assert ("SINGLE_AZ", "one-az") in codes and ("SINGLE_AZ", "wide") in codes
    assert not any(i in ("two-az", "groups") for c, i in codes if c == "SINGLE_AZ")
    (w,) = [w for w in warnings(p, "SINGLE_AZ") if w["component_id"] == "one-az"]
    assert (w["availability_zone"], w["subnet_ids"]) == ("us-east-1a", ["sn-a", "sn-c"])


# ------------------------------------------------------------ data the snapshot lacks

def test_gaps_make_missing_and_stale_unknown_not_wrong():
    gaps = [{"Service": "ec2", "Call": "DescribeNetworkInterfaces", "Region": "us-east-1",
             "Error": "AccessDenied"}]
    p = plan([fn("f", ["sn-a"], ["sg-x"])], Gaps=gaps)
    assert [c for c, _ in p.codes()] == ["SINGLE_AZ", "ENIS_NOT_COLLECTED"]
    assert p.subnets[0].new_enis_needed == 0
    gaps[0]["Call"] = "ListFunctions"
    p = plan([], [eni("eni-1", "sn-a", ["sg-x"], "f")], Gaps=gaps)
    assert p.codes() == [("FUNCTIONS_NOT_COLLECTED", "us-east-1")] and not p.stale


def test_subnet_missing_from_the_snapshot():
    p = plan([{"FunctionName": "f", "VpcConfig": {"SubnetIds": ["sn-zz"], "SecurityGroupIds": ["sg-x"],
                                                  "VpcId": "vpc-a"}}])
    assert ("SUBNET_NOT_IN_SNAPSHOT", "sn-zz") in p.codes()
    assert rows(p)[("sn-zz", ("sg-x",))]["vpc_id"] == "vpc-a"


# ------------------------------------------------------------ the what-if

def test_what_if_reuses_and_creates():
    p = plan([fn("api", ["sn-a"], ["sg-x", "sg-y"])], [eni("eni-1", "sn-a", ["sg-x", "sg-y"], "api")],
             add_function=PlannedFunction("thumbs", ("sn-a", "sn-b"), ("sg-y", "sg-x")))
    w = p.to_dict()["what_if"]
    assert w == {"function": "thumbs", "vpc_id": "vpc-a", "replaces": False,
                 "reused": [{"subnet_id": "sn-a", "security_group_ids": ["sg-x", "sg-y"]}],
                 "created": [{"subnet_id": "sn-b", "security_group_ids": ["sg-x", "sg-y"]}],
                 "would_exceed_quota": False}
    assert rows(p)[("sn-a", ("sg-x", "sg-y"))]["functions"] == ["api", "thumbs"]
    assert rows(p)[("sn-b", ("sg-x", "sg-y"))]["functions"] == ["thumbs"]
    assert not warnings(p, "ENI_MISSING")  # a planned combination is created, not missing
    assert [s.new_enis_needed for s in p.subnets] == [0, 1]


def test_what_if_reuses_a_combination_whose_eni_is_not_there_yet():
    p = plan([fn("sleepy", ["sn-a"], ["sg-x"], state="Inactive")],
             add_function=PlannedFunction("new", ("sn-a",), ("sg-x",)))
    assert p.what_if.reused == (("sn-a", ("sg-x",)),) and p.subnets[0].new_enis_needed == 1


def test_what_if_on_an_existing_name_replaces_its_vpc_config():
    p = plan([fn("api", ["sn-a"], ["sg-x"])], [eni("eni-1", "sn-a", ["sg-x"], "api")],
             add_function=PlannedFunction("api", ("sn-b",), ("sg-x",)))
    assert p.what_if.replaces and p.what_if.created == (("sn-b", ("sg-x",)),)
    assert list(rows(p)) == [("sn-b", ("sg-x",))]
    assert [(s.network_interface_id, s.orphaned) for s in p.stale] == [("eni-1", False)]


@pytest.mark.parametrize("planned,message", [
    (PlannedFunction("n", ("sn-nope",), ("sg-x",)), "unknown subnet 'sn-nope'"),
    (PlannedFunction("n", ("sn-a",), ("sg-nope",)), "unknown security group 'sg-nope'"),
    (PlannedFunction("n", ("sn-a", "sn-d"), ("sg-x",)), "one VPC"),
    (PlannedFunction("n", ("sn-a",), ("sg-q",)), "not in the subnets' VPC"),
    (PlannedFunction("n:3", ("sn-a",), ("sg-x",)), "without a version"),
    (PlannedFunction("n", (), ("sg-x",)), "at least one --subnet")])
def test_what_if_bad_input(planned, message):
    with pytest.raises(ReachInputError, match=message):
        plan([], add_function=planned)


# ------------------------------------------------------------ the command line and the wording

def test_cli_what_if_json_and_text(write_json):
    path = str(write_json(snapshot([fn("api", ["sn-a"], ["sg-x"])], [eni("eni-1", "sn-a", ["sg-x"], "api")])))
    args = ["enis", "--snapshot", path, "--add-function", "new", "--subnet", "sn-a", "--subnet", "sn-b",
            "--sg", "sg-x", "--eni-quota", "1"]
    out = json.loads(runner.invoke(app, [*args, "--format", "json"]).stdout)
    assert out["what_if"]["created"] == [{"subnet_id": "sn-b", "security_group_ids": ["sg-x"]}]
    assert out["what_if"]["would_exceed_quota"] is True
    assert {w["code"] for w in out["warnings"]} >= {"ENI_QUOTA_EXCEEDED"}
    assert out["capacity"]["vpcs"] == [{"vpc_id": "vpc-a", "lambda_enis": 1, "new_enis_needed": 1,
                                        "total": 2, "quota": 1, "exceeded": True}]
    text = runner.invoke(app, args)
    assert text.exit_code == 0 and "what-if" in text.stdout and "ENI_QUOTA_EXCEEDED" in text.stdout


@pytest.mark.parametrize("extra,message", [
    (["--add-function", "n", "--subnet", "sn-nope"], "unknown subnet"),
    (["--add-function", "n", "--subnet", "sn-a", "--sg", "sg-nope"], "unknown security group"),
    (["--subnet", "sn-a"], "--add-function"),
    (["--add-function", "n"], "--subnet"),
    (["--eni-quota", "0"], "--eni-quota")])
def test_cli_bad_input_is_one_line_and_status_2(write_json, extra, message):
    path = str(write_json(snapshot()))
    result = runner.invoke(app, ["enis", "--snapshot", path, *extra])
    assert result.exit_code == 2 and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_every_code_is_worded_without_holes():
    p = plan([fn("F1", ["sn-a"], ["sg-x", "sg-y"]), fn("sleepy", ["sn-b"], ["sg-x"], state="Inactive"),
              fn("busy", ["sn-c"], ["sg-z"]), fn("wide", [f"sn-{i}" for i in range(17)],
                                                  [f"sg-{i}" for i in range(6)])],
             [eni("eni-1", "sn-a", ["sg-x"], "F1"), eni("eni-2", "sn-b", ["sg-w"], "gone"),
              eni("eni-3", "sn-b", ["sg-w"], "busy")], free=0, eni_quota=1,
             Gaps=[{"Service": "lambda", "Call": "ListFunctions", "Region": "eu-west-1"}])
    assert set(CODES) <= set(ENI_WARNINGS)
    seen = {w.code for w in p.warnings}
    assert seen >= {"ENI_MISSING", "ENI_DRIFTED", "ENI_STALE", "ENI_ORPHANED", "SUBNET_FULL",
                    "ENI_QUOTA_EXCEEDED", "VPC_CONFIG_TOO_MANY_SUBNETS", "VPC_CONFIG_TOO_MANY_GROUPS",
                    "SINGLE_AZ", "SUBNET_NOT_IN_SNAPSHOT", "FUNCTIONS_NOT_COLLECTED"}
    for w in p.warnings:
        d = w.to_dict()
        template = ENI_WARNINGS[f"{w.code}.expected" if d.get("expected") else w.code]
        assert {f for _, f, _, _ in Formatter().parse(template) if f} <= set(d), w.code
        assert eni_warning_text(d).startswith(f"[{w.code}] ")


def test_ipv6_on_a_subnet_that_is_not_dual_stack_is_named():
    folder = next(f for f in sample_dirs() if f.name == "dualstack")
    p = plan_enis(load_snapshot(folder / "snapshot.json"))
    (w,) = warnings(p, "IPV6_SUBNET_NOT_DUAL_STACK")
    assert (w["component_id"], w["subnet_ids"], w["rule"]) == ("mixed", ["subnet-0d6f8b1c3e5a7d614"], "1.23")


def test_an_ipv6_only_subnet_is_named():
    folder = next(f for f in sample_dirs() if f.name == "dualstack")
    snap = json.loads((folder / "snapshot.json").read_text())
    sn = next(s for s in snap["Subnets"] if s["SubnetId"] == "subnet-0b4d6f8a1c3e5b612")
    del sn["CidrBlock"]
    sn["Ipv6Native"] = True
    p = plan_enis(parse_snapshot(snap))
    found = warnings(p, "IPV6_ONLY_SUBNET")
    assert {w["component_id"] for w in found} == {"fetcher", "fetcher-v4", "mixed", "old-groups"}
    assert all(w["subnet_ids"] == ["subnet-0b4d6f8a1c3e5b612"] and w["rule"] == "1.23" for w in found)
    assert not warnings(plan_enis(load_snapshot(folder / "snapshot.json")), "IPV6_ONLY_SUBNET")
