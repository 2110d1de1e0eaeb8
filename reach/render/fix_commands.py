"""A fix as something to run: an AWS CLI command or a Terraform (HCL) snippet, from its code and parameters.

`--fix-format aws-cli|terraform`. A fix that is no single change (move the function, peer two VPCs,
pick a live target) has no command: it stays a comment with its wording."""
from __future__ import annotations

import ipaddress
import re
from enum import Enum
from typing import Any, Callable

from ..catalogue import FixCode, fix_text


class FixFormat(str, Enum):
    aws_cli = "aws-cli"
    terraform = "terraform"


Params = dict[str, str]

# Route targets by id prefix: the create-route option and the aws_route argument (EC2 CreateRoute).
_TARGETS = {"nat-": ("--nat-gateway-id", "nat_gateway_id"), "igw-": ("--gateway-id", "gateway_id"),
            "pcx-": ("--vpc-peering-connection-id", "vpc_peering_connection_id"),
            "tgw-": ("--transit-gateway-id", "transit_gateway_id"),
            "eigw-": ("--egress-only-internet-gateway-id", "egress_only_gateway_id")}
# The route-target parameter of each route fix.
_ROUTE_VIA = {FixCode.ROUTE_TO_NAT: "nat", FixCode.NAT_ROUTE_TO_IGW: "igw", FixCode.ROUTE_BACK: "via",
              FixCode.ROUTE_TO_EIGW: "eigw"}


def _cidr(value: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    try:
        return ipaddress.ip_network(value.strip())
    except ValueError:
        return None


def _cidrs(value: str) -> list[str]:
    """The CIDRs of a comma list, or [] when any part is not one (a description, `...`)."""
    parts = [p.strip() for p in value.split(",")]
    return parts if parts and all(_cidr(p) for p in parts) else []


def _v6(cidr: str) -> bool:
    net = _cidr(cidr)
    return net is not None and net.version == 6


def _ports(p: Params) -> tuple[int, int]:
    lo, _, hi = p.get("ports", p.get("port", "")).partition("-")
    return int(lo), int(hi or lo)


def _label(*parts: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]+", "_", "_".join(parts)).strip("_").lower()


def _hcl(kind: str, label: str, args: list[tuple[str, Any]]) -> str:
    width = max(len(k) for k, _ in args)

    def value(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int):
            return str(v)
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        return f'"{v}"'
    body = "\n".join(f"  {k.ljust(width)} = {value(v)}" for k, v in args)
    return f'resource "{kind}" "{label}" {{\n{body}\n}}'


def _is_port_protocol(p: Params) -> bool:
    return p.get("proto") in ("tcp", "udp")


# --- AWS CLI ---

def _cli_nacl(p: Params) -> str | None:
    if not _cidr(p["cidr"]) or not p.get("rule"):
        return None
    six = _v6(p["cidr"])
    ports = (" --port-range From={},To={}".format(*_ports(p)) if _is_port_protocol(p)
             else " --icmp-type-code Type=-1,Code=-1" if p.get("proto") == "icmp" else "")
    return (f"aws ec2 create-network-acl-entry --network-acl-id {p['acl']} "
            f"--{'egress' if p['direction'] == 'outbound' else 'ingress'} --rule-number {p['rule']} "
            f"--protocol {p['proto']}{ports} --{'ipv6-cidr-block' if six else 'cidr-block'} {p['cidr']} "
            f"--rule-action allow")


def _sg_peer(peer: str) -> tuple[str, str, str] | None:
    """(EC2 IpPermission list, its key, the aws_vpc_security_group_*_rule argument) for a peer."""
    if peer.startswith("pl-"):
        return "PrefixListIds", "PrefixListId", "prefix_list_id"
    if peer.startswith("sg-"):
        return "UserIdGroupPairs", "GroupId", "referenced_security_group_id"
    if _cidr(peer):
        return ("Ipv6Ranges", "CidrIpv6", "cidr_ipv6") if _v6(peer) else ("IpRanges", "CidrIp", "cidr_ipv4")
    return None


def _cli_sg(p: Params, egress: bool) -> str | None:
    peer = _sg_peer(p["peer"])
    if peer is None or not p["group"].startswith("sg-"):
        return None
    lo, hi = _ports(p) if _is_port_protocol(p) else (-1, -1)
    perm = f"IpProtocol={p['proto']},FromPort={lo},ToPort={hi},{peer[0]}=[{{{peer[1]}={p['peer']}}}]"
    return (f"aws ec2 authorize-security-group-{'egress' if egress else 'ingress'} "
            f"--group-id {p['group']} --ip-permissions '{perm}'")


def _cli_route(p: Params, via: str) -> str | None:
    dests, target = _cidrs(p.get("dest", "")), _TARGETS.get(p[via].split("-")[0] + "-")
    if not dests or target is None:
        return None
    verb = "replace-route" if p.get("replaces") else "create-route"
    return "\n".join(f"aws ec2 {verb} --route-table-id {p['table']} "
                     f"--{'destination-ipv6-cidr-block' if _v6(d) else 'destination-cidr-block'} {d} "
                     f"{target[0]} {p[via]}" for d in dests)


def _cli_endpoint(p: Params) -> str | None:
    if p.get("endpoint"):
        return f"aws ec2 modify-vpc-endpoint --vpc-endpoint-id {p['endpoint']} --add-route-table-ids {p['table']}"
    if "service_name" not in p:
        return None
    return (f"aws ec2 create-vpc-endpoint --vpc-id {p['vpc']} --vpc-endpoint-type Gateway "
            f"--service-name {p['service_name']} --route-table-ids {p['table']}")


def _cli_attach(p: Params) -> str | None:
    if not p["component"].startswith("igw-"):
        return None
    return f"aws ec2 attach-internet-gateway --internet-gateway-id {p['component']} --vpc-id {p['vpc']}"


# --- Terraform ---

def _tf_nacl(p: Params) -> str | None:
    if not _cidr(p["cidr"]) or not p.get("rule"):
        return None
    args: list[tuple[str, Any]] = [
        ("network_acl_id", p["acl"]), ("rule_number", int(p["rule"])),
        ("egress", p["direction"] == "outbound"), ("protocol", p["proto"]), ("rule_action", "allow"),
        ("ipv6_cidr_block" if _v6(p["cidr"]) else "cidr_block", p["cidr"])]
    if _is_port_protocol(p):
        lo, hi = _ports(p)
        args += [("from_port", lo), ("to_port", hi)]
    elif p.get("proto") == "icmp":
        args += [("icmp_type", -1), ("icmp_code", -1)]
    return _hcl("aws_network_acl_rule", _label(p["acl"], "rule", p["rule"]), args)


def _tf_sg(p: Params, egress: bool) -> str | None:
    peer = _sg_peer(p["peer"])
    if peer is None or not p["group"].startswith("sg-"):
        return None
    args: list[tuple[str, Any]] = [("security_group_id", p["group"]), ("ip_protocol", p["proto"])]
    if _is_port_protocol(p):
        lo, hi = _ports(p)
        args += [("from_port", lo), ("to_port", hi)]
    elif p.get("proto") == "icmp":
        args += [("from_port", -1), ("to_port", -1)]
    args.append((peer[2], p["peer"]))
    way = "egress" if egress else "ingress"
    return _hcl(f"aws_vpc_security_group_{way}_rule",
                _label(p["group"], way, p["proto"], p.get("port", "")), args)


def _tf_route(p: Params, via: str) -> str | None:
    dests, target = _cidrs(p.get("dest", "")), _TARGETS.get(p[via].split("-")[0] + "-")
    if not dests or target is None:
        return None
    blocks = [_hcl("aws_route", _label(p["table"], d), [
        ("route_table_id", p["table"]),
        ("destination_ipv6_cidr_block" if _v6(d) else "destination_cidr_block", d),
        (target[1], p[via])]) for d in dests]
    if p.get("replaces"):
        blocks.insert(0, f"# {p['table']} already routes {p['dest']} to {p['replaces']}: change that "
                         "route's target rather than adding a second one")
    return "\n".join(blocks)


def _tf_endpoint(p: Params) -> str | None:
    if p.get("endpoint"):
        return _hcl("aws_vpc_endpoint_route_table_association", _label(p["endpoint"], p["table"]),
                    [("vpc_endpoint_id", p["endpoint"]), ("route_table_id", p["table"])])
    if "service_name" not in p:
        return None
    return _hcl("aws_vpc_endpoint", _label(p["vpc"], p["service_name"].rsplit(".", 1)[-1]), [
        ("vpc_id", p["vpc"]), ("service_name", p["service_name"]), ("vpc_endpoint_type", "Gateway"),
        ("route_table_ids", [p["table"]])])


def _tf_attach(p: Params) -> str | None:
    if not p["component"].startswith("igw-"):
        return None
    return _hcl("aws_internet_gateway_attachment", _label(p["component"], p["vpc"]),
                [("internet_gateway_id", p["component"]), ("vpc_id", p["vpc"])])


Builder = Callable[[Params], "str | None"]
_BUILDERS: dict[FixFormat, dict[str, Builder]] = {
    FixFormat.aws_cli: {
        FixCode.ALLOW_NACL: _cli_nacl,
        FixCode.ALLOW_SG_EGRESS: lambda p: _cli_sg(p, True),
        FixCode.ALLOW_SG_INGRESS: lambda p: _cli_sg(p, False),
        FixCode.ADD_GATEWAY_ENDPOINT: _cli_endpoint,
        FixCode.ATTACH_IGW: _cli_attach,
        **{code: (lambda p, via=via: _cli_route(p, via)) for code, via in _ROUTE_VIA.items()},
    },
    FixFormat.terraform: {
        FixCode.ALLOW_NACL: _tf_nacl,
        FixCode.ALLOW_SG_EGRESS: lambda p: _tf_sg(p, True),
        FixCode.ALLOW_SG_INGRESS: lambda p: _tf_sg(p, False),
        FixCode.ADD_GATEWAY_ENDPOINT: _tf_endpoint,
        FixCode.ATTACH_IGW: _tf_attach,
        **{code: (lambda p, via=via: _tf_route(p, via)) for code, via in _ROUTE_VIA.items()},
    },
}


def fix_command(fix: str, params: Params, fmt: FixFormat, *, region: str | None = None) -> str | None:
    """The command (aws-cli) or HCL (terraform) that applies a fix; None when it is no one change."""
    build = _BUILDERS[fmt].get(fix)
    try:
        command = build(params) if build else None
    except (KeyError, ValueError):
        return None  # a parameter it needs is missing or not a value: no command, never a wrong one
    if command and fmt == FixFormat.aws_cli and region:
        command = "\n".join(f"{line} --region {region}" for line in command.splitlines())
    return command


def fix_block(fix: str, params: Params, fmt: FixFormat, *, region: str | None = None) -> str:
    """A fix to paste: its wording as a comment, then its command or HCL (or only the comment)."""
    command = fix_command(fix, params, fmt, region=region)
    comment = "# " + fix_text(fix, params) + ("" if command else " (no single command: do it by hand)")
    return comment + ("\n" + command if command else "")


def path_with_commands(path_dict: dict, path: Any, fmt: FixFormat | None, *, region: str | None) -> dict:
    """A path's JSON (contract §2.1) with `fix_command` beside each blocker's `fix`: the command or
    HCL of `--fix-format`, null when the fix is no one change. Without a format, unchanged."""
    if fmt is None:
        return path_dict
    shown = [("blocked_by", path.blockers[:1])] + [("also_blocked_by", path.blockers[1:])]
    for key, blockers in shown:
        entries = path_dict.get(key)
        entries = [entries] if isinstance(entries, dict) else entries or []
        for entry, b in zip(entries, blockers):
            entry["fix_command"] = (fix_command(b.fix, dict(b.fix_params), fmt, region=region)
                                    if b.fix else None)
    return path_dict


def answer_with_commands(answer_dict: dict, answer: Any, fmt: FixFormat | None) -> dict:
    """An answer's JSON with `fix_command` on every blocker of its paths (and of its IPv6 part)."""
    region = answer.source.get("region")
    for d, p in zip(answer_dict["paths"], answer.paths):
        path_with_commands(d, p, fmt, region=region)
    if answer.ipv6 is not None and "ipv6" in answer_dict:
        for d, p in zip(answer_dict["ipv6"]["paths"], answer.ipv6.paths):
            path_with_commands(d, p, fmt, region=region)
    return answer_dict


def fix_blocks(blockers: list, fmt: FixFormat, *, region: str | None) -> list[str]:
    """Each distinct fix of these blockers once, as a block to paste."""
    blocks: list[str] = []
    for b in blockers:
        if b.fix:
            block = fix_block(b.fix, dict(b.fix_params), fmt, region=region)
            if block not in blocks:
                blocks.append(block)
    return blocks
