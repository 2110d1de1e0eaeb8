"""Render `reach show`: the snapshot summary as tables, or as JSON."""
from __future__ import annotations


from rich.table import Table

from ..questions.summary import SnapshotSummary
from .console import out
from ..catalogue import warning_text


def render_show(summary: SnapshotSummary, *, verbose: bool = False) -> None:
    """The snapshot summary for people: counts per account and Region, functions, gaps, warnings."""
    for r in summary.regions:
        table = Table(title=f"account {r.account_id} · {r.region}", show_header=True)
        table.add_column("resource")
        table.add_column("count", justify="right")
        for key, n in r.counts.items():
            if n:
                table.add_row(key, str(n))
        out.print(table)
        out.print(f"functions in a VPC ({len(r.functions_in_vpc)}): "
                  + (", ".join(r.functions_in_vpc) or "none"))
        out.print(f"functions outside any VPC ({len(r.functions_outside_vpc)}): "
                  + (", ".join(r.functions_outside_vpc) or "none"))
        out.print()
    if summary.gaps:
        out.print(f"[bold]gaps[/bold] ({len(summary.gaps)}): calls that could not be made")
        for g in summary.gaps:
            out.print(f"  {g.get('Service')}:{g.get('Call')} in {g.get('Region')}: {g.get('Error')}")
    out.print("reach ls lists every VPC, subnet, security group, function, database, endpoint and "
              "NAT gateway with its Name tag (reach ls subnets, reach ls functions, ...)", markup=False)
    out.print(f"[bold]warnings[/bold] ({len(summary.warnings)})")
    for w in summary.warnings:
        out.print(f"  {warning_text(w)}")
    if verbose and summary.unknown_keys:
        out.print(f"[bold]ignored keys[/bold] ({len(summary.unknown_keys)})")
        for u in summary.unknown_keys:
            out.print(f"  {u['file']}: {u['key']}")
