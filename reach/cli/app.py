"""The `reach` typer app: every command group registered explicitly, in the order of `reach --help`."""
from __future__ import annotations

import signal
from typing import Annotated

import typer

from . import audit, collect, enis, invokers, query, review

app = typer.Typer(
    name="reach",
    help="Offline AWS network reachability for Lambda functions, from an account snapshot.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    # Plain click help and usage errors: typer's rich help imports rich's markdown, syntax and
    # traceback modules (pygments, markdown-it), a third of `reach --help` (docs/performance.md).
    rich_markup_mode=None,
)


def _print_version(value: bool) -> None:
    if value:
        from ..version import __version__
        typer.echo(f"reach {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(version: Annotated[bool, typer.Option(
        "--version", callback=_print_version, is_eager=True, help="Print reach's version and exit.")] = False) -> None:
    """Offline AWS network reachability for Lambda functions, from an account snapshot."""


for group in (query, collect, enis, invokers, audit, review):
    group.register(app)


def main() -> None:
    """Run the CLI (the console script and `python -m reach`)."""
    # A reader that stops early (`reach can ... | head -1`) ends reach quietly, as it ends any
    # Unix tool: the default action of SIGPIPE, not a BrokenPipeError at exit.
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    app(prog_name="reach")
