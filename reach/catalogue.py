"""The catalogue: every reason, fix, note and warning code, with its rule numbers and all its wording.

Tests assert codes, never these words. Reason codes are AWS Reachability Analyzer explanation codes
where one fits (aws-rules.md, "Reachability Analyzer explanation codes")."""
from __future__ import annotations

import json

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

# `reach diff`: what changed inside the object that made the difference (questions/changes.py).
OBJECT_CHANGES = {
    "object.added": "{key} added", "object.removed": "{key} removed",
    "object.changed": "{key} replaced by another kind of object",
    "route.added": "route {key} → {after} added", "route.removed": "route {key} → {before} removed",
    "route.changed": "route {key} → {before} now → {after}",
    "nacl-entry.added": "{key} ({after}) added", "nacl-entry.removed": "{key} ({before}) removed",
    "nacl-entry.changed": "{key} was ({before}), now ({after})",
    "sg-rule.added": "{key} added", "sg-rule.removed": "{key} removed",
    "association.added": "{key} associated", "association.removed": "{key} no longer associated",
    "field.changed": "{key} was {before}, now {after}", "field.changed.bare": "{key} changed",
    "policy.added": "policy {key} added", "policy.removed": "policy {key} removed",
    "policy.changed": "policy {key} changed",
}


def object_change_text(c: dict) -> str:
    """Word one change inside an object (its JSON dict); a missing side reads `none`."""
    key = f"{c['item']}.{c['change']}"
    if c.get("before") is None and c.get("after") is None and f"{key}.bare" in OBJECT_CHANGES:
        key += ".bare"
    return fill(OBJECT_CHANGES.get(key, "{item} {key} {change}"),
                {k: ("none" if v is None else v) for k, v in c.items()})


def reached_text(reached: str, prefix_lists: list[tuple[str, str]] | None = None) -> str:
    """Which part of the destination gets through, by its prefix lists' ids and names when it is
    theirs: `only pl-02cd2c6b (DynamoDB: 3.218.180.0/22, ...) gets through`."""
    if prefix_lists:
        return f"only {reached_name(reached, prefix_lists)} gets through: {reached}"
    return f"only {reached} gets through"


def reached_name(reached: str, prefix_lists: list[tuple[str, str]] | None = None) -> str:
    """The part that gets through by its prefix lists (`pl-02cd2c6b (DynamoDB)`), else its CIDRs."""
    return ", ".join(f"{pl} ({name})" if name else pl for pl, name in prefix_lists) if prefix_lists \
        else reached


# `reach can`'s hop list: the heading of the hops of other packets than those stopped at the ✗.
HOPS_OF_OTHERS = {"reached": "the addresses that get through, {what}:",
                  "other": "other packets, which went on:"}


# Codes that no gate gives but reports carry (SARIF rules, intent), with their words.
REACHABLE_AGAINST_INTENT = "REACHABLE_AGAINST_INTENT"
PARTIAL_REACHABILITY = "PARTIAL_REACHABILITY"
PERMISSION_AGAINST_INTENT = "PERMISSION_AGAINST_INTENT"
REPORT_CODES = {
    PERMISSION_AGAINST_INTENT: "The role's permission is not what the intent file states.",
    REACHABLE_AGAINST_INTENT: "The flow gets through, but the intent file says it must not.",
    PARTIAL_REACHABILITY: "The flow gets through from some of the function's subnets (availability zones) only.",
}

NOTES = {
    "ENDPOINT_POLICY": "{component_id} has an endpoint policy; it may still deny the call "
                       "(authorisation, not reachability: rules 0.2, 3.10)",
    "INTERFACE_ENDPOINT_PRIVATE_DNS_OFF": "{component_id} has private DNS off: the default hostname "
                                          "resolves to public addresses (3.12)",
    "INTERFACE_ENDPOINT_PRIVATE_DNS_INBOUND_ONLY": "{component_id} has private DNS on for inbound "
                                                   "Resolver endpoints only "
                                                   "(PrivateDnsOnlyForInboundResolverEndpoint): traffic "
                                                   "from the VPC uses the gateway endpoint or public "
                                                   "addresses (3.14)",
    "ENI_GROUPS_DRIFTED": "{component_id}'s security groups were changed by hand; traffic is judged "
                          "with the groups it has (1.15)",
    "FUNCTION_PENDING": "{component_id} is Pending: its ENIs are being created, and Lambda refuses "
                        "invokes until it is Active (1.9)",
    "FUNCTION_INACTIVE": "{component_id} is Inactive: its ENIs were reclaimed and the next invoke "
                         "fails while they are recreated (1.11)",
    "NETWORK_ONLY": "network only: the role's permission is not judged; ask {ask} to judge it "
                    "too (0.2)",
    "IPV6_FLAG_NEEDS_DUAL_STACK": "{component_id} sets Ipv6AllowedForDualStack, which needs every "
                                  "subnet of the function to be dual-stack; {subnet_ids} have no "
                                  "IPv6 CIDR, so the flag cannot apply there: no IPv6 leaves those "
                                  "ENIs (add an IPv6 CIDR, or clear the flag) (1.23)",
    "LOGS_NO_NETWORK_PATH": "{component_id}'s own logs need no network path: Lambda delivers them "
                            "(1.24); only the role's permission is judged",
    "ACCOUNT_NOT_COLLECTED": "{component_id} belongs to (or joins) account {account_id}, which the "
                             "snapshot does not hold ({why}): collect it to judge this path "
                             "(shared VPC, 6.1, 6.8)",
}

WARNINGS = {
    "DANGLING_REFERENCE": "{component_id} {field} refers to {missing_id}, which the snapshot lacks",
    "MISSING_DATA": "no {field} for {account_id} {region} (the key is absent, not empty): "
                    "answers that cross them are unknown",
    "MISSING_DATA.Functions": "no Functions for {account_id} {region} (the key is absent, not "
                              "empty): there is no function to ask about",
    "DUPLICATE_ID": "{component_id} is listed more than once with different contents; which copy "
                    "is true cannot be told, so it is treated as missing: answers through it are "
                    "unknown",
    "SUBNET_OUTSIDE_VPC": "{component_id}'s CidrBlock lies outside every CIDR of {missing_id}, "
                          "which AWS does not allow",
    "INVALID_PORT_RANGE": "{component_id} {field} has ports {missing_id}; for tcp and udp AWS "
                          "takes 0-65535, so the rule admits no port",
}

# `reach enis` findings (aws-rules.md 1.5-1.17, 1.27), keyed by the codes of reach.questions.enis.
ENI_WARNINGS = {
    "ENI_MISSING": "no Lambda ENI yet for ({subnet_id}, {security_group_ids}), used by {states}; "
                   "Lambda creates it when a function is created or its VPC settings change, and "
                   "the function stays Pending until it exists (1.9)",
    "ENI_MISSING.expected": "no Lambda ENI for ({subnet_id}, {security_group_ids}), as expected for "
                            "{states}: a Pending function's ENI is being created; an Inactive one's "
                            "is recreated on the next invoke, which fails (1.9, 1.11)",
    "ENI_DRIFTED": "{component_id} in {subnet_id} has {security_group_ids} but was created for "
                   "{expected_security_group_ids} (by {function}); the groups were changed by hand "
                   "and now govern every function that shares it: {functions} (1.15)",
    "ENI_STALE": "{component_id} in {subnet_id} ({security_group_ids}, created by {function}) serves "
                 "no function or version; Lambda deletes it (1.7, 1.12)",
    "ENI_ORPHANED": "{component_id} in {subnet_id} ({security_group_ids}) was created by {function}, "
                    "which is no longer in the snapshot; if its execution role was deleted first "
                    "the ENI is orphaned and must be deleted by hand (1.12)",
    "SUBNET_FULL": "{component_id} ({availability_zone}) has {available_ip_address_count} free IPv4 "
                   "addresses but needs {new_enis_needed} new Lambda ENIs (1.5, 1.8)",
    "ENI_QUOTA_EXCEEDED": "{component_id} would hold {total} Lambda ENIs ({lambda_enis} existing + "
                          "{new_enis_needed} new), over the quota of {quota}: Lambda returns "
                          "ENILimitReachedException (1.16)",
    "VPC_CONFIG_TOO_MANY_SUBNETS": "{component_id} lists {count} subnets; VpcConfig allows at most "
                                   "{limit} (1.17)",
    "VPC_CONFIG_TOO_MANY_GROUPS": "{component_id} lists {count} security groups; VpcConfig allows "
                                  "at most {limit} (1.17)",
    "SINGLE_AZ": "{component_id} runs only in {availability_zone} ({subnet_ids}); configure subnets "
                 "in two or more Availability Zones (1.27)",
    "IPV6_ONLY_SUBNET": "{component_id} uses the IPv6-only {subnet_ids}: an ENI there gets no IPv4 "
                        "address and Lambda sends no IPv6 from IPv6-only subnets, so nothing leaves "
                        "it; use dual-stack subnets (1.23)",
    "IPV6_SUBNET_NOT_DUAL_STACK": "{component_id} allows IPv6 (Ipv6AllowedForDualStack) but {subnet_ids} "
                                  "have no IPv6 CIDR: Lambda wants every subnet dual-stack, and no "
                                  "IPv6 leaves those (1.23)",
    "SUBNET_NOT_IN_SNAPSHOT": "{component_id}, used by {functions}, is not in the snapshot: its VPC, "
                              "Availability Zone and free addresses are unknown",
    "ENIS_NOT_COLLECTED": "{call} was not collected in {component_id}: which ENIs exist is unknown",
    "FUNCTIONS_NOT_COLLECTED": "{call} was not collected in {component_id}: stale ENIs cannot be told "
                               "from ENIs in use",
    "ROLE_LACKS_ENI_PERMISSIONS": "{component_id}'s execution role {role} does not allow {actions}: "
                                  "Lambda cannot create or manage its Hyperplane ENIs. ENIs that "
                                  "exist keep working; it bites when the function is created or its "
                                  "VPC settings are updated, when it needs a new (subnet, security "
                                  "groups) combination, and when an Inactive function is "
                                  "reactivated (1.20, 1.9, 1.11). Fix: {fix}",
    "ROLE_ENI_PERMISSIONS_UNKNOWN": "{component_id}'s execution role {role}: whether it allows "
                                    "{actions} cannot be told from the snapshot (1.20)",
}


class _Lenient(dict):
    def __init__(self, params: dict, blank: str) -> None:
        super().__init__(params)
        self.blank = blank

    def __missing__(self, key: str) -> str:
        return self.blank.format(key=key)


def fill(template: str, params: dict, *, blank: str = "?") -> str:
    """Fill a template; a parameter the code did not give shows as `blank` (`{key}` names it)."""
    return template.format_map(_Lenient(params, blank))


def reason_text(code: str, component_id: str, params: dict[str, str]) -> str:
    """Word a blocker's reason from its code and parameters."""
    template = REASONS.get(code, ("", "{code} at {component}"))[1]
    return fill(template, {"component": component_id, "code": code, **params})


def fix_text(fix: str, params: dict[str, str]) -> str:
    """Word a fix from its code and parameters, with the notes its parameters call for."""
    notes = [k for k in FIX_NOTES if k in params and not (k == "also_changes" and "main_table_of" in params)]
    return fill(FIXES[fix] + "".join(FIX_NOTES[k] for k in notes), params)


def rule_of(code: str) -> str:
    """The aws-rules.md numbers behind a reason code."""
    return REASONS.get(code, ("", ""))[0]


def note_text(n: dict) -> str:
    """Word a note of an answer (given as its JSON dict)."""
    return fill(NOTES.get(n["code"], "{code} {component_id}"), n)


def warning_text(w: dict) -> str:
    """Word a load warning (given as a dict of LoadWarning fields)."""
    template = WARNINGS.get(f"{w['code']}.{w['field']}") or WARNINGS.get(
        w["code"], "{code}: {component_id} {field} {missing_id}")
    return f"[{w['code']}] " + fill(template, w)


def eni_warning_text(w: dict) -> str:
    """Word a `reach enis` warning (its JSON form); lists and mappings are written out in one line."""
    code = w["code"]
    variant = f"{code}.expected" if w.get("expected") else code
    template = ENI_WARNINGS.get(variant, "{code} {component_id}")

    def show(key: str, value) -> str:
        if key == "fix":
            return "; ".join(fix_lines(value))
        if value is None:
            return "an unnamed function" if key == "function" else "unknown"
        if isinstance(value, dict):
            return ", ".join(f"{k} ({v or 'state unknown'})" for k, v in value.items())
        if isinstance(value, (list, tuple)):
            # A security-group set is written as a set (1.6); other lists as lists.
            return "{" + ", ".join(value) + "}" if key.endswith("security_group_ids") else ", ".join(value)
        return str(value)
    w = dict(w)
    if w.get("state_reasons"):
        w["states"] = {k: f"{v}: {w['state_reasons'][k]}" if k in w["state_reasons"] else v
                       for k, v in w["states"].items()}
    fields = {k: show(k, v) for k, v in w.items()}
    return f"[{code}] " + fill(template, fields)



def sarif_rule(code: str) -> dict:
    """The SARIF reportingDescriptor of a code: its title, its reason with placeholders, its rules."""
    title = code.replace("_", " ").capitalize()
    if code in REPORT_CODES:
        text = REPORT_CODES[code]
    else:
        template = REASONS.get(code, ("", code))[1]
        text = f"{title}: {fill(template, {}, blank='<{key}>')}"
    rule: dict = {"id": code, "name": "".join(w.capitalize() for w in code.split("_")),
                  "shortDescription": {"text": title}, "fullDescription": {"text": text}}
    if rule_of(code):
        rule["properties"] = {"aws-rules": rule_of(code)}
    return rule


# The permission half of an answer (docs/semantics.md §P), keyed by verdict and reason.
PERMISSION = {
    "allowed": "{action} on {resource}: allowed by {deciders}",
    "denied.explicit": "{action} on {resource}: denied by the Deny {deciders}",
    "denied.implicit": "{action} on {resource}: denied, no statement allows it in {gates}",
    "unknown": "{action} on {resource}: unknown",
    "unknown.condition": "condition key {detail} in {where} is not decided by the snapshot",
    "unknown.operator": "condition operator {detail} in {where} is not evaluated",
    "unknown.resource": "{where} covers only some of the resource ({detail})",
    "unknown.variable": "{where} uses the policy variable {detail}",
    "unknown.missing": "{detail}",
    "unknown.conditional": "{detail} is needed only if the log group does not exist yet; the "
                           "snapshot does not say whether it does",
    "fix.add": "add to {policy} ({kind} policy): {statement}",
    "fix.remove": "remove or narrow the Deny statement {sid} of {policy} ({kind} policy)",
    "not_judged.scp": "service control policies were not judged: the snapshot has none",
    "not_judged.rcp": "resource control policies were not judged: the snapshot has none",
}


def statement_name(policy: str, sid: str | None) -> str:
    return f"{policy} (sid {sid})" if sid else policy


def permission_lines(action: dict) -> tuple[str, list[str], list[str]]:
    """Word one action of a `permission` (its dict form): the line, why it is unknown, its fixes."""
    deciders = ", ".join(statement_name(d["policy"], d["sid"]) for d in action["decided_by"])
    verdict = action["verdict"]
    if verdict == "denied":
        key = "denied.explicit" if action["decided_by"] else "denied.implicit"
    else:
        key = verdict
    line = PERMISSION[key].format(**action, deciders=deciders,
                                  gates=", ".join(action.get("not_allowed_by", [])))
    why = [PERMISSION[f"unknown.{u['reason']}"].format(**u, where=statement_name(u["policy"], u["sid"]))
           for u in action.get("unknown", [])]
    return line, why, fix_lines(action.get("fix", []))


def fix_lines(fixes: list[dict]) -> list[str]:
    """Word permission fixes (their dict form): the statement to add, or the Deny to remove."""
    out = []
    for f in fixes:
        if "add_statement" in f:
            out.append(PERMISSION["fix.add"].format(policy=f["policy"], kind=f["kind"],
                                                    statement=json.dumps(f["add_statement"])))
        else:
            out.append(PERMISSION["fix.remove"].format(policy=f["policy"], kind=f["kind"],
                                                       sid=f["remove_statement"]["sid"] or "(no sid)"))
    return out


# `reach invokers`: the principals of a function's resource policy (docs/semantics.md §P).
INVOKERS = {
    "public": "PUBLIC: anyone may {actions} ({effect}, sid {sid})",
    "public.scoped": "anyone, narrowed by conditions, may {actions} ({effect}, sid {sid})",
    "account": "account {principal} may {actions}: any of its principals its IAM allows ({effect}, sid {sid})",
    "principal": "{principal} may {actions} ({effect}, sid {sid})",
    "service": "service {principal} may {actions} ({effect}, sid {sid})",
    "url.public": "PUBLIC function URL {function_url}: AuthType NONE, anyone on the internet may call it",
    "url.iam": "function URL {function_url}: AuthType {auth_type}, callers need lambda:InvokeFunctionUrl",
    "policy.none": "no resource policy: only principals of its own account whose IAM allows may invoke",
    "policy.not-collected": "its resource policy was not collected ({gap}): who may invoke is unknown",
}
