"""An experiment for the engine's owner: memoise the gate evaluators from outside and measure the gain."""
from __future__ import annotations

import functools
import importlib

# The evaluators and where they are imported by name (so each binding is replaced).
_USERS = ("reach.rules", "reach.walk", "reach.hops", "reach.devices", "reach.targets", "reach.fixes")


def install() -> None:
    """Cache security_groups_allow per (groups, direction, flow, peers), acl_allows per (ACL, flow,
    addresses, ports), route_classes per (table, VPC, destination set), ip_int per address,
    to_cidrs per set, acl_fix per (source subnet, ACL, flow); find RDS ENIs by subnet, not by scan."""
    rules = importlib.import_module("reach.rules")
    packets = importlib.import_module("reach.packets")
    sga, acl, routes = rules.security_groups_allow, rules.acl_allows, rules.route_classes
    memo: dict = {}

    def cached(name, fn):
        def wrapper(estate, *args, **kwargs):
            key = (name, id(estate), *(tuple(a) if isinstance(a, list) else a for a in args),
                   *sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in kwargs.items()))
            hit = memo.get(key)
            if hit is None:
                hit = memo[key] = fn(estate, *args, **kwargs)
            return hit
        return wrapper

    security_groups_allow = cached("sg", sga)
    acl_allows = cached("acl", acl)
    route_classes = cached("rt", routes)
    ip_int = functools.lru_cache(maxsize=1 << 20)(packets.ip_int)
    cidrs_text = functools.lru_cache(maxsize=1 << 16)(packets.to_cidrs)
    position: dict = {}

    def database_enis(estate, db):
        """targets.database_enis from Estate.enis_in_subnet instead of a scan of every ENI."""
        if id(estate) not in position:
            position[id(estate)] = {e.network_interface_id: i for i, e in enumerate(estate.enis.values())}
        order = position[id(estate)]
        groups = frozenset(g.vpc_security_group_id for g in db.vpc_security_groups)
        subnets = {s.subnet_identifier for s in (db.db_subnet_group.subnets if db.db_subnet_group else [])}
        found = [e for s in subnets for e in estate.enis_in_subnet(s)
                 if frozenset(e.group_ids) == groups
                 and (db.availability_zone is None or e.availability_zone in (None, db.availability_zone))
                 and (e.description or "").startswith("RDSNetworkInterface")]
        return sorted(found, key=lambda e: order[e.network_interface_id])

    fixes = importlib.import_module("reach.fixes")
    acl_fix = fixes.acl_fix

    def acl_fix_memo(w, acl_id, subnet_id, *, egress, on_s, reply, others):
        key = ("aclfix", id(w.estate), w.src.subnet_id, w.dest.public, w.protocol, w.port, acl_id,
               subnet_id, egress, on_s, reply, others)
        hit = memo.get(key)
        if hit is None:
            hit = memo[key] = acl_fix(w, acl_id, subnet_id, egress=egress, on_s=on_s, reply=reply,
                                      others=others)
        return hit

    fixes.acl_fix = acl_fix_memo
    replace = {"security_groups_allow": security_groups_allow, "acl_allows": acl_allows,
               "route_classes": route_classes, "ip_int": ip_int, "database_enis": database_enis,
               "to_cidrs": lambda s, limit=6: list(cidrs_text(s, limit))}
    for name in _USERS:
        module = importlib.import_module(name)
        for attr, fn in replace.items():
            if hasattr(module, attr) and module.__name__ != "reach.packets":
                setattr(module, attr, fn)
