"""Parse targets (contract §2.1) and resolve what they mean from a source, as DNS would (3.12, 7.2)."""
from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field

from ..errors import ReachInputError, nearest
from ..estate import Estate
from ..model import DbCluster
from ..packets import EMPTY, PUBLIC, PUBLIC6, IntervalSet, cidrs_set, ip_int, ip_set, ipv4_part, nat64_embedded

SERVICES = ("dynamodb", "s3")


@dataclass(frozen=True)
class Target:
    spec: str
    kind: str  # internet | internet6 | dynamodb | s3 | rds | address
    protocol: str
    port: int | None
    name: str | None = None  # the RDS identifier, or the address
    resource: str | None = None  # the table or bucket of `dynamodb:TABLE`, `s3:BUCKET`
    dualstack: bool = False  # the service's dual-stack endpoint, over IPv6 (3.6, docs/semantics.md §6v)

    def __hash__(self) -> int:
        """The fields' hash, kept after the first call: a target is part of every key an audit
        groups its questions by and of the walk's memos. Never pickled (`__getstate__`): another
        interpreter hashes strings differently."""
        try:
            return self.__dict__["_hash"]
        except KeyError:
            h = hash((self.spec, self.kind, self.protocol, self.port, self.name, self.resource, self.dualstack))
            object.__setattr__(self, "_hash", h)
            return h

    def __getstate__(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if k != "_hash"}

    @property
    def judges_permission(self) -> bool:
        """`dynamodb:TABLE`, `s3:BUCKET` and `logs` judge the role's permission (contract §2.1)."""
        return self.resource is not None or self.kind == "logs"

    @property
    def ipv6(self) -> bool:
        """Whether the target is an IPv6 destination (`internet6`, `[IPV6]:PORT`, a dual-stack endpoint)."""
        return self.dualstack or self.kind == "internet6" or (self.kind == "address" and ":" in (self.name or ""))

    def to_dict(self) -> dict:
        out = {"spec": self.spec, "kind": self.kind, "protocol": self.protocol, "port": self.port}
        if self.dualstack:
            out["endpoint"] = "dualstack"
        return out


def dualstack_hostname(service: str, region: str) -> str:
    """The hostname of a service's dual-stack endpoint, as the SDKs' endpoint rules write it
    (`use_dualstack_endpoint`): S3 `s3.dualstack.REGION.amazonaws.com`
    (https://docs.aws.amazon.com/AmazonS3/latest/userguide/dual-stack-endpoints.html), DynamoDB
    `dynamodb.REGION.api.aws`."""
    return f"s3.dualstack.{region}.amazonaws.com" if service == "s3" else f"{service}.{region}.api.aws"


def parse_target(spec: str, *, port: int | None = None, protocol: str | None = None) -> Target:
    """Parse `internet[:PORT]`, `internet6[:PORT]`, `dynamodb`, `s3`, `rds:ID`, `A.B.C.D:PORT` or
    `[IPV6]:PORT` (contract §2.1)."""
    proto = (protocol or "tcp").lower()
    if proto not in ("tcp", "udp", "icmp"):
        raise ReachInputError(f"unknown protocol {protocol!r} (tcp, udp or icmp)")
    m = re.fullmatch(r"internet(?::(\d+))?", spec)
    if m:
        return Target(spec, "internet", proto, _port(port or m.group(1) or 443, spec))
    m = re.fullmatch(r"internet6(?::(\d+))?", spec)
    if m:
        return Target(spec, "internet6", proto, _port(port or m.group(1) or 443, spec))
    m = re.fullmatch(r"\[([0-9A-Fa-f:.]+)\]:(\d+)", spec)
    if m:
        try:
            address = str(ipaddress.IPv6Address(m.group(1)))
        except ValueError:
            raise ReachInputError(f"bad target {spec!r}: {m.group(1)} is not an IPv6 address") from None
        return Target(spec, "address", proto, _port(port or m.group(2), spec), name=address)
    if spec in SERVICES:
        return Target(spec, spec, proto, _port(port or 443, spec))
    m = re.fullmatch(r"(dynamodb|s3):(.*)", spec)
    if m:
        _resource_name(m.group(1), m.group(2), spec)
        return Target(spec, m.group(1), proto, _port(port or 443, spec), resource=m.group(2))
    if spec == "logs":
        return Target(spec, "logs", proto, None)
    if spec.startswith("rds:") and len(spec) > 4:
        return Target(spec, "rds", proto, port, name=spec[4:])
    m = re.fullmatch(r"(\d+\.\d+\.\d+\.\d+):(\d+)", spec)
    if m:
        try:
            ipaddress.IPv4Address(m.group(1))
        except ValueError:
            raise ReachInputError(f"bad target {spec!r}: {m.group(1)} is not an IPv4 address") from None
        return Target(spec, "address", proto, _port(port or m.group(2), spec), name=m.group(1))
    raise ReachInputError(f"unknown target {spec!r}: use internet, internet:PORT, internet6, "
                          "internet6:PORT, dynamodb[:TABLE], s3[:BUCKET], logs, rds:ID, A.B.C.D:PORT "
                          "or [IPV6]:PORT"
                          + nearest(spec, ("internet", "internet6", "logs", *SERVICES)))


# Table names: 3-255 of [a-zA-Z0-9_.-]; bucket names: 3-63 of [a-z0-9.-], starting and ending
# with a letter or digit (DynamoDB and S3 naming rules).
_NAMES = {"dynamodb": (re.compile(r"[A-Za-z0-9_.-]{3,255}"), "a table name"),
          "s3": (re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]"), "a bucket name")}


def _resource_name(service: str, name: str, spec: str) -> None:
    pattern, what = _NAMES[service]
    if not pattern.fullmatch(name):
        raise ReachInputError(f"bad target {spec!r}: {name!r} is not {what}")


def _port(value, spec: str) -> int:
    p = int(value)
    if not 0 <= p <= 65535:
        raise ReachInputError(f"bad target {spec!r}: port {p} is not in 0-65535")
    return p


@dataclass
class Destination:
    """What a target resolves to from one source: addresses and what is known of their owner."""

    addresses: IntervalSet
    component_id: str
    kind: str  # internet | service | eni | rds | address | endpoint
    service: str | None = None
    groups: frozenset[str] | None = None  # the owner's SGs when not found by address (no ENI)
    subnet_ids: tuple[str, ...] = ()  # the owner's subnets when not found by address
    public: bool = False  # reached over the internet (a public address)
    public_owner: tuple[str, frozenset[str], str] | None = None  # (subnet, groups, id) behind it
    missing: list[str] = field(default_factory=list)
    notes: list[dict] = field(default_factory=list)
    unresolved: str | None = None  # why the destination cannot be resolved at all


def resolve(estate: Estate, target: Target, *, vpc_id: str | None, region: str) -> Destination:
    """The destination of `target` as seen from a source in `vpc_id` (None: outside any VPC)."""
    if target.kind in ("internet", "internet6"):
        own = estate.vpc_addresses(vpc_id) if vpc_id else EMPTY
        every = PUBLIC if target.kind == "internet" else PUBLIC6
        return Destination(every - own, target.kind, "internet", public=True)
    if target.kind in SERVICES and target.dualstack:
        return _dualstack_service(estate, target.kind, vpc_id, region)
    if target.kind in SERVICES:
        return _service(estate, target.kind, vpc_id, region)
    if target.kind == "rds":
        return _rds(estate, target.name or "", vpc_id)
    return _address(estate, target.name or "")


def _address(estate: Estate, ip: str) -> Destination:
    # `[64:ff9b::A.B.C.D]:PORT` is A.B.C.D as DNS64 writes it: a NAT gateway translates it (NAT64,
    # 2.18), so who owns it and whether it is public are A.B.C.D's.
    seen = ip_set([ip])
    embedded = nat64_embedded(seen)
    addr = embedded.first() if embedded else ip_int(ip)
    owner = estate.eni_by_public_ip.get(addr)
    if owner is not None:
        return Destination(seen, owner.network_interface_id, "address", public=True,
                           public_owner=(owner.subnet_id or "", frozenset(owner.group_ids),
                                         owner.network_interface_id))
    return Destination(seen, ip, "address", public=bool((embedded or seen) & (PUBLIC | PUBLIC6)))


def _service(estate: Estate, service: str, vpc_id: str | None, region: str) -> Destination:
    name = f"com.amazonaws.{region}.{service}"
    if vpc_id:
        for ep in estate.endpoints_by_vpc.get(vpc_id, []):
            # Private DNS on an interface endpoint points the default hostname at its ENIs (3.12),
            # unless it is kept for on-premises resolvers only (3.14).
            dns_only_inbound = (ep.dns_options or {}).get("PrivateDnsOnlyForInboundResolverEndpoint")
            if (ep.service_name == name and ep.vpc_endpoint_type == "interface"
                    and ep.private_dns_enabled and not dns_only_inbound):
                return _endpoint_destination(estate, ep, service)
    pl = estate.service_prefix_list(service, region)
    cidrs = estate.prefix_list_cidrs(pl) if pl else None
    # The default endpoint is IPv4 (3.6): a list's IPv6 entries are not where its hostname points.
    dest = Destination(PUBLIC if cidrs is None else ipv4_part(cidrs_set(cidrs)), pl or name, "service",
                       service=service, public=True)
    if cidrs is None:
        dest.missing.append(pl or name)
    if vpc_id:
        for ep in estate.endpoints_by_vpc.get(vpc_id, []):
            if ep.service_name == name and ep.vpc_endpoint_type == "interface":
                # Name the setting that really sends the VPC's traffic elsewhere (3.12, 3.14).
                inbound_only = ep.private_dns_enabled and \
                    (ep.dns_options or {}).get("PrivateDnsOnlyForInboundResolverEndpoint")
                code, rule = (("INTERFACE_ENDPOINT_PRIVATE_DNS_INBOUND_ONLY", "3.14") if inbound_only
                              else ("INTERFACE_ENDPOINT_PRIVATE_DNS_OFF", "3.12"))
                dest.notes.append({"code": code, "component_id": ep.vpc_endpoint_id, "rule": rule})
    return dest


def _dualstack_service(estate: Estate, service: str, vpc_id: str | None, region: str) -> Destination:
    """Where the IPv6 (AAAA) answers for the service's dual-stack hostname lead (3.6, 3.12).

    An interface endpoint with private DNS answers for it only when its IP address type is
    dual-stack (or IPv6) and its DNS record IP type gives AAAA records; with the default IPv4 type,
    "traffic that uses the A or AAAA records of the dualstack service endpoints won't be routed
    through the interface endpoint"
    (https://docs.aws.amazon.com/AmazonS3/latest/userguide/privatelink-interface-endpoints.html,
    "DNS record IP types"; read the same way for DynamoDB). Otherwise the hostname resolves to the
    service's public IPv6 addresses: the service's IPv6 prefix list when the snapshot has it, else
    every public IPv6 address, marked as a guess."""
    name = f"com.amazonaws.{region}.{service}"
    if vpc_id:
        for ep in estate.endpoints_by_vpc.get(vpc_id, []):
            dns = ep.dns_options or {}
            if (ep.service_name == name and ep.vpc_endpoint_type == "interface"
                    and ep.private_dns_enabled and not dns.get("PrivateDnsOnlyForInboundResolverEndpoint")
                    and (ep.ip_address_type or "").lower() in ("dualstack", "ipv6")):
                if (dns.get("DnsRecordIpType") or "").lower() == "ipv4":
                    return Destination(EMPTY, ep.vpc_endpoint_id, "endpoint", service=service,
                                       unresolved=f"{ep.vpc_endpoint_id} answers only A records "
                                                  "(DnsRecordIpType ipv4): no IPv6 is used")
                return _endpoint_destination(estate, ep, service, ipv6=True)
    pl = estate.service_prefix_list(service, region, ipv6=True)
    cidrs = estate.prefix_list_cidrs(pl) if pl else None
    six = cidrs_set(c for c in cidrs or [] if ":" in c)
    # A guess is every public IPv6 address outside the function's own VPC (as for internet6).
    guess = PUBLIC6 - (estate.vpc_addresses(vpc_id) if vpc_id else EMPTY)
    dest = Destination(six if cidrs is not None else guess, pl or f"{name} (IPv6)", "service",
                       service=service, public=True)
    if cidrs is None:
        dest.missing.append(pl or f"the IPv6 prefix list of {name}")
    return dest


def _endpoint_destination(estate: Estate, ep, service: str, *, ipv6: bool = False) -> Destination:
    own = estate.eni_ipv6_ips if ipv6 else estate.eni_private_ips
    ips = [ip for eni_id in ep.network_interface_ids if eni_id in estate.enis
           for ip in own(estate.enis[eni_id])]
    groups = frozenset(g.group_id for g in ep.groups)
    if ips:
        return Destination(ip_set(ips), ep.vpc_endpoint_id, "endpoint", service=service)
    subnets = tuple(s for s in ep.subnet_ids if s in estate.subnets)
    cidrs = [c for s in subnets for c in (estate.subnets[s].ipv6_cidrs() if ipv6
                                           else [estate.subnets[s].cidr_block] if estate.subnets[s].cidr_block
                                           else [])]
    return Destination(cidrs_set(cidrs), ep.vpc_endpoint_id, "endpoint", service=service, groups=groups,
                       subnet_ids=subnets)


def find_database(estate: Estate, name: str):
    """An RDS instance by identifier or ARN, or a cluster's writer instance (7.1). An identifier
    used in several accounts or Regions is bad input: the ARN says which."""
    accounts = estate.accounts
    if name.startswith("arn:"):
        found = accounts.database_by_arn.get(name)
    else:
        same = accounts.databases.get(name, [])
        if len(same) > 1:
            arns = sorted(accounts.database_home[id(d)][0] for d in same)
            raise ReachInputError(f"rds:{name} is in {len(same)} accounts or Regions; name it by "
                                  f"ARN: {', '.join('rds:' + a for a in arns)}")
        found = same[0] if same else None
    if not isinstance(found, DbCluster):
        return found, None
    cluster, home = found, accounts.database_home[id(found)][1]
    writer = next((m.db_instance_identifier for m in cluster.db_cluster_members if m.is_cluster_writer),
                  None) or next((m.db_instance_identifier for m in cluster.db_cluster_members), None)
    return accounts.instance_in.get((home.account_id, home.region, writer or "")), cluster


def database_hint(estate: Estate, spec: str) -> str:
    """The `rds:ID` targets nearest a mistyped one ("; did you mean rds:a?"), or ""."""
    return nearest(spec, [f"rds:{i}" for i in (*estate.db_instances, *estate.db_clusters)])


def database_enis(estate: Estate, db) -> list:
    """The snapshot's ENIs that are this instance's: in its subnet group, its AZ, with its SGs."""
    groups = frozenset(g.vpc_security_group_id for g in db.vpc_security_groups)
    subnets = dict.fromkeys(s.subnet_identifier for s in (db.db_subnet_group.subnets
                                                          if db.db_subnet_group else []))
    return [e for s in subnets for e in estate.enis_in_subnet(s)
            if frozenset(e.group_ids) == groups
            and (db.availability_zone is None or e.availability_zone in (None, db.availability_zone))
            and (e.description or "").startswith("RDSNetworkInterface")]


def _rds(estate: Estate, name: str, vpc_id: str | None) -> Destination:
    # Publicly accessible: the private IP inside its VPC, the public IP from outside (7.2, 7.6).
    db, cluster, groups, db_vpc, enis, subnets, private = _database(estate, name)
    if db is None or not db.publicly_accessible or vpc_id == db_vpc or _peer_dns(estate, vpc_id, db_vpc):
        return private
    ident = cluster.identifier if cluster else db.identifier
    pub = [ip for e in enis for ip in e.public_ips()]
    subnet = enis[0].subnet_id if enis else (subnets[0] if subnets else "")
    return Destination(ip_set(pub) if pub else PUBLIC, ident, "rds", groups=groups, public=True,
                       public_owner=(subnet or "", groups, db.identifier),
                       missing=[] if pub else [f"{db.identifier} public address"])


def _database(estate: Estate, name: str) -> tuple:
    """An RDS target's parts, once per database whichever VPC asks: the instance, its cluster,
    groups, VPC, ENIs and subnets, and what it resolves to by its private addresses."""
    memo = estate.memo["databases"]
    found = memo.get(name)
    if found is not None:
        return found
    db, cluster = find_database(estate, name)
    if db is None:
        found = memo[name] = (None, None, None, None, [], (), Destination(
            EMPTY, name, "rds", unresolved=f"no instance of {name} in the snapshot", missing=[name]))
        return found
    groups = frozenset(g.vpc_security_group_id for g in db.vpc_security_groups)
    db_vpc = db.db_subnet_group.vpc_id if db.db_subnet_group else None
    enis = database_enis(estate, db)
    subnets = tuple(s.subnet_identifier for s in (db.db_subnet_group.subnets if db.db_subnet_group else [])
                    if db.availability_zone is None or s.subnet_availability_zone is None
                    or s.subnet_availability_zone.name == db.availability_zone)
    ident = cluster.identifier if cluster else db.identifier
    if enis:
        private = Destination(ip_set([ip for e in enis for ip in estate.eni_private_ips(e)]), ident, "rds",
                              groups=groups, subnet_ids=tuple(e.subnet_id for e in enis))
    else:
        addrs = cidrs_set(estate.subnets[s].cidr_block for s in subnets
                          if s in estate.subnets and estate.subnets[s].cidr_block)
        private = Destination(addrs, ident, "rds", groups=groups, subnet_ids=subnets,
                              missing=[s for s in subnets if s not in estate.subnets],
                              unresolved=None if addrs else f"no subnet of {db.identifier}'s subnet group "
                                                            "is in the snapshot")
    found = memo[name] = (db, cluster, groups, db_vpc, enis, subnets, private)
    return found


def _peer_dns(estate: Estate, vpc_a: str | None, vpc_b: str | None) -> bool:
    """Peering DNS resolution lets a peer resolve public hostnames to private IPs (6.6)."""
    for p in estate.peerings_between.get(frozenset((vpc_a, vpc_b)), ()):
        a, r = p.accepter_vpc_info, p.requester_vpc_info
        if p.is_active:
            owner = a if a.vpc_id == vpc_b else r
            if owner.peering_options and owner.peering_options.allow_dns_resolution_from_remote_vpc:
                return True
    return False
