"""Terraform plans and states (`terraform show -json`) as snapshots: AWS shapes, synthetic ids, unknowns."""
from __future__ import annotations

from pathlib import Path

from ...errors import ReachInputError
from ..snapshot import Snapshot
from .apply import Change, PlanInfo, plan_snapshot
from .build import MANAGED
from .document import Document, looks_like_terraform, read_document
from .world import UNKNOWN_PREFIX, synthetic_id

__all__ = ["Change", "Document", "MANAGED", "PlanInfo", "UNKNOWN_PREFIX", "load_plan",
           "looks_like_terraform", "plan_snapshot", "read_document", "synthetic_id"]


def load_plan(source: str | Path | bytes | dict, *, base: Snapshot | None = None,
              name: str | None = None) -> Snapshot:
    """Read a plan or state file (or its parsed JSON) and apply it onto `base`, or alone."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        try:
            data: bytes | dict = path.read_bytes()
        except OSError as exc:
            raise ReachInputError(f"cannot read: {exc.strerror or exc}", file=str(path)) from None
        name = name or str(path)
    else:
        data = source
        name = name or "<plan>"
    return plan_snapshot(read_document(data, name), base)
