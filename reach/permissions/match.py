"""Matching in policies: IAM wildcards on actions and resources, and three-valued logic."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

Tri = bool | None
"""True, False, or None when the snapshot cannot decide."""


def t_and(*values: Tri) -> Tri:
    """Kleene AND: False wins, then unknown."""
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


def t_or(*values: Tri) -> Tri:
    """Kleene OR: True wins, then unknown."""
    if any(v is True for v in values):
        return True
    return None if any(v is None for v in values) else False


def t_not(value: Tri) -> Tri:
    return None if value is None else not value


@lru_cache(maxsize=4096)
def _glob(pattern: str, ignore_case: bool) -> re.Pattern:
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(body, (re.IGNORECASE if ignore_case else 0) | re.DOTALL)


def glob_match(pattern: str, value: str, *, ignore_case: bool = False) -> bool:
    """IAM wildcards: `*` any run of characters, `?` one character."""
    if pattern == "*":
        return True
    return _glob(pattern, ignore_case).fullmatch(value) is not None


def action_matches(pattern: str, action: str) -> bool:
    """Action names match case-insensitively (IAM JSON reference, Action)."""
    return glob_match(pattern, action, ignore_case=True)


@dataclass(frozen=True)
class Resource:
    """The resource of a request: an ARN, or an ARN prefix followed by a part no snapshot knows
    (an S3 object key, a Lambda log stream's name), written with a trailing `*`."""

    prefix: str
    open: bool = False

    def __str__(self) -> str:
        return self.prefix + ("*" if self.open else "")


ANY_RESOURCE = Resource("*")


def resource_matches(pattern: str, resource: Resource) -> Tri:
    """Does a Resource pattern cover the request's resource? Resource ARNs are case-sensitive.

    For an open resource: True when the pattern covers every name after the prefix, False when it
    covers none, None when it covers only some (a policy on `bucket/uploads/*`, asked about any key)."""
    if resource is ANY_RESOURCE or resource.prefix == "*":
        return pattern == "*" or None
    if not resource.open:
        return glob_match(pattern, resource.prefix)
    if _covers_open(pattern, resource.prefix):
        return True
    return None if _may_meet_open(pattern, resource.prefix) else False


def _covers_open(pattern: str, prefix: str) -> bool:
    # A pattern that ends with `*` and matches the prefix matches every longer name: its last `*`
    # stretches over the tail.
    if pattern.endswith("*") and glob_match(pattern, prefix):
        return True
    # Otherwise some split P = A + W where A matches the prefix exactly and W is wildcards holding a `*`
    # and at most one `?` (the unknown tail is never empty): then every tail matches.
    for k in range(len(pattern) + 1):
        head, tail = pattern[:k], pattern[k:]
        if (tail and set(tail) <= {"*", "?"} and "*" in tail and tail.count("?") <= 1
                and glob_match(head, prefix)):
            return True
    return False


def _may_meet_open(pattern: str, prefix: str) -> bool:
    # The literal text before the pattern's first wildcard must agree with the prefix; a pattern
    # with no wildcard names one ARN, which must be longer than the prefix and start with it.
    cut = min((i for i, c in enumerate(pattern) if c in "*?"), default=len(pattern))
    literal = pattern[:cut]
    n = min(len(literal), len(prefix))
    if literal[:n] != prefix[:n]:
        return False
    if cut == len(pattern):
        return len(pattern) > len(prefix)
    return True
