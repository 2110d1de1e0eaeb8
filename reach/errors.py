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


def nearest(name: str, names, *, limit: int = 3) -> str:
    """The names closest to a mistyped one, as "; did you mean a, b?" (empty when none is close)."""
    import difflib  # only on the error path
    pool = sorted(set(names))
    close = [n for n in pool if n.startswith(name) and n != name][:limit]
    for n in difflib.get_close_matches(name, pool, n=limit, cutoff=0.6):
        if n not in close:
            close.append(n)
    return f"; did you mean {', '.join(close[:limit])}?" if close else ""
