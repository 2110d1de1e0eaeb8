"""Properties of the evaluator (hypothesis): deny wins, order does not matter, monotonicity, and
three-valued soundness: `allowed` and `denied` hold for every way an undecided condition could go."""
from __future__ import annotations

import itertools
from dataclasses import replace

from hypothesis import given, settings, strategies as st

from reach.permissions import Gates, Policy, PolicyKind, Verdict, decide

from .build import ACCOUNT, ROLE, SESSION, TABLE, doc, gates, request

ACTIONS = ["dynamodb:PutItem", "dynamodb:*", "dynamodb:Get*", "*", "s3:*", "DYNAMODB:putitem"]
RESOURCES = ["*", TABLE, TABLE.replace("orders", "audit"), "arn:aws:dynamodb:*:*:table/ord*"]
PRINCIPALS = ["*", {"AWS": ROLE}, {"AWS": SESSION}, {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
              {"AWS": "arn:aws:iam::999999999999:role/x"}]
UNDECIDED = {"StringEquals": {"aws:PrincipalTag/team": "a"}}
CONDITIONS = [None, {"StringEquals": {"aws:SourceVpce": "vpce-1"}},
              {"StringNotEquals": {"aws:SourceVpce": "vpce-1"}},
              {"Bool": {"aws:SecureTransport": "false"}}, UNDECIDED]


@st.composite
def statements(draw, *, principal: bool, effect=None):
    stmt = {"Effect": effect or draw(st.sampled_from(["Allow", "Deny"]))}
    key = draw(st.sampled_from(["Action", "NotAction"]))
    stmt[key] = draw(st.sampled_from(ACTIONS))
    stmt[draw(st.sampled_from(["Resource", "NotResource"]))] = draw(st.sampled_from(RESOURCES))
    if principal:
        stmt["Principal"] = draw(st.sampled_from(PRINCIPALS))
    cond = draw(st.sampled_from(CONDITIONS))
    if cond:
        stmt["Condition"] = cond
    stmt["Sid"] = f"s{draw(st.integers(0, 999))}"
    return stmt


def _policy(name, kind, stmts):
    return Policy(name, kind, doc(*stmts)) if stmts else Policy(name, kind, doc({"Effect": "Deny", "Action": "none:None", "Resource": "*"}))


@st.composite
def scenario(draw):
    ident = [draw(st.lists(statements(principal=False), max_size=3)) for _ in range(draw(st.integers(0, 2)))]
    boundary = draw(st.none() | st.lists(statements(principal=False), max_size=2))
    resource = draw(st.none() | st.lists(statements(principal=True), max_size=2))
    endpoint = draw(st.none() | st.lists(statements(principal=True), max_size=2))
    return {"identity": ident, "boundary": boundary, "resource": resource, "endpoint": endpoint,
            "via": draw(st.sampled_from([None, "vpce-1", "vpce-2"]))}


def build(s) -> tuple[Gates, object]:
    g = gates([_policy(f"app/p{i}", PolicyKind.IDENTITY, st_) for i, st_ in enumerate(s["identity"])],
              boundary=_policy("boundary", PolicyKind.BOUNDARY, s["boundary"]) if s["boundary"] is not None else None,
              resource=[_policy(TABLE, PolicyKind.RESOURCE, s["resource"])] if s["resource"] is not None else [],
              resource_name=TABLE,
              endpoint=_policy("vpce-1", PolicyKind.ENDPOINT, s["endpoint"]) if s["endpoint"] is not None and s["via"] else None)
    return g, request(endpoint=s["via"])


def verdict(s) -> Verdict:
    g, req = build(s)
    return decide(req, g).verdict


def _slots(s):
    return [k for k in ("identity", "boundary", "resource", "endpoint") if s[k] is not None]


@settings(max_examples=300, deadline=None)
@given(scenario(), st.data())
def test_a_matching_deny_anywhere_wins(s, data):
    slot = data.draw(st.sampled_from(["identity", "boundary", "resource"]))
    deny = {"Effect": "Deny", "Action": "*", "Resource": "*", "Sid": "Wall"}
    if slot == "resource":
        deny["Principal"] = "*"
    t = dict(s)
    if slot == "identity":
        t["identity"] = [*s["identity"], [deny]]
    else:
        t[slot] = [*(s[slot] or []), deny]
    assert verdict(t) is Verdict.DENIED


@settings(max_examples=300, deadline=None)
@given(scenario(), st.randoms())
def test_statement_and_policy_order_do_not_matter(s, rnd):
    t = dict(s)
    t["identity"] = [rnd.sample(p, len(p)) for p in rnd.sample(s["identity"], len(s["identity"]))]
    for k in ("boundary", "resource", "endpoint"):
        if s[k] is not None:
            t[k] = rnd.sample(s[k], len(s[k]))
    assert verdict(t) is verdict(s)


def _verdicts_with_one_more(s, data, effect: str):
    """The verdict of a scenario, and of the same with one more `effect` statement in one slot."""
    slot = data.draw(st.sampled_from(_slots(s) or ["identity"]))
    extra = data.draw(statements(principal=slot in ("resource", "endpoint"), effect=effect))
    t = dict(s)
    t[slot] = [*s["identity"], [extra]] if slot == "identity" else [*s[slot], extra]
    return verdict(s), verdict(t)


@settings(max_examples=300, deadline=None)
@given(scenario(), st.data())
def test_adding_an_allow_never_turns_allowed_into_denied(s, data):
    before, after = _verdicts_with_one_more(s, data, "Allow")
    if before is Verdict.ALLOWED:
        assert after is Verdict.ALLOWED
    if after is Verdict.DENIED:
        assert before is Verdict.DENIED


@settings(max_examples=300, deadline=None)
@given(scenario(), st.data())
def test_adding_a_deny_never_turns_denied_into_allowed(s, data):
    before, after = _verdicts_with_one_more(s, data, "Deny")
    if before is Verdict.DENIED:
        assert after is Verdict.DENIED
    if after is Verdict.ALLOWED:
        assert before is Verdict.ALLOWED


@settings(max_examples=300, deadline=None)
@given(scenario())
def test_no_allow_anywhere_is_never_allowed(s):
    t = {k: (v if k == "via" or v is None else
             [[x for x in p if x["Effect"] == "Deny"] for p in v] if k == "identity" else
             [x for x in v if x["Effect"] == "Deny"]) for k, v in s.items()}
    t["resource"] = t["resource"] or None
    assert verdict(t) is not Verdict.ALLOWED


def _resolutions(s):
    """Every way the undecided conditions could go: each such statement applies or does not."""
    spots = [(k, i, j) for k in ("identity",) for i, p in enumerate(s[k]) for j, x in enumerate(p)
             if x.get("Condition") == UNDECIDED]
    spots += [(k, None, j) for k in ("boundary", "resource", "endpoint") if s[k] is not None
              for j, x in enumerate(s[k]) if x.get("Condition") == UNDECIDED]
    for choice in itertools.product([True, False], repeat=len(spots)):
        t = {k: ([list(p) for p in v] if k == "identity" else list(v) if isinstance(v, list) else v)
             for k, v in s.items()}
        drop = []
        for (k, i, j), applies in zip(spots, choice):
            target = t[k][i] if i is not None else t[k]
            if applies:
                target[j] = {x: y for x, y in target[j].items() if x != "Condition"}
            else:
                drop.append((k, i, j))
        for k, i, j in sorted(drop, key=lambda d: -d[2]):
            (t[k][i] if i is not None else t[k]).pop(j)
        yield t


@settings(max_examples=300, deadline=None)
@given(scenario())
def test_undecided_conditions_never_give_a_guessed_verdict(s):
    v = verdict(s)
    if v is Verdict.UNKNOWN:
        return
    for t in itertools.islice(_resolutions(s), 64):
        assert verdict(t) is v
