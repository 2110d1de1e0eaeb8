"""Draw what reach knows as diagrams: the paths of one answer, or one whole VPC."""
from __future__ import annotations

from collections import Counter

from ...answer import Answer, Decision, Direction, Hop, Path, Verdict
from ...errors import ReachInputError
from ...estate import Estate
from ...estate.topology import linked_to, members, routes, topology
from ...estate.objects import name_of
from ...model import Snapshot
from ...questions.enis import plan_enis
from .diagram import Diagram

_HOP_STATUS = {Decision.ALLOW: ("plain", "flow"), Decision.DENY: ("blocked", "blocked"),
               Decision.UNKNOWN: ("unknown", "unknown")}
_TARGET_STATUS = {Verdict.REACHABLE: "reached", Verdict.PARTIAL: "partial",
                  Verdict.UNREACHABLE: "missed", Verdict.UNKNOWN: "unknown"}


def is_reply(hop: Hop) -> bool:
    """Whether a hop judges the reply rather than the request (0.3, 1.25, 5.8)."""
    return hop.direction == Direction.REPLY


def draw_answer(snapshot: Snapshot, answer: Answer) -> Diagram:
    """The paths of one answer: function, each Hyperplane ENI's hops, the target; blocks marked."""
    source = answer.source.get("function") or "what-if"
    target = answer.target
    d = Diagram(f"{source} → {target['spec']} ({target['protocol']}/{target['port']}): "
                f"{answer.verdict.value}", direction="TB")
    d.node(source, "function", [f"function {source}"], "function")
    ids = _hop_ids(answer)
    for p in answer.paths:
        start = source
        if p.subnet_id:
            groups = ", ".join(p.security_group_ids) or "no security groups"
            start = d.node(p.subnet_id, "subnet", [
                f"subnet {p.subnet_id}", name_of(p.subnet_id, snapshot) or "",
                f"{p.availability_zone or '?'} · Hyperplane ENI with {groups}"])
            d.edge(source, start)
        _draw_path(d, snapshot, p, start, target["spec"], ids)
    lines = [f"target {target['spec']}", f"{target['protocol']}/{target['port']}"]
    d.node(target["spec"], "target", lines, _TARGET_STATUS[answer.verdict])
    return d


def _draw_path(d: Diagram, snapshot: Snapshot, p: Path, start: str, target: str,
               ids: dict[tuple, str]) -> None:
    codes = {b.component_id: b.code for b in reversed(p.blockers)}
    codes[""] = p.blockers[0].code if p.blockers else ""
    seen: Counter = Counter()
    prev, before, last = start, start, None
    for h in (h for h in p.hops if not is_reply(h)):
        if last is not None and (h.component_id, h.kind) == (last.component_id, last.kind):
            prev = before  # one table, several routes: branches from the same hop, not a chain
        before, last = prev, h
        prev = _draw_hop(d, snapshot, h, prev, ids, seen, codes, reply=False)
    last = f"only {p.reached}" if p.reached else ("" if p.verdict == Verdict.REACHABLE else p.verdict.value)
    d.edge(prev, target, last, "flow" if p.verdict == Verdict.REACHABLE else "missed")
    prev = target
    replies = [h for h in p.hops if is_reply(h)]
    for i, h in enumerate(replies):
        prev = _draw_hop(d, snapshot, h, prev, ids, seen, codes, reply=True, first=i == 0)
    if replies:
        d.edge(prev, start, "", "reply")


def _draw_hop(d: Diagram, snapshot: Snapshot, h: Hop, prev: str, ids: dict[tuple, str], seen: Counter,
              codes: dict[str, str], *, reply: bool, first: bool = False) -> str:
    role = (h.component_id, h.kind, reply)
    seen[role] += 1
    nid = ids[(*role, seen[role])]
    status, style = _HOP_STATUS[h.decision]
    d.node(nid, h.kind, [f"{h.kind} {h.component_id}", name_of(h.component_id, snapshot) or "", h.detail],
           status)
    label = (codes.get(h.component_id) or codes[""] or h.decision.value) if style != "flow" else \
        ("reply" if first else "")
    d.edge(prev, nid, label, "reply" if reply and style == "flow" else style)
    return nid


def _hop_ids(answer: Answer) -> dict[tuple, str]:
    """Node ids per (component, kind, reply, n-th on a path): the AWS id, suffixed after its first role."""
    roles: dict[str, list[tuple]] = {}
    for p in answer.paths:
        seen: Counter = Counter()
        for h in [*(h for h in p.hops if not is_reply(h)), *(h for h in p.hops if is_reply(h))]:
            role = (h.component_id, h.kind, is_reply(h))
            seen[role] += 1
            key = (*role, seen[role])
            if key not in roles.setdefault(h.component_id, []):
                roles[h.component_id].append(key)
    out = {}
    for cid, keys in roles.items():
        for i, (_, kind, reply, n) in enumerate(keys):
            suffix = ("reply-" if reply else "") + kind.rsplit("-", 1)[-1] + (f"-{n}" if n > 1 else "")
            out[(cid, kind, reply, n)] = cid if i == 0 else f"{cid}#{suffix}"
    return out


# --- a whole VPC ---

_ROUTE_KINDS = (("igw-", "internet-gateway"), ("nat-", "nat-gateway"), ("vpce-", "vpc-endpoint"),
                ("pcx-", "vpc-peering-connection"), ("tgw-", "transit-gateway"),
                ("eigw-", "egress-only-internet-gateway"), ("eni-", "network-interface"),
                ("i-", "instance"), ("vgw-", "vpn-gateway"))


def draw_vpc(snapshot: Snapshot, vpc_id: str) -> Diagram:
    """One VPC: subnets by AZ, route tables and their routes, gateways, endpoints, peering,
    functions with their Hyperplane ENIs, and databases."""
    estate = Estate.of(snapshot)
    vpc = estate.vpcs.get(vpc_id)
    if vpc is None:
        known = ", ".join(sorted(estate.vpcs)[:5]) + (", ..." if len(estate.vpcs) > 5 else "")
        which = f"the snapshot's {len(estate.vpcs)} VPCs are {known}" if estate.vpcs else \
            "the snapshot has no VPCs"
        raise ReachInputError(f"unknown VPC {vpc_id!r}: {which}")
    name = name_of(vpc_id, snapshot)
    d = Diagram(f"VPC {vpc_id}{f' ({name})' if name else ''}")
    top = d.cluster(vpc_id, " · ".join(x for x in (f"vpc {vpc_id}", name, ", ".join(vpc.ipv4_cidrs())) if x))
    g = topology(estate)
    subnets = sorted((estate.subnets[s] for s in members(g, vpc_id, "subnet")),
                     key=lambda s: (s.availability_zone or "", s.subnet_id))
    az_of = {}
    for s in subnets:
        az = s.availability_zone or "AZ unknown"
        cluster = d.cluster(f"{vpc_id}/{az}", az, top)
        az_of[s.subnet_id] = cluster
        public = "public IPs on launch" if s.map_public_ip_on_launch else ""
        d.node(s.subnet_id, "subnet", [f"subnet {s.subnet_id}", name_of(s.subnet_id, snapshot) or "",
                                       " · ".join(x for x in (s.cidr_block or "", public) if x)],
               cluster=cluster, rank=2)
    if not subnets:
        d.node(vpc_id, "vpc", [f"vpc {vpc_id}", "no subnets in the snapshot"], cluster=top, rank=2)
    _functions(d, snapshot, vpc_id, az_of, top)
    tables = [estate.route_tables[rt] for rt in members(g, vpc_id, "route-table")]
    for rt in tables:
        main = "main route table" if rt.is_main else ""
        d.node(rt.route_table_id, "route-table", [f"route-table {rt.route_table_id}",
                                                  name_of(rt.route_table_id, snapshot) or "", main],
               cluster=top, rank=3)
    for s in subnets:
        rt = estate.route_table_id(s.subnet_id)
        if rt in d.nodes:
            explicit = any(a.subnet_id == s.subnet_id for a in estate.route_tables[rt].associations)
            d.edge(s.subnet_id, rt, "" if explicit else "main")
    _places(d, snapshot, vpc_id, az_of, top)
    for rt in tables:
        for target, r in sorted(routes(g, rt.route_table_id), key=lambda x: (x[1]["destination"] or "", x[0])):
            _target_node(d, snapshot, target, top)
            blackhole = r["state"] == "blackhole"
            label = f"{r['destination'] or '?'}{' (blackhole)' if blackhole else ''}"
            d.edge(rt.route_table_id, target, label, "blocked" if blackhole else "flow")
    _databases(d, snapshot, vpc_id, az_of, top)
    return d


def _functions(d: Diagram, snapshot: Snapshot, vpc_id: str, az_of: dict, top: str) -> None:
    for row in (e for e in plan_enis(snapshot).enis if e.vpc_id == vpc_id):
        groups = ", ".join(row.security_group_ids) or "no security groups"
        if row.existing_eni_ids:
            eni, head = row.existing_eni_ids[0], f"Hyperplane ENI {row.existing_eni_ids[0]}"
        else:
            eni, head = f"eni:{row.subnet_id}:{'+'.join(row.security_group_ids)}", "Hyperplane ENI (none yet)"
        d.node(eni, "network-interface", [head, groups], cluster=az_of.get(row.subnet_id, top), rank=1)
        d.edge(eni, row.subnet_id, "", "member")
        for fn in row.functions:
            d.node(fn, "function", [f"function {fn}"], "function", rank=0)
            d.edge(fn, eni)


def _places(d: Diagram, snapshot: Snapshot, vpc_id: str, az_of: dict, top: str) -> None:
    """NAT gateways and interface endpoints in their subnets, gateway endpoints and attached IGWs."""
    estate = Estate.of(snapshot)
    g = topology(estate)
    for nat in sorted((estate.nats[n] for s in az_of for n in members(g, s, "nat-gateway")),
                      key=lambda n: n.nat_gateway_id):
        if nat.subnet_id in az_of:
            kind = "public" if nat.is_public else "private"
            d.node(nat.nat_gateway_id, "nat-gateway", [f"nat-gateway {nat.nat_gateway_id}",
                                                       name_of(nat.nat_gateway_id, snapshot) or "",
                                                       f"{kind} · {nat.state or 'state unknown'}"],
                   cluster=az_of[nat.subnet_id], rank=4)
            d.edge(nat.subnet_id, nat.nat_gateway_id, "", "member")
    for e in (estate.endpoints[e] for e in members(g, vpc_id, "vpc-endpoint")):
        service = (e.service_name or "?").rsplit(".", 1)[-1]
        d.node(e.vpc_endpoint_id, "vpc-endpoint", [f"vpc-endpoint {e.vpc_endpoint_id}",
                                                   f"{e.vpc_endpoint_type} · {service}"], cluster=top, rank=4)
        for s in sorted(e.subnet_ids):
            if s in az_of:
                d.edge(s, e.vpc_endpoint_id, "", "member")
    for igw in linked_to(g, vpc_id, "internet-gateway", "attached"):
        _target_node(d, snapshot, igw, top)
    for pcx in linked_to(g, vpc_id, "vpc-peering-connection", "peers"):
        p = estate.peerings[pcx]
        sides = [i.vpc_id for i in (p.requester_vpc_info, p.accepter_vpc_info) if i and i.vpc_id]
        if vpc_id in sides:
            _target_node(d, snapshot, p.vpc_peering_connection_id, top)
            for other in (v for v in sides if v != vpc_id):
                d.node(other, "vpc", [f"vpc {other}", name_of(other, snapshot) or "",
                                      ", ".join(estate.vpc_cidrs(other))], rank=5)
                d.edge(p.vpc_peering_connection_id, other, "peer", "member")


def _target_node(d: Diagram, snapshot: Snapshot, target: str, top: str) -> None:
    """A route target's node: inside the VPC for endpoints and NATs, outside for the rest."""
    if target in d.nodes:
        return
    estate = Estate.of(snapshot)
    kind = next((k for prefix, k in _ROUTE_KINDS if target.startswith(prefix)), "route-target")
    extra = ""
    if kind == "vpc-peering-connection" and target in estate.peerings:
        p = estate.peerings[target]
        extra = (p.status.code if p.status else None) or ""
    elif target not in {*estate.igws, *estate.nats, *estate.endpoints, *estate.peerings, *estate.tgws}:
        extra = "not in the snapshot" if kind != "route-target" else ""
    inside = kind in ("nat-gateway", "vpc-endpoint")
    d.node(target, kind, [f"{kind} {target}", name_of(target, snapshot) or "", extra],
           "unknown" if extra == "not in the snapshot" else "plain", cluster=top if inside else None, rank=4)


def _databases(d: Diagram, snapshot: Snapshot, vpc_id: str, az_of: dict, top: str) -> None:
    """RDS instances in the subnet of their group in their AZ (7.x), clusters beside them."""
    estate = Estate.of(snapshot)
    subnet_az = {s: estate.subnets[s].availability_zone for s in az_of}
    for db in sorted(estate.db_instances.values(), key=lambda x: x.identifier):
        group = db.db_subnet_group
        if not group or group.vpc_id != vpc_id:
            continue
        subnet = next((s.subnet_identifier for s in group.subnets if s.subnet_identifier in az_of
                       and subnet_az[s.subnet_identifier] == db.availability_zone), None)
        port = db.endpoint.port if db.endpoint and db.endpoint.port else ""
        public = "publicly accessible" if db.publicly_accessible else ""
        d.node(db.identifier, "db-instance", [f"db-instance {db.identifier}",
                                              " · ".join(str(x) for x in (db.engine, port, public) if x)],
               cluster=az_of.get(subnet, top), rank=3)
        if subnet:
            d.edge(subnet, db.identifier, "", "member")
    for c in sorted(estate.db_clusters.values(), key=lambda x: x.identifier):
        members = [m.db_instance_identifier for m in c.db_cluster_members
                   if m.db_instance_identifier in d.nodes]
        if members:
            d.node(c.identifier, "db-cluster", [f"db-cluster {c.identifier}",
                                                " · ".join(str(x) for x in (c.engine, c.port) if x)],
                   cluster=top, rank=4)
            for m in sorted(members):
                d.edge(m, c.identifier, "", "member")
