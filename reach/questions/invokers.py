"""Who may invoke a function: the principals of its resource policy, and a function URL anyone may call."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..engine.query import find_function
from ..estate import Estate
from ..model import Snapshot
from ..permissions.sources import IamIndex

# Conditions that narrow who a service principal acts for (Lambda resource-based policies).
_SCOPING = {"aws:sourcearn", "aws:sourceaccount", "aws:principalorgid", "aws:sourceorgid"}


@dataclass(frozen=True)
class Invoker:
    """One Allow statement of the function policy, as the principal it admits."""

    sid: str | None
    effect: str
    kind: str  # public | account | principal | service
    principal: str
    actions: tuple[str, ...]
    conditions: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    public: bool = False  # anyone at all, with no condition that narrows who

    def to_dict(self) -> dict[str, Any]:
        return {"sid": self.sid, "effect": self.effect, "kind": self.kind, "principal": self.principal,
                "actions": list(self.actions), "conditions": self.conditions, "public": self.public}


@dataclass(frozen=True)
class Invokers:
    function: str
    arn: str | None
    policy: str  # present | none | not-collected
    invokers: list[Invoker]
    urls: list[dict[str, Any]]
    gap: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {"function": self.function, "arn": self.arn, "policy": self.policy,
               "invokers": [i.to_dict() for i in self.invokers], "function_urls": self.urls}
        if self.gap:
            out["gap"] = self.gap
        return out


def _kind(principal_type: str, value: str) -> str:
    if value == "*":
        return "public"
    if principal_type == "Service":
        return "service"
    if value.isdigit() or value.endswith(":root"):
        return "account"
    return "principal"


def invokers(snapshot: Snapshot, source: str) -> Invokers:
    """The function's resource policy, statement by statement, and its URLs (AuthType NONE: public)."""
    estate = Estate.of(snapshot)
    fn = find_function(estate, source)
    account = estate.accounts.account_of(fn) or "unknown"
    acc = IamIndex.of(snapshot).account(account)
    qualifier = None if fn.version == "$LATEST" else fn.version
    fp = acc.function_policies.get((fn.function_name, qualifier))
    gap = next((e for e in acc.gaps.get("GetPolicy", [])
                if e.split(": ", 1)[0] in (fn.function_name, fn.qualified_name)), None)
    found: list[Invoker] = []
    for stmt in fp.policy.statement if fp else []:
        keys = {k.lower() for block in stmt.condition.values() for k in block}
        scoped = bool(keys & _SCOPING)
        for ptype, values in (stmt.principal or {}).items():
            for value in values:
                kind = _kind(ptype, value)
                found.append(Invoker(stmt.sid, stmt.effect, kind, value, tuple(stmt.action or ()),
                                     stmt.condition, public=kind == "public" and not scoped))
    urls = [{"function_url": u.function_url, "auth_type": u.auth_type,
             "public": (u.auth_type or "").upper() == "NONE"}
            for u in acc.url_configs
            if fn.function_arn and u.function_arn.split(":function:")[-1].split(":")[0] == fn.function_name]
    policy = "present" if fp else ("not-collected" if gap else "none")
    return Invokers(fn.qualified_name, fn.function_arn, policy, found, urls, gap)
