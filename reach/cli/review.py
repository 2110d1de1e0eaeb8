"""The design-review commands: `reach diff`, `reach graph` and `reach report`."""
from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from .options import Format, FormatOpt, RegionOpt, SnapshotOpt, fail, input_errors, read_snapshot


class GraphFormat(str, Enum):
    mermaid = "mermaid"
    dot = "dot"


def register(app: typer.Typer) -> None:
    """Add `diff`, `graph` and `report` to the app."""

    @app.command()
    @input_errors
    def diff(old: Annotated[str, typer.Argument(help="The snapshot before: a file, a directory or -.")],
             new: Annotated[str, typer.Argument(help="The snapshot after: a file, a directory or -.")],
             format: FormatOpt = Format.text,
             fail_on: Annotated[str, typer.Option(
                 "--fail-on", help="Changes that exit 1, a comma list: lost (reachable before, not now), "
                                   "gained, any, none.")] = "lost",
             region: RegionOpt = None) -> None:
        """List every verdict that changed between two snapshots, with the AWS object that changed it.

        Asks both snapshots what `reach audit` asks (every function against internet, dynamodb, s3
        and the RDS databases it could route to), and lists the ENI combinations added and removed.

        Exit status: 1 when a change chosen with --fail-on occurred (by default: something that was
        reachable no longer is); 0 otherwise; 2 on bad input.

        Example: reach diff samples/categram/snapshot.json samples/categram-changed/snapshot.json
        """
        from ..questions.diff import diff_snapshots, parse_fail_on
        from ..render.review import render_diff
        chosen = parse_fail_on(fail_on)
        if old == "-" and new == "-":
            raise fail("only one of OLD and NEW can be standard input (-)")
        result = diff_snapshots(read_snapshot(old, region=region), read_snapshot(new, region=region))
        render_diff(result, format.value)
        raise typer.Exit(1 if result.fails(chosen) else 0)

    @app.command()
    @input_errors
    def graph(source: Annotated[str | None, typer.Argument(
                  help="Function name, name:version or ARN.")] = None,
              target: Annotated[str | None, typer.Argument(
                  help="internet[:PORT], dynamodb, s3, rds:ID or A.B.C.D:PORT.")] = None,
              snapshot: SnapshotOpt = None,
              format: Annotated[GraphFormat, typer.Option(
                  "--format", "-f", help="mermaid (renders in GitHub and GitLab) or dot (Graphviz).")
              ] = GraphFormat.mermaid,
              vpc: Annotated[str | None, typer.Option(
                  "--vpc", help="Draw this whole VPC instead of one function's paths.")] = None,
              port: Annotated[int | None, typer.Option(help="Override the target's port.")] = None,
              protocol: Annotated[str | None, typer.Option(help="tcp (default), udp or icmp.")] = None,
              region: RegionOpt = None) -> None:
        """Draw the paths of `reach can` for one function and target, or a whole VPC, as text.

        Blocked hops are red and dashed, with the reason code on the arrow; dotted arrows are the
        reply. --vpc draws subnets by Availability Zone, route tables, gateways, endpoints, peering,
        functions with their Hyperplane ENIs, and databases.

        Example: reach graph spread s3 --snapshot samples/categram/snapshot.json --format mermaid
        """
        from ..engine.query import can_reach
        from ..render.diagrams.diagram import to_dot, to_mermaid
        from ..render.diagrams.draw import draw_answer, draw_vpc
        from ..render.review import render_text
        if vpc is not None and (source is not None or target is not None):
            raise fail("give either FUNCTION TARGET or --vpc ID, not both")
        if vpc is None and (source is None or target is None):
            raise fail("missing FUNCTION and TARGET (or --vpc ID to draw a whole VPC)")
        snap = read_snapshot(snapshot, region=region)
        picture = draw_vpc(snap, vpc) if vpc is not None else \
            draw_answer(snap, can_reach(snap, source, target, port=port, protocol=protocol))
        render_text(to_mermaid(picture) if format == GraphFormat.mermaid else to_dot(picture))

    @app.command()
    @input_errors
    def report(snapshot: SnapshotOpt = None,
               output: Annotated[str, typer.Option(
                   "--output", "-o", help="The HTML file to write, or - for standard output.")
               ] = "report.html",
               function: Annotated[str | None, typer.Option(
                   "--function", help="Only functions whose name or ARN matches this glob.")] = None,
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

        Example: reach report --snapshot new.json --against old.json -o review.html
        """
        from ..render.report.page import build_report, write_report
        from ..render.review import render_text, report_written
        if against == "-" and snapshot in (None, "-"):
            raise fail("only one of --snapshot and --against can be standard input (-)")
        old = read_snapshot(against, region=region) if against is not None else None
        page = build_report(read_snapshot(snapshot, region=region), title=title, functions=function,
                            against=old, against_name="standard input" if against == "-" else against)
        if output == "-":
            render_text(page.html)
            return
        try:
            write_report(page.html, output)
        except OSError as exc:
            raise fail(f"cannot write {output}: {exc.strerror or exc}") from None
        report_written(output, answers=page.answers, diagrams=page.diagrams, changes=page.changes)
