"""Options every command shares, and the one place domain errors become exit codes.

Nothing here imports the model, the engine or rich at import time: `reach --help` stays fast
(docs/performance.md, "A lazy CLI")."""
from __future__ import annotations

import functools
from enum import Enum
from typing import Annotated, Callable

import typer

from ..errors import ReachInputError


class Format(str, Enum):
    text = "text"
    json = "json"


SnapshotOpt = Annotated[str | None, typer.Option(
    "--snapshot", "-s", envvar="REACH_SNAPSHOT", show_envvar=True, metavar="PATH",
    help="Snapshot file, directory of describe-* outputs, or - for standard input (read without "
         "this option too when it is not a terminal); also a Terraform plan or state "
         "(terraform show -json).")]
PlanOpt = Annotated[str | None, typer.Option(
    "--plan", metavar="PLAN.json",
    help="A Terraform plan (terraform show -json PLANFILE) applied onto the snapshot; without "
         "--snapshot or REACH_SNAPSHOT the plan stands alone and standard input is not read.")]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="text for people, json for programs.")]
VerboseOpt = Annotated[bool, typer.Option("--verbose", "-v", help="Also list the keys that were ignored.")]
RegionOpt = Annotated[str | None, typer.Option(
    "--region", metavar="REGION", help="Region of a directory snapshot whose files sit directly in it.")]
# One definition per option that several commands take, so each reads the same everywhere.
TARGETS = "internet[:PORT], dynamodb[:TABLE], s3[:BUCKET], logs, rds:ID or A.B.C.D:PORT"
SourceArg = Annotated[str | None, typer.Argument(help="Function name, name:version or ARN.",
                                                 show_default=False, metavar="FUNCTION")]
TargetArg = Annotated[str | None, typer.Argument(help=f"{TARGETS}.", show_default=False, metavar="TARGET")]
PortOpt = Annotated[int | None, typer.Option("--port", metavar="PORT", help="Override the target's port.")]
ProtocolOpt = Annotated[str | None, typer.Option("--protocol", metavar="PROTOCOL",
                                                 help="tcp (default), udp or icmp.")]
FunctionGlobOpt = Annotated[str | None, typer.Option(
    "--function", metavar="GLOB", help="Only functions whose name, name:version or ARN matches this glob.")]
FixFormatOpt = Annotated[str | None, typer.Option(
    "--fix-format", metavar="aws-cli|terraform", show_default=False,
    help="Print each fix as an AWS CLI command or a Terraform snippet to paste (text), or add it "
         "to each blocker as fix_command (json).")]
SubnetOpt = Annotated[list[str] | None, typer.Option(
    "--subnet", metavar="SUBNET", help="What-if: place the function in this subnet (repeatable; needs --sg).")]
SgOpt = Annotated[list[str] | None, typer.Option(
    "--sg", metavar="GROUP", help="What-if: with this security group (repeatable; needs --subnet).")]

NO_SNAPSHOT = ("missing --snapshot FILE or DIR (or --plan PLAN.json, or REACH_SNAPSHOT); a snapshot "
               "piped in is read too, as is --snapshot -")


def fail(message: str) -> typer.Exit:
    """Print one line to stderr and return the exit for bad input (status 2)."""
    from ..render.console import err
    err.print(f"reach: {message}", markup=False)
    return typer.Exit(2)


def open_snapshot(snapshot: str | None, plan: str | None, *, region: str | None = None):
    """The snapshot a command asks about: --snapshot, with --plan applied when given.

    Without --snapshot (and REACH_SNAPSHOT), a plan stands alone. With neither, every command reads
    standard input when it is not a terminal; at a terminal it refuses rather than wait."""
    import sys

    from ..model import load_snapshot, open_plan
    if plan is not None:
        snap = open_plan(plan, base=snapshot, region=region)
    else:
        piped = snapshot is None
        if piped:
            if sys.stdin is None or sys.stdin.isatty():
                raise fail(NO_SNAPSHOT)
            snapshot = "-"
        try:
            snap = load_snapshot(snapshot, region=region)
        except ReachInputError as exc:
            if piped and exc.message == "file is empty":  # nothing piped in: say what was expected
                raise fail(f"{NO_SNAPSHOT} (standard input is empty)") from None
            raise
    show_terraform(snap)
    return snap


def placement_flags(subnet: list[str] | None, sg: list[str] | None) -> None:
    """--subnet and --sg describe one placement: each needs the other (a VpcConfig has both)."""
    if sg and not subnet:
        raise fail("--sg describes a what-if placement: add --subnet SUBNET")
    if subnet and not sg:
        raise fail("--subnet describes a what-if placement: add --sg GROUP (its security groups)")


def placed_question(source: str | None, target: str | None, subnet: list[str] | None,
                    sg: list[str] | None) -> tuple[str | None, str]:
    """SOURCE and TARGET of `can` and `graph`, checked with the what-if placement: with --subnet and
    --sg, a lone argument is the TARGET of a new function placed there."""
    placement_flags(subnet, sg)
    if subnet and source is not None and target is None:
        source, target = None, source
    if target is None:
        raise fail(f"missing TARGET ({TARGETS})")
    if source is None and not subnet:
        raise fail("missing SOURCE: a function name, or --subnet and --sg for a what-if placement")
    return source, target


def fix_format(value: str | None):
    """Read --fix-format: None, or the FixFormat it names."""
    if value is None:
        return None
    from ..render.fix_commands import FixFormat
    try:
        return FixFormat(value)
    except ValueError:
        raise fail(f"--fix-format {value!r}: choose aws-cli or terraform") from None


def input_errors(command: Callable) -> Callable:
    """Turn ReachInputError into one line on stderr and exit status 2, never a traceback."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        from ..render.console import reset_terraform
        reset_terraform()
        try:
            return command(*args, **kwargs)
        except ReachInputError as exc:
            raise fail(str(exc)) from None
    return wrapper


def load_snapshot(source: str, **kwargs):
    """`reach.model.load_snapshot`, imported on first use: pydantic is not loaded for `--help`."""
    from ..model import load_snapshot as load
    return load(source, **kwargs)


def show_terraform(*snapshots) -> None:
    """`reach.render.console.show_terraform`, imported on first use: rich is not loaded for `--help`."""
    from ..render.console import show_terraform as show
    show(*snapshots)
