"""All the wording of reach's findings, keyed by stable code. Tests assert codes, not these words."""
from __future__ import annotations

import json

WARNINGS = {
    "DANGLING_REFERENCE": "{component_id} {field} refers to {missing_id}, which the snapshot lacks",
}


def warning_text(w: dict) -> str:
    """Word a load warning (given as a dict of LoadWarning fields)."""
    template = WARNINGS.get(w["code"], "{code}: {component_id} {field} {missing_id}")
    return f"[{w['code']}] " + template.format(**w)

NOTES = {
    "ENDPOINT_POLICY": "{component_id} has an endpoint policy; it may still deny the call "
                       "(authorisation, not reachability: rules 0.2, 3.10)",
    "INTERFACE_ENDPOINT_PRIVATE_DNS_OFF": "{component_id} has private DNS off: the default hostname "
                                          "resolves to public addresses (3.12)",
    "ENI_GROUPS_DRIFTED": "{component_id}'s security groups were changed by hand; traffic is judged "
                          "with the groups it has (1.15)",
    "IPV6_EGRESS_NOT_JUDGED": "the function may also send IPv6 through {component_id} (1.23); "
                              "this verdict is for IPv4, as the target is",
    "FUNCTION_PENDING": "{component_id} is Pending: its ENIs are being created (1.9)",
    "FUNCTION_INACTIVE": "{component_id} is Inactive: its ENIs were reclaimed and the next invoke "
                         "fails while they are recreated (1.11)",
    "NETWORK_ONLY": "network only: the role's permission is not judged; ask {ask} to judge it "
                    "too (0.2)",
    "LOGS_NO_NETWORK_PATH": "{component_id}'s own logs need no network path: Lambda delivers them "
                            "(1.24); only the role's permission is judged",
    "ACCOUNT_NOT_COLLECTED": "{component_id} belongs to (or joins) account {account_id}, which the "
                             "snapshot does not hold ({why}): collect it to judge this path "
                             "(shared VPC, 6.1, 6.8)",
}


def note_text(n: dict) -> str:
    return NOTES.get(n["code"], "{code} {component_id}").format(**n)

# `reach enis` findings (aws-rules.md 1.5-1.17, 1.27), keyed by the codes of reach.enis.
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
    return f"[{code}] " + template.format_map(_Blank(fields))


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "?"


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
