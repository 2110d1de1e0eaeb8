"""Collect many accounts: assume a role in each, read its regions, on bounded pools; a failure is a gap.

Accounts run concurrently on a small pool (`max_accounts`); every account's API calls share one
pool of `max_workers`, so the number of calls in flight is bounded however many accounts there are.
An account that cannot be assumed or read is recorded as a gap for that account, never the end of
the run (aws-rules do not apply here: this is the collector's own contract, docs/collect.md).
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any, Callable, Protocol, Sequence


from . import transform
from .calls import ASSUME_ROLE, CALLER_IDENTITY
from .get import CALL_FAILURES, error_text
from .org import Account, assume, partition_of, role_arn
from .run import CallFailed, collect_regions, resolve_regions


class AccountProgress(Protocol):
    """Told what each account is doing: shown as one line per account on a terminal."""

    def start(self, account: Account) -> None: ...

    def update(self, account: Account, done: int, total: int) -> None: ...

    def finish(self, account: Account, result: "AccountResult") -> None: ...


@dataclass
class AccountResult:
    """One account's regions (their lists and gaps), or why it could not be read at all."""

    account: Account
    regions: dict[str, dict[str, list]] = field(default_factory=dict)
    error: str | None = None  # the account was not read: AssumeRole or its first call failed
    resumed: bool = False  # already complete in the output directory; not read again

    @property
    def collected(self) -> bool:
        return self.error is None

    @property
    def call_gaps(self) -> list[dict]:
        return [g for lists in self.regions.values() for g in lists.get("Gaps", [])]


def collect_accounts(session: Any, accounts: Sequence[Account], *, role_name: str,
                     regions: Sequence[str] | None, external_id: str | None = None,
                     endpoint_url: str | None = None, max_workers: int = 8, max_accounts: int = 4,
                     progress: AccountProgress | None = None,
                     done: Callable[[AccountResult], None] | None = None,
                     skip: Callable[[Account], bool] | None = None) -> list[AccountResult]:
    """Read each account through `arn:<partition>:iam::<id>:role/<role_name>`.

    `regions` None means every region enabled for each account (DescribeRegions, per account).
    `done(result)` is called from the account's thread as soon as it is finished (to write it);
    `skip(account)` says an account is already complete (`--resume`).
    """
    home = session.region_name or (regions[0] if regions else None) or "us-east-1"
    partition = partition_of(session, home)
    calls = ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix="reach-collect")

    def read(account: Account) -> AccountResult:
        if skip is not None and skip(account):
            return AccountResult(account, resumed=True)
        if progress:
            progress.start(account)
        result = _read_account(session, account, role_arn(partition, account.account_id, role_name),
                               regions=regions, home=home, external_id=external_id,
                               endpoint_url=endpoint_url, max_workers=max_workers, pool=calls,
                               progress=(lambda d, t: progress.update(account, d, t)) if progress else None)
        if done is not None:
            done(result)
        if progress:
            progress.finish(account, result)
        return result

    results: list[AccountResult] = []
    with ThreadPoolExecutor(max_workers=max(1, max_accounts), thread_name_prefix="reach-account") as pool:
        futures = [pool.submit(read, account) for account in accounts]
        try:
            for future in as_completed(futures):
                results.append(future.result())
        except BaseException:
            for future in futures:
                future.cancel()
            calls.shutdown(wait=False, cancel_futures=True)
            raise
    calls.shutdown(wait=True)
    order = {a.account_id: i for i, a in enumerate(accounts)}
    return sorted(results, key=lambda r: order[r.account.account_id])


def _read_account(session: Any, account: Account, arn: str, *, regions: Sequence[str] | None,
                  home: str, external_id: str | None, endpoint_url: str | None, max_workers: int,
                  pool: ThreadPoolExecutor, progress) -> AccountResult:
    where = list(regions) if regions else [home]

    def unread(service: str, call: str, error: str) -> AccountResult:
        return AccountResult(account, transform.unread_account(where, service, call, error), error)

    try:
        target = assume(session, arn, external_id=external_id, endpoint_url=endpoint_url, region=home)
    except CALL_FAILURES as exc:
        return unread(ASSUME_ROLE.service, ASSUME_ROLE.operation, f"{arn}: {error_text(exc)}")
    try:
        wanted = list(regions) if regions else resolve_regions(target, all_regions=True,
                                                                endpoint_url=endpoint_url)
        account_id, lists = collect_regions(target, regions=wanted, endpoint_url=endpoint_url,
                                            max_workers=max_workers, pool=pool, progress=progress)
    except CallFailed as exc:
        return unread(exc.call.service, exc.call.operation, exc.message)
    if account_id != account.account_id:  # a role ARN of one account never signs into another
        return unread(CALLER_IDENTITY.service, CALLER_IDENTITY.operation,
                      f"{arn} signed into account {account_id}, not {account.account_id}")
    return AccountResult(account, lists)
