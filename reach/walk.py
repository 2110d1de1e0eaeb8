"""Walk one Hyperplane ENI's packets hop by hop (aws-rules.md §0-§7), narrowing packet sets at each gate."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from . import fixes
from .answer import Blocker, Decision, Hop
from .graph import Estate
from .packets import EPHEMERAL, IntervalSet, port_set, to_cidrs
from .rules import acl_allows, security_groups_allow
from .targets import Destination

Cont = Callable[[IntervalSet, IntervalSet, bool], None]


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
        gap = self.estate.has_gap(self.src.region, *fixes.GAP_CALLS.get(kind, ()))
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

    # --- gates ---

    def sg(self, groups: list[str], S, D, ghost, cont: Cont, *, egress: bool, owner: str,
           identity: bool = True, peers_groups: frozenset[str] = frozenset(),
           cross_vpc: bool = False) -> None:
        """Security groups (4.1-4.10): egress narrows D, ingress narrows S."""
        peers = D if egress else S
        res = security_groups_allow(self.estate, groups, egress=egress, protocol=self.protocol,
                                    port=self.port, peers=peers, peer_groups=peers_groups,
                                    peer_identity=identity, cross_vpc=cross_vpc)
        kind = "security-group-egress" if egress else "security-group-ingress"
        first = sorted(groups)[0] if groups else owner
        if res.unknown:
            self.missing_data(res.missing[0] if res.missing else first, kind,
                              S if egress else res.unknown, res.unknown if egress else D,
                              ghost, what=", ".join(res.missing) or first)
        code = "SG_HAS_NO_RULES" if res.empty else (
            "SG_REFERENCES_NOT_PRESERVED" if res.lost_reference and not res.allowed else
            "ENI_SG_RULES_MISMATCH")

        def blocker() -> Blocker:
            return Blocker(first, kind, code, (("groups", ", ".join(groups)),
                                               ("direction", "egress" if egress else "ingress"),
                                               ("flow", self.flow_text()), ("via", "a NAT")),
                           *fixes.sg_fix(self, groups, egress=egress, identity=identity))
        detail = "; ".join(res.rules) or "no rule matches"
        self.gate(S, D, ghost, allowed=res.allowed, on_s=not egress, blocker=blocker,
                  cont=cont if not res.unknown else _minus(cont, res.unknown, not egress),
                  component_id=first, kind=kind, detail=detail)

    def acl(self, subnet_id: str, S, D, ghost, cont: Cont, *, egress: bool, on_s: bool,
            reply: bool = False) -> None:
        """A subnet's NACL (5.1-5.9): first match; replies need the whole ephemeral range (1.25)."""
        acl_id = self.estate.acl_id(subnet_id)
        kind = "network-acl-egress" if egress else "network-acl-ingress"
        if acl_id is None or acl_id not in self.estate.acls:
            return self.missing_data(acl_id or subnet_id, kind, S, D, ghost,
                                     what=acl_id or f"the network ACL of {subnet_id}")
        ports = EPHEMERAL if reply else port_set(self.port, self.port)
        res = acl_allows(self.estate, acl_id, egress=egress, protocol=self.protocol,
                         others=S if on_s else D, ports=ports)
        denied_by = res.denied[0][0] if res.denied else ""
        others = S if on_s else D

        def blocker() -> Blocker:
            return Blocker(acl_id, kind, "SUBNET_ACL_RESTRICTION",
                           (("acl_rule", denied_by), ("flow", self.flow_text(reply)),
                            ("direction", ("outbound" if egress else "inbound")
                             + (" reply" if reply else ""))),
                           *fixes.acl_fix(self, acl_id, subnet_id, egress=egress, on_s=on_s,
                                          reply=reply, others=others))

        def detail(denied: bool) -> str:
            text = ("reply " if reply else "") + "; ".join(res.rules)
            if res.denied:
                text += f"; {denied_by} denies {', '.join(to_cidrs(others - res.allowed, 3))}"
            return text.strip("; ")
        self.gate(S, D, ghost, allowed=res.allowed, on_s=on_s, blocker=blocker, cont=cont,
                  component_id=acl_id, kind=kind, detail=detail)

    def flow_text(self, reply: bool = False) -> str:
        if reply:
            return f"{self.protocol} replies to ports 1024-65535"
        return f"{self.protocol}/{self.port}" if self.protocol in ("tcp", "udp") else self.protocol


def _minus(cont: Cont, part: IntervalSet, on_s: bool) -> Cont:
    def go(S, D, ghost):
        rest = (S - part) if on_s else (D - part)
        if rest:
            cont(rest, D, ghost) if on_s else cont(S, rest, ghost)
    return go


def run(walk: Walk) -> None:
    """Walk every packet of the source's addresses toward the destination's addresses."""
    from .hops import start
    start(walk)

