"""The `reach audit` command: every function against every target it could route to, checked against intent."""
from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from .options import FixFormatOpt, FunctionGlobOpt, PlanOpt, RegionOpt, SnapshotOpt, fail, fix_format, input_errors, open_snapshot


class AuditFormat(str, Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    markdown = "markdown"


def audit(snapshot: SnapshotOpt = None,
          format: Annotated[AuditFormat, typer.Option(
              "--format", "-f", help="text for people, json for programs, sarif for code scanning, "
                                     "markdown for pull request comments.")] = AuditFormat.text,
          function: FunctionGlobOpt = None,
          target: Annotated[list[str] | None, typer.Option(
              "--target", help="Only these targets (repeatable): internet, dynamodb, s3, rds:ID, or a "
                               "glob such as 'rds:*'; internet:PORT or A.B.C.D:PORT is asked of every "
                               "function.")] = None,
          expect: Annotated[str | None, typer.Option(
              "--expect", help="Intent file (YAML or JSON): rules such as {function: 'orders-*', "
                               "target: dynamodb, expect: reachable}. See docs/intent.md.")] = None,
          account: Annotated[list[str] | None, typer.Option(
              "--account", help="Only functions of this account (repeatable), in a snapshot of "
                                "several accounts.")] = None,
          hops: Annotated[bool, typer.Option(
              "--hops", help="With --format json: give every path's hop-by-hop trace too.")] = False,
          region: RegionOpt = None,
          plan: PlanOpt = None,
          jobs: Annotated[int | None, typer.Option(
              "--jobs", "-j", min=1, show_default="the machine's cores",
              help="Processes to share the questions (forked); the output is the same for any N.")] = None,
          fix_format_name: FixFormatOpt = None,
          ) -> None:
    """Every function against internet, dynamodb, s3 and every RDS it could route to, in one run.

    Exit status: 0; 1 when an expectation of --expect is broken; 2 on bad input.

    Example: reach audit --snapshot samples/categram/snapshot.json --expect intent.yaml --format sarif
    """
    from ..questions.audit import audit as run_audit
    from ..questions.workers import default_jobs
    from ..questions.intent import check_functions_exist, check_intent, load_intent, unmatched
    from ..render.audit import json_compactor, render_audit
    if hops and format != AuditFormat.json:
        raise fail(f"--hops applies to --format json only, not {format.value}")
    fixes_as = fix_format(fix_format_name)
    if fixes_as is not None and format not in (AuditFormat.text, AuditFormat.json):
        raise fail(f"--fix-format applies to --format text or json, not {format.value}")
    rules = load_intent(expect) if expect else None  # a bad intent file fails before the work
    snap = open_snapshot(snapshot, plan, region=region)
    if rules:
        check_functions_exist(rules, list(snap.items("Functions")))
    # Written as JSON and nothing else: each answer's paths are kept as their JSON text.
    lean = json_compactor(hops=hops, fix_format=fixes_as) if format == AuditFormat.json and not rules else None
    report = run_audit(snap, functions=function, targets=target, jobs=jobs or default_jobs(),
                       hops=hops or rules is not None, accounts=account, compact=lean)
    violations = check_intent(report, rules) if rules is not None else []
    render_audit(report, format.value, rules=rules, violations=violations,
                 unmatched=unmatched(report, rules) if rules else [],
                 snapshot_uri=plan or (None if snapshot in ("-", None) else snapshot), hops=hops,
                 fix_format=fixes_as)
    raise typer.Exit(1 if violations else 0)


def register(app: typer.Typer) -> None:
    """Add `reach audit` to the app."""
    app.command(name="audit")(input_errors(audit))
