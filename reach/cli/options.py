"""Options every command shares, and the one place domain errors become exit codes."""
from __future__ import annotations

import functools
from enum import Enum
from typing import Annotated, Callable

import typer

from ..errors import ReachInputError
from ..render.console import err


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
