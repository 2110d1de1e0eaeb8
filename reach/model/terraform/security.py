"""Terraform security groups, their rules, NACLs and their rules -> DescribeSecurityGroups/NetworkAcls shapes."""
from __future__ import annotations

from typing import Any

from .document import Instance
from .network import known, tags
from .wiring import Target
from .world import UNKNOWN, World

_PROTOCOLS = {"all": "-1", "-1": "-1", "tcp": "6", "udp": "17", "icmp": "1", "icmpv6": "58"}


def _protocol(value: Any) -> str:
    text = str(value).lower()
    return "-1" if text in ("all", "-1") else text


def default_id(w: World, inst: Instance, attr: str, own: str) -> str:
    """The id of a VPC's default object (aws_default_*): known, else derived from its VPC."""
    value = w.get(inst, own)
    if isinstance(value, str) and value:
        return value
    if inst.type == "aws_default_security_group":
        vpcs = w.wiring.resolve(inst, ("vpc_id",), many=False)
        if vpcs and len(vpcs) == 1 and vpcs[0].instance is not None:
            return w.target_value(Target(instance=vpcs[0].instance, attr=attr))
        return w.id_of(inst)
    return w.ref(inst, own) or w.id_of(inst)


def permission(w: World, inst: Instance, rule: dict, path: tuple, group_id: str, *,
               names: dict[str, str]) -> dict:
    """One Terraform rule -> one IpPermission (rules 4.1-4.6); unknown peers stay named placeholders."""
    protocol = _protocol(rule.get(names["protocol"]))
    perm: dict[str, Any] = {"IpProtocol": protocol}
    if protocol != "-1":
        perm["FromPort"], perm["ToPort"] = rule.get(names["from"]), rule.get(names["to"])
    for arg, field_name, key in ((names["cidr"], "IpRanges", "CidrIp"),
                                 (names["cidr6"], "Ipv6Ranges", "CidrIpv6")):
        values = _list(w, inst, path, arg)
        perm[field_name] = [{key: c} for c in values if not c.startswith("known-after-apply:")]
        perm.setdefault("PrefixListIds", []).extend(
            {"PrefixListId": c} for c in values if c.startswith("known-after-apply:"))
    perm.setdefault("PrefixListIds", []).extend(
        {"PrefixListId": p} for p in _list(w, inst, path, names["prefix"]))
    pairs = [{"GroupId": g} for g in _list(w, inst, path, names["group"])]
    if rule.get("self") is True:
        pairs.append({"GroupId": group_id})
    perm["UserIdGroupPairs"] = pairs
    return {k: v for k, v in perm.items() if v not in ([], None)}


_SCALAR = {"source_security_group_id", "referenced_security_group_id", "cidr_ipv4", "cidr_ipv6",
           "prefix_list_id"}


def _list(w: World, inst: Instance, path: tuple, arg: str | None) -> list[str]:
    """A rule's peers (CIDRs, prefix lists, groups); what stays unknown becomes a named placeholder."""
    if arg is None:
        return []
    value = w.get(inst, *path, arg)
    if value is UNKNOWN:
        if path:
            return [w.placeholder(inst, (*path, arg))]
        if not w.wiring.has_argument(inst, arg):
            return []  # computed, not configured (source_security_group_id when `self` is set)
        return [w.ref(inst, arg)] if arg in _SCALAR else w.refs(inst, arg)
    if isinstance(value, str):
        return [value] if value else []
    if not isinstance(value, list):
        return []
    if not path:
        return w.refs(inst, arg)
    out = [v for v in value if isinstance(v, str) and v]
    if w.side == "after" and any(inst.is_unknown(*path, arg, i) for i in range(len(value))):
        out.append(w.placeholder(inst, (*path, arg)))
    return out


_BLOCK = {"protocol": "protocol", "from": "from_port", "to": "to_port", "cidr": "cidr_blocks",
          "cidr6": "ipv6_cidr_blocks", "prefix": "prefix_list_ids", "group": "security_groups"}
_RULE = {**_BLOCK, "group": "source_security_group_id"}
_VPC_RULE = {"protocol": "ip_protocol", "from": "from_port", "to": "to_port", "cidr": "cidr_ipv4",
             "cidr6": "cidr_ipv6", "prefix": "prefix_list_id", "group": "referenced_security_group_id"}


def security_group(w: World, inst: Instance) -> None:
    if inst.type == "aws_default_security_group":
        rid = default_id(w, inst, "default_security_group_id", "id")
        w.opaque.pop(rid, None)
    else:
        rid = w.id_of(inst)
    obj: dict[str, Any] = {"GroupId": rid, "GroupName": known(w.get(inst, "name")) or (
        "default" if inst.type == "aws_default_security_group" else None),
        "Description": known(w.get(inst, "description")), "VpcId": w.ref(inst, "vpc_id"),
        "IpPermissions": [], "IpPermissionsEgress": [], "Tags": tags(w, inst)}
    for arg, field_name in (("ingress", "IpPermissions"), ("egress", "IpPermissionsEgress")):
        blocks = w.get(inst, arg)
        if blocks is UNKNOWN:
            if w.wiring.has_argument(inst, arg) or not _has_rule_resources(w, inst):
                w.make_opaque(rid, inst, arg)
            continue
        for i, rule in enumerate(blocks or []):
            if isinstance(rule, dict):
                obj[field_name].append(permission(w, inst, rule, (arg, i), rid, names=_BLOCK))
    w.put("SecurityGroups", rid, {k: v for k, v in obj.items() if v is not None}, inst)


def _has_rule_resources(w: World, inst: Instance) -> bool:
    """Whether separate rule resources name this group: then its inline rules are not configured."""
    own = {inst.address, f"{inst.module}.{inst.config_address}".lstrip(".")}
    for other in w.doc.instances:
        if other.type in ("aws_security_group_rule", "aws_vpc_security_group_ingress_rule",
                          "aws_vpc_security_group_egress_rule") and other.module == inst.module:
            expr = w.wiring.expression(other, ("security_group_id",)) or {}
            refs = {r.split("[")[0].removesuffix(".id") for r in expr.get("references") or []}
            if refs & {inst.config_address} or own & refs:
                return True
            if w.get(other, "security_group_id") == (w.values(inst) or {}).get("id"):
                return True
    return False


def security_group_rule(w: World, inst: Instance) -> None:
    group = w.ref(inst, "security_group_id")
    if inst.type == "aws_security_group_rule":
        egress = w.get(inst, "type") == "egress"
        perm = permission(w, inst, w.values(inst), (), group, names=_RULE)
    else:
        egress = inst.type.endswith("egress_rule")
        perm = permission(w, inst, w.values(inst), (), group, names=_VPC_RULE)
    w.fold("SecurityGroups", group, "IpPermissionsEgress" if egress else "IpPermissions", perm, inst)


def _entry(rule: dict, egress: bool) -> dict:
    protocol = _protocol(rule.get("protocol"))
    protocol = _PROTOCOLS.get(protocol, protocol)
    entry: dict[str, Any] = {"RuleNumber": rule.get("rule_no", rule.get("rule_number")),
                             "Protocol": protocol,
                             "RuleAction": str(rule.get("action", rule.get("rule_action"))).lower(),
                             "Egress": egress}
    if rule.get("cidr_block"):
        entry["CidrBlock"] = rule["cidr_block"]
    if rule.get("ipv6_cidr_block"):
        entry["Ipv6CidrBlock"] = rule["ipv6_cidr_block"]
    if protocol in ("6", "17"):
        entry["PortRange"] = {"From": rule.get("from_port"), "To": rule.get("to_port")}
    if protocol in ("1", "58"):
        entry["IcmpTypeCode"] = {"Type": rule.get("icmp_type"), "Code": rule.get("icmp_code")}
    return entry


def _defaults() -> list[dict]:
    """The rule `*` every NACL ends with: deny what no numbered rule matched (5.2)."""
    return [{"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny", "Egress": e,
             "CidrBlock": "0.0.0.0/0"} for e in (False, True)]


def network_acl(w: World, inst: Instance) -> None:
    default = inst.type == "aws_default_network_acl"
    rid = default_id(w, inst, "default_network_acl_id", "default_network_acl_id") if default \
        else w.id_of(inst)
    if default:
        w.opaque.pop(rid, None)
    vpc_id = w.parents.get(rid) if default else w.ref(inst, "vpc_id")
    obj: dict[str, Any] = {"NetworkAclId": rid, "VpcId": vpc_id or known(w.get(inst, "vpc_id")),
                           "IsDefault": default, "Entries": _defaults(), "Associations": [],
                           "Tags": tags(w, inst)}
    for arg, egress in (("ingress", False), ("egress", True)):
        blocks = w.get(inst, arg)
        if blocks is UNKNOWN or (isinstance(blocks, list) and any(
                inst.is_unknown(arg, i) for i in range(len(blocks)))):
            if w.wiring.has_argument(inst, arg) or not _has_acl_rules(w, inst):
                w.make_opaque(rid, inst, arg)
            continue
        obj["Entries"] += [_entry(b, egress) for b in blocks or [] if isinstance(b, dict)]
    subnets = w.get(inst, "subnet_ids")
    if subnets is not None and not (subnets is UNKNOWN and not w.wiring.has_argument(inst, "subnet_ids")):
        obj["Associations"] = [{"NetworkAclId": rid, "SubnetId": s}
                               for s in w.refs(inst, "subnet_ids")]
    w.put("NetworkAcls", rid, obj, inst)


def _has_acl_rules(w: World, inst: Instance) -> bool:
    for other in w.doc.instances:
        if other.type == "aws_network_acl_rule" and other.module == inst.module:
            refs = (w.wiring.expression(other, ("network_acl_id",)) or {}).get("references") or []
            if inst.config_address in {r.split("[")[0].removesuffix(".id") for r in refs}:
                return True
            if w.get(other, "network_acl_id") == (w.values(inst) or {}).get("id"):
                return True
    return False


def network_acl_rule(w: World, inst: Instance) -> None:
    acl = w.ref(inst, "network_acl_id")
    values = dict(w.values(inst))
    for arg in ("cidr_block", "ipv6_cidr_block"):
        if w.get(inst, arg) is UNKNOWN:
            w.make_opaque(acl, inst, arg)
            return
    w.fold("NetworkAcls", acl, "Entries", _entry(values, bool(values.get("egress"))), inst)


def network_acl_association(w: World, inst: Instance) -> None:
    acl = w.ref(inst, "network_acl_id")
    w.fold("NetworkAcls", acl, "Associations",
           {"NetworkAclId": acl, "SubnetId": w.ref(inst, "subnet_id")}, inst)
