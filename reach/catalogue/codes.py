"""Every reason and fix code, with its rule numbers and its wording: what a blocker can say."""
from __future__ import annotations

from enum import StrEnum


class Code(StrEnum):
    """Why a path does not get through (or cannot be judged): the code of a blocker."""

    ENI_SG_RULES_MISMATCH = "ENI_SG_RULES_MISMATCH"
    SG_HAS_NO_RULES = "SG_HAS_NO_RULES"
    SUBNET_ACL_RESTRICTION = "SUBNET_ACL_RESTRICTION"
    NO_ROUTE_TO_DESTINATION = "NO_ROUTE_TO_DESTINATION"
    BAD_STATE_ROUTE = "BAD_STATE_ROUTE"
    BAD_STATE = "BAD_STATE"
    BAD_STATE_ATTACHMENT = "BAD_STATE_ATTACHMENT"
    IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS = "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"
    IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS = "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS"
    IGW_DESTINATION_ADDRESS_NOT_IN_RFC6598_EGRESS = "IGW_DESTINATION_ADDRESS_NOT_IN_RFC6598_EGRESS"
    NGW_PRIVATE_CONNECTIVITY = "NGW_PRIVATE_CONNECTIVITY"
    REGIONAL_NGW_ROUTE_AZ_RESTRICTION = "REGIONAL_NGW_ROUTE_AZ_RESTRICTION"
    PCX_REQUIRES_ADDRESS_IN_VPC_CIDR = "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR"
    TGW_ROUTE_AZ_RESTRICTION = "TGW_ROUTE_AZ_RESTRICTION"
    TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION = "TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION"
    TGW_RTB_CANNOT_ROUTE = "TGW_RTB_CANNOT_ROUTE"
    TGW_RTB_BAD_STATE_ROUTE = "TGW_RTB_BAD_STATE_ROUTE"
    VPCE_GATEWAY_PROTOCOL_RESTRICTION = "VPCE_GATEWAY_PROTOCOL_RESTRICTION"
    ENI_SOURCE_DEST_CHECK_RESTRICTION = "ENI_SOURCE_DEST_CHECK_RESTRICTION"
    ENI_PUBLIC_IP_REQUIRED = "ENI_PUBLIC_IP_REQUIRED"
    SG_REFERENCES_NOT_PRESERVED = "SG_REFERENCES_NOT_PRESERVED"
    LAMBDA_DEDICATED_TENANCY = "LAMBDA_DEDICATED_TENANCY"
    DISCONNECTED_VPCS = "DISCONNECTED_VPCS"
    DESTINATION_NOT_IN_SUBNET = "DESTINATION_NOT_IN_SUBNET"
    UNKNOWN_RESOURCE = "UNKNOWN_RESOURCE"
    UNKNOWN_DESTINATION = "UNKNOWN_DESTINATION"
    SOURCE_ADDRESS_DEPENDS = "SOURCE_ADDRESS_DEPENDS"
    UNSUPPORTED_COMPONENT = "UNSUPPORTED_COMPONENT"
    DATA_GAP = "DATA_GAP"
    SUBNET_OUTSIDE_VPC = "SUBNET_OUTSIDE_VPC"
    FUNCTION_FAILED = "FUNCTION_FAILED"
    LAMBDA_IPV6_NOT_ALLOWED = "LAMBDA_IPV6_NOT_ALLOWED"
    SUBNET_HAS_NO_IPV6_CIDR = "SUBNET_HAS_NO_IPV6_CIDR"
    LAMBDA_IPV6_OUTSIDE_VPC = "LAMBDA_IPV6_OUTSIDE_VPC"
    EIGW_IPV6_ONLY = "EIGW_IPV6_ONLY"
    VPCE_GATEWAY_EGRESS_SOURCE_ADDRESS_RESTRICTION = "VPCE_GATEWAY_EGRESS_SOURCE_ADDRESS_RESTRICTION"
    PATH_THROUGH_GWLB_NOT_CHECKED = "PATH_THROUGH_GWLB_NOT_CHECKED"
    TGW_EXIT_SUBNET_DEPENDS = "TGW_EXIT_SUBNET_DEPENDS"
    NAT64_NOT_TRANSLATED = "NAT64_NOT_TRANSLATED"
    LAMBDA_IPV6_ONLY_SUBNET = "LAMBDA_IPV6_ONLY_SUBNET"
    IPV6_EGRESS_AFTER_TRANSIT_NOT_CHECKED = "IPV6_EGRESS_AFTER_TRANSIT_NOT_CHECKED"


class FixCode(StrEnum):
    """The kind of change a fix proposes; its parameters fill the wording."""

    ADD_GATEWAY_ENDPOINT = "add-gateway-endpoint"
    ROUTE_TO_NAT = "route-to-nat"
    ADD_NAT = "add-nat"
    MOVE_TO_SUBNET = "move-to-subnet"
    ALLOW_SG_EGRESS = "allow-sg-egress"
    ALLOW_SG_INGRESS = "allow-sg-ingress"
    ALLOW_NACL = "allow-nacl"
    NARROW_NACL_DENY = "narrow-nacl-deny"
    FIX_BLACKHOLE = "fix-blackhole"
    NAT_ROUTE_TO_IGW = "nat-route-to-igw"
    PUBLIC_NAT = "public-nat"
    ATTACH_IGW = "attach-igw"
    ROUTE_BACK = "route-back"
    ACTIVATE_PEERING = "activate-peering"
    PEER_DIRECTLY = "peer-directly"
    DEFAULT_TENANCY = "default-tenancy"
    PUT_IN_VPC = "put-in-vpc"
    ADD_TO_SNAPSHOT = "add-to-snapshot"
    CORRECT_SNAPSHOT = "correct-snapshot"
    RECREATE_FUNCTION = "recreate-function"
    BLOCK_AT = "block-at"
    ALLOW_IPV6 = "allow-ipv6"
    ADD_SUBNET_IPV6 = "add-subnet-ipv6"
    ADD_VPC_IPV6 = "add-vpc-ipv6"
    ROUTE_TO_EIGW = "route-to-eigw"
    ADD_EIGW = "add-eigw"
    USE_DUAL_STACK_SUBNET = "use-dual-stack-subnet"


# code -> (rule-book numbers, reason template).
REASONS: dict[str, tuple[str, str]] = {
    Code.ENI_SG_RULES_MISMATCH: ("4.1-4.6", "{direction} rules of {groups} do not allow {flow}"),
    Code.SG_HAS_NO_RULES: ("4.2", "{groups} have no {direction} rules at all"),
    Code.SUBNET_ACL_RESTRICTION: ("5.1-5.9", "{acl_rule} of {component} denies {flow} ({direction})"),
    Code.NO_ROUTE_TO_DESTINATION: ("2.1, 2.5, 0.3", "{component} has no route {toward}{dest}"),
    Code.BAD_STATE_ROUTE: ("2.8", "the route {route} in {table} is a blackhole"),
    Code.BAD_STATE: ("2.15", "{component} is {state}, not available"),
    Code.BAD_STATE_ATTACHMENT: ("2.11", "{component} is not attached to {vpc}"),
    Code.IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS: (
        "1.22, 2.11", "{component} drops traffic from the Lambda ENI, which has no public IP"),
    Code.IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS: (
        "2.12", "{component} drops traffic to the private address {dest}"),
    Code.IGW_DESTINATION_ADDRESS_NOT_IN_RFC6598_EGRESS: (
        "2.12", "{component} drops traffic to the shared address space (RFC 6598) address {dest}"),
    Code.NGW_PRIVATE_CONNECTIVITY: ("2.16", "{component} is a private NAT gateway: no internet access"),
    Code.REGIONAL_NGW_ROUTE_AZ_RESTRICTION: (
        "2.20", "{component} is a regional NAT gateway; the snapshot cannot tell whether it serves {az}"),
    Code.PCX_REQUIRES_ADDRESS_IN_VPC_CIDR: (
        "6.2, 6.5", "{component} carries only traffic to {peer_vpc} ({peer_cidrs}); {dest} is not in it"),
    Code.TGW_ROUTE_AZ_RESTRICTION: ("6.8", "{component} has no subnet in {az}: ENIs there cannot use it"),
    Code.TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION: ("6.9", "{component} is associated with no TGW route table"),
    Code.TGW_RTB_CANNOT_ROUTE: ("6.9", "{component} has no route {toward}{dest}"),
    Code.TGW_RTB_BAD_STATE_ROUTE: ("6.9", "the route {route} in {table} is a blackhole"),
    Code.VPCE_GATEWAY_PROTOCOL_RESTRICTION: ("3.9", "{component} carries only TCP"),
    Code.ENI_SOURCE_DEST_CHECK_RESTRICTION: ("2.7", "{component} has source/destination check on"),
    Code.ENI_PUBLIC_IP_REQUIRED: ("2.11", "{component} has no public IP to reach the internet"),
    Code.SG_REFERENCES_NOT_PRESERVED: (
        "4.7", "{groups} admit the function's group, but its identity is lost past {via}"),
    Code.LAMBDA_DEDICATED_TENANCY: ("1.19", "{component} has dedicated tenancy; Lambda cannot attach to it"),
    Code.DISCONNECTED_VPCS: ("1.1", "a function outside any VPC cannot reach {dest} inside {component}"),
    Code.DESTINATION_NOT_IN_SUBNET: ("2.2", "no subnet of {vpc} holds {dest}"),
    Code.UNKNOWN_RESOURCE: ("0", "{component} is not in the snapshot"),
    Code.UNKNOWN_DESTINATION: ("0", "no network interface in the snapshot holds {dest}, so its "
                                 "security groups are unknown"),
    Code.SOURCE_ADDRESS_DEPENDS: ("0.1", "the verdict depends on which address in {subnet} the ENI "
                                      "gets: {detail}"),
    Code.UNSUPPORTED_COMPONENT: ("0", "{component}: {detail}"),
    Code.VPCE_GATEWAY_EGRESS_SOURCE_ADDRESS_RESTRICTION: (
        "6.11, 3.5", "{component} serves only traffic from inside {vpc}, not traffic that came "
                     "through a transit gateway"),
    Code.PATH_THROUGH_GWLB_NOT_CHECKED: (
        "2.7", "{component} is a Gateway Load Balancer endpoint: the appliances behind it are not in "
               "the snapshot, so the path through them is not judged"),
    Code.TGW_EXIT_SUBNET_DEPENDS: (
        "6.8", "{component} has no subnet in {az} (or uses appliance mode), so the transit gateway "
               "leaves through another Availability Zone's subnet, and those differ in NACLs or "
               "route tables: {subnets}"),
    Code.DATA_GAP: ("0", "the snapshot has a gap: {detail}"),
    Code.SUBNET_OUTSIDE_VPC: ("0, 2.2", "{component}'s CIDR {cidr} lies outside every CIDR of {vpc}, "
                                        "which AWS does not allow: the snapshot contradicts itself"),
    Code.FUNCTION_FAILED: ("1.9-1.11", "{component} is in state Failed ({reason}): Lambda does not run it"),
    Code.LAMBDA_IPV6_NOT_ALLOWED: (
        "1.23", "{component} does not set Ipv6AllowedForDualStack, so its ENIs send no IPv6"),
    Code.SUBNET_HAS_NO_IPV6_CIDR: (
        "1.23", "{component} has no IPv6 CIDR, so the function's ENI there has no IPv6 address"),
    Code.LAMBDA_IPV6_OUTSIDE_VPC: (
        "1.23", "a function outside any VPC sends no IPv6 (Lambda allows IPv6 only in dual-stack "
                "subnets)"),
    Code.EIGW_IPV6_ONLY: ("2.14", "{component} is an egress-only internet gateway: it carries IPv6 only"),
    Code.NAT64_NOT_TRANSLATED: (
        "2.18", "{dest} stands for an IPv4 address (NAT64 prefix 64:ff9b::/96); only a NAT gateway "
                "translates it, and {component} is not one"),
    Code.LAMBDA_IPV6_ONLY_SUBNET: (
        "1.23", "{component} is an IPv6-only subnet: it gives the function's ENI no IPv4 address, "
                "and Lambda sends no IPv6 from IPv6-only subnets, so nothing leaves that ENI"),
    Code.IPV6_EGRESS_AFTER_TRANSIT_NOT_CHECKED: (
        "2.11, 2.14, 2.18, 6.9", "IPv6 that came into {vpc} through a transit gateway is routed to "
                                 "{component}; AWS does not say whether it forwards other VPCs' IPv6 "
                                 "addresses, so the path is not judged"),
}

FIXES: dict[str, str] = {
    FixCode.ADD_GATEWAY_ENDPOINT: "add {service} gateway endpoint to {table} (free)",
    FixCode.ROUTE_TO_NAT: "route {dest} in {table} to {nat}",
    FixCode.ADD_NAT: "add a NAT gateway in a public subnet and route {dest} in {table} to it",
    FixCode.MOVE_TO_SUBNET: "move the function to {subnet}, which already routes to a NAT gateway",
    FixCode.ALLOW_SG_EGRESS: "allow {proto}/{port} to {peer} in the egress rules of {group}",
    FixCode.ALLOW_SG_INGRESS: "allow {proto}/{port} from {peer} in {group}",
    FixCode.ALLOW_NACL: "add {direction} rule {rule} to {acl}: allow {proto} {ports} {preposition} {cidr}",
    FixCode.NARROW_NACL_DENY: "narrow or remove rule {deny} of {acl}: no rule number below it is free",
    FixCode.FIX_BLACKHOLE: "replace the blackhole route {route} in {table} with a live target",
    FixCode.NAT_ROUTE_TO_IGW: "route 0.0.0.0/0 in {table} (the NAT's subnet) to {igw}",
    FixCode.PUBLIC_NAT: "use a public NAT gateway with an Elastic IP instead of {component}",
    FixCode.ATTACH_IGW: "attach {component} to {vpc}",
    FixCode.ROUTE_BACK: "route {dest} in {table} to {via}",
    FixCode.ACTIVATE_PEERING: "accept or re-create {component}",
    FixCode.PEER_DIRECTLY: "peer {vpc} directly with the destination's VPC, or use a transit gateway",
    FixCode.DEFAULT_TENANCY: "attach the function to a default-tenancy VPC peered with {vpc}",
    FixCode.PUT_IN_VPC: "attach the function to a VPC that can route to {dest}",
    FixCode.ADD_TO_SNAPSHOT: "add {missing} to the snapshot",
    FixCode.CORRECT_SNAPSHOT: "collect {subnet} and {vpc} again (or correct them): they contradict each other",
    FixCode.RECREATE_FUNCTION: "delete and recreate {function}: a function whose creation failed stays Failed",
    FixCode.BLOCK_AT: "to block it, remove or narrow what lets it through at {gate}",
    FixCode.ALLOW_IPV6: "set Ipv6AllowedForDualStack on {function} (its subnets must be dual-stack)",
    FixCode.ADD_SUBNET_IPV6: "associate an IPv6 CIDR from {vpc}'s IPv6 block with {subnet}",
    FixCode.ADD_VPC_IPV6: "associate an IPv6 CIDR with {vpc}, then with {subnet}",
    FixCode.ROUTE_TO_EIGW: "route {dest} in {table} to {eigw} (egress-only, no NAT needed)",
    FixCode.ADD_EIGW: "create an egress-only internet gateway for {vpc} and route {dest} in {table} to it",
    FixCode.USE_DUAL_STACK_SUBNET: "attach {function} to a dual-stack subnet of {vpc} instead of the "
                                   "IPv6-only {subnet}",
}

# Said after a fix when its parameter is given: where a NACL entry goes, and what else a route
# table change touches (2.1: a subnet with no explicit association uses the main table).
FIX_NOTES = {
    "below_deny": ", below rule {below_deny}, the deny that matched, so it takes effect (5.2)",
    "replaces": ", in place of its route to {replaces}",
    "endpoint": ": {endpoint} is one already, so add {table} to its route tables",
    "main_table_of": "; warning: {table} is the main route table of {main_table_of}, so this also "
                     "changes {also_changes}, which have no route table of their own",
    "also_changes": "; warning: {table} also serves {also_changes}, which this changes too",
}
