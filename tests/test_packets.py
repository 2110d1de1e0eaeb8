"""Packet sets in both address families, checked against Python sets and the ipaddress module."""
from __future__ import annotations

import ipaddress

from hypothesis import given, strategies as st

from reach.packets import (ALL_ADDRESSES, ALL_IPV6, EMPTY, PUBLIC, PUBLIC6, IntervalSet, V6, cidr_set,
                           cidrs_set, describe, ip_int, ip_set, ip_str, ipv4_part, ipv6_part,
                           nat64_embedded, nat64_of, to_cidrs, usable_subnet_addresses)

# Small universes make set algebra checkable element by element.
_span = st.tuples(st.integers(0, 60), st.integers(0, 60))
_spans = st.lists(_span, max_size=6)


def _py(spans) -> set[int]:
    return {v for lo, hi in spans for v in range(lo, hi + 1)}


@given(_spans, _spans)
def test_interval_algebra_matches_python_sets(a, b):
    A, B = IntervalSet(a), IntervalSet(b)
    assert _py(A.spans) == _py(a)
    assert _py((A | B).spans) == _py(a) | _py(b)
    assert _py((A & B).spans) == _py(a) & _py(b)
    assert _py((A - B).spans) == _py(a) - _py(b)
    assert (A <= B) == (_py(a) <= _py(b))
    assert A.size() == len(_py(a))
    assert all((v in A) == (v in _py(a)) for v in range(-1, 62))
    # Spans stay sorted, disjoint and not adjacent, whichever shortcut made them.
    for s in (A, A | B, A & B, A - B, B - A):
        for (_, hi), (lo, _) in zip(s.spans, s.spans[1:]):
            assert hi + 1 < lo
        assert all(lo <= hi for lo, hi in s.spans)


_v4 = st.integers(0, 2**32 - 1).map(lambda n: str(ipaddress.IPv4Address(n)))
_v6 = st.integers(0, 2**128 - 1).map(lambda n: str(ipaddress.IPv6Address(n)))


def _cidr(address: str, prefix: int) -> str:
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


@given(_v4, st.integers(0, 32), _v6, st.integers(0, 128))
def test_the_families_never_overlap(a4, p4, a6, p6):
    c4, c6 = cidr_set(_cidr(a4, p4)), cidr_set(_cidr(a6, p6))
    assert not (c4 & c6)
    assert c4 <= ALL_ADDRESSES and c6 <= ALL_IPV6
    assert ipv4_part(c4 | c6) == c4 and ipv6_part(c4 | c6) == c6
    # 0.0.0.0/0 never covers IPv6 and ::/0 never covers IPv4 (2.4).
    assert not (cidr_set("0.0.0.0/0") & c6) and not (cidr_set("::/0") & c4)


@given(st.one_of(_v4, _v6), st.integers(0, 128), st.one_of(_v4, _v6))
def test_membership_matches_ipaddress(net_address, prefix, address):
    version = ipaddress.ip_address(net_address).version
    prefix = min(prefix, 32 if version == 4 else 128)
    net = ipaddress.ip_network(f"{net_address}/{prefix}", strict=False)
    inside = ipaddress.ip_address(address) in net if ipaddress.ip_address(address).version == version \
        else False
    assert (ip_int(address) in cidr_set(str(net))) == inside
    assert ip_str(ip_int(address)) == str(ipaddress.ip_address(address))
    assert ip_set([address]) == IntervalSet([(ip_int(address), ip_int(address))])


@given(st.lists(st.tuples(st.one_of(_v4, _v6), st.integers(0, 128)), min_size=1, max_size=4))
def test_to_cidrs_describes_exactly_the_set(nets):
    cidrs = []
    for address, prefix in nets:
        top = 32 if ":" not in address else 128
        cidrs.append(_cidr(address, min(prefix, top)))
    s = cidrs_set(cidrs)
    back = to_cidrs(s, limit=10_000)
    assert cidrs_set(c if "/" in c else f"{c}/{32 if ':' not in c else 128}" for c in back) == s


def test_ipv6_addresses_sit_above_every_ipv4_one():
    assert ip_int("::") == V6
    assert ip_int("255.255.255.255") < ip_int("::")
    assert cidr_set("::/0") == ALL_IPV6


def test_public_ipv6_is_global_unicast():
    assert ip_int("2606:4700::1111") in PUBLIC6
    for private in ("fd00::1", "fe80::1", "::1", "64:ff9b::808:808", "2001:db8::1"):
        assert ip_int(private) not in PUBLIC6
    assert not (PUBLIC6 & PUBLIC)


@given(st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1))
def test_nat64_round_trip(a, b):
    lo, hi = min(a, b), max(a, b)
    v4 = IntervalSet([(lo, hi)])
    mapped = nat64_of(v4)
    assert mapped <= cidr_set("64:ff9b::/96")
    assert nat64_embedded(mapped) == v4
    # RFC 6052: the IPv4 address is the last 32 bits of the /96.
    assert ip_str(mapped.first()) == str(ipaddress.IPv6Address(
        int(ipaddress.IPv6Address("64:ff9b::")) + lo))


def test_usable_subnet_addresses_in_both_families():
    assert usable_subnet_addresses("10.0.0.0/28") == IntervalSet([(ip_int("10.0.0.4"), ip_int("10.0.0.14"))])
    six = usable_subnet_addresses("2600:1f18:abcd:100::/64")
    assert ip_int("2600:1f18:abcd:100::4") == six.first()
    assert ip_int("2600:1f18:abcd:100::3") not in six
    assert ip_int("2600:1f18:abcd:100:ffff:ffff:ffff:ffff") not in six


def test_describe_names_each_family():
    assert describe(PUBLIC) == "public addresses (0.0.0.0/0)"
    assert describe(PUBLIC6) == "public IPv6 addresses (::/0)"
    assert describe(ip_set(["2600:1f18::1"])) == "2600:1f18::1"
    assert describe(EMPTY) == ""
