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


def main() -> None:
    """Run the CLI (the console script and `python -m reach`)."""
    app(prog_name="reach")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
