"""Gateway endpoints as route targets (3.2-3.10)."""
from __future__ import annotations

from ...answer import Blocker, Decision
from .fixes import policy_note
from .state import Walk


def gateway_endpoint(w: Walk, vpce_id: str, S, D, ghost, then) -> None:
    """A gateway endpoint serves its own Region's service over TCP only (3.2-3.9)."""
    ep = w.estate.endpoints.get(vpce_id)
    if ep is None:
        return w.missing_data(vpce_id, "vpc-endpoint", S, D, ghost, what=vpce_id)
    if ep.state not in (None, "available"):
        w.hop(vpce_id, "vpc-endpoint", Decision.DENY, f"state {ep.state}")
        return w.deny(Blocker(vpce_id, "vpc-endpoint", "BAD_STATE", (("state", ep.state),)), S, D, ghost)
    if ep.vpc_endpoint_type != "gateway":
        w.hop(vpce_id, "vpc-endpoint", Decision.UNKNOWN, f"{ep.vpc_endpoint_type} endpoint as a route target")
        return w.unknown(Blocker(vpce_id, "vpc-endpoint", "UNSUPPORTED_COMPONENT",
                                 (("detail", "Gateway Load Balancer endpoints are not modelled"),)),
                         S, D, ghost)
    if w.protocol != "tcp":
        w.hop(vpce_id, "vpc-endpoint", Decision.DENY, "gateway endpoints carry TCP only (3.9)")
        return w.deny(Blocker(vpce_id, "vpc-endpoint", "VPCE_GATEWAY_PROTOCOL_RESTRICTION"), S, D, ghost)
    w.hop(vpce_id, "vpc-endpoint", Decision.ALLOW, f"gateway endpoint to {ep.service_name}")
    policy_note(w, ep)
    then(S, D, ghost)
