"""One side of a plan (before or after apply) as AWS API shapes, keyed by snapshot key and id."""
from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from .document import Document, Instance
from .wiring import Target, Wiring

# The AWS id prefix of what each resource type creates: synthetic ids keep it, so every later
# step (route targets are told apart by prefix, rule 2.7) treats them like real ones.
PREFIX = {
    "aws_vpc": "vpc", "aws_default_vpc": "vpc", "aws_subnet": "subnet", "aws_default_subnet": "subnet",
    "aws_route_table": "rtb", "aws_default_route_table": "rtb", "aws_internet_gateway": "igw",
    "aws_egress_only_internet_gateway": "eigw", "aws_nat_gateway": "nat", "aws_eip": "eipalloc",
    "aws_vpc_endpoint": "vpce", "aws_security_group": "sg", "aws_default_security_group": "sg",
    "aws_network_acl": "acl", "aws_default_network_acl": "acl", "aws_vpc_peering_connection": "pcx",
    "aws_ec2_transit_gateway": "tgw", "aws_ec2_transit_gateway_vpc_attachment": "tgw-attach",
    "aws_ec2_transit_gateway_route_table": "tgw-rtb", "aws_ec2_managed_prefix_list": "pl",
    "aws_route_table_association": "rtbassoc", "aws_network_acl_association": "aclassoc",
    "aws_lambda_function": "function", "aws_db_instance": "db", "aws_rds_cluster": "cluster",
    "aws_rds_cluster_instance": "db", "aws_db_subnet_group": "subnet-group",
    "aws_iam_role": "role", "aws_iam_policy": "policy",
}
# Attributes of one resource that name another object AWS creates with it.
DERIVED = {("aws_vpc", "default_route_table_id"): "rtb", ("aws_vpc", "main_route_table_id"): "rtb",
           ("aws_vpc", "default_network_acl_id"): "acl", ("aws_vpc", "default_security_group_id"): "sg",
           ("aws_default_vpc", "default_route_table_id"): "rtb",
           ("aws_default_vpc", "main_route_table_id"): "rtb",
           ("aws_default_vpc", "default_network_acl_id"): "acl",
           ("aws_default_vpc", "default_security_group_id"): "sg",
           ("aws_ec2_transit_gateway", "association_default_route_table_id"): "tgw-rtb",
           ("aws_ec2_transit_gateway", "propagation_default_route_table_id"): "tgw-rtb",
           ("aws_eip", "allocation_id"): "eipalloc"}
# A bare reference to these data sources means their list of ids, not their own id.
DATA_LIST = {"aws_subnet_ids": "ids", "aws_subnets": "ids", "aws_security_groups": "ids"}
UNKNOWN_PREFIX = "known-after-apply:"


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()


def synthetic_id(address: str, prefix: str) -> str:
    """A stable id for an object whose id is known only after apply, built from its address."""
    return f"{prefix}-tf{hashlib.sha1(address.encode()).hexdigest()[:12]}"


def unknown_value(address: str, attr: str) -> str:
    """The placeholder for a value that stays unknown: it names the address and the attribute."""
    return f"{UNKNOWN_PREFIX}{address}.{attr}"


@dataclass
class World:
    """The objects of one side of a plan; sub-resources for objects outside it wait in `pending`."""

    doc: Document
    wiring: Wiring
    side: str                                   # after | before
    objects: dict[str, dict[str, dict]] = field(default_factory=lambda: defaultdict(dict))
    pending: dict[tuple[str, str], list[tuple[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    origin: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    addresses: dict[str, str] = field(default_factory=dict)   # synthetic id -> address
    opaque: dict[str, str] = field(default_factory=dict)      # id -> what is unknown
    unknowns: dict[str, str] = field(default_factory=dict)    # placeholder -> address.attr
    parents: dict[str, str] = field(default_factory=dict)     # derived id -> its VPC/TGW id
    module_of: dict[str, str] = field(default_factory=dict)   # id -> the module that made it
    data_ids: set[str] = field(default_factory=set)           # objects read by data sources
    db_subnet_groups: dict[str, dict] = field(default_factory=dict)
    cluster_members: dict[str, list] = field(default_factory=dict)
    cluster_instances: list[tuple[str, str]] = field(default_factory=list)
    tgw_default: dict[str, str] = field(default_factory=dict)
    attachment_links: list[tuple[str, str]] = field(default_factory=list)
    main_tables: dict[str, str] = field(default_factory=dict)
    gateway_endpoints: list[tuple[str, Instance]] = field(default_factory=list)
    inferred: list[tuple[str, str, str]] = field(default_factory=list)  # (id, attr, value)
    account: str | None = None                  # the provider's account, when the plan or base says
    # (type, attribute) -> what AWS derives for a value known only after apply (an IAM role's ARN
    # from its name); None from the function leaves the value unknown. Attribute None: the id.
    computed: dict[tuple[str, str | None], Any] = field(default_factory=dict)
    # What exclusive IAM resources keep, and nothing else: (list field, item key, role name or
    # None for every role, the item the rule is about or None for every item, the values kept).
    exclusive: list[tuple[str, str, str | None, str | None, set[str]]] = field(default_factory=list)

    # --- values ---

    def values(self, inst: Instance) -> dict:
        return (inst.after if self.side == "after" else inst.before) or {}

    def get(self, inst: Instance, *path: Any) -> Any:
        """A value at `path`, or UNKNOWN when it is known only after apply."""
        if self.side == "after" and inst.is_unknown(*path):
            return UNKNOWN
        node: Any = self.values(inst)
        for part in path:
            if isinstance(node, dict):
                node = node.get(part)
            elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                node = node[part]
            else:
                return None
        return node

    def id_of(self, inst: Instance) -> str:
        """The object's id: its own when known, else a synthetic one from its address."""
        for values in ((self.values(inst), inst.after, inst.before)):
            rid = (values or {}).get("id")
            if isinstance(rid, str) and rid and not (values is inst.after and inst.is_unknown("id")):
                return rid
        return self.synthetic(inst.address, PREFIX.get(inst.type, inst.type))

    def synthetic(self, address: str, prefix: str) -> str:
        sid = synthetic_id(address, prefix)
        self.addresses[sid] = address
        return sid

    def ref(self, inst: Instance, *path: Any) -> str | None:
        """One id-valued argument: known, wired through references, or a named placeholder."""
        value = self.get(inst, *path)
        if isinstance(value, str) and value:
            return value
        if value is not UNKNOWN:
            return None
        targets = self.wiring.resolve(inst, path, many=False)
        if targets and len(targets) == 1:
            got = self.target_value(targets[0])
            if isinstance(got, str) and got:
                return got
        return self.placeholder(inst, path)

    def refs(self, inst: Instance, *path: Any) -> list[str]:
        """A list of ids; an unknown one that wiring cannot resolve becomes one placeholder."""
        value = self.get(inst, *path)
        if isinstance(value, list) and not (self.side == "after" and _any_unknown(inst, path, value)):
            return [v for v in value if isinstance(v, str) and v]
        if value is None:
            return []
        targets = self.wiring.resolve(inst, path, many=True)
        if targets is not None:
            out: list[str] = []
            for t in targets:
                got = self.target_value(t)
                if isinstance(got, list):
                    out += [g for g in got if isinstance(g, str)]
                elif isinstance(got, str) and got:
                    out.append(got)
            if out or not targets:
                return out
        return [self.placeholder(inst, path)]

    def placeholder(self, inst: Instance, path: tuple) -> str:
        attr = path_text(path)
        text = unknown_value(inst.address, attr)
        self.unknowns[text] = f"{inst.address}.{attr}"
        return text

    def target_value(self, t: Target) -> Any:
        if t.instance is None:
            return t.constant
        inst = t.instance
        derive = self.computed.get((inst.type, t.attr))
        if derive is not None and (t.attr is None or self.get(inst, t.attr) in (UNKNOWN, None, "")):
            got = derive(self, inst)
            if got:
                return got
        if t.attr is None:
            if inst.mode == "data" and inst.type in DATA_LIST:
                return self.get(inst, DATA_LIST[inst.type])
            return self.id_of(inst)
        derived = DERIVED.get((inst.type, t.attr))
        value = self.get(inst, t.attr)
        if derived and (value is UNKNOWN or not value):
            return self.synthetic(f"{inst.address}.{t.attr}", derived)
        if value is UNKNOWN:
            return self.ref(inst, t.attr)
        return value

    # --- objects ---

    def put(self, key: str, rid: str, obj: dict, inst: Instance) -> None:
        self.objects[key][rid] = obj
        self.origin[rid].add(inst.address)
        self.module_of.setdefault(rid, inst.module)
        if inst.mode == "data":
            self.data_ids.add(rid)

    def fold(self, key: str, rid: str | None, field_name: str, item: Any, inst: Instance) -> None:
        """Add a sub-resource (a rule, a route, an association) to its parent object."""
        if not rid:
            return
        self.origin[rid].add(inst.address)
        obj = self.objects[key].get(rid)
        if obj is None:
            self.pending[(key, rid)].append((field_name, item))
        else:
            obj.setdefault(field_name, []).append(item)

    def make_opaque(self, rid: str, inst: Instance, attr: str) -> None:
        self.opaque[rid] = f"{inst.address}.{attr}"


def path_text(path: tuple) -> str:
    """('vpc_config', 0, 'subnet_ids') -> 'vpc_config[0].subnet_ids'."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _any_unknown(inst: Instance, path: tuple, value: list) -> bool:
    return any(inst.is_unknown(*path, i) for i in range(len(value))) or inst.is_unknown(*path)
