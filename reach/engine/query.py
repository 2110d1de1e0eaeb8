"""Answer "can this function reach that target?": one path per Hyperplane ENI, then the verdict (§0)."""
from __future__ import annotations

from dataclasses import replace

from ..answer import Answer, Blocker, Decision, Kind, Path, Verdict, aggregate
from ..catalogue import Code, FixCode
from ..errors import ReachInputError, nearest
from ..estate import Estate
from ..estate.placement import check_placement
from ..model import Function, Snapshot, VpcConfig
from ..packets import ALL_IPV6, EMPTY, V6, IntervalSet, cidrs_set, ipv4_part, to_cidrs, union
from .permission import combine, judge as judge_permission
from .targets import SERVICES, Target, database_hint, dualstack_hostname, find_database, parse_target, resolve
from .sources import dual_stack, flag_needs_dual_stack, ipv6_source_blocker, no_ipv6_source, senders
from .walk import Source, Walk, run
from .walk.fixes import with_table_context

# Engine defaults when the snapshot gives no endpoint port (7.5).
_ENGINE_PORTS = {"postgres": 5432, "aurora-postgresql": 5432, "mysql": 3306, "mariadb": 3306,
                 "aurora-mysql": 3306, "aurora": 3306, "oracle": 1521, "sqlserver": 1433}


def find_function(estate: Estate, source: str) -> Function:
    """A function by name, `name:version` or ARN; an unknown one is bad input."""
    fn = estate.functions_by_arn.get(source)
    if fn is None:
        name = source[: -len(":$LATEST")] if source.endswith(":$LATEST") else source
        same = estate.accounts.by_name.get(name, [])
        if len(same) > 1:  # one name in several accounts or Regions: never guess which
            arns = ", ".join(sorted(f.function_arn or "(no ARN)" for f in same))
            raise ReachInputError(f"function {name!r} is in {len(same)} accounts or Regions; "
                                  f"name it by ARN: {arns}")
        fn = estate.functions.get(name)
    if fn is None:
        raise ReachInputError(f"unknown function {source!r}: the snapshot has "
                              f"{len(estate.functions)} functions (reach ls functions lists them)"
                              + nearest(source, estate.functions))
    return fn


def can_reach(snapshot: Snapshot, source: str | None, target: str | Target, *,
              port: int | None = None, protocol: str | None = None,
              subnets: list[str] | None = None, security_groups: list[str] | None = None,
              actions: list[str] | None = None, network_only_note: bool = True, trace: bool = True) -> Answer:
    """Judge whether `source` (a function, or a what-if placement) reaches `target`, and for
    `dynamodb:TABLE`, `s3:BUCKET` and `logs` whether its role may (contract §2.1).

    Without `trace` the paths carry no hops (the audit's lean output, contract §2.3): the walk
    then builds none, which is a fifth of its work."""
    estate = Estate.of(snapshot)
    tgt = target if isinstance(target, Target) else parse_target(target, port=port, protocol=protocol)
    if actions and not (tgt.judges_permission and tgt.kind != "logs"):
        raise ReachInputError("--action applies only to dynamodb:TABLE and s3:BUCKET targets")
    if tgt.judges_permission and source is None:
        raise ReachInputError(f"a what-if placement has no execution role: {tgt.spec} needs a function")
    notes: list[dict] = []
    if subnets or security_groups:
        # A what-if placement: a new function, or an existing one moved (Lambda checks it, 1.18).
        vpc = check_placement(estate, subnets or [], security_groups or [])
        placed = {"SubnetIds": list(subnets or []), "SecurityGroupIds": list(security_groups or []),
                  "VpcId": vpc}
        what_if = {"subnet_ids": list(subnets or []), "security_group_ids": list(security_groups or [])}
    if source is None:
        if not subnets:
            raise ReachInputError("a what-if placement needs at least one --subnet")
        fn = Function(function_name="(what-if)", vpc_config=placed)
        region = snapshot.region_of(subnets[0]) or "unknown"
        src_dict = {"function": None, "what_if": what_if}
    else:
        fn = find_function(estate, source)
        region = estate.accounts.region_of(fn) or "unknown"
        src_dict = {"function": fn.qualified_name, "arn": fn.function_arn}
        if estate.accounts.several:
            src_dict["account_id"] = estate.accounts.account_of(fn)
        if subnets or security_groups:
            # Moved, the function keeps its other VPC settings: Ipv6AllowedForDualStack (1.23).
            placed["Ipv6AllowedForDualStack"] = dual_stack(fn)
            fn = fn.model_copy(update={"vpc_config": VpcConfig.model_validate(placed)})
            src_dict["what_if"] = what_if
        notes.extend(state_notes(fn))
    vpc_id = vpc_of(estate, fn)
    src_dict.update({"vpc_id": vpc_id, "region": region})
    if tgt.kind == "logs":  # Lambda delivers the function's own logs: no network path (1.24)
        notes.append({"code": "LOGS_NO_NETWORK_PATH", "component_id": fn.qualified_name, "rule": "1.24"})
        permission = judge_permission(snapshot, estate, fn, tgt, region=region, vpc_id=vpc_id,
                                      paths=[], dest=None, actions=actions)
        return Answer(source=src_dict, target=tgt.to_dict(),
                      verdict=combine(Verdict.REACHABLE, permission), paths=[], notes=notes,
                      permission=permission)
    if tgt.kind == "rds":
        tgt = _with_db_port(estate, tgt)
    dest = _destination(estate, tgt, vpc_id, region)
    notes.extend(dest.notes)
    paths = []
    if fn.vpc_config is None and tgt.ipv6:
        paths.append(no_ipv6_source(None, Kind.LAMBDA_SERVICE, Code.LAMBDA_IPV6_OUTSIDE_VPC, None, ()))
    elif fn.vpc_config is None:
        src = Source(None, None, [], IntervalSet([(0, 0)]), region)
        paths.append(_cached_walk(estate, (tgt, vpc_id, region, None, trace), src, dest, tgt, notes,
                                  trace=trace))
    else:
        for subnet_id in dict.fromkeys(fn.vpc_config.subnet_ids):
            paths.append(_subnet_path(estate, fn, subnet_id, vpc_id, region, dest, tgt, notes, trace))
    if fn.state == "failed":
        paths = [_cannot_run(fn, p) for p in paths]
    notes.extend(estate.accounts.notes_for(
        cid for p in paths if p.verdict is Verdict.UNKNOWN
        for cid in [p.subnet_id, *p.missing, *(h.component_id for h in p.hops), *p.trail,
                    *([p.blocked_by.component_id] if p.blocked_by else [])] if cid))
    partly = tgt.kind in SERVICES and any(p.reached for p in paths)
    verdict = aggregate(paths, partly_reached=partly)
    permission = None
    if tgt.judges_permission:
        permission = judge_permission(snapshot, estate, fn, tgt, region=region, vpc_id=vpc_id,
                                      paths=paths, dest=dest, actions=actions)
    elif tgt.kind in SERVICES and source is not None and network_only_note:
        notes.append({"code": "NETWORK_ONLY", "component_id": tgt.kind, "rule": "0.2",
                      "ask": f"{tgt.kind}:{'TABLE' if tgt.kind == 'dynamodb' else 'BUCKET'}"})
    answer = Answer(source=src_dict, target=tgt.to_dict(), verdict=combine(verdict, permission),
                    paths=paths, notes=notes, permission=permission)
    if tgt.dualstack:
        answer.target["endpoint"] = dualstack_hostname(tgt.kind, region)
    if tgt.kind == "internet" and dual_stack(fn):
        # "IPv4 blocked, IPv6 works" at a glance: the same question over IPv6 (1.23, TC21).
        six = Target(tgt.spec.replace("internet", "internet6", 1), "internet6", tgt.protocol, tgt.port)
        answer.ipv6 = can_reach(snapshot, source, six, subnets=subnets, security_groups=security_groups,
                                trace=trace)
    elif tgt.kind in SERVICES and not tgt.dualstack and dual_stack(fn):
        # The SDK's dual-stack endpoint (use_dualstack_endpoint) over IPv6: does it work too? (3.6)
        six = Target(tgt.kind, tgt.kind, tgt.protocol, tgt.port, dualstack=True)
        answer.ipv6 = can_reach(snapshot, source, six, subnets=subnets, security_groups=security_groups,
                                network_only_note=False, trace=trace)
    if dual_stack(fn) and (subnets or security_groups):
        notes.extend(flag_needs_dual_stack(estate, fn))
    return answer


def vpc_of(estate: Estate, fn: Function) -> str | None:
    """The function's VPC: VpcConfig.VpcId, else its subnets' (None outside any VPC)."""
    if fn.vpc_config is None:
        return None
    # Lambda derives the VPC from the subnets (1.18); VpcConfig.VpcId is only a report of it.
    return next((estate.subnets[s].vpc_id for s in fn.vpc_config.subnet_ids if s in estate.subnets),
                fn.vpc_config.vpc_id)


def _with_db_port(estate: Estate, tgt: Target) -> Target:
    """The RDS target with its port: as asked, else the endpoint's, else the engine's (7.5); worked
    out once per target (an audit asks about each database for many functions)."""
    memo = estate.memo["db_targets"]
    hit = memo.get(tgt)
    if hit is None:
        hit = memo[tgt] = _db_port(estate, tgt)
    return hit


def _db_port(estate: Estate, tgt: Target) -> Target:
    db, cluster = find_database(estate, tgt.name or "")
    if db is None and cluster is None:
        raise ReachInputError(f"unknown target {tgt.spec!r}: no RDS instance or cluster "
                              f"{tgt.name!r} in the snapshot" + database_hint(estate, tgt.spec))
    if tgt.port is not None:
        return tgt
    port = (cluster.port if cluster else None) or (db.endpoint.port if db and db.endpoint else None) \
        or _ENGINE_PORTS.get(((cluster or db).engine or "").lower(), 5432)
    return Target(tgt.spec, tgt.kind, tgt.protocol, port, tgt.name)


def _cannot_run(fn: Function, path: Path) -> Path:
    """A Failed function never runs, so nothing it would send gets anywhere (1.9-1.11): AWS says
    such a function must be deleted and recreated
    (https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html)."""
    failed = Blocker(component_id=fn.qualified_name, kind=Kind.FUNCTION, code=Code.FUNCTION_FAILED,
                     params=(("reason", fn.state_reason_code or "no StateReasonCode"),),
                     fix=FixCode.RECREATE_FUNCTION, fix_params=(("function", fn.function_name),))
    return replace(path, verdict=Verdict.UNREACHABLE, blockers=[failed, *path.blockers], reached=None)


def state_notes(fn: Function) -> list[dict]:
    """What a Pending or Inactive function's state means for an invoke (1.9, 1.11): Lambda does
    not invoke a Pending function, and the first invoke of an Inactive one fails while it turns
    Pending (https://docs.aws.amazon.com/lambda/latest/dg/functions-states.html). A Failed one is
    a blocker on every path instead (`_cannot_run`)."""
    if fn.state in ("pending", "inactive"):
        rule = "1.9" if fn.state == "pending" else "1.11"
        return [{"code": f"FUNCTION_{fn.state.upper()}", "component_id": fn.qualified_name, "rule": rule}]
    return []


def _subnet_path(estate: Estate, fn: Function, subnet_id: str, vpc_id: str | None, region: str,
                 dest, tgt: Target, notes: list[dict], trace: bool = True) -> Path:
    subnet = estate.subnets.get(subnet_id)
    groups = list(fn.vpc_config.security_group_ids)
    if subnet is not None and not subnet.cidr_block and (subnet.ipv6_native or subnet.ipv6_cidrs()):
        # "Lambda doesn't support outbound IPv6 connections for IPv6-only subnets in a VPC"
        # (https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html, IPv6 section), and
        # such a subnet gives the ENI no IPv4 address: nothing leaves it, whatever the target.
        path = no_ipv6_source(subnet, Kind.SUBNET, Code.LAMBDA_IPV6_ONLY_SUBNET, FixCode.USE_DUAL_STACK_SUBNET,
                               (("function", fn.qualified_name), ("vpc", subnet.vpc_id),
                                ("subnet", subnet.subnet_id)), component=subnet.subnet_id,
                               detail="IPv6-only subnet: Lambda sends nothing from it (1.23)")
        path.security_group_ids = sorted(groups)
        return path
    if subnet is None or not subnet.cidr_block:
        path = Path(subnet_id, None, sorted(groups), Verdict.UNKNOWN, missing=[subnet_id])
        path.blockers.append(Blocker(component_id=subnet_id, kind=Kind.SUBNET, code=Code.UNKNOWN_RESOURCE,
                                     fix=FixCode.ADD_TO_SNAPSHOT, fix_params=(("missing", subnet_id),),
                                     missing=(subnet_id,)))
        return path
    if subnet_id in estate.subnets_outside_vpc:
        path = Path(subnet_id, subnet.availability_zone, sorted(groups), Verdict.UNKNOWN)
        path.blockers.append(_outside_vpc(estate, subnet_id))
        return path
    vpc = estate.vpcs.get(subnet.vpc_id)
    if vpc is not None and vpc.instance_tenancy == "dedicated":
        # Lambda cannot attach to a VPC with dedicated tenancy (1.19): no ENI, no path.
        path = Path(subnet_id, subnet.availability_zone, sorted(groups), Verdict.UNREACHABLE)
        path.blockers.append(Blocker(component_id=vpc.vpc_id, kind=Kind.VPC, code=Code.LAMBDA_DEDICATED_TENANCY,
                                     fix=FixCode.DEFAULT_TENANCY, fix_params=(("vpc", vpc.vpc_id),)))
        return path
    drifted, by_groups, sending = senders(estate, subnet_id, groups, tgt.ipv6)
    for eni in drifted:
        notes.append({"code": "ENI_GROUPS_DRIFTED", "component_id": eni.network_interface_id,
                      "rule": "1.15"})
    if tgt.ipv6:
        blocked = ipv6_source_blocker(estate, fn, subnet, groups)
        if blocked is not None:
            return blocked
    paths = []
    for eni_groups, addresses in sending:
        src = Source(subnet_id, vpc_id or subnet.vpc_id, list(eni_groups), addresses, region)
        key = (tgt, vpc_id, region, subnet_id, src.vpc_id, eni_groups, addresses, trace)
        paths.append(_cached_walk(estate, key, src, dest, tgt, notes, az=subnet.availability_zone,
                                  trace=trace))
    return _either_eni(paths, by_groups)


def _either_eni(paths: list[Path], by_groups: dict) -> Path:
    """One subnet, several ENIs with different groups: the answer holds only if it holds for all."""
    if len({p.verdict for p in paths}) == 1:
        return next((p for p in paths if p.blockers), paths[0])
    odd = next(p for p in paths if p.verdict != Verdict.REACHABLE)
    enis = ", ".join(e.network_interface_id for es in by_groups.values() for e in es)
    first = odd.blocked_by
    odd = replace(odd, verdict=Verdict.UNKNOWN, blockers=[Blocker(
        component_id=first.component_id if first else odd.subnet_id or "?",
        kind=first.kind if first else Kind.SUBNET, code=Code.SOURCE_ADDRESS_DEPENDS,
        params=(("subnet", odd.subnet_id or "?"),
                ("detail", f"traffic may leave through any of {enis}, whose groups differ (1.8, 1.15)")),
        fix=first.fix if first else None, fix_params=first.fix_params if first else (),
        refs=(*(e.network_interface_id for es in by_groups.values() for e in es), *(first.refs if first else ()))),
        *odd.blockers])
    return odd


def _destination(estate: Estate, tgt: Target, vpc_id: str | None, region: str):
    """Resolve a target once per (target, VPC, Region): every ENI there sees the same addresses."""
    memo = estate.memo["destinations"]
    key = (tgt, vpc_id, region)
    dest = memo.get(key)
    if dest is None:
        dest = memo[key] = resolve(estate, tgt, vpc_id=vpc_id, region=region)
    return dest


def _cached_walk(estate: Estate, key: tuple, src: Source, dest, tgt: Target, notes: list[dict], *,
                 az: str | None = None, trace: bool = True) -> Path:
    """Walk one ENI combination toward one destination once; later askers get a copy (design: Performance)."""
    memo = estate.memo["paths"]
    hit = memo.get(key)
    if hit is None:
        produced: list[dict] = []
        path = _walk(estate, src, dest, tgt, produced, trace)
        if src.subnet_id is not None:
            path.availability_zone = az
            path.security_group_ids = sorted(src.groups)
        hit = memo[key] = (path, produced)
    path, produced = hit
    for note in produced:
        if note not in notes:
            notes.append(note)
    return path.copy()


def _walk(estate: Estate, src: Source, dest, tgt: Target, notes: list[dict], trace: bool = True) -> Path:
    # An IAM judgement reads the endpoints a path went through from its hops (engine.permission).
    w = Walk(estate, src, dest, tgt.protocol, tgt.port or 0, trace=trace or tgt.judges_permission)
    path = Path(src.subnet_id, None, sorted(src.groups), Verdict.UNKNOWN)
    if dest.unresolved or not dest.addresses:
        path.missing = list(dest.missing) or [dest.component_id]
        path.blockers.append(Blocker(component_id=dest.component_id, kind=Kind.DESTINATION,
                                     code=Code.UNKNOWN_DESTINATION,
                                     params=(("dest", dest.unresolved or dest.component_id),),
                                     fix=FixCode.ADD_TO_SNAPSHOT, fix_params=(("missing", ", ".join(path.missing)),),
                                     missing=tuple(path.missing)))
        return path
    held = [sid for sid in estate.subnets_outside_vpc
            if sid in dest.subnet_ids or (not dest.public and dest.addresses & estate.subnet_addresses(sid))]
    if held:
        # The destination is in a subnet that contradicts its VPC: whatever the walk said would rest on it.
        path.blockers.extend(_outside_vpc(estate, sid) for sid in held)
        return path
    run(w)
    for note in w.notes:
        if note not in notes:
            notes.append(note)
    path.hops = w.hops
    path.trail = w.trail
    path.verdict, path.reached = _judge(w)
    if path.reached:
        path.reached_prefix_lists = _prefix_lists_of(estate, _reached(w))
    order = (Decision.UNKNOWN, Decision.DENY) if path.verdict == Verdict.UNKNOWN else (Decision.DENY,
                                                                                      Decision.UNKNOWN)
    path.blockers = [with_table_context(estate, b, src.subnet_id) for d in order for dd, b in w.blockers
                     if dd == d]
    path.missing = sorted(set(w.missing) | (set(dest.missing) if path.verdict == Verdict.UNKNOWN else set()))
    if path.verdict == Verdict.UNKNOWN and not path.blockers:
        path.blockers.append(_source_blocker(w))
    return path


def _outside_vpc(estate: Estate, subnet_id: str) -> Blocker:
    """A subnet outside its VPC's CIDRs, which AWS refuses (2.2): the snapshot contradicts itself."""
    vpc = estate.subnets_outside_vpc[subnet_id]
    subnet = estate.subnets.get(subnet_id)
    return Blocker(component_id=subnet_id, kind=Kind.SUBNET, code=Code.SUBNET_OUTSIDE_VPC, refs=(vpc,),
                   params=(("cidr", (subnet.cidr_block if subnet else None) or "?"), ("vpc", vpc)),
                   fix=FixCode.CORRECT_SNAPSHOT, fix_params=(("subnet", subnet_id), ("vpc", vpc)))


def _judge(w: Walk) -> tuple[Verdict, str | None]:
    """Per packet the first gate that does not allow decides; then over all packets (§0, 0.1)."""
    kinds = {k for k, _, _ in w.outcomes}
    if not kinds or "unknown" in kinds:
        return Verdict.UNKNOWN, None
    if kinds == {"reach"}:
        return Verdict.REACHABLE, None
    if kinds == {"deny"}:
        return Verdict.UNREACHABLE, None
    if any(S != w.src.addresses for _, S, _ in w.outcomes):
        # Whether it gets through depends on which subnet address the ENI has.
        w.blockers.insert(0, (Decision.UNKNOWN, _source_blocker(w)))
        return Verdict.UNKNOWN, None
    if w.dest.missing:
        # Only part of a guessed address set gets through (a service's prefix list is missing):
        # which part the service really uses is unknown (§0).
        w.blockers.insert(0, (Decision.UNKNOWN, Blocker(
            component_id=w.dest.component_id, kind=Kind.DESTINATION, code=Code.UNKNOWN_DESTINATION,
            params=(("dest", ", ".join(w.dest.missing)),), fix=FixCode.ADD_TO_SNAPSHOT,
            fix_params=(("missing", ", ".join(w.dest.missing)),), missing=tuple(w.dest.missing))))
        return Verdict.UNKNOWN, None
    return Verdict.UNREACHABLE, ", ".join(to_cidrs(_reached(w), 4))


def _reached(w: Walk) -> IntervalSet:
    return union(D for k, _, D in w.outcomes if k == "reach")


# The names people know AWS's service prefix lists by (com.amazonaws.REGION.SERVICE).
_SERVICE_NAMES = {"dynamodb": "DynamoDB", "s3": "S3"}


def _prefix_lists_of(estate: Estate, reached: IntervalSet) -> list[tuple[str, str]]:
    """The snapshot's prefix lists that together are exactly `reached`, as (id, name); [] when
    they are not."""
    found: list[tuple[str, str]] = []
    covered = EMPTY
    for key in ("ManagedPrefixLists", "PrefixLists"):
        for pl in estate.snapshot.items(key):
            cidrs = estate.prefix_list_cidrs(pl.prefix_list_id)
            own = cidrs_set(cidrs or [])
            # A list of both families names the part of its own family (2.4).
            own = own & ALL_IPV6 if reached.first() >= V6 else ipv4_part(own)
            if not own or own - reached or any(pl.prefix_list_id == f for f, _ in found):
                continue
            name = pl.prefix_list_name or ""
            found.append((pl.prefix_list_id, _SERVICE_NAMES.get(name.rsplit(".", 1)[-1], name)
                          if name.startswith("com.amazonaws.") else name))
            covered = covered | own
    return found if found and covered == reached else []


def _source_blocker(w: Walk) -> Blocker:
    first = next((b for d, b in w.blockers if d == Decision.DENY), None)
    subnet = w.estate.subnets.get(w.src.subnet_id or "")
    return Blocker(component_id=first.component_id if first else (w.src.subnet_id or "?"),
                   kind=first.kind if first else Kind.SUBNET, code=Code.SOURCE_ADDRESS_DEPENDS,
                   params=(("subnet", (subnet.cidr_block if subnet else None) or "?"),
                           ("detail", first.reason if first else "")),
                   fix=first.fix if first else None, fix_params=first.fix_params if first else (),
                   refs=first.refs if first else ())
