"""Options every command shares, and the one place domain errors become exit codes."""
from __future__ import annotations

import functools
from enum import Enum
from typing import Annotated, Callable

import typer

from ..errors import ReachInputError
from ..render.console import err, reset_terraform, show_terraform


class Format(str, Enum):
    text = "text"
    json = "json"


SnapshotOpt = Annotated[str | None, typer.Option(
    "--snapshot", "-s", envvar="REACH_SNAPSHOT", show_envvar=True,
    help="Snapshot file, directory of describe-* outputs, or - for standard input; also a Terraform "
         "plan or state (terraform show -json).")]
PlanOpt = Annotated[str | None, typer.Option(
    "--plan", metavar="PLAN.json",
    help="A Terraform plan (terraform show -json PLANFILE) applied onto the snapshot; without "
         "--snapshot or REACH_SNAPSHOT the plan stands alone and standard input is not read.")]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="text for people, json for programs.")]
VerboseOpt = Annotated[bool, typer.Option("--verbose", "-v", help="Also list the keys that were ignored.")]
RegionOpt = Annotated[str | None, typer.Option(
    "--region", help="Region of a directory snapshot whose files sit directly in it.")]


def fail(message: str) -> typer.Exit:
    """Print one line to stderr and return the exit for bad input (status 2)."""
    err.print(f"reach: {message}", markup=False)
    return typer.Exit(2)


def open_snapshot(snapshot: str | None, plan: str | None, *, region: str | None = None,
                  stdin: bool = False):
    """The snapshot a command asks about: --snapshot, with --plan applied when given.

    Without --snapshot (and REACH_SNAPSHOT), a plan stands alone; with neither, standard input is
    read when `stdin` (the command's documented default), else the command refuses."""
    from ..model import load_snapshot, open_plan
    if plan is not None:
        snap = open_plan(plan, base=snapshot, region=region)
    elif snapshot is None and not stdin:
        raise ReachInputError("missing --snapshot (or REACH_SNAPSHOT, or --plan PLAN.json)")
    else:
        snap = load_snapshot(snapshot if snapshot is not None else "-", region=region)
    show_terraform(snap)
    return snap


def input_errors(command: Callable) -> Callable:
    """Turn ReachInputError into one line on stderr and exit status 2, never a traceback."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        reset_terraform()
        try:
            return command(*args, **kwargs)
        except ReachInputError as exc:
            raise fail(str(exc)) from None
    return wrapper
