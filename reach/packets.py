"""Sets of IPv4 addresses and ports as sorted, disjoint integer intervals (the engine's packet sets)."""
from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Iterable, Iterator

_MAX = 2**32 - 1


class IntervalSet:
    """An immutable set of non-negative integers held as sorted disjoint closed intervals."""

    __slots__ = ("spans",)

    def __init__(self, spans: Iterable[tuple[int, int]] = ()) -> None:
        merged: list[tuple[int, int]] = []
        for lo, hi in sorted(spans):
            if lo > hi:
                continue
            if merged and lo <= merged[-1][1] + 1:
                if hi > merged[-1][1]:
                    merged[-1] = (merged[-1][0], hi)
            else:
                merged.append((lo, hi))
        self.spans: tuple[tuple[int, int], ...] = tuple(merged)

    @classmethod
    def _raw(cls, spans: list[tuple[int, int]]) -> "IntervalSet":
        s = cls.__new__(cls)
        s.spans = tuple(spans)
        return s

    def __bool__(self) -> bool:
        return bool(self.spans)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, IntervalSet) and self.spans == other.spans

    def __hash__(self) -> int:
        return hash(self.spans)

    def __repr__(self) -> str:
        return f"IntervalSet({list(self.spans)})"

    def __or__(self, other: "IntervalSet") -> "IntervalSet":
        return IntervalSet(self.spans + other.spans)

    def __and__(self, other: "IntervalSet") -> "IntervalSet":
        out, a, b, i, j = [], self.spans, other.spans, 0, 0
        while i < len(a) and j < len(b):
            lo, hi = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
            if lo <= hi:
                out.append((lo, hi))
            if a[i][1] < b[j][1]:
                i += 1
            else:
                j += 1
        return IntervalSet._raw(out)

    def __sub__(self, other: "IntervalSet") -> "IntervalSet":
        out: list[tuple[int, int]] = []
        b, j = other.spans, 0
        for lo, hi in self.spans:
            while j < len(b) and b[j][1] < lo:
                j += 1
            k, cur = j, lo
            while k < len(b) and b[k][0] <= hi:
                if b[k][0] > cur:
                    out.append((cur, b[k][0] - 1))
                cur = max(cur, b[k][1] + 1)
                k += 1
            if cur <= hi:
                out.append((cur, hi))
        return IntervalSet._raw(out)

    def __le__(self, other: "IntervalSet") -> bool:
        return not (self - other)

    def __contains__(self, value: int) -> bool:
        return any(lo <= value <= hi for lo, hi in self.spans)

    def size(self) -> int:
        return sum(hi - lo + 1 for lo, hi in self.spans)

    def first(self) -> int:
        return self.spans[0][0]


EMPTY = IntervalSet()
ALL_ADDRESSES = IntervalSet([(0, _MAX)])
ALL_PORTS = IntervalSet([(0, 65535)])
EPHEMERAL = IntervalSet([(1024, 65535)])
"""Lambda's and a NAT gateway's source ports, which replies are sent to (1.25, 2.18, 5.6)."""


@lru_cache(maxsize=65536)
def cidr_set(cidr: str) -> IntervalSet:
    """The addresses of an IPv4 CIDR; an IPv6 CIDR is the empty set (IPv4 and IPv6 route apart, 2.4)."""
    net = ipaddress.ip_network(cidr, strict=False)
    if net.version != 4:
        return EMPTY
    return IntervalSet._raw([(int(net.network_address), int(net.broadcast_address))])


def union(sets: Iterable[IntervalSet]) -> IntervalSet:
    out = EMPTY
    for s in sets:
        out = out | s
    return out


def cidrs_set(cidrs: Iterable[str]) -> IntervalSet:
    out = EMPTY
    for c in cidrs:
        out = out | cidr_set(c)
    return out


def ip_int(address: str) -> int:
    return int(ipaddress.IPv4Address(address))


def ip_set(addresses: Iterable[str]) -> IntervalSet:
    return IntervalSet((ip_int(a), ip_int(a)) for a in addresses if ":" not in a)


def port_set(lo: int | None, hi: int | None) -> IntervalSet:
    lo = 0 if lo is None or lo < 0 else lo
    hi = 65535 if hi is None or hi < 0 else hi
    return IntervalSet([(lo, hi)])


# Addresses that are not on the public internet: RFC1918, RFC6598 (2.12), loopback, link-local,
# "this network", multicast and reserved.
NOT_PUBLIC = cidrs_set(["0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16",
                        "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/3"])
PUBLIC = ALL_ADDRESSES - NOT_PUBLIC
PRIVATE = cidrs_set(["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"])
SHARED_SPACE = cidrs_set(["100.64.0.0/10"])  # RFC 6598


def usable_subnet_addresses(cidr: str) -> IntervalSet:
    """A subnet's addresses less the first four and the last, which AWS reserves."""
    s = cidr_set(cidr)
    if not s:
        return s
    lo, hi = s.spans[0]
    return IntervalSet([(lo + 4, hi - 1)]) if hi - lo >= 5 else EMPTY


def to_cidrs(s: IntervalSet, limit: int = 6) -> list[str]:
    """Describe a set as CIDRs (at most `limit`, then "..."), for explanations."""
    out: list[str] = []
    for lo, hi in s.spans:
        for net in ipaddress.summarize_address_range(ipaddress.IPv4Address(lo), ipaddress.IPv4Address(hi)):
            out.append(str(net) if net.prefixlen < 32 else str(net.network_address))
            if len(out) > limit:
                return out[:limit] + ["..."]
    return out


def iter_addresses(s: IntervalSet) -> Iterator[str]:
    for lo, hi in s.spans:
        for v in range(lo, hi + 1):
            yield str(ipaddress.IPv4Address(v))


def describe(s: IntervalSet, limit: int = 3) -> str:
    """Name a set for people: "the internet" for most public addresses, else a few CIDRs."""
    if s.size() > 2**31:
        return "public addresses (0.0.0.0/0)"
    return ", ".join(to_cidrs(s, limit))
