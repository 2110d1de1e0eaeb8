"""Render an audit as SARIF 2.1.0: one result per broken expectation or partial verdict, rule ids = codes."""
from __future__ import annotations

import hashlib
from importlib import metadata
from pathlib import PurePath
from typing import Any

from ..answer import Answer, Verdict
from ..catalogue import PARTIAL_REACHABILITY as PARTIAL, sarif_rule
from ..questions.audit import AuditReport
from ..questions.intent import Violation
from .audit_views import answer_lines, rule_name

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
def sarif_log(report: AuditReport, violations: list[Violation], *,
              snapshot_uri: str | None = None) -> dict[str, Any]:
    """The SARIF log of an audit; broken expectations are errors, partial verdicts warnings."""
    rules: dict[str, dict] = {}
    results = []
    reported: set[int] = set()
    for v in violations:
        reported.add(id(v.answer))
        results.append(_result(rules, v.code, "error", v.answer, _violation_message(v),
                               uri=v.rule.file, line=v.rule.line,
                               extra={"rule": v.rule.to_dict(), "fixes": v.fixes}))
    for a in report.results:
        if a.verdict != Verdict.PARTIAL or id(a) in reported:
            continue
        blocker = next((b for p in a.paths if p.verdict != Verdict.REACHABLE for b in p.blockers), None)
        results.append(_result(rules, blocker.code if blocker else PARTIAL, "warning", a,
                               _partial_message(a), uri=snapshot_uri, line=None, extra={}))
    results.sort(key=lambda r: r["properties"].get("account_id", ""))  # grouped by account
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "reach", "version": _version(),
                                "rules": list(rules.values())}},
            "results": results,
        }],
    }


def _result(rules: dict[str, dict], code: str, level: str, a: Answer, message: str, *,
            uri: str | None, line: int | None, extra: dict) -> dict[str, Any]:
    if code not in rules:
        rules[code] = sarif_rule(code)
    index = list(rules).index(code)
    function = a.source.get("function") or "what-if"
    location: dict[str, Any] = {"logicalLocations": [
        {"name": function, "fullyQualifiedName": a.source.get("arn") or function, "kind": "function"}]}
    if uri:
        physical: dict[str, Any] = {"artifactLocation": {"uri": PurePath(uri).as_posix()}}
        if line:
            physical["region"] = {"startLine": line}
        location["physicalLocation"] = physical
    blocker = next((b for p in a.paths if p.verdict != Verdict.REACHABLE for b in p.blockers), None)
    account = a.source.get("account_id")  # several accounts: results say whose function
    key = "|".join([*([account] if account else []), function, a.target["spec"], code,
                    blocker.component_id if blocker else ""])
    return {
        "ruleId": code, "ruleIndex": index, "level": level,
        "message": {"text": message},
        "locations": [location],
        "partialFingerprints": {"reachFinding/v1": hashlib.sha256(key.encode()).hexdigest()[:32]},
        "properties": {"function": function, "target": a.target["spec"], "verdict": a.verdict.value,
                       "component_id": blocker.component_id if blocker else None,
                       **({"account_id": account} if account else {}), **extra},
    }



def _violation_message(v: Violation) -> str:
    a, r = v.answer, v.rule
    text = (f"{a.source.get('function')} → {a.target['spec']}: expected {r.expect} "
            f"({rule_name(r)}), got {a.verdict.value}.")
    if v.blockers:
        b = v.blockers[0]
        text += f" {b.code} at {b.component_id}: {b.reason}."
    elif v.through:
        text += " It gets through: " + "; ".join(v.through_lines) + "."
    if v.fixes:
        text += " Fix: " + "; ".join(v.fixes) + "."
    return text


def _partial_message(a: Answer) -> str:
    head = f"{a.source.get('function')} → {a.target['spec']} is partial: it depends on the AZ."
    return " ".join([head, *(line.strip() for line in answer_lines(a))])


def _version() -> str:
    try:
        return metadata.version("reach")
    except metadata.PackageNotFoundError:  # pragma: no cover
        return "0"
