"""All the wording of reach's findings, keyed by stable code. Tests assert codes, not these words."""
from __future__ import annotations

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
    "FUNCTION_PENDING": "{component_id} is Pending: its ENIs are being created (1.9)",
    "FUNCTION_INACTIVE": "{component_id} is Inactive: its ENIs were reclaimed and the next invoke "
                         "fails while they are recreated (1.11)",
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
}


def eni_warning_text(w: dict) -> str:
    """Word a `reach enis` warning (its JSON form); lists and mappings are written out in one line."""
    code = w["code"]
    variant = f"{code}.expected" if w.get("expected") else code
    template = ENI_WARNINGS.get(variant, "{code} {component_id}")

    def show(key: str, value) -> str:
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
