"""Hyperplane ENIs and the combinations they serve: the one drift rule `reach can` and `reach enis` share."""
from __future__ import annotations

import re
from typing import Container, Mapping, Sequence

from ..model import NetworkInterface

DESCRIPTION_PREFIX = "AWS Lambda VPC ENI-"  # "AWS Lambda VPC ENI-<function-name>-<suffix>" (1.14)
_SUFFIX = re.compile(r"-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)

Key = tuple[str, tuple[str, ...]]
"""A combination: the subnet id and the sorted, de-duplicated security-group ids (1.5, 1.6)."""


def combination_key(subnet_id: str, group_ids: Sequence[str]) -> Key:
    """The combination's key: the group set compared as a whole, in any order (1.6)."""
    return (subnet_id, tuple(sorted(set(group_ids))))


def named_function(description: str | None, known: Container[str]) -> str | None:
    """The function named in a Lambda ENI's Description, the one that caused its creation (1.14)."""
    if not description or not description.startswith(DESCRIPTION_PREFIX):
        return None
    rest = description[len(DESCRIPTION_PREFIX):]
    # Names may hold hyphens: take the longest known name followed by "-".
    known_cut = next((i for i in range(len(rest) - 1, 0, -1) if rest[i] == "-" and rest[:i] in known), 0)
    if known_cut:
        return rest[:known_cut]
    m = _SUFFIX.search(rest)
    return rest[:m.start()] if m and m.start() > 0 else None


def drifted_to(eni: NetworkInterface, *, known: Container[str], combinations: Mapping[tuple[str, str], Sequence[Key]],
               live: Container[Key], with_own_eni: Container[Key] | None) -> list[Key]:
    """The combinations a Lambda ENI still serves although its groups match none in use: those of
    the function its Description names, in its subnet (1.14); its groups were changed by hand (1.15).

    `combinations` maps (function name, subnet) to that function's combinations there. The one
    choice `reach can` and `reach enis` make differently (docs/enis.md) is `with_own_eni`:
    `reach enis` passes the combinations that already have an exact ENI and gets at most one, the
    one whose groups overlap the ENI's most (else the ENI is stale); `reach can` passes None and
    gets every such combination, because until Lambda deletes it the ENI may carry that traffic."""
    if combination_key(eni.subnet_id or "", eni.group_ids) in live:
        return []
    named = named_function(eni.description, known)
    candidates = sorted(set(combinations.get((named or "", eni.subnet_id or ""), ())))
    if with_own_eni is None:
        return candidates
    candidates = [k for k in candidates if k not in with_own_eni]
    groups = set(eni.group_ids)
    return [max(candidates, key=lambda k: len(set(k[1]) & groups))] if candidates else []
