"""Generate seeded, reproducible estates in AWS API shapes (contract §1.1): sizes S, M and L."""
from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass

ACCOUNT = "111122223333"
REGION = "us-east-1"
AZS = ("us-east-1a", "us-east-1b", "us-east-1c")
DDB_PL, S3_PL = "pl-02cd2c6b", "pl-63a5400a"
DDB_CIDRS = ["3.218.180.0/22", "3.218.184.0/22", "52.94.0.0/22", "52.119.224.0/20"]
S3_CIDRS = ["3.5.0.0/19", "16.182.0.0/16", "52.216.0.0/15", "54.231.0.0/16"]
ALL = [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [],
        "PrefixListIds": [], "UserIdGroupPairs": []}]


@dataclass(frozen=True)
class Size:
    vpcs: int
    functions: int  # functions in all; about 1 in 20 is outside any VPC
    combos_per_vpc: int = 6  # distinct (subnets, security groups) a VPC's functions pick from
    sgs_per_vpc: int = 20
    rules_per_sg: int = 10
    extra_peers: float = 0.5  # peerings per VPC beyond the ring


SIZES = {
    "XS": Size(vpcs=3, functions=24, combos_per_vpc=4, sgs_per_vpc=8, rules_per_sg=4),
    "S": Size(vpcs=10, functions=100),
    "M": Size(vpcs=100, functions=1_000),
    "L": Size(vpcs=1_000, functions=10_000),
}


def rid(prefix: str, kind: int, n: int) -> str:
    """A 17-hex-digit AWS-looking id, unique per (kind, n)."""
    return f"{prefix}-0{kind:02x}{n:014x}"


def generate(size: Size, *, seed: int = 1, functions: int | None = None) -> dict:
    """An estate of `size.vpcs` VPCs; `functions` overrides the count over the same combinations."""
    rng = random.Random(seed)
    e: dict[str, list] = {k: [] for k in (
        "Vpcs", "Subnets", "RouteTables", "InternetGateways", "NatGateways", "VpcEndpoints",
        "SecurityGroups", "NetworkAcls", "ManagedPrefixLists", "PrefixLists", "NetworkInterfaces",
        "VpcPeeringConnections", "TransitGateways", "TransitGatewayAttachments", "Functions",
        "DBInstances", "DBClusters")}
    e["ManagedPrefixLists"] = [_prefix_list(DDB_PL, "dynamodb", DDB_CIDRS), _prefix_list(S3_PL, "s3", S3_CIDRS)]
    e["PrefixLists"] = [{"PrefixListId": DDB_PL, "PrefixListName": f"com.amazonaws.{REGION}.dynamodb",
                         "Cidrs": DDB_CIDRS},
                        {"PrefixListId": S3_PL, "PrefixListName": f"com.amazonaws.{REGION}.s3", "Cidrs": S3_CIDRS}]
    vpcs = [_vpc(e, i, size, random.Random(seed * 1_000_003 + i)) for i in range(size.vpcs)]
    _peerings(e, vpcs, size, rng)
    _transit(e, vpcs, rng)
    _functions(e, vpcs, functions if functions is not None else size.functions, size.combos_per_vpc,
               random.Random(seed + 7))
    return {"SnapshotVersion": 1, "AccountId": ACCOUNT, "Region": REGION, **e}


def _prefix_list(pl: str, service: str, cidrs: list[str]) -> dict:
    return {"PrefixListId": pl, "AddressFamily": "IPv4", "State": "create-complete",
            "PrefixListArn": f"arn:aws:ec2:{REGION}:aws:prefix-list/{pl}",
            "PrefixListName": f"com.amazonaws.{REGION}.{service}", "Tags": [], "OwnerId": "AWS",
            "Entries": [{"Cidr": c} for c in cidrs]}


def _cidr(i: int, k: int | None = None) -> str:
    """VPC i holds 10.A.B.0/20 (4,096 fit in 10/8); its subnet k is the k-th /24 of it."""
    a, b = i // 16, (i % 16) * 16
    return f"10.{a}.{b}.0/20" if k is None else f"10.{a}.{b + k}.0/24"


def _ip(i: int, k: int, host: int) -> str:
    a, b = i // 16, (i % 16) * 16
    return f"10.{a}.{b + k}.{host}"


def _tags(name: str) -> list[dict]:
    return [{"Key": "Name", "Value": name}]


def _vpc(e: dict, i: int, size: Size, rng: random.Random) -> dict:
    """One VPC: 2 public, 4 private and 2 database subnets, NATs, endpoints, groups and databases."""
    vpc_id = rid("vpc", 1, i)
    e["Vpcs"].append({"VpcId": vpc_id, "CidrBlock": _cidr(i), "State": "available", "OwnerId": ACCOUNT,
                      "InstanceTenancy": "default", "IsDefault": False, "DhcpOptionsId": rid("dopt", 1, i),
                      "CidrBlockAssociationSet": [{"AssociationId": rid("vpc-cidr-assoc", 1, i),
                                                   "CidrBlock": _cidr(i),
                                                   "CidrBlockState": {"State": "associated"}}],
                      "Tags": _tags(f"estate-{i}")})
    roles = ["public", "public", "private", "private", "private", "private", "db", "db"]
    subnets = []
    for k, role in enumerate(roles):
        sid = rid("subnet", 2, i * 8 + k)
        az = AZS[k % 2] if role != "private" else AZS[(k - 2) % 3]
        subnets.append({"SubnetId": sid, "VpcId": vpc_id, "CidrBlock": _cidr(i, k), "AvailabilityZone": az,
                        "AvailabilityZoneId": f"use1-az{AZS.index(az) + 1}", "AvailableIpAddressCount": 240,
                        "MapPublicIpOnLaunch": role == "public", "State": "available", "OwnerId": ACCOUNT,
                        "SubnetArn": f"arn:aws:ec2:{REGION}:{ACCOUNT}:subnet/{sid}",
                        "Ipv6CidrBlockAssociationSet": [], "Tags": _tags(f"estate-{i}-{role}-{k}")})
    e["Subnets"].extend(subnets)
    igw = rid("igw", 3, i)
    e["InternetGateways"].append({"InternetGatewayId": igw, "OwnerId": ACCOUNT, "Tags": [],
                                  "Attachments": [{"VpcId": vpc_id, "State": "available"}]})
    nats = []
    for k in (0, 1) if rng.random() < 0.5 else (0,):
        nat = rid("nat", 4, i * 2 + k)
        eni = rid("eni", 5, i * 2 + k)
        nats.append(nat)
        e["NatGateways"].append({"NatGatewayId": nat, "VpcId": vpc_id, "SubnetId": subnets[k]["SubnetId"],
                                 "State": "available", "ConnectivityType": "public",
                                 "CreateTime": "2024-01-01T00:00:00+00:00", "Tags": [],
                                 "NatGatewayAddresses": [{"AllocationId": rid("eipalloc", 4, i * 2 + k),
                                                          "NetworkInterfaceId": eni, "IsPrimary": True,
                                                          "PrivateIp": _ip(i, k, 10),
                                                          "PublicIp": f"54.{i % 250}.{k}.{10 + i // 250}",
                                                          "Status": "succeeded"}]})
        e["NetworkInterfaces"].append(_eni(eni, subnets[k], _ip(i, k, 10), [], "nat_gateway",
                                           f"Interface for NAT Gateway {nat}"))
    local = {"DestinationCidrBlock": _cidr(i), "GatewayId": "local", "Origin": "CreateRouteTable",
             "State": "active"}
    tables = {"public": rid("rtb", 6, i * 4), "private-a": rid("rtb", 6, i * 4 + 1),
              "private-b": rid("rtb", 6, i * 4 + 2), "main": rid("rtb", 6, i * 4 + 3)}
    no_default_b = rng.random() < 0.1  # a forgotten default route: partial answers
    routes = {"public": [local, _route("0.0.0.0/0", GatewayId=igw)],
              "private-a": [local, _route("0.0.0.0/0", NatGatewayId=nats[0])],
              "private-b": [local] + ([] if no_default_b else [_route("0.0.0.0/0", NatGatewayId=nats[-1])]),
              "main": [local]}
    assoc = {"public": [0, 1], "private-a": [2, 4], "private-b": [3, 5], "main": []}
    endpoints = []
    for service, pl, p in (("dynamodb", DDB_PL, 0.6), ("s3", S3_PL, 0.5)):
        if rng.random() < p:
            vpce = rid("vpce", 7, i * 2 + (service == "s3"))
            endpoints.append(vpce)
            e["VpcEndpoints"].append({"VpcEndpointId": vpce, "VpcEndpointType": "Gateway", "VpcId": vpc_id,
                                      "ServiceName": f"com.amazonaws.{REGION}.{service}", "State": "available",
                                      "RouteTableIds": [tables["private-a"], tables["private-b"]],
                                      "PolicyDocument": '{"Version":"2008-10-17","Statement":[{"Effect":'
                                                        '"Allow","Principal":"*","Action":"*","Resource":"*"}]}',
                                      "SubnetIds": [], "Groups": [], "PrivateDnsEnabled": False,
                                      "OwnerId": ACCOUNT, "Tags": []})
            for t in ("private-a", "private-b"):
                routes[t].append({"DestinationPrefixListId": pl, "GatewayId": vpce,
                                  "Origin": "CreateRoute", "State": "active"})
    v = {"i": i, "vpc_id": vpc_id, "subnets": subnets, "tables": tables, "routes": routes,
         "assoc": assoc, "rng": rng}
    groups = _groups(e, v, size, rng)
    v["fn_groups"] = groups["fn"]
    _databases(e, v, groups, rng)
    _acls(e, v, rng)
    return v


def _route(dest: str, **target) -> dict:
    return {"DestinationCidrBlock": dest, "Origin": "CreateRoute", "State": "active", **target}


def _eni(eni_id: str, subnet: dict, ip: str, groups: list[tuple[str, str]], kind: str, description: str,
         requester: str | None = None) -> dict:
    out = {"NetworkInterfaceId": eni_id, "SubnetId": subnet["SubnetId"], "VpcId": subnet["VpcId"],
           "AvailabilityZone": subnet["AvailabilityZone"], "Description": description,
           "Groups": [{"GroupId": g, "GroupName": n} for g, n in groups], "InterfaceType": kind,
           "Ipv6Addresses": [], "MacAddress": "0e:00:00:00:00:00", "OwnerId": ACCOUNT,
           "PrivateDnsName": f"ip-{ip.replace('.', '-')}.ec2.internal", "PrivateIpAddress": ip,
           "PrivateIpAddresses": [{"Primary": True, "PrivateIpAddress": ip}],
           "RequesterManaged": True, "SourceDestCheck": True, "Status": "in-use", "TagSet": []}
    if requester:
        out["RequesterId"] = requester
    return out


def _perm(proto: str, lo: int | None, hi: int | None, *, cidrs=(), groups=(), pls=()) -> dict:
    p = {"IpProtocol": proto, "IpRanges": [{"CidrIp": c} for c in cidrs], "Ipv6Ranges": [],
         "PrefixListIds": [{"PrefixListId": x} for x in pls],
         "UserIdGroupPairs": [{"GroupId": g, "UserId": ACCOUNT} for g in groups]}
    if lo is not None:
        p["FromPort"], p["ToPort"] = lo, hi
    return p


def _groups(e: dict, v: dict, size: Size, rng: random.Random) -> dict:
    """A VPC's groups: default, function groups (egress styles vary), database groups, and noise."""
    i, vpc_id = v["i"], v["vpc_id"]
    n = size.sgs_per_vpc
    ids = [rid("sg", 8, i * n + k) for k in range(n)]
    n_fn = max(2, n * 2 // 5)
    fn, db = ids[1:1 + n_fn], ids[1 + n_fn:3 + n_fn]
    noise = ids[3 + n_fn:]
    out = {"fn": fn, "db": db}
    sgs = []
    sgs.append((ids[0], "default", [_perm("-1", None, None, groups=[ids[0]])], ALL))
    for k, g in enumerate(fn):
        style = rng.random()
        if style < 0.6:
            egress = list(ALL)
        elif style < 0.85:
            egress = [_perm("tcp", 443, 443, cidrs=["0.0.0.0/0"]), _perm("tcp", 5432, 5432, groups=db),
                      _perm("tcp", 3306, 3306, groups=db)]
        else:  # DynamoDB only: the prefix list, and nothing else
            egress = [_perm("tcp", 443, 443, pls=[DDB_PL])]
        sgs.append((g, f"lambda-{k}", [], egress))
    fn_refs = fn[: max(1, len(fn) - 1)]  # the last function group is not admitted by the databases
    for k, g in enumerate(db):
        ingress = [_perm("tcp", 5432, 5432, groups=fn_refs), _perm("tcp", 3306, 3306, groups=fn_refs),
                   _perm("tcp", 5432, 5432, cidrs=["10.0.0.0/8"] if rng.random() < 0.5 else [_cidr(i)])]
        sgs.append((g, f"db-{k}", ingress, []))
    for k, g in enumerate(noise):
        sgs.append((g, f"app-{k}", [], ALL))
    for gid, name, ingress, egress in sgs:
        while len(ingress) + len(egress) < size.rules_per_sg:
            port = rng.choice([22, 80, 443, 8080, 8443, 9090, 6379, 11211, 27017, 5601])
            src = f"10.{rng.randrange(256)}.{rng.randrange(256)}.0/24"
            ingress.append(_perm("tcp", port, port, cidrs=[src]))
        e["SecurityGroups"].append({"GroupId": gid, "GroupName": f"estate-{i}-{name}", "VpcId": vpc_id,
                                    "Description": f"{name} in estate-{i}", "OwnerId": ACCOUNT,
                                    "IpPermissions": ingress, "IpPermissionsEgress": egress, "Tags": []})
    return out


def _databases(e: dict, v: dict, groups: dict, rng: random.Random) -> None:
    """Two instances per VPC: standalone PostgreSQL/MySQL, or one Aurora cluster of two (1 VPC in 4)."""
    i, vpc_id, subnets = v["i"], v["vpc_id"], v["subnets"]
    db_subnets = [subnets[6], subnets[7]]
    group_name = f"estate-{i}-db"
    sng = {"DBSubnetGroupName": group_name, "DBSubnetGroupDescription": "databases", "VpcId": vpc_id,
           "SubnetGroupStatus": "Complete", "SupportedNetworkTypes": ["IPV4"],
           "Subnets": [{"SubnetIdentifier": s["SubnetId"], "SubnetStatus": "Active",
                        "SubnetAvailabilityZone": {"Name": s["AvailabilityZone"]}} for s in db_subnets]}
    cluster = f"estate-{i}-aurora" if i % 4 == 3 else None
    for k in range(2):
        engine = "aurora-postgresql" if cluster else rng.choice(["postgres", "mysql"])
        port = 3306 if engine == "mysql" else 5432
        ident = f"{cluster}-{k + 1}" if cluster else f"estate-{i}-db-{k + 1}"
        sg = groups["db"][k % len(groups["db"])] if not cluster else groups["db"][0]
        public = not cluster and rng.random() < 0.02
        subnet = subnets[k] if public else db_subnets[k]
        ip = _ip(i, 6 + k if not public else k, 20 + k)
        inst = {"DBInstanceIdentifier": ident, "DBInstanceClass": "db.r6g.large", "Engine": engine,
                "DBInstanceStatus": "available", "MasterUsername": "admin",
                "Endpoint": {"Address": f"{ident}.c0abc.{REGION}.rds.amazonaws.com", "Port": port,
                             "HostedZoneId": "Z2R2ITUGPM61AM"},
                "AllocatedStorage": 100, "VpcSecurityGroups": [{"VpcSecurityGroupId": sg, "Status": "active"}],
                "AvailabilityZone": subnet["AvailabilityZone"], "DBSubnetGroup": sng, "MultiAZ": False,
                "EngineVersion": "16.4", "PubliclyAccessible": public, "StorageType": "gp3",
                "DbiResourceId": f"db-{i:08d}{k}", "DBInstanceArn": f"arn:aws:rds:{REGION}:{ACCOUNT}:db:{ident}",
                "TagList": _tags(ident)}
        if cluster:
            inst["DBClusterIdentifier"] = cluster
        e["DBInstances"].append(inst)
        eni = _eni(rid("eni", 9, i * 2 + k), subnet, ip, [(sg, f"estate-{i}-db")], "interface",
                   "RDSNetworkInterface", requester="amazon-rds")
        if public:
            eni["Association"] = {"PublicIp": f"34.{i % 250}.{k}.{20 + i // 250}", "IpOwnerId": "amazon"}
        e["NetworkInterfaces"].append(eni)
    if cluster:
        e["DBClusters"].append({
            "DBClusterIdentifier": cluster, "Status": "available", "Engine": "aurora-postgresql",
            "Endpoint": f"{cluster}.cluster-c0abc.{REGION}.rds.amazonaws.com", "Port": 5432,
            "MultiAZ": True, "DBSubnetGroup": group_name, "AvailabilityZones": list(AZS[:2]),
            "DBClusterMembers": [{"DBInstanceIdentifier": f"{cluster}-{k + 1}", "IsClusterWriter": k == 0,
                                  "PromotionTier": 1} for k in range(2)],
            "VpcSecurityGroups": [{"VpcSecurityGroupId": groups["db"][0], "Status": "active"}],
            "DBClusterArn": f"arn:aws:rds:{REGION}:{ACCOUNT}:cluster:{cluster}", "TagList": []})


def _acls(e: dict, v: dict, rng: random.Random) -> None:
    """The default NACL allows everything; 1 VPC in 5 guards its database subnets more tightly."""
    i, vpc_id, subnets = v["i"], v["vpc_id"], v["subnets"]
    def entry(n, egress, action, cidr, proto="-1", ports=None):
        out = {"RuleNumber": n, "Protocol": proto, "RuleAction": action, "Egress": egress, "CidrBlock": cidr}
        if ports:
            out["PortRange"] = {"From": ports[0], "To": ports[1]}
        return out
    deny = [entry(32767, eg, "deny", "0.0.0.0/0") for eg in (True, False)]
    custom = rng.random() < 0.2
    default_subnets = subnets if not custom else subnets[:6]
    e["NetworkAcls"].append({"NetworkAclId": rid("acl", 10, i * 2), "VpcId": vpc_id, "IsDefault": True,
                             "OwnerId": ACCOUNT, "Tags": [],
                             "Associations": [{"NetworkAclId": rid("acl", 10, i * 2), "SubnetId": s["SubnetId"]}
                                              for s in default_subnets],
                             "Entries": [entry(100, True, "allow", "0.0.0.0/0"),
                                         entry(100, False, "allow", "0.0.0.0/0")] + deny})
    if custom:
        e["NetworkAcls"].append({"NetworkAclId": rid("acl", 10, i * 2 + 1), "VpcId": vpc_id, "IsDefault": False,
                                 "OwnerId": ACCOUNT, "Tags": [],
                                 "Associations": [{"NetworkAclId": rid("acl", 10, i * 2 + 1),
                                                   "SubnetId": s["SubnetId"]} for s in subnets[6:]],
                                 "Entries": [entry(100, False, "allow", _cidr(i), "6", (5432, 5432)),
                                             entry(110, False, "allow", _cidr(i), "6", (3306, 3306)),
                                             entry(100, True, "allow", _cidr(i), "6", (1024, 65535))] + deny})


def _peerings(e: dict, vpcs: list[dict], size: Size, rng: random.Random) -> None:
    """A ring of peerings plus random ones; each side routes to the other, with a few gaps."""
    n = len(vpcs)
    pairs = {tuple(sorted((k, (k + 1) % n))) for k in range(n) if n > 1 and k != (k + 1) % n}
    for _ in range(int(n * size.extra_peers)):
        a, b = rng.randrange(n), rng.randrange(n)
        if a != b:
            pairs.add(tuple(sorted((a, b))))
    for m, (a, b) in enumerate(sorted(pairs)):
        pcx = rid("pcx", 11, m)
        active = rng.random() > 0.05
        e["VpcPeeringConnections"].append({
            "VpcPeeringConnectionId": pcx,
            "Status": {"Code": "active" if active else "pending-acceptance", "Message": "Active"},
            "RequesterVpcInfo": _peer_info(vpcs[a]), "AccepterVpcInfo": _peer_info(vpcs[b]), "Tags": []})
        for me, peer in ((vpcs[a], vpcs[b]), (vpcs[b], vpcs[a])):
            for t in ("private-a", "private-b", "main"):
                if t == "main" and rng.random() < 0.1:
                    continue  # no route back from the databases' table: partial or unreachable
                me["routes"][t].append(_route(_cidr(peer["i"]), VpcPeeringConnectionId=pcx))
    for v in vpcs:
        _tables(e, v)


def _peer_info(v: dict) -> dict:
    return {"VpcId": v["vpc_id"], "OwnerId": ACCOUNT, "Region": REGION, "CidrBlock": _cidr(v["i"]),
            "CidrBlockSet": [{"CidrBlock": _cidr(v["i"])}],
            "PeeringOptions": {"AllowDnsResolutionFromRemoteVpc": False}}


def _tables(e: dict, v: dict) -> None:
    for name, rtb in v["tables"].items():
        assoc = [{"Main": True, "RouteTableId": rtb, "RouteTableAssociationId": f"rtbassoc-{rtb[4:]}m",
                  "AssociationState": {"State": "associated"}}] if name == "main" else []
        assoc += [{"Main": False, "RouteTableId": rtb, "SubnetId": v["subnets"][k]["SubnetId"],
                   "RouteTableAssociationId": f"rtbassoc-{rtb[4:]}{k}",
                   "AssociationState": {"State": "associated"}} for k in v["assoc"][name]]
        e["RouteTables"].append({"RouteTableId": rtb, "VpcId": v["vpc_id"], "OwnerId": ACCOUNT,
                                 "Associations": assoc, "Routes": v["routes"][name], "PropagatingVgws": [],
                                 "Tags": _tags(f"estate-{v['i']}-{name}")})


def _transit(e: dict, vpcs: list[dict], rng: random.Random) -> None:
    """One transit gateway with about 1 VPC in 50 attached (its routes are judged unknown)."""
    tgw = rid("tgw", 12, 0)
    e["TransitGateways"].append({"TransitGatewayId": tgw, "State": "available", "OwnerId": ACCOUNT,
                                 "Options": {"DefaultRouteTableAssociation": "enable",
                                             "DefaultRouteTablePropagation": "enable"}})
    for m, v in enumerate(x for x in vpcs if x["i"] % 50 == 25):
        e["TransitGatewayAttachments"].append({
            "TransitGatewayAttachmentId": rid("tgw-attach", 12, m), "TransitGatewayId": tgw,
            "TransitGatewayOwnerId": ACCOUNT, "ResourceOwnerId": ACCOUNT, "ResourceType": "vpc",
            "ResourceId": v["vpc_id"], "State": "available"})


def _functions(e: dict, vpcs: list[dict], count: int, combos: int, rng: random.Random) -> None:
    """Functions spread over each VPC's fixed pool of combinations; their Hyperplane ENIs (1.5)."""
    pools = []
    for v in vpcs:
        crng = random.Random(v["i"] * 7919 + 13)  # the pool does not depend on the function count
        s = v["subnets"]
        fn_groups = v["fn_groups"]
        pool = []
        for _ in range(combos):
            choice = crng.random()
            subnets = [s[0]] if choice < 0.03 else ([s[2], s[3]] if choice < 0.7 else [s[2], s[3], s[4]])
            groups = crng.sample(fn_groups, 2 if crng.random() < 0.3 else 1)
            pool.append(([x["SubnetId"] for x in subnets], groups))
        pools.append((v, pool))
    seen: dict[tuple, bool] = {}
    hosts: dict[str, int] = {}
    eni_n = 0
    for n in range(count):
        name = f"fn-{n:05d}"
        arn = f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}"
        fn = {"FunctionName": name, "FunctionArn": arn, "Runtime": rng.choice(["python3.12", "nodejs20.x"]),
              "Role": f"arn:aws:iam::{ACCOUNT}:role/{name}-role", "Handler": "index.handler",
              "CodeSize": 1024 + n, "Description": "", "Timeout": 30, "MemorySize": 512,
              "LastModified": "2025-03-04T10:21:17.000+0000", "CodeSha256": "x" * 44, "Version": "$LATEST",
              "TracingConfig": {"Mode": "PassThrough"}, "RevisionId": f"{n:08x}-0000-0000-0000-000000000000",
              "State": "Active", "LastUpdateStatus": "Successful", "PackageType": "Zip",
              "Architectures": ["x86_64"], "EphemeralStorage": {"Size": 512},
              "LoggingConfig": {"LogFormat": "Text", "LogGroup": f"/aws/lambda/{name}"}}
        if n % 20 != 19:
            v, pool = pools[n % len(pools)]
            subnets, groups = pool[(n // len(pools)) % len(pool)]
            fn["VpcConfig"] = {"SubnetIds": subnets, "SecurityGroupIds": groups, "VpcId": v["vpc_id"],
                               "Ipv6AllowedForDualStack": False}
            by_id = {s["SubnetId"]: s for s in v["subnets"]}
            for sid in subnets:
                key = (sid, frozenset(groups))
                if key in seen:
                    continue
                seen[key] = True
                sub = by_id[sid]
                k = v["subnets"].index(sub)
                eni_n += 1
                hosts[sid] = hosts.get(sid, 99) + 1
                e["NetworkInterfaces"].append(_eni(
                    rid("eni", 13, eni_n), sub, _ip(v["i"], k, hosts[sid]),
                    [(g, "lambda") for g in groups], "lambda",
                    f"AWS Lambda VPC ENI-{name}-{eni_n:08x}-0000-4000-8000-000000000000",
                    requester=f"AROAEXAMPLE:{name}"))
        e["Functions"].append(fn)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--size", choices=sorted(SIZES), default="S")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--functions", type=int, help="override the function count (same combinations)")
    p.add_argument("-o", "--output", default="-")
    args = p.parse_args(argv)
    estate = generate(SIZES[args.size], seed=args.seed, functions=args.functions)
    text = json.dumps(estate, separators=(",", ":"))
    if args.output == "-":
        sys.stdout.write(text)
    else:
        with open(args.output, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
