"""Packet sets (reach.packets) checked against Python's own sets and ipaddress, by hypothesis."""
from __future__ import annotations

import ipaddress

from hypothesis import given, strategies as st

from reach.packets import (EMPTY, IntervalSet, cidr_set, describe, ip_int, port_set, to_cidrs, union,
                           usable_subnet_addresses)

UNIVERSE = 64
spans = st.lists(st.tuples(st.integers(0, UNIVERSE), st.integers(0, UNIVERSE)), max_size=6)


def as_set(s: IntervalSet) -> set[int]:
    return {i for lo, hi in s.spans for i in range(lo, hi + 1)}


def from_spans(raw: list[tuple[int, int]]) -> tuple[IntervalSet, set[int]]:
    return IntervalSet(raw), {i for lo, hi in raw for i in range(lo, hi + 1)}


@given(spans, spans)
def test_set_operations_match_python_sets(a_raw, b_raw):
    a, sa = from_spans(a_raw)
    b, sb = from_spans(b_raw)
    assert as_set(a) == sa
    assert as_set(a | b) == sa | sb
    assert as_set(a & b) == sa & sb
    assert as_set(a - b) == sa - sb
    assert (a <= b) == (sa <= sb)
    assert bool(a) == bool(sa) and a.size() == len(sa)
    assert all((i in a) == (i in sa) for i in range(UNIVERSE + 2))
    assert (a == b) == (sa == sb) and (hash(a) == hash(b) or sa != sb)
    assert as_set(union([a, b, EMPTY])) == sa | sb


@given(spans)
def test_spans_are_sorted_disjoint_and_not_adjacent(raw):
    s = IntervalSet(raw).spans
    assert all(lo <= hi for lo, hi in s)
    assert all(s[i][1] + 1 < s[i + 1][0] for i in range(len(s) - 1))


@given(st.integers(0, 2**32 - 1), st.integers(0, 32))
def test_a_cidr_is_the_addresses_ipaddress_gives(address, prefix):
    net = ipaddress.ip_network((address, prefix), strict=False)
    s = cidr_set(str(net))
    assert s.spans == ((int(net.network_address), int(net.broadcast_address)),)
    assert ip_int(str(net.network_address)) == int(net.network_address)


@given(st.lists(st.tuples(st.integers(0, 2**32 - 1), st.integers(0, 2**16)), max_size=4))
def test_to_cidrs_describes_exactly_the_set(raw):
    s = IntervalSet((lo, min(lo + n, 2**32 - 1)) for lo, n in raw)
    cidrs = to_cidrs(s, limit=10**6)
    again = union(cidr_set(c if "/" in c else c + "/32") for c in cidrs)
    assert again == s


def test_ports_and_subnets():
    assert port_set(None, None) == IntervalSet([(0, 65535)]) == port_set(-1, -1)
    assert port_set(443, 443).spans == ((443, 443),)
    # AWS reserves the first four addresses and the last of every subnet.
    assert usable_subnet_addresses("10.0.0.0/24") == IntervalSet([(ip_int("10.0.0.4"), ip_int("10.0.0.254"))])
    assert usable_subnet_addresses("10.0.0.0/30") == EMPTY
    assert describe(cidr_set("0.0.0.0/0")) == "public addresses (0.0.0.0/0)"
