"""Fuzz every command with mutated samples (issue 11): wrong types and values, duplicates, deleted
keys and other encodings. Each run ends with exit 0 or 1 and an answer on stdout, or exit 2 and
one line on stderr; never a traceback. HYPOTHESIS_PROFILE=deep runs thousands of examples."""
from __future__ import annotations

import copy
import json
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from reach.cli import app

from .conftest import sample_dirs

EXAMPLES = 4000 if os.environ.get("HYPOTHESIS_PROFILE") == "deep" else 200
SAMPLES = {p.name: json.loads((p / "snapshot.json").read_text()) for p in sample_dirs()}

# Values that broke loading before (issue 11) and their kin.
ODD_VALUES = [None, False, True, 0, -1, 1.5, 65536, 32768, "", " ", "x" * 5000, [], {}, [None],
              {"a": 1}, "١٠.0.0.0/8", "10.0.0.0/8\n", "01.2.3.4", "10.0.0.0", "10.0.0.0/33",
              "::/129", "gre", "-1", "6", "TCP", "all", "pending", "Blackhole", "$LATEST",
              "subnet-0000", "sg-0000", "\ud800", "None", "null"]


_CIDRS = ["10.0.0.0", "١٠.0.0.0/8", "10.0.0.0/8\n", "01.2.3.4/8", "10.0.0.0/33", "::/129",
          "0.0.0.0/0", "10.0.0.0/08", 10]
_IPS = ["01.2.3.4", "10.0.0.1\n", "١.2.3.4", "10.0.0", "::1", ""]
_PORTS = [-1, 65536, 0, 443, None, "443", 1.5]
_IDS = [False, {}, None, [], ["subnet-0000"], ["sg-0000"], [7], "subnet-0000"]
# Fields whose values are checked, each with the values most likely to slip through.
CHECKED_FIELDS = {
    **dict.fromkeys(["CidrBlock", "DestinationCidrBlock", "CidrIp", "Cidr", "CidrIpv6",
                     "Ipv6CidrBlock", "DestinationIpv6CidrBlock"], _CIDRS),
    **dict.fromkeys(["PrivateIpAddress", "PublicIp", "PrivateIp"], _IPS),
    **dict.fromkeys(["IpProtocol", "Protocol"], ["gre", "6", "TCP", "-1", 6, "all", "300", ""]),
    **dict.fromkeys(["FromPort", "ToPort", "From", "To"], _PORTS),
    "RuleNumber": [0, 65536, 32767, 32768, -1, 100],
    **dict.fromkeys(["State", "RuleAction"], ["pending", "Active", "blackhole", "deny", "", None]),
    **dict.fromkeys(["SubnetIds", "SecurityGroupIds", "Cidrs", "Associations", "Routes",
                     "Entries"], _IDS),
    **dict.fromkeys(["VpcId", "GroupId", "SubnetId", "RouteTableId", "NetworkAclId",
                     "FunctionName", "GatewayId", "NatGatewayId", "Version"],
                    ["", None, "x" * 5000, "vpc-0000", "api", "$LATEST", 7]),
    **dict.fromkeys(["Main", "Egress", "VpcConfig"], [None, "true", [], {}, 1, True, False]),
}


def _paths(node, prefix: tuple = ()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, (*prefix, i))


def _parent(root, path: tuple):
    node = root
    for part in path[:-1]:
        node = node[part]
    return node


@st.composite
def mutated(draw) -> tuple[str, dict, bytes]:
    name = draw(st.sampled_from(sorted(SAMPLES)))
    snap = copy.deepcopy(SAMPLES[name])
    for _ in range(draw(st.integers(1, 4))):
        paths = [p for p in _paths(snap) if p]
        if not paths:
            break
        # Half the time, a field whose value is checked (a CIDR, a protocol, a port, an id list).
        keyed = [p for p in paths if p[-1] in CHECKED_FIELDS]
        pool = keyed if keyed and draw(st.integers(0, 3)) else paths
        path = pool[draw(st.integers(0, len(pool) - 1))]
        parent, last = _parent(snap, path), path[-1]
        op = draw(st.sampled_from(["set", "set", "set", "delete", "duplicate", "wrap"]))
        if op == "set":
            values = CHECKED_FIELDS.get(last) if draw(st.integers(0, 3)) else None
            parent[last] = copy.deepcopy(draw(st.sampled_from(values or ODD_VALUES)))
        elif op == "delete":
            del parent[last]
        elif op == "duplicate" and isinstance(parent, list):
            twin = copy.deepcopy(parent[last])
            if isinstance(twin, dict) and twin and draw(st.booleans()):
                key = draw(st.sampled_from(sorted(twin)))
                twin[key] = copy.deepcopy(draw(st.sampled_from(ODD_VALUES)))
            parent.append(twin)
        elif op == "wrap":
            parent[last] = draw(st.sampled_from([[parent[last]], {"Value": parent[last]}]))
    text = json.dumps(snap, ensure_ascii=draw(st.booleans()))
    encoding = draw(st.sampled_from(["utf-8"] * 6 + ["utf-8-sig", "utf-16", "latin-1", "cut"]))
    if encoding == "cut":
        data = text.encode("utf-8", "surrogatepass")[: draw(st.integers(0, len(text)))]
    else:
        data = text.encode(encoding, "surrogatepass" if encoding.startswith("utf") else "replace")
    return name, snap, data


COMMANDS = [
    ["show"], ["show", "-f", "json", "-v"], ["can", "{fn}", "internet"],
    ["can", "{fn}", "dynamodb", "-f", "json"], ["can", "{fn}", "s3"], ["can", "{fn}", "{db}"],
    ["can", "{fn}", "10.0.1.10:5432"], ["audit"], ["audit", "-f", "json"], ["enis"],
    ["enis", "-f", "json"], ["graph", "{fn}", "internet"], ["diff", "{original}", "{file}"],
    ["report", "-o", "{html}"],
]


@settings(max_examples=EXAMPLES, deadline=None, print_blob=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated(), st.sampled_from(COMMANDS))
def test_every_command_answers_or_refuses_in_one_line(tmp_path_factory, case, command):
    name, original, data = case
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "snapshot.json").write_bytes(data)
    (folder / "original.json").write_text(json.dumps(SAMPLES[name]))
    fns = [f.get("FunctionName") for f in SAMPLES[name].get("Functions", [])]
    dbs = [d.get("DBInstanceIdentifier") for d in SAMPLES[name].get("DBInstances", [])]
    fill = {"fn": fns[0] if fns else "api", "db": f"rds:{dbs[0]}" if dbs else "rds:db",
            "original": str(folder / "original.json"), "file": str(folder / "snapshot.json"),
            "html": str(folder / "report.html")}
    args = [a.format(**fill) for a in command]
    if command[0] != "diff":
        args += ["--snapshot", str(folder / "snapshot.json")]
    result = CliRunner().invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        args, repr(result.exception))
    assert "Traceback" not in result.output, args
    if result.exit_code == 2:
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("reach: "), (args, result.stderr)
    else:
        assert result.exit_code in (0, 1), (args, result.exit_code, result.output)
        assert result.stdout.strip() or command[0] == "report", args
