"""Random estates with transit gateways (docs/semantics.md §6t), as raw snapshot dicts.

Spoke VPCs route the internet or each other to a TGW; an egress VPC's attachment subnets send it on
to a NAT gateway, an internet gateway, a gateway or GWLB endpoint, or back to a TGW. Two TGWs give
asymmetric routes or a peering pair; attachment subnets cover some AZs only; NACLs vary on the
attachment and NAT subnets. About half the estates are dual-stack (docs/semantics.md §6v): IPv6
CIDRs on the VPCs and subnets, Ipv6Support on some attachments, IPv6 routes to the TGWs and in
their tables, an egress-only gateway in the egress VPC, IPv6 NACL and group rules, and a function
with Ipv6AllowedForDualStack. `any_estates()` mixes these into the older shapes of estates.py.
"""
from __future__ import annotations

from typing import Any, Iterable

from hypothesis import strategies as st

from .estates import (ALLOW_ALL_EGRESS, ALLOW_ALL_EGRESS_DUAL, AZS, DDB_IPS, DDB_PL, NAT64_IPS,
                      P5, P10, P20, P30, P50, P70, P80, PUBLIC_IPS, PUBLIC_IPV6, _Choices,
                      allow_all_entries, ddb_prefix_list_item, eigw_item, eni_item, estates,
                      final_denies, function_item, gateway_endpoint_item, host, igw_item,
                      make_id, nacl_entry, nacl_item, nat_item, packets, permission, route,
                      route_table_item, sg_item, snapshot, subnet_item, vpc_item)

AZ_IDS = {"us-east-1a": "use1-az4", "us-east-1b": "use1-az6", "us-east-1c": "use1-az1"}


# --------------------------------------------------------------------------- item builders

def tgw_item(tgw_id: str, referencing: str = "disable", state: str = "available") -> dict:
    """A transit gateway (DescribeTransitGateways) with its SG-referencing option (4.9)."""
    return {"TransitGatewayId": tgw_id, "State": state, "OwnerId": "111122223333",
            "TransitGatewayArn": f"arn:aws:ec2:us-east-1:111122223333:transit-gateway/{tgw_id}",
            "Options": {"AmazonSideAsn": 64512, "DefaultRouteTableAssociation": "disable",
                        "DefaultRouteTablePropagation": "disable", "DnsSupport": "enable",
                        "SecurityGroupReferencingSupport": referencing, "VpnEcmpSupport": "enable"},
            "Tags": []}


def vpc_attachment_item(att_id: str, tgw_id: str, vpc_id: str, subnet_ids: Iterable[str],
                        table_id: str | None, referencing: str = "enable",
                        state: str = "available", ipv6: str = "disable") -> dict:
    """A VPC attachment (DescribeTransitGatewayAttachments plus the VPC attachment's SubnetIds and
    Options), associated with table_id when given."""
    item: dict[str, Any] = {
        "TransitGatewayAttachmentId": att_id, "TransitGatewayId": tgw_id,
        "TransitGatewayOwnerId": "111122223333", "ResourceOwnerId": "111122223333",
        "ResourceType": "vpc", "ResourceId": vpc_id, "VpcId": vpc_id, "State": state,
        "SubnetIds": list(subnet_ids),
        "Options": {"DnsSupport": "enable", "Ipv6Support": ipv6,
                    "ApplianceModeSupport": "disable",
                    "SecurityGroupReferencingSupport": referencing},
        "Tags": []}
    if table_id:
        item["Association"] = {"TransitGatewayRouteTableId": table_id, "State": "associated"}
    return item


def peering_sides(att_id: str, sides: list[tuple[str, str | None]],
                  state: str = "available") -> list[dict]:
    """A TGW peering attachment as each side lists it: same id, its own TGW and association."""
    items = []
    for i, (tgw_id, table_id) in enumerate(sides):
        item: dict[str, Any] = {
            "TransitGatewayAttachmentId": att_id, "TransitGatewayId": tgw_id,
            "TransitGatewayOwnerId": "111122223333", "ResourceOwnerId": "111122223333",
            "ResourceType": "peering", "ResourceId": sides[1 - i][0], "State": state, "Tags": []}
        if table_id:
            item["Association"] = {"TransitGatewayRouteTableId": table_id, "State": "associated"}
        items.append(item)
    return items


def tgw_route(cidr: str, att: tuple[str, str] | None, kind: str = "static") -> dict:
    """A TGW route (SearchTransitGatewayRoutes) to (attachment id, type), or a blackhole."""
    r: dict[str, Any] = {"DestinationCidrBlock": cidr, "Type": kind,
                         "State": "active" if att else "blackhole", "TransitGatewayAttachments": []}
    if att:
        r["TransitGatewayAttachments"] = [{"TransitGatewayAttachmentId": att[0],
                                           "ResourceType": att[1]}]
    return r


def tgw_table_item(table_id: str, tgw_id: str, routes: list[dict], associated: Iterable[str] = (),
                   propagating: Iterable[str] = ()) -> dict:
    """A TGW route table with its Routes, Associations and Propagations (contract §1.1)."""
    def links(ids: Iterable[str], state: str) -> list[dict]:
        return [{"TransitGatewayAttachmentId": a, "State": state} for a in ids]
    return {"TransitGatewayRouteTableId": table_id, "TransitGatewayId": tgw_id,
            "State": "available",
            "DefaultAssociationRouteTable": False, "DefaultPropagationRouteTable": False,
            "Routes": routes, "Associations": links(associated, "associated"),
            "Propagations": links(propagating, "enabled"), "Tags": []}


def gwlb_endpoint_item(vpce_id: str, vpc_id: str, subnet_id: str) -> dict:
    """A Gateway Load Balancer endpoint: its appliance is never in the snapshot."""
    return {"VpcEndpointId": vpce_id, "VpcEndpointType": "GatewayLoadBalancer", "VpcId": vpc_id,
            "ServiceName": "com.amazonaws.vpce.us-east-1.vpce-svc-0a1b2c3d4e5f60718",
            "State": "available", "RouteTableIds": [], "SubnetIds": [subnet_id], "Groups": [],
            "NetworkInterfaceIds": [], "DnsEntries": [], "OwnerId": "111122223333",
            "RequesterManaged": False, "PrivateDnsEnabled": False}


# --------------------------------------------------------------------------- the strategy

@st.composite
def transit_estates(draw) -> dict:
    """2-3 VPCs (spokes first, the egress VPC last), one or two TGWs, functions in spoke 0."""
    c = _Choices(draw)
    counter = iter(range(1, 10_000))

    def new(prefix: str) -> str:
        return make_id(prefix, next(counter))

    n_vpcs, n_tgws, peered, az_ids, dual = c.each((2, 3), (1, 1, 2), P30, (False, True, True), P50)
    peered = peered and n_tgws == 2
    # Dual-stack: each VPC a /56 of its own (the egress VPC sometimes none), each subnet a /64 of it.
    vpcs = [{"id": new("vpc"), "cidr": f"10.{i}.0.0/16", "i": i,
             "v6": f"2600:1f18:{0x5b0 + i:x}:0::/56" if dual else None} for i in range(n_vpcs)]
    if dual and c.one(P10):
        vpcs[-1]["v6"] = None
    egress = vpcs[-1]
    subnets: list[dict] = []

    def add_subnet(vpc: dict, role: str, az: str) -> dict:
        k = len(subnets) + 1
        v6 = vpc["v6"].replace(":0::/56", f":{k:x}::/64") if vpc["v6"] else None
        sn = {"id": new("subnet"), "vpc": vpc, "cidr": f"10.{vpc['i']}.{k}.0/28", "az": az,
              "role": role, "offset": 4, "v6": v6}
        subnets.append(sn)
        return sn

    def address(sn: dict) -> str:
        sn["offset"] += 1 + c.index(3)
        return host(sn["cidr"], sn["offset"])

    def address6(sn: dict) -> str | None:
        """The IPv6 address matching the last IPv4 one address() gave in sn (its offset)."""
        return host(sn["v6"], 0x100 + sn["offset"]) if sn["v6"] else None

    # Subnets: spokes get one app subnet per AZ; attachment subnets are their own or the app ones.
    for vpc in vpcs:
        if vpc is not egress:
            vpc["app"] = [add_subnet(vpc, "app", az) for az in AZS]
        own_att, third = c.each(P50, P30)
        # The egress VPC sometimes spans a third AZ: a flow from an AZ its attachment lacks then
        # has two subnets to leave by, decided only when they share a NACL and a table (T2).
        azs = AZS + ("us-east-1c",) if vpc is egress and third else AZS
        vpc["att_candidates"] = ([add_subnet(vpc, "tgw", az) for az in azs]
                                 if own_att or vpc is egress else vpc["app"])
    egress["pub"] = add_subnet(egress, "pub", c.one(AZS))
    egress["db"] = add_subnet(egress, "db", c.one(AZS))

    # Transit gateways, their tables, and the VPC attachments.
    tgws = [{"id": new("tgw"), "tables": [], "atts": {}} for _ in range(n_tgws)]
    for tgw in tgws:
        tgw["tables"] = [new("tgw-rtb") for _ in range(c.one((1, 2)))]
    attachments, peer_items = [], []
    for v, vpc in enumerate(vpcs):
        for t, tgw in enumerate(tgws):
            is_spoke = vpc is not egress
            if peered:  # TGW 0 holds the spokes, TGW 1 the egress VPC (and maybe a spoke)
                attach = (t == 0) == is_spoke or (is_spoke and v > 0 and c.one(P50))
            else:
                attach = t == 0 or c.one(P70)
            if not attach:
                continue
            where, state, referencing, table, unassociated, six = c.each(
                ("both",) * 6 + ("first", "second"), ("available",) * 19 + ("pending",),
                ("enable", "enable", "disable"), range(len(tgw["tables"])), P5, P70)
            cands = vpc["att_candidates"]
            chosen = {"both": cands, "first": cands[:1], "second": cands[1:]}[where]
            att_id = new("tgw-attach")
            tgw["atts"][v] = att_id
            table_id = tgw["tables"][1 if vpc is egress and len(tgw["tables"]) > 1 else 0]
            if table:
                table_id = tgw["tables"][table]
            vpc.setdefault("tgws", []).append(tgw["id"])
            attachments.append(vpc_attachment_item(
                att_id, tgw["id"], vpc["id"], [s["id"] for s in chosen],
                None if unassociated else table_id, referencing, state,
                "enable" if six and vpc["v6"] else "disable"))
    peer_att = None
    if peered:
        peer_att = new("tgw-attach")
        sides = [(tgw["id"], c.one(tgw["tables"])) for tgw in tgws]
        one_side, state = c.each(P10, ("available",) * 9 + ("pendingAcceptance",))
        peer_items = peering_sides(peer_att, sides, state)[:1 if one_side else 2]
    vpn_att = None
    if c.one(P10):  # a VPN attachment: not followed (T2, UNSUPPORTED_COMPONENT)
        vpn_att = new("tgw-attach")
        peer_items.append({"TransitGatewayAttachmentId": vpn_att, "TransitGatewayId": tgws[0]["id"],
                           "ResourceType": "vpn", "ResourceId": new("vpn"), "State": "available",
                           "Association": {"TransitGatewayRouteTableId": tgws[0]["tables"][0],
                                           "State": "associated"}})

    # TGW route tables: propagations, static routes to the egress VPC, across the peering,
    # blackholes; the Association of each attachment is also listed on its table.
    cidr_menu = (["0.0.0.0/0", "10.0.0.0/8"] + [v["cidr"] for v in vpcs]
                 + [s["cidr"] for s in subnets])
    # IPv6 ones: ::/0, a VPC's /56 or a subnet's /64, so a subnet's two ends decide alike.
    cidr_menu += (["::/0"] if dual else []) + [v["v6"] for v in vpcs if v["v6"]] \
        + [s["v6"] for s in subnets if s["v6"]]
    tgw_tables = []
    for tgw in tgws:
        att_of = {v: (a, "vpc") for v, a in tgw["atts"].items()}
        for table_id in tgw["tables"]:
            propagating = [att_of[v][0] for v in att_of if c.one(P70)]
            routes = []
            if len(vpcs) - 1 in att_of and c.one(P80):  # centralised egress
                routes.append(tgw_route("0.0.0.0/0", att_of[len(vpcs) - 1]))
            if dual and len(vpcs) - 1 in att_of and c.one(P70):  # IPv6 egress, or NAT64, by the hub
                routes.append(tgw_route(c.one(("::/0", "::/0", "64:ff9b::/96")), att_of[len(vpcs) - 1]))
            # Static IPv6 routes to a VPC's attachment: they carry IPv6 whatever its Ipv6Support.
            routes += [tgw_route(vpcs[v]["v6"], att) for v, att in att_of.items()
                       if vpcs[v]["v6"] and c.one(P30)]
            if peer_att:
                far = [cidr for i, v in enumerate(vpcs) if i not in att_of
                       for cidr in (v["cidr"], v["v6"]) if cidr]
                for cidr in far + ["0.0.0.0/0"] * c.one(P30):
                    if c.one(P80) and cidr not in [r["DestinationCidrBlock"] for r in routes]:
                        routes.append(tgw_route(cidr, (peer_att, "peering")))
            if vpn_att and tgw is tgws[0] and c.one(P80):
                routes.append(tgw_route("172.16.0.0/12", (vpn_att, "vpn")))
            for _ in range(c.one((0, 0, 1, 2))):
                cidr, target, kind = c.each(cidr_menu, [None] + list(att_of.values()),
                                            ("static", "static", "propagated"))
                if cidr not in [r["DestinationCidrBlock"] for r in routes]:
                    routes.append(tgw_route(cidr, target, "static" if target is None else kind))
            associated = [
                a["TransitGatewayAttachmentId"] for a in [*attachments, *peer_items]
                if (a.get("Association") or {}).get("TransitGatewayRouteTableId") == table_id]
            tgw_tables.append(tgw_table_item(table_id, tgw["id"], routes, associated, propagating))

    # The egress VPC's gateways: IGW, a NAT, maybe a DynamoDB gateway endpoint, a GWLB endpoint.
    igw_id, nat_id, eigw_id = new("igw"), new("nat"), new("eigw")
    igw_attached, nat_in_att, nat_state, has_vpce, has_gwlb = c.each(
        (True,) * 9 + (False,), P10, ("available",) * 9 + ("failed",), P30, P20)
    nat_home = c.one(egress["att_candidates"]) if nat_in_att else egress["pub"]
    nat = nat_item(nat_id, nat_home["id"], egress["id"], address(nat_home), state=nat_state)
    vpce = gateway_endpoint_item(new("vpce"), egress["id"], []) if has_vpce else None
    gwlb = gwlb_endpoint_item(new("vpce"), egress["id"], egress["pub"]["id"]) if has_gwlb else None

    def some_tgw(vpc: dict) -> str:
        return c.one(vpc.get("tgws") or [tgws[0]["id"]])

    spokes_cidr = c.one(["10.0.0.0/8", "10.0.0.0/16"] + [v["cidr"] for v in vpcs[:-1]])
    route_tables = []
    for vpc in vpcs:
        local = route(vpc["cidr"], "local")
        tables: list[tuple[list[dict], list[str]]] = []
        if vpc is egress:
            onward = {"nat": nat_id, "igw": igw_id, "tgw": some_tgw(vpc),
                      "vpce": gwlb and gwlb["VpcEndpointId"], "none": None}[
                c.one(("nat", "nat", "nat", "nat", "igw", "tgw", "vpce", "none"))]
            att_routes = [local] + ([route("0.0.0.0/0", onward)] if onward else [])
            if vpce is not None and c.one(P50):
                att_routes.append(route(DDB_PL, vpce["VpcEndpointId"]))
            if c.one(P30):
                att_routes.append(route(spokes_cidr, some_tgw(vpc)))
            if vpc["v6"]:  # IPv6 onward from the hub: all unknown after transit but NACLs (§6v)
                onward6 = {"eigw": eigw_id, "igw": igw_id, "tgw": some_tgw(vpc), "none": None}[
                    c.one(("eigw", "eigw", "igw", "tgw", "none"))]
                att_routes += [route("::/0", onward6)] if onward6 else []
                if c.one(P30):
                    att_routes.append(route("64:ff9b::/96", nat_id))
            pub_routes = [local, route("0.0.0.0/0", igw_id)]
            if c.one(P80):  # the return route of centralised egress (2.17)
                pub_routes.append(route(spokes_cidr, some_tgw(vpc)))
            spokes6 = [v["v6"] for v in vpcs[:-1] if v["v6"]]
            if vpc["v6"] and spokes6 and c.one(P70):  # IPv6 replies to the spokes
                six_way = route(c.one(spokes6 + ["::/0"]), some_tgw(vpc))
                pub_routes.append(six_way)
                main = [local, six_way]
            else:
                main = [local]
            if vpce is not None and c.one(P50):
                pub_routes.append(route(DDB_PL, vpce["VpcEndpointId"]))
            main += [route(spokes_cidr, some_tgw(vpc))] if c.one(P70) else []
            att_ids = [s["id"] for s in vpc["att_candidates"] if s is not nat_home]
            tables = [(main, [egress["db"]["id"]] if c.one(P50) else []), (att_routes, att_ids),
                      (pub_routes, [nat_home["id"]])]
        else:
            app_routes = [local]
            default, peer_route, peer_pick = c.each((True, True, True, False), P50,
                                                    range(len(vpcs)))
            if default:
                app_routes.append(route("0.0.0.0/0", some_tgw(vpc)))
            if peer_route:  # a route for another VPC, or all private space, maybe by another TGW
                peer = vpcs[peer_pick]
                dest = peer["cidr"] if peer is not vpc else "10.0.0.0/8"
                app_routes.append(route(dest, some_tgw(vpc)))
            if vpc["v6"]:  # IPv6: the other VPCs' /56s, or everything, to a TGW
                for dest6 in [v["v6"] for v in vpcs if v is not vpc and v["v6"] and c.one(P70)] \
                        + ["::/0"] * c.one(P50):
                    app_routes.append(route(dest6, some_tgw(vpc)))
            main = [local] + ([route("0.0.0.0/0", some_tgw(vpc))] if c.one(P30) else [])
            tables = [(main, []), (app_routes, [s["id"] for s in vpc["app"]])]
        for t, (routes_, assoc) in enumerate(tables):
            rt_id = new("rtb")
            if vpce is not None and any(r.get("GatewayId") == vpce["VpcEndpointId"]
                                        for r in routes_):
                vpce["RouteTableIds"].append(rt_id)
            if c.one((False,) * 11 + (True,)):  # about one table in twelve has a blackhole
                hole = c.index(len(routes_))
                if routes_[hole].get("GatewayId") != "local":
                    routes_ = [dict(r, State="blackhole") if i == hole else r
                               for i, r in enumerate(routes_)]
            route_tables.append(route_table_item(rt_id, vpc["id"], routes_, assoc, main=t == 0))

    # Groups: the function's, and a database group per VPC admitting the spokes or the function.
    fn_sg = new("sg")
    spoke = vpcs[0]
    fn_egress = ((ALLOW_ALL_EGRESS_DUAL if spoke["v6"] else ALLOW_ALL_EGRESS) if c.one(P80)
                 else permission("tcp", (443, 5432), cidrs=["0.0.0.0/0"] + ["::/0"] * bool(spoke["v6"])))
    security_groups = [sg_item(fn_sg, spoke["id"], [], [fn_egress])]
    enis = []
    for vpc in vpcs:
        db_sg = new("sg")
        peer, ports = c.each(
            [["10.0.0.0/8"], [spoke["cidr"]], ["groups"], ["10.0.0.0/8", "groups"]],
            [(5432, 5432), (0, 65535), (443, 443)])
        cidrs = [p for p in peer if p != "groups"]
        if spoke["v6"] and c.one(P70):  # the spoke's IPv6 /56, or any IPv6 address
            cidrs.append(c.one((spoke["v6"], "::/0")))
        groups = [fn_sg] if "groups" in peer else []
        ingress = [permission("tcp", ports, cidrs=cidrs, groups=groups)]
        security_groups.append(sg_item(db_sg, vpc["id"], ingress, [ALLOW_ALL_EGRESS]))
        home = egress["db"] if vpc is egress else c.one(vpc["app"])
        enis.append(eni_item(new("eni"), home["id"], vpc["id"], address(home), [db_sg],
                             az=home["az"], description="RDSNetworkInterface", ipv6=address6(home)))

    # NACLs: allow-all defaults; the attachment, NAT and function subnets sometimes get their own.
    six_cidrs = ["::/0", "::/0"] + [v["v6"] for v in vpcs if v["v6"]] if dual else []

    def random_entries() -> list[dict]:
        entries = []
        for out in (True, False):
            numbers = (50, 100, 200)[:c.one((1, 2, 3))] + ((150, 250)[:c.one((1, 2))] if dual else ())
            for number in numbers:
                # Rules 150 and 250 are IPv6 ones in a dual-stack estate (5.7: families apart).
                action, proto, cidr, ports = c.each(
                    ("allow", "allow", "allow", "deny"), ("-1", "6", "6"),
                    six_cidrs if number in (150, 250) else
                    ["0.0.0.0/0", "0.0.0.0/0", "10.0.0.0/8", "8.8.8.0/24",
                     *[v["cidr"] for v in vpcs]],
                    [(443, 443), (5432, 5432), (1024, 65535), (0, 65535), (32768, 61000)])
                entries.append(nacl_entry(number, out, action, proto, cidr, ports))
        return entries + final_denies()

    network_acls = []
    for vpc in vpcs:
        mine = [s for s in subnets if s["vpc"] is vpc]
        custom = [s["id"] for s in mine if c.one(P30 if s["role"] in ("tgw", "pub") else P10)]
        shared = [s["id"] for s in mine if s["id"] not in custom]
        network_acls.append(nacl_item(new("acl"), vpc["id"], allow_all_entries(bool(vpc["v6"])), shared,
                                      is_default=True))
        for sid in custom:
            network_acls.append(nacl_item(new("acl"), vpc["id"], random_entries(), [sid]))

    functions = []
    for f in range(c.one((1, 2))):
        fn_subnets = c.one([spoke["app"][:1], spoke["app"][1:], spoke["app"]])
        functions.append(function_item(f"fn-{f}", [s["id"] for s in fn_subnets], [fn_sg],
                                       spoke["id"], dual_stack=bool(spoke["v6"]) and c.one(P80)))

    tgw_refs, split = c.each(("enable", "disable"), P20)
    subnet_items = []
    for s in subnets:
        item = subnet_item(s["id"], s["vpc"]["id"], s["cidr"], s["az"], ipv6=s["v6"])
        # AvailabilityZoneId decides when both subnets have one, so some app subnets go without.
        if az_ids and (s["role"] != "app" or c.one(P80)):
            item["AvailabilityZoneId"] = AZ_IDS[s["az"]]
        subnet_items.append(item)
    snap = snapshot(
        Vpcs=[vpc_item(v["id"], v["cidr"], ipv6=v["v6"]) for v in vpcs],
        Subnets=subnet_items, RouteTables=route_tables,
        InternetGateways=[igw_item(igw_id, egress["id"] if igw_attached else None)],
        EgressOnlyInternetGateways=[eigw_item(eigw_id, egress["id"])] if egress["v6"] else [],
        NatGateways=[nat], VpcEndpoints=[e for e in (vpce, gwlb) if e is not None],
        SecurityGroups=security_groups, NetworkAcls=network_acls,
        ManagedPrefixLists=[ddb_prefix_list_item()], NetworkInterfaces=enis,
        TransitGateways=[tgw_item(t["id"], tgw_refs) for t in tgws],
        TransitGatewayAttachments=attachments + peer_items, TransitGatewayRouteTables=tgw_tables,
        Functions=functions)
    if split:  # SubnetIds and Options as DescribeTransitGatewayVpcAttachments gives them
        snap["TransitGatewayVpcAttachments"] = [
            {k: a.pop(k) for k in ("SubnetIds", "Options", "VpcId")} | {
                k: a[k] for k in ("TransitGatewayAttachmentId", "TransitGatewayId", "State")}
            for a in attachments]
    return snap


@st.composite
def transit_packets(draw, estate: dict) -> tuple[str, int, str]:
    """A packet worth asking about in a transit estate: a database in another VPC, the internet,
    DynamoDB, the NAT, or an address no ENI holds; mostly TCP on the ports the rules name."""
    c = _Choices(draw)
    enis = [e["PrivateIpAddress"] for e in estate["NetworkInterfaces"]]
    nats = [n["NatGatewayAddresses"][0]["PrivateIp"] for n in estate["NatGateways"]]
    elsewhere = ["10.1.200.7", "172.16.0.9"]  # in no subnet; behind a VPN
    # Dual-stack: the databases' IPv6 addresses, the IPv6 internet, NAT64, and an IPv6 address of
    # an attached VPC that no subnet holds.
    enis6 = [a["Ipv6Address"] for e in estate["NetworkInterfaces"] for a in e["Ipv6Addresses"]]
    vpcs6 = [a["Ipv6CidrBlock"] for v in estate["Vpcs"] for a in v["Ipv6CidrBlockAssociationSet"]]
    six = enis6 * 3 + list(PUBLIC_IPV6) * 2 + list(NAT64_IPS[:1]) + [host(v, 0xfe << 64) for v in vpcs6[:1]]
    family6 = bool(vpcs6) and c.one(P50)
    ip, port, udp = c.each(six if family6 else enis * 3 + list(PUBLIC_IPS) * 2 + list(DDB_IPS) + nats + elsewhere,
                           (443, 443, 5432, 5432, 22, 8080), P10)
    return ip, port, "udp" if udp else "tcp"


def packets_for(estate: dict):
    """The packet strategy that fits the estate's shape."""
    return transit_packets(estate) if estate.get("TransitGateways") else packets(estate)


@st.composite
def any_estates(draw) -> dict:
    """The older estate shapes, and one time in four an estate with transit gateways."""
    return draw(transit_estates() if draw(st.integers(0, 3)) == 0 else estates())
