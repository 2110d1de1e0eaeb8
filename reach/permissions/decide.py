"""Combine the gates into one verdict per action, with what decided it and the smallest fix.

The order is AWS's (docs/semantics.md "Permissions", P1 to P7): an explicit Deny in any policy
denies (P1); otherwise SCPs (P4), RCPs (P5), the VPC endpoint policy (P6) must each allow, and so
must the identity policy or a same-account resource policy, within the permissions boundary (P2,
P3); a cross-account resource needs both the identity policy and its resource policy (P3)."""
from __future__ import annotations

from dataclasses import dataclass, field

from .evaluate import (Decider, Policy, PolicyKind, PolicySetResult, Request, Unknown, Verdict,
                       judge_policies)
from .match import Tri, t_and, t_or

_EVERY_KIND = frozenset({"any", "account", "role", "session"})


@dataclass(frozen=True)
class Gates:
    """The policies that govern one request. None: the gate does not exist (or was not judged)."""

    identity: list[Policy]
    role: str  # the role's ARN: where an identity fix goes
    boundary: Policy | None = None
    scp_levels: list[list[Policy]] | None = None
    rcp_levels: list[list[Policy]] | None = None
    resource: list[Policy] | None = None  # [] when the resource has no policy
    resource_name: str | None = None  # the resource's ARN, naming its policy
    endpoint: Policy | None = None


@dataclass(frozen=True)
class Fix:
    """The smallest change: add `statement` to `policy`, or edit out the Deny `sid` there."""

    kind: PolicyKind
    policy: str
    statement: dict | None = None  # the statement to add, as JSON
    remove_sid: str | None = None  # the Deny statement to remove or narrow
    remove_effect: str | None = None


@dataclass(frozen=True)
class ActionDecision:
    action: str
    resource: str
    verdict: Verdict
    decided_by: list[Decider]
    not_allowed_by: list[str] = field(default_factory=list)  # gates with no Allow (implicit deny)
    unknowns: list[Unknown] = field(default_factory=list)
    fixes: list[Fix] = field(default_factory=list)


def _kinds(result: PolicySetResult | None, kinds: frozenset[str]) -> Tri:
    if result is None:
        return False
    if result.allow_kinds & kinds:
        return True
    return None if result.maybe_kinds & kinds else False


def decide(req: Request, gates: Gates) -> ActionDecision:
    """Judge one request against its gates (P1 to P7)."""
    boundary = [gates.boundary] if gates.boundary else []
    has_boundary = bool(boundary)
    ident = judge_policies(gates.identity, req)
    bound = judge_policies(boundary, req) if boundary else None
    scps = [judge_policies(level, req) for level in gates.scp_levels or []]
    rcps = [judge_policies(level, req) for level in gates.rcp_levels or []]
    res = (judge_policies(gates.resource, req, has_boundary=has_boundary)
           if gates.resource is not None else None)
    if res is not None and any(p.document is None for p in gates.resource or []):
        res.maybe_kinds |= _EVERY_KIND
    endpoint = judge_policies([gates.endpoint], req) if gates.endpoint else None
    results = [r for r in (ident, bound, *scps, *rcps, res, endpoint) if r is not None]
    resource = str(req.resource)

    denies = [d for r in results for d in r.deny_by]
    if denies:  # P1: an explicit deny in any policy
        return ActionDecision(req.action, resource, Verdict.DENIED, denies,
                              fixes=[Fix(_kind_of(gates, d.policy), d.policy, remove_sid=d.sid or "",
                                         remove_effect="Deny") for d in denies])

    bound_allow = bound.allow if bound else True
    same_account = req.resource_account in (None, req.caller.account)
    if same_account:  # P2, P3: identity or same-account resource policy, within the boundary
        grant = t_or(t_and(ident.allow, bound_allow),
                     t_and(_kinds(res, frozenset({"role", "any"})), bound_allow),
                     _kinds(res, frozenset({"session"})))
    else:
        grant = t_and(ident.allow, bound_allow, _kinds(res, _EVERY_KIND))
    gates_allow: list[tuple[Tri, str, PolicyKind]] = [(grant, gates.role, PolicyKind.IDENTITY)]
    for level, r in zip(gates.scp_levels or [], scps):
        gates_allow.append((r.allow, _level_name(level), PolicyKind.SCP))
    for level, r in zip(gates.rcp_levels or [], rcps):
        gates_allow.append((r.allow, _level_name(level), PolicyKind.RCP))
    if endpoint is not None and gates.endpoint:
        gates_allow.append((endpoint.allow, gates.endpoint.name, PolicyKind.ENDPOINT))
    final = t_and(*(a for a, _, _ in gates_allow))
    maybe_deny = any(r.deny is None for r in results)
    unknowns = [u for r in results for u in r.unknowns]

    if final is False:
        failing = [(name, kind) for a, name, kind in gates_allow if a is False]
        if grant is False:
            failing = [(n, k) for n, k in failing if k is not PolicyKind.IDENTITY]
            failing = _grant_failures(gates, ident, bound, res, same_account) + failing
        fixes = [_add_fix(kind, name, req) for name, kind in failing]
        return ActionDecision(req.action, resource, Verdict.DENIED, [],
                              [name for name, _ in failing], fixes=fixes)
    if final is True and not maybe_deny:
        deciders = [d for r in results for d in r.allow_by]
        return ActionDecision(req.action, resource, Verdict.ALLOWED, deciders)
    return ActionDecision(req.action, resource, Verdict.UNKNOWN,
                          [d for r in results for d in r.allow_by], unknowns=unknowns)


def _grant_failures(gates: Gates, ident: PolicySetResult, bound: PolicySetResult | None,
                    res: PolicySetResult | None, same_account: bool) -> list[tuple[str, PolicyKind]]:
    """Which of identity, boundary and resource policy left the implicit deny (P2, P3)."""
    out: list[tuple[str, PolicyKind]] = []
    if ident.allow is False:
        out.append((gates.role, PolicyKind.IDENTITY))
    if bound is not None and bound.allow is False and gates.boundary:
        out.append((gates.boundary.name, PolicyKind.BOUNDARY))
    if not same_account and (res is None or not (res.allow_kinds or res.maybe_kinds)):
        out.append((gates.resource_name or "resource policy", PolicyKind.RESOURCE))
    return out


def _level_name(level: list[Policy]) -> str:
    return level[0].level if level and level[0].level else "SCP level"


def _kind_of(gates: Gates, policy: str) -> PolicyKind:
    every = [*gates.identity, *([gates.boundary] if gates.boundary else []),
             *(p for lv in gates.scp_levels or [] for p in lv),
             *(p for lv in gates.rcp_levels or [] for p in lv),
             *(gates.resource or []), *([gates.endpoint] if gates.endpoint else [])]
    return next((p.kind for p in every if p.name == policy), PolicyKind.IDENTITY)


def _add_fix(kind: PolicyKind, name: str, req: Request) -> Fix:
    statement: dict = {"Effect": "Allow", "Action": req.action, "Resource": str(req.resource)}
    if kind in (PolicyKind.RESOURCE, PolicyKind.ENDPOINT):
        statement = {"Effect": "Allow", "Principal": {"AWS": req.caller.role_arn}, **statement}
        statement = {k: statement[k] for k in ("Effect", "Principal", "Action", "Resource")}
    return Fix(kind, name, statement=statement)
