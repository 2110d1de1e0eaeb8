"""The `reach` command line: a thin typer layer over the library; errors become exit codes here."""
from __future__ import annotations

import functools
import sys
from enum import Enum
from typing import Annotated, Callable

import typer

from .errors import ReachInputError
from .model import Snapshot, load_snapshot

app = typer.Typer(
    name="reach",
    help="Offline AWS network reachability for Lambda functions, from an account snapshot.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


class Format(str, Enum):
    text = "text"
    json = "json"


SnapshotOpt = Annotated[str, typer.Option(
    "--snapshot", "-s", envvar="REACH_SNAPSHOT", show_envvar=True,
    help="Snapshot file, directory of describe-* outputs, or - for standard input.")]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="text for people, json for programs.")]
VerboseOpt = Annotated[bool, typer.Option("--verbose", "-v", help="Also list the keys that were ignored.")]
RegionOpt = Annotated[str | None, typer.Option(
    "--region", help="Region of a directory snapshot whose files sit directly in it.")]


def fail(message: str) -> typer.Exit:
    """Print one line to stderr and return the exit for bad input (status 2)."""
    from .render.console import err
    err.print(f"reach: {message}", markup=False)
    return typer.Exit(2)


def input_errors(command: Callable) -> Callable:
    """Turn ReachInputError into one line on stderr and exit status 2, never a traceback."""
    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except ReachInputError as exc:
            raise fail(str(exc)) from None
    return wrapper


def open_snapshot(path: str, region: str | None = None) -> Snapshot:
    return load_snapshot(path, region=region)


@app.callback()
def _root() -> None:
    """Offline AWS network reachability for Lambda functions, from an account snapshot."""


@app.command()
@input_errors
def show(snapshot: SnapshotOpt, format: FormatOpt = Format.text, verbose: VerboseOpt = False,
         region: RegionOpt = None) -> None:
    """Summarise what a snapshot holds per account and region: counts, functions, warnings.

    Example: reach show --snapshot samples/categram/snapshot.json
    """
    from .render.show import render_show
    from .summary import summarise
    render_show(summarise(open_snapshot(snapshot, region)), format.value, verbose=verbose)


@app.command()
@input_errors
def can(source: Annotated[str | None, typer.Argument(help="Function name, name:version or ARN.")] = None,
        target: Annotated[str | None, typer.Argument(
            help="internet[:PORT], dynamodb, s3, rds:ID or A.B.C.D:PORT.")] = None,
        snapshot: SnapshotOpt = "-", format: FormatOpt = Format.text,
        port: Annotated[int | None, typer.Option(help="Override the target's port.")] = None,
        protocol: Annotated[str | None, typer.Option(help="tcp (default), udp or icmp.")] = None,
        subnet: Annotated[list[str] | None, typer.Option(
            "--subnet", help="What-if: place a function in this subnet (repeatable).")] = None,
        sg: Annotated[list[str] | None, typer.Option(
            "--sg", help="What-if: with this security group (repeatable).")] = None,
        region: RegionOpt = None) -> None:
    """Can a function reach a target? One verdict per subnet, hop by hop, with the fix.

    Exit status: 0 reachable; 1 unreachable, partial or unknown; 2 bad input.

    Example: reach can api dynamodb --snapshot samples/categram/snapshot.json
    """
    from .query import can_reach
    from .render.answer import render_answer
    if subnet:
        if source is not None and target is None:
            source, target = None, source
    if target is None:
        raise fail("missing TARGET (internet, dynamodb, s3, rds:ID or A.B.C.D:PORT)")
    if source is None and not subnet:
        raise fail("missing SOURCE: a function name, or --subnet/--sg for a what-if placement")
    answer = can_reach(open_snapshot(snapshot, region), source, target, port=port, protocol=protocol,
                       subnets=subnet, security_groups=sg)
    render_answer(answer, format.value)
    raise typer.Exit(0 if answer.verdict.value == "reachable" else 1)


def _register_commands() -> None:
    """Commands that live in their own modules register themselves on the app."""
    import importlib
    for name in ("collect", "enis", "audit", "review"):
        try:
            module = importlib.import_module(f".cli_{name}", __package__)
        except ModuleNotFoundError as exc:
            if exc.name != f"{__package__}.cli_{name}":
                raise
            continue
        module.register(app)


_register_commands()


def main() -> None:
    """Run the CLI (the console script and `python -m reach`)."""
    app(prog_name="reach")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
