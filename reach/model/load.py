"""Read a snapshot from a file (contract §1.1, §1.2), a directory of describe-* outputs (§1.3) or stdin."""
from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from pydantic import ConfigDict, ValidationError

from ..errors import ReachInputError
from .base import AwsModel
from .iam import IAM_KEYS
from .network import (ManagedPrefixList, TgwRouteTableLink, TransitGatewayAttachment,
                      TransitGatewayRoute)
from .refs import check_references
from .snapshot import RESOURCE_KEYS, RegionSnapshot, Snapshot

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
    if str(source) == "-":
        parts, unknown = _read_file(sys.stdin.buffer.read(), "<stdin>")
        sources = ["<stdin>"]
    else:
        path = Path(source)
        if path.is_dir():
            parts, unknown, sources = _read_directory(path, region)
        elif path.is_file():
            try:
                data = path.read_bytes()
            except OSError as exc:
                raise ReachInputError(f"cannot read: {exc.strerror}", file=str(path)) from None
            parts, unknown = _read_file(data, str(path))
            sources = [str(path)]
        else:
            raise ReachInputError("no such file or directory", file=str(path))
    snapshot = Snapshot(regions=parts, unknown_keys=unknown, sources=sources)
    snapshot.warnings.extend(check_references(snapshot))
    return snapshot


def parse_snapshot(data: bytes | str | dict, *, name: str = "<data>") -> Snapshot:
    """Load a snapshot from JSON text or an already-parsed dict (contract §1.1 or §1.2)."""
    if isinstance(data, dict):
        data = json.dumps(data)
    parts, unknown = _read_file(data.encode() if isinstance(data, str) else data, name)
    snapshot = Snapshot(regions=parts, unknown_keys=unknown, sources=[name])
    snapshot.warnings.extend(check_references(snapshot))
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


_EXPECTED = {"model_type": "a JSON object", "dict_type": "a JSON object", "list_type": "a JSON list",
             "string_type": "a string", "int_type": "an integer", "int_parsing": "an integer",
             "bool_type": "true or false", "bool_parsing": "true or false",
             "float_type": "a number", "float_parsing": "a number"}
_JSON_TYPES = {dict: "an object", list: "a list", str: "a string", int: "a number",
               float: "a number", bool: "a boolean", type(None): "null"}


def _json_type(value: Any) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def _short(value: Any) -> str:
    if isinstance(value, (dict, list)):
        return ""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _json_path(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "$"


def _validation_error(exc: ValidationError, file: str) -> ReachInputError:
    err = exc.errors(include_url=False)[0]
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] == "json_invalid":
        return ReachInputError(f"invalid JSON ({err['ctx'].get('error', msg)})", file=file)
    expected = _EXPECTED.get(err["type"])
    if expected:
        msg = f"expected {expected}, got {_json_type(err['input'])} {_short(err['input'])}".rstrip()
    more = exc.error_count() - 1
    return ReachInputError(msg + (f" (and {more} more errors)" if more else ""),
                           file=file, path=_json_path(err["loc"]))


def _parse(data: bytes, file: str, model: type[_Lists]) -> _Lists:
    if not data.strip():
        raise ReachInputError("file is empty", file=file)
    try:
        return model.model_validate_json(data)
    except ValidationError as exc:
        raise _validation_error(exc, file) from None


def _extras(parsed: _Lists, file: str, unknown: list[tuple[str, str]]) -> None:
    for key in parsed.model_extra or {}:
        if key not in _NOISE_KEYS:
            unknown.append((file, key))


def _known_fields(parsed: _Lists) -> set[str]:
    return parsed.model_fields_set - set(parsed.model_extra or {})


def _read_file(data: bytes, file: str) -> tuple[list[RegionSnapshot], list[tuple[str, str]]]:
    parsed = _parse(data, file, _File)
    if not _known_fields(parsed):
        raise ReachInputError("not a reach snapshot: no known key such as SnapshotVersion, Vpcs, "
                              "Functions or Accounts", file=file)
    if parsed.snapshot_version not in (None, SNAPSHOT_VERSION):
        raise ReachInputError(f"unsupported SnapshotVersion {parsed.snapshot_version} "
                              f"(this reach reads {SNAPSHOT_VERSION})", file=file, path="SnapshotVersion")
    unknown: list[tuple[str, str]] = []
    _extras(parsed, file, unknown)
    parts = []
    if parsed.accounts is not None:
        for account in parsed.accounts:
            for region, lists in account.regions.items():
                _extras(lists, file, unknown)
                parts.append(_finish([lists], account.account_id, region))
    else:
        parts.append(_finish([parsed], parsed.account_id, parsed.region))
    return parts, unknown


_ACCOUNT_DIR = re.compile(r"^\d{12}$|^\d+$")


def _read_directory(root: Path, region: str | None):
    """Batfish's layout (§1.3): the depth under [aws_configs/] gives the account and region."""
    base = root / "aws_configs" if (root / "aws_configs").is_dir() else root
    # Hidden files and folders are not read: `reach collect` stages an account in `.<id>.partial`.
    files = sorted(p for p in base.rglob("*.json") if p.is_file()
                   and not any(part.startswith(".") for part in p.relative_to(base).parts))
    if not files:
        raise ReachInputError("no JSON files in this directory", file=str(root))
    groups: dict[tuple[str | None, str | None], list[_Lists]] = defaultdict(list)
    unknown: list[tuple[str, str]] = []
    for path in files:
        rel = path.relative_to(base).parts[:-1]
        if len(rel) == 3 and rel[0] == "accounts":
            key = (rel[1], rel[2])
        elif len(rel) == 1:
            key = (None, rel[0])
        elif not rel:
            key = (None, region)
        else:
            unknown.append((str(path), "<not in the §1.3 layout>"))
            continue
        parsed = _parse(path.read_bytes(), str(path), _Lists)
        _extras(parsed, str(path), unknown)
        if _known_fields(parsed):
            groups[key].append(parsed)
    if not groups:
        raise ReachInputError("not a reach snapshot: no file holds a known key such as Vpcs or "
                              "Functions", file=str(root))
    parts = [_finish(lists, account, reg) for (account, reg), lists in groups.items()]
    return parts, unknown, [str(p) for p in files]


def _finish(lists: list[_Lists], account: str | None, region: str | None) -> RegionSnapshot:
    """Merge one region's files into a RegionSnapshot, folding in Batfish's wrapper formats."""
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
    return RegionSnapshot(account_id=account, region=region, **merged)


def _infer_region(merged: dict[str, list]) -> str:
    for item in [*merged["subnets"], *merged["network_interfaces"]]:
        if item.availability_zone:
            return re.sub(r"[a-z]$", "", item.availability_zone)
    return "unknown"


def _merge_attachments(attachments: list, vpc_attachments: list) -> list:
    by_id: dict[str, TransitGatewayAttachment] = {}
    for att in [*attachments, *vpc_attachments]:
        prev = by_id.get(att.transit_gateway_attachment_id)
        if prev is None:
            by_id[att.transit_gateway_attachment_id] = att
        else:
            update = {f: getattr(att, f) for f in att.model_fields_set}
            by_id[att.transit_gateway_attachment_id] = prev.model_copy(update=update)
    for att_id, att in by_id.items():
        if att.resource_id is None and att.vpc_id:
            by_id[att_id] = att.model_copy(update={"resource_id": att.vpc_id, "resource_type": "vpc"})
    return list(by_id.values())


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
