"""Build small AWS estates as raw snapshot dicts (contract §1.1), by hand or with hypothesis.

The builders return items in the exact shapes of the AWS describe-* responses; `estates()` draws
random small estates from them and `packets(estate)` draws concrete packets worth asking about.
"""
from __future__ import annotations

import ipaddress
import itertools
import math
from typing import Any, Iterable

from hypothesis import strategies as st

ACCOUNT = "111122223333"
REGION = "us-east-1"
AZS = ("us-east-1a", "us-east-1b")
DDB_PL = "pl-02cd2c6b"
DDB_CIDRS = ("52.94.0.0/22", "3.218.180.0/22")
PUBLIC_IPS = ("8.8.8.8", "93.184.216.34")
PUBLIC_IPV6 = ("2606:4700:4700::1111", "2a00:1450:4001:82b::200e")
# NAT64 (2.18): 8.8.8.8, 93.184.216.34, a DynamoDB address and a private one, as DNS64 writes them.
NAT64_IPS = ("64:ff9b::808:808", "64:ff9b::5db8:d822", "64:ff9b::345e:10a", "64:ff9b::a09:5")
DDB_IPS = ("52.94.1.10", "3.218.181.5")
# DynamoDB's IPv6 list, which the route tables of a dual-stack gateway endpoint name (3.6).
DDB6_PL = "pl-0e6a5c2b7d9f1a3c4"
DDB6_CIDRS = ("2600:1f18:4000::/36",)
DDB6_IPS = ("2600:1f18:4000::10", "2600:1f18:4fff::a")
PORTS = (443, 5432, 3306, 22, 80, 8080)


def make_id(prefix: str, n: int) -> str:
    """An AWS-looking id: the prefix and 17 hex digits."""
    return f"{prefix}-0{n:016x}"


# --------------------------------------------------------------------------- item builders

def _ipv6_assoc(owner_id: str, cidr: str | None) -> list[dict]:
    return [{"AssociationId": f"subnet-cidr-assoc-{owner_id[-8:]}", "Ipv6CidrBlock": cidr,
             "Ipv6CidrBlockState": {"State": "associated"}}] if cidr else []


def vpc_item(vpc_id: str, cidr: str, secondary: Iterable[str] = (), ipv6: str | None = None) -> dict:
    assoc = [{"AssociationId": f"vpc-cidr-assoc-{vpc_id[4:]}{i}", "CidrBlock": c,
              "CidrBlockState": {"State": "associated"}} for i, c in enumerate([cidr, *secondary])]
    return {"CidrBlock": cidr, "DhcpOptionsId": "dopt-0c1e3a5b7d9f2c4a6", "State": "available",
            "VpcId": vpc_id, "OwnerId": ACCOUNT, "InstanceTenancy": "default",
            "CidrBlockAssociationSet": assoc, "Ipv6CidrBlockAssociationSet": _ipv6_assoc(vpc_id, ipv6),
            "IsDefault": False}


def subnet_item(subnet_id: str, vpc_id: str, cidr: str, az: str = AZS[0],
                ipv6: str | None = None) -> dict:
    size = ipaddress.ip_network(cidr).num_addresses
    return {"AvailabilityZone": az, "AvailableIpAddressCount": size - 5, "CidrBlock": cidr,
            "DefaultForAz": False, "MapPublicIpOnLaunch": False, "State": "available",
            "SubnetId": subnet_id, "VpcId": vpc_id, "OwnerId": ACCOUNT,
            "AssignIpv6AddressOnCreation": bool(ipv6),
            "Ipv6CidrBlockAssociationSet": _ipv6_assoc(subnet_id, ipv6),
            "SubnetArn": f"arn:aws:ec2:{REGION}:{ACCOUNT}:subnet/{subnet_id}"}


def route(destination: str, target: str, state: str = "active") -> dict:
    """One Route: a CIDR or prefix-list destination and a target id (API_Route)."""
    r: dict[str, Any] = {}
    if destination.startswith("pl-"):
        r["DestinationPrefixListId"] = destination
    elif ":" in destination:
        r["DestinationIpv6CidrBlock"] = destination
    else:
        r["DestinationCidrBlock"] = destination
    if target.startswith("nat-"):
        r["NatGatewayId"] = target
    elif target.startswith("pcx-"):
        r["VpcPeeringConnectionId"] = target
    elif target.startswith("tgw-"):
        r["TransitGatewayId"] = target
    elif target.startswith("eni-"):
        r["NetworkInterfaceId"] = target
    elif target.startswith("eigw-"):
        r["EgressOnlyInternetGatewayId"] = target
    else:  # local, igw-, vgw-, vpce-
        r["GatewayId"] = target
    r["Origin"] = "CreateRouteTable" if target == "local" else "CreateRoute"
    r["State"] = state
    return r


def route_table_item(rt_id: str, vpc_id: str, routes: list[dict], subnets: Iterable[str] = (),
                     main: bool = False) -> dict:
    assocs = []
    if main:
        assocs.append({"Main": True, "RouteTableAssociationId": f"rtbassoc-{rt_id[4:]}m",
                       "RouteTableId": rt_id, "AssociationState": {"State": "associated"}})
    for i, sid in enumerate(subnets):
        assocs.append({"Main": False, "RouteTableAssociationId": f"rtbassoc-{rt_id[4:]}{i}",
                       "RouteTableId": rt_id, "SubnetId": sid,
                       "AssociationState": {"State": "associated"}})
    return {"Associations": assocs, "PropagatingVgws": [], "RouteTableId": rt_id, "Routes": routes,
            "Tags": [], "VpcId": vpc_id, "OwnerId": ACCOUNT}


def eigw_item(eigw_id: str, vpc_id: str | None) -> dict:
    """An egress-only internet gateway (2.14), attached when vpc_id is given."""
    attachments = [{"State": "attached", "VpcId": vpc_id}] if vpc_id else []
    return {"Attachments": attachments, "EgressOnlyInternetGatewayId": eigw_id, "Tags": []}


def igw_item(igw_id: str, vpc_id: str | None, state: str = "available") -> dict:
    attachments = [{"State": state, "VpcId": vpc_id}] if vpc_id else []
    return {"Attachments": attachments, "InternetGatewayId": igw_id, "OwnerId": ACCOUNT, "Tags": []}


def nat_item(nat_id: str, subnet_id: str, vpc_id: str, private_ip: str,
             connectivity: str | None = "public", state: str = "available") -> dict:
    address: dict[str, Any] = {"NetworkInterfaceId": make_id("eni", 0xa000 + int(nat_id[-4:], 16)),
                               "PrivateIp": private_ip, "IsPrimary": True, "Status": "succeeded"}
    if connectivity != "private":
        address.update({"AllocationId": f"eipalloc-{nat_id[4:]}", "PublicIp": "44.205.31.9"})
    item = {"CreateTime": "2024-01-02T03:04:05+00:00", "NatGatewayAddresses": [address],
            "NatGatewayId": nat_id, "State": state, "SubnetId": subnet_id, "VpcId": vpc_id,
            "Tags": []}
    if connectivity is not None:
        item["ConnectivityType"] = connectivity
    return item


def gateway_endpoint_item(vpce_id: str, vpc_id: str, route_table_ids: Iterable[str],
                          state: str = "available", kind: str = "Gateway", ip_type: str = "ipv4") -> dict:
    return {"VpcEndpointId": vpce_id, "VpcEndpointType": kind, "VpcId": vpc_id,
            "ServiceName": f"com.amazonaws.{REGION}.dynamodb", "State": state,
            "PolicyDocument": '{"Version": "2008-10-17", "Statement": [{"Effect": "Allow", '
                              '"Principal": "*", "Action": "*", "Resource": "*"}]}',
            "RouteTableIds": list(route_table_ids), "SubnetIds": [], "Groups": [],
            "IpAddressType": ip_type, "PrivateDnsEnabled": False, "RequesterManaged": False,
            "NetworkInterfaceIds": [], "DnsEntries": [], "OwnerId": ACCOUNT}


def permission(protocol: str, ports: tuple[int, int] | None = None, *, cidrs: Iterable[str] = (),
               groups: Iterable[str] = (), prefix_lists: Iterable[str] = ()) -> dict:
    """One IpPermission; ports are left out for IpProtocol -1, as AWS does."""
    perm: dict[str, Any] = {"IpProtocol": protocol}
    if protocol != "-1" and ports is not None:
        perm["FromPort"], perm["ToPort"] = ports
    perm["IpRanges"] = [{"CidrIp": c} for c in cidrs if ":" not in c]
    perm["Ipv6Ranges"] = [{"CidrIpv6": c} for c in cidrs if ":" in c]
    perm["PrefixListIds"] = [{"PrefixListId": p} for p in prefix_lists]
    perm["UserIdGroupPairs"] = [{"GroupId": g, "UserId": ACCOUNT} for g in groups]
    return perm


ALLOW_ALL_EGRESS = permission("-1", cidrs=["0.0.0.0/0"])
ALLOW_ALL_EGRESS_DUAL = permission("-1", cidrs=["0.0.0.0/0", "::/0"])
"""A new group's outbound rule in a VPC with IPv6 (4.2)."""


def sg_item(group_id: str, vpc_id: str, ingress: list[dict], egress: list[dict],
            name: str | None = None) -> dict:
    return {"Description": name or group_id, "GroupName": name or group_id, "IpPermissions": ingress,
            "OwnerId": ACCOUNT, "GroupId": group_id, "IpPermissionsEgress": egress,
            "VpcId": vpc_id, "Tags": []}


def nacl_entry(number: int, egress: bool, action: str = "allow", protocol: str = "-1",
               cidr: str = "0.0.0.0/0", ports: tuple[int, int] | None = None) -> dict:
    entry: dict[str, Any] = {("Ipv6CidrBlock" if ":" in cidr else "CidrBlock"): cidr, "Egress": egress,
                             "Protocol": protocol, "RuleAction": action, "RuleNumber": number}
    if protocol != "-1":
        lo, hi = ports if ports is not None else (0, 65535)
        entry["PortRange"] = {"From": lo, "To": hi}
    return entry


def final_denies() -> list[dict]:
    """The `*` rule 32767 that denies what nothing else matched, both ways (5.2)."""
    return [nacl_entry(32767, True, "deny"), nacl_entry(32767, False, "deny")]


def allow_all_entries(ipv6: bool = False) -> list[dict]:
    """The default NACL: rule 100 allows all IPv4 both ways (5.3), rule 101 all IPv6 when the VPC
    has IPv6, then the `*` deny."""
    six = [nacl_entry(101, e, cidr="::/0") for e in (True, False)] if ipv6 else []
    return [nacl_entry(100, True), nacl_entry(100, False), *six, *final_denies()]


def nacl_item(acl_id: str, vpc_id: str, entries: list[dict], subnets: Iterable[str] = (),
              is_default: bool = False) -> dict:
    assocs = [{"NetworkAclAssociationId": f"aclassoc-{acl_id[4:]}{i}", "NetworkAclId": acl_id,
               "SubnetId": sid} for i, sid in enumerate(subnets)]
    return {"Associations": assocs, "Entries": entries, "IsDefault": is_default,
            "NetworkAclId": acl_id, "Tags": [], "VpcId": vpc_id, "OwnerId": ACCOUNT}


def eni_item(eni_id: str, subnet_id: str, vpc_id: str, ip: str, groups: Iterable[str],
             interface_type: str = "interface", az: str = AZS[0], description: str = "",
             ipv6: str | None = None) -> dict:
    group_list = [{"GroupId": g, "GroupName": g} for g in groups]
    item = {"AvailabilityZone": az, "Description": description, "Groups": group_list,
            "InterfaceType": interface_type,
            "Ipv6Addresses": [{"Ipv6Address": ipv6, "IsPrimaryIpv6": False}] if ipv6 else [],
            "MacAddress": "0e:00:00:00:00:01",
            "NetworkInterfaceId": eni_id, "OwnerId": ACCOUNT,
            "PrivateDnsName": f"ip-{ip.replace('.', '-')}.ec2.internal", "PrivateIpAddress": ip,
            "PrivateIpAddresses": [{"Primary": True, "PrivateIpAddress": ip,
                                    "PrivateDnsName": f"ip-{ip.replace('.', '-')}.ec2.internal"}],
            "RequesterManaged": interface_type == "lambda", "SourceDestCheck": True,
            "Status": "in-use", "SubnetId": subnet_id, "TagSet": [], "VpcId": vpc_id}
    if interface_type == "lambda":
        item["RequesterId"] = "AROAEXAMPLE:lambda"
    return item


def pcx_item(pcx_id: str, requester: tuple[str, list[str]], accepter: tuple[str, list[str]],
             status: str = "active") -> dict:
    def info(vpc_id: str, cidrs: list[str]) -> dict:
        v4 = [c for c in cidrs if ":" not in c]
        return {"CidrBlock": v4[0], "CidrBlockSet": [{"CidrBlock": c} for c in v4],
                "Ipv6CidrBlockSet": [{"Ipv6CidrBlock": c} for c in cidrs if ":" in c],
                "OwnerId": ACCOUNT, "VpcId": vpc_id, "Region": REGION,
                "PeeringOptions": {"AllowDnsResolutionFromRemoteVpc": False}}
    messages = {"active": "Active", "deleted": "Deleted by 111122223333",
                "pending-acceptance": "Pending Acceptance by 111122223333"}
    return {"AccepterVpcInfo": info(*accepter), "RequesterVpcInfo": info(*requester),
            "Status": {"Code": status, "Message": messages.get(status, status)},
            "Tags": [], "VpcPeeringConnectionId": pcx_id}


def ddb_prefix_list_item() -> dict:
    return {"PrefixListId": DDB_PL, "AddressFamily": "IPv4", "State": "create-complete",
            "PrefixListArn": f"arn:aws:ec2:{REGION}:aws:prefix-list/{DDB_PL}",
            "PrefixListName": f"com.amazonaws.{REGION}.dynamodb", "Tags": [], "OwnerId": "AWS",
            "MaxEntries": len(DDB_CIDRS), "Entries": [{"Cidr": c} for c in DDB_CIDRS]}


def ddb6_prefix_list_item() -> dict:
    return {"PrefixListId": DDB6_PL, "AddressFamily": "IPv6", "State": "create-complete",
            "PrefixListName": f"com.amazonaws.{REGION}.ipv6.dynamodb", "Tags": [], "OwnerId": "AWS",
            "MaxEntries": len(DDB6_CIDRS), "Entries": [{"Cidr": c} for c in DDB6_CIDRS]}


def ddb_old_prefix_list_item() -> dict:
    """The same list in the older DescribePrefixLists shape, with Cidrs."""
    return {"PrefixListId": DDB_PL, "PrefixListName": f"com.amazonaws.{REGION}.dynamodb",
            "Cidrs": list(DDB_CIDRS)}


def function_item(name: str, subnets: Iterable[str] = (), groups: Iterable[str] = (),
                  vpc_id: str | None = None, *, no_vpc_config: bool = False,
                  dual_stack: bool = False) -> dict:
    item: dict[str, Any] = {
        "FunctionName": name,
        "FunctionArn": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}",
        "Runtime": "python3.12", "Role": f"arn:aws:iam::{ACCOUNT}:role/{name}-role",
        "Handler": "app.handler", "CodeSize": 1024, "Timeout": 10, "MemorySize": 256,
        "LastModified": "2025-01-01T00:00:00.000+0000", "Version": "$LATEST", "State": "Active",
        "LastUpdateStatus": "Successful", "PackageType": "Zip", "Architectures": ["x86_64"]}
    if not no_vpc_config:
        item["VpcConfig"] = {"SubnetIds": list(subnets), "SecurityGroupIds": list(groups),
                             "VpcId": vpc_id or "", "Ipv6AllowedForDualStack": dual_stack}
    return item


def snapshot(**lists: list[dict]) -> dict:
    """A §1.1 snapshot holding the given lists (every other list empty)."""
    keys = ("Vpcs", "Subnets", "RouteTables", "InternetGateways", "EgressOnlyInternetGateways",
            "NatGateways", "VpcEndpoints", "SecurityGroups", "NetworkAcls", "ManagedPrefixLists",
            "PrefixLists", "NetworkInterfaces", "VpcPeeringConnections", "TransitGateways",
            "TransitGatewayAttachments", "TransitGatewayRouteTables", "Functions", "DBInstances",
            "DBClusters")
    unknown = set(lists) - set(keys)
    if unknown:
        raise KeyError(f"not snapshot lists: {sorted(unknown)}")
    return {"SnapshotVersion": 1, "AccountId": ACCOUNT, "Region": REGION,
            **{k: list(lists.get(k, [])) for k in keys}}


def host(cidr: str, offset: int) -> str:
    """The address `offset` places into cidr."""
    net = ipaddress.ip_network(cidr)
    return str(net.network_address + offset)


def usable_offsets(cidr: str) -> range:
    """Offsets of the addresses AWS lets ENIs use: not the first four nor the last."""
    return range(4, ipaddress.ip_network(cidr).num_addresses - 1)


# --------------------------------------------------------------------------- strategies

# Weighted yes/no options, kept short; each shrinks to its first option, False.
P5, P10, P15, P20, P30 = ((False,) * 19 + (True,), (False,) * 9 + (True,), (False,) * 6 + (True,),
                          (False,) * 4 + (True,), (False, False, True))
P50, P60, P70, P80 = (False, True), (False, False, True, True, True), (False, True, True), \
    (False, True, True, True, True)
MISSING_NAT, MISSING_PCX, MISSING_VPCE = ("nat-0ffffffffffffffff", "pcx-0ffffffffffffffff",
                                          "vpce-0ffffffffffffffff")
MISSING_SG, MISSING_PL = "sg-0eeeeeeeeeeeeeeee", "pl-0fffffff"


class _Choices:
    """Draw several choices with few hypothesis integer draws (draws are what generation costs).

    Option lists are packed into one draw while the packed range stays small (hypothesis skews
    large ranges towards small values, which would starve the later lists). Every option list
    shrinks towards its first element.
    """

    PACK = 256

    def __init__(self, draw):
        self._draw = draw

    def index(self, n: int) -> int:
        return self._draw(st.integers(0, n - 1)) if n > 1 else 0

    def one(self, options):
        options = list(options)
        return options[self.index(len(options))]

    def each(self, *option_lists) -> list:
        picked: list = []
        pack: list[list] = []
        for options in [list(o) for o in option_lists] + [None]:
            if options is None or (pack and math.prod(len(o) for o in pack) * len(options)
                                   > self.PACK):
                code = self.index(math.prod(len(o) for o in pack))
                for packed in pack:
                    code, i = divmod(code, len(packed))
                    picked.append(packed[i])
                pack = []
            if options is not None:
                pack.append(options)
        return picked


def _one_or_two(items: list) -> list[tuple]:
    """Every choice of one or two distinct items, singles first."""
    return [(a,) for a in items] + list(itertools.combinations(items, 2))


@st.composite
def estates(draw) -> dict:
    """A small random estate: ≤2 VPCs, ≤6 subnets, routes, SGs, NACLs, ENIs and 1-3 functions."""
    c = _Choices(draw)
    counter = iter(range(1, 10_000))

    def new(prefix: str) -> str:
        return make_id(prefix, next(counter))

    # Per-VPC plan: secondary CIDR, IGW, NATs, endpoint, route tables, SGs, NACLs.
    n_vpcs = c.one((1, 2))
    vpcs = []
    for i in range(n_vpcs):
        (secondary, igw_kind, igw_state, n_nats, has_vpce, vpce_state, n_tables, n_sgs,
         default_allow_all, n_custom_acls) = c.each(
            P15, ("attached", "attached", "attached", "detached", "none"), ("available", "attached"),
            (0, 1, 1, 2), P50, ("available",) * 4 + ("pending", "deleted"), (1, 2, 3), (1, 2, 3),
            P80, (0, 1, 2))
        dual, eigw_kind = c.each(P70, ("attached", "attached", "attached", "detached", "none"))
        vpcs.append({"id": new("vpc"),
                     "cidrs": [f"10.{i}.0.0/16"] + ([f"10.{100 + i}.0.0/16"] if secondary else []),
                     "v6": f"2600:1f18:{0x4a0 + i:x}:0::/56" if dual else None,
                     "eigw": eigw_kind if dual else "none",
                     "igw": (igw_kind, igw_state), "n_nats": n_nats,
                     "vpce": (has_vpce, vpce_state), "n_tables": n_tables, "n_sgs": n_sgs,
                     "acls": (default_allow_all, n_custom_acls)})

    # Subnets, /26 to /28, in two AZs; every VPC gets at least one.
    subnets = []
    for k in range(c.one(range(n_vpcs, 7))):
        v, in_secondary, size, az = c.each(range(n_vpcs), (False, False, False, True),
                                           (28, 27, 26), AZS)
        if k < n_vpcs:
            v = k
        base = vpcs[v]["cidrs"][-1 if in_secondary else 0]
        cidr = f"10.{base.split('.')[1]}.{k + 1}.0/{size}"
        v6 = vpcs[v]["v6"]
        cidr6 = v6.replace(":0::/56", f":{k + 1:x}::/64") if v6 and c.one(P80) else None
        subnets.append({"id": new("subnet"), "vpc": v, "cidr": cidr, "az": az, "used": set(),
                        "v6": cidr6})

    def subnets_of(v: int) -> list[dict]:
        return [s for s in subnets if s["vpc"] == v]

    def free_address(sn: dict) -> str:
        offsets = list(usable_offsets(sn["cidr"]))
        start = c.index(len(offsets))
        for j in range(len(offsets)):
            off = offsets[(start + j) % len(offsets)]
            if off not in sn["used"]:
                sn["used"].add(off)
                return host(sn["cidr"], off)
        return host(sn["cidr"], offsets[start])  # the subnet is full: share (never in practice)

    def free_address6(sn: dict) -> str | None:
        """An unused address of the subnet's IPv6 CIDR: near either end or in the middle."""
        if not sn["v6"]:
            return None
        options = [o for o in (4, 5, 0x20, 0x1_0000_0000, 2**64 - 2) if ("v6", o) not in sn["used"]]
        if not options:  # five ENIs with IPv6 in one subnet already: this one has none
            return None
        offset = c.one(options)
        sn["used"].add(("v6", offset))
        return host(sn["v6"], offset)

    # Internet gateways (2.13), NAT gateways in random subnets, DynamoDB gateway endpoints,
    # egress-only internet gateways (2.14).
    igws, nats, endpoints, eigws = [], [], [], []
    for v, vpc in enumerate(vpcs):
        eigws.append(None if vpc["eigw"] == "none" else
                     eigw_item(new("eigw"), vpc["id"] if vpc["eigw"] == "attached" else None))
        kind, state = vpc["igw"]
        igws.append(None if kind == "none" else
                    igw_item(new("igw"), vpc["id"] if kind == "attached" else None,
                             state if kind == "attached" else ""))
        these = []
        for _ in range(vpc["n_nats"]):
            sn_i, connectivity, nat_state = c.each(
                range(len(subnets_of(v))), ("public", "public", "private", None),
                ("available",) * 8 + ("failed", "deleted", "pending"))
            sn = subnets_of(v)[sn_i]
            if c.one(P10):  # AWS is not consistent about case (contract §1.1)
                nat_state = nat_state.capitalize()
            these.append(nat_item(new("nat"), sn["id"], vpc["id"], free_address(sn),
                                  connectivity=connectivity, state=nat_state))
        nats.append(these)
        has_vpce, vpce_state = vpc["vpce"]
        # A dual-stack gateway endpoint also routes the service's IPv6 list (3.6).
        ip_type = c.one(("ipv4", "dualstack")) if vpc["v6"] else "ipv4"
        endpoints.append(gateway_endpoint_item(new("vpce"), vpc["id"], [], state=vpce_state, ip_type=ip_type)
                         if has_vpce else None)

    # A peering connection between the two VPCs, sometimes.
    pcx = None
    if n_vpcs == 2:
        has_pcx, flip, status = c.each(P70, (False, True),
                                       ("active",) * 4 + ("deleted", "pending-acceptance"))
        if has_pcx:
            req, acc = (vpcs[1], vpcs[0]) if flip else (vpcs[0], vpcs[1])
            pcx = pcx_item(new("pcx"), (req["id"], req["cidrs"] + [req["v6"]] * bool(req["v6"])),
                           (acc["id"], acc["cidrs"] + [acc["v6"]] * bool(acc["v6"])), status)

    # Route tables: the first of each VPC is its main one; the others take explicit associations.
    route_tables = []
    for v, vpc in enumerate(vpcs):
        igw_id = igws[v]["InternetGatewayId"] if igws[v] else None
        eigw_id = eigws[v]["EgressOnlyInternetGatewayId"] if eigws[v] else None
        nat_ids = [n["NatGatewayId"] for n in nats[v]]
        other_cidrs = [cidr for w in range(n_vpcs) if w != v for cidr in vpcs[w]["cidrs"]]
        dest_menu = ["0.0.0.0/0", "8.0.0.0/8", "52.94.0.0/22", "52.94.0.0/16", "52.94.1.0/24",
                     "93.184.216.0/24", "3.218.180.0/22", "10.0.0.0/8", "172.16.0.0/12",
                     *other_cidrs]
        tables = []
        for _ in range(vpc["n_tables"]):
            (local_secondary, kind, nat_pick, n_extra, subnet_route, pcx_route, pcx_dest, pl_route,
             missing_vpce, missing_nat, missing_pcx) = c.each(
                P50, ("public", "private", "private", "isolated"), range(max(1, len(nat_ids))),
                (0, 1, 1, 2),
                P10, P80, range(5), P50, P5, P5, P5)
            routes = {cidr: route(cidr, "local") for cidr in vpc["cidrs"][:1 + local_secondary]}
            nat_targets = nat_ids + ([MISSING_NAT] if missing_nat else [])
            if kind == "public" and igw_id:
                routes["0.0.0.0/0"] = route("0.0.0.0/0", igw_id)
            elif kind == "private" and nat_targets:
                routes["0.0.0.0/0"] = route("0.0.0.0/0", nat_targets[nat_pick % len(nat_targets)])
            targets = ([igw_id] if igw_id else []) + nat_targets
            for _ in range(n_extra if targets else 0):
                dest, target = c.each(dest_menu, targets)
                routes.setdefault(dest, route(dest, target))
            # A route more specific than local must be a whole subnet CIDR to a NAT (2.3).
            if subnet_route and nat_ids and len(subnets_of(v)) > 1:
                sn, nat_id = c.each(subnets_of(v), nat_ids)
                routes.setdefault(sn["cidr"], route(sn["cidr"], nat_id))
            if vpc["v6"]:
                # IPv6 routes apart from IPv4 ones (2.4): ::/0 to the IGW or egress-only IGW, a
                # narrower public range, the VPC's own local route, and NAT64 (2.18).
                six_default, six_extra, six_local, nat64 = c.each(
                    ("igw", "eigw", "eigw", "eigw", "none", "nat"), (None, "2606:4700::/32",
                                                                    "2a00:1450::/32"),
                    P50, P50)
                six_target = {"igw": igw_id, "eigw": eigw_id,
                              "nat": nat_ids[0] if nat_ids else None}.get(six_default)
                if six_local:
                    routes[vpc["v6"]] = route(vpc["v6"], "local")
                if six_target:
                    routes["::/0"] = route("::/0", six_target)
                if six_extra and (eigw_id or igw_id):
                    routes[six_extra] = route(six_extra, eigw_id or igw_id)
                if nat64 and nat_ids:
                    routes["64:ff9b::/96"] = route("64:ff9b::/96", nat_ids[0])
            if pcx is not None and pcx_route:
                peer = vpcs[1 - v]["cidrs"][0]
                dest = [peer, peer, peer.replace("/16", "/20"), peer.replace(".0.0/16", ".3.0/24"),
                        "0.0.0.0/0"][pcx_dest]
                routes[dest] = route(dest, pcx["VpcPeeringConnectionId"])
                if vpcs[1 - v]["v6"] and c.one(P50):
                    routes[vpcs[1 - v]["v6"]] = route(vpcs[1 - v]["v6"], pcx["VpcPeeringConnectionId"])
            elif pcx is None and n_vpcs == 2 and missing_pcx:
                routes[vpcs[1 - v]["cidrs"][0]] = route(vpcs[1 - v]["cidrs"][0], MISSING_PCX)
            if endpoints[v] is not None and pl_route:
                routes[DDB_PL] = route(DDB_PL, endpoints[v]["VpcEndpointId"])
                # AWS routes the IPv6 list only for a dual-stack endpoint; now and then a table
                # that sends IPv6 to an IPv4 one, which AWS does not build (unknown).
                if endpoints[v]["IpAddressType"] == "dualstack" or c.one(P5):
                    routes[DDB6_PL] = route(DDB6_PL, endpoints[v]["VpcEndpointId"])
            elif missing_vpce:
                routes[DDB_PL] = route(DDB_PL, MISSING_VPCE)
            route_list = list(routes.values())
            hole = c.index(len(route_list) * 12)  # about one table in twelve has a blackhole
            if hole < len(route_list) and route_list[hole].get("GatewayId") != "local":
                route_list[hole]["State"] = "blackhole"
            tables.append({"id": new("rtb"), "routes": route_list, "subnets": []})
        # NAT gateways usually live in a public subnet of their own (2.15).
        nat_subnets = {n["SubnetId"] for n in nats[v]}
        nat_home = None
        if igw_id and nat_subnets and c.one(P80):
            home_routes = [route(vpc["cidrs"][0], "local"), route("0.0.0.0/0", igw_id)]
            if endpoints[v] is not None and c.one(P50):
                home_routes.append(route(DDB_PL, endpoints[v]["VpcEndpointId"]))
            nat_home = {"id": new("rtb"), "routes": home_routes, "subnets": []}
            tables.append(nat_home)
        for sn in subnets_of(v):
            if nat_home is not None and sn["id"] in nat_subnets and c.one(P80):
                nat_home["subnets"].append(sn["id"])
                continue
            t, explicit_main = c.each(range(len(tables) - (nat_home is not None)), P20)
            if t > 0 or explicit_main:  # an explicit association, even to the main table
                tables[t]["subnets"].append(sn["id"])
        for t, table in enumerate(tables):
            route_tables.append(route_table_item(table["id"], vpc["id"], table["routes"],
                                                 table["subnets"], main=(t == 0)))
            if endpoints[v] is not None and any(r.get("GatewayId") == endpoints[v]["VpcEndpointId"]
                                                for r in table["routes"]):
                endpoints[v]["RouteTableIds"].append(table["id"])

    # Database and instance ENIs, then Lambda ENIs for some (subnet, SG set) combinations.
    group_ids = [[new("sg") for _ in range(vpc["n_sgs"])] for vpc in vpcs]
    enis = []
    for _ in range(c.one((0, 1, 2, 2, 3, 3, 4))):
        sn = c.one(subnets)
        groups = c.one(_one_or_two(group_ids[sn["vpc"]]))
        enis.append(eni_item(new("eni"), sn["id"], vpcs[sn["vpc"]]["id"], free_address(sn),
                             groups, az=sn["az"], description="RDSNetworkInterface",
                             ipv6=free_address6(sn)))

    functions = []
    for f in range(c.one((1, 2, 3))):
        name = f"fn-{f}"
        outside, bare, v, missing_group, dual_stack = c.each(P15, (False, True), range(n_vpcs), P5,
                                                             P80)
        if outside:
            functions.append(function_item(name, no_vpc_config=bare))
            continue
        fn_subnets, groups = c.each(_one_or_two(subnets_of(v)), _one_or_two(group_ids[v]))
        groups = list(groups)
        if missing_group:
            groups = [*groups[:1], MISSING_SG]  # a group the snapshot lacks
        functions.append(function_item(name, [s["id"] for s in fn_subnets], groups, vpcs[v]["id"],
                                       dual_stack=dual_stack))
        for sn in fn_subnets:
            present, second = c.each(P30, P20)
            # Lambda may run more than one ENI for a combination (1.8).
            for suffix in ("0a1b2c3d", "4e5f6a7b")[:1 + second] if present else ():
                drift, reverse = c.each(P10, (False, True))
                eni_groups = groups[::-1] if reverse else groups  # order does not matter (1.6)
                if drift and len(eni_groups) > 1:
                    eni_groups = eni_groups[:1]  # changed by hand, still serving (1.15, TC20)
                enis.append(eni_item(new("eni"), sn["id"], vpcs[v]["id"], free_address(sn),
                                     eni_groups, "lambda", az=sn["az"],
                                     description=f"AWS Lambda VPC ENI-{name}-{suffix}",
                                     ipv6=free_address6(sn) if dual_stack and c.one(P50) else None))

    # CIDRs worth naming in SG and NACL rules.
    cidr_menu = ["0.0.0.0/0", "0.0.0.0/0", "0.0.0.0/0", "10.0.0.0/8", "52.94.0.0/16",
                 "52.94.0.0/22", "8.8.8.0/24", "93.184.216.34/32"]
    cidr_menu += [cidr for vpc in vpcs for cidr in vpc["cidrs"]]
    cidr_menu += [s["cidr"] for s in subnets]
    cidr_menu += [f"{e['PrivateIpAddress']}/32" for e in enis]
    cidr_menu += [str(next(ipaddress.ip_network(s["cidr"]).subnets())) for s in subnets[:2]]
    # IPv6 CIDRs: each is ::/0, a whole VPC or subnet, a public range or one address, so a
    # subnet's first and last addresses decide for all of it (see the simulator).
    cidr_menu += ["::/0", "::/0", "2606:4700::/32", "64:ff9b::/96"] + [v["v6"] for v in vpcs if v["v6"]]
    cidr_menu += [s["v6"] for s in subnets if s["v6"]]
    cidr_menu += [f"{a['Ipv6Address']}/128" for e in enis for a in e["Ipv6Addresses"]]
    all_groups = [g for gs in group_ids for g in gs]
    peer_menu = ([("cidr", x) for x in cidr_menu] + [("group", g) for g in all_groups] * 3
                 + [("group", MISSING_SG), ("pl", MISSING_PL)] + [("pl", DDB_PL)] * 4 + [("pl", DDB6_PL)])
    sg_ports = [(443, 443), (5432, 5432), (3306, 3306), (22, 22), (80, 8080), (0, 65535),
                (0, 65535), (1024, 65535)]

    def sg_rule() -> dict:
        proto, ports, first, second = c.each(("tcp", "tcp", "6", "-1", "-1", "udp", "17"), sg_ports,
                                             peer_menu, [None] * len(peer_menu) + peer_menu)
        peers: dict[str, set] = {"cidr": set(), "group": set(), "pl": set()}
        for peer in (first, second):
            if peer is not None:
                peers[peer[0]].add(peer[1])
        return permission(proto, ports, cidrs=sorted(peers["cidr"]), groups=sorted(peers["group"]),
                          prefix_lists=sorted(peers["pl"]))

    security_groups = []
    for v, vpc in enumerate(vpcs):
        for gid in group_ids[v]:
            n_in, allow_all_out, n_out, open_inside = c.each((0, 1, 2, 3), P80, (0, 1, 2, 3), P30)
            ingress = [sg_rule() for _ in range(n_in)]
            if open_inside:  # everything from the private networks, a common shortcut
                ingress.append(permission("-1", cidrs=["10.0.0.0/8"]))
            new_rule = ALLOW_ALL_EGRESS_DUAL if vpc["v6"] and c.one(P80) else ALLOW_ALL_EGRESS
            egress = [new_rule] if allow_all_out else [sg_rule() for _ in range(n_out)]
            security_groups.append(sg_item(gid, vpc["id"], ingress, egress))

    # Network ACLs: a default one per VPC (usually allow-all) and some custom ones.
    nacl_ports = [(443, 443), (5432, 5432), (1024, 65535), (1024, 65535), (0, 65535),
                  (32768, 61000), (1, 1023), (80, 8080), (3306, 3306)]

    def random_entries(dual: bool) -> list[dict]:
        entries = []
        for egress in (True, False):
            n, add_allow_all, add_ipv6 = c.each((0, 1, 2, 3, 4), P30, P60 if dual else P10)
            numbers = set()
            for _ in range(n):
                number, proto, action, cidr, ports = c.each(
                    (10, 20, 50, 90, 100, 110, 120, 200), ("-1", "6", "6", "17"),
                    ("allow", "allow", "allow", "deny"), cidr_menu, nacl_ports)
                if number not in numbers:
                    numbers.add(number)
                    entries.append(nacl_entry(number, egress, action, proto, cidr, ports))
            if add_allow_all and 100 not in numbers:
                entries.append(nacl_entry(100, egress))
            if add_ipv6:  # IPv6 rules never match IPv4 packets (5.7)
                entries.append({"Egress": egress, "Ipv6CidrBlock": "::/0", "Protocol": "-1",
                                "RuleAction": "allow", "RuleNumber": 101})
        return entries + final_denies()

    # The DynamoDB prefix list: sometimes in the older shape, sometimes missing (routes to it are
    # then judged "either way", docs/semantics.md).
    old_prefix_list, no_prefix_list = c.one(P10), c.one(P10)
    network_acls = []
    for v, vpc in enumerate(vpcs):
        default_allow_all, n_custom = vpc["acls"]
        dual = bool(vpc["v6"])
        acls = [{"id": new("acl"), "default": True, "subnets": [],
                 "entries": allow_all_entries(dual and c.one(P80)) if default_allow_all
                 else random_entries(dual)}]
        for _ in range(n_custom):
            acls.append({"id": new("acl"), "default": False, "subnets": [],
                         "entries": random_entries(dual)})
        for sn in subnets_of(v):
            a, custom, listed = c.each(range(len(acls)), P30, P80)
            a = a if custom else 0
            if a > 0 or listed:  # AWS lists the default NACL's subnets too
                acls[a]["subnets"].append(sn["id"])
        for acl in acls:
            network_acls.append(nacl_item(acl["id"], vpc["id"], acl["entries"], acl["subnets"],
                                          acl["default"]))

    return snapshot(
        Vpcs=[vpc_item(v["id"], v["cidrs"][0], v["cidrs"][1:], v["v6"]) for v in vpcs],
        Subnets=[subnet_item(s["id"], vpcs[s["vpc"]]["id"], s["cidr"], s["az"], s["v6"])
                 for s in subnets],
        RouteTables=route_tables,
        InternetGateways=[g for g in igws if g is not None],
        EgressOnlyInternetGateways=[g for g in eigws if g is not None],
        NatGateways=[n for these in nats for n in these],
        VpcEndpoints=[e for e in endpoints if e is not None],
        SecurityGroups=security_groups,
        NetworkAcls=network_acls,
        # The DynamoDB prefix list, sometimes only in the older DescribePrefixLists shape.
        ManagedPrefixLists=[ddb6_prefix_list_item()] + (
            [] if old_prefix_list or no_prefix_list else [ddb_prefix_list_item()]),
        PrefixLists=[ddb_old_prefix_list_item()] if old_prefix_list and not no_prefix_list else [],
        NetworkInterfaces=enis,
        VpcPeeringConnections=[pcx] if pcx else [],
        Functions=functions,
    )


@st.composite
def packets(draw, estate: dict) -> tuple[str, int, str]:
    """A concrete (destination IP, port, protocol) worth asking about in this estate."""
    c = _Choices(draw)
    enis = [e for e in estate["NetworkInterfaces"] if e["InterfaceType"] != "lambda"]
    six_enis = [e for e in estate["NetworkInterfaces"] if e["Ipv6Addresses"]]
    six_subnets = [s for s in estate["Subnets"] if s["Ipv6CidrBlockAssociationSet"]]
    kinds = ["public", "public", "ddb", "ddb", "subnet", "private"] + ["eni"] * (4 if enis else 0) \
        + ["nat"] * bool(estate["NatGateways"]) + ["public6"] * (5 if six_subnets else 1) \
        + ["nat64"] * (3 if six_subnets else 1) + ["ddb6"] * (2 if six_subnets else 0) \
        + ["eni6"] * (3 if six_enis else 0) + ["subnet6"] * (2 if six_subnets else 0)
    kind, port, udp = c.each(kinds, PORTS, P15)
    if kind == "eni":
        ip = c.one(enis)["PrivateIpAddress"]
    elif kind == "public":
        ip = c.one(PUBLIC_IPS)
    elif kind == "ddb":
        ip = c.one(DDB_IPS)
    elif kind == "subnet":
        cidr = c.one(estate["Subnets"])["CidrBlock"]
        ip = host(cidr, c.index(ipaddress.ip_network(cidr).num_addresses))
    elif kind == "nat":
        ip = c.one(estate["NatGateways"])["NatGatewayAddresses"][0]["PrivateIp"]
    elif kind == "public6":
        ip = c.one(PUBLIC_IPV6)
    elif kind == "nat64":
        ip = c.one(NAT64_IPS)
    elif kind == "ddb6":
        ip = c.one(DDB6_IPS)
    elif kind == "eni6":
        ip = c.one(six_enis)["Ipv6Addresses"][0]["Ipv6Address"]
    elif kind == "subnet6":
        cidr = c.one(six_subnets)["Ipv6CidrBlockAssociationSet"][0]["Ipv6CidrBlock"]
        ip = host(cidr, c.one((1, 4, 0x20, 0x1_0000_0000)))
    else:  # inside a VPC but in no subnet, or private outside every VPC
        ip = c.one(["10.0.200.7", "10.1.200.7", "10.2.0.5", "172.16.0.9", "100.64.0.1"])
    return ip, port, "udp" if udp else "tcp"
