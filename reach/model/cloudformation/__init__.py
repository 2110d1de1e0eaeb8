"""CloudFormation and SAM templates as snapshots: every resource created, ids synthetic, unknowns named."""
from __future__ import annotations

from pathlib import Path

from ...errors import ReachInputError
from ..load import parse_snapshot
from ..snapshot import RESOURCE_KEYS, Snapshot
from ..terraform.apply import Change, PlanInfo
from .convert import Stack
from .template import looks_like_template, parse_template

__all__ = ["load_template", "looks_like_template"]


def load_template(source: str | Path | bytes | dict, *, base: Snapshot | None = None,
                  name: str | None = None) -> Snapshot:
    """A template's resources in AWS shapes, alone or added onto `base` (a stack being created)."""
    if isinstance(source, (str, Path)):
        try:
            data: bytes | dict = Path(source).read_bytes()
        except OSError as exc:
            raise ReachInputError(f"cannot read: {exc.strerror or exc}", file=str(source)) from None
        name = name or str(source)
    else:
        data, name = source, name or "<template>"
    stack = Stack(parse_template(data, name))
    stack.build()
    lists = {key: list(stack.lists.get(key, {}).values()) for key in RESOURCE_KEYS}
    region = next((s["AvailabilityZone"][:-1] for s in lists["Subnets"] if s.get("AvailabilityZone")),
                  "unknown")
    if base is None:
        data_out = {"SnapshotVersion": 1, "AccountId": "unknown", "Region": region, **lists}
    else:
        from ..load import dump_snapshot
        data_out = dump_snapshot(base)
        target = data_out if "Accounts" not in data_out else next(iter(
            data_out["Accounts"][0]["Regions"].values()))
        for key, items in lists.items():
            target.setdefault(key, []).extend(items)
    snapshot = parse_snapshot(data_out, name=name)
    if base is not None:
        snapshot.sources = [*base.sources, name]
    snapshot.hide(stack.opaque)
    r = stack.r
    changes = [Change(key, rid, "create", (r.addresses.get(rid, rid),))
               for key, items in stack.lists.items() for rid in items]
    snapshot.terraform = PlanInfo(name, "cloudformation", "template", addresses=dict(r.addresses),
                                  unknown={**r.unknowns, **stack.opaque,
                                           **{n: f"{n}.{prop} (not in this template: not applied)"
                                              for n, prop in stack.skipped.items()}}, changes=changes,
                                  unread=dict(stack.unread))
    return snapshot
