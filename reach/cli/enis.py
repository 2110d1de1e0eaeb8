"""The `reach enis` command: the shared Hyperplane ENIs a layout needs, and a what-if (contract §2.2)."""
from __future__ import annotations

from typing import Annotated

import typer

from .options import Format, FormatOpt, PlanOpt, RegionOpt, SnapshotOpt, fail, input_errors, open_snapshot


def register(app: typer.Typer) -> None:
    """Add the `enis` command to the app."""

    @app.command()
    @input_errors
    def enis(snapshot: SnapshotOpt = None, format: FormatOpt = Format.text, region: RegionOpt = None,
             plan: PlanOpt = None,
             eni_quota: Annotated[int, typer.Option(
                 "--eni-quota", help="Lambda ENIs allowed per VPC (the quota; AWS default 500).")] = 500,
             add_function: Annotated[str | None, typer.Option(
                 "--add-function", help="What-if: plan a function of this name "
                                        "(an existing name gets the new VpcConfig).")] = None,
             subnet: Annotated[list[str] | None, typer.Option(
                 "--subnet", help="What-if: the planned function's subnet (repeatable).")] = None,
             sg: Annotated[list[str] | None, typer.Option(
                 "--sg", help="What-if: the planned function's security group (repeatable).")] = None,
             ) -> None:
        """List the shared Hyperplane ENIs: one per (subnet, security-group set), with its functions.

        Checks them against the snapshot's ENIs (missing, stale, orphaned, drifted), the subnets'
        free addresses, the per-VPC ENI quota and the VpcConfig limits. A what-if shows which
        combinations a planned function would reuse and which it would create.

        Example: reach enis --snapshot samples/categram/snapshot.json --add-function thumbs
        --subnet subnet-0b7d1f3e9a5c6e213 --sg sg-0d2f6a1b7c9e84a12
        """
        from ..questions.enis import PlannedFunction, plan_enis
        from ..render.emit import emit
        if eni_quota < 1:
            raise fail(f"--eni-quota must be at least 1, not {eni_quota}")
        if (subnet or sg) and not add_function:
            raise fail("--subnet and --sg describe a planned function: add --add-function NAME")
        if add_function is not None and not subnet:
            raise fail("--add-function needs at least one --subnet")
        planned = PlannedFunction(add_function, tuple(subnet or ()), tuple(sg or ())) \
            if add_function is not None else None
        layout = plan_enis(open_snapshot(snapshot, plan, region=region), eni_quota=eni_quota,
                           add_function=planned)
        emit(layout, format.value)
