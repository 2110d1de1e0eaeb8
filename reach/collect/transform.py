"""Transform: pure functions from raw API items to the snapshot's lists (contract §1.1, §1.2)."""
from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

from .calls import RESOURCE_CALLS

SNAPSHOT_VERSION = 1

# Fields never written, at any depth of any item: they hold secrets or half of a credential.
# Lambda's Environment holds the function's variables (often keys and passwords); RDS reports a
# pending MasterUserPassword change; the master user name is half of the database's credential.
SECRET_FIELDS = frozenset({
    "Environment",
    "MasterUserPassword",
    "MasterUsername",
    "CustomerGatewayConfiguration",
    "UserData",
    "PreSharedKey",
    "SecretString",
    "SecretBinary",
    "Password",
})
_NOISE_FIELDS = frozenset({"ResponseMetadata"})


def clean(value: Any) -> Any:
    """Drop secret fields and response metadata, and write datetimes as ISO 8601 text."""
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()
                if k not in SECRET_FIELDS and k not in _NOISE_FIELDS}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value


def referenced_prefix_lists(route_tables: Iterable[dict], security_groups: Iterable[dict]) -> set[str]:
    """Ids of the prefix lists that routes (DestinationPrefixListId) or SG rules reference."""
    ids = {route["DestinationPrefixListId"]
           for table in route_tables for route in table.get("Routes") or []
           if route.get("DestinationPrefixListId")}
    for group in security_groups:
        for perm in [*(group.get("IpPermissions") or []), *(group.get("IpPermissionsEgress") or [])]:
            ids.update(p["PrefixListId"] for p in perm.get("PrefixListIds") or []
                       if p.get("PrefixListId"))
    return ids


def service_prefix_lists(managed_lists: Iterable[dict], region: str) -> set[str]:
    """Ids of the AWS-managed DynamoDB and S3 lists of the region: `reach can` targets them."""
    names = {f"com.amazonaws.{region}.dynamodb", f"com.amazonaws.{region}.s3"}
    return {pl["PrefixListId"] for pl in managed_lists if pl.get("PrefixListName") in names}


def lists_to_expand(managed_lists: list[dict], route_tables: list[dict],
                    security_groups: list[dict], region: str) -> list[str]:
    """The described managed prefix lists whose entries the snapshot needs."""
    wanted = (referenced_prefix_lists(route_tables, security_groups)
              | service_prefix_lists(managed_lists, region))
    return sorted(pl["PrefixListId"] for pl in managed_lists if pl["PrefixListId"] in wanted)


def with_entries(managed_lists: list[dict], entries: dict[str, list[dict]]) -> list[dict]:
    """Attach `Entries` (GetManagedPrefixListEntries) to the lists that were expanded."""
    return [{**pl, "Entries": entries[pl["PrefixListId"]]} if pl["PrefixListId"] in entries else pl
            for pl in managed_lists]


def with_vpc_attachments(attachments: list[dict], vpc_attachments: list[dict]) -> list[dict]:
    """Fold SubnetIds and Options of DescribeTransitGatewayVpcAttachments in, by attachment id."""
    extra = {a["TransitGatewayAttachmentId"]: a for a in vpc_attachments}
    out = []
    for att in attachments:
        more = extra.get(att["TransitGatewayAttachmentId"], {})
        out.append({**att, **{k: more[k] for k in ("SubnetIds", "Options") if k in more}})
    return out


def with_tgw_details(tables: list[dict], details: dict[str, dict[str, list[dict]]]) -> list[dict]:
    """Attach `Routes`, `Associations` and `Propagations` to each TGW route table."""
    return [{**t, **details.get(t["TransitGatewayRouteTableId"], {})} for t in tables]


def region_lists(items: dict[str, list[dict]], gaps: list[dict]) -> dict[str, list]:
    """One region's lists in the contract's order, secrets dropped; `Gaps` last."""
    out: dict[str, list] = {key: clean(items.get(key) or []) for key in RESOURCE_CALLS}
    out["Gaps"] = sorted(gaps, key=lambda g: (g["Region"], g["Service"], g["Call"], g["Error"]))
    return out


def assemble(account_id: str, regions: dict[str, dict[str, list]]) -> dict[str, Any]:
    """A §1.1 snapshot for one region, else a §1.2 one with every region under the account."""
    if len(regions) == 1:
        (region, lists), = regions.items()
        return {"SnapshotVersion": SNAPSHOT_VERSION, "AccountId": account_id, "Region": region,
                **lists}
    return {"SnapshotVersion": SNAPSHOT_VERSION,
            "Accounts": [{"AccountId": account_id, "Regions": dict(sorted(regions.items()))}]}


def unread_account(regions: Iterable[str], service: str, call: str, error: str) -> dict[str, dict]:
    """The lists of an account that could not be read at all: empty, with one gap per region
    naming the call that failed (AssumeRole, GetCallerIdentity, DescribeRegions)."""
    return {region: region_lists({}, [{"Service": service, "Call": call, "Region": region,
                                       "Error": error}])
            for region in regions}


def assemble_accounts(accounts: dict[str, dict[str, dict[str, list]]]) -> dict[str, Any]:
    """A §1.2 snapshot of several accounts, by account id then region."""
    return {"SnapshotVersion": SNAPSHOT_VERSION,
            "Accounts": [{"AccountId": account_id, "Regions": dict(sorted(regions.items()))}
                         for account_id, regions in sorted(accounts.items())]}
