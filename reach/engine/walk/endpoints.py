"""Gateway endpoints as route targets (3.2-3.10)."""
from __future__ import annotations

from ...answer import Blocker, Decision, Kind
from ...catalogue import Code
from ...packets import ALL_IPV6
from .fixes import policy_note
from .state import Flow, Walk


def gateway_endpoint(w: Walk, vpce_id: str, flow: Flow | None) -> Flow | None:
    """A gateway endpoint serves its own Region's service over TCP only (3.2-3.9)."""
    if flow is None:
        return None
    kind = Kind.VPC_ENDPOINT
    ep = w.estate.endpoints.get(vpce_id)
    if ep is None:
        return w.missing_data(vpce_id, kind, flow, what=vpce_id)
    if ep.state not in (None, "available"):
        w.hop(vpce_id, kind, Decision.DENY, f"state {ep.state}", flow)
        return w.deny(Blocker(component_id=vpce_id, kind=kind, code=Code.BAD_STATE, params=(("state", ep.state),)),
                      flow)
    if ep.vpc_endpoint_type == "gatewayloadbalancer":
        # The appliances behind the endpoint are not in the snapshot (2.7).
        w.hop(vpce_id, kind, Decision.UNKNOWN, "Gateway Load Balancer endpoint", flow)
        return w.unknown(Blocker(component_id=vpce_id, kind=kind, code=Code.PATH_THROUGH_GWLB_NOT_CHECKED), flow)
    if ep.vpc_endpoint_type != "gateway":
        w.hop(vpce_id, kind, Decision.UNKNOWN, f"{ep.vpc_endpoint_type} endpoint as a route target", flow)
        return w.unknown(Blocker(component_id=vpce_id, kind=kind, code=Code.UNSUPPORTED_COMPONENT,
                                 params=(("detail", "only gateway and Gateway Load Balancer endpoints are "
                                                    "route targets"),)), flow)
    if w.protocol != "tcp":
        w.hop(vpce_id, kind, Decision.DENY, "gateway endpoints carry TCP only (3.9)", flow)
        return w.deny(Blocker(component_id=vpce_id, kind=kind, code=Code.VPCE_GATEWAY_PROTOCOL_RESTRICTION), flow)
    six = flow.dst & ALL_IPV6
    if six and (ep.ip_address_type or "").lower() not in ("dualstack", "ipv6"):
        # IPv6 reaches a gateway endpoint only through the service's IPv6 prefix list, which AWS
        # adds to the route tables of a dual-stack (or IPv6) endpoint; DynamoDB's take IPv4 only
        # (https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html, "IP address
        # type"; vpc-endpoints-ddb.html). A table that sends IPv6 to any other is not what AWS
        # builds: unknown, never a guess.
        detail = f"IPv6 routed to a gateway endpoint whose IP address type is {ep.ip_address_type or 'not in the snapshot'}"
        w.hop(vpce_id, kind, Decision.UNKNOWN, detail, flow.to(six), rule="3.6")
        w.unknown(Blocker(component_id=vpce_id, kind=kind, code=Code.UNSUPPORTED_COMPONENT,
                          params=(("detail", detail),)), flow.to(six))
        if six == flow.dst:
            return None
        flow = flow.to(flow.dst - six)
    w.hop(vpce_id, kind, Decision.ALLOW, f"gateway endpoint to {ep.service_name}", flow)
    policy_note(w, ep)
    return flow
