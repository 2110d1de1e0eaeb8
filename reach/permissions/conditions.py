"""Condition blocks: the keys the snapshot decides are evaluated; any other key is `unknown`.

AWS semantics (IAM User Guide, "Condition operators" and "Multivalued context keys",
docs/semantics.md "Permissions"): operators in a block and keys in an operator are ANDed, the values
of one key are ORed; a key absent from the request matches no positive operator, satisfies every
negated one (`StringNot*`, `ArnNot*`), and satisfies `...IfExists` and `ForAllValues:`."""
from __future__ import annotations

from dataclasses import dataclass, field

from .match import Tri, glob_match, t_and

# The global keys a snapshot decides for a Lambda function's own calls (issue 13).
DECIDED_KEYS = frozenset({
    "aws:sourcevpc", "aws:sourcevpce", "aws:principalarn", "aws:principalaccount",
    "aws:requestedregion", "aws:securetransport", "aws:sourceaccount", "aws:sourcearn",
})


@dataclass(frozen=True)
class Context:
    """The request context: the decided keys that are present, with their values."""

    values: dict[str, tuple[str, ...]] = field(default_factory=dict)  # lower-cased key -> values

    def get(self, key: str) -> tuple[str, ...] | None:
        return self.values.get(key.lower())


@dataclass(frozen=True)
class ConditionResult:
    applies: Tri
    unknown_keys: tuple[str, ...] = ()  # as the policy spells them
    unknown_operators: tuple[str, ...] = ()


def _string_like(values, pattern: str, _) -> bool:
    return glob_match(pattern, values)


def _arn_like(value: str, pattern: str, _) -> bool:
    # Each of the six colon-separated parts is matched on its own (ARN condition operators).
    vparts, pparts = value.split(":", 5), pattern.split(":", 5)
    if len(pparts) != len(vparts):
        return glob_match(pattern, value)
    return all(glob_match(p, v) for p, v in zip(pparts, vparts))


_BASE = {
    "stringequals": (lambda v, p, _: v == p, False),
    "stringnotequals": (lambda v, p, _: v == p, True),
    "stringequalsignorecase": (lambda v, p, _: v.lower() == p.lower(), False),
    "stringnotequalsignorecase": (lambda v, p, _: v.lower() == p.lower(), True),
    "stringlike": (_string_like, False),
    "stringnotlike": (_string_like, True),
    "arnequals": (_arn_like, False),
    "arnlike": (_arn_like, False),
    "arnnotequals": (_arn_like, True),
    "arnnotlike": (_arn_like, True),
    "bool": (lambda v, p, _: v.lower() == p.lower(), False),
}


def _one(operator: str, key: str, expected: list[str], ctx: Context) -> Tri | str:
    """Evaluate one operator on one key; a string names why it cannot be decided."""
    op = operator.lower()
    qualifier = None
    if ":" in op:
        qualifier, op = op.split(":", 1)
        if qualifier not in ("foranyvalue", "forallvalues"):
            return "operator"
    if_exists = op.endswith("ifexists")
    if if_exists:
        op = op[: -len("ifexists")]
    present = ctx.get(key)
    if op == "null":
        want_absent = any(e.lower() == "true" for e in expected)
        return (present is None) == want_absent
    if op not in _BASE:
        return "operator"
    test, negated = _BASE[op]
    if present is None:
        if if_exists or qualifier == "forallvalues":
            return True
        if qualifier == "foranyvalue":
            return False
        return negated
    def hit(value: str) -> bool:
        return any(test(value, e, None) for e in expected)
    if qualifier == "forallvalues":
        found = all(hit(v) for v in present)
    else:
        found = any(hit(v) for v in present)
    return not found if negated else found


def evaluate_condition(condition: dict[str, dict[str, list[str]]], ctx: Context) -> ConditionResult:
    """Whether a statement's Condition holds for the request, or which keys leave it undecided."""
    results: list[Tri] = []
    unknown_keys: list[str] = []
    unknown_ops: list[str] = []
    for operator, block in condition.items():
        for key, expected in block.items():
            if key.lower() not in DECIDED_KEYS:
                results.append(None)
                unknown_keys.append(key)
                continue
            value = _one(operator, key, expected, ctx)
            if isinstance(value, str):
                results.append(None)
                unknown_ops.append(operator)
            else:
                results.append(value)
    applies = t_and(*results) if results else True
    return ConditionResult(applies, tuple(unknown_keys), tuple(unknown_ops))
