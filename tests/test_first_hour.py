"""A new user's first hour (issue 11): no silent answer to another question, no hang, no traceback."""
from __future__ import annotations

import http.server
import json
import os
import pty
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reach.cli import app

from .scenarios.estate import ask, base, blocker, function, route, sg, table

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = str(ROOT / "samples" / "categram" / "snapshot.json")
PUBLIC_SUBNET, PUBLIC_SG = "subnet-0f3a9c1e5b7d20a11", "sg-0a91c3e5b7d2f4a63"
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def one_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    return lines[0]


# --- 1: what-if flags beside a function are applied, never ignored ---

def test_what_if_flags_move_an_existing_function():
    real = json.loads(run("can", "api", "internet", "-s", SAMPLE, "-f", "json").stdout)
    moved = run("can", "api", "--subnet", PUBLIC_SUBNET, "--sg", PUBLIC_SG, "internet", "-s", SAMPLE,
                "-f", "json")
    answer = json.loads(moved.stdout)
    assert real["verdict"] == "reachable"
    assert [p["subnet_id"] for p in answer["paths"]] == [PUBLIC_SUBNET]
    assert answer["paths"][0]["eni"]["security_group_ids"] == [PUBLIC_SG]
    assert answer["source"]["function"] == "api"
    assert answer["source"]["what_if"] == {"subnet_ids": [PUBLIC_SUBNET], "security_group_ids": [PUBLIC_SG]}
    # A public subnet has no NAT: the moved function cannot reach the internet (1.22).
    assert answer["verdict"] == "unreachable" and moved.exit_code == 1
    assert answer["paths"][0]["blocked_by"]["code"] == "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"


# --- 2: no snapshot at a terminal is bad input, not a wait on standard input ---

@pytest.mark.parametrize("command", [["can", "api", "internet"], ["show"], ["audit"], ["enis"],
                                     ["graph", "api", "s3"], ["ls"]])
def test_no_snapshot_at_a_terminal_exits_2_at_once(command):
    env = {k: v for k, v in os.environ.items() if k != "REACH_SNAPSHOT"}
    leader, follower = pty.openpty()
    try:
        proc = subprocess.run([sys.executable, "-m", "reach", *command], stdin=follower,
                              capture_output=True, text=True, env=env, timeout=60)
    finally:
        os.close(leader)
        os.close(follower)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().splitlines() == [proc.stderr.strip()]
    assert "--snapshot" in proc.stderr and "REACH_SNAPSHOT" in proc.stderr


def test_a_piped_snapshot_is_read_without_dash():
    text = Path(SAMPLE).read_text()
    env = {k: v for k, v in os.environ.items() if k != "REACH_SNAPSHOT"}
    proc = subprocess.run([sys.executable, "-m", "reach", "can", "api", "internet"], input=text,
                          capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr


# --- 3: what-if placements are checked as Lambda checks a VpcConfig ---

@pytest.mark.parametrize("args,words", [
    (["--subnet", PUBLIC_SUBNET], "--sg"),
    (["--sg", PUBLIC_SG], "--subnet"),
    (["--subnet", PUBLIC_SUBNET, "--sg", "sg-0a91c3e5b7d2f4a6"], "did you mean sg-0a91c3e5b7d2f4a63"),
    (["--subnet", "subnet-0f3a9c1e5b7d20a1", "--sg", PUBLIC_SG], "did you mean subnet-0f3a9c1e5b7d20a11"),
])
def test_bad_what_if_placement_is_one_line_exit_2(args, words):
    result = run("can", *args, "internet", "-s", SAMPLE)
    assert result.exit_code == 2
    assert words in one_line(result)


def test_group_from_another_vpc_is_refused(write_json):
    snap = base()
    snap["Vpcs"].append({"VpcId": "vpc-b", "CidrBlock": "10.9.0.0/16", "State": "available"})
    snap["SecurityGroups"].append({"GroupId": "sg-b", "VpcId": "vpc-b", "IpPermissions": [],
                                   "IpPermissionsEgress": []})
    result = run("can", "--subnet", "sn-priv", "--sg", "sg-b", "internet", "-s", str(write_json(snap)))
    assert result.exit_code == 2
    assert "vpc-b" in one_line(result) and "1.18" in one_line(result)


# --- 4: an intent rule that matches no function is an error, unless it says it may ---

def test_intent_rule_for_a_missing_function_is_bad_input(tmp_path):
    intent = tmp_path / "intent.yaml"
    intent.write_text("rules:\n  - function: sprad\n    target: internet\n    expect: reachable\n")
    result = run("audit", "-s", SAMPLE, "--expect", str(intent))
    assert result.exit_code == 2
    line = one_line(result)
    assert "rules[0].function" in line and "did you mean spread" in line
    intent.write_text("rules:\n  - function: sprad\n    target: internet\n    expect: reachable\n"
                      "    may_match_nothing: true\n")
    assert run("audit", "-s", SAMPLE, "--expect", str(intent)).exit_code == 0


# --- 5: an endpoint that is not AWS (an HTML error page) is one line, never a traceback ---

class _HtmlPage(http.server.BaseHTTPRequestHandler):
    status = 200

    def _answer(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = b"<html><body><h1>Bad Gateway</h1></body></html>"
        self.send_response(self.status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, *args) -> None:
        pass


@pytest.mark.parametrize("status", [200, 502])
def test_collect_against_an_html_endpoint_is_one_line(tmp_path, monkeypatch, status):
    handler = type("Page", (_HtmlPage,), {"status": status})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    for key, value in {"AWS_ACCESS_KEY_ID": "x", "AWS_SECRET_ACCESS_KEY": "y",
                       "AWS_CONFIG_FILE": str(tmp_path / "none"),
                       "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "none")}.items():
        monkeypatch.setenv(key, value)
    try:
        result = run("collect", "--region", "us-east-1", "--endpoint-url", url,
                     "-o", str(tmp_path / "s.json"))
    finally:
        server.shutdown()
    assert result.exit_code == 2
    assert url in one_line(result)
    assert not (tmp_path / "s.json").exists()


def test_one_call_answered_with_html_is_a_gap():
    from botocore.parsers import ResponseParserError

    from reach.collect.calls import RESOURCE_CALLS
    from reach.collect.get import attempt

    class Clients:
        def get(self, service, region):
            raise ResponseParserError("Unable to parse response (syntax error), invalid XML: <html>")
    items, gap = attempt(Clients(), "us-east-1", next(iter(RESOURCE_CALLS.values())))
    assert items is None and gap["Region"] == "us-east-1" and "not an AWS API response" in gap["Error"]


# --- 8: a reader that stops early ends reach as it ends any Unix tool ---

def test_broken_pipe_is_sigpipe_not_an_error():
    proc = subprocess.Popen([sys.executable, "-m", "reach", "can", "api", "internet", "-s", SAMPLE],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader is gone before reach writes its answer
    err = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait(timeout=60) == -signal.SIGPIPE
    assert b"Traceback" not in err and b"BrokenPipe" not in err


# --- 10: a Failed function is never reachable; each state's consequence is said ---

def test_failed_function_is_never_reachable():
    snap = base()
    function(snap)["State"] = "Failed"
    function(snap)["StateReasonCode"] = "SubnetOutOfIPAddresses"
    a = ask(snap, "internet")
    assert blocker(a) == ("unreachable", "FUNCTION_FAILED", "fn")
    assert a.verdict == "unreachable"
    assert a.paths[0].blocked_by.fix == "recreate-function"
    assert ("reason", "SubnetOutOfIPAddresses") in a.paths[0].blocked_by.params


def test_failed_function_outside_a_vpc_and_in_audit(write_json):
    snap = base()
    snap["Functions"] += [{"FunctionName": "out", "State": "Failed"},
                          {**function(snap), "FunctionName": "twin", "State": "Failed"}]
    assert blocker(ask(snap, "internet", "out")) == ("unreachable", "FUNCTION_FAILED", "out")
    from reach import audit, parse_snapshot
    report = audit(parse_snapshot(snap), targets=["internet"])
    verdicts = {a.source["function"]: a.verdict.value for a in report.results}
    assert verdicts == {"fn": "reachable", "out": "unreachable", "twin": "unreachable"}


@pytest.mark.parametrize("state,code", [("Pending", "FUNCTION_PENDING"), ("Inactive", "FUNCTION_INACTIVE")])
def test_pending_and_inactive_say_what_an_invoke_meets(state, code):
    snap = base()
    snap["Functions"].append({"FunctionName": "out", "State": state})
    assert code in [n["code"] for n in ask(snap, "internet", "out").notes]


# --- 11: missing prefix-list entries name the prefix list ---

def test_missing_prefix_list_names_the_prefix_list():
    snap = base()
    snap["VpcEndpoints"] = [{"VpcEndpointId": "vpce-g", "VpcEndpointType": "Gateway", "VpcId": "vpc-a",
                             "ServiceName": "com.amazonaws.us-east-1.dynamodb", "State": "available",
                             "RouteTableIds": ["rt-priv"]}]
    table(snap, "rt-priv")["Routes"] = [route("pl-ddb", GatewayId="vpce-g")]
    snap["ManagedPrefixLists"] = []
    a = ask(snap, "dynamodb")
    assert blocker(a) == ("unknown", "UNKNOWN_RESOURCE", "pl-ddb")
    assert "pl-ddb" in a.missing


def _either_way_estate(drop: str) -> dict:
    """The DynamoDB list routed to a gateway endpoint beside 0.0.0.0/0 to a working NAT, with the
    list (or only its entries) missing from the snapshot."""
    snap = base()
    snap["VpcEndpoints"] = [{"VpcEndpointId": "vpce-g", "VpcEndpointType": "Gateway", "VpcId": "vpc-a",
                             "ServiceName": "com.amazonaws.us-east-1.dynamodb", "State": "available",
                             "RouteTableIds": ["rt-priv"]}]
    table(snap, "rt-priv")["Routes"] = [route("pl-ddb", GatewayId="vpce-g"),
                                        route("0.0.0.0/0", NatGatewayId="nat-1")]
    if drop == "list":
        snap["ManagedPrefixLists"] = [p for p in snap["ManagedPrefixLists"] if p["PrefixListId"] != "pl-ddb"]
    else:
        del snap["ManagedPrefixLists"][0]["Entries"]
    return snap


@pytest.mark.parametrize("drop", ["list", "entries"])
@pytest.mark.parametrize("target", ["dynamodb", "internet"])
def test_missing_prefix_list_is_decided_when_every_address_gets_through_either_way(drop, target):
    a = ask(_either_way_estate(drop), target)
    assert a.verdict == "reachable" and not a.missing
    hops = a.paths[0].hops
    assert any(h.component_id == "pl-ddb" and h.kind == "prefix-list" and h.decision == "allow" for h in hops)
    # Both ways are shown: the endpoint route and the default route through the NAT.
    assert {"vpce-g", "nat-1"} <= {h.component_id for h in hops}


@pytest.mark.parametrize("break_way", ["nat", "endpoint"])
def test_missing_prefix_list_stays_unknown_when_one_way_fails(break_way):
    snap = _either_way_estate("entries")
    if break_way == "nat":
        table(snap, "rt-pub")["Routes"] = []  # the NAT cannot reach the internet (2.15)
    else:
        snap["VpcEndpoints"][0]["State"] = "deleted"
    a = ask(snap, "dynamodb")
    assert blocker(a) == ("unknown", "UNKNOWN_RESOURCE", "pl-ddb") and "pl-ddb" in a.missing


# --- Names over CIDR lists ---

def test_the_part_that_gets_through_is_named_by_its_prefix_list():
    a = ask_sample("ddb-only", "internet")
    path = a.paths[0]
    assert path.verdict == "unreachable" and path.reached_prefix_lists == [("pl-02cd2c6b", "DynamoDB")]
    assert a.to_dict()["paths"][0]["reached_prefix_lists"] == [{"prefix_list_id": "pl-02cd2c6b",
                                                                 "name": "DynamoDB"}]
    text = run("can", "ddb-only", "internet", "-s", SAMPLE).stdout
    assert "only pl-02cd2c6b (DynamoDB) gets through" in text


def test_a_part_that_is_no_prefix_list_stays_a_cidr_list():
    snap = base()
    sg(snap, "sg-fn")["IpPermissionsEgress"] = [
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "52.94.0.0/22"}]}]
    path = ask(snap, "dynamodb").paths[0]
    assert path.reached == "52.94.0.0/22" and path.reached_prefix_lists == []


def test_hops_of_other_addresses_go_under_their_own_heading():
    lines = run("can", "spread", "internet", "-s", SAMPLE).stdout.splitlines()
    path = lines[lines.index("path subnet-0e2c8a4f6b1d7a914"):]
    block = path.index("  ✗ route-table rtb-07f9b1d3e5a8c4704: no route for public addresses (0.0.0.0/0)")
    heading = "  the addresses that get through, pl-02cd2c6b (DynamoDB):"
    assert path[block + 1] == heading
    others = [line for line in path[block + 2:] if line.startswith("    ")]
    assert others and all(line.startswith("    ✓") for line in others)
    assert "    ✓ vpc-endpoint vpce-0e4a8c2f6b1d3a9b1: gateway endpoint to com.amazonaws.us-east-1.dynamodb" in others


def test_hops_after_the_block_of_the_same_packets_are_marked_in_json():
    changed = str(ROOT / "samples" / "categram-changed" / "snapshot.json")
    hops = json.loads(run("can", "api", "rds:categram-db", "-s", changed, "-f", "json").stdout)["paths"][0]["hops"]
    stop = next(i for i, h in enumerate(hops) if h["decision"] == "deny")
    assert not any(h.get("blocked_upstream") for h in hops[:stop + 1])
    assert hops[stop + 1:] and all(h["blocked_upstream"] for h in hops[stop + 1:])


def ask_sample(fn: str, target: str):
    from reach import can_reach, load_snapshot
    return can_reach(load_snapshot(SAMPLE), fn, target)


# --- Robustness: a bad option value is one line, not click's usage box ---

@pytest.mark.parametrize("args,option", [
    (["can", "api", "internet", "--port", "abc"], "--port"),
    (["can", "api", "internet", "--format", "yaml"], "--format"),
    (["can", "api", "internet", "--prot", "tcp"], "--prot"),
    (["audit", "--jobs", "0"], "--jobs"),
    (["diff", "--format", "xml", SAMPLE, SAMPLE], "--format"),
    (["--bogus"], "--bogus"),
    (["cann"], "cann"),
])
def test_a_bad_option_value_is_one_line_with_exit_2(args, option):
    result = run(*args, *(["-s", SAMPLE] if args[0] in ("can", "audit") else []))
    assert result.exit_code == 2
    line = one_line(result)
    assert line.startswith("reach: ") and option in line and "Usage:" not in result.output


def test_a_huge_bad_value_is_not_echoed_in_full():
    result = run("can", "api", "internet", "--format", "x" * 5000, "-s", SAMPLE)
    assert result.exit_code == 2 and len(one_line(result)) < 400


def test_no_arguments_still_prints_the_help():
    result = run()
    assert "Commands:" in result.output and "can" in result.output


# --- 12: the real endpoint setting, and RFC 6598's own code ---

def test_private_dns_only_for_inbound_resolver_is_named():
    snap = base()
    snap["VpcEndpoints"] = [{"VpcEndpointId": "vpce-i", "VpcEndpointType": "Interface", "VpcId": "vpc-a",
                             "ServiceName": "com.amazonaws.us-east-1.dynamodb", "State": "available",
                             "SubnetIds": ["sn-priv-b"], "PrivateDnsEnabled": True,
                             "DnsOptions": {"PrivateDnsOnlyForInboundResolverEndpoint": True}}]
    def endpoint_notes(answer):
        return [n["code"] for n in answer.notes if n["code"].startswith("INTERFACE_ENDPOINT")]
    assert endpoint_notes(ask(snap, "dynamodb")) == ["INTERFACE_ENDPOINT_PRIVATE_DNS_INBOUND_ONLY"]
    snap["VpcEndpoints"][0]["PrivateDnsEnabled"] = False
    assert endpoint_notes(ask(snap, "dynamodb")) == ["INTERFACE_ENDPOINT_PRIVATE_DNS_OFF"]


@pytest.mark.parametrize("address,code", [("100.64.1.1:443", "IGW_DESTINATION_ADDRESS_NOT_IN_RFC6598_EGRESS"),
                                          ("10.9.1.1:443", "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS")])
def test_igw_names_the_private_range(address, code):
    snap = base()
    assert blocker(ask(snap, address)) == ("unreachable", code, "igw-1")


# --- did you mean ---

@pytest.mark.parametrize("args,words", [
    (["can", "api:8", "internet"], "did you mean api:7"),
    (["can", "api", "rds:categram"], "did you mean rds:categram-db"),
    (["can", "api", "dynamo"], "did you mean dynamodb"),
    (["audit", "--target", "rds:categram"], "did you mean rds:categram-db"),
])
def test_unknown_names_list_the_nearest(args, words):
    result = run(*args, "-s", SAMPLE)
    assert result.exit_code == 2
    assert words in one_line(result)


# --- finding your way: an inventory with Name tags ---

def test_ls_lists_every_kind_with_names_as_text_and_json():
    result = run("ls", "-s", SAMPLE, "-f", "json")
    assert result.exit_code == 0
    inv = json.loads(result.stdout)
    assert list(inv) == ["vpcs", "subnets", "groups", "functions", "rds", "endpoints", "nats"]
    subnet = next(s for s in inv["subnets"] if s["id"] == PUBLIC_SUBNET)
    assert subnet["name"] == "categram-public-1a" and subnet["availability_zone"] == "us-east-1a"
    assert subnet["cidr"] == "10.0.0.0/24" and subnet["route_table_id"] == "rtb-0c2e4a6b8d1f3e702"
    assert {f["id"] for f in inv["functions"]} >= {"api", "api:7", "thumbnailer"}
    assert {d["id"] for d in inv["rds"]} == {"rds:categram-db", "rds:categram-db-1", "rds:categram-db-2"}
    assert inv["nats"][0]["name"] == "categram-nat-1a"
    text = run("ls", "subnets", "-s", SAMPLE).stdout
    line = next(ln for ln in text.splitlines() if ln.startswith(PUBLIC_SUBNET))
    assert "categram-public-1a" in line and "rtb-0c2e4a6b8d1f3e702" in line  # one line, never folded
    assert "reach ls" in run("show", "-s", SAMPLE).stdout


def test_ls_unknown_kind_is_bad_input():
    result = run("ls", "subnetz", "-s", SAMPLE)
    assert result.exit_code == 2 and "did you mean" in one_line(result)
