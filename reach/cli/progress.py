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
