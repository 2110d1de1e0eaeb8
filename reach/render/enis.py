"""Render `reach enis`: a table per VPC grouped by subnet, then the findings and the what-if."""
from __future__ import annotations

from itertools import groupby

from rich import box
from rich.table import Table
from rich.text import Text

from ..questions.enis import EniPlan, SubnetCapacity
from .console import out
from ..catalogue import eni_warning_text

_SEVERE = {"ENI_DRIFTED", "ENI_ORPHANED", "SUBNET_FULL", "ENI_QUOTA_EXCEEDED",
           "VPC_CONFIG_TOO_MANY_SUBNETS", "VPC_CONFIG_TOO_MANY_GROUPS"}


def render_enis(plan: EniPlan) -> None:
    """The ENI plan as tables for people (its JSON is contract §2.2 plus warnings)."""
    drifted = {w.component_id for w in plan.warnings if w.code == "ENI_DRIFTED"}
    capacity = {s.subnet_id: s for s in plan.subnets}
    quotas = {v.vpc_id: v for v in plan.vpcs}
    planned = plan.what_if.function if plan.what_if else None
    for vpc_id, rows in groupby(plan.enis, key=lambda r: r.vpc_id):
        rows = list(rows)
        title = f"{vpc_id or 'VPC unknown'} · {len(rows)} combination{'s' if len(rows) != 1 else ''}"
        vpc = quotas.get(vpc_id or "")
        if vpc:
            title += f" · {vpc.lambda_enis} Lambda ENIs + {vpc.new_enis_needed} new of {vpc.quota}"
        table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
        table.add_column("subnet · security groups", no_wrap=True, min_width=24)
        table.add_column("functions", overflow="fold")
        table.add_column("ENIs", no_wrap=True)
        for subnet_id, in_subnet in groupby(rows, key=lambda r: r.subnet_id):
            cap = capacity.get(subnet_id)
            table.add_row(Text(subnet_id, style="bold"), _subnet_line(cap), "")
            for row in in_subnet:
                fns = Text(", ".join(row.functions))
                if planned in row.functions:
                    fns.stylize("cyan")
                enis = Text("\n".join(f"{e}{' (drifted)' if e in drifted else ''}"
                                      for e in row.existing_eni_ids) or "none (new)",
                            style="" if row.existing_eni_ids else "yellow")
                groups = "\n".join(f"  {g}" for g in row.security_group_ids) or "  (no groups)"
                if row.account_ids:  # several accounts: whose ENI, in whose subnet
                    fns.append(f"\naccount {', '.join(row.account_ids)}"
                               + (f" · subnet of {row.subnet_owner_id}"
                                  if row.subnet_owner_id and row.subnet_owner_id not in row.account_ids
                                  else ""), "dim")
                table.add_row(groups, fns, enis)
        out.print(table)
    n = plan.eni_count
    if n:
        out.print(f"{n} combination{'s' if n != 1 else ''}: at least {n} Hyperplane ENI"
                  f"{'s' if n != 1 else ''} (1.5, 1.8)")
    else:
        out.print("no function is in a VPC: no Hyperplane ENIs are needed (1.1)")
    if plan.stale:
        out.print()
        out.print(f"[bold]stale ENIs[/bold] ({len(plan.stale)}): no function or version uses them")
        for s in plan.stale:
            label = "orphaned" if s.orphaned else "stale"
            out.print(f"  {s.network_interface_id} in {s.subnet_id} ({', '.join(s.security_group_ids)})"
                      f": {label}, created by {s.function or 'an unnamed function'}", markup=False)
    if plan.what_if:
        _what_if(plan)
    out.print()
    out.print(f"[bold]warnings[/bold] ({len(plan.warnings)})")
    for w in plan.warnings:
        line = Text("  " + eni_warning_text(w.to_dict()))
        if w.code in _SEVERE or (w.code == "ENI_MISSING" and not w.details.get("expected")):
            line.stylize("red", 2, 4 + len(w.code))
        out.print(line)


def _subnet_line(cap: SubnetCapacity | None) -> Text:
    """The subnet's AZ, free addresses and new ENIs; red when they do not fit (1.8)."""
    if cap is None:
        return Text("not in the snapshot", style="dim")
    free = cap.available_ip_address_count
    line = f"{cap.availability_zone or 'AZ ?'} · {'?' if free is None else free} free IP{'' if free == 1 else 's'}"
    if cap.new_enis_needed:
        line += f" · {cap.new_enis_needed} new ENI{'s' if cap.new_enis_needed != 1 else ''}"
    return Text(line, style="red" if cap.full else "dim")


def _what_if(plan: EniPlan) -> None:
    w = plan.what_if
    out.print()
    verb = "replacing its VpcConfig" if w.replaces else "a planned function"
    out.print(Text.assemble(("what-if ", "bold"), f"{w.function} ({verb}) in {w.vpc_id}: "
                            f"reuses {len(w.reused)}, creates {len(w.created)}"))
    for label, keys in (("reuses", w.reused), ("creates", w.created)):
        for subnet_id, groups in keys:
            out.print(f"  {label} {subnet_id} ({', '.join(groups) or 'no groups'})", markup=False)
    if w.would_exceed_quota:
        out.print(Text(f"  the new ENIs would exceed the quota of {plan.eni_quota} Lambda ENIs in "
                       f"{w.vpc_id}: ENILimitReachedException (1.16)", style="red"))
