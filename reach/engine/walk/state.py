"""The state of one walk: the flow still going, the hops met, and the outcomes and blockers so far."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, NamedTuple

from ...answer import Blocker, Decision, Direction, Hop, Kind
from ...catalogue import Code, FixCode
from ...estate import Estate
from ...packets import IntervalSet, nat64_embedded, nat64_of
from ..targets import Destination

# Which collector calls would have held the data of each kind of component (a Gap names them).
GAP_CALLS = {
    Kind.NETWORK_ACL_EGRESS: ("DescribeNetworkAcls",), Kind.NETWORK_ACL_INGRESS: ("DescribeNetworkAcls",),
    Kind.ROUTE_TABLE: ("DescribeRouteTables",), Kind.SECURITY_GROUP_EGRESS: ("DescribeSecurityGroups",),
    Kind.SECURITY_GROUP_INGRESS: ("DescribeSecurityGroups",), Kind.NAT_GATEWAY: ("DescribeNatGateways",),
    Kind.VPC_ENDPOINT: ("DescribeVpcEndpoints",), Kind.INTERNET_GATEWAY: ("DescribeInternetGateways",),
    Kind.VPC_PEERING_CONNECTION: ("DescribeVpcPeeringConnections",), Kind.VPC: ("DescribeVpcs",),
    Kind.DESTINATION: ("DescribeNetworkInterfaces",), Kind.NETWORK_INTERFACE: ("DescribeNetworkInterfaces",),
    Kind.SUBNET: ("DescribeSubnets",),
    Kind.PREFIX_LIST: ("DescribeManagedPrefixLists", "GetManagedPrefixListEntries", "DescribePrefixLists"),
    Kind.EGRESS_ONLY_INTERNET_GATEWAY: ("DescribeEgressOnlyInternetGateways",),
}

# The aws-rules.md numbers a hop of each kind applies, unless the hop names its own.
RULES = {
    Kind.LAMBDA_SERVICE: "1.1", Kind.SUBNET: "2.1", Kind.VPC: "2.2",
    Kind.SECURITY_GROUP_EGRESS: "4.1-4.6", Kind.SECURITY_GROUP_INGRESS: "4.1-4.7",
    Kind.NETWORK_ACL_EGRESS: "5.1-5.5", Kind.NETWORK_ACL_INGRESS: "5.1-5.5",
    Kind.ROUTE_TABLE: "2.1, 2.5, 2.6", Kind.ROUTE_TARGET: "2.7", Kind.INTERNET_GATEWAY: "2.11, 2.12",
    Kind.NAT_GATEWAY: "2.15-2.21", Kind.NETWORK_INTERFACE: "2.7", Kind.VPC_ENDPOINT: "3.2-3.9",
    Kind.VPC_PEERING_CONNECTION: "6.1-6.5", Kind.TRANSIT_GATEWAY: "6.8-6.10",
    Kind.TRANSIT_GATEWAY_ATTACHMENT: "6.8", Kind.TRANSIT_GATEWAY_ROUTE_TABLE: "6.9", Kind.DESTINATION: "0",
    Kind.FUNCTION: "1.23", Kind.EGRESS_ONLY_INTERNET_GATEWAY: "2.14",
}


class Flow(NamedTuple):
    """The packets still going: source addresses × destination addresses, on one leg.

    `ghost` once all of them were denied upstream: the walk goes on only to name every further
    blocker, and records no outcome. Immutable; each step makes a new one (a tuple: cheap)."""

    src: IntervalSet
    dst: IntervalSet
    ghost: bool = False
    direction: Direction = Direction.OUTBOUND
    nat64: bool = False  # `dst` is the IPv4 a NAT gateway translated 64:ff9b::/96 to (2.18)

    def to(self, dst: IntervalSet) -> Flow:
        return _flow((self[0], dst, self[2], self[3], self[4]))

    def sent_from(self, src: IntervalSet) -> Flow:
        return _flow((src, self[1], self[2], self[3], self[4]))

    def ghosted(self) -> Flow:
        return _flow((self[0], self[1], True, self[3], self[4]))

    def reply(self) -> Flow:
        """The same packets' replies, coming back (0.3): NACLs see them on ephemeral ports (1.25)."""
        return self if self[3] == Direction.REPLY else _flow((self[0], self[1], self[2], Direction.REPLY, self[4]))

    def translated64(self) -> Flow:
        """Past a NAT gateway's NAT64: to the IPv4 addresses the 64:ff9b::/96 ones stand for (2.18)."""
        return _flow((self[0], nat64_embedded(self[1]), self[2], self[3], True))

    def untranslated64(self) -> Flow:
        """The NAT64 reply translated back: from the 64:ff9b::/96 addresses again (2.18)."""
        return _flow((self[0], nat64_of(self[1]), self[2], self[3], False))

    @property
    def is_reply(self) -> bool:
        return self.direction == Direction.REPLY

    @property
    def toward(self) -> IntervalSet:
        """The addresses the packets are sent to: a reply goes back to the flow's sources."""
        return self.src if self.is_reply else self.dst

    def heading(self, part: IntervalSet) -> Flow:
        """The part of the flow whose packets are sent to `part` (see `toward`)."""
        return self.sent_from(part) if self.is_reply else self.to(part)


def _flow(fields: tuple) -> Flow:
    return tuple.__new__(Flow, fields)


@dataclass
class Source:
    """The function's side: its subnet (None outside a VPC), groups and candidate addresses."""

    subnet_id: str | None
    vpc_id: str | None
    groups: list[str]
    addresses: IntervalSet
    region: str


@dataclass
class Walk:
    """Outcomes are (reach|deny|unknown, source part, destination part) rectangles of packets."""

    estate: Estate
    src: Source
    dest: Destination
    protocol: str
    port: int
    hops: list[Hop] = field(default_factory=list)
    blockers: list[tuple[Decision, Blocker]] = field(default_factory=list)
    outcomes: list[tuple[str, IntervalSet, IntervalSet]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    notes: list[dict] = field(default_factory=list)
    trace: bool = True
    """Whether to build the hops; without, only the ids they name are kept, in `trail`."""
    trail: list[str] = field(default_factory=list)

    def hop(self, component_id: str, kind: Kind, decision: Decision, detail: str | Callable[[], str],
            flow: Flow, *, refs: tuple[str, ...] = (), rule: str = "") -> None:
        """Record a hop; `detail` may be a callable, whose words are built only when traced."""
        if not self.trace:
            self.trail.append(component_id)
            return
        self.hops.append(Hop(component_id=component_id, kind=kind, decision=decision,
                             detail=detail() if callable(detail) else detail,
                             direction=flow.direction, rule=rule or RULES.get(kind, ""),
                             blocked_upstream=flow.ghost,
                             refs=tuple(dict.fromkeys((component_id, *(r for r in refs if r)))) if refs
                             else (component_id,)))

    def deny(self, b: Blocker, flow: Flow) -> None:
        if not flow.ghost:
            self.outcomes.append(("deny", flow.src, flow.dst))
        if all(x.code != b.code or x.component_id != b.component_id for _, x in self.blockers):
            self.blockers.append((Decision.DENY, b))

    def unknown(self, b: Blocker, flow: Flow) -> None:
        if not flow.ghost:
            self.outcomes.append(("unknown", flow.src, flow.dst))
            self.missing.extend(m for m in b.missing if m not in self.missing)
            self.blockers.append((Decision.UNKNOWN, b))

    def reach(self, flow: Flow | None) -> None:
        if flow is not None and not flow.ghost:
            self.outcomes.append(("reach", flow.src, flow.dst))

    def gate(self, flow: Flow, *, allowed: IntervalSet, on_src: bool,
             blocker: Blocker | Callable[[], Blocker] | None, component_id: str, kind: Kind,
             detail: str | Callable[[bool], str], refs: tuple[str, ...] = (), rule: str = "") -> Flow:
        """Narrow the flow's sources (on_src) or destinations to `allowed`; record the rest as
        denied. What is left goes on; when nothing is, the whole flow goes on as a ghost.

        `blocker` and `detail` may be callables: their words are built only when they are shown."""
        whole = flow.src if on_src else flow.dst
        denied = whole - allowed
        if self.trace:
            self.hop(component_id, kind, Decision.DENY if denied else Decision.ALLOW,
                     detail(bool(denied)) if callable(detail) else detail, flow, refs=refs, rule=rule)
        else:
            self.trail.append(component_id)
        if denied and blocker is not None:
            self.deny(blocker() if callable(blocker) else blocker,
                      flow.sent_from(denied) if on_src else flow.to(denied))
        if not allowed:
            return flow.ghosted()
        if not denied:
            return flow  # every gate's `allowed` is part of what it was asked about
        return flow.sent_from(allowed) if on_src else flow.to(allowed)

    def missing_data(self, component_id: str, kind: Kind, flow: Flow, *, what: str,
                     code: Code = Code.UNKNOWN_RESOURCE, detail: str = "") -> None:
        """The snapshot lacks what this hop needs: the flow's verdict is unknown, naming it (§0)."""
        gap = self.estate.has_gap(self.src.region, *GAP_CALLS.get(kind, ()))
        if gap:
            code, detail = Code.DATA_GAP, f"{gap} could not be collected in {self.src.region}"
        self.hop(component_id, kind, Decision.UNKNOWN, detail or f"{what} is not in the snapshot", flow)
        self.unknown(Blocker(component_id=component_id, kind=kind, code=code, params=(("detail", detail),),
                             fix=FixCode.ADD_TO_SNAPSHOT, fix_params=(("missing", what),), missing=(what,)),
                     flow)

    def route_table(self, subnet_id: str, flow: Flow) -> str | None:
        """The subnet's route table id (2.1), or None after recording that the snapshot lacks it."""
        rt = self.estate.route_table_id(subnet_id)
        if rt is None or rt not in self.estate.route_tables:
            self.missing_data(rt or subnet_id, Kind.ROUTE_TABLE, flow, what=rt or f"the route table of {subnet_id}")
            return None
        return rt

    def flow_text(self, reply: bool = False) -> str:
        if reply:
            return f"{self.protocol} replies to ports 1024-65535"
        return f"{self.protocol}/{self.port}" if self.protocol in ("tcp", "udp") else self.protocol
