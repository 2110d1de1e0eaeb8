"""Render an audit as Markdown for a pull request comment: intent first, then the matrix, then details."""
from __future__ import annotations

from ..answer import Verdict
from ..questions.audit import AuditReport
from ..questions.intent import Rule, Violation
from .audit_views import (ORDER, detail_groups, matrix, rule_name, summary_line, violation_groups,
                          violation_lines)

EMOJI = {Verdict.REACHABLE: "✅", Verdict.UNREACHABLE: "❌", Verdict.PARTIAL: "⚠️", Verdict.UNKNOWN: "❔"}
# A pull request comment holds at most 65,536 characters: show this many rows, then say how many more.
MAX_ROWS = 100
MAX_DETAILS = 50


def markdown(report: AuditReport, *, rules: list[Rule] | None, violations: list[Violation]) -> str:
    """The whole comment, as one string."""
    lines = ["## reach audit", "", summary_line(report).removeprefix("reach audit: ") + ".", ""]
    lines += ["  ".join(f"{EMOJI[v]} {v.value}" for v in ORDER) + "  · not audited", ""]
    if rules is not None:
        lines += _intent(rules, violations)
    for account, part in report.by_account():
        if account:
            lines += [f"### Account {account}", "",
                      summary_line(part).removeprefix("reach audit: ") + ".", ""]
        lines += _matrix(part)
        lines += _details(part)
    return "\n".join(lines).rstrip() + "\n"


def _intent(rules: list[Rule], violations: list[Violation]) -> list[str]:
    broken = violation_groups(violations)
    head = f"### Intent: {len(rules) - len(broken)} of {len(rules)} rules kept"
    if not broken:
        return [head, "", "Every expectation holds.", ""]
    out = [head, ""]
    for rule, vs in broken:
        out.append(f"- ❌ **{rule_name(rule)}**: `{rule.function}` → `{rule.target}`: expect "
                   f"**{rule.expect}**" + (f" — {_esc(rule.why)}" if rule.why else ""))
        for v in vs:
            first, *rest = violation_lines(v)
            out.append(f"  - {_code(first)}")
            out.extend(f"    - {_code(x.strip())}" for x in rest)
    return out + [""]


def _matrix(report: AuditReport) -> list[str]:
    m = matrix(report)
    if not m.rows:
        return ["No function was audited.", ""]
    out = ["| function | " + " | ".join(f"`{c}`" for c in m.columns) + " |",
           "|---|" + "|".join(":-:" for _ in m.columns) + "|"]
    for name, cells in m.rows[:MAX_ROWS]:
        out.append(f"| `{name}` | " + " | ".join(_cell(c) for c in cells) + " |")
    if len(m.rows) > MAX_ROWS:
        out.append("")
        out.append(f"…and {len(m.rows) - MAX_ROWS} more functions (`--format json` lists every answer).")
    return out + [""]


def _cell(cell: str | None) -> str:
    if cell is None:
        return "·"
    if cell in {v.value for v in Verdict}:
        return EMOJI[Verdict(cell)]
    for v in ORDER:
        cell = cell.replace({Verdict.REACHABLE: "✓", Verdict.UNREACHABLE: "✗", Verdict.PARTIAL: "◐",
                             Verdict.UNKNOWN: "?"}[v], EMOJI[v])
    return cell


def _details(report: AuditReport) -> list[str]:
    groups = detail_groups(report)
    if not groups:
        return []
    n = sum(len(names) for *_, names, _ in groups)
    out = ["<details><summary>Not reachable (" + str(n) + ")</summary>", ""]
    for verdict, spec, flow, names, lines in groups[:MAX_DETAILS]:
        who = ", ".join(f"`{x}`" for x in names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6
                                                        else "")
        out.append(f"- {EMOJI[verdict]} **{verdict.value}** {who} → `{spec}` ({flow})")
        out.extend(f"  - {_code(line)}" for line in lines)
    if len(groups) > MAX_DETAILS:
        out.append(f"- …and {len(groups) - MAX_DETAILS} more groups (`--format json` lists every answer).")
    return out + ["", "</details>"]


def _code(line: str) -> str:
    """Set AWS ids and codes in code spans: `CODE at id:` → `CODE` at `id`:."""
    words = []
    for w in line.split(" "):
        bare = w.rstrip(":,;")
        tail = w[len(bare):]
        if bare and (bare.isupper() and "_" in bare or "-" in bare and bare.split("-")[0] in _PREFIXES):
            words.append(f"`{bare}`{tail}")
        else:
            words.append(_esc(w))
    return " ".join(words)


_PREFIXES = {"subnet", "sg", "rtb", "acl", "igw", "nat", "vpce", "pcx", "tgw", "eni", "vpc", "pl", "eigw"}


def _esc(text: str) -> str:
    for ch in ("|", "*", "_", "<", ">"):
        text = text.replace(ch, "\\" + ch)
    return text
