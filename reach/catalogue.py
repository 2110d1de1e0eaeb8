"""The catalogue of reason and fix codes, and all their wording. Tests assert codes, not words."""
from __future__ import annotations

# code -> (rule-book numbers, reason template). Codes are AWS Reachability Analyzer explanation
# codes where one fits (aws-rules.md, "Reachability Analyzer explanation codes").
REASONS: dict[str, tuple[str, str]] = {
    "ENI_SG_RULES_MISMATCH": ("4.1-4.6", "{direction} rules of {groups} do not allow {flow}"),
    "SG_HAS_NO_RULES": ("4.2", "{groups} have no {direction} rules at all"),
    "SUBNET_ACL_RESTRICTION": ("5.1-5.9", "{acl_rule} of {component} denies {flow} ({direction})"),
    "NO_ROUTE_TO_DESTINATION": ("2.1, 2.5, 0.3", "{component} has no route {toward}{dest}"),
    "BAD_STATE_ROUTE": ("2.8", "the route {route} in {table} is a blackhole"),
    "BAD_STATE": ("2.15", "{component} is {state}, not available"),
    "BAD_STATE_ATTACHMENT": ("2.11", "{component} is not attached to {vpc}"),
    "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS": (
        "1.22, 2.11", "{component} drops traffic from the Lambda ENI, which has no public IP"),
    "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS": (
        "2.12", "{component} drops traffic to the private address {dest}"),
    "NGW_PRIVATE_CONNECTIVITY": ("2.16", "{component} is a private NAT gateway: no internet access"),
    "REGIONAL_NGW_ROUTE_AZ_RESTRICTION": (
        "2.20", "{component} is a regional NAT gateway; the snapshot cannot tell whether it serves {az}"),
    "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR": (
        "6.2, 6.5", "{component} carries only traffic to {peer_vpc} ({peer_cidrs}); {dest} is not in it"),
    "TGW_ROUTE_AZ_RESTRICTION": ("6.8", "{component} has no subnet in {az}: ENIs there cannot use it"),
    "TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION": ("6.9", "{component} is associated with no TGW route table"),
    "TGW_RTB_CANNOT_ROUTE": ("6.9", "{component} has no route {toward}{dest}"),
    "TGW_RTB_BAD_STATE_ROUTE": ("6.9", "the route {route} in {table} is a blackhole"),
    "VPCE_GATEWAY_PROTOCOL_RESTRICTION": ("3.9", "{component} carries only TCP"),
    "ENI_SOURCE_DEST_CHECK_RESTRICTION": ("2.7", "{component} has source/destination check on"),
    "ENI_PUBLIC_IP_REQUIRED": ("2.11", "{component} has no public IP to reach the internet"),
    "SG_REFERENCES_NOT_PRESERVED": (
        "4.7", "{groups} admit the function's group, but its identity is lost past {via}"),
    "LAMBDA_DEDICATED_TENANCY": ("1.19", "{component} has dedicated tenancy; Lambda cannot attach to it"),
    "DISCONNECTED_VPCS": ("1.1", "a function outside any VPC cannot reach {dest} inside {component}"),
    "DESTINATION_NOT_IN_SUBNET": ("2.2", "no subnet of {vpc} holds {dest}"),
    "UNKNOWN_RESOURCE": ("0", "{component} is not in the snapshot"),
    "UNKNOWN_DESTINATION": ("0", "no network interface in the snapshot holds {dest}, so its "
                                 "security groups are unknown"),
    "SOURCE_ADDRESS_DEPENDS": ("0.1", "the verdict depends on which address in {subnet} the ENI "
                                      "gets: {detail}"),
    "UNSUPPORTED_COMPONENT": ("0", "{component}: {detail}"),
    "DATA_GAP": ("0", "the snapshot has a gap: {detail}"),
    "LAMBDA_IPV6_NOT_ALLOWED": (
        "1.23", "{component} does not set Ipv6AllowedForDualStack, so its ENIs send no IPv6"),
    "SUBNET_HAS_NO_IPV6_CIDR": (
        "1.23", "{component} has no IPv6 CIDR, so the function's ENI there has no IPv6 address"),
    "LAMBDA_IPV6_OUTSIDE_VPC": (
        "1.23", "a function outside any VPC sends no IPv6 (Lambda allows IPv6 only in dual-stack "
                "subnets)"),
    "EIGW_IPV6_ONLY": ("2.14", "{component} is an egress-only internet gateway: it carries IPv6 only"),
}

FIXES: dict[str, str] = {
    "add-gateway-endpoint": "add {service} gateway endpoint to {table} (free)",
    "route-to-nat": "route {dest} in {table} to {nat}",
    "add-nat": "add a NAT gateway in a public subnet and route {dest} in {table} to it",
    "move-to-subnet": "move the function to {subnet}, which already routes to a NAT gateway",
    "allow-sg-egress": "allow {proto}/{port} to {peer} in the egress rules of {group}",
    "allow-sg-ingress": "allow {proto}/{port} from {peer} in {group}",
    "allow-nacl": "add an {direction} NACL rule for {proto} {ports} {preposition} {cidr} to {acl}",
    "fix-blackhole": "replace the blackhole route {route} in {table} with a live target",
    "nat-route-to-igw": "route 0.0.0.0/0 in {table} (the NAT's subnet) to {igw}",
    "public-nat": "use a public NAT gateway with an Elastic IP instead of {component}",
    "attach-igw": "attach {component} to {vpc}",
    "route-back": "route {dest} in {table} to {via}",
    "activate-peering": "accept or re-create {component}",
    "peer-directly": "peer {vpc} directly with the destination's VPC, or use a transit gateway",
    "default-tenancy": "attach the function to a default-tenancy VPC peered with {vpc}",
    "enable-private-dns": "enable private DNS on {component}, or point the SDK at its vpce DNS name",
    "put-in-vpc": "attach the function to a VPC that can route to {dest}",
    "add-to-snapshot": "add {missing} to the snapshot",
    "use-sg-cidr": "allow the NAT's address {peer} instead of the group reference in {group}",
    "allow-ipv6": "set Ipv6AllowedForDualStack on {function} (its subnets must be dual-stack)",
    "add-subnet-ipv6": "associate an IPv6 CIDR from {vpc}'s IPv6 block with {subnet}",
    "add-vpc-ipv6": "associate an IPv6 CIDR with {vpc}, then with {subnet}",
    "route-to-eigw": "route {dest} in {table} to {eigw} (egress-only, no NAT needed)",
    "add-eigw": "create an egress-only internet gateway for {vpc} and route {dest} in {table} to it",
}


def reason_text(code: str, component_id: str, params: dict[str, str]) -> str:
    """Word a blocker's reason from its code and parameters."""
    template = REASONS.get(code, ("", "{code} at {component}"))[1]
    return _fill(template, {"component": component_id, "code": code, **params})


def fix_text(fix: str, params: dict[str, str]) -> str:
    return _fill(FIXES[fix], params)


def rule_of(code: str) -> str:
    return REASONS.get(code, ("", ""))[0]


class _Lenient(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def _fill(template: str, params: dict[str, str]) -> str:
    return template.format_map(_Lenient(params))
