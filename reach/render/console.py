"""The rich consoles every renderer prints through: results to stdout, diagnostics to stderr."""
from __future__ import annotations

from rich.console import Console

out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)


def print_json(text: str) -> None:
    """Print JSON verbatim, untouched by rich markup."""
    out.file.write(text + "\n")
    out.file.flush()
