"""Plan the shared Hyperplane ENIs: one per (subnet, security-group set), checked against the snapshot."""
from __future__ import annotations

from collections import defaultdict
from typing import Any

from ...errors import ReachInputError
from ...estate import Estate
from ...estate.lambda_enis import combination_key, drifted_to, named_function
from ...estate.placement import check_placement
from ...model import Function, NetworkInterface, Snapshot
from .permissions import eni_permission_warnings
from .types import (_GAP_CODES, _WAITING_STATES, CODES, DEFAULT_ENI_QUOTA, MAX_GROUPS, MAX_SUBNETS,
                    EniCombination, EniPlan, EniWarning, Key, PlannedFunction, StaleEni, SubnetCapacity,
                    VpcCapacity, WhatIf)


def plan_enis(snapshot: Snapshot, *, eni_quota: int = DEFAULT_ENI_QUOTA,
              add_function: PlannedFunction | None = None) -> EniPlan:
    """List the Hyperplane ENIs the snapshot's functions (and a planned one) need, and check them."""
    if eni_quota < 1:
        raise ReachInputError(f"the ENI quota must be at least 1, not {eni_quota}")
    estate = Estate.of(snapshot)
    functions = _functions(snapshot)
    planned = _planned(estate, snapshot, add_function, functions) if add_function else None
    return _Planner(estate, functions, planned, eni_quota).plan(add_function)


# (account, region) of a RegionSnapshot: functions are regional, so names are matched per region.
Place = tuple[str, str]


def _functions(snapshot: Snapshot) -> dict[Place, dict[str, Function]]:
    """Every function version per account and region; published versions count too (1.7)."""
    out: dict[Place, dict[str, Function]] = defaultdict(dict)
    for rs in snapshot.regions:
        for fn in rs.functions:
            out[(rs.account_id, rs.region)].setdefault(fn.qualified_name, fn)
    return out


def _planned(estate: Estate, snapshot: Snapshot, plan: PlannedFunction,
             functions: dict[Place, dict[str, Function]]) -> tuple[Function, bool]:
    """Check a what-if placement like Lambda would, then add it (replacing a $LATEST of that name)."""
    if not plan.name or ":" in plan.name:
        raise ReachInputError(f"--add-function takes a function name without a version, not {plan.name!r}")
    vpc_id = check_placement(estate, plan.subnet_ids, plan.security_group_ids)
    rs = snapshot.location[plan.subnet_ids[0]]
    fn = Function(function_name=plan.name, state="pending",
                  vpc_config={"SubnetIds": list(plan.subnet_ids),
                              "SecurityGroupIds": list(plan.security_group_ids), "VpcId": vpc_id})
    place = functions[(rs.account_id, rs.region)]
    replaces = plan.name in place
    place[plan.name] = fn
    return fn, replaces


class _Planner:
    """One pass over functions and Lambda ENIs; every lookup is by key."""

    def __init__(self, estate: Estate, functions: dict[Place, dict[str, Function]],
                 planned: tuple[Function, bool] | None, quota: int) -> None:
        self.estate, self.snapshot, self.functions, self.quota = estate, estate.snapshot, functions, quota
        self.planned, self.replaces = planned if planned else (None, False)
        self.warnings: list[EniWarning] = []
        self.users: dict[Key, list[Function]] = defaultdict(list)
        self.by_name: dict[tuple[str, str], list[Key]] = defaultdict(list)
        for fn in (f for fns in functions.values() for f in fns.values() if f.vpc_config):
            for subnet_id in dict.fromkeys(fn.vpc_config.subnet_ids):  # none outside a VPC (1.1)
                key = combination_key(subnet_id, fn.vpc_config.security_group_ids)
                self.users[key].append(fn)
                if fn is not self.planned:
                    self.by_name[(fn.function_name, subnet_id)].append(key)
        # The snapshot's Hyperplane ENIs by their own (subnet, group set) (1.13, 1.6).
        self.lambda_enis = sorted((e for e in estate.enis.values() if e.interface_type == "lambda"),
                                  key=lambda e: e.network_interface_id)
        self.matched: dict[Key, list[str]] = defaultdict(list)
        for e in self.lambda_enis:
            if (key := combination_key(e.subnet_id or "", e.group_ids)) in self.users:
                self.matched[key].append(e.network_interface_id)
        self.drifted: dict[Key, list[str]] = defaultdict(list)
        self.stale: list[StaleEni] = []
        self.names = {place: {f.function_name for f in fns.values()}
                      for place, fns in functions.items()}

    def plan(self, add_function: PlannedFunction | None) -> EniPlan:
        self._unmatched()
        rows = sorted((self._row(k, fns) for k, fns in self.users.items()),
                      key=lambda r: (r.vpc_id or "", r.subnet_id, r.security_group_ids))
        for row in rows:
            self._missing(row)
        subnets, vpcs = self._capacity(rows)
        self._configs()
        for g in self.snapshot.gaps:
            if g.call in _GAP_CODES:
                self._warn(_GAP_CODES[g.call], g.region or "unknown", "0", call=g.call)
        self.warnings += eni_permission_warnings(
            self.estate, (f for fns in self.functions.values() for f in fns.values()
                          if f is not self.planned))
        what_if = self._what_if(add_function, rows, vpcs) if add_function else None
        order = {c: i for i, c in enumerate(CODES)}
        warnings = sorted(self.warnings, key=lambda w: (order[w.code], w.component_id,
                                                        str(w.details.get("security_group_ids"))))
        return EniPlan(tuple(rows), tuple(warnings), tuple(self.stale), subnets, vpcs, self.quota,
                       what_if)

    def _unmatched(self) -> None:
        """Each Lambda ENI that matches no combination is drifted (1.15), stale (1.7) or orphaned (1.12)."""
        for e in self.lambda_enis:
            if combination_key(e.subnet_id or "", e.group_ids) in self.users:
                continue
            place = self._place(e.network_interface_id)
            if self._gap(place, "ListFunctions"):
                continue  # without the functions, nothing tells stale from in use
            names = self.names.get(place, set())
            named = named_function(e.description, names)
            groups = tuple(sorted(set(e.group_ids)))
            # Drift: the function that created it still has a combination in this subnet that no
            # ENI matches; that combination still uses this ENI, with the groups it has now (1.15).
            drifted = drifted_to(e, known=names, combinations=self.by_name, live=self.users,
                                 with_own_eni=self.matched)
            if drifted:
                want = drifted[0]
                self.drifted[want].append(e.network_interface_id)
                self._warn("ENI_DRIFTED", e.network_interface_id, "1.15", subnet_id=e.subnet_id,
                           security_group_ids=list(groups), expected_security_group_ids=list(want[1]),
                           function=named, functions=_names(self.users[want]))
                continue
            # Stale: Lambda deletes it once no function or version uses it (1.7). Orphaned: its
            # function is gone too, so its role may be, and then the ENI stays (1.12, docs/enis.md).
            orphaned = named is not None and named not in names
            self.stale.append(StaleEni(e.network_interface_id, self._vpc_of_eni(e), e.subnet_id,
                                       groups, named, orphaned))
            self._warn("ENI_ORPHANED" if orphaned else "ENI_STALE", e.network_interface_id,
                       "1.12" if orphaned else "1.7, 1.12", subnet_id=e.subnet_id,
                       security_group_ids=list(groups), function=named)

    def _row(self, key: Key, fns: list[Function]) -> EniCombination:
        subnet_id, groups = key
        subnet = self.estate.subnets.get(subnet_id)
        if subnet is None:
            self._warn("SUBNET_NOT_IN_SNAPSHOT", subnet_id, "0", functions=_names(fns))
        vpc_id = subnet.vpc_id if subnet else next(
            (f.vpc_config.vpc_id for f in fns if f.vpc_config and f.vpc_config.vpc_id), None)
        accounts = self.estate.accounts
        owners = tuple(sorted({a for a in map(accounts.account_of, fns) if a})) if accounts.several else ()
        return EniCombination(vpc_id, subnet_id, subnet.availability_zone if subnet else None, groups,
                              tuple(_names(fns)),
                              tuple(sorted(self.matched.get(key, []) + self.drifted.get(key, []))),
                              owners, subnet.owner_id if subnet and owners else None)

    def _missing(self, row: EniCombination) -> None:
        """A combination without an ENI: expected while Pending or Inactive (1.9, 1.11, TC34)."""
        fns = [f for f in self.users[row.key] if f is not self.planned]
        if row.existing_eni_ids or not fns or self._eni_gap(row.subnet_id):
            return
        states = dict(sorted((f.qualified_name, f.state) for f in fns))
        reasons = dict(sorted((f.qualified_name, f.state_reason_code) for f in fns if f.state_reason_code))
        expected = all(s in _WAITING_STATES for s in states.values())
        self._warn("ENI_MISSING", row.subnet_id, "1.9, 1.11" if expected else "1.5, 1.9",
                   subnet_id=row.subnet_id, security_group_ids=list(row.security_group_ids),
                   functions=list(states), states=states, expected=expected,
                   **({"state_reasons": reasons} if reasons else {}))

    def _capacity(self, rows: list[EniCombination]) -> tuple[tuple[SubnetCapacity, ...],
                                                              tuple[VpcCapacity, ...]]:
        """Free addresses per subnet for the new ENIs (1.8); Lambda ENIs per VPC against the quota (1.16)."""
        needed: dict[str, int] = defaultdict(int)
        row_vpc = {r.subnet_id: r.vpc_id for r in rows}
        for row in rows:
            needed[row.subnet_id] += not (row.existing_eni_ids or self._eni_gap(row.subnet_id))
        in_subnet: dict[str, int] = defaultdict(int)
        in_vpc: dict[str, int] = defaultdict(int)
        for e in self.lambda_enis:  # stale ones too: they hold an address until deleted
            in_subnet[e.subnet_id or ""] += 1
            in_vpc[self._vpc_of_eni(e) or ""] += 1
        subnets, vpc_needed = [], defaultdict(int)
        for subnet_id in sorted((set(needed) | set(in_subnet)) - {""}):
            s = self.estate.subnets.get(subnet_id)
            cap = SubnetCapacity(subnet_id, s.vpc_id if s else row_vpc.get(subnet_id),
                                 s.availability_zone if s else None,
                                 s.available_ip_address_count if s else None,
                                 in_subnet.get(subnet_id, 0), needed.get(subnet_id, 0))
            subnets.append(cap)
            vpc_needed[cap.vpc_id or ""] += cap.new_enis_needed
            if cap.full:
                self._warn("SUBNET_FULL", subnet_id, "1.5, 1.8", vpc_id=cap.vpc_id,
                           availability_zone=cap.availability_zone,
                           available_ip_address_count=cap.available_ip_address_count,
                           new_enis_needed=cap.new_enis_needed)
        vpcs = [VpcCapacity(v, in_vpc.get(v, 0), vpc_needed.get(v, 0), self.quota)
                for v in sorted((set(vpc_needed) | set(in_vpc)) - {""})]
        for cap in vpcs:
            if cap.exceeded:
                self._warn("ENI_QUOTA_EXCEEDED", cap.vpc_id, "1.16", lambda_enis=cap.lambda_enis,
                           new_enis_needed=cap.new_enis_needed, total=cap.total, quota=cap.quota)
        return tuple(subnets), tuple(vpcs)

    def _configs(self) -> None:
        """VpcConfig limits (1.17), functions confined to one Availability Zone (1.27), and IPv6 on
        subnets that are not dual-stack (1.23)."""
        for fn in (f for fns in self.functions.values() for f in fns.values() if f.vpc_config):
            name, subnet_ids = fn.qualified_name, list(dict.fromkeys(fn.vpc_config.subnet_ids))
            groups = set(fn.vpc_config.security_group_ids)
            if len(subnet_ids) > MAX_SUBNETS:
                self._warn("VPC_CONFIG_TOO_MANY_SUBNETS", name, "1.17", count=len(subnet_ids),
                           limit=MAX_SUBNETS)
            if len(groups) > MAX_GROUPS:
                self._warn("VPC_CONFIG_TOO_MANY_GROUPS", name, "1.17", count=len(groups), limit=MAX_GROUPS)
            subnets = [self.estate.subnets.get(s) for s in subnet_ids]
            azs = {s.availability_zone for s in subnets if s is not None}
            if all(subnets) and len(azs) == 1 and None not in azs:
                self._warn("SINGLE_AZ", name, "1.27", availability_zone=azs.pop(),
                           subnet_ids=sorted(subnet_ids))
            # Lambda sends nothing from an IPv6-only subnet: no IPv4 there, no IPv6 from it (1.23).
            v6only = sorted(s.subnet_id for s in subnets if s is not None and not s.cidr_block
                            and (s.ipv6_native or s.ipv6_cidrs()))
            if v6only:
                self._warn("IPV6_ONLY_SUBNET", name, "1.23", subnet_ids=v6only)
            if fn.vpc_config.ipv6_allowed_for_dual_stack:
                # IPv6 needs every subnet dual-stack (1.23): name those without an IPv6 CIDR.
                single = sorted(s.subnet_id for s in subnets if s is not None and not s.ipv6_cidrs())
                if single:
                    self._warn("IPV6_SUBNET_NOT_DUAL_STACK", name, "1.23", subnet_ids=single)

    def _what_if(self, add: PlannedFunction, rows: list[EniCombination],
                 vpcs: tuple[VpcCapacity, ...]) -> WhatIf:
        """Reuse a combination that has an ENI or another user; create the rest (1.5, TC37)."""
        by_key = {r.key: r for r in rows}
        reused, created = [], []
        for key in sorted({combination_key(s, add.security_group_ids) for s in add.subnet_ids}):
            others = [f for f in self.users[key] if f is not self.planned]
            (reused if by_key[key].existing_eni_ids or others else created).append(key)
        vpc_id = self.planned.vpc_config.vpc_id if self.planned and self.planned.vpc_config else None
        vpc = next((v for v in vpcs if v.vpc_id == vpc_id), None)
        return WhatIf(add.name, vpc_id, self.replaces, tuple(reused), tuple(created),
                      bool(created) and vpc is not None and vpc.exceeded)

    def _gap(self, place: Place | None, call: str) -> bool:
        return place is not None and self.estate.has_gap(place[1], call) is not None

    def _eni_gap(self, subnet_id: str) -> bool:
        """Without DescribeNetworkInterfaces an ENI is unknown, not missing."""
        return self._gap(self._place(subnet_id), "DescribeNetworkInterfaces")

    def _place(self, rid: str) -> Place | None:
        rs = self.snapshot.location.get(rid)
        return (rs.account_id, rs.region) if rs else None

    def _vpc_of_eni(self, eni: NetworkInterface) -> str | None:
        subnet = self.estate.subnets.get(eni.subnet_id or "")
        return eni.vpc_id or (subnet.vpc_id if subnet else None)

    def _warn(self, code: str, component_id: str, rule: str, **details: Any) -> None:
        self.warnings.append(EniWarning(code, component_id, rule, details))


def _names(fns: list[Function]) -> list[str]:
    """Sorted qualified names: $LATEST as the plain name, a version as name:version (contract §2.2)."""
    return sorted({f.qualified_name for f in fns})
