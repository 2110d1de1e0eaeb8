"""Compare two snapshots: each verdict that changed, the AWS object whose change did it, ENI combinations."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..answer import Answer, Blocker, Path, Verdict
from ..catalogue import permission_lines
from ..engine.query import can_reach
from ..engine.targets import parse_target
from ..errors import ReachInputError
from ..estate.objects import dump, kind_of, name_of
from ..model import Snapshot
from .audit import audit
from .changes import ObjectChange, object_changes
from .enis import EniCombination, plan_enis

FAIL_ON = ("lost", "gained", "any", "none")
_TARGET_ORDER = {"internet": 0, "internet6": 1, "dynamodb": 2, "s3": 3}

QuestionKey = tuple[str, str, str]
"""(function, ARN, target spec): one question of the audit."""


@dataclass(frozen=True)
class Cause:
    """The changed AWS object that made the difference, and the code of the block it now causes."""

    component_id: str
    kind: str
    code: str | None
    name: str | None = None  # the Name tag, for people
    reason: str | None = None  # the blocker's reason, for people
    address: str | None = None  # the Terraform address of the change, when a plan made it
    changes: tuple[ObjectChange, ...] = ()  # what changed inside the object

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"component_id": self.component_id, "kind": self.kind, "code": self.code}
        if self.address:
            out["terraform_address"] = self.address
        if self.changes:
            out["changes"] = [c.to_dict() for c in self.changes]
        return out


@dataclass(frozen=True)
class VerdictChange:
    """One question whose verdict differs; `None` means the question is not asked on that side."""

    function: str
    target: str
    old: Verdict | None
    new: Verdict | None
    cause: Cause | None
    changed_components: tuple[str, ...] = ()
    kinds: tuple[tuple[str, str], ...] = ()  # (id, kind) of each changed component, for people
    arn: str = ""  # the function's ARN: two Regions can hold functions of one name

    @property
    def lost(self) -> bool:
        """Reachable before, asked and not reachable now."""
        return self.old == Verdict.REACHABLE and self.new not in (None, Verdict.REACHABLE)

    @property
    def gained(self) -> bool:
        """Asked and not reachable before, reachable now."""
        return self.new == Verdict.REACHABLE and self.old not in (None, Verdict.REACHABLE)

    def to_dict(self) -> dict[str, Any]:
        return {"function": self.function, "target": self.target,
                "old": self.old.value if self.old else None,
                "new": self.new.value if self.new else None,
                "cause": self.cause.to_dict() if self.cause else None,
                "changed_components": list(self.changed_components)}


@dataclass
class SnapshotDiff:
    """What changed between two snapshots, in audit order (function, then target)."""

    changes: list[VerdictChange]
    enis_added: list[EniCombination] = field(default_factory=list)
    enis_removed: list[EniCombination] = field(default_factory=list)
    questions: int = 0  # how many questions were compared
    # (subnet, groups) of an added or removed combination -> the Terraform changes behind it
    eni_addresses: dict[tuple, tuple[str, ...]] = field(default_factory=dict)

    def fails(self, fail_on: set[str]) -> bool:
        """Whether a change of a kind chosen with --fail-on occurred."""
        return any(("any" in fail_on) or ("lost" in fail_on and c.lost)
                   or ("gained" in fail_on and c.gained) for c in self.changes)

    def to_dict(self) -> dict[str, Any]:
        def eni(e: EniCombination) -> dict[str, Any]:
            out = e.to_dict()
            if self.eni_addresses.get(e.key):
                out["terraform_addresses"] = list(self.eni_addresses[e.key])
            return out
        return {"changes": [c.to_dict() for c in self.changes],
                "enis": {"added": [eni(e) for e in self.enis_added],
                         "removed": [eni(e) for e in self.enis_removed]}}


def parse_fail_on(value: str) -> set[str]:
    """Read --fail-on: a comma list of lost, gained, any, none."""
    chosen = {v.strip() for v in value.split(",") if v.strip()}
    bad = sorted(chosen - set(FAIL_ON))
    if bad or not chosen:
        raise ReachInputError(f"--fail-on {value!r}: choose from {', '.join(FAIL_ON)} "
                              "(a comma list, e.g. lost,gained)")
    return set() if chosen == {"none"} else chosen - {"none"}


def diff_snapshots(old: Snapshot, new: Snapshot) -> SnapshotDiff:
    """Ask both snapshots every audit question and explain each verdict that changed."""
    before, after = _answers(old), _answers(new)
    _ask_missing(before, after, old)
    _ask_missing(after, before, new)
    keys = sorted(before.keys() | after.keys(), key=_order)
    changes = []
    for key in keys:
        a, b = before.get(key), after.get(key)
        if a is not None and b is not None and a.verdict == b.verdict:
            continue
        changes.append(_change(key, a, b, old, new))
    old_enis = {e.key: e for e in plan_enis(old).enis}
    new_enis = {e.key: e for e in plan_enis(new).enis}
    added = [new_enis[k] for k in sorted(new_enis.keys() - old_enis.keys())]
    removed = [old_enis[k] for k in sorted(old_enis.keys() - new_enis.keys())]
    return SnapshotDiff(changes=changes, enis_added=added, enis_removed=removed, questions=len(keys),
                        eni_addresses={e.key: _eni_addresses(e, old, new) for e in added + removed})


def terraform_address(rid: str, new: Snapshot, old: Snapshot) -> str | None:
    """The Terraform address of the change that touched an AWS object, else the address behind
    a synthetic id; None when neither snapshot came from Terraform."""
    infos = [i for i in (getattr(new, "terraform", None), getattr(old, "terraform", None)) if i]
    for info in infos:
        if info.changed_by(rid):
            return info.changed_by(rid)[0]
    return next((info.address_of(rid) for info in infos if info.address_of(rid)), None)


def _eni_addresses(e: EniCombination, old: Snapshot, new: Snapshot) -> tuple[str, ...]:
    """The changes that made a combination appear or go: its functions, subnet or groups."""
    ids = [*(f.split(":")[0] for f in e.functions), e.subnet_id, *e.security_group_ids]
    infos = [i for i in (getattr(new, "terraform", None), getattr(old, "terraform", None)) if i]
    return tuple(dict.fromkeys(a for rid in ids for info in infos for a in info.changed_by(rid)))


DUAL_STACK = " dual-stack"
"""Appended to `dynamodb` or `s3`: the question of its dual-stack endpoint over IPv6, the `ipv6`
part of a dual-stack function's answer (docs/semantics.md §6v), compared as a question of its own."""


def _answers(snapshot: Snapshot) -> dict[QuestionKey, Answer]:
    out: dict[QuestionKey, Answer] = {}
    for a in audit(snapshot).results:
        key = (a.source.get("function") or "", a.source.get("arn") or "", a.target["spec"])
        out[key] = a
        if a.ipv6 is not None and a.ipv6.target.get("endpoint"):
            out[(*key[:2], key[2] + DUAL_STACK)] = a.ipv6
    return out


def _ask_missing(answers: dict[QuestionKey, Answer], others: dict[QuestionKey, Answer],
                 snapshot: Snapshot) -> None:
    """The audit asks of the tables and buckets a role names; one named on the other side only
    (the change added or removed the statement) is asked here too, when the function is here."""
    for key in others.keys() - answers.keys():
        fn, arn, spec = key
        if spec.endswith(DUAL_STACK) or parse_target(spec).resource is None:
            continue
        for source in dict.fromkeys(s for s in (arn, fn) if s):
            try:
                answers[key] = can_reach(snapshot, source, spec)
                break
            except ReachInputError:
                continue  # not by its ARN here; by its name, else it is on one side only


def _order(key: QuestionKey) -> tuple:
    fn, arn, spec = key
    return (fn, arn, _TARGET_ORDER.get(spec, 4), spec)


def _change(key: QuestionKey, a: Answer | None, b: Answer | None, old: Snapshot,
            new: Snapshot) -> VerdictChange:
    fn, _, spec = key
    failing = _failing_blockers(a, b)
    candidates = _candidates(fn, spec, a, b, failing)
    changed = [c for c in candidates if dump(old, c) != dump(new, c)]
    kinds = tuple((c, kind_of(c, new, old, default="component")) for c in changed)
    return VerdictChange(function=fn, target=spec, old=a.verdict if a else None,
                         new=b.verdict if b else None,
                         cause=_cause(failing, changed, old, new, fn, spec, a, b),
                         changed_components=tuple(changed), kinds=kinds, arn=key[1])


def _failing_blockers(a: Answer | None, b: Answer | None) -> list[Blocker]:
    """The blockers on the side that does not get through, on each path whose verdict changed."""
    olds = {p.subnet_id: p for p in (a.paths if a else [])}
    news = {p.subnet_id: p for p in (b.paths if b else [])}
    pairs: list[tuple[Path | None, Path | None]] = [
        (olds.get(k), news.get(k)) for k in dict.fromkeys([*olds, *news])]
    moved = [(o, n) for o, n in pairs if o is None or n is None or o.verdict != n.verdict]
    out: list[Blocker] = []
    for o, n in moved or pairs:
        side = n if n is not None and n.verdict != Verdict.REACHABLE else o
        if side is not None and side.verdict != Verdict.REACHABLE:
            out.extend(x for x in side.blockers if x not in out)
    return out


def _candidates(fn: str, spec: str, a: Answer | None, b: Answer | None,
                failing: list[Blocker]) -> list[str]:
    """Every AWS object on the two paths: blockers first, then hops, ENIs, the function, the target."""
    ids: list[str] = []
    for x in failing:
        ids += [x.component_id, *x.refs]
    for answer in (b, a):
        for p in answer.paths if answer else []:
            ids += [p.subnet_id or "", *p.security_group_ids]
            for h in p.hops:
                ids += list(h.refs) or [h.component_id]
    for answer in (b, a):  # the role and the policies that decided the permission
        for action in answer.permission.actions if answer and answer.permission else []:
            ids += [*action.not_allowed_by, *(d.policy for d in action.decided_by)]
    ids += [fn, spec[4:] if spec.startswith("rds:") else ""]
    return [i for i in dict.fromkeys(ids) if i]


def _permission_reason(a: Answer, b: Answer) -> str | None:
    """The first action not allowed, on the side that does not get through."""
    side = b if b.verdict != Verdict.REACHABLE else a
    for action in side.permission.to_dict()["actions"] if side.permission else []:
        if action["verdict"] != "allowed":
            return permission_lines(action)[0]
    return None


def _cause(failing: list[Blocker], changed: list[str], old: Snapshot, new: Snapshot, fn: str,
           spec: str, a: Answer | None, b: Answer | None) -> Cause | None:
    """The blocker that sits on a changed object; else the first changed object; else the blocker."""
    def make(rid: str, code: str | None, reason: str | None, default: str = "component") -> Cause:
        return Cause(rid, kind_of(rid, new, old, default=default), code, name_of(rid, new, old), reason,
                     terraform_address(rid, new, old), tuple(object_changes(old, new, rid)))

    if a is None or b is None:
        # The question exists on one side only: the function or the database was added or removed.
        rid = next((c for c in changed if c in (fn, spec[4:])), changed[0] if changed else fn)
        return make(rid, None, None)
    for x in failing:
        for rid in [x.component_id, *x.refs]:
            if rid in changed:
                return make(rid, x.code, x.reason)
    first = failing[0] if failing else None
    if changed:
        return make(changed[0], first.code if first else None,
                    first.reason if first else _permission_reason(a, b))
    if first:
        return make(first.component_id, first.code, first.reason, default=first.kind)
    return None
