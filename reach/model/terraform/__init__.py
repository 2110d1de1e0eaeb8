"""Terraform plans and states (`terraform show -json`) as snapshots: AWS shapes, synthetic ids, unknowns."""
from __future__ import annotations

from pathlib import Path

from ...errors import ReachInputError
from ..snapshot import Snapshot
from .apply import Change, PlanInfo, plan_snapshot, prior_snapshot
from .build import MANAGED
from .document import Document, looks_like_terraform, read_document
from .world import UNKNOWN_PREFIX, synthetic_id

__all__ = ["Change", "Document", "MANAGED", "PlanInfo", "UNKNOWN_PREFIX", "load_plan",
           "looks_like_terraform", "plan_snapshot", "prior_plan", "prior_snapshot", "read_document",
           "synthetic_id"]


def _read(source: str | Path | bytes | dict, name: str | None) -> Document:
    if isinstance(source, (str, Path)):
        path = Path(source)
        try:
            data: bytes | dict = path.read_bytes()
        except OSError as exc:
            raise ReachInputError(f"cannot read: {exc.strerror or exc}", file=str(path)) from None
        return read_document(data, name or str(path))
    return read_document(source, name or "<plan>")


def prior_plan(source: str | Path | bytes | dict, *, name: str | None = None) -> Snapshot:
    """What a plan says exists before apply (its prior_state), as a snapshot."""
    return prior_snapshot(_read(source, name))


def load_plan(source: str | Path | bytes | dict, *, base: Snapshot | None = None,
              name: str | None = None) -> Snapshot:
    """Read a plan or state file (or its parsed JSON) and apply it onto `base`, or alone."""
    return plan_snapshot(_read(source, name), base)
