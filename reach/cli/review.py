"""The design-review commands: `reach diff`, `reach graph` and `reach report`."""
from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from .options import (Format, FormatOpt, FunctionGlobOpt, PlanOpt, PortOpt, ProtocolOpt, RegionOpt, SgOpt,
                      SnapshotOpt, SourceArg, SubnetOpt, fail, input_errors, load_snapshot, open_snapshot,
                      placed_question, show_terraform)


def _diff_sides(old: str | None, new: str | None, snapshot: str | None, plan: str | None,
                region: str | None):
    """The two snapshots `reach diff` compares: OLD and NEW, or a base and the base with --plan."""
    if plan is None:
        if snapshot is not None and (old is None or new is None):
            raise fail("--snapshot goes with --plan PLAN.json; or give OLD and NEW")
        if old is None or new is None:
            raise fail("missing OLD and NEW snapshots (or --plan PLAN.json, with --snapshot BASE)")
        if old == "-" and new == "-":
            raise fail("only one of OLD and NEW can be standard input (-)")
        return load_snapshot(old, region=region), load_snapshot(new, region=region)
    if old is not None or new is not None:
        raise fail("give either OLD NEW or --plan PLAN.json (with --snapshot BASE), not both")
    from ..model import open_plan
    from ..model.terraform import prior_plan
    if snapshot is None:
        return prior_plan(plan), open_plan(plan)
    base = load_snapshot(snapshot, region=region)
    from ..model.terraform import load_plan
    return base, load_plan(plan, base=base)


class GraphFormat(str, Enum):
    mermaid = "mermaid"
    dot = "dot"


def register(app: typer.Typer) -> None:
    """Add `diff`, `graph` and `report` to the app."""

    @app.command()
    @input_errors
    def diff(old: Annotated[str | None, typer.Argument(
                 help="The snapshot before: a file, a directory, - or a Terraform state.")] = None,
             new: Annotated[str | None, typer.Argument(
                 help="The snapshot after: a file, a directory, - or a Terraform plan or state.")] = None,
             snapshot: SnapshotOpt = None, plan: PlanOpt = None,
             format: FormatOpt = Format.text,
             fail_on: Annotated[str, typer.Option(
                 "--fail-on", help="Changes that exit 1, a comma list: lost (reachable before, not now), "
                                   "gained, any, none.")] = "lost",
             region: RegionOpt = None) -> None:
        """List every verdict that changed between two snapshots, with the AWS object that changed it.

        Asks both snapshots what `reach audit` asks (every function against internet, dynamodb, s3
        and the RDS databases it could route to), and lists the ENI combinations added and removed.

        With --plan PLAN.json, compares the snapshot (--snapshot or REACH_SNAPSHOT) with the same
        snapshot after the plan is applied; without a snapshot, the plan's prior state with its
        planned state. Each change names the Terraform address that made it.

        Exit status: 1 when a change chosen with --fail-on occurred (by default: something that was
        reachable no longer is); 0 otherwise; 2 on bad input.

        Example: reach diff samples/categram/snapshot.json samples/categram-changed/snapshot.json

        Example: reach diff --snapshot samples/categram/snapshot.json --plan samples/categram-plan/plan.json
        """
        from ..questions.diff import diff_snapshots, parse_fail_on
        from ..render.emit import emit
        chosen = parse_fail_on(fail_on)
        before, after = _diff_sides(old, new, snapshot, plan, region)
        show_terraform(before, after)
        result = diff_snapshots(before, after)
        emit(result, format.value)
        raise typer.Exit(1 if result.fails(chosen) else 0)

    @app.command()
    @input_errors
    def graph(source: SourceArg = None,
              target: Annotated[str | None, typer.Argument(
                  help="internet[:PORT], dynamodb, s3, rds:ID or A.B.C.D:PORT.", metavar="TARGET")] = None,
              snapshot: SnapshotOpt = None, plan: PlanOpt = None,
              format: Annotated[GraphFormat, typer.Option(
                  "--format", "-f", help="mermaid (renders in GitHub and GitLab) or dot (Graphviz).")
              ] = GraphFormat.mermaid,
              vpc: Annotated[str | None, typer.Option(
                  "--vpc", help="Draw this whole VPC instead of one function's paths.")] = None,
              port: PortOpt = None, protocol: ProtocolOpt = None,
              subnet: SubnetOpt = None, sg: SgOpt = None,
              region: RegionOpt = None) -> None:
        """Draw the paths of `reach can` for one function and target, or a whole VPC, as text.

        Blocked hops are red and dashed, with the reason code on the arrow; dotted arrows are the
        reply. Subnets whose paths differ are drawn apart. With --subnet and --sg the function is
        placed there instead (what-if, checked as `reach can` checks it); without a function they
        describe a new one. --vpc draws subnets by Availability Zone, route tables, gateways, endpoints, peering,
        functions with their Hyperplane ENIs, and databases.

        Example: reach graph spread s3 --snapshot samples/categram/snapshot.json --format mermaid

        Example: reach graph api internet --subnet subnet-0f3a9c1e5b7d20a11 --sg sg-0d2f6a1b7c9e84a12
        """
        from ..engine.query import can_reach
        from ..render.diagrams.diagram import to_dot, to_mermaid
        from ..render.diagrams.draw import draw_answer
        from ..render.diagrams.vpc import draw_vpc
        from ..render.review import render_text
        if vpc is not None and (source is not None or target is not None or subnet or sg):
            raise fail("give either FUNCTION TARGET (with --subnet/--sg for a what-if) or --vpc ID, not both")
        if vpc is None and not subnet and not sg and (source is None or target is None):
            raise fail("missing FUNCTION and TARGET (or --vpc ID to draw a whole VPC)")
        if vpc is None:
            source, target = placed_question(source, target, subnet, sg)
        snap = open_snapshot(snapshot, plan, region=region)
        picture = draw_vpc(snap, vpc) if vpc is not None else \
            draw_answer(snap, can_reach(snap, source, target, port=port, protocol=protocol,
                                        subnets=subnet, security_groups=sg))
        render_text(to_mermaid(picture) if format == GraphFormat.mermaid else to_dot(picture))

    @app.command()
    @input_errors
    def report(snapshot: SnapshotOpt = None, plan: PlanOpt = None,
               output: Annotated[str, typer.Option(
                   "--output", "-o", help="The HTML file to write, or - for standard output.")
               ] = "report.html",
               function: FunctionGlobOpt = None,
               title: Annotated[str, typer.Option(help="The page's title.")] = "reach: reachability review",
               against: Annotated[str | None, typer.Option(
                   "--against", metavar="OLD",
                   help="A baseline snapshot (file, directory or -): also show what changed since it, "
                        "as `reach diff OLD SNAPSHOT` does.")] = None,
               region: RegionOpt = None) -> None:
        """Write one self-contained HTML page to share: audit matrix, answers, ENI plan, diagrams.

        The page has no scripts and fetches nothing (no CDN, no fonts): it works offline and prints
        well. Diagrams are inline SVG.

        With --against OLD, the page also lists every verdict that changed since OLD, with the AWS
        object that changed it, and marks those cells in the matrix.

        Example: reach report --snapshot samples/categram/snapshot.json -o report.html

        With --plan PLAN.json, the page shows the snapshot after the plan is applied, and what
        the plan changes against the snapshot (or, standing alone, against the plan's prior state).

        Example: reach report --snapshot new.json --against old.json -o review.html

        Example: reach report --snapshot base.json --plan plan.json -o review.html
        """
        from ..render.report.page import build_report, write_report
        from ..render.review import render_text, report_written
        if against == "-" and snapshot in (None, "-") and plan is None:
            raise fail("only one of --snapshot and --against can be standard input (-)")
        if plan is not None and against is not None:
            raise fail("--plan compares with the snapshot it is applied to: drop --against")
        if plan is not None:
            old, new = _diff_sides(None, None, snapshot, plan, region)
            against_name = snapshot or f"the prior state of {plan}"
        else:
            new = open_snapshot(snapshot, None, region=region)
            old = load_snapshot(against, region=region) if against is not None else None
            against_name = "standard input" if against == "-" else against
        show_terraform(old, new)
        page = build_report(new, title=title, functions=function, against=old, against_name=against_name)
        if output == "-":
            render_text(page.html)
            return
        try:
            write_report(page.html, output)
        except OSError as exc:
            raise fail(f"cannot write {output}: {exc.strerror or exc}") from None
        report_written(output, answers=page.answers, diagrams=page.diagrams, changes=page.changes)
