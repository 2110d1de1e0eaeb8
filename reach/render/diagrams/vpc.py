"""Draw one whole VPC from the estate's topology graph: subnets boxed by Availability Zone, their
route tables and network ACLs, gateways, endpoints, peering, functions and databases."""
from __future__ import annotations

from ...errors import ReachInputError
from ...estate import Estate
from ...estate.objects import name_of
from ...estate.topology import linked_to, members, routes, topology
from ...model import Snapshot
from ...questions.enis import plan_enis
from .diagram import Diagram

_ROUTE_KINDS = (("igw-", "internet-gateway"), ("nat-", "nat-gateway"), ("vpce-", "vpc-endpoint"),
                ("pcx-", "vpc-peering-connection"), ("tgw-", "transit-gateway"),
                ("eigw-", "egress-only-internet-gateway"), ("eni-", "network-interface"),
                ("i-", "instance"), ("vgw-", "vpn-gateway"))
FUNCTION_BOXES_UP_TO = 12  # a VPC with more functions lists them in their ENIs' boxes instead
FUNCTIONS_LISTED = 4  # names an ENI's box lists before "and N more"


def draw_vpc(snapshot: Snapshot, vpc_id: str) -> Diagram:
    """One VPC: subnets by AZ, route tables and network ACLs, gateways, endpoints, peering,
    functions with their Hyperplane ENIs, and databases. The columns come from the edges
    (functions → ENIs → subnets → tables and ACLs → route targets → peer VPCs), not from
    coordinates: svg.layout layers them."""
    estate = Estate.of(snapshot)
    vpc = estate.vpcs.get(vpc_id)
    if vpc is None:
        known = ", ".join(sorted(estate.vpcs)[:5]) + (", ..." if len(estate.vpcs) > 5 else "")
        which = f"the snapshot's {len(estate.vpcs)} VPCs are {known}" if estate.vpcs else \
            "the snapshot has no VPCs"
        raise ReachInputError(f"unknown VPC {vpc_id!r}: {which}")
    name = name_of(vpc_id, snapshot)
    d = Diagram(f"VPC {vpc_id}{f' ({name})' if name else ''}", align=("subnet",))
    top = d.cluster(vpc_id, " · ".join(x for x in (f"vpc {vpc_id}", name, ", ".join(vpc.ipv4_cidrs())) if x))
    g = topology(estate)
    subnets = sorted((estate.subnets[s] for s in members(g, vpc_id, "subnet")),
                     key=lambda s: (s.availability_zone or "", s.subnet_id))
    az_of = {}
    for s in subnets:
        az = s.availability_zone or "AZ unknown"
        cluster = d.cluster(f"{vpc_id}/{az}", az, top, box=True)
        az_of[s.subnet_id] = cluster
        public = "public IPs on launch" if s.map_public_ip_on_launch else ""
        d.node(s.subnet_id, "subnet", [f"subnet {s.subnet_id}", name_of(s.subnet_id, snapshot) or "",
                                       " · ".join(x for x in (s.cidr_block or "", public) if x)],
               cluster=cluster)
    if not subnets:
        d.node(vpc_id, "vpc", [f"vpc {vpc_id}", "no subnets in the snapshot"], cluster=top)
    _functions(d, snapshot, vpc_id, az_of)
    tables = [estate.route_tables[rt] for rt in members(g, vpc_id, "route-table")]
    for rt in tables:
        main = "main route table" if rt.is_main else ""
        d.node(rt.route_table_id, "route-table", [f"route-table {rt.route_table_id}",
                                                  name_of(rt.route_table_id, snapshot) or "", main],
               cluster=top)
    for s in subnets:
        rt = estate.route_table_id(s.subnet_id)
        if rt in d.nodes:
            explicit = any(a.subnet_id == s.subnet_id for a in estate.route_tables[rt].associations)
            d.edge(s.subnet_id, rt, "" if explicit else "main")
    _acls(d, snapshot, [s.subnet_id for s in subnets], top)
    _places(d, snapshot, vpc_id, az_of, top)
    for rt in tables:
        for target, r in sorted(routes(g, rt.route_table_id), key=lambda x: (x[1]["destination"] or "", x[0])):
            _target_node(d, snapshot, target, top)
            blackhole = r["state"] == "blackhole"
            label = f"{r['destination'] or '?'}{' (blackhole)' if blackhole else ''}"
            d.edge(rt.route_table_id, target, label, "blocked" if blackhole else "flow")
    _databases(d, snapshot, vpc_id, az_of, top)
    return d


def _functions(d: Diagram, snapshot: Snapshot, vpc_id: str, az_of: dict) -> None:
    """Each Hyperplane ENI in its subnet's AZ; its functions as boxes, or listed in it when many."""
    rows = [e for e in plan_enis(snapshot).enis if e.vpc_id == vpc_id]
    boxes = len({fn for row in rows for fn in row.functions}) <= FUNCTION_BOXES_UP_TO
    for row in rows:
        groups = ", ".join(row.security_group_ids) or "no security groups"
        if row.existing_eni_ids:
            eni, head = row.existing_eni_ids[0], f"Hyperplane ENI {row.existing_eni_ids[0]}"
        else:
            eni, head = f"eni:{row.subnet_id}:{'+'.join(row.security_group_ids)}", "Hyperplane ENI (none yet)"
        listed = "" if boxes else _listed(row.functions)
        d.node(eni, "network-interface", [head, groups, listed], cluster=az_of.get(row.subnet_id))
        d.edge(eni, row.subnet_id, "", "member")
        for fn in row.functions if boxes else ():
            d.node(fn, "function", [f"function {fn}"], "function")
            d.edge(fn, eni)


def _listed(functions: list[str]) -> str:
    more = len(functions) - FUNCTIONS_LISTED
    names = ", ".join(functions[:FUNCTIONS_LISTED]) + (f" and {more} more" if more > 0 else "")
    return f"{len(functions)} function{'s' if len(functions) != 1 else ''}: {names}"


def _acls(d: Diagram, snapshot: Snapshot, subnets: list[str], top: str) -> None:
    """The network ACL of each subnet (its own, else the VPC's default, 5.4), with its rule counts."""
    estate = Estate.of(snapshot)
    for s in subnets:
        acl_id = estate.acl_id(s)
        acl = estate.acls.get(acl_id) if acl_id else None
        if acl is None:
            continue
        counts = []
        for egress, way in ((False, "in"), (True, "out")):
            rules = [e for e in acl.entries if e.egress == egress and e.rule_number < 32767]  # not `*` (5.2)
            deny = sum(str(e.rule_action) == "deny" for e in rules)
            counts.append(f"{way}: {len(rules)} rule{'s' if len(rules) != 1 else ''}"
                          + (f" ({deny} deny)" if deny else ""))
        d.node(acl_id, "network-acl", [f"network-acl {acl_id}", name_of(acl_id, snapshot) or "",
                                       " · ".join(["default"] * acl.is_default + counts)], cluster=top)
        d.edge(s, acl_id, "", "assoc")


def _places(d: Diagram, snapshot: Snapshot, vpc_id: str, az_of: dict, top: str) -> None:
    """NAT gateways and interface endpoints in their subnets, gateway endpoints and attached IGWs."""
    estate = Estate.of(snapshot)
    g = topology(estate)
    for nat in sorted((estate.nats[n] for s in az_of for n in members(g, s, "nat-gateway")),
                      key=lambda n: n.nat_gateway_id):
        if nat.subnet_id in az_of:
            kind = "public" if nat.is_public else "private"
            az = estate.subnets[nat.subnet_id].availability_zone or "AZ unknown"
            d.node(nat.nat_gateway_id, "nat-gateway", [f"nat-gateway {nat.nat_gateway_id}",
                                                       name_of(nat.nat_gateway_id, snapshot) or "",
                                                       f"{kind} · {nat.state or 'state unknown'} · {az}"],
                   cluster=az_of[nat.subnet_id])
            d.edge(nat.subnet_id, nat.nat_gateway_id, "", "member")
    for e in (estate.endpoints[e] for e in members(g, vpc_id, "vpc-endpoint")):
        service = (e.service_name or "?").rsplit(".", 1)[-1]
        d.node(e.vpc_endpoint_id, "vpc-endpoint", [f"vpc-endpoint {e.vpc_endpoint_id}",
                                                   f"{e.vpc_endpoint_type} · {service}"], cluster=top)
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
                                      ", ".join(estate.vpc_cidrs(other))])
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
           "unknown" if extra == "not in the snapshot" else "plain", cluster=top if inside else None)


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
               cluster=az_of.get(subnet, top))
        if subnet:
            d.edge(db.identifier, subnet, "", "member")
    for c in sorted(estate.db_clusters.values(), key=lambda x: x.identifier):
        members_ = [m.db_instance_identifier for m in c.db_cluster_members
                    if m.db_instance_identifier in d.nodes]
        if members_:
            d.node(c.identifier, "db-cluster", [f"db-cluster {c.identifier}",
                                                " · ".join(str(x) for x in (c.engine, c.port) if x)],
                   cluster=top)
            for m in sorted(members_):
                d.edge(c.identifier, m, "", "member")
