"""Does each VPC function's execution role let Lambda manage its Hyperplane ENIs (rule 1.20)?"""
from __future__ import annotations

from typing import Iterable

from ...estate import Estate
from ...model import Function
from ...permissions import Verdict, judge_eni
from ...permissions.sources import IamIndex
from .types import EniWarning


def eni_checked(estate: Estate, functions: Iterable[Function]) -> list[Function]:
    """The functions whose roles `eni_permission_warnings` judges: those in a VPC, one per
    (account, name), in order."""
    out: list[Function] = []
    seen: set[tuple[str, str]] = set()
    for fn in functions:
        account = estate.accounts.account_of(fn) or "unknown"
        if fn.vpc_config is None or (account, fn.function_name) in seen:
            continue
        seen.add((account, fn.function_name))
        out.append(fn)
    return out


def eni_permission_warnings(estate: Estate, functions: Iterable[Function]) -> list[EniWarning]:
    """One warning per VPC function whose role does not allow the ENI actions, or, where the
    snapshot holds the account's roles, whose role cannot be judged."""
    return eni_warnings_of(estate, eni_checked(estate, functions))


def eni_warnings_of(estate: Estate, checked: list[Function]) -> list[EniWarning]:
    """`eni_permission_warnings` of functions `eni_checked` already chose."""
    out: list[EniWarning] = []
    index = IamIndex.of(estate.snapshot)
    for fn in checked:
        account = estate.accounts.account_of(fn) or "unknown"
        held = index.account(account)
        if not held.roles and not held.scp and not held.rcp:
            # No role, SCP or RCP of the account in the snapshot: no policy can allow or deny the
            # ENI actions (docs/semantics.md P1, P2, P4, P5), so the answer is unknown, which is
            # not said per function (below). Not judged: on an estate collected without IAM that
            # was 7 % of an audit's work (docs/performance.md).
            continue
        region = estate.accounts.region_of(fn) or "unknown"
        answer = judge_eni(estate.snapshot, fn, account=account, region=region)
        if answer.verdict is Verdict.ALLOWED:
            continue
        if answer.verdict is Verdict.UNKNOWN and not index.account(account).roles:
            continue  # no IAM data at all: nothing to say per function
        code = ("ROLE_LACKS_ENI_PERMISSIONS" if answer.verdict is Verdict.DENIED
                else "ROLE_ENI_PERMISSIONS_UNKNOWN")
        actions = [a.action for a in answer.actions if a.verdict is answer.verdict]
        details = {"function": fn.function_name, "role": fn.role, "actions": actions}
        fix = answer.to_dict().get("fix")
        if fix:
            details["fix"] = fix
        out.append(EniWarning(code, fn.function_name, "1.20, 1.9, 1.11", details))
    return out
