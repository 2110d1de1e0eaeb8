"""Audit every function against the standard targets at once, doing the work once per ENI combination."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any, Iterable

from ..answer import Answer, Verdict
from ..engine.query import dual_stack, state_notes, vpc_of
from ..engine.targets import Target, database_hint, find_database, parse_target
from ..errors import ReachInputError
from ..gcpause import paused
from .workers import Compact, ask
from ..estate import Estate
from ..estate.topology import linked_vpcs
from ..model import Function, Snapshot
from ..permissions.sources import IamIndex, role_policies

STANDARD = ("internet", "dynamodb", "s3")
DUAL_STACK = ("internet6",)
"""Asked too of functions with Ipv6AllowedForDualStack (1.23)."""
_GLOB = set("*?[")


@dataclass
class AuditReport:
    """Every answer of one audit, in matrix order: functions by name, then their targets."""

    results: list[Answer]
    snapshot: Snapshot | None = field(default=None, repr=False, compare=False)
    warnings: list = field(default_factory=list)  # ENI permission warnings (rule 1.20)

    def counts(self) -> dict[str, int]:
        """How many answers have each verdict, every verdict listed."""
        seen = Counter(a.verdict for a in self.results)
        return {v.value: seen.get(v, 0) for v in Verdict}

    @property
    def accounts(self) -> list[str]:
        """The accounts of the audited functions, when the snapshot holds several (else empty)."""
        if self.snapshot is not None and not Estate.of(self.snapshot).accounts.several:
            return []  # a source names its account only when there are several (engine.query)
        return sorted({a.source["account_id"] for a in self.results if a.source.get("account_id")})

    def by_account(self) -> list[tuple[str | None, AuditReport]]:
        """The report split per account of the functions, in account order; one part (None)
        when the snapshot holds one account."""
        if not self.accounts:
            return [(None, self)]
        return [(acct, AuditReport([a for a in self.results if a.source.get("account_id") == acct],
                                   self.snapshot)) for acct in self.accounts]

    def account_summary(self) -> list[dict[str, Any]]:
        """Per account: its id, functions and verdict counts (added to JSON for several accounts)."""
        return [{"account_id": acct, "functions": len({a.source.get("arn") or a.source["function"]
                                                       for a in part.results}),
                 "counts": part.counts()} for acct, part in self.by_account() if acct]

    def to_dict(self, *, hops: bool = True) -> dict[str, Any]:
        """Contract §2.3's object; `reach audit -f json` prints it without hops unless --hops."""
        out: dict[str, Any] = {"results": [a.to_dict(hops=hops) for a in self.results]}
        if self.accounts:
            out["accounts"] = self.account_summary()
        if self.warnings:
            out["warnings"] = [w.to_dict() for w in self.warnings]
        return out


def audit(snapshot: Snapshot, *, functions: str | None = None, targets: list[str] | None = None,
          jobs: int = 1, hops: bool = True, accounts: list[str] | None = None,
          compact: Compact | None = None) -> AuditReport:
    """Ask every selected function about internet, dynamodb, s3 and every RDS it could route to.

    Functions with the same VpcConfig share one answer per target (design: Performance); `jobs`
    forked processes share the distinct questions (see `ask`). Without `hops` the paths keep their
    verdicts, blockers and fixes but not their traces (contract §2.3): less to hold and to send.
    `compact`, when given, is applied to each distinct answer as soon as it is made (in the
    process that made it), and the report holds what it returns."""
    with paused():  # the audit makes no cycles worth a collector pass (reach.gcpause)
        return _audit(snapshot, functions=functions, targets=targets, jobs=jobs, hops=hops, accounts=accounts,
                      compact=compact)


def _audit(snapshot: Snapshot, *, functions: str | None, targets: list[str] | None, jobs: int, hops: bool,
           accounts: list[str] | None, compact: Compact | None) -> AuditReport:
    estate = Estate.of(snapshot)
    chosen = select_functions(estate, snapshot, functions)
    if accounts:
        wanted_accounts = check_accounts(estate, accounts)
        chosen = [(fn, src) for fn, src in chosen if estate.accounts.account_of(fn) in wanted_accounts]
    # Several accounts: results grouped by account, then by function as before.
    chosen.sort(key=lambda pair: estate.accounts.account_of(pair[0]) or "")
    wanted = _target_filter(estate, targets)
    links = Connections(estate)
    plan: list[tuple[Function, int]] = []  # each function's questions, by number
    distinct: list[tuple[str, Target, Function]] = []  # (source, target, the first to ask it)
    # A question's number by what its answer depends on (`_group_keys`), then by target.
    numbers: tuple[dict[tuple, dict[Target, int]], dict[tuple, dict[Target, int]]] = ({}, {})
    for fn, source in chosen:
        shared, own = _group_keys(estate, fn)
        of_shared = numbers[0].setdefault(shared, {})
        for tgt in _questions(links, fn, wanted):
            table = numbers[1].setdefault(own, {}) if tgt.judges_permission else of_shared
            n = table.get(tgt)
            if n is None:
                n = table[tgt] = len(distinct)
                distinct.append((source, tgt, fn))
            plan.append((fn, n))
    from .enis.permissions import eni_checked, eni_warnings_of
    checked = eni_checked(estate, (fn for fn, _ in chosen))

    def warnings_share(i: int, n: int) -> list:  # each process judges its share of the roles (1.20)
        return eni_warnings_of(estate, checked[len(checked) * i // n: len(checked) * (i + 1) // n])
    answers, warnings = ask(snapshot, distinct, jobs=jobs, hops=hops, compact=compact, also=warnings_share)
    results = []
    for fn, n in plan:
        owner = distinct[n][2]
        results.append(answers[n] if owner is fn else
                       _for_function(answers[n], owner, fn, estate.accounts.account_of(fn)))
    return AuditReport(results=results, snapshot=snapshot, warnings=warnings)


def select_functions(estate: Estate, snapshot: Snapshot, pattern: str | None) -> list[tuple[Function, str]]:
    """The functions a glob names (by name, name:version or ARN), sorted, each with a unique handle."""
    out = []
    for fn in snapshot.items("Functions"):
        names = (fn.qualified_name, fn.function_name, fn.function_arn or "")
        if pattern is not None and not any(fnmatchcase(n, pattern) for n in names if n):
            continue
        # Several accounts or Regions can hold functions of one name: ask about each by its ARN.
        first = estate.functions.get(fn.qualified_name) is fn
        if not first and not fn.function_arn:
            continue
        alone = len(estate.accounts.by_name.get(fn.qualified_name, ())) <= 1
        out.append((fn, fn.qualified_name if alone or not fn.function_arn else fn.function_arn))
    if pattern is not None and not out:
        raise ReachInputError(f"--function {pattern!r} matches none of the snapshot's "
                              f"{len(estate.functions)} functions (reach show lists them)")
    out.sort(key=lambda pair: (pair[0].qualified_name, pair[0].function_arn or ""))
    return out


def check_accounts(estate: Estate, accounts: list[str]) -> set[str]:
    """`--account ID` (repeatable): each must be an account of the snapshot; else bad input,
    naming the nearest."""
    import difflib
    known = sorted(estate.accounts.collected | set(estate.accounts.unread))
    for acct in accounts:
        if acct not in known:
            near = difflib.get_close_matches(acct, known, n=3, cutoff=0.5) or known[:3]
            raise ReachInputError(f"--account {acct!r} is not an account of the snapshot"
                                  + (f" (nearest: {', '.join(near)})" if near else ""))
    return set(accounts)


class Connections:
    """Which VPCs a VPC could route to: itself, its peers, and VPCs on a transit gateway it is on."""

    def __init__(self, estate: Estate) -> None:
        self.estate = estate
        self.databases: dict[str | None, list[str]] = {}
        self.public: list[str] = []
        for ident, vpc, public in database_targets(estate):
            self.databases.setdefault(vpc, []).append(ident)
            if public:
                self.public.append(ident)
        self._memo: dict[str | None, list[str]] = {}
        self._targets: dict[str, Target] = {}
        self.asked: dict[tuple, list[Target]] = {}  # `_questions` by what they depend on

    def target(self, spec: str) -> Target:
        """The parsed target (parsed once per audit: a Target is immutable)."""
        hit = self._targets.get(spec)
        if hit is None:
            hit = self._targets[spec] = parse_target(spec)
        return hit

    def databases_for(self, vpc_id: str | None) -> list[str]:
        """The RDS identifiers a function in `vpc_id` (None: outside any VPC) is audited against."""
        hit = self._memo.get(vpc_id)
        if hit is None:
            if vpc_id is None:
                hit = sorted(self.public)
            else:
                vpcs = {vpc_id} | linked_vpcs(self.estate, vpc_id)
                hit = sorted(i for v in vpcs for i in self.databases.get(v, []))
            self._memo[vpc_id] = hit
        return hit


def database_targets(estate: Estate) -> Iterable[tuple[str, str | None, bool]]:
    """(handle, VPC, publicly accessible) of every cluster, and of every instance outside one; the
    handle is the identifier, or the ARN when the identifier is in several accounts or Regions."""
    snapshot, accounts = estate.snapshot, estate.accounts
    for c in snapshot.items("DBClusters"):
        db, _ = find_database(estate, accounts.database_handle(c))
        home = accounts.database_home[id(c)][1]
        members = [m for m in (accounts.instance_in.get((home.account_id, home.region,
                                                         x.db_instance_identifier))
                               for x in c.db_cluster_members) if m is not None]
        vpc = next((m.db_subnet_group.vpc_id for m in members if m.db_subnet_group), None) \
            or _vpc_of_groups(estate, [g.vpc_security_group_id for g in c.vpc_security_groups])
        public = bool(c.publicly_accessible) if c.publicly_accessible is not None \
            else bool(db and db.publicly_accessible)
        yield accounts.database_handle(c), vpc, public
    clusters = {(accounts.database_home[id(c)][1].account_id, accounts.database_home[id(c)][1].region,
                 c.identifier) for c in snapshot.items("DBClusters")}
    for db in snapshot.items("DBInstances"):
        home = accounts.database_home[id(db)][1]
        if db.db_cluster_identifier and (home.account_id, home.region, db.db_cluster_identifier) in clusters:
            continue
        vpc = (db.db_subnet_group.vpc_id if db.db_subnet_group else None) \
            or _vpc_of_groups(estate, [g.vpc_security_group_id for g in db.vpc_security_groups])
        yield accounts.database_handle(db), vpc, bool(db.publicly_accessible)


def _vpc_of_groups(estate: Estate, group_ids: list[str]) -> str | None:
    return next((estate.groups[g].vpc_id for g in group_ids if g in estate.groups), None)


class _Wanted:
    """The --target filter: globs over the standard targets, plus concrete extra questions."""

    def __init__(self, globs: list[str] | None, extra: list[Target]) -> None:
        self.globs = globs
        self.extra = extra

    def __call__(self, spec: str) -> bool:
        return self.globs is None or any(fnmatchcase(spec, g) for g in self.globs)


def _target_filter(estate: Estate, specs: list[str] | None) -> _Wanted:
    if not specs:
        return _Wanted(None, [])
    globs, extra = [], []
    for spec in specs:
        if _GLOB & set(spec):
            globs.append(spec)
            continue
        tgt = parse_target(spec)  # bad input is reported here, before any work
        if tgt.kind == "rds":
            db, cluster = find_database(estate, tgt.name or "")
            if db is None and cluster is None:
                raise ReachInputError(f"unknown target {spec!r}: no RDS instance or cluster "
                                      f"{tgt.name!r} in the snapshot" + database_hint(estate, spec))
            globs.append(spec)
        elif spec in STANDARD or spec in DUAL_STACK:
            globs.append(spec)
        else:
            extra.append(tgt)  # internet:PORT or A.B.C.D:PORT: asked of every function
    return _Wanted(globs, extra)


def _questions(links: Connections, fn: Function, wanted: _Wanted) -> list[Target]:
    """The targets a function is audited against (the same list for every function of one VPC,
    dual-stack setting and permission targets: not to be changed)."""
    vpc, six, own = vpc_of(links.estate, fn), dual_stack(fn), tuple(permission_targets(links.estate, fn))
    hit = links.asked.get((vpc, six, own))
    if hit is None:
        specs = [*STANDARD, *(DUAL_STACK if six else ()), *(f"rds:{i}" for i in links.databases_for(vpc)), *own]
        hit = links.asked[(vpc, six, own)] = [links.target(s) for s in specs if wanted(s)] + \
            [t for t in wanted.extra if t.spec not in specs]
    return hit


_TABLE = re.compile(r"arn:aws[\w-]*:dynamodb:([\w-]+|\*):(\d{12}|\*):table/([A-Za-z0-9_.-]{3,255})(/.*)?")
_BUCKET = re.compile(r"arn:aws[\w-]*:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(/.*)?")


def permission_targets(estate: Estate, fn: Function) -> list[str]:
    """`logs`, and the tables and buckets the role's Allow statements name (without wildcards),
    when the snapshot holds the account's roles (issue 13); none otherwise."""
    account = estate.accounts.account_of(fn) or "unknown"
    acc = IamIndex.of(estate.snapshot).account(account)
    if not acc.roles or not fn.role:
        return []
    region = estate.accounts.region_of(fn) or "unknown"
    identity, _, _ = role_policies(acc, fn.role)
    tables: set[str] = set()
    buckets: set[str] = set()
    for policy in identity:
        for stmt in policy.document.statement if policy.document else []:
            if stmt.effect != "Allow":
                continue
            for arn in stmt.resource or []:
                if m := _TABLE.fullmatch(arn):
                    if m.group(1) in (region, "*") and m.group(2) in (account, "*"):
                        tables.add(m.group(3))
                elif m := _BUCKET.fullmatch(arn):
                    buckets.add(m.group(1))
    return ["logs", *(f"dynamodb:{t}" for t in sorted(tables)), *(f"s3:{b}" for b in sorted(buckets))]


def _group_keys(estate: Estate, fn: Function) -> tuple[tuple, tuple]:
    """What an answer depends on besides the function's own name and the target: its ENI
    combinations (§2.2); and, for a target that judges permissions, the function itself (its own
    role and name). The group list keeps its order: with no ENI in the snapshot the walk sees the
    groups as listed. A Failed function never shares an answer with one that runs."""
    region = estate.accounts.region_of(fn) or "unknown"
    own = (region, estate.accounts.account_of(fn), fn.qualified_name)
    failed = fn.state == "failed"  # a Failed function's answer is its own (1.9-1.11)
    if fn.vpc_config is None:
        return (region, failed), own
    return (region, failed, tuple(fn.vpc_config.subnet_ids), tuple(fn.vpc_config.security_group_ids),
            fn.vpc_config.vpc_id, dual_stack(fn)), own


def _for_function(shared: Answer, owner: Function, fn: Function, account: str | None) -> Answer:
    """The answer asked for `owner`, told about `fn`: its own name, ARN, account and state notes."""
    own = state_notes(owner)
    notes = state_notes(fn) + shared.notes[len(own):]
    source = {**shared.source, "function": fn.qualified_name, "arn": fn.function_arn}
    if "account_id" in source:
        source["account_id"] = account
    six = shared.ipv6 and Answer(source=source, target=shared.ipv6.target, verdict=shared.ipv6.verdict,
                                 paths=shared.ipv6.paths, notes=shared.ipv6.notes)
    return Answer(source=source, target=shared.target, verdict=shared.verdict, paths=shared.paths,
                  notes=notes, permission=shared.permission, ipv6=six)
