"""AWS's policy evaluation logic for one request: explicit deny wins, then every gate must allow.

Sources (docs/semantics.md "Permissions"): "How AWS enforcement code logic evaluates requests"
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html
and "Policy evaluation for requests within a single account"
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from ..model.iam import PolicyDocument, Statement
from .conditions import Context, evaluate_condition
from .match import Resource, Tri, action_matches, resource_matches, t_and, t_not, t_or


class PolicyKind(StrEnum):
    """Where a policy sits in the evaluation."""

    IDENTITY = "identity"  # the role's inline and attached managed policies
    BOUNDARY = "boundary"  # the role's permissions boundary
    SCP = "scp"  # service control policies, per level of the organization
    RCP = "rcp"  # resource control policies, per level
    RESOURCE = "resource"  # the table's, bucket's or function's own policy
    ENDPOINT = "endpoint"  # the VPC endpoint's policy, when the path goes through it


class Verdict(StrEnum):
    ALLOWED = "allowed"
    DENIED = "denied"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Caller:
    """The principal making the call: a Lambda function's execution-role session."""

    role_arn: str
    account: str
    session_arn: str | None = None  # arn:aws:sts::ACCOUNT:assumed-role/ROLE/FUNCTION


@dataclass(frozen=True)
class Request:
    action: str  # canonical, "dynamodb:PutItem"
    resource: Resource
    resource_account: str | None  # None: the caller's account
    caller: Caller
    context: Context = field(default_factory=Context)


@dataclass(frozen=True)
class Policy:
    """One policy document and its name as contract §2.1 spells it; `document` None: not in the
    snapshot, so its statements are unknown (`missing` says what is missing)."""

    name: str
    kind: PolicyKind
    document: PolicyDocument | None
    level: str | None = None  # the SCP/RCP level (root, OU or account id)
    missing: str | None = None


@dataclass(frozen=True)
class Decider:
    """A statement that decided: contract §2.1's `{"policy", "sid", "effect"}`."""

    policy: str
    sid: str | None
    effect: str


@dataclass(frozen=True)
class Unknown:
    """Why a statement or policy could not be judged: a condition key, a partial resource, data."""

    policy: str
    sid: str | None
    reason: str  # "condition", "resource", "operator", "variable", "missing"
    detail: str


@dataclass
class Judged:
    """The result of one statement: does it apply, and if not decided, why."""

    applies: Tri
    unknowns: list[tuple[str, str]] = field(default_factory=list)
    principal_kinds: frozenset[str] = frozenset()


def _principal_kinds(principals: dict[str, list[str]], caller: Caller) -> frozenset[str]:
    """Which ways the caller is named: `any`, `account`, `role` or `session` (Principal element)."""
    kinds: set[str] = set()
    for kind, values in principals.items():
        if kind not in ("*", "AWS"):
            continue  # Service, Federated, CanonicalUser never name a role session
        for value in values:
            if value == "*":
                kinds.add("any")
            elif value in (caller.account, f"arn:aws:iam::{caller.account}:root"):
                kinds.add("account")
            elif value == caller.role_arn:
                kinds.add("role")
            elif caller.session_arn and value == caller.session_arn:
                kinds.add("session")
    return frozenset(kinds)


def judge_statement(stmt: Statement, req: Request, *, resource_based: bool,
                    has_boundary: bool = False) -> Judged:
    """Does one statement apply to the request? Every element must match (AND)."""
    if stmt.action is not None:
        act = any(action_matches(p, req.action) for p in stmt.action)
    else:
        act = not any(action_matches(p, req.action) for p in stmt.not_action or [])
    if not act:
        return Judged(False)
    unknowns: list[tuple[str, str]] = []
    parts: list[Tri] = []
    if stmt.resource is not None or stmt.not_resource is not None:
        patterns = stmt.resource if stmt.resource is not None else stmt.not_resource
        variables = [p for p in patterns if "${" in p]
        if variables:
            unknowns.append(("variable", variables[0]))
            res = None
        else:
            res = t_or(*(resource_matches(p, req.resource) for p in patterns))
        if stmt.resource is None:
            res = t_not(res)
        if res is None and not variables:
            unknowns.append(("resource", ", ".join(patterns)))
        parts.append(res)
    kinds: frozenset[str] = frozenset()
    if resource_based:
        if stmt.principal is not None:
            kinds = _principal_kinds(stmt.principal, req.caller)
            parts.append(bool(kinds))
        elif stmt.not_principal is not None:
            # A Deny with NotPrincipal always denies a principal that has a permissions boundary
            # (IAM User Guide, "Permissions boundaries for IAM entities").
            named = bool(_principal_kinds(stmt.not_principal, req.caller))
            parts.append(True if (stmt.effect == "Deny" and has_boundary) else not named)
            kinds = frozenset({"any"})
        else:
            parts.append(False)
    if stmt.condition:
        cond = evaluate_condition(stmt.condition, req.context)
        parts.append(cond.applies)
        if cond.applies is None:
            unknowns += [("condition", k) for k in cond.unknown_keys]
            unknowns += [("operator", op) for op in cond.unknown_operators]
    applies = t_and(*parts)
    return Judged(applies, unknowns if applies is None else [], kinds)


@dataclass
class PolicySetResult:
    """All statements of one gate (one kind, or one SCP level) for one request."""

    allow: Tri = False
    deny: Tri = False
    allow_by: list[Decider] = field(default_factory=list)
    deny_by: list[Decider] = field(default_factory=list)
    unknowns: list[Unknown] = field(default_factory=list)
    # For resource policies: the principal kinds of the statements that surely allow.
    allow_kinds: set[str] = field(default_factory=set)
    maybe_kinds: set[str] = field(default_factory=set)


def judge_policies(policies: list[Policy], req: Request, *, has_boundary: bool = False) -> PolicySetResult:
    """Evaluate a gate's policies: any Allow grants, any Deny denies; unknowns stay unknown."""
    out = PolicySetResult()
    allows: list[Tri] = []
    denies: list[Tri] = []
    for policy in policies:
        if policy.document is None:
            allows.append(None)
            denies.append(None)
            out.maybe_kinds.add("role")
            out.unknowns.append(Unknown(policy.name, None, "missing", policy.missing or policy.name))
            continue
        resource_based = policy.kind in (PolicyKind.RESOURCE, PolicyKind.ENDPOINT, PolicyKind.RCP)
        for stmt in policy.document.statement:
            j = judge_statement(stmt, req, resource_based=resource_based, has_boundary=has_boundary)
            if j.applies is False:
                continue
            decider = Decider(policy.name, stmt.sid, stmt.effect)
            if stmt.effect == "Deny":
                denies.append(j.applies)
                if j.applies:
                    out.deny_by.append(decider)
            else:
                allows.append(j.applies)
                if j.applies:
                    out.allow_by.append(decider)
                    out.allow_kinds |= j.principal_kinds
                else:
                    out.maybe_kinds |= j.principal_kinds
            if j.applies is None:
                out.unknowns += [Unknown(policy.name, stmt.sid, r, d) for r, d in j.unknowns]
    out.allow = t_or(*allows) if allows else False
    out.deny = t_or(*denies) if denies else False
    return out
