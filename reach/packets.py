"""Sets of IPv4 and IPv6 addresses and ports as sorted, disjoint integer intervals (the engine's packet sets).

Both address families live on one integer line, kept apart: an IPv4 address is its 32-bit value,
an IPv6 address is its 128-bit value plus `V6` (2**32). So `0.0.0.0/0` never covers an IPv6
address and `::/0` never covers an IPv4 one (aws-rules 2.4), while every gate narrows both
families with the same interval algebra."""
from __future__ import annotations

import ipaddress
from bisect import bisect_right
from functools import lru_cache
from typing import Iterable

_MAX = 2**32 - 1
V6 = 2**32
"""Where IPv6 starts on the address line: IPv6 address `a` is the integer `V6 + int(a)`."""
_MAX6 = V6 + 2**128 - 1


class IntervalSet(tuple):
    """An immutable set of non-negative integers held as sorted disjoint closed intervals.

    The set is the tuple of its intervals, so truth, hashing and equality run in C: the walk asks
    them millions of times. Order comparisons are refused (they would compare tuples, not sets)."""

    __slots__ = ()

    def __new__(cls, spans: Iterable[tuple[int, int]] = ()) -> "IntervalSet":
        merged: list[tuple[int, int]] = []
        for lo, hi in sorted(spans):
            if lo > hi:
                continue
            if merged and lo <= merged[-1][1] + 1:
                if hi > merged[-1][1]:
                    merged[-1] = (merged[-1][0], hi)
            else:
                merged.append((lo, hi))
        return tuple.__new__(cls, merged)

    @classmethod
    def _raw(cls, spans: list[tuple[int, int]]) -> "IntervalSet":
        return tuple.__new__(cls, spans)

    @property
    def spans(self) -> tuple[tuple[int, int], ...]:
        return tuple(self)

    def __repr__(self) -> str:
        return f"IntervalSet({list(self)})"

    def __lt__(self, other: object) -> bool:
        return NotImplemented

    __gt__ = __ge__ = __lt__
    __add__ = __mul__ = __rmul__ = __lt__

    def __or__(self, other: "IntervalSet") -> "IntervalSet":
        if not other or other == self:
            return self
        if not self:
            return other
        return IntervalSet(tuple.__add__(self, other))

    def __and__(self, other: "IntervalSet") -> "IntervalSet":
        a, b = self, other
        if not a or not b or a[-1][1] < b[0][0] or b[-1][1] < a[0][0]:
            return EMPTY
        if len(b) == 1 and b[0][0] <= a[0][0] and a[-1][1] <= b[0][1]:
            return self  # inside one interval of the other: the walk's most common case
        if len(a) == 1 and a[0][0] <= b[0][0] and b[-1][1] <= a[0][1]:
            return other
        out, i, j = [], 0, 0
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
        a, b = self, other
        if not b or not a or b[-1][1] < a[0][0] or a[-1][1] < b[0][0]:
            return self
        if (len(b) == 1 and b[0][0] <= a[0][0] and a[-1][1] <= b[0][1]) or a == b:
            return EMPTY  # all of it taken away: the walk's commonest case (everything allowed)
        out: list[tuple[int, int]] = []
        j = 0
        for lo, hi in a:
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
        i = bisect_right(self, (value, _MAX6 + 1)) - 1
        return i >= 0 and value <= self[i][1]

    def size(self) -> int:
        return sum(hi - lo + 1 for lo, hi in self)

    def first(self) -> int:
        return self[0][0]


EMPTY = IntervalSet()
ALL_ADDRESSES = IntervalSet([(0, _MAX)])
"""Every IPv4 address (0.0.0.0/0)."""
ALL_IPV6 = IntervalSet([(V6, _MAX6)])
"""Every IPv6 address (::/0)."""
EPHEMERAL = IntervalSet([(1024, 65535)])
"""Lambda's and a NAT gateway's source ports, which replies are sent to (1.25, 2.18, 5.6)."""


@lru_cache(maxsize=65536)
def cidr_set(cidr: str) -> IntervalSet:
    """The addresses of an IPv4 or IPv6 CIDR, each family in its own range (2.4)."""
    net = ipaddress.ip_network(cidr, strict=False)
    base = 0 if net.version == 4 else V6
    return IntervalSet._raw([(base + int(net.network_address), base + int(net.broadcast_address))])


def cidr4_set(cidr: str) -> IntervalSet:
    """The addresses of a CIDR when it is IPv4; an IPv6 CIDR gives the empty set."""
    return EMPTY if ":" in cidr else cidr_set(cidr)


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


@lru_cache(maxsize=1 << 17)
def ip_int(address: str) -> int:
    """An address's place on the line: IPv4 as is, IPv6 above `V6`."""
    if ":" in address:
        return V6 + int(ipaddress.IPv6Address(address))
    return int(ipaddress.IPv4Address(address))


def ip_set(addresses: Iterable[str]) -> IntervalSet:
    return IntervalSet((ip_int(a), ip_int(a)) for a in addresses)


def ip_str(value: int) -> str:
    """The address at a place on the line."""
    if value >= V6:
        return str(ipaddress.IPv6Address(value - V6))
    return str(ipaddress.IPv4Address(value))


def ipv4_part(s: IntervalSet) -> IntervalSet:
    return s & ALL_ADDRESSES


def ipv6_part(s: IntervalSet) -> IntervalSet:
    return s & ALL_IPV6


@lru_cache(maxsize=4096)
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
# The public IPv6 internet is global unicast, 2000::/3, less the documentation range; unique-local
# (fc00::/7), link-local (fe80::/10) and the NAT64 prefix (64:ff9b::/96, 2.18) lie outside it.
PUBLIC6 = cidr_set("2000::/3") - cidr_set("2001:db8::/32")
NAT64_PREFIX = cidr_set("64:ff9b::/96")
"""IPv6 addresses that stand for IPv4 ones: DNS64 writes them, a NAT gateway translates them (2.18)."""


def nat64_embedded(s: IntervalSet) -> IntervalSet:
    """The IPv4 addresses that the NAT64 addresses in `s` stand for (their last 32 bits, RFC 6052)."""
    base = NAT64_PREFIX.first()
    return IntervalSet((lo - base, hi - base) for lo, hi in (s & NAT64_PREFIX))


def nat64_of(s: IntervalSet) -> IntervalSet:
    """The NAT64 addresses that stand for the IPv4 addresses in `s`."""
    base = NAT64_PREFIX.first()
    return IntervalSet((lo + base, hi + base) for lo, hi in ipv4_part(s))


def usable_subnet_addresses(cidr: str) -> IntervalSet:
    """A subnet's addresses less the first four and the last, which AWS reserves."""
    s = cidr_set(cidr)
    lo, hi = s[0]
    return IntervalSet([(lo + 4, hi - 1)]) if hi - lo >= 5 else EMPTY


def to_cidrs(s: IntervalSet, limit: int = 6) -> list[str]:
    """Describe a set as CIDRs (at most `limit`, then "..."), for explanations."""
    out: list[str] = []
    for lo, hi in s:
        parts = [(lo, min(hi, _MAX), 0, ipaddress.IPv4Address)] if lo <= _MAX else []
        if hi >= V6:
            parts.append((max(lo, V6) - V6, hi - V6, 128, ipaddress.IPv6Address))
        nets = [n for a, b, _, kind in parts
                for n in ipaddress.summarize_address_range(kind(a), kind(b))]
        for net in nets:
            single = net.prefixlen == net.max_prefixlen
            out.append(str(net.network_address) if single else str(net))
            if len(out) > limit:
                return out[:limit] + ["..."]
    return out


def describe(s: IntervalSet, limit: int = 3) -> str:
    """Name a set for people: "the internet" for most public addresses, else a few CIDRs."""
    v4, v6 = ipv4_part(s), ipv6_part(s)
    if v4.size() > 2**31 and not v6:
        return "public addresses (0.0.0.0/0)"
    if v6.size() > 2**124 and not v4:
        return "public IPv6 addresses (::/0)"
    if v4.size() > 2**31 and v6.size() > 2**124:
        return "public addresses (0.0.0.0/0, ::/0)"
    return ", ".join(to_cidrs(s, limit))
