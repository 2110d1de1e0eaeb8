"""Condition operators on the keys the snapshot decides, including absent keys and IfExists."""
from __future__ import annotations

import pytest

from reach.model.iam import Statement
from reach.permissions import Context
from reach.permissions.conditions import evaluate_condition as _evaluate


def evaluate_condition(condition, ctx):
    """Through the model, which normalises values as a loaded policy has them."""
    stmt = Statement.model_validate({"Effect": "Allow", "Action": "*", "Condition": condition})
    return _evaluate(stmt.condition, ctx)

CTX = Context({"aws:sourcevpce": ("vpce-1",), "aws:principalarn": ("arn:aws:iam::111122223333:role/app",),
               "aws:securetransport": ("true",), "aws:principalaccount": ("111122223333",)})

CASES = [
    ({"StringEquals": {"aws:SourceVpce": "vpce-1"}}, True),
    ({"StringEquals": {"aws:SourceVpce": ["vpce-2", "vpce-1"]}}, True),  # values are ORed
    ({"StringEquals": {"aws:SourceVpce": "VPCE-1"}}, False),
    ({"StringEqualsIgnoreCase": {"aws:SourceVpce": "VPCE-1"}}, True),
    ({"StringNotEquals": {"aws:SourceVpce": "vpce-1"}}, False),
    ({"StringLike": {"aws:SourceVpce": "vpce-*"}}, True),
    ({"StringNotLike": {"aws:SourceVpce": "vpce-?"}}, False),
    ({"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:role/app"}}, True),
    ({"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/other"}}, False),
    ({"ArnNotLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:role/*"}}, False),
    ({"Bool": {"aws:SecureTransport": False}}, False),
    ({"Bool": {"aws:SecureTransport": "true"}}, True),
    # an absent key: positive operators fail, negated ones hold, IfExists holds (AWS docs)
    ({"StringEquals": {"aws:SourceVpc": "vpc-1"}}, False),
    ({"StringNotEquals": {"aws:SourceVpc": "vpc-1"}}, True),
    ({"StringEqualsIfExists": {"aws:SourceVpc": "vpc-1"}}, True),
    ({"Null": {"aws:SourceVpc": "true"}}, True),
    ({"Null": {"aws:SourceVpce": "true"}}, False),
    ({"ForAllValues:StringEquals": {"aws:SourceArn": "x"}}, True),
    ({"ForAnyValue:StringEquals": {"aws:SourceArn": "x"}}, False),
    # operators in a block are ANDed
    ({"StringEquals": {"aws:SourceVpce": "vpce-1", "aws:PrincipalAccount": "111122223333"}}, True),
    ({"StringEquals": {"aws:SourceVpce": "vpce-1"}, "Bool": {"aws:SecureTransport": "false"}}, False),
    # keys are case-insensitive
    ({"StringEquals": {"AWS:SOURCEVPCE": "vpce-1"}}, True),
]


@pytest.mark.parametrize("condition,expected", CASES, ids=[str(c[0]) for c in CASES])
def test_operator(condition, expected):
    assert evaluate_condition(condition, CTX).applies is expected


def test_an_undecided_key_is_unknown_and_named():
    r = evaluate_condition({"StringEquals": {"aws:PrincipalTag/team": "a"}}, CTX)
    assert (r.applies, r.unknown_keys) == (None, ("aws:PrincipalTag/team",))


def test_a_false_decided_key_decides_despite_an_undecided_one():
    r = evaluate_condition({"StringEquals": {"aws:PrincipalTag/team": "a", "aws:SourceVpce": "x"}}, CTX)
    assert r.applies is False


def test_an_unsupported_operator_on_a_decided_key_is_unknown():
    r = evaluate_condition({"NumericEquals": {"aws:SourceVpce": "1"}}, CTX)
    assert (r.applies, r.unknown_operators) == (None, ("NumericEquals",))
