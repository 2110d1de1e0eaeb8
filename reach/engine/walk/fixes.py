"""Choose the smallest fix for a blocker, as a fix code and its parameters (wording is in the catalogue)."""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from ...catalogue import FixCode
from ...model.base import name_tag
from ...packets import NAT64_PREFIX, PUBLIC, PUBLIC6, V6, IntervalSet, cidrs_set, to_cidrs
from .state import Walk

# A fix as Blocker keywords: {"fix": FixCode, "fix_params": ((name, value), ...)}, or {} for none.
Fix = dict[str, Any]
NONE: Fix = {}


def _fix(code: FixCode, **params: str) -> Fix:
    return {"fix": code, "fix_params": tuple((k, str(v)) for k, v in params.items())}

def ipv6(w: Walk) -> bool:
    """Whether this walk's packets are IPv6 (the destination decides the family, 2.4)."""
    return bool(w.dest.addresses) and w.dest.addresses.first() >= V6


def _subnet_cidr(w: Walk) -> str | None:
    """The function subnet's CIDR in the walk's family."""
    subnet = w.estate.subnets.get(w.src.subnet_id or "")
    if subnet is None:
        return None
    return next(iter(subnet.ipv6_cidrs()), None) if ipv6(w) else subnet.cidr_block


def _dest_peer(w: Walk) -> str:
    d = w.dest
    if d.kind == "service" and d.component_id.startswith("pl-"):
        return d.component_id
    if d.kind == "internet" or (d.addresses and d.addresses in (PUBLIC, PUBLIC6)):
        return "::/0" if ipv6(w) else "0.0.0.0/0"
    if d.groups:
        return sorted(d.groups)[0]
    cidrs = to_cidrs(d.addresses, 1)
    return cidrs[0] if cidrs else d.component_id


def sg_fix(w: Walk, groups: list[str], *, egress: bool, identity: bool) -> Fix:
    proto, port = w.protocol, str(w.port)
    if egress:
        return _fix(FixCode.ALLOW_SG_EGRESS, proto=proto, port=port, peer=_dest_peer(w),
                                          group=sorted(groups)[0] if groups else "?")
    # Across a TGW or an inter-Region peering the group is not seen but the address is (4.7-4.9).
    peer = sorted(w.src.groups)[0] if identity and w.src.groups else _subnet_cidr(w) or "?"
    return _fix(FixCode.ALLOW_SG_INGRESS, proto=proto, port=port, peer=peer,
                                       group=sorted(groups)[0] if groups else "?")


def acl_fix(w: Walk, acl_id: str, subnet_id: str, *, egress: bool, on_src: bool, reply: bool,
            others, denies: list[int]) -> Fix:
    """An allow entry for the function's subnet (`on_src`) or the other side."""
    if on_src:
        cidr = _subnet_cidr(w) or "the function's subnet"
    else:
        cidr = _one_cidr(w, others, whole=w.dest.public)
    return _nacl_allow(w, acl_id, egress=egress, reply=reply, cidr=cidr, denies=denies)


def _nacl_allow(w: Walk, acl_id: str, *, egress: bool, reply: bool, cidr: str, denies: list[int]) -> Fix:
    """An allow entry for `cidr`, numbered to take effect: below the first deny that matched (5.2)."""
    number = free_rule_number(w, acl_id, egress=egress, below=denies[0] if denies else None)
    if number is None:
        return _fix(FixCode.NARROW_NACL_DENY, acl=acl_id, deny=str(denies[0]))
    below = {"below_deny": str(denies[0])} if denies else {}
    return _fix(FixCode.ALLOW_NACL, direction="outbound" if egress else "inbound", proto=w.protocol,
                ports="1024-65535" if reply else str(w.port), rule=str(number),
                preposition="to" if egress else "from", cidr=cidr, acl=acl_id, **below)


def free_rule_number(w: Walk, acl_id: str, *, egress: bool, below: int | None) -> int | None:
    """A rule number free in this direction of the NACL (numbers are per direction, 5.2): the
    highest under `below`, the deny to get ahead of; else the next ten after the last rule (a
    rule that nothing in front of it matches takes effect anywhere). None when none is free."""
    acl = w.estate.acls.get(acl_id)
    taken = {e.rule_number for e in (acl.entries if acl else []) if e.egress == egress}
    if below is not None:
        return next((n for n in range(below - 1, 0, -1) if n not in taken), None)
    user = [n for n in taken if n < 32767]
    after = (max(user) // 10 + 1) * 10 if user else 100
    if after <= 32766:
        return after
    return next((n for n in range(32766, 0, -1) if n not in taken), None)


def working_nats(w: Walk) -> tuple[list[str], list[tuple[str, str]]]:
    """The function VPC's NAT gateways that reach an IGW (2.15), and the (subnet, NAT) pairs whose
    table sends 0.0.0.0/0 to one of them; worked out once per VPC."""
    memo = w.estate.memo["working_nats"]
    vpc = w.src.vpc_id or ""
    if vpc not in memo:
        est = w.estate

        def default_route(subnet_id: str):
            rt = est.route_tables.get(est.route_table_id(subnet_id) or "")
            return next((r for r in (rt.routes if rt else []) if r.destination_cidr_block == "0.0.0.0/0"
                         and r.state != "blackhole"), None)
        igw = est.igw_of(vpc)
        nats = sorted(n.nat_gateway_id for n in est.nats.values()
                      if igw and n.vpc_id == vpc and n.state in (None, "available") and n.is_public
                      and (r := default_route(n.subnet_id or "")) and r.target() == igw)
        pairs = sorted((s.subnet_id, r.nat_gateway_id) for s in est.subnets_of_vpc.get(vpc, [])
                       if (r := default_route(s.subnet_id)) and r.nat_gateway_id in nats)
        memo[vpc] = (nats, pairs)
    return memo[vpc]


def nat_fix(w: Walk, *, prefer_move: bool = False) -> Fix:
    """Route to a working NAT, or move the function to a subnet that already does (1.22)."""
    rt = w.estate.route_table_id(w.src.subnet_id or "") or "the function's route table"
    nats, pairs = working_nats(w)
    subnets = [s for s, _ in pairs if s != w.src.subnet_id]
    # A table that also serves a NAT's own subnet must keep its route to the IGW (2.15).
    serves_nat = rt in w.estate.nat_route_tables
    if subnets and (prefer_move or serves_nat):
        return _fix(FixCode.MOVE_TO_SUBNET, subnet=_named(w, _best_subnet(w, subnets)))
    if nats:
        return _fix(FixCode.ROUTE_TO_NAT, dest="0.0.0.0/0", table=rt, nat=nats[0])
    return _fix(FixCode.ADD_NAT, dest="0.0.0.0/0", table=rt)


def _best_subnet(w: Walk, subnets: list[str]) -> str:
    """Prefer the function's own AZ (1.27), then subnets other functions already use."""
    here = w.estate.subnets.get(w.src.subnet_id or "")
    used = w.estate.subnets_in_use
    return min(subnets, key=lambda s: (w.estate.subnets[s].availability_zone
                                       != (here.availability_zone if here else None),
                                       s not in used, s))


def _named(w: Walk, subnet_id: str) -> str:
    name = name_tag(w.estate.subnets[subnet_id].tags)
    return f"{subnet_id} ({name})" if name else subnet_id


def route_fix(w: Walk, rt: str) -> Fix:
    d = w.dest
    if d.addresses and d.addresses <= NAT64_PREFIX:
        return nat64_fix(w, rt)
    if d.service in ("dynamodb", "s3") and d.kind == "service" and not ipv6(w):
        name = f"com.amazonaws.{w.src.region}.{d.service}"
        # The VPC's own gateway endpoint for the service, if it has one: add the table to it (3.1).
        have = sorted(e.vpc_endpoint_id for e in w.estate.endpoints_by_vpc.get(w.src.vpc_id, [])
                      if e.service_name == name and str(e.vpc_endpoint_type).lower() == "gateway"
                      and e.state in (None, "available"))
        return _fix(FixCode.ADD_GATEWAY_ENDPOINT, service="a DynamoDB" if d.service == "dynamodb" else "an S3",
                    table=rt, vpc=w.src.vpc_id or "?", service_name=name, **({"endpoint": have[0]} if have else {}))
    if d.public:
        return eigw_fix(w, rt) if ipv6(w) else nat_fix(w)
    # A peering carries only its peer's CIDRs (6.5): route through one whose peer holds the destination.
    for pcx in w.estate.peerings.values():
        a, r = pcx.accepter_vpc_info, pcx.requester_vpc_info
        if not (a and r and w.src.vpc_id in (a.vpc_id, r.vpc_id) and pcx.is_active):
            continue
        peer = r if a.vpc_id == w.src.vpc_id else a
        if d.addresses & cidrs_set(w.estate.peer_cidrs(peer)):
            return _fix(FixCode.ROUTE_BACK, dest=", ".join(to_cidrs(d.addresses, 2)), table=rt,
                        via=pcx.vpc_peering_connection_id)
    return NONE


def eigw_fix(w: Walk, rt: str) -> Fix:
    """IPv6 to the internet: route ::/0 to the VPC's egress-only gateway, no NAT needed (2.14)."""
    vpc = w.src.vpc_id or "?"
    eigw = w.estate.eigw_of(vpc)
    if eigw:
        return _fix(FixCode.ROUTE_TO_EIGW, dest="::/0", table=rt, eigw=eigw)
    return _fix(FixCode.ADD_EIGW, dest="::/0", table=rt, vpc=vpc)


def nat64_fix(w: Walk, rt: str) -> Fix:
    """64:ff9b::/96 goes to a NAT gateway, which translates it (NAT64, 2.18)."""
    nats, _ = working_nats(w)
    if nats:
        return _fix(FixCode.ROUTE_TO_NAT, dest="64:ff9b::/96", table=rt, nat=nats[0])
    return _fix(FixCode.ADD_NAT, dest="64:ff9b::/96", table=rt)


def nat_route_fix(w: Walk, rt: str) -> Fix:
    igw = w.estate.igw_of(w.src.vpc_id or "")
    return (_fix(FixCode.NAT_ROUTE_TO_IGW, table=rt, igw=igw, dest="0.0.0.0/0")) if igw else NONE


def peering_fix(w: Walk) -> Fix:
    if w.dest.public:
        rt = w.estate.route_table_id(w.src.subnet_id or "") or "the function's route table"
        return eigw_fix(w, rt) if ipv6(w) else nat_fix(w)
    return _fix(FixCode.PEER_DIRECTLY, vpc=w.src.vpc_id or "?")


def policy_note(w: Walk, ep) -> None:
    """Endpoint policies authorise, they do not route: a note, never the verdict (0.2, 3.10)."""
    doc = ep.policy_document or ""
    full = not doc or ('"Effect":"Allow"' in doc.replace(" ", "") and '"Action":"*"' in doc.replace(" ", "")
                       and '"Resource":"*"' in doc.replace(" ", "") and "Deny" not in doc)
    if not full:
        note = {"code": "ENDPOINT_POLICY", "component_id": ep.vpc_endpoint_id, "rule": "0.2, 3.10"}
        if note not in w.notes:
            w.notes.append(note)


def with_table_context(estate, b, subnet_id: str | None):
    """What else a fix to a route table does: the route it replaces, and the other subnets it
    changes (2.1: every subnet of the VPC without an explicit association uses the main table)."""
    params = dict(b.fix_params)
    table = estate.route_tables.get(params.get("table", ""))
    if table is None or "also_changes" in params or "replaces" in params:
        return b
    extra: list[tuple[str, str]] = []
    old = next((r for r in table.routes if params.get("dest") and r.destination() == params["dest"]), None)
    if old is not None and b.fix != FixCode.FIX_BLACKHOLE:
        extra.append(("replaces", old.target() or "?"))
    users = sorted(s.subnet_id for s in estate.subnets_of_vpc.get(table.vpc_id, [])
                   if estate.route_table_id(s.subnet_id) == table.route_table_id and s.subnet_id != subnet_id)
    if users:
        if any(a.main for a in table.associations):
            extra.append(("main_table_of", table.vpc_id or "?"))
        extra.append(("also_changes", ", ".join(users[:5]) + (f" and {len(users) - 5} more"
                                                               if len(users) > 5 else "")))
    return replace(b, fix_params=(*b.fix_params, *extra)) if extra else b


def public_acl_fix(w: Walk, acl_id: str, sources: IntervalSet, res, *, egress: bool) -> Fix:
    """A function outside any VPC has no address to allow (its public one is not known, TC02):
    the fix is a VPC of its own. Behind a NAT, the NACL allows the NAT's public address."""
    if w.src.subnet_id is None:
        return _fix(FixCode.PUT_IN_VPC, dest=w.dest.component_id)
    # Toward the destination the request comes in; out of it go the replies (1.25).
    return _nacl_allow(w, acl_id, egress=egress, reply=egress, cidr=_one_cidr(w, sources), denies=res.deny_numbers)


def _one_cidr(w: Walk, addresses: IntervalSet, *, whole: bool = False) -> str:
    """The addresses as one CIDR for a rule, else (or when `whole`) every address of their family,
    which a rule names apart (2.4, 5.7): the walk's family when there are none."""
    cidrs = to_cidrs(addresses, 1)
    if not whole and len(cidrs) == 1:
        return cidrs[0]
    return "::/0" if (addresses.first() >= V6 if addresses else ipv6(w)) else "0.0.0.0/0"


def public_sg_fix(w: Walk, groups: list[str], sources: IntervalSet) -> Fix:
    """The destination's groups see the NAT's public address, never the function's group (4.7)."""
    if w.src.subnet_id is None:
        return _fix(FixCode.PUT_IN_VPC, dest=w.dest.component_id)
    if not groups:
        return NONE
    return _fix(FixCode.ALLOW_SG_INGRESS, proto=w.protocol, port=str(w.port), group=groups[0],
                peer=_one_cidr(w, sources))
