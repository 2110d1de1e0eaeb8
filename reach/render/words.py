"""All the wording of reach's findings, keyed by stable code. Tests assert codes, not these words."""
from __future__ import annotations

WARNINGS = {
    "DANGLING_REFERENCE": "{component_id} {field} refers to {missing_id}, which the snapshot lacks",
}


def warning_text(w: dict) -> str:
    """Word a load warning (given as a dict of LoadWarning fields)."""
    template = WARNINGS.get(w["code"], "{code}: {component_id} {field} {missing_id}")
    return f"[{w['code']}] " + template.format(**w)
