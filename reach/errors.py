"""Errors that the CLI turns into exit status 2 with one line: bad snapshots, sources and targets."""
from __future__ import annotations


class ReachInputError(Exception):
    """Bad input: names the file, the JSON path of the bad value and what is wrong."""

    def __init__(self, message: str, *, file: str | None = None, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.path = path

    def __str__(self) -> str:
        where = [p for p in (self.file, self.path) if p]
        return ": ".join([*where, self.message])
