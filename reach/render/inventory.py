"""Render `reach ls`: one table per kind of object, or the inventory as JSON."""
from __future__ import annotations

import json

from .console import out, print_json

# Per kind: the title and the columns shown (key, heading); every row also has id and name.
_COLUMNS = {
    "vpcs": ("VPCs", [("cidrs", "CIDRs"), ("subnets", "subnets")]),
    "subnets": ("subnets", [("vpc_id", "VPC"), ("availability_zone", "AZ"), ("cidr", "CIDR"),
                            ("route_table_id", "route table")]),
    "groups": ("security groups", [("group_name", "group name"), ("vpc_id", "VPC")]),
    "functions": ("functions (name:version for published versions)",
                  [("state", "state"), ("vpc_id", "VPC"), ("subnet_ids", "subnets"),
                   ("security_group_ids", "security groups")]),
    "rds": ("RDS instances and clusters (targets as written)", [("kind", "kind"), ("engine", "engine"),
                                                                ("port", "port")]),
    "endpoints": ("VPC endpoints", [("type", "type"), ("service", "service"), ("vpc_id", "VPC")]),
    "nats": ("NAT gateways", [("connectivity", "connectivity"), ("subnet_id", "subnet"),
                              ("state", "state")]),
}


def render_inventory(rows: dict[str, list[dict]], fmt: str) -> None:
    """JSON, or per kind a title and aligned columns that never wrap an id (awk and grep work)."""
    if fmt == "json":
        print_json(json.dumps(rows, indent=2))
        return
    regions = {(r["account_id"], r["region"]) for kind in rows.values() for r in kind}
    for n, (kind, items) in enumerate(rows.items()):
        title, columns = _COLUMNS[kind]
        if n:
            out.print()
        if not items:
            out.print(f"{title}: none", markup=False)
            continue
        out.print(f"{title} ({len(items)})", style="bold", markup=False)
        head = ["id", "Name", *(h for _, h in columns), *(["region"] if len(regions) > 1 else [])]
        table = [head]
        for r in items:
            cells = [r["id"], r.get("name") or "-", *(_cell(r.get(k)) for k, _ in columns)]
            if len(regions) > 1:
                cells.append(f"{r['account_id']}/{r['region']}")
            table.append(cells)
        widths = [max(len(row[i]) for row in table) for i in range(len(head))]
        for i, row in enumerate(table):
            line = "  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip()
            out.print(line, style="dim" if i == 0 else None, markup=False, soft_wrap=True,
                      highlight=False)


def _cell(value) -> str:
    if value is None or value == []:
        return "-"
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    return str(value)
