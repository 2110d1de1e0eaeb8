"""The audit report as lines and tables, shared by the text, markdown and SARIF views (no printing)."""
from __future__ import annotations

from dataclasses import dataclass

from ..answer import Answer, Verdict
from ..questions.audit import AuditReport
from ..questions.intent import Rule, Violation
from ..catalogue import fix_lines, note_text, permission_lines, reached_text

MARK = {Verdict.REACHABLE: "✓", Verdict.UNREACHABLE: "✗", Verdict.PARTIAL: "◐", Verdict.UNKNOWN: "?"}
ORDER = (Verdict.REACHABLE, Verdict.UNREACHABLE, Verdict.PARTIAL, Verdict.UNKNOWN)
# More RDS targets than this and the matrix shows one `rds` column of counts instead.
MAX_RDS_COLUMNS = 6


@dataclass
class Matrix:
    columns: list[str]
    rows: list[tuple[str, list[str | None]]]  # a cell: a verdict, `n✓ m✗` counts, or None (not asked)
    collapsed: bool  # RDS targets folded into one `rds` column of counts


def matrix(report: AuditReport) -> Matrix:
    """Functions (rows) against targets (columns); many RDS targets fold into one column."""
    specs: list[str] = []
    for a in report.results:
        if a.target["spec"] not in specs:
            specs.append(a.target["spec"])
    rds = sorted(s for s in specs if s.startswith("rds:"))
    collapsed = len(rds) > MAX_RDS_COLUMNS
    columns = [s for s in specs if not s.startswith("rds:")] + (["rds"] if collapsed and rds else rds)
    rows: dict[str, dict[str, list[Verdict]]] = {}
    for a in report.results:
        name = row_name(a)
        spec = a.target["spec"]
        col = "rds" if collapsed and spec.startswith("rds:") else spec
        rows.setdefault(name, {}).setdefault(col, []).append(a.verdict)
    table = []
    for name, cells in rows.items():
        line: list[str | None] = []
        for col in columns:
            got = cells.get(col)
            if not got:
                line.append(None)
            elif col == "rds" and collapsed:
                line.append(" ".join(f"{got.count(v)}{MARK[v]}" for v in ORDER if got.count(v)))
            else:
                line.append(got[0].value)
        table.append((name, line))
    return Matrix(columns, table, collapsed)


def row_name(a: Answer) -> str:
    name = a.source.get("function") or "?"
    return name


def rule_name(r: Rule) -> str:
    where = f"{r.file}:{r.line}" if r.file and r.line else (r.file or "")
    return f"rule {r.index + 1}" + (f" ({where})" if where else "")


def summary_line(report: AuditReport) -> str:
    counts = report.counts()
    functions = len({(a.source.get("account_id"), row_name(a)) for a in report.results})
    parts = ", ".join(f"{counts[v.value]} {v.value}" for v in ORDER)
    return f"reach audit: {functions} functions, {len(report.results)} answers: {parts}"


def answer_lines(a: Answer, fix_format=None) -> list[str]:
    """Why an answer is not reachable, path by path, then its fixes (worded, or with `fix_format`
    as commands or HCL, render/fix_commands.py) and notes."""
    lines = []
    for p in a.paths:
        if p.verdict == Verdict.REACHABLE:
            continue
        where = f"{p.subnet_id} ({p.availability_zone or 'AZ unknown'})" if p.subnet_id else "Lambda service network"
        b = p.blocked_by
        lines.append(f"{where}: {p.verdict.value}" + (f" — {b.code} at {b.component_id}: {b.reason}"
                                                        if b else ""))
        lines.extend(f"  also {x.code} at {x.component_id}: {x.reason}" for x in p.blockers[1:])
        if p.reached:
            lines.append(f"  {reached_text(p.reached, p.reached_prefix_lists)}")
        if p.missing:
            lines.append(f"  missing from the snapshot: {', '.join(p.missing)}")
    failing = [b for p in a.paths if p.verdict != Verdict.REACHABLE for b in p.blockers]
    fixes = list(dict.fromkeys(b.fix_text for b in failing if b.fix_text))
    blocks: list[str] = []
    if fix_format is not None:
        from .fix_commands import fix_blocks
        blocks, fixes = fix_blocks(failing, fix_format, region=a.source.get("region")), []
    if a.permission is not None and a.permission.verdict.value != "allowed":
        perm = a.permission.to_dict()
        lines.append(f"permission: {perm['verdict']}")
        for action in perm["actions"]:
            if action["verdict"] != "allowed":
                line, why, _ = permission_lines(action)
                lines.append(f"  {line}")
                lines.extend(f"    {w}" for w in why)
        fixes.extend(f for f in fix_lines(perm.get("fix", [])) if f not in fixes)
    lines.extend(f"fix: {f}" for f in fixes)
    lines.extend(line for block in blocks for line in block.splitlines())
    lines.extend(f"note: {note_text(n)}" for n in a.notes)
    return lines


def detail_groups(report: AuditReport, fix_format=None) -> list[tuple[Verdict, str, str, list[str], list[str]]]:
    """Answers not reachable, grouped when they fail alike: (verdict, target, flow, functions, lines)."""
    groups: dict[tuple, list[str]] = {}
    for a in report.results:
        if a.verdict == Verdict.REACHABLE:
            continue
        t = a.target
        flow = f"{t['protocol']}/{t['port']}" if t["port"] is not None else "no network path"
        key = (a.verdict, t["spec"], flow, tuple(answer_lines(a, fix_format)))
        groups.setdefault(key, []).append(row_name(a))
    return [(v, spec, flow, names, list(lines)) for (v, spec, flow, lines), names in groups.items()]


def violation_groups(violations: list[Violation]) -> list[tuple[Rule, list[Violation]]]:
    groups: dict[int, tuple[Rule, list[Violation]]] = {}
    for v in violations:
        groups.setdefault(v.rule.index, (v.rule, []))[1].append(v)
    return list(groups.values())


def violation_lines(v: Violation) -> list[str]:
    """The function's verdict and what blocks it (or lets it through), then the fixes."""
    a = v.answer
    head = f"{a.source.get('function')}: {a.verdict.value}"
    lines = []
    if v.blockers:
        b = v.blockers[0]
        lines.append(f"{head} — {b.code} at {b.component_id}: {b.reason}")
        lines.extend(f"  also {x.code} at {x.component_id}: {x.reason}" for x in v.blockers[1:])
    else:
        lines.append(f"{head} — {v.code}: it gets through")
        lines.extend(f"  through {t}" for t in v.through_lines)
    lines.extend(f"  fix: {f}" for f in v.fixes)
    return lines
