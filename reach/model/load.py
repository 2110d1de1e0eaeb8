"""Read a snapshot from a file (contract §1.1, §1.2), a directory of describe-* outputs (§1.3) or stdin."""
from __future__ import annotations

import codecs
import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec
from pydantic import ConfigDict, ValidationError

from ..errors import ReachInputError
from ..gcpause import paused
from .base import AwsModel
from .iam import IAM_KEYS
from .messages import validation_error
from .parts import SPLIT_ABOVE, validate_in_parts
from .network import ManagedPrefixList
from .tgw import TgwRouteTableLink, TransitGatewayAttachment, TransitGatewayRoute
from .checks import Source, ambiguous_ids, check_region, check_source, drop_ambiguous
from .refs import check_references, missing_kinds
from .snapshot import RESOURCE_KEYS, LoadWarning, RegionSnapshot, Snapshot

SNAPSHOT_VERSION = 1
# Keys of raw API responses that carry no resources and are dropped silently.
_NOISE_KEYS = {"ResponseMetadata", "NextToken", "Marker", "NextMarker"}


class _TgwPropagations(AwsModel):
    """Batfish's wrapper: GetTransitGatewayRouteTablePropagations plus the table id."""

    transit_gateway_route_table_id: str
    transit_gateway_route_table_propagations: list[TgwRouteTableLink] = []


class _TgwStaticRoutes(AwsModel):
    """Batfish's wrapper: SearchTransitGatewayRoutes (type=static) plus the table id."""

    transit_gateway_route_table_id: str
    routes: list[TransitGatewayRoute] = []


class _Lists(RegionSnapshot):
    """One file's or one region's lists, with the extra keys reach also understands."""

    model_config = ConfigDict(extra="allow", defer_build=True)

    transit_gateway_vpc_attachments: list[TransitGatewayAttachment] = []
    transit_gateway_propagations: list[_TgwPropagations] = []
    transit_gateway_static_routes: list[_TgwStaticRoutes] = []


class _Account(AwsModel):
    account_id: str
    regions: dict[str, _Lists] = {}


class _File(_Lists):
    model_config = ConfigDict(extra="allow", defer_build=True)

    snapshot_version: int | None = None
    accounts: list[_Account] | None = None


def load_snapshot(source: str | Path, *, region: str | None = None) -> Snapshot:
    """Load a snapshot file, directory, or `-` for standard input, and check its references."""
    with paused():
        if str(source) == "-":
            return _snapshot(_read_file(sys.stdin.buffer.read(), "<stdin>"))
        path = Path(source)
        if path.is_dir():
            return _snapshot(_read_directory(path, region))
        if not path.is_file():
            raise ReachInputError("no such file or directory", file=str(path))
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ReachInputError(f"cannot read: {exc.strerror}", file=str(path)) from None
        return _snapshot(_read_file(data, str(path)))


def parse_snapshot(data: bytes | str | dict, *, name: str = "<data>") -> Snapshot:
    """Load a snapshot from JSON text or an already-parsed dict (contract §1.1 or §1.2)."""
    if isinstance(data, dict):
        data = json.dumps(data)
    with paused():
        return _snapshot(_read_file(data.encode() if isinstance(data, str) else data, name))


@dataclass
class _Read:
    """What the files gave: one RegionSnapshot per account and Region, and where each came from."""

    parts: list[RegionSnapshot] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    unknown: list[tuple[str, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    warnings: list[LoadWarning] = field(default_factory=list)


def _snapshot(read: _Read) -> Snapshot:
    snapshot = Snapshot(regions=read.parts, unknown_keys=read.unknown, sources=read.files)
    ambiguous = ambiguous_ids(snapshot.duplicates)
    if ambiguous:
        parts, warnings = drop_ambiguous(read.parts, ambiguous)
        snapshot = Snapshot(regions=parts, unknown_keys=read.unknown, sources=read.files)
        snapshot.read_warnings().extend(warnings)
    snapshot.read_warnings().extend(read.warnings)
    dropped = set().union(*ambiguous.values()) if ambiguous else set()
    # Dangling references are warnings only (refs.py): scanned when `warnings` is first read.
    snapshot.defer_warnings(lambda snap: [w for w in check_references(snap) if w.missing_id not in dropped])
    return snapshot


def dump_snapshot(snapshot: Snapshot) -> dict[str, Any]:
    """Dump in contract shape: §1.1 for one account and region, §1.2 otherwise."""
    def lists(rs: RegionSnapshot) -> dict[str, Any]:
        return rs.model_dump(mode="json", by_alias=True, exclude={"account_id", "region"},
                             exclude_none=True)
    if len(snapshot.regions) == 1:
        rs = snapshot.regions[0]
        return {"SnapshotVersion": SNAPSHOT_VERSION, "AccountId": rs.account_id,
                "Region": rs.region, **lists(rs)}
    accounts: dict[str, dict[str, Any]] = {}
    for rs in snapshot.regions:
        accounts.setdefault(rs.account_id, {})[rs.region] = lists(rs)
    return {"SnapshotVersion": SNAPSHOT_VERSION,
            "Accounts": [{"AccountId": a, "Regions": r} for a, r in accounts.items()]}


def _parse(data: bytes, file: str, model: type[_Lists]) -> _Lists:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]  # as Python's json.loads(bytes) reads past it too
    if not data.strip():
        raise ReachInputError("file is empty", file=file)
    if len(data) > SPLIT_ABOVE:
        try:
            return validate_in_parts(model, data)
        except (ValidationError, msgspec.DecodeError):
            pass  # validated whole below, for the same message as ever
    try:
        return model.model_validate_json(data)
    except ValidationError as exc:
        raise validation_error(exc, file, data) from None


def _extras(parsed: _Lists, file: str, unknown: list[tuple[str, str]]) -> None:
    for key in parsed.model_extra or {}:
        if key not in _NOISE_KEYS:
            unknown.append((file, key))


def _known_fields(parsed: _Lists) -> set[str]:
    return parsed.model_fields_set - set(parsed.model_extra or {})


def _read_file(data: bytes, file: str) -> _Read:
    parsed = _parse(data, file, _File)
    if not _known_fields(parsed):
        raise ReachInputError("not a reach snapshot: no known key such as SnapshotVersion, Vpcs, "
                              "Functions or Accounts", file=file)
    if parsed.snapshot_version not in (None, SNAPSHOT_VERSION):
        raise ReachInputError(f"unsupported SnapshotVersion {parsed.snapshot_version} "
                              f"(this reach reads {SNAPSHOT_VERSION})", file=file, path="SnapshotVersion")
    read = _Read(files=[file])
    _extras(parsed, file, read.unknown)
    if parsed.accounts is not None:
        for i, account in enumerate(parsed.accounts):
            for region, lists in account.regions.items():
                _extras(lists, file, read.unknown)
                _finish(read, [Source(lists, file, f"Accounts[{i}].Regions.{region}.")],
                        account.account_id, region)
    else:
        _finish(read, [Source(parsed, file)], parsed.account_id, parsed.region)
    return read


# An AWS Region name: us-east-1, us-gov-west-1, cn-northwest-1, eusc-de-east-1.
_REGION_DIR = re.compile(r"^[a-z]{2,4}(-[a-z]+)+-[0-9]+$")


def _read_directory(root: Path, region: str | None) -> _Read:
    """Batfish's layout (§1.3): the depth under [aws_configs/] gives the account and region."""
    base = root / "aws_configs" if (root / "aws_configs").is_dir() else root
    _refuse_collections(root, base)
    # Hidden files and folders are not read: `reach collect` stages an account in `.<id>.partial`.
    files = sorted(p for p in base.rglob("*.json") if p.is_file()
                   and not any(part.startswith(".") for part in p.relative_to(base).parts))
    if not files:
        raise ReachInputError("no JSON files in this directory", file=str(root))
    groups: dict[tuple[str | None, str | None], list[Source]] = defaultdict(list)
    read = _Read(files=[str(p) for p in files])
    for path in files:
        rel = path.relative_to(base).parts[:-1]
        if len(rel) == 3 and rel[0] == "accounts":
            key = (rel[1], rel[2])
        elif len(rel) == 1:
            key = (None, rel[0])
        elif not rel:
            key = (None, region)
        else:
            read.unknown.append((str(path), "<not in the §1.3 layout>"))
            continue
        parsed = _parse(_read_bytes(path), str(path), _Lists)
        _extras(parsed, str(path), read.unknown)
        if _known_fields(parsed):
            groups[key].append(Source(parsed, str(path)))
    if not groups:
        raise ReachInputError("not a reach snapshot: no file holds a known key such as Vpcs or "
                              "Functions", file=str(root))
    for (account, reg), sources in groups.items():
        _finish(read, sources, account, reg)
    return read


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ReachInputError(f"cannot read: {exc.strerror}", file=str(path)) from None


def _refuse_collections(root: Path, base: Path) -> None:
    """A folder of snapshot folders (Batfish's corpus, reach's samples) is not one snapshot: a
    sub-folder is a Region only when named like one (§1.3)."""
    found = sorted(d.name for d in base.iterdir() if d.is_dir() and d.name != "accounts"
                   and not d.name.startswith(".")
                   and not _REGION_DIR.match(d.name) and next(d.rglob("*.json"), None))
    if found:
        shown = ", ".join(found[:8]) + (f" and {len(found) - 8} more" if len(found) > 8 else "")
        raise ReachInputError(
            f"holds {len(found)} folder{'s' if len(found) > 1 else ''} that are not Regions, "
            f"so not one snapshot: {shown}; pass one of them (e.g. --snapshot "
            f"{root / found[0]})", file=str(root))


def _finish(read: _Read, sources: list[Source], account: str | None, region: str | None) -> None:
    """Merge one region's files into a RegionSnapshot, folding in Batfish's wrapper formats."""
    for src in sources:
        read.warnings.extend(check_source(src))
    lists = [src.lists for src in sources]
    merged: dict[str, list] = defaultdict(list)
    for part in lists:
        for key, (attr, _) in RESOURCE_KEYS.items():
            merged[attr].extend(getattr(part, attr))
        merged["gaps"].extend(part.gaps)
        for attr in IAM_KEYS.values():
            if getattr(part, attr) is not None:
                merged[attr].extend(getattr(part, attr))
        merged["tgw_vpc"].extend(part.transit_gateway_vpc_attachments)
        merged["tgw_prop"].extend(part.transit_gateway_propagations)
        merged["tgw_static"].extend(part.transit_gateway_static_routes)
    # DescribeManagedPrefixLists answers under the key PrefixLists too; its items have no Cidrs.
    old, managed = [], list(merged["managed_prefix_lists"])
    for pl in merged["prefix_lists"]:
        if "cidrs" not in pl.model_fields_set and pl.address_family:
            managed.append(ManagedPrefixList.model_validate(pl.model_dump(exclude_none=True)))
        else:
            old.append(pl)
    merged["prefix_lists"] = old
    merged["managed_prefix_lists"] = managed
    merged["transit_gateway_attachments"] = _merge_attachments(
        merged["transit_gateway_attachments"], merged.pop("tgw_vpc"))
    merged["transit_gateway_route_tables"] = _merge_tgw_tables(
        merged["transit_gateway_route_tables"], merged.pop("tgw_prop"), merged.pop("tgw_static"))
    account = account or lists[0].account_id
    if account == "unknown":
        account = next((v.owner_id for v in merged["vpcs"] if v.owner_id), "unknown")
    region = region or lists[0].region
    if region == "unknown":
        region = _infer_region(merged)
    rs = RegionSnapshot(account_id=account, region=region, **merged)
    read.warnings.extend(check_region(sources, rs))
    read.parts.append(rs)
    read.sources.extend(sources)
    read.warnings.extend(missing_kinds(lists, rs))


def _infer_region(merged: dict[str, list]) -> str:
    for item in [*merged["subnets"], *merged["network_interfaces"]]:
        if item.availability_zone:
            return re.sub(r"[a-z]$", "", item.availability_zone)
    return "unknown"


def _merge_attachments(attachments: list, vpc_attachments: list) -> list:
    """One attachment per (id, TGW): a VPC attachment's two listings become one, while a TGW
    peering attachment keeps one copy per side (the same id, each TGW's own association)."""
    by_key: dict[tuple[str, str | None], TransitGatewayAttachment] = {}
    sides: dict[str, list[str | None]] = defaultdict(list)
    for att in [*attachments, *vpc_attachments]:
        aid, tgw = att.transit_gateway_attachment_id, att.transit_gateway_id
        side = next((t for t in sides[aid] if tgw is None or t in (None, tgw)), tgw)
        key = (aid, side)
        if side not in sides[aid]:
            sides[aid].append(side)
        prev = by_key.get(key)
        if prev is None:
            by_key[key] = att
        else:
            update = {f: getattr(att, f) for f in att.model_fields_set}
            by_key[key] = prev.model_copy(update=update)
    for key, att in by_key.items():
        if att.resource_id is None and att.vpc_id:
            by_key[key] = att.model_copy(update={"resource_id": att.vpc_id, "resource_type": "vpc"})
    return list(by_key.values())


def _merge_tgw_tables(tables: list, propagations: list, static: list) -> list:
    props: dict[str, list] = defaultdict(list)
    routes: dict[str, list] = defaultdict(list)
    for p in propagations:
        props[p.transit_gateway_route_table_id].extend(p.transit_gateway_route_table_propagations)
    for s in static:
        routes[s.transit_gateway_route_table_id].extend(s.routes)
    return [t.model_copy(update={
        "propagations": [*t.propagations, *props.get(t.transit_gateway_route_table_id, [])],
        "routes": [*t.routes, *routes.get(t.transit_gateway_route_table_id, [])]})
        for t in tables]
