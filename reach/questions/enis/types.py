"""The ENI plan as data: combinations, warnings, stale ENIs, capacity and the what-if."""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

from ...estate.lambda_enis import Key

DEFAULT_ENI_QUOTA = 500  # Lambda ENIs per VPC; older docs say 250 (1.16, D1)
MAX_SUBNETS = 16  # VpcConfig SubnetIds (1.17)
MAX_GROUPS = 5  # VpcConfig SecurityGroupIds (1.17)
# A missing ENI is expected while Lambda creates it (Pending, 1.9) or after it reclaimed it (1.11).
_WAITING_STATES = ("pending", "inactive")
# Calls whose absence (a Gap) makes part of the plan unknown, and the code that says so.
_GAP_CODES = {"DescribeNetworkInterfaces": "ENIS_NOT_COLLECTED", "ListFunctions": "FUNCTIONS_NOT_COLLECTED"}
# Warnings come out in this order: per combination, per stale ENI, capacity, configuration, data.
CODES = ("ENI_MISSING", "ENI_DRIFTED", "ENI_STALE", "ENI_ORPHANED", "SUBNET_FULL",
         "ENI_QUOTA_EXCEEDED", "VPC_CONFIG_TOO_MANY_SUBNETS", "VPC_CONFIG_TOO_MANY_GROUPS",
         "SINGLE_AZ", "IPV6_ONLY_SUBNET", "IPV6_SUBNET_NOT_DUAL_STACK", "SUBNET_NOT_IN_SNAPSHOT", "ENIS_NOT_COLLECTED", "FUNCTIONS_NOT_COLLECTED",
         "ROLE_LACKS_ENI_PERMISSIONS", "ROLE_ENI_PERMISSIONS_UNKNOWN")


class _Record:
    """Dump a data class as JSON-ready data: its fields in order, tuples as lists, then `derived`."""

    derived: ClassVar[tuple[str, ...]] = ()

    def to_dict(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in fields(self)}  # type: ignore[arg-type]
        out |= {name: getattr(self, name) for name in self.derived}
        return {k: list(v) if isinstance(v, tuple) else v for k, v in out.items()}


@dataclass(frozen=True)
class PlannedFunction:
    """A function that does not exist yet, or a new VpcConfig for an existing one's $LATEST."""

    name: str
    subnet_ids: tuple[str, ...]
    security_group_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class EniCombination(_Record):
    """One (subnet, security-group set), at least one shared ENI (1.5, 1.8): a row of contract §2.2."""

    vpc_id: str | None
    subnet_id: str
    availability_zone: str | None
    security_group_ids: tuple[str, ...]
    functions: tuple[str, ...]
    existing_eni_ids: tuple[str, ...]
    # Several accounts: the accounts of the functions (each owns its Hyperplane ENIs) and the
    # owner of the subnet (another account when it is shared through RAM). Absent otherwise.
    account_ids: tuple[str, ...] = ()
    subnet_owner_id: str | None = None

    @property
    def key(self) -> Key:
        return (self.subnet_id, self.security_group_ids)

    def to_dict(self) -> dict[str, Any]:
        out = super().to_dict()
        if not self.account_ids:
            del out["account_ids"], out["subnet_owner_id"]
        return out


@dataclass(frozen=True)
class EniWarning:
    """A finding with a stable code, the AWS id it is about, its rule numbers and its numbers."""

    code: str
    component_id: str
    rule: str
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "component_id": self.component_id, "rule": self.rule,
                **self.details}


@dataclass(frozen=True)
class StaleEni(_Record):
    """A Lambda ENI that no combination uses: Lambda deletes it, unless it is orphaned (1.7, 1.12)."""

    network_interface_id: str
    vpc_id: str | None
    subnet_id: str | None
    security_group_ids: tuple[str, ...]
    function: str | None
    orphaned: bool


@dataclass(frozen=True)
class SubnetCapacity(_Record):
    """Free IPv4 addresses of a subnet against the new ENIs its combinations need (1.5, 1.8)."""

    derived: ClassVar[tuple[str, ...]] = ("full",)

    subnet_id: str
    vpc_id: str | None
    availability_zone: str | None
    available_ip_address_count: int | None
    lambda_enis: int
    new_enis_needed: int

    @property
    def full(self) -> bool:
        return self.available_ip_address_count is not None and \
            self.available_ip_address_count < self.new_enis_needed


@dataclass(frozen=True)
class VpcCapacity(_Record):
    """A VPC's Lambda ENIs, existing and still needed, against the per-VPC quota (1.16)."""

    derived: ClassVar[tuple[str, ...]] = ("total", "exceeded")

    vpc_id: str
    lambda_enis: int
    new_enis_needed: int
    quota: int

    @property
    def total(self) -> int:
        return self.lambda_enis + self.new_enis_needed

    @property
    def exceeded(self) -> bool:
        return self.total > self.quota


@dataclass(frozen=True)
class WhatIf(_Record):
    """What a planned function would do: the combinations it reuses and those it creates (TC37)."""

    function: str
    vpc_id: str | None
    replaces: bool
    reused: tuple[Key, ...]
    created: tuple[Key, ...]
    would_exceed_quota: bool

    def to_dict(self) -> dict[str, Any]:
        keys = {k: [{"subnet_id": s, "security_group_ids": list(g)} for s, g in getattr(self, k)]
                for k in ("reused", "created")}
        return super().to_dict() | keys


@dataclass(frozen=True)
class EniPlan:
    """Every combination the functions need, what the snapshot holds for it, and the findings."""

    enis: tuple[EniCombination, ...]
    warnings: tuple[EniWarning, ...]
    stale: tuple[StaleEni, ...]
    subnets: tuple[SubnetCapacity, ...]
    vpcs: tuple[VpcCapacity, ...]
    eni_quota: int
    what_if: WhatIf | None = None

    @property
    def eni_count(self) -> int:
        """The least number of Hyperplane ENIs the layout needs: one per combination (1.8)."""
        return len(self.enis)

    def codes(self) -> list[tuple[str, str]]:
        return [(w.code, w.component_id) for w in self.warnings]

    def to_dict(self) -> dict[str, Any]:
        return {"enis": [c.to_dict() for c in self.enis],
                "warnings": [w.to_dict() for w in self.warnings],
                "stale": [s.to_dict() for s in self.stale],
                "capacity": {"eni_quota": self.eni_quota,
                             "subnets": [s.to_dict() for s in self.subnets],
                             "vpcs": [v.to_dict() for v in self.vpcs]},
                "what_if": self.what_if.to_dict() if self.what_if else None}
