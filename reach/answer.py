"""The answer of a reachability question as data: verdicts, hops, blockers. No wording, no printing."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from .catalogue import fix_text, reason_text


class Verdict(str, Enum):
    REACHABLE = "reachable"
    UNREACHABLE = "unreachable"
    PARTIAL = "partial"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return self.value


class Decision(str, Enum):
    ALLOW = "allow"
    DENY = "deny"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Hop:
    """One gate on the path and what it decided; `rule` points at the AWS object's entry."""

    component_id: str
    kind: str
    decision: Decision
    detail: str
    aws_rule: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"component_id": self.component_id, "kind": self.kind,
                "decision": self.decision.value, "detail": self.detail}


@dataclass(frozen=True)
class Blocker:
    """Why a path does not get through: a stable code, the component, and the fix's parameters."""

    component_id: str
    kind: str
    code: str
    params: tuple[tuple[str, str], ...] = ()
    fix: str | None = None
    fix_params: tuple[tuple[str, str], ...] = ()
    missing: tuple[str, ...] = ()

    @property
    def reason(self) -> str:
        return reason_text(self.code, self.component_id, dict(self.params))

    @property
    def fix_text(self) -> str | None:
        return fix_text(self.fix, dict(self.fix_params)) if self.fix else None

    def to_dict(self) -> dict[str, Any]:
        return {"component_id": self.component_id, "kind": self.kind, "code": self.code,
                "reason": self.reason, "fix": self.fix_text}


@dataclass
class Path:
    """One Hyperplane ENI (one subnet of the VpcConfig), or the Lambda service network."""

    subnet_id: str | None
    availability_zone: str | None
    security_group_ids: list[str]
    verdict: Verdict
    hops: list[Hop] = field(default_factory=list)
    blockers: list[Blocker] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    reached: str | None = None  # which part of the destination set got through, when partly

    @property
    def blocked_by(self) -> Blocker | None:
        return self.blockers[0] if self.blockers else None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "subnet_id": self.subnet_id, "availability_zone": self.availability_zone,
            "eni": ({"subnet_id": self.subnet_id, "security_group_ids": self.security_group_ids}
                    if self.subnet_id else None),
            "verdict": self.verdict.value,
            "hops": [h.to_dict() for h in self.hops],
            "blocked_by": self.blocked_by.to_dict() if self.blocked_by else None,
        }
        if len(self.blockers) > 1:
            out["also_blocked_by"] = [b.to_dict() for b in self.blockers[1:]]
        if self.missing:
            out["missing"] = self.missing
        if self.reached:
            out["reached"] = self.reached
        return out


@dataclass
class Answer:
    """The whole answer: what `can_reach` returns and `reach can --format json` prints."""

    source: dict[str, Any]
    target: dict[str, Any]
    verdict: Verdict
    paths: list[Path]
    notes: list[dict[str, str]] = field(default_factory=list)
    ipv6: "Answer | None" = None
    """For `internet` from a dual-stack function: the same question over IPv6 (`internet6`, 1.23)."""

    @property
    def missing(self) -> list[str]:
        return sorted({m for p in self.paths for m in p.missing})

    def every_path(self) -> list[Path]:
        """The paths, then those of the IPv6 part."""
        return self.paths + (self.ipv6.paths if self.ipv6 else [])

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"source": self.source, "target": self.target,
                               "verdict": self.verdict.value,
                               "paths": [p.to_dict() for p in self.paths]}
        if self.missing:
            out["missing"] = self.missing
        if self.notes:
            out["notes"] = self.notes
        if self.ipv6 is not None:
            out["ipv6"] = {"target": self.ipv6.target, "verdict": self.ipv6.verdict.value,
                           "paths": [p.to_dict() for p in self.ipv6.paths]}
        return out


def aggregate(paths: list[Path], *, partly_reached: bool = False) -> Verdict:
    """All paths reach: reachable; none: unreachable; some: partial; any unknown: unknown (0.1)."""
    verdicts = {p.verdict for p in paths}
    if not paths or Verdict.UNKNOWN in verdicts:
        return Verdict.UNKNOWN
    if verdicts == {Verdict.REACHABLE}:
        return Verdict.REACHABLE
    if Verdict.REACHABLE in verdicts or partly_reached:
        return Verdict.PARTIAL
    return Verdict.UNREACHABLE
