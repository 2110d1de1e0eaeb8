"""Generate an organisation (contract §1.2) of N accounts, each a seeded estate of one size, with
shared subnets across accounts; and measure how one machine audits it, whole and per account.

Account 0 is the network account: it shares two private subnets of its first VPC (RAM), and every
other account runs one function in twenty there, behind its own security group, which lives in the
network account's VPC (the participant's view lists the shared VPC and subnets too, as AWS's
DescribeSubnets does). Peering and transit gateways stay inside each account: the generated CIDRs
repeat from account to account, and peered VPCs may not overlap (aws-rules 6.4).

    python -m bench.org --accounts 100 --size S -o org.json       # generate
    python -m bench.org --accounts 100 --size S --measure          # generate, then measure
"""
from __future__ import annotations

import argparse
import copy
import json
import re
import sys
import time
from pathlib import Path

from .generate import ACCOUNT, REGION, SIZES, generate

_ID = re.compile(r"-0([0-9a-f]{2})0([0-9a-f]{13})\b")  # rid(): "-0" kind(2) n(14), n < 16**13


def account_id(k: int) -> str:
    return f"{100000000000 + k:012d}"


def _own(lists: dict, k: int) -> dict:
    """Account k's copy of a generated estate: its own ids (kind and number kept) and account."""
    text = json.dumps(lists)
    text = _ID.sub(lambda m: f"-{k:02x}{m[1]}{m[2]}", text).replace(ACCOUNT, account_id(k))
    return json.loads(text)


def generate_org(accounts: int, size: str = "S", *, seed: int = 1) -> dict:
    if not 1 <= accounts <= 255:
        raise SystemExit("--accounts: from 1 to 255")
    parts = []
    for k in range(accounts):
        estate = generate(SIZES[size], seed=seed + k)
        lists = {key: v for key, v in estate.items() if key not in ("SnapshotVersion", "AccountId", "Region")}
        parts.append(_own(lists, k))
    network = parts[0]
    vpc = network["Vpcs"][0]
    shared = [s for s in network["Subnets"] if s["VpcId"] == vpc["VpcId"]][2:4]
    for k, lists in enumerate(parts[1:], start=1):
        _participate(lists, k, vpc, shared)
    return {"SnapshotVersion": 1, "Accounts": [
        {"AccountId": account_id(k), "Regions": {REGION: lists}} for k, lists in enumerate(parts)]}


def _participate(lists: dict, k: int, vpc: dict, shared: list[dict]) -> None:
    """One function in twenty of account k moves into the shared subnets, behind k's own group."""
    me = account_id(k)
    group = f"sg-{k:02x}ff{0:013x}"
    lists["Vpcs"].append(copy.deepcopy(vpc))
    lists["Subnets"].extend(copy.deepcopy(shared))
    lists["SecurityGroups"].append({
        "GroupId": group, "GroupName": f"shared-{k}", "VpcId": vpc["VpcId"], "OwnerId": me,
        "Description": "functions in the network account's shared subnets", "IpPermissions": [],
        "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]})
    moved = [fn for n, fn in enumerate(lists["Functions"]) if "VpcConfig" in fn and n % 20 == 3]
    for fn in moved:
        fn["VpcConfig"] = {"SubnetIds": [s["SubnetId"] for s in shared], "SecurityGroupIds": [group],
                           "VpcId": vpc["VpcId"]}
    for m, s in enumerate(shared if moved else []):
        lists["NetworkInterfaces"].append({
            "NetworkInterfaceId": f"eni-{k:02x}ff{m:013x}", "InterfaceType": "lambda", "OwnerId": me,
            "SubnetId": s["SubnetId"], "VpcId": vpc["VpcId"], "AvailabilityZone": s["AvailabilityZone"],
            "PrivateIpAddress": s["CidrBlock"].rsplit(".", 1)[0] + f".{200 + k % 50}",
            "Groups": [{"GroupId": group, "GroupName": f"shared-{k}"}], "Status": "in-use",
            "Description": f"AWS Lambda VPC ENI-shared-{k}"})


def measure(path: Path) -> dict:
    """Read, load and audit in this process: whole, then account by account (the unit of a split)."""
    from reach import audit, load_snapshot
    from reach.estate import Estate
    t = time.perf_counter()
    with open(path, "rb") as f:
        json.load(f)
    read = time.perf_counter() - t
    t = time.perf_counter()
    snap = load_snapshot(path)
    load = time.perf_counter() - t
    t = time.perf_counter()
    whole = audit(snap)
    whole_s = time.perf_counter() - t
    accounts = sorted(Estate.of(snap).accounts.collected)
    fresh = load_snapshot(path)  # no memo shared with the whole audit
    per = []
    for acct in accounts:
        t = time.perf_counter()
        part = audit(fresh, accounts=[acct])
        per.append((time.perf_counter() - t, len(part.results)))
    return {"accounts": len(accounts), "functions": len({(a.source.get("account_id"), a.source["function"])
                                                         for a in whole.results}),
            "answers": len(whole.results), "json_load_s": read, "load_s": load, "audit_s": whole_s,
            "per_account_sum_s": sum(s for s, _ in per), "per_account_max_s": max(s for s, _ in per),
            "per_account_answers": sum(n for _, n in per)}


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--accounts", type=int, default=100)
    p.add_argument("--size", choices=sorted(SIZES), default="S", help="each account's estate")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("-o", "--output", help="write the organisation here (default: bench/out/)")
    p.add_argument("--measure", action="store_true", help="then load and audit it, and print times")
    args = p.parse_args(argv)
    org = generate_org(args.accounts, args.size, seed=args.seed)
    out = Path(args.output or Path(__file__).parent / "out" / f"org-{args.accounts}x{args.size}-{args.seed}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(org, separators=(",", ":")))
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB)", file=sys.stderr)
    if args.measure:
        print(json.dumps(measure(out), indent=2))


if __name__ == "__main__":
    main()
