"""Join the permission half to an answer: the role's policies, and the endpoint policies of the
paths the engine found (contract §2.1, docs/semantics.md §P)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..answer import Path, Verdict
from ..errors import ReachInputError
from .targets import Destination, Target

if TYPE_CHECKING:  # the policy evaluator is imported only when a question judges a permission
    from ..estate import Estate
    from ..model import Function, Snapshot
    from ..permissions import PermissionAnswer


def endpoint_channels(paths: list[Path], dest: Destination | None) -> list[str | None]:
    """The VPC endpoints the paths go through (aws:SourceVpce); None for a path through none."""
    if dest is not None and dest.kind == "endpoint":
        return [dest.component_id]
    channels: list[str | None] = []
    for p in paths:
        through = [h.component_id for h in p.hops if h.kind == "vpc-endpoint"]
        channels += through or [None]
    return list(dict.fromkeys(channels)) or [None]


def judge(snapshot: Snapshot, estate: Estate, fn: Function, tgt: Target, *, region: str,
          vpc_id: str | None, paths: list[Path], dest: Destination | None,
          actions: list[str] | None) -> PermissionAnswer:
    """The permission of `dynamodb:TABLE`, `s3:BUCKET` or `logs` for the function's role."""
    from ..permissions import DEFAULT_ACTIONS, judge_logs, judge_permission
    account = estate.accounts.account_of(fn) or "unknown"
    if tgt.kind == "logs":
        if actions:
            raise ReachInputError("--action does not apply to logs: it judges "
                                  "logs:CreateLogStream, logs:PutLogEvents and logs:CreateLogGroup")
        group = fn.logging_config.log_group if fn.logging_config else None
        return judge_logs(snapshot, fn, account=account, region=region, log_group=group)
    return judge_permission(snapshot, fn, service=tgt.kind, name=tgt.resource,
                            actions=actions or DEFAULT_ACTIONS[tgt.kind], account=account,
                            region=region, endpoint_ids=endpoint_channels(paths, dest),
                            vpc_id=vpc_id)


def combine(network: Verdict, permission: PermissionAnswer | None) -> Verdict:
    """Contract §2.1: unreachable when the path is or any action is denied; else unknown when
    either is unknown; else the path's verdict."""
    if permission is None:
        return network
    from ..permissions import Verdict as Allowed
    if network is Verdict.UNREACHABLE or permission.verdict is Allowed.DENIED:
        return Verdict.UNREACHABLE
    if network is Verdict.UNKNOWN or permission.verdict is Allowed.UNKNOWN:
        return Verdict.UNKNOWN
    return network
