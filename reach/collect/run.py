"""Collect: run every region's calls concurrently in a bounded pool and assemble the snapshot."""
from __future__ import annotations

import re
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ThreadPoolExecutor, wait
from typing import Any, Callable, Sequence

from botocore.exceptions import (BotoCoreError, ClientError, ConnectionError as BotoConnectionError,
                                 NoCredentialsError, NoRegionError, ProfileNotFound)

from ..errors import ReachInputError
from . import transform
from .calls import (CALLER_IDENTITY, PREFIX_LIST_ENTRIES, REGIONS, RESOURCE_CALLS,
                    TGW_ASSOCIATIONS, TGW_PROPAGATIONS, TGW_ROUTES, VPC_ATTACHMENTS, Call)
from .get import CALL_FAILURES, Clients, attempt, error_text, fetch
from .permissions import add_permissions

Progress = Callable[[int, int], None]
"""Told (calls done, calls known so far) after each call; the total grows as tables are found."""

_REGION_NAME = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d+$")
# A TGW route table's sub-calls: the key they fill on the table, and the call.
_TGW_DETAILS = {"Routes": TGW_ROUTES, "Associations": TGW_ASSOCIATIONS,
                "Propagations": TGW_PROPAGATIONS}


def open_session(profile: str | None = None) -> Any:
    """A boto3 session on the standard credential chain, or on a named profile."""
    import boto3
    try:
        return boto3.Session(profile_name=profile)
    except ProfileNotFound:
        raise ReachInputError(f"no AWS profile named {profile!r} in the AWS config files") from None


def resolve_regions(session: Any, *, regions: Sequence[str] = (), all_regions: bool = False,
                    endpoint_url: str | None = None) -> list[str]:
    """The regions to read: those named, every enabled one (DescribeRegions), or the default."""
    if regions and all_regions:
        raise ReachInputError("give --region or --all-regions, not both")
    for name in regions:
        if not _REGION_NAME.match(name):
            raise ReachInputError(f"{name!r} is not an AWS region name (like us-east-1)")
    if regions:
        return list(dict.fromkeys(regions))
    if all_regions:
        home = session.region_name or "us-east-1"
        client = Clients(session, endpoint_url=endpoint_url).probe("ec2", home)
        try:
            found = fetch(client, REGIONS)
        except CALL_FAILURES as exc:
            raise _fatal(exc, REGIONS, endpoint_url) from None
        return sorted(r["RegionName"] for r in found)
    if session.region_name:
        return [session.region_name]
    raise ReachInputError("no region: pass --region (or --all-regions), or set AWS_REGION")


def collect_snapshot(session: Any, *, regions: Sequence[str], endpoint_url: str | None = None,
                     max_workers: int = 8, progress: Progress | None = None) -> dict[str, Any]:
    """Read the account's network, functions and databases in each region; return a snapshot."""
    return transform.assemble(*collect_regions(session, regions=regions, endpoint_url=endpoint_url,
                                               max_workers=max_workers, progress=progress))


def collect_regions(session: Any, *, regions: Sequence[str], endpoint_url: str | None = None,
                    max_workers: int = 8, progress: Progress | None = None,
                    pool: Executor | None = None) -> tuple[str, dict[str, dict[str, list]]]:
    """The account id and each region's lists. The calls run on `pool` when given (shared by
    several accounts, and left running), else on a pool of `max_workers` made for this account."""
    regions = list(dict.fromkeys(regions))
    if not regions:
        raise ReachInputError("no region to collect")
    clients = Clients(session, endpoint_url=endpoint_url, max_workers=max_workers)
    account_id = caller_account(clients, [*regions, session.region_name], endpoint_url)
    collected = {region: _Region(region) for region in regions}
    own_pool = pool is None
    if own_pool:
        pool = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="reach-collect")
    pending: dict[Future, tuple[_Region, Callable[[Any], None]]] = {}
    done = 0

    def submit(state: "_Region", call: Call, on_result: Callable, resource_id: str | None = None,
               **params: Any) -> None:
        future = pool.submit(attempt, clients, state.region, call, resource_id, **params)
        pending[future] = (state, on_result)
        state.outstanding += 1

    try:
        for state in collected.values():
            for key, call in RESOURCE_CALLS.items():
                submit(state, call, state.setter(key))
            submit(state, VPC_ATTACHMENTS, state.setter("TransitGatewayVpcAttachments"))
            state.first_round = True
        while pending:
            finished, _ = wait(list(pending), return_when=FIRST_COMPLETED)
            for future in finished:
                state, on_result = pending.pop(future)
                on_result(future.result())
                state.outstanding -= 1
                done += 1
                if state.first_round and state.outstanding == 0:
                    state.first_round = False
                    _second_round(state, submit)
            if progress:
                progress(done, done + len(pending))
    except BaseException:
        for future in pending:
            future.cancel()
        if own_pool:
            pool.shutdown(wait=False, cancel_futures=True)
        raise
    if own_pool:
        pool.shutdown(wait=True)
    lists = {r: s.lists() for r, s in collected.items()}
    add_permissions(clients, account_id, lists, max_workers=max_workers)
    return account_id, lists


def caller_account(clients: Clients, regions: Sequence[str | None],
                   endpoint_url: str | None = None) -> str:
    """The account id, from STS GetCallerIdentity; fails here when credentials are unusable.

    Each region is tried in turn while STS refuses: a region that is not enabled refuses it too.
    """
    first: Exception | None = None
    for region in dict.fromkeys(r for r in regions if r):
        try:
            return clients.probe("sts", region).get_caller_identity()["Account"]
        except ClientError as exc:
            if _not_aws(exc):
                raise _fatal(exc, CALLER_IDENTITY, endpoint_url) from None
            first = first or exc
        except CALL_FAILURES as exc:
            raise _fatal(exc, CALLER_IDENTITY, endpoint_url) from None
    raise _fatal(first or NoRegionError(), CALLER_IDENTITY, endpoint_url) from None


class _Region:
    """The raw items and gaps of one region while its calls come back."""

    def __init__(self, region: str) -> None:
        self.region = region
        self.items: dict[str, list[dict]] = {}
        self.gaps: list[dict] = []
        self.entries: dict[str, list[dict]] = {}
        self.tgw: dict[str, dict[str, list[dict]]] = {}
        self.outstanding = 0
        self.first_round = False

    def setter(self, key: str) -> Callable:
        def on_result(result: tuple[list[dict] | None, dict | None]) -> None:
            items, gap = result
            self.items[key] = items or []
            if gap:
                self.gaps.append(gap)
        return on_result

    def into(self, table: dict[str, Any], key: str) -> Callable:
        def on_result(result: tuple[list[dict] | None, dict | None]) -> None:
            items, gap = result
            if gap:
                self.gaps.append(gap)
            else:
                table[key] = items
        return on_result

    def lists(self) -> dict[str, list]:
        items = dict(self.items)
        items["ManagedPrefixLists"] = transform.with_entries(items.get("ManagedPrefixLists", []),
                                                             self.entries)
        items["TransitGatewayAttachments"] = transform.with_vpc_attachments(
            items.get("TransitGatewayAttachments", []), items.pop("TransitGatewayVpcAttachments", []))
        items["TransitGatewayRouteTables"] = transform.with_tgw_details(
            items.get("TransitGatewayRouteTables", []), self.tgw)
        return transform.region_lists(items, self.gaps)


def _second_round(state: _Region, submit: Callable) -> None:
    """Calls that need the first round: prefix-list entries and each TGW route table's details."""
    items = state.items
    for pl_id in transform.lists_to_expand(items.get("ManagedPrefixLists", []),
                                           items.get("RouteTables", []),
                                           items.get("SecurityGroups", []), state.region):
        submit(state, PREFIX_LIST_ENTRIES, state.into(state.entries, pl_id), pl_id, PrefixListId=pl_id)
    for table in items.get("TransitGatewayRouteTables", []):
        rtb_id = table["TransitGatewayRouteTableId"]
        details = state.tgw.setdefault(rtb_id, {})
        for key, call in _TGW_DETAILS.items():
            submit(state, call, state.into(details, key), rtb_id, TransitGatewayRouteTableId=rtb_id)


def _not_aws(exc: ClientError) -> bool:
    """An error botocore could only name by its HTTP status: the endpoint is not speaking AWS."""
    return str(exc.response.get("Error", {}).get("Code") or "").isdigit()


class CallFailed(ReachInputError):
    """A call without which nothing of the account can be read; `call` names it for a Gaps record."""

    def __init__(self, message: str, call: Call) -> None:
        super().__init__(message)
        self.call = call


def _fatal(exc: Exception, call: Call, endpoint_url: str | None) -> ReachInputError:
    """A failure that stops the whole collection: no credentials, no endpoint, rejected keys."""
    if isinstance(exc, NoCredentialsError):
        return CallFailed("no AWS credentials found: set AWS_PROFILE or AWS_ACCESS_KEY_ID, "
                          "pass --profile, or run `aws configure` / `aws sso login`", call)
    if isinstance(exc, NoRegionError):
        return CallFailed("no region: pass --region (or --all-regions), or set AWS_REGION", call)
    if isinstance(exc, BotoConnectionError):
        where = endpoint_url or "the AWS endpoint"
        return CallFailed(f"cannot reach {where}: {error_text(exc)}", call)
    if isinstance(exc, ClientError) and _not_aws(exc) or not isinstance(exc, (ClientError, BotoCoreError)):
        where = endpoint_url or "the AWS endpoint"
        return CallFailed(f"{where} did not answer {call.action} as AWS does: {error_text(exc)}", call)
    if isinstance(exc, ClientError):
        return CallFailed(f"{call.action} was refused ({error_text(exc)}); "
                          "check the credentials and the policy in docs/collect.md", call)
    return CallFailed(f"{call.action} failed: {error_text(exc)}", call)
