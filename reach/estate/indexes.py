"""Build the estate from a snapshot: derived lookups (subnet → route table, NACL, ...) and a networkx graph."""
from __future__ import annotations

from collections import defaultdict
from functools import cached_property
from ..model import Function, NetworkInterface, Snapshot, Subnet
from ..packets import IntervalSet, cidrs_set, ip_int
from .accounts import Accounts


class Estate:
    """A snapshot with every lookup the rules need built once, so each is O(1)."""

    @classmethod
    def of(cls, snapshot: Snapshot) -> Estate:
        """The snapshot's estate, built on first use and kept with the snapshot (it never changes)."""
        estate = vars(snapshot).get("_estate")
        if estate is None:
            estate = vars(snapshot)["_estate"] = cls(snapshot)
        return estate

    def build_all(self) -> None:
        """Build every lookup now, as forked workers are about to share the estate: each would
        otherwise build its own on first use (and hold its own copy)."""
        for owner in (self, self.accounts):
            for name, attr in vars(type(owner)).items():
                if isinstance(attr, cached_property):
                    getattr(owner, name)

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        # Decisions that query.py keeps: destinations per (target, VPC, Region) and paths per
        # (ENI combination, destination). A loaded snapshot never changes, so they never go stale.
        self.memo: dict[str, dict] = defaultdict(dict)
        ix = snapshot.index
        self.vpcs = ix["Vpcs"]
        self.subnets = ix["Subnets"]
        self.route_tables = ix["RouteTables"]
        self.igws = ix["InternetGateways"]
        self.eigws = ix["EgressOnlyInternetGateways"]
        self.nats = ix["NatGateways"]
        self.endpoints = ix["VpcEndpoints"]
        self.groups = ix["SecurityGroups"]
        self.acls = ix["NetworkAcls"]
        self.enis = ix["NetworkInterfaces"]
        self.peerings = ix["VpcPeeringConnections"]
        self.tgws = ix["TransitGateways"]
        self.tgw_attachments = ix["TransitGatewayAttachments"]
        self.tgw_route_tables = ix["TransitGatewayRouteTables"]
        self.db_instances = ix["DBInstances"]
        self.db_clusters = ix["DBClusters"]
        # The other lookups are built on first use (cached_property below): one question reads
        # a few of them, and on the L bench estate building them all was a third of a cold
        # `reach can` after loading (docs/performance.md, "A cold reach can").
        self.functions: dict[str, Function] = {}
        self.functions_by_arn: dict[str, Function] = {}
        for fn in snapshot.items("Functions"):
            self.functions.setdefault(fn.qualified_name, fn)
            if fn.function_arn:
                self.functions_by_arn.setdefault(fn.function_arn, fn)
        self.gap_calls = {(g.region, g.call) for g in snapshot.gaps}
        # Subnets whose CIDR lies outside their VPC's (model/checks.py): a contradiction, so
        # answers that start in or reach them are unknown, naming them (docs/semantics.md §0).
        self.subnets_outside_vpc = {w.component_id: w.missing_id or "?" for w in snapshot.read_warnings()
                                    if w.code == "SUBNET_OUTSIDE_VPC"}
        self.accounts = Accounts(snapshot)

    @cached_property
    def _route_tables(self) -> tuple[dict[str, str], dict[str, str]]:
        """Each subnet's explicitly associated route table, and each VPC's main one."""
        explicit: dict[str, str] = {}
        main: dict[str, str] = {}
        for rt in self.snapshot.items("RouteTables"):
            for a in rt.associations:
                if a.main and rt.vpc_id:
                    main.setdefault(rt.vpc_id, rt.route_table_id)
                elif a.subnet_id:
                    explicit.setdefault(a.subnet_id, rt.route_table_id)
        return explicit, main

    @cached_property
    def _acls(self) -> tuple[dict[str, str], dict[str, str]]:
        """Each subnet's associated NACL, and each VPC's default one."""
        of: dict[str, str] = {}
        default: dict[str, str] = {}
        for acl in self.snapshot.items("NetworkAcls"):
            for a in acl.associations:
                if a.subnet_id:
                    of.setdefault(a.subnet_id, acl.network_acl_id)
            if acl.is_default and acl.vpc_id:
                default.setdefault(acl.vpc_id, acl.network_acl_id)
        return of, default

    @cached_property
    def subnets_of_vpc(self) -> dict[str, list[Subnet]]:
        out: dict[str, list[Subnet]] = defaultdict(list)
        for s in self.subnets.values():
            out[s.vpc_id].append(s)
        return out

    @cached_property
    def enis_by_ip(self) -> dict[int, list[NetworkInterface]]:
        """Every ENI by each of its private IPv4 and IPv6 addresses (as integers)."""
        out: dict[int, list[NetworkInterface]] = defaultdict(list)
        for eni in self.enis.values():
            for ip in self.eni_private_ips(eni) + self.eni_ipv6_ips(eni):
                out[ip_int(ip)].append(eni)
        return out

    @cached_property
    def enis_by_group(self) -> dict[str, list[NetworkInterface]]:
        out: dict[str, list[NetworkInterface]] = defaultdict(list)
        for eni in self.enis.values():
            for g in eni.group_ids:
                out[g].append(eni)
        return out

    @cached_property
    def enis_by_instance(self) -> dict[str, NetworkInterface]:
        out: dict[str, NetworkInterface] = {}
        for eni in self.enis.values():
            if eni.attachment and eni.attachment.instance_id:
                out.setdefault(eni.attachment.instance_id, eni)
        return out

    @cached_property
    def eni_by_public_ip(self) -> dict[int, NetworkInterface]:
        return {ip_int(ip): eni for eni in self.enis.values() for ip in eni.public_ips() if ":" not in ip}

    @cached_property
    def peerings_between(self) -> dict[frozenset, list]:
        """The peering connections joining each pair of VPCs, in the snapshot's order."""
        out: dict[frozenset, list] = defaultdict(list)
        for p in self.peerings.values():
            a, r = p.accepter_vpc_info, p.requester_vpc_info
            if a and r:
                out[frozenset((a.vpc_id, r.vpc_id))].append(p)
        return out

    @cached_property
    def endpoints_by_vpc(self) -> dict[str | None, list]:
        """Each VPC's endpoints, in the snapshot's order."""
        out: dict[str | None, list] = defaultdict(list)
        for ep in self.endpoints.values():
            out[ep.vpc_id].append(ep)
        return out

    @cached_property
    def nat_route_tables(self) -> set[str | None]:
        """The route tables of the NAT gateways' subnets (which must keep their route to the IGW, 2.15)."""
        return {self.route_table_id(n.subnet_id or "") for n in self.nats.values()}

    @cached_property
    def subnets_in_use(self) -> set[str]:
        """The subnets some function's VpcConfig names."""
        return {s for f in self.functions.values() if f.vpc_config for s in f.vpc_config.subnet_ids}

    @cached_property
    def function_names(self) -> set[str]:
        return {f.function_name for f in self.functions.values()}

    @cached_property
    def vpcs_ipv4(self) -> IntervalSet:
        """Every VPC's IPv4 space."""
        return cidrs_set(c for v in self.vpcs.values() for c in v.ipv4_cidrs())

    # --- lookups (rule numbers from aws-rules.md) ---

    def route_table_id(self, subnet_id: str) -> str | None:
        """The explicit association, else the VPC's main table (2.1)."""
        explicit, main = self._route_tables
        table = explicit.get(subnet_id)
        if table:
            return table
        subnet = self.subnets.get(subnet_id)
        return main.get(subnet.vpc_id) if subnet else None

    def acl_id(self, subnet_id: str) -> str | None:
        """The associated NACL, else the VPC's default one (5.4)."""
        associated, default = self._acls
        acl = associated.get(subnet_id)
        if acl:
            return acl
        subnet = self.subnets.get(subnet_id)
        return default.get(subnet.vpc_id) if subnet else None

    def vpc_cidrs(self, vpc_id: str) -> list[str]:
        """Every CIDR of the VPC, IPv4 then IPv6: each has a `local` route (2.2)."""
        vpc = self.vpcs.get(vpc_id)
        return vpc.ipv4_cidrs() + vpc.ipv6_cidrs() if vpc else []

    def peer_cidrs(self, peer) -> list[str]:
        """The CIDRs a peering carries to one of its VPCs (6.5), IPv4 then IPv6: each family from the
        peering's VPC info, else from that VPC itself (D9)."""
        known = self.vpc_cidrs(peer.vpc_id or "")
        return (peer.cidrs() or [c for c in known if ":" not in c]) + \
            (peer.ipv6_cidrs() or [c for c in known if ":" in c])

    def vpc_addresses(self, vpc_id: str) -> IntervalSet:
        return cidrs_set(self.vpc_cidrs(vpc_id))

    def subnet_addresses(self, subnet_id: str) -> IntervalSet:
        """The subnet's IPv4 and IPv6 addresses (worked out once per subnet)."""
        memo = self.memo["subnet_addresses"]
        hit = memo.get(subnet_id)
        if hit is None:
            s = self.subnets.get(subnet_id)
            hit = memo[subnet_id] = cidrs_set(subnet_cidrs(s)) if s else IntervalSet()
        return hit

    def subnets_holding(self, vpc_id: str, addresses: IntervalSet) -> tuple[tuple[Subnet, IntervalSet], ...]:
        """The subnets of a VPC that hold part of `addresses`, with that part (once per VPC and
        addresses while a VPC's questions are answered: questions.workers drops the memo)."""
        memo = self.memo["holding"]
        key = (vpc_id, addresses)
        found = memo.get(key)
        if found is None:
            held = self.memo["vpc_subnet_addresses"].get(vpc_id)
            if held is None:
                held = self.memo["vpc_subnet_addresses"][vpc_id] = [
                    (s, cidrs_set(subnet_cidrs(s))) for s in self.subnets_of_vpc.get(vpc_id, [])]
            found = memo[key] = tuple((s, part) for s, own in held if (part := own & addresses))
        return found

    def eni_private_ips(self, eni: NetworkInterface) -> list[str]:
        """The ENI's private IPv4 addresses, primary first (read once per ENI)."""
        memo = self.memo["eni_ips"]
        hit = memo.get(eni.network_interface_id)
        if hit is None or hit[0] is not eni:
            ips = [p.private_ip_address for p in eni.private_ip_addresses if p.private_ip_address]
            if eni.private_ip_address and eni.private_ip_address not in ips:
                ips.insert(0, eni.private_ip_address)
            hit = memo[eni.network_interface_id] = (eni, [ip for ip in ips if ":" not in ip])
        return list(hit[1])

    def eni_ipv6_ips(self, eni: NetworkInterface) -> list[str]:
        """The ENI's IPv6 addresses."""
        return [a.ipv6_address for a in eni.ipv6_addresses if a.ipv6_address]

    def prefix_list_cidrs(self, pl_id: str) -> list[str] | None:
        """A prefix list's CIDRs from ManagedPrefixLists Entries or PrefixLists Cidrs; None if unknown."""
        managed = self.snapshot.get("ManagedPrefixLists", pl_id)
        if managed is not None and managed.entries is not None:
            return [e.cidr for e in managed.entries]
        old = self.snapshot.get("PrefixLists", pl_id)
        if old is not None and "cidrs" in old.model_fields_set:
            return list(old.cidrs)
        return None

    def service_prefix_list(self, service: str, region: str, *, ipv6: bool = False) -> str | None:
        """The id of the AWS-managed prefix list of a service's addresses in one family (3.2): IPv4
        `com.amazonaws.<region>.<service>`; IPv6 the list a dual-stack gateway endpoint routes to
        (https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html, "IP address
        type"), taken to be named `com.amazonaws.<region>.ipv6.<service>` as AWS names its other IPv6
        lists (`com.amazonaws.<region>.ipv6.ec2-instance-connect`) [INFERENCE], or a list with the
        plain name whose entries are IPv6. A list holds one family (its AddressFamily; else its
        entries tell)."""
        plain = f"com.amazonaws.{region}.{service}"
        # Which families a list of each name may be: the plain name is IPv4 unless it says otherwise.
        names = {f"com.amazonaws.{region}.ipv6.{service}": (True, None), plain: (True,)} if ipv6 \
            else {plain: (False, None)}
        for name, families in names.items():
            for key in ("ManagedPrefixLists", "PrefixLists"):
                for pl in self.snapshot.items(key):
                    if pl.prefix_list_name == name and self._family_is_v6(pl) in families:
                        return pl.prefix_list_id
        return None

    def _family_is_v6(self, pl) -> bool | None:
        family = (getattr(pl, "address_family", None) or "").lower()
        if family in ("ipv4", "ipv6"):
            return family == "ipv6"
        cidrs = self.prefix_list_cidrs(pl.prefix_list_id)
        return None if not cidrs else all(":" in c for c in cidrs)

    def eigw_of(self, vpc_id: str) -> str | None:
        """The egress-only internet gateway attached to the VPC (2.13, 2.14)."""
        return next((g.egress_only_internet_gateway_id for g in self.eigws.values() if g.attached_to(vpc_id)),
                    None)

    def igw_of(self, vpc_id: str) -> str | None:
        """The internet gateway attached to the VPC, if any (2.13: at most one)."""
        return next((i.internet_gateway_id for i in self.igws.values() if i.attached_to(vpc_id)), None)

    def lambda_enis(self, subnet_id: str, group_ids: list[str]) -> list[NetworkInterface]:
        """The snapshot's Hyperplane ENIs of one (subnet, security-group set) (1.5, 1.6, 1.13)."""
        memo = self.memo["lambda_enis"]
        combinations = memo.get(subnet_id)
        if combinations is None:  # per subnet, on first use: a question reads one or two
            combinations = memo[subnet_id] = defaultdict(list)
            for e in self.lambda_enis_in_subnet(subnet_id):
                combinations[frozenset(e.group_ids)].append(e)
        return combinations.get(frozenset(group_ids), [])

    def lambda_enis_in_subnet(self, subnet_id: str) -> list[NetworkInterface]:
        """Every Hyperplane ENI of one subnet, whatever its groups (1.15)."""
        return self._lambda_enis_by_subnet.get(subnet_id, [])

    def enis_in_subnet(self, subnet_id: str) -> list[NetworkInterface]:
        """Every ENI of one subnet, whatever its type (an index: no scan of all ENIs)."""
        return self._enis_by_subnet.get(subnet_id, [])

    @cached_property
    def _enis_by_subnet(self) -> dict[str, list[NetworkInterface]]:
        out: dict[str, list[NetworkInterface]] = defaultdict(list)
        for e in self.enis.values():
            if e.subnet_id:
                out[e.subnet_id].append(e)
        return dict(out)

    @cached_property
    def _lambda_enis_by_subnet(self) -> dict[str, list[NetworkInterface]]:
        out: dict[str, list[NetworkInterface]] = defaultdict(list)
        for e in self.enis.values():
            if e.interface_type == "lambda" and e.subnet_id:
                out[e.subnet_id].append(e)
        return dict(out)

    def has_gap(self, region: str | None, *calls: str) -> str | None:
        for call in calls:
            if (region, call) in self.gap_calls:
                return call
        return None


def subnet_cidrs(subnet: Subnet) -> list[str]:
    """A subnet's IPv4 CIDR and its IPv6 ones."""
    return ([subnet.cidr_block] if subnet.cidr_block else []) + subnet.ipv6_cidrs()
