"""Errors that the CLI turns into exit status 2 with one line: bad snapshots, sources and targets."""
from __future__ import annotations

import re

# A word longer than this (a 5,000-character name from a broken snapshot or argument) is cut, so
# the one line stays readable.
_LONGEST = 160
_LONG_WORD = re.compile(r"[^\s'\"]{%d,}" % (_LONGEST + 1))


def _cut(text: str) -> str:
    return _LONG_WORD.sub(lambda m: f"{m.group()[:_LONGEST - 20]}...({len(m.group())} characters)",
                          text.replace("\n", "\\n").replace("\r", "\\r"))


class ReachInputError(Exception):
    """Bad input: names the file, the JSON path of the bad value and what is wrong."""

    def __init__(self, message: str, *, file: str | None = None, path: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.path = path

    def __str__(self) -> str:
        where = [self.file] if self.file else []
        where += [_cut(self.path)] if self.path else []
        return ": ".join([*where, _cut(self.message)])
