"""`reach ls`: an inventory of the objects people name in questions, each with its Name tag."""
from __future__ import annotations

from typing import Any

from ..engine.query import vpc_of
from ..errors import ReachInputError, nearest
from ..estate import Estate
from ..model import Snapshot
from ..model.base import name_tag

# The kinds `reach ls KIND` takes, in the order `reach ls` lists them.
KINDS = ("vpcs", "subnets", "groups", "functions", "rds", "endpoints", "nats")
_ALIASES = {"vpc": "vpcs", "subnet": "subnets", "sg": "groups", "sgs": "groups",
            "security-groups": "groups", "group": "groups", "function": "functions",
            "databases": "rds", "db": "rds", "endpoint": "endpoints", "vpce": "endpoints",
            "nat": "nats", "nat-gateways": "nats"}


def kind_named(word: str) -> str:
    """A KIND of `reach ls`; an unknown one is bad input naming the kinds."""
    kind = _ALIASES.get(word.lower(), word.lower())
    if kind not in KINDS:
        raise ReachInputError(f"unknown kind {word!r}: use one of {', '.join(KINDS)}"
                              + nearest(word.lower(), [*KINDS, *_ALIASES]))
    return kind


def inventory(snapshot: Snapshot, kinds: tuple[str, ...] = KINDS) -> dict[str, list[dict[str, Any]]]:
    """Every object of each kind, as rows of plain values: id, Name tag and what tells it apart."""
    estate = Estate.of(snapshot)
    out: dict[str, list[dict[str, Any]]] = {}
    for kind in kinds:
        rows = [dict(row, account_id=rs.account_id, region=rs.region)
                for rs in snapshot.regions for row in _ROWS[kind](rs, estate)]
        out[kind] = rows
    return out


def _name(obj) -> str | None:
    return name_tag(getattr(obj, "tags", None) or getattr(obj, "tag_list", None) or [])


def _vpcs(rs, estate):
    for v in rs.vpcs:
        yield {"id": v.vpc_id, "name": _name(v), "cidrs": v.ipv4_cidrs(),
               "subnets": len(estate.subnets_of_vpc.get(v.vpc_id, []))}


def _subnets(rs, estate):
    for s in sorted(rs.subnets, key=lambda s: (s.vpc_id or "", s.availability_zone or "", s.subnet_id)):
        yield {"id": s.subnet_id, "name": _name(s), "vpc_id": s.vpc_id,
               "availability_zone": s.availability_zone, "cidr": s.cidr_block,
               "route_table_id": estate.route_table_id(s.subnet_id)}


def _groups(rs, estate):
    for g in rs.security_groups:
        yield {"id": g.group_id, "name": _name(g), "group_name": g.group_name, "vpc_id": g.vpc_id}


def _functions(rs, estate):
    for f in sorted(rs.functions, key=lambda f: f.qualified_name):
        vc = f.vpc_config
        yield {"id": f.qualified_name, "name": f.function_name, "version": f.version,
               "state": f.state, "vpc_id": vpc_of(estate, f),
               "subnet_ids": list(vc.subnet_ids) if vc else [],
               "security_group_ids": list(vc.security_group_ids) if vc else []}


def _rds(rs, estate):
    for c in rs.db_clusters:
        yield {"id": f"rds:{c.db_cluster_identifier}", "name": _name(c), "kind": "cluster",
               "engine": c.engine, "port": c.port}
    for d in rs.db_instances:
        yield {"id": f"rds:{d.db_instance_identifier}", "name": _name(d), "kind": "instance",
               "engine": d.engine, "port": d.endpoint.port if d.endpoint else None,
               "cluster": d.db_cluster_identifier}


def _endpoints(rs, estate):
    for e in rs.vpc_endpoints:
        yield {"id": e.vpc_endpoint_id, "name": _name(e), "vpc_id": e.vpc_id,
               "type": e.vpc_endpoint_type, "service": e.service_name}


def _nats(rs, estate):
    for n in rs.nat_gateways:
        yield {"id": n.nat_gateway_id, "name": _name(n), "vpc_id": n.vpc_id, "subnet_id": n.subnet_id,
               "connectivity": n.connectivity_type or "public", "state": n.state}


_ROWS = {"vpcs": _vpcs, "subnets": _subnets, "groups": _groups, "functions": _functions, "rds": _rds,
         "endpoints": _endpoints, "nats": _nats}
