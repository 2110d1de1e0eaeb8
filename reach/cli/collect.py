"""`reach collect`: read an AWS account with boto3 and write a snapshot."""
from __future__ import annotations

from typing import Annotated

import typer

from .options import input_errors


def register(app: typer.Typer) -> None:
    """Add `collect` to the app."""

    @app.command()
    @input_errors
    def collect(
            profile: Annotated[str | None, typer.Option(
                help="Named profile of the AWS config files (default: the standard credential chain).")] = None,
            region: Annotated[list[str] | None, typer.Option(
                "--region", help="Region to read (repeatable; default: the profile's or AWS_REGION).")] = None,
            all_regions: Annotated[bool, typer.Option(
                "--all-regions", help="Read every region enabled for the account (DescribeRegions).")] = False,
            endpoint_url: Annotated[str | None, typer.Option(
                "--endpoint-url", help="Send every call to this endpoint instead (e.g. a moto server).")] = None,
            output: Annotated[str, typer.Option(
                "--output", "-o", help="Snapshot file to write, or - for standard output.")] = "snapshot.json",
    ) -> None:
        """Read an AWS account with boto3, read-only, and write a snapshot of it.

        Calls the policy refuses are recorded under Gaps; answers that need them are unknown.

        Lambda environment variables and other secrets are never written.

        The least-privilege IAM policy is in docs/collect.md.

        Example: reach collect --profile audit --region us-east-1 --region eu-west-1 -o snapshot.json
        """
        from ..collect import collect_snapshot, open_session, resolve_regions, write_snapshot
        from ..render.console import err
        from .progress import progress_bar, wants_progress
        session = open_session(profile)
        regions = resolve_regions(session, regions=region or [], all_regions=all_regions,
                                  endpoint_url=endpoint_url)
        interactive = wants_progress()
        with progress_bar(interactive) as progress:
            snapshot = collect_snapshot(session, regions=regions, endpoint_url=endpoint_url,
                                        progress=progress)
        write_snapshot(snapshot, output)
        per_region = ([snapshot] if "Region" in snapshot
                      else list(snapshot["Accounts"][0]["Regions"].values()))
        for gap in (g for lists in per_region for g in lists["Gaps"]):
            err.print(f"reach: warning: {gap['Service']}:{gap['Call']} in {gap['Region']} was not "
                      f"collected ({gap['Error']}); answers that need it will be unknown", markup=False)
        if interactive:
            functions = sum(len(lists["Functions"]) for lists in per_region)
            where = "standard output" if output == "-" else output
            err.print(f"wrote {where}: {len(per_region)} region(s), {functions} function(s)", markup=False)
