"""`reach show` and `reach can`: what a snapshot holds, and one function against one target."""
from __future__ import annotations

from typing import Annotated

import typer

from .options import (Format, FormatOpt, PlanOpt, RegionOpt, SnapshotOpt, VerboseOpt, fail, input_errors,
                      open_snapshot)


def register(app: typer.Typer) -> None:
    """Add `show` and `can` to the app."""

    @app.command()
    @input_errors
    def show(snapshot: SnapshotOpt = None, format: FormatOpt = Format.text, verbose: VerboseOpt = False,
             region: RegionOpt = None, plan: PlanOpt = None) -> None:
        """Summarise what a snapshot holds per account and region: counts, functions, warnings.

        Example: reach show --snapshot samples/categram/snapshot.json
        """
        from ..questions.summary import summarise
        from ..render.emit import emit
        emit(summarise(open_snapshot(snapshot, plan, region=region)), format.value, verbose=verbose)

    @app.command()
    @input_errors
    def can(source: Annotated[str | None, typer.Argument(help="Function name, name:version or ARN.")] = None,
            target: Annotated[str | None, typer.Argument(
                help="internet[:PORT], dynamodb[:TABLE], s3[:BUCKET], logs, rds:ID or A.B.C.D:PORT.")] = None,
            snapshot: SnapshotOpt = None, format: FormatOpt = Format.text,
            port: Annotated[int | None, typer.Option(help="Override the target's port.")] = None,
            protocol: Annotated[str | None, typer.Option(help="tcp (default), udp or icmp.")] = None,
            subnet: Annotated[list[str] | None, typer.Option(
                "--subnet", help="What-if: place a function in this subnet (repeatable).")] = None,
            sg: Annotated[list[str] | None, typer.Option(
                "--sg", help="What-if: with this security group (repeatable).")] = None,
            action: Annotated[list[str] | None, typer.Option(
                "--action", help="With dynamodb:TABLE or s3:BUCKET: an IAM action to judge "
                                 "(repeatable; default GetItem and PutItem, or GetObject and PutObject).")] = None,
            region: RegionOpt = None, plan: PlanOpt = None) -> None:
        """Can a function reach a target? One verdict per subnet, hop by hop, with the fix.

        dynamodb:TABLE, s3:BUCKET and logs also judge the execution role's permission.

        Exit status: 0 reachable; 1 unreachable, partial or unknown; 2 bad input.

        Example: reach can api dynamodb --snapshot samples/categram/snapshot.json
        """
        from ..engine.query import can_reach
        from ..render.emit import emit
        if subnet:
            if source is not None and target is None:
                source, target = None, source
        if target is None:
            raise fail("missing TARGET (internet, dynamodb, s3, rds:ID or A.B.C.D:PORT)")
        if source is None and not subnet:
            raise fail("missing SOURCE: a function name, or --subnet/--sg for a what-if placement")
        answer = can_reach(open_snapshot(snapshot, plan, region=region, stdin=True), source, target, port=port, protocol=protocol,
                           subnets=subnet, security_groups=sg, actions=action)
        emit(answer, format.value)
        raise typer.Exit(0 if answer.verdict.value == "reachable" else 1)
