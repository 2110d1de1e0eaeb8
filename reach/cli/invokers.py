"""The `reach invokers` command: who may invoke a function (its resource policy and URLs)."""
from __future__ import annotations

from typing import Annotated

import typer

from .options import Format, FormatOpt, PlanOpt, RegionOpt, SnapshotOpt, input_errors, open_snapshot


def register(app: typer.Typer) -> None:
    """Add the `invokers` command to the app."""

    @app.command()
    @input_errors
    def invokers(function: Annotated[str, typer.Argument(help="Function name, name:version or ARN.")],
                 snapshot: SnapshotOpt = None, format: FormatOpt = Format.text,
                 region: RegionOpt = None, plan: PlanOpt = None) -> None:
        """List who may invoke a function: its resource policy's principals with their SourceArn
        and SourceAccount conditions, and function URLs with AuthType NONE flagged public.

        Example: reach invokers public-hook --snapshot samples/permissions/snapshot.json
        """
        from ..questions.invokers import invokers as find
        from ..render.invokers import render_invokers
        render_invokers(find(open_snapshot(snapshot, plan, region=region), function), format.value)
