"""The stateful and stateless filters: security groups (4.x) and network ACLs (5.x) as walk gates."""
from __future__ import annotations

from ...answer import Blocker
from ...packets import EPHEMERAL, port_set, to_cidrs
from ..rules import acl_allows, security_groups_allow
from .fixes import acl_fix, sg_fix
from .state import Cont, Walk, minus


def sg(w: Walk, groups: list[str], S, D, ghost, cont: Cont, *, egress: bool, owner: str,
       identity: bool = True, peers_groups: frozenset[str] = frozenset(),
       cross_vpc: bool = False) -> None:
    """Security groups (4.1-4.10): egress narrows D, ingress narrows S."""
    peers = D if egress else S
    res = security_groups_allow(w.estate, groups, egress=egress, protocol=w.protocol,
                                port=w.port, peers=peers, peer_groups=peers_groups,
                                peer_identity=identity, cross_vpc=cross_vpc)
    kind = "security-group-egress" if egress else "security-group-ingress"
    first = sorted(groups)[0] if groups else owner
    if res.unknown:
        w.missing_data(res.missing[0] if res.missing else first, kind,
                          S if egress else res.unknown, res.unknown if egress else D,
                          ghost, what=", ".join(res.missing) or first)
    code = "SG_HAS_NO_RULES" if res.empty else (
        "SG_REFERENCES_NOT_PRESERVED" if res.lost_reference and not res.allowed else
        "ENI_SG_RULES_MISMATCH")

    def blocker() -> Blocker:
        return Blocker(first, kind, code, (("groups", ", ".join(groups)),
                                           ("direction", "egress" if egress else "ingress"),
                                           ("flow", w.flow_text()), ("via", "a NAT")),
                       *sg_fix(w, groups, egress=egress, identity=identity))
    detail = "; ".join(res.rules) or "no rule matches"
    w.gate(S, D, ghost, allowed=res.allowed, on_s=not egress, blocker=blocker,
              cont=cont if not res.unknown else minus(cont, res.unknown, not egress),
              component_id=first, kind=kind, detail=detail)

def acl(w: Walk, subnet_id: str, S, D, ghost, cont: Cont, *, egress: bool, on_s: bool,
        reply: bool = False) -> None:
    """A subnet's NACL (5.1-5.9): first match; replies need the whole ephemeral range (1.25)."""
    acl_id = w.estate.acl_id(subnet_id)
    kind = "network-acl-egress" if egress else "network-acl-ingress"
    if acl_id is None or acl_id not in w.estate.acls:
        return w.missing_data(acl_id or subnet_id, kind, S, D, ghost,
                                 what=acl_id or f"the network ACL of {subnet_id}")
    ports = EPHEMERAL if reply else port_set(w.port, w.port)
    res = acl_allows(w.estate, acl_id, egress=egress, protocol=w.protocol,
                     others=S if on_s else D, ports=ports)
    denied_by = res.denied[0][0] if res.denied else ""
    others = S if on_s else D

    def blocker() -> Blocker:
        return Blocker(acl_id, kind, "SUBNET_ACL_RESTRICTION",
                       (("acl_rule", denied_by), ("flow", w.flow_text(reply)),
                        ("direction", ("outbound" if egress else "inbound")
                         + (" reply" if reply else ""))),
                       *acl_fix(w, acl_id, subnet_id, egress=egress, on_s=on_s,
                                      reply=reply, others=others))

    def detail(denied: bool) -> str:
        text = ("reply " if reply else "") + "; ".join(res.rules)
        if res.denied:
            text += f"; {denied_by} denies {', '.join(to_cidrs(others - res.allowed, 3))}"
        return text.strip("; ")
    w.gate(S, D, ghost, allowed=res.allowed, on_s=on_s, blocker=blocker, cont=cont,
              component_id=acl_id, kind=kind, detail=detail)
