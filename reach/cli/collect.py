"""`reach collect`: one account, or many through an assumed role (contract §2.4)."""
from __future__ import annotations

from typing import Annotated

import typer

from .options import fail, input_errors


def register(app: typer.Typer) -> None:
    """Add the `collect` command to the app."""

    @app.command()
    @input_errors
    def collect(
            profile: Annotated[str | None, typer.Option(
                help="Named profile of the AWS config files (default: the standard credential "
                     "chain); with --accounts or --org, the first hop.")] = None,
            region: Annotated[list[str] | None, typer.Option(
                "--region", help="Region to read (repeatable; default: the profile's or AWS_REGION).")] = None,
            all_regions: Annotated[bool, typer.Option(
                "--all-regions", help="Read every region enabled for the account (DescribeRegions), "
                                      "per account.")] = False,
            endpoint_url: Annotated[str | None, typer.Option(
                "--endpoint-url", help="Send every call to this endpoint instead (e.g. a moto server).")] = None,
            output: Annotated[str, typer.Option(
                "--output", "-o", help="Snapshot file to write, - for standard output, or a "
                                       "directory (existing, or ending in /) for accounts/<id>/<region>/.")] = "snapshot.json",
            accounts: Annotated[list[str] | None, typer.Option(
                "--accounts", help="Account ids to read, comma-separated (repeatable), through "
                                   "--role-name in each.")] = None,
            org: Annotated[bool, typer.Option(
                "--org", help="Read every active account of the organisation (Organizations "
                              "ListAccounts), through --role-name in each.")] = False,
            role_name: Annotated[str | None, typer.Option(
                "--role-name", help="The role to assume in each account: "
                                    "arn:aws:iam::ID:role/NAME.")] = None,
            external_id: Annotated[str | None, typer.Option(
                "--external-id", help="The ExternalId the role's trust policy asks for.")] = None,
            resume: Annotated[bool, typer.Option(
                "--resume", help="With --output DIR: skip accounts already complete there.")] = False,
            print_policy: Annotated[bool, typer.Option(
                "--print-policy", help="Print the least-privilege IAM policy reach collect needs, "
                                       "and read nothing.")] = False,
    ) -> None:
        """Read AWS accounts with boto3, read-only, and write a snapshot of them.

        Calls the policy refuses are recorded under Gaps; answers that need them are unknown.
        An account that cannot be assumed or read is a gap for that account; the rest is
        collected. Exit 0 when anything was collected, 2 when nothing was.

        Lambda environment variables and other secrets are never written.

        --print-policy prints the least-privilege IAM policy; docs/collect.md also shows the
        role to deploy in each account.

        Example: reach collect --org --role-name ReachAudit --all-regions -o org/
        """
        if print_policy:
            given = [name for name, value in (
                ("--profile", profile), ("--region", region), ("--all-regions", all_regions),
                ("--endpoint-url", endpoint_url), ("--accounts", accounts), ("--org", org),
                ("--role-name", role_name), ("--external-id", external_id), ("--resume", resume),
                ("--output", output != "snapshot.json")) if value]
            if given:
                raise fail(f"--print-policy reads nothing: it takes no {given[0]}")
            import json

            from ..collect.calls import least_privilege_policy
            typer.echo(json.dumps(least_privilege_policy(), indent=2))
            return
        from ..collect import layout, open_session, resolve_regions
        many = bool(accounts) or org
        if accounts and org:
            raise fail("give --accounts or --org, not both")
        if many and not role_name:
            raise fail(f"{'--org' if org else '--accounts'} needs --role-name: the role to assume "
                       "in each account")
        if not many and (role_name or external_id):
            option = "--role-name" if role_name else "--external-id"
            raise fail(f"{option} applies only with --accounts or --org")
        directory = layout.wants_directory(output)
        if resume and not (many and directory):
            raise fail("--resume applies only with --accounts or --org and --output DIR "
                       "(a directory, or a path ending in /)")
        session = open_session(profile)
        if not many:
            regions = resolve_regions(session, regions=region or [], all_regions=all_regions,
                                      endpoint_url=endpoint_url)
            _one_account(session, regions, endpoint_url, output, directory)
            return
        from ..collect.org import check_role_name, list_organisation, parse_account_ids
        role = check_role_name(role_name)
        wanted = parse_account_ids(accounts) if accounts else None
        if all_regions and region:
            raise fail("give --region or --all-regions, not both")
        regions = None if all_regions else resolve_regions(session, regions=region or [],
                                                           endpoint_url=endpoint_url)
        if wanted is None:
            wanted, skipped = list_organisation(session, endpoint_url=endpoint_url,
                                                region=regions[0] if regions else None)
            _say_skipped(skipped)
        _many_accounts(session, wanted, role, external_id, regions, endpoint_url, output,
                       directory, resume)


def _one_account(session, regions, endpoint_url, output, directory) -> None:
    from ..collect import collect_snapshot, layout, write_snapshot
    from .progress import progress_bar, wants_progress
    from ..collect.run import collect_regions
    from ..render.console import err
    interactive = wants_progress()
    if directory:
        root = layout.prepare(output)
        with progress_bar(interactive) as progress:
            account_id, lists = collect_regions(session, regions=regions, endpoint_url=endpoint_url,
                                                progress=progress)
        layout.write_account(root, account_id, lists)
        per_region = list(lists.values())
    else:
        with progress_bar(interactive) as progress:
            snapshot = collect_snapshot(session, regions=regions, endpoint_url=endpoint_url,
                                        progress=progress)
        write_snapshot(snapshot, output)
        per_region = ([snapshot] if "Region" in snapshot
                      else list(snapshot["Accounts"][0]["Regions"].values()))
    for gap in (g for lists in per_region for g in lists["Gaps"]):
        _warn_gap(gap)
    if interactive:
        functions = sum(len(lists["Functions"]) for lists in per_region)
        where = "standard output" if output == "-" else output
        err.print(f"wrote {where}: {len(per_region)} region(s), {functions} function(s)", markup=False)


def _many_accounts(session, wanted, role, external_id, regions, endpoint_url, output, directory,
                   resume) -> None:
    from ..collect import layout, write_snapshot
    from ..collect.many import collect_accounts
    from .progress import account_lines, wants_progress
    from ..collect.transform import assemble_accounts
    from ..render.console import err
    interactive = wants_progress()
    root = layout.prepare(output) if directory else None
    done = (lambda result: layout.write_account(root, result.account.account_id, result.regions)) \
        if root is not None else None
    skip = (lambda account: layout.complete(root, account.account_id, regions)) if resume else None
    with account_lines(interactive) as lines:
        results = collect_accounts(session, wanted, role_name=role, regions=regions,
                                   external_id=external_id, endpoint_url=endpoint_url,
                                   progress=lines, done=done, skip=skip)
    for result in results:
        if result.error:
            err.print(f"reach: warning: account {result.account.account_id} was not collected "
                      f"({result.error}); the snapshot records it as a gap", markup=False)
        for gap in result.call_gaps if result.collected else []:
            _warn_gap(gap, result.account.account_id)
    read = [r for r in results if r.collected and not r.resumed]
    resumed = [r for r in results if r.resumed]
    if not read and not resumed:
        first = next((r.error for r in results if r.error), "no account to read")
        raise fail(f"no account could be collected ({len(results)} tried; first: {first})")
    if root is None:
        write_snapshot(assemble_accounts({r.account.account_id: r.regions for r in results}), output)
    if interactive:
        where = "standard output" if output == "-" else output
        more = f", {len(resumed)} already complete" if resumed else ""
        gaps = len(results) - len(read) - len(resumed)
        err.print(f"wrote {where}: {len(read)} account(s) collected{more}"
                  + (f", {gaps} not collected" if gaps else ""), markup=False)


def _say_skipped(skipped) -> None:
    from .progress import wants_progress
    from ..render.console import err
    if not wants_progress():
        return
    for s in skipped:
        err.print(f"reach: note: account {s.account_id}{' ' + s.name if s.name else ''} is "
                  f"{s.status} and is not read", markup=False)


def _warn_gap(gap: dict, account_id: str | None = None) -> None:
    from ..render.console import err
    where = f"account {account_id} " if account_id else ""
    err.print(f"reach: warning: {gap['Service']}:{gap['Call']} in {where}{gap['Region']} was not "
              f"collected ({gap['Error']}); answers that need it will be unknown", markup=False)
