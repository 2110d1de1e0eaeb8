"""`reach show`, `reach ls` and `reach can`: what a snapshot holds, and one function against one target."""
from __future__ import annotations

from typing import Annotated

import typer

from .options import (TARGETS, Format, FormatOpt, PlanOpt, PortOpt, ProtocolOpt, RegionOpt, SgOpt,
                      SnapshotOpt, SourceArg, SubnetOpt, TargetArg, VerboseOpt, fail, input_errors,
                      open_snapshot, placement_flags)


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

    @app.command(name="ls")
    @input_errors
    def ls(kind: Annotated[list[str] | None, typer.Argument(
               help="What to list: vpcs, subnets, groups, functions, rds, endpoints, nats "
                    "(default: all of them).", show_default=False)] = None,
           snapshot: SnapshotOpt = None, format: FormatOpt = Format.text, region: RegionOpt = None,
           plan: PlanOpt = None) -> None:
        """List the snapshot's VPCs, subnets, security groups, functions, databases, endpoints and
        NAT gateways, each with its Name tag: the ids the other commands take.

        Example: reach ls subnets --snapshot samples/categram/snapshot.json
        """
        from ..questions.inventory import KINDS, inventory, kind_named
        from ..render.inventory import render_inventory
        kinds = tuple(dict.fromkeys(kind_named(k) for k in kind)) if kind else KINDS
        render_inventory(inventory(open_snapshot(snapshot, plan, region=region), kinds), format.value)

    @app.command()
    @input_errors
    def can(source: SourceArg = None, target: TargetArg = None,
            snapshot: SnapshotOpt = None, format: FormatOpt = Format.text,
            port: PortOpt = None, protocol: ProtocolOpt = None,
            subnet: SubnetOpt = None, sg: SgOpt = None,
            action: Annotated[list[str] | None, typer.Option(
                "--action", help="With dynamodb:TABLE or s3:BUCKET: an IAM action to judge "
                                 "(repeatable; default GetItem and PutItem, or GetObject and PutObject).")] = None,
            region: RegionOpt = None, plan: PlanOpt = None) -> None:
        """Can a function reach a target? One verdict per subnet, hop by hop, with the fix.

        dynamodb:TABLE, s3:BUCKET and logs also judge the execution role's permission. With
        --subnet and --sg the function is placed there instead (what-if); without a function
        they describe a new one.

        Exit status: 0 reachable; 1 unreachable, partial or unknown; 2 bad input.

        Example: reach can api dynamodb --snapshot samples/categram/snapshot.json
        """
        from ..engine.query import can_reach
        from ..render.emit import emit
        placement_flags(subnet, sg)
        if subnet and source is not None and target is None:
            source, target = None, source
        if target is None:
            raise fail(f"missing TARGET ({TARGETS})")
        if source is None and not subnet:
            raise fail("missing SOURCE: a function name, or --subnet and --sg for a what-if placement")
        answer = can_reach(open_snapshot(snapshot, plan, region=region), source, target, port=port,
                           protocol=protocol, subnets=subnet, security_groups=sg, actions=action)
        emit(answer, format.value)
        raise typer.Exit(0 if answer.verdict.value == "reachable" else 1)
