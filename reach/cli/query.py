"""`reach show`, `reach ls` and `reach can`: what a snapshot holds, and one function against one target."""
from __future__ import annotations

import json
from typing import Annotated

import typer

from .options import (FixFormatOpt, Format, FormatOpt, PlanOpt, PortOpt, ProtocolOpt, RegionOpt, SgOpt,
                      SnapshotOpt, SourceArg, SubnetOpt, TargetArg, VerboseOpt, fail, fix_format, input_errors,
                      open_snapshot, placed_question)


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
            region: RegionOpt = None, plan: PlanOpt = None,
            no_cache: Annotated[bool, typer.Option(
                "--no-cache", help="Neither read nor write the answer cache (also REACH_NO_CACHE=1); "
                                   "see docs/performance.md.")] = False,
            fix_format_name: FixFormatOpt = None) -> None:
        """Can a function reach a target? One verdict per subnet, hop by hop, with the fix.

        dynamodb:TABLE, s3:BUCKET and logs also judge the execution role's permission. With
        --subnet and --sg the function is placed there instead (what-if); without a function
        they describe a new one.

        Exit status: 0 reachable; 1 unreachable, partial or unknown; 2 bad input.

        Example: reach can api dynamodb --snapshot samples/categram/snapshot.json
        """
        fixes_as = fix_format(fix_format_name)
        source, target = placed_question(source, target, subnet, sg)
        if no_cache and (plan is not None or snapshot in (None, "-")):
            raise fail("--no-cache applies to a --snapshot file or directory; a plan or standard input "
                       "is never cached")
        question = [source, target, port, protocol, subnet, sg, region, action]
        answer = _ask(snapshot, plan, question, use_cache=not no_cache)
        # Not render.emit, which imports every question: a cached answer needs neither model nor
        # engine; JSON needs no rich either (docs/performance.md, "A cold reach can").
        if format == Format.json:  # as render.emit prints it
            from ..render.console import print_json
            from ..render.fix_commands import answer_with_commands
            print_json(json.dumps(answer_with_commands(answer.to_dict(), answer, fixes_as), indent=2))
        else:
            from ..render.answer import render_answer
            render_answer(answer, fixes_as)
        raise typer.Exit(0 if answer.verdict.value == "reachable" else 1)


def _ask(snapshot: str | None, plan: str | None, question: list, *, use_cache: bool):
    """`can_reach`, through the answer cache (cli/cache.py) when --snapshot is a file or directory
    of AWS shapes: not for a plan or standard input."""
    from ..answer import answer_from_plain, answer_to_plain
    source, target, port, protocol, subnets, groups, region, actions = question
    store = None
    if use_cache and plan is None and snapshot not in (None, "-"):
        from . import cache  # not imported with --no-cache
        if not cache.disabled_by_env():
            digest = cache.snapshot_digest(snapshot)
            store = cache.AnswerCache(digest) if digest else None
    key = json.dumps(question)
    if store is not None and (hit := store.get(key)) is not None:
        try:
            return answer_from_plain(hit)
        except (TypeError, KeyError, ValueError, AttributeError):
            pass  # a damaged entry: ask again and overwrite it
    from ..engine.query import can_reach
    snap = open_snapshot(snapshot, plan, region=region)
    answer = can_reach(snap, source, target, port=port, protocol=protocol, subnets=subnets,
                       security_groups=groups, actions=actions)
    # Not kept: answers from Terraform (their output carries the addresses) or with an IAM judgement
    # (not plain data yet).
    if store is not None and not getattr(snap, "terraform", None) \
            and getattr(answer, "permission", None) is None:
        store.put(key, answer_to_plain(answer))
        store.save()
    return answer
