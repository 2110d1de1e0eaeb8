"""Summarise a loaded snapshot per account and region: counts, functions in and out of a VPC."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ..model import RESOURCE_KEYS, Snapshot


@dataclass
class RegionSummary:
    account_id: str
    region: str
    counts: dict[str, int]
    functions_in_vpc: list[str]
    functions_outside_vpc: list[str]


@dataclass
class SnapshotSummary:
    regions: list[RegionSummary]
    warnings: list[dict] = field(default_factory=list)
    unknown_keys: list[dict] = field(default_factory=list)
    gaps: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def summarise(snapshot: Snapshot) -> SnapshotSummary:
    """Count every resource type per account and region and split functions by VPC attachment."""
    regions = []
    for rs in snapshot.regions:
        counts = {key: len(getattr(rs, attr)) for key, (attr, _) in RESOURCE_KEYS.items()}
        regions.append(RegionSummary(
            account_id=rs.account_id, region=rs.region, counts=counts,
            functions_in_vpc=sorted(f.qualified_name for f in rs.functions if f.in_vpc),
            functions_outside_vpc=sorted(f.qualified_name for f in rs.functions if not f.in_vpc)))
    return SnapshotSummary(
        regions=regions,
        warnings=[asdict(w) for w in snapshot.warnings],
        unknown_keys=[{"file": f, "key": k} for f, k in snapshot.unknown_keys],
        gaps=[g.model_dump(by_alias=True, exclude_none=True) for g in snapshot.gaps])
