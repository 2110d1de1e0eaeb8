"""The words of notes, warnings, report codes, SARIF rules, permissions and `reach diff` changes,
and the functions that fill every template (reasons and fixes included)."""
from __future__ import annotations

import json

from .codes import FIXES, FIX_NOTES, REASONS


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
