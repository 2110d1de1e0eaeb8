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
}


def note_text(n: dict) -> str:
    return NOTES.get(n["code"], "{code} {component_id}").format(**n)
