"""Declared intent: read expectation rules (YAML or JSON) and check an audit's answers against them."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path as FilePath
from typing import Any

import yaml

from ..answer import Answer, Blocker, Decision, Hop, Kind, Verdict
from ..catalogue import PERMISSION_AGAINST_INTENT, REACHABLE_AGAINST_INTENT, FixCode, fix_lines, fix_text
from ..engine.query import can_reach
from ..errors import ReachInputError, nearest
from .audit import AuditReport

_VERDICTS = tuple(v.value for v in Verdict)
_KEYS = ("function", "target", "expect", "permission", "why", "may_match_nothing")
_PERMISSIONS = ("allowed", "denied", "unknown")
_GLOB = set("*?[")


@dataclass(frozen=True)
class Rule:
    """One expectation: functions (glob) against targets (glob or spec) must have, or not, a verdict."""

    function: str = "*"
    target: str = "*"
    verdict: Verdict | None = Verdict.REACHABLE  # None: only `permission` is stated
    negated: bool = False  # `not partial`: any verdict but this one
    permission: str | None = None  # allowed | denied | unknown, for targets that judge one
    why: str | None = None
    may_match_nothing: bool = False  # a rule for functions that may not exist yet
    index: int = 0  # position in the file's rule list
    where: str = ""  # the JSON path of the rule in its file, `rules[2]`
    file: str | None = None
    line: int | None = None

    @property
    def expect(self) -> str:
        words = [("not " if self.negated else "") + self.verdict.value] if self.verdict else []
        if self.permission:
            words.append(f"permission {self.permission}")
        return ", ".join(words)

    def kept_by(self, verdict: Verdict) -> bool:
        if self.verdict is None:
            return True
        return (verdict != self.verdict) if self.negated else (verdict == self.verdict)

    def permission_kept(self, answer: Answer) -> bool:
        """A rule's `permission` holds for answers that judge one; others it does not concern."""
        if self.permission is None or answer.permission is None:
            return True
        return answer.permission.verdict.value == self.permission

    def kept(self, answer: Answer) -> bool:
        return self.kept_by(answer.verdict) and self.permission_kept(answer)

    def matches_function(self, answer: Answer) -> bool:
        src = answer.source
        names = [n for n in (src.get("function"), src.get("arn")) if n]
        plain = (src.get("function") or "").split(":")[0]
        return any(fnmatchcase(n, self.function) for n in [*names, plain])

    def matches_target(self, spec: str) -> bool:
        return fnmatchcase(spec, self.target)

    def to_dict(self) -> dict[str, Any]:
        out = {"index": self.index, "function": self.function, "target": self.target,
               "expect": self.expect}
        if self.why:
            out["why"] = self.why
        if self.file:
            out["file"] = self.file
        if self.line:
            out["line"] = self.line
        return out


@dataclass
class Violation:
    """A broken expectation: the rule, the answer that broke it, and what blocks or lets it through."""

    rule: Rule
    answer: Answer
    blockers: list[Blocker] = field(default_factory=list)
    through: list[Hop] = field(default_factory=list)  # the gates that let it through, when it should not

    @property
    def code(self) -> str:
        """A stable code: the first blocker's (Reachability Analyzer's where one fits), or ours."""
        if self.rule.kept_by(self.answer.verdict) and not self.rule.permission_kept(self.answer):
            return PERMISSION_AGAINST_INTENT
        return self.blockers[0].code if self.blockers else REACHABLE_AGAINST_INTENT

    @property
    def fixes(self) -> list[str]:
        if self.code == PERMISSION_AGAINST_INTENT:
            return fix_lines(self.answer.permission.to_dict().get("fix", []))
        if not self.blockers:
            gate = next((h for h in self.through if h.kind == Kind.SECURITY_GROUP_EGRESS), None) \
                or next((h for h in self.through if h.kind == Kind.ROUTE_TABLE), None)
            return [fix_text(FixCode.BLOCK_AT, {"gate": hop_line(gate)})] if gate else []
        out: list[str] = []
        for b in self.blockers:
            if b.fix_text and b.fix_text not in out:
                out.append(b.fix_text)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"rule": self.rule.to_dict(), "function": self.answer.source.get("function"),
                "target": self.answer.target["spec"], "verdict": self.answer.verdict.value,
                **({"permission": self.answer.permission.verdict.value}
                   if self.answer.permission is not None else {}),
                "code": self.code,
                "blocked_by": [b.to_dict() for b in self.blockers],
                "through": self.through_lines, "fixes": self.fixes}

    @property
    def through_lines(self) -> list[str]:
        return [hop_line(h) for h in self.through]


def hop_line(h: Hop) -> str:
    """A hop in one line, for people: its component, kind and detail."""
    return f"{h.component_id} ({h.kind}): {h.detail}"


def load_intent(path: str | FilePath) -> list[Rule]:
    """Read rules from a YAML or JSON file: a list of rules, or {"rules": [...]}."""
    name = str(path)
    try:
        text = FilePath(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ReachInputError("no such file", file=name) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ReachInputError(f"cannot read: {exc}", file=name) from None
    return parse_intent(text, name=name)


def parse_intent(text: str, *, name: str = "<intent>") -> list[Rule]:
    """Parse rules from YAML or JSON text; bad input names the file and the path of the bad value."""
    if not text.strip():
        raise ReachInputError("file is empty", file=name)
    if name.endswith(".json"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ReachInputError(f"invalid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})",
                                  file=name) from None
    else:
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1} column {mark.column + 1}" if mark else ""
            problem = getattr(exc, "problem", None) or "not YAML"
            raise ReachInputError(f"invalid YAML ({problem}{where})", file=name) from None
    lines = _rule_lines(text)
    prefix = "rules"
    if isinstance(data, dict):
        unknown = [k for k in data if k not in ("rules", "version")]
        if unknown:
            raise ReachInputError(f"unknown key {unknown[0]!r} (expected rules)", file=name, path=unknown[0])
        data = data.get("rules")
    else:
        prefix = ""
    if not isinstance(data, list):
        raise ReachInputError(f"expected a list of rules, got {_kind(data)}", file=name, path=prefix or "$")
    return [_rule(item, i, name, f"{prefix}[{i}]", lines[i] if i < len(lines) else None)
            for i, item in enumerate(data)]


def _rule(item: Any, index: int, file: str, path: str, line: int | None) -> Rule:
    if not isinstance(item, dict):
        raise ReachInputError(f"expected a rule (an object with function, target and expect), got "
                              f"{_kind(item)}", file=file, path=path)
    for key, value in item.items():
        if key not in _KEYS:
            raise ReachInputError(f"unknown key {key!r} (a rule has {', '.join(_KEYS)})",
                                  file=file, path=f"{path}.{key}")
        if key == "may_match_nothing":
            if not isinstance(value, bool):
                raise ReachInputError(f"expected true or false, got {_kind(value)}",
                                      file=file, path=f"{path}.{key}")
        elif not isinstance(value, str) or not value.strip():
            raise ReachInputError(f"expected a non-empty string, got {_kind(value)}",
                                  file=file, path=f"{path}.{key}")
    permission = item.get("permission", "").strip().lower() or None
    if permission is not None and permission not in _PERMISSIONS:
        raise ReachInputError(f"{item['permission']!r} is not a permission: use allowed, denied or "
                              "unknown", file=file, path=f"{path}.permission")
    if "expect" not in item and permission is None:
        raise ReachInputError("missing expect (reachable, unreachable, or not partial, ...)",
                              file=file, path=path)
    expect = " ".join(item.get("expect", "reachable").lower().split())
    negated = expect.startswith("not ")
    word = expect[4:] if negated else expect
    if word not in _VERDICTS:
        raise ReachInputError(f"{item['expect']!r} is not an expectation: use reachable, unreachable, "
                              "partial or unknown, or one of them after 'not '",
                              file=file, path=f"{path}.expect")
    target = item.get("target", "*").strip()
    if not _GLOB & set(target):
        from ..engine.targets import parse_target
        try:
            parse_target(target)
        except ReachInputError as exc:
            raise ReachInputError(str(exc), file=file, path=f"{path}.target") from None
    if permission is not None and not _GLOB & set(target):
        from ..engine.targets import parse_target
        if not parse_target(target).judges_permission:
            raise ReachInputError(f"permission applies only to dynamodb:TABLE, s3:BUCKET and logs, "
                                  f"not {target!r}", file=file, path=f"{path}.permission")
    return Rule(function=item.get("function", "*").strip(), target=target,
                verdict=Verdict(word) if "expect" in item else None, negated=negated,
                permission=permission, why=item.get("why"),
                may_match_nothing=item.get("may_match_nothing", False), index=index, where=path, file=file,
                line=line)


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", int: "a number", float: "a number",
             bool: "a boolean", type(None): "nothing"}
    text = names.get(type(value), type(value).__name__)
    return f"{text} {value!r}" if isinstance(value, (int, float, str)) and not isinstance(value, bool) \
        else text


def _rule_lines(text: str) -> list[int]:
    """The line (1-based) where each rule starts, for SARIF and messages; best effort."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return []
    if isinstance(node, yaml.MappingNode):
        node = next((v for k, v in node.value if getattr(k, "value", None) == "rules"), None)
    if not isinstance(node, yaml.SequenceNode):
        return []
    return [item.start_mark.line + 1 for item in node.value]


def check_intent(report: AuditReport, rules: list[Rule]) -> list[Violation]:
    """Every answer that breaks a rule. A rule naming one target a matched function was not audited
    against (say `internet:80`) is asked of that function directly."""
    out: list[Violation] = []
    by_function: dict[str, list[Answer]] = {}
    for a in report.results:
        by_function.setdefault(a.source.get("arn") or a.source.get("function") or "", []).append(a)
    for rule in rules:
        concrete = not (_GLOB & set(rule.target))
        for handle, answers in by_function.items():
            if not rule.matches_function(answers[0]):
                continue
            hits = [a for a in answers if rule.matches_target(a.target["spec"])]
            if not hits and concrete and report.snapshot is not None:
                try:
                    hits = [can_reach(report.snapshot, handle, rule.target, network_only_note=False)]
                except ReachInputError as exc:
                    raise ReachInputError(str(exc), file=rule.file,
                                          path=f"{rule.where}.target") from None
            out.extend(_judge(rule, a) for a in hits if not rule.kept(a))
    return out


def check_functions_exist(rules: list[Rule], functions) -> None:
    """A rule whose function glob matches no function of the snapshot is bad input (a typo would
    otherwise pass silently), unless it says `may_match_nothing: true`."""
    names = {n for f in functions for n in (f.qualified_name, f.function_name, f.function_arn) if n}
    for rule in rules:
        if rule.may_match_nothing or any(fnmatchcase(n, rule.function) for n in names):
            continue
        where = f"{rule.file}:{rule.line}" if rule.file and rule.line else rule.file
        raise ReachInputError(
            f"function {rule.function!r} matches no function in the snapshot (add "
            f"may_match_nothing: true to allow that)"
            + nearest(rule.function, {f.qualified_name for f in functions}),
            file=where, path=f"{rule.where}.function")


def unmatched(report: AuditReport, rules: list[Rule]) -> list[Rule]:
    """Rules whose function glob matches no audited function (left out by --function, say); a rule
    that may match nothing is not listed."""
    return [r for r in rules if not r.may_match_nothing
            and not any(r.matches_function(a) for a in report.results)]


def _judge(rule: Rule, answer: Answer) -> Violation:
    """Name what lets the flow through when it should not, else every blocker and its fix."""
    v = Violation(rule, answer)
    wants_blocked = rule.kept_by(Verdict.UNREACHABLE) and not rule.kept_by(Verdict.REACHABLE)
    if wants_blocked and answer.verdict in (Verdict.REACHABLE, Verdict.PARTIAL):
        path = next((p for p in answer.paths if p.verdict == Verdict.REACHABLE), None) \
            or next((p for p in answer.paths if p.reached), None)
        if path is not None:
            v.through = [h for h in path.hops if h.decision == Decision.ALLOW]
        return v
    seen = set()
    for p in answer.paths:
        if p.verdict == Verdict.REACHABLE:
            continue
        for b in p.blockers:
            if (b.code, b.component_id) not in seen:
                seen.add((b.code, b.component_id))
                v.blockers.append(b)
    return v
