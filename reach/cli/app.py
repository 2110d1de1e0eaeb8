"""The `reach` typer app: every command group registered explicitly, in the order of `reach --help`."""
from __future__ import annotations

import os
import signal
import sys
from typing import Annotated

import typer
from typer.core import TyperGroup

from . import audit, collect, enis, invokers, query, review

# The click typer runs on: its own copy in newer typers (typer._click), click itself before.
UsageError = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")
NoArgsIsHelpError = getattr(sys.modules[UsageError.__module__], "NoArgsIsHelpError", ())

class _Group(TyperGroup):
    """The root group: a usage error (a bad option value, an unknown option or command) is one
    line on stderr and exit status 2, like every other bad input, not click's usage box."""

    def make_context(self, *args, **kwargs):
        try:
            return super().make_context(*args, **kwargs)
        except UsageError as exc:
            raise _one_line(exc) from None

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except UsageError as exc:
            raise _one_line(exc) from None

    def get_command(self, ctx, cmd_name):
        """The command, its examples kept whole: a command line is never wrapped mid-way."""
        command = super().get_command(ctx, cmd_name)
        if command is not None and command.help and "\b\nExample:" not in command.help:
            # click does not rewrap a paragraph that opens with \b: each example is one line.
            command.help = "\n\n".join("\b\n" + " ".join(p.split()) if p.strip().startswith("Example:") else p
                                       for p in command.help.split("\n\n"))
        return command

    def format_commands(self, ctx, formatter) -> None:
        """Each command with its whole first sentence, wrapped to the terminal, never cut off."""
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                text = " ".join((command.help or "").split("\n\n")[0].split())
                rows.append((name, _first_sentence(text)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


def _first_sentence(text: str) -> str:
    for end in (". ", "? "):
        if end in text:
            text = text[:text.index(end) + 1]
    return text


class _OneLineUsageError(UsageError):
    def show(self, file=None) -> None:
        typer.echo(f"reach: {self.format_message()}", err=True)


def _one_line(exc):
    """The error as one line naming the command (`reach: can: ...`), its help a word away; a
    request for help (no arguments) stays what it is."""
    if NoArgsIsHelpError and isinstance(exc, NoArgsIsHelpError):
        return exc
    message = " ".join(exc.format_message().split())
    if len(message) > 300:  # a 5,000-character value is not echoed in full
        message = message[:299] + "…"
    command = exc.ctx.command_path if exc.ctx else "reach"
    where = command.removeprefix("reach").strip()
    line = f"{where}: {message}" if where else message
    return _OneLineUsageError(f"{line} (see {command} --help)", ctx=exc.ctx)


app = typer.Typer(
    cls=_Group,
    name="reach",
    help="Offline AWS network reachability for Lambda functions, from an account snapshot.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    # Plain click help and usage errors: typer's rich help imports rich's markdown, syntax and
    # traceback modules (pygments, markdown-it), a third of `reach --help` (docs/performance.md).
    rich_markup_mode=None,
    # Help is as wide as the terminal (click caps it at 80 columns otherwise).
    context_settings={"max_content_width": 1000},
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
    # No third-party pydantic plugin (an entry point of another package) sees the snapshot: reach
    # sends nothing anywhere, and looking them up scans every installed package's metadata (10-30
    # ms of a cold `reach can`, docs/performance.md). A value the user set is kept.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    app(prog_name="reach")
