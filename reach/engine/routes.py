"""Route tables as longest-prefix tables over packet sets: a VPC's (2.1-2.9) and a transit gateway's (6.9)."""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

from ..estate import Estate
from ..model import Route
from ..packets import ALL_ADDRESSES, ALL_IPV6, EMPTY, V6, IntervalSet, cidr_set


@dataclass(frozen=True)
class RouteChoice:
    """The route that won longest-prefix match for part of the destination set."""

    target: str
    destination: str
    state: str
    origin: str | None
    note: str = ""  # shown after the route: "blackhole", "propagated"

    @property
    def live(self) -> bool:
        return self.state != "blackhole"

    def describe(self) -> str:
        return f"{self.destination} → {self.target}" + (f" ({self.note})" if self.note else "")


# (prefix length, tie-break rank: lower wins, the route, the addresses it covers)
Candidate = tuple[int, int, RouteChoice, IntervalSet]
Classes = list[tuple[RouteChoice, IntervalSet]]


def longest_prefix(candidates: list[Candidate], dest: IntervalSet) -> tuple[Classes, IntervalSet]:
    """Split `dest` by the route that wins for each address: the longest prefix, then the lowest
    rank (2.5, 6.9). Returns the classes, in the order they won, and the part no route covers."""
    return split(compile_table(candidates), dest)


# A compiled table: each candidate's share of the whole address line, in the order longest-prefix
# match tries them, and the part no route covers; then every share's intervals in address order,
# each with its share's place, and their upper ends. For every address only the first candidate
# holding it wins, so the shares are disjoint: a lookup bisects to the intervals that meet the set
# it splits (`split`) instead of intersecting every route's share with it.
Compiled = tuple[tuple[tuple[RouteChoice, IntervalSet], ...], IntervalSet, list[tuple[int, int, int]], list[int]]
_LINE = ALL_ADDRESSES | ALL_IPV6


def compile_table(candidates: list[Candidate]) -> Compiled:
    remaining = _LINE
    shares = []
    for _, _, choice, net in sorted(candidates, key=lambda c: (-c[0], c[1])):
        part = remaining & net
        if part:
            shares.append((choice, part))
            remaining = remaining - part
    spans = sorted((lo, hi, i) for i, (_, share) in enumerate(shares) for lo, hi in share)
    return tuple(shares), remaining, spans, [hi for _, hi, _ in spans]


def split(table: Compiled, dest: IntervalSet) -> tuple[Classes, IntervalSet]:
    """`dest` over a compiled table: the classes in the order they won, and the part with no route."""
    shares, remaining, spans, highs = table
    pieces: dict[int, list[tuple[int, int]]] = {}
    for lo, hi in dest:
        k = bisect_left(highs, lo)  # the first interval that ends at or after `lo`
        while k < len(spans) and spans[k][0] <= hi:
            s_lo, s_hi, i = spans[k]
            pieces.setdefault(i, []).append((lo if lo > s_lo else s_lo, hi if hi < s_hi else s_hi))
            k += 1
    classes: dict[RouteChoice, IntervalSet] = {}
    for i in sorted(pieces):
        # One share's pieces come in address order, apart from each other: a set as it is.
        choice, part = shares[i][0], IntervalSet._raw(pieces[i])
        classes[choice] = classes.get(choice, EMPTY) | part  # a prefix list's entries: one choice
    return list(classes.items()), remaining & dest


def _rank(route: Route, *, prefix_list: bool) -> int:
    """Equal prefixes: a static CIDR route, then a prefix-list route, then a VGW-propagated one (2.5)."""
    if prefix_list:
        return 1
    return 2 if route.origin == "EnableVgwRoutePropagation" else 0


def route_classes(estate: Estate, table_id: str, vpc_id: str, dest: IntervalSet
                  ) -> tuple[Classes, IntervalSet, list[str]]:
    """The VPC route table's split of `dest`, made once per (table, VPC, destination class)."""
    key = (table_id, vpc_id, dest)
    memo = estate.memo["routes"]
    hit = memo.get(key)  # one lookup: the key holds a packet set, hashed anew each time
    if hit is None:
        hit = memo[key] = _route_classes(estate, table_id, vpc_id, dest)
    return hit


def route_hypotheses(estate: Estate, table_id: str, vpc_id: str, dest: IntervalSet
                     ) -> list[tuple[Classes, IntervalSet]]:
    """The ways `dest` may be split when prefix lists of the table's routes cannot be expanded.

    Each address is either in such a list, and then its route wins unless a more specific or
    equal CIDR route does (2.5, 2.6), or it is not, and the other routes decide. So each address
    takes either a missing list's route or the route it would take without those lists: one
    hypothesis per missing list's route (all of `dest` to it), and one without them (the split
    and the part with no route). Whatever holds under every hypothesis holds (§0)."""
    table = estate.route_tables[table_id]
    ways: list[tuple[Classes, IntervalSet]] = []
    for r in table.routes:
        pl = r.destination_prefix_list_id
        if pl and not (r.destination_cidr_block or r.destination_ipv6_cidr_block) \
                and estate.prefix_list_cidrs(pl) is None:
            state = r.state or "active"
            choice = RouteChoice(r.target() or "?", pl, state, r.origin, "blackhole" if state == "blackhole" else "")
            ways.append(([(choice, dest)], EMPTY))
    classes, remaining, _ = _route_classes(estate, table_id, vpc_id, dest, skip_missing=True)
    ways.append((classes, remaining))
    return ways


def _route_classes(estate: Estate, table_id: str, vpc_id: str, dest: IntervalSet, *,
                   skip_missing: bool = False) -> tuple[Classes, IntervalSet, list[str]]:
    """Split `dest` by the route that wins for it (2.5, 2.6): returns the classes, the part with
    no route, and the prefix lists that could not be expanded (`skip_missing`: as if their
    routes were not in the table)."""
    key = (table_id, vpc_id, skip_missing)
    memo = estate.memo["route_tables"]
    compiled = memo.get(key)
    if compiled is None:
        compiled = memo[key] = _compile(estate, table_id, vpc_id, skip_missing)
    table, missing = compiled
    classes, remaining = split(table, dest)
    if missing:
        return classes, EMPTY, missing if remaining else []
    return classes, remaining, []


def _compile(estate: Estate, table_id: str, vpc_id: str, skip_missing: bool) -> tuple[Compiled, list[str]]:
    """The table compiled once (per VPC: its CIDRs add `local` routes), and the prefix lists it
    names that the snapshot cannot expand."""
    table = estate.route_tables[table_id]
    candidates: list[Candidate] = []
    has_local = set()
    missing: list[str] = []
    for r in table.routes:
        target = r.target() or "?"
        state = r.state or "active"
        note = "blackhole" if state == "blackhole" else ""
        # IPv6 routes sit beside IPv4 ones on the address line: 0.0.0.0/0 never covers IPv6 (2.4).
        cidr = r.destination_cidr_block or r.destination_ipv6_cidr_block
        if cidr:
            if target == "local":
                has_local.add(cidr)
            candidates.append((int(cidr.split("/")[1]), _rank(r, prefix_list=False),
                               RouteChoice(target, cidr, state, r.origin, note), cidr_set(cidr)))
        elif r.destination_prefix_list_id:
            cidrs = estate.prefix_list_cidrs(r.destination_prefix_list_id)
            if cidrs is None:
                if not skip_missing:
                    missing.append(r.destination_prefix_list_id)
                continue
            choice = RouteChoice(target, r.destination_prefix_list_id, state, r.origin, note)
            # One candidate per entry, each with its own prefix length (2.6).
            candidates.extend((int(c.split("/")[1]), _rank(r, prefix_list=True), choice, cidr_set(c))
                              for c in cidrs)
    # Every VPC CIDR, secondary and IPv6 ones included, has a local route (2.2).
    candidates.extend((int(c.split("/")[1]), 0, RouteChoice("local", c, "active", None), cidr_set(c))
                      for c in estate.vpc_cidrs(vpc_id) if c not in has_local)
    if missing:
        # A prefix list we cannot expand may hold any CIDR: only a static /32 surely beats its
        # entries (an equal-length CIDR route wins, 2.5); everything else is undecided.
        sure = [c for c in candidates if c[1] == 0 and c[0] == (128 if c[3].first() >= V6 else 32)]
        return compile_table(sure), missing
    return compile_table(candidates), []


def tgw_route_classes(estate: Estate, table_id: str, dest: IntervalSet) -> tuple[Classes, IntervalSet]:
    """A TGW route table's split of `dest` over static, blackhole and propagated routes; a static
    route wins a tie (6.9). A blackhole route's target is `blackhole`. Both families: a TGW route
    table takes IPv6 CIDRs, and a VPC attachment propagates its VPC's IPv6 CIDRs only with
    `Ipv6Support` enabled, which filters no traffic (docs/semantics.md §6v, D9)."""
    rt = estate.tgw_route_tables[table_id]
    candidates: list[Candidate] = []
    for r in rt.routes:
        if not r.destination_cidr_block:
            continue
        blackhole = r.state == "blackhole"
        target = "blackhole" if blackhole else next(
            (a.transit_gateway_attachment_id for a in r.transit_gateway_attachments
             if a.transit_gateway_attachment_id), None)
        if target:
            candidates.append((int(r.destination_cidr_block.split("/")[1]), 0 if r.type != "propagated" else 1,
                               RouteChoice(target, r.destination_cidr_block,
                                           "blackhole" if blackhole else "active", r.type),
                               cidr_set(r.destination_cidr_block)))
    for p in rt.propagations:
        att = estate.tgw_attachments.get(p.transit_gateway_attachment_id or "")
        # Only an available attachment's CIDRs are in the table (6.9).
        if p.state in (None, "enabled") and att and att.resource_type == "vpc" and att.state in (None, "available"):
            six = att.options is not None and att.options.ipv6_support == "enable"
            for c in (c for c in estate.vpc_cidrs(att.resource_id or "") if six or ":" not in c):
                candidates.append((int(c.split("/")[1]), 1,
                                   RouteChoice(att.transit_gateway_attachment_id, c, "active", "propagated",
                                               "propagated"), cidr_set(c)))
    return longest_prefix(candidates, dest)
