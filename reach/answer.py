"""The answer of a reachability question as data: verdicts, hops, blockers. No wording, no printing."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, is_dataclass
from enum import Enum, StrEnum
from functools import lru_cache
from types import UnionType
from typing import Any, Union, get_args, get_origin, get_type_hints

from .catalogue import Code, FixCode, fix_text, reason_text, rule_of


class Verdict(StrEnum):
    REACHABLE = "reachable"
    UNREACHABLE = "unreachable"
    PARTIAL = "partial"
    UNKNOWN = "unknown"


class Decision(StrEnum):
    ALLOW = "allow"
    DENY = "deny"
    UNKNOWN = "unknown"


class Direction(StrEnum):
    """Which leg of the flow a hop is on: the request, or the reply coming back (0.3)."""

    OUTBOUND = "outbound"
    REPLY = "reply"


class Kind(StrEnum):
    """What kind of AWS component (or gate of one) a hop or blocker is."""

    LAMBDA_SERVICE = "lambda-service"
    SUBNET = "subnet"
    VPC = "vpc"
    SECURITY_GROUP_EGRESS = "security-group-egress"
    SECURITY_GROUP_INGRESS = "security-group-ingress"
    NETWORK_ACL_EGRESS = "network-acl-egress"
    NETWORK_ACL_INGRESS = "network-acl-ingress"
    ROUTE_TABLE = "route-table"
    ROUTE_TARGET = "route-target"
    INTERNET_GATEWAY = "internet-gateway"
    NAT_GATEWAY = "nat-gateway"
    NETWORK_INTERFACE = "network-interface"
    VPC_ENDPOINT = "vpc-endpoint"
    VPC_PEERING_CONNECTION = "vpc-peering-connection"
    TRANSIT_GATEWAY = "transit-gateway"
    TRANSIT_GATEWAY_ATTACHMENT = "transit-gateway-attachment"
    TRANSIT_GATEWAY_ROUTE_TABLE = "transit-gateway-route-table"
    DESTINATION = "destination"
    PREFIX_LIST = "prefix-list"
    FUNCTION = "function"
    EGRESS_ONLY_INTERNET_GATEWAY = "egress-only-internet-gateway"


Params = tuple[tuple[str, str], ...]


@dataclass(frozen=True, kw_only=True)
class Hop:
    """One gate on the path and what it decided. `detail` is for people only: what a program needs
    is typed (`direction`, the AWS ids in `refs`, the aws-rules.md number in `rule`)."""

    component_id: str
    kind: Kind
    decision: Decision
    detail: str
    direction: Direction = Direction.OUTBOUND
    refs: tuple[str, ...] = ()
    rule: str = ""
    blocked_upstream: bool = False
    """The packets of this hop were all stopped before it: the walk goes on only to name what
    else would stop them. A hop without it after a ✗ is for other packets, which went on."""

    def to_dict(self) -> dict[str, Any]:
        out = {"component_id": self.component_id, "kind": str(self.kind),
               "decision": self.decision.value, "detail": self.detail,
               "direction": self.direction.value, "refs": list(self.refs), "rule": self.rule}
        if self.blocked_upstream:
            out["blocked_upstream"] = True
        return out


# A blocker's words, made once per code and parameters: an audit words the same blocker for many
# functions. Parameters are strings (`Params`), so hashable. The last few thousand are kept: an
# audit asks VPC by VPC, so a blocker's repeats come close together (65,536 kept raised L's peak
# memory by 24 MiB for no more speed).
@lru_cache(maxsize=4096)
def _reason_of(code: Code, component_id: str, params: Params) -> str:
    return reason_text(code, component_id, dict(params))


@lru_cache(maxsize=4096)
def _fix_of(fix: FixCode, params: Params) -> str:
    return fix_text(fix, dict(params))


@dataclass(frozen=True, kw_only=True)
class Blocker:
    """Why a path does not get through: a stable code, the component, and the fix's parameters.

    `refs` are the other AWS ids the reason involves (a route's target, a peer VPC, ...)."""

    component_id: str
    kind: Kind
    code: Code
    params: Params = ()
    fix: FixCode | None = None
    fix_params: Params = ()
    missing: tuple[str, ...] = ()
    refs: tuple[str, ...] = ()

    @property
    def reason(self) -> str:
        return _reason_of(self.code, self.component_id, self.params)

    @property
    def fix_text(self) -> str | None:
        return _fix_of(self.fix, self.fix_params) if self.fix else None

    @property
    def rule(self) -> str:
        return rule_of(self.code)

    def to_dict(self) -> dict[str, Any]:
        return {"component_id": self.component_id, "kind": str(self.kind), "code": str(self.code),
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
    # The prefix lists that part is, as (id, name): `pl-02cd2c6b`, `DynamoDB`.
    reached_prefix_lists: list[tuple[str, str]] = field(default_factory=list)
    # The ids the hops would name, in order, when the walk did not build its hops (an audit
    # without --hops): what the account notes of an unknown path are drawn from.
    trail: list[str] = field(default_factory=list, repr=False, compare=False)

    @property
    def blocked_by(self) -> Blocker | None:
        return self.blockers[0] if self.blockers else None

    def copy(self) -> Path:
        """The same path with lists of its own (what `dataclasses.replace` gives, a third of its cost:
        the audit copies every memoised path it hands out)."""
        new = object.__new__(Path)
        new.__dict__.update(self.__dict__, hops=list(self.hops), blockers=list(self.blockers),
                            missing=list(self.missing))
        return new

    def to_dict(self, *, hops: bool = True) -> dict[str, Any]:
        """Contract §2.1's path; without `hops` for the audit's lean output (§2.3)."""
        out = path_head(self.subnet_id, self.availability_zone, self.security_group_ids, self.verdict)
        if hops:
            out["hops"] = [h.to_dict() for h in self.hops]
        out["blocked_by"] = self.blocked_by.to_dict() if self.blocked_by else None
        if len(self.blockers) > 1:
            out["also_blocked_by"] = [b.to_dict() for b in self.blockers[1:]]
        out.update(self.tail())
        return out

    def tail(self) -> dict[str, Any]:
        """The path's JSON fields after its blockers, those it has."""
        out: dict[str, Any] = {}
        if self.missing:
            out["missing"] = self.missing
        if self.reached:
            out["reached"] = self.reached
        if self.reached_prefix_lists:
            out["reached_prefix_lists"] = [{"prefix_list_id": i, "name": n} for i, n in self.reached_prefix_lists]
        return out


def path_head(subnet_id: str | None, az: str | None, groups: list[str], verdict: Verdict) -> dict[str, Any]:
    """A path's JSON fields before its hops and blockers (contract §2.1)."""
    return {"subnet_id": subnet_id, "availability_zone": az,
            "eni": {"subnet_id": subnet_id, "security_group_ids": groups} if subnet_id else None,
            "verdict": verdict.value}


@dataclass
class Answer:
    """The whole answer: what `can_reach` returns and `reach can --format json` prints."""

    source: dict[str, Any]
    target: dict[str, Any]
    verdict: Verdict
    paths: list[Path]
    notes: list[dict[str, str]] = field(default_factory=list)
    permission: Any = None  # reach.permissions.PermissionAnswer for dynamodb:TABLE, s3:BUCKET, logs
    ipv6: "Answer | None" = None
    """For `internet` from a dual-stack function: the same question over IPv6 (`internet6`, 1.23)."""

    @property
    def missing(self) -> list[str]:
        return sorted({m for p in self.paths for m in p.missing})

    def every_path(self) -> list[Path]:
        """The paths, then those of the IPv6 part."""
        return self.paths + (self.ipv6.paths if self.ipv6 else [])

    def to_dict(self, *, hops: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {"source": self.source, "target": self.target,
                               "verdict": self.verdict.value,
                               "paths": [p.to_dict(hops=hops) for p in self.paths]}
        out.update(self.tail(hops=hops))
        return out

    def tail(self, *, hops: bool = True) -> dict[str, Any]:
        """The answer's JSON fields after its paths, those it has (contract §2.1)."""
        out: dict[str, Any] = {}
        if self.missing:
            out["missing"] = self.missing
        if self.permission is not None:
            out["permission"] = self.permission.to_dict()
        if self.notes:
            out["notes"] = self.notes
        if self.ipv6 is not None:
            out["ipv6"] = {"target": self.ipv6.target, "verdict": self.ipv6.verdict.value,
                           "paths": [p.to_dict(hops=hops) for p in self.ipv6.paths]}
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


# --- plain data, for the answer cache: JSON-able values only, never pickle ---

def answer_to_plain(answer: Answer) -> dict[str, Any]:
    """Every field of the answer as JSON-able data; `answer_from_plain` gives it back, equal."""
    return asdict(answer)


def answer_from_plain(data: dict[str, Any]) -> Answer:
    """The answer `answer_to_plain` gave, rebuilt by the fields' declared types; a value of the
    wrong shape raises TypeError, KeyError or ValueError."""
    return _build(Answer, data)


_HINTS: dict[type, dict[str, Any]] = {}


def _build(tp: Any, value: Any) -> Any:
    origin, args = get_origin(tp), get_args(tp)
    if value is None or tp is Any:
        return value
    if origin in (Union, UnionType):
        return _build(next(a for a in args if a is not type(None)), value)
    if is_dataclass(tp):
        names = {f.name for f in fields(tp)}
        if not isinstance(value, dict) or set(value) != names:
            raise KeyError(f"not a {tp.__name__}")
        hints = _HINTS.get(tp) or _HINTS.setdefault(tp, get_type_hints(tp))
        return tp(**{n: _build(hints[n], value[n]) for n in names})
    if isinstance(tp, type) and issubclass(tp, Enum):
        return tp(value)
    if origin is list:
        return [_build(args[0], v) for v in value]
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_build(args[0], v) for v in value)
        if len(args) != len(value):
            raise ValueError("a tuple of the wrong length")
        return tuple(_build(a, v) for a, v in zip(args, value))
    if origin is dict:
        return dict(value)
    if isinstance(tp, type) and not isinstance(value, tp):
        raise TypeError(f"{value!r} is not a {tp.__name__}")
    return value
