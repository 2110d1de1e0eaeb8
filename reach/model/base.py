"""The frozen base model and the value types, checked natively by pydantic-core at the edge (§1.1)."""
from __future__ import annotations

from functools import cache
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, TypeAdapter
from pydantic.alias_generators import to_pascal
from pydantic.dataclasses import dataclass as pydantic_dataclass


class AwsModel(BaseModel):
    """A frozen model of one AWS API shape: AWS field names as aliases, unknown keys ignored."""

    model_config = ConfigDict(
        frozen=True,
        extra="ignore",
        populate_by_name=True,
        alias_generator=to_pascal,
        serialize_by_alias=True,
    )


# Value patterns, run by pydantic-core's Rust regex engine: `[0-9]` is ASCII only (a Python `\d`
# also matches '١'), `$` is the end of the text (never before a trailing newline), and an octet
# has no leading zero, so whatever passes here `ipaddress` accepts too (tests/test_values.py).
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IPV4 = rf"{_OCTET}(?:\.{_OCTET}){{3}}"
_H = r"[0-9a-fA-F]{1,4}"
_IPV6 = "|".join([
    rf"(?:{_H}:){{7}}{_H}", rf"(?:{_H}:){{1,7}}:", rf"(?:{_H}:){{1,6}}:{_H}",
    rf"(?:{_H}:){{1,5}}(?::{_H}){{1,2}}", rf"(?:{_H}:){{1,4}}(?::{_H}){{1,3}}",
    rf"(?:{_H}:){{1,3}}(?::{_H}){{1,4}}", rf"(?:{_H}:){{1,2}}(?::{_H}){{1,5}}",
    rf"{_H}:(?::{_H}){{1,6}}", rf":(?:(?::{_H}){{1,7}}|:)"])
CIDR_PATTERN = (rf"^(?:{_IPV4}/(?:3[0-2]|[12][0-9]|[0-9])"
                rf"|(?:{_IPV6})/(?:12[0-8]|1[01][0-9]|[1-9][0-9]|[0-9]))$")
IP_PATTERN = rf"^(?:{_IPV4}|{_IPV6})$"
# IpProtocol: a name AWS accepts (tcp, udp, icmp, icmpv6; "all" from some tools), -1 or an IANA
# number 0-255. Any other name (`gre`) is refused by the API (IpPermission, CreateNetworkAclEntry:
# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html).
PROTOCOL_PATTERN = r"^(?i:tcp|udp|icmp|icmpv6|all|-1|25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$"
# A VPC route is `active` or `blackhole`; nothing else (EC2 API Route.State).
ROUTE_STATE_PATTERN = r"^(?i:active|blackhole)$"

# What a value failing each pattern is not, for load errors (`'10.0.0.0' is not a CIDR`).
PATTERN_NOUNS = {CIDR_PATTERN: "a CIDR (A.B.C.D/N or an IPv6 prefix)", IP_PATTERN: "an IP address",
                 PROTOCOL_PATTERN: "an IP protocol (tcp, udp, icmp, icmpv6, -1 or a number 0-255)",
                 ROUTE_STATE_PATTERN: "a route state (active or blackhole)"}


class _Canonical(dict):
    """IANA numbers that AWS writes either way ("6" or "tcp", contract §1.1) mapped to one
    spelling; a lookup in C per value, and any other value is itself."""

    def __missing__(self, key: str) -> str:
        return key


_PROTOCOL_NAMES = _Canonical({"6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6", "all": "-1"})


def _empty_to_none(value: object) -> object:
    return None if value == "" else value


Protocol = Annotated[str, Field(coerce_numbers_to_str=True),
                     StringConstraints(strip_whitespace=True, to_lower=True, pattern=PROTOCOL_PATTERN),
                     AfterValidator(_PROTOCOL_NAMES.__getitem__)]
"""An IP protocol, normalised: tcp, udp, icmp, icmpv6, -1 (all) or another IANA number."""
State = Annotated[str, StringConstraints(to_lower=True)]
"""A lifecycle state, lower-cased (`available` and `Available` are the same, contract §1.1)."""
RouteState = Annotated[str, StringConstraints(to_lower=True, pattern=ROUTE_STATE_PATTERN)]
Cidr = Annotated[str, StringConstraints(pattern=CIDR_PATTERN)]
IpAddress = Annotated[str, StringConstraints(pattern=IP_PATTERN)]
Port = Annotated[int, Field(ge=-1, le=65535)]
"""A security-group port, or an ICMP type or code; -1 is "all" for ICMP only (checks.py)."""
AclPort = Annotated[int, Field(ge=0, le=65535)]
OptionalId = Annotated[str | None, BeforeValidator(_empty_to_none)]
"""An id that AWS sometimes writes as "" for absent (a function's `VpcId` outside any VPC)."""


_SHAPE_CONFIG = ConfigDict(extra="ignore", populate_by_name=True, alias_generator=to_pascal,
                           serialize_by_alias=True)


def aws_shape(cls):
    """A small AWS shape held by the tens of thousands (a security group's rules and their peers):
    validated as an AwsModel is, but stored as a frozen dataclass with slots, without the
    per-instance dict and fields-set a model keeps (a third of a loaded snapshot's memory;
    docs/performance.md: Memory)."""
    shape = pydantic_dataclass(frozen=True, slots=True, kw_only=True, config=_SHAPE_CONFIG)(cls)
    # What callers of an AwsModel use: validate from the API's dict, dump back to it.
    shape.model_validate = classmethod(lambda c, data: _adapter(c).validate_python(data))
    shape.model_dump = lambda self, **kw: _adapter(type(self)).dump_python(self, **kw)
    return shape


@cache
def _adapter(shape: type) -> TypeAdapter:
    return TypeAdapter(shape)


class Tag(AwsModel):
    key: str
    value: str = ""


def name_tag(tags: list[Tag]) -> str | None:
    """Return the `Name` tag's value, if any."""
    return next((t.value for t in tags if t.key == "Name"), None)
