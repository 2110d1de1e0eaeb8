"""The state of one walk: the packets still going, the hops met, and the outcomes and blockers so far."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ...answer import Blocker, Decision, Hop
from ...estate import Estate
from ...packets import IntervalSet
from ..targets import Destination

Cont = Callable[[IntervalSet, IntervalSet, bool], None]

# Which collector calls would have held the data of each kind of component (a Gap names them).
GAP_CALLS = {
    "network-acl-egress": ("DescribeNetworkAcls",), "network-acl-ingress": ("DescribeNetworkAcls",),
    "route-table": ("DescribeRouteTables",), "security-group-egress": ("DescribeSecurityGroups",),
    "security-group-ingress": ("DescribeSecurityGroups",), "nat-gateway": ("DescribeNatGateways",),
    "vpc-endpoint": ("DescribeVpcEndpoints",), "internet-gateway": ("DescribeInternetGateways",),
    "vpc-peering-connection": ("DescribeVpcPeeringConnections",), "vpc": ("DescribeVpcs",),
    "destination": ("DescribeNetworkInterfaces",), "network-interface": ("DescribeNetworkInterfaces",),
    "subnet": ("DescribeSubnets",),
    "prefix-list": ("DescribeManagedPrefixLists", "GetManagedPrefixListEntries", "DescribePrefixLists"),
}


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

    # --- bookkeeping ---

    def hop(self, component_id: str, kind: str, decision: Decision, detail: str) -> None:
        self.hops.append(Hop(component_id, kind, decision, detail))

    def deny(self, b: Blocker, S: IntervalSet, D: IntervalSet, ghost: bool) -> None:
        if not ghost:
            self.outcomes.append(("deny", S, D))
        if all(x.code != b.code or x.component_id != b.component_id for _, x in self.blockers):
            self.blockers.append((Decision.DENY, b))

    def unknown(self, b: Blocker, S: IntervalSet, D: IntervalSet, ghost: bool) -> None:
        if not ghost:
            self.outcomes.append(("unknown", S, D))
            self.missing.extend(m for m in b.missing if m not in self.missing)
            self.blockers.append((Decision.UNKNOWN, b))

    def reach(self, S: IntervalSet, D: IntervalSet, ghost: bool) -> None:
        if not ghost:
            self.outcomes.append(("reach", S, D))

    def gate(self, S, D, ghost, *, allowed: IntervalSet, on_s: bool,
             blocker: Blocker | Callable[[], Blocker] | None, cont: Cont, component_id: str,
             kind: str, detail: str | Callable[[bool], str]) -> None:
        """Narrow S (on_s) or D to `allowed`; record the rest as denied; go on with what is left.

        `blocker` and `detail` may be callables: their words are built only when they are shown."""
        whole = S if on_s else D
        denied = whole - allowed
        self.hop(component_id, kind, Decision.DENY if denied else Decision.ALLOW,
                 detail(bool(denied)) if callable(detail) else detail)
        if denied and blocker is not None:
            self.deny(blocker() if callable(blocker) else blocker, denied if on_s else S,
                      D if on_s else denied, ghost)
        if allowed:
            cont(allowed, D, ghost) if on_s else cont(S, allowed, ghost)
        else:
            cont(S, D, True)  # keep walking, only to list every other blocker

    def missing_data(self, component_id: str, kind: str, S, D, ghost, *, what: str,
                     code: str = "UNKNOWN_RESOURCE", detail: str = "") -> None:
        gap = self.estate.has_gap(self.src.region, *GAP_CALLS.get(kind, ()))
        if gap:
            code, detail = "DATA_GAP", f"{gap} could not be collected in {self.src.region}"
        self.hop(component_id, kind, Decision.UNKNOWN, detail or f"{what} is not in the snapshot")
        self.unknown(Blocker(component_id, kind, code, (("detail", detail),), "add-to-snapshot",
                             (("missing", what),), (what,)), S, D, ghost)

    def route_table(self, subnet_id: str, S, D, ghost) -> str | None:
        """The subnet's route table id (2.1), or None after recording that the snapshot lacks it."""
        rt = self.estate.route_table_id(subnet_id)
        if rt is None or rt not in self.estate.route_tables:
            self.missing_data(rt or subnet_id, "route-table", S, D, ghost,
                              what=rt or f"the route table of {subnet_id}")
            return None
        return rt

    def flow_text(self, reply: bool = False) -> str:
        if reply:
            return f"{self.protocol} replies to ports 1024-65535"
        return f"{self.protocol}/{self.port}" if self.protocol in ("tcp", "udp") else self.protocol


def minus(cont: Cont, part: IntervalSet, on_s: bool) -> Cont:
    def go(S, D, ghost):
        rest = (S - part) if on_s else (D - part)
        if rest:
            cont(rest, D, ghost) if on_s else cont(S, rest, ghost)
    return go
