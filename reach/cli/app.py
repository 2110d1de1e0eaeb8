"""The `reach` typer app: every command group registered explicitly, in the order of `reach --help`."""
from __future__ import annotations

import typer

from . import audit, collect, enis, invokers, query, review

app = typer.Typer(
    name="reach",
    help="Offline AWS network reachability for Lambda functions, from an account snapshot.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _root() -> None:
    """Offline AWS network reachability for Lambda functions, from an account snapshot."""


for group in (query, collect, enis, invokers, audit, review):
    group.register(app)


def main() -> None:
    """Run the CLI (the console script and `python -m reach`)."""
    app(prog_name="reach")
