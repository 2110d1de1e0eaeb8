"""The frozen base model and the value normalisers applied once, at the edge (contract §1.1)."""
from __future__ import annotations

import ipaddress
import re
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict
from pydantic.alias_generators import to_pascal


class AwsModel(BaseModel):
    """A frozen model of one AWS API shape: AWS field names as aliases, unknown keys ignored."""

    model_config = ConfigDict(
        frozen=True,
        extra="ignore",
        populate_by_name=True,
        alias_generator=to_pascal,
        serialize_by_alias=True,
    )


# IANA protocol numbers that AWS writes either way: "tcp" or "6" (contract §1.1).
_PROTOCOL_NAMES = {"6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6", "all": "-1"}


_PROTOCOL_FAST = {"tcp": "tcp", "udp": "udp", "icmp": "icmp", "-1": "-1", "icmpv6": "icmpv6",
                  **_PROTOCOL_NAMES}


def _protocol(value: Any) -> Any:
    fast = _PROTOCOL_FAST.get(value) if isinstance(value, str) else None
    if fast is not None:
        return fast
    if isinstance(value, int):
        value = str(value)
    if isinstance(value, str):
        value = value.strip().lower()
        return _PROTOCOL_NAMES.get(value, value)
    return value


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _empty_to_none(value: Any) -> Any:
    return None if value == "" else value


_IPV4_CIDR = re.compile(r"^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})/(\d{1,2})$")


def _cidr(value: Any) -> Any:
    """Accept an IPv4 or IPv6 CIDR as AWS writes it; reject what AWS would never hold."""
    if not isinstance(value, str):
        return value  # pydantic's own str check reports the wrong type
    m = _IPV4_CIDR.match(value)
    if m:
        *octets, prefix = (int(g) for g in m.groups())
        if all(o <= 255 for o in octets) and prefix <= 32:
            return value
        raise ValueError(f"{value!r} is not a CIDR")
    try:
        ipaddress.ip_network(value, strict=False)
    except ValueError:
        raise ValueError(f"{value!r} is not a CIDR") from None
    return value


_IPV4 = re.compile(r"^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$")


def _ip(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    m = _IPV4.match(value)
    if m and all(int(g) <= 255 for g in m.groups()):
        return value
    try:
        ipaddress.ip_address(value)
    except ValueError:
        raise ValueError(f"{value!r} is not an IP address") from None
    return value


Protocol = Annotated[str, BeforeValidator(_protocol)]
"""An IP protocol, normalised: tcp, udp, icmp, icmpv6, -1 (all) or another IANA number."""
State = Annotated[str, BeforeValidator(_lower)]
"""A lifecycle state, lower-cased (`available` and `Available` are the same, contract §1.1)."""
Cidr = Annotated[str, BeforeValidator(_cidr)]
IpAddress = Annotated[str, BeforeValidator(_ip)]
OptionalId = Annotated[str | None, BeforeValidator(_empty_to_none)]
"""An id that AWS sometimes writes as "" for absent (a function's `VpcId` outside any VPC)."""


class Tag(AwsModel):
    key: str
    value: str = ""


def name_tag(tags: list[Tag]) -> str | None:
    """Return the `Name` tag's value, if any."""
    return next((t.value for t in tags if t.key == "Name"), None)
