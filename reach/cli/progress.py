"""A rich progress bar on stderr, only for a person at a terminal: never when piped or in CI."""
from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from typing import Iterator

from ..collect.run import Progress


def wants_progress() -> bool:
    """True when stderr is a terminal and the CI variable is unset."""
    return sys.stderr.isatty() and not os.environ.get("CI")


@contextmanager
def progress_bar(enabled: bool) -> Iterator[Progress | None]:
    """Yield a `Progress` callback that drives a transient bar, or None when disabled."""
    if not enabled:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, TimeElapsedColumn

    from ..render.console import err
    with Bar(TextColumn("collecting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
             console=err, transient=True) as bar:
        task = bar.add_task("collect", total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


class AccountLines:
    """One rich line per account: its calls done out of those known, then how it ended."""

    def __init__(self, bar) -> None:
        self._bar = bar
        self._tasks: dict[str, int] = {}

    @staticmethod
    def _label(account) -> str:
        return f"{account.account_id} {account.name}" if account.name else account.account_id

    def start(self, account) -> None:
        self._tasks[account.account_id] = self._bar.add_task(self._label(account), total=None,
                                                             outcome="")

    def update(self, account, done: int, total: int) -> None:
        self._bar.update(self._tasks[account.account_id], completed=done, total=total)

    def finish(self, account, result) -> None:
        task = self._tasks[account.account_id]
        if result.collected:
            gaps = len(result.call_gaps)
            outcome = f"{len(result.regions)} region(s)" + (f", {gaps} gap(s)" if gaps else "")
        else:
            outcome = "not collected"
        self._bar.update(task, outcome=outcome, total=max(self._bar.tasks[task].completed, 1),
                         completed=max(self._bar.tasks[task].completed, 1))


@contextmanager
def account_lines(enabled: bool) -> Iterator[AccountLines | None]:
    """Yield an `AccountLines` drawn on stderr, or None when not at a terminal (or in CI)."""
    if not enabled:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, TimeElapsedColumn

    from ..render.console import err
    with Bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
             TimeElapsedColumn(), TextColumn("{task.fields[outcome]}"), console=err) as bar:
        yield AccountLines(bar)
