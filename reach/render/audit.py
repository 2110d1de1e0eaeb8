"""Render `reach audit`: a matrix of functions against targets, then everything not reachable, then intent."""
from __future__ import annotations

import json
from dataclasses import dataclass

from rich.text import Text

from ..answer import Answer, Verdict
from ..audit import AuditReport
from ..intent import Rule, Violation
from .answer import STYLE
from .console import err, out, print_json
from .words import note_text

MARK = {Verdict.REACHABLE: "✓", Verdict.UNREACHABLE: "✗", Verdict.PARTIAL: "◐", Verdict.UNKNOWN: "?"}
NOT_ASKED = "·"
ORDER = (Verdict.REACHABLE, Verdict.UNREACHABLE, Verdict.PARTIAL, Verdict.UNKNOWN)
# More RDS targets than this and the matrix shows one `rds` column of counts instead.
MAX_RDS_COLUMNS = 6


def render_audit(report: AuditReport, fmt: str, *, rules: list[Rule] | None = None,
                 violations: list[Violation] | None = None, unmatched: list[Rule] | None = None,
                 snapshot_uri: str | None = None) -> None:
    """Print the report in one of text, json, sarif or markdown."""
    for r in unmatched or []:
        err.print(f"reach: warning: {rule_name(r)} matches no audited function", markup=False)
    if fmt == "json":
        return _stream_json(report, violations if rules is not None else None)
    if fmt == "sarif":
        from .sarif import sarif_log
        return print_json(json.dumps(sarif_log(report, violations or [], snapshot_uri=snapshot_uri),
                                     indent=2))
    if fmt == "markdown":
        from .markdown import markdown
        return print_json(markdown(report, rules=rules, violations=violations or []))
    _text(report, rules, violations or [], len(unmatched or []))


def _stream_json(report: AuditReport, violations: list[Violation] | None) -> None:
    """Write `{"results": [...]}` (contract §2.3) one answer at a time: a large estate's answers
    run to hundreds of megabytes, never held as one string. Shared paths are encoded once."""
    file = out.file
    encoded: dict[int, str] = {}
    file.write('{"results": [')
    for i, a in enumerate(report.results):
        paths = []
        for p in a.paths:
            text = encoded.get(id(p))
            if text is None:
                text = encoded[id(p)] = json.dumps(p.to_dict())
            paths.append(text)
        head = {"source": a.source, "target": a.target, "verdict": a.verdict.value}
        tail = {k: v for k, v in (("missing", a.missing), ("notes", a.notes)) if v}
        file.write(("," if i else "") + json.dumps(head)[:-1] + ', "paths": [' + ", ".join(paths) + "]"
                   + (", " + json.dumps(tail)[1:] if tail else "}"))
    file.write("]")
    if violations is not None:
        file.write(', "violations": ' + json.dumps([v.to_dict() for v in violations]))
    file.write("}\n")
    file.flush()


# --- the matrix, shared with markdown ---

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
    functions = len({row_name(a) for a in report.results})
    parts = ", ".join(f"{counts[v.value]} {v.value}" for v in ORDER)
    return f"reach audit: {functions} functions, {len(report.results)} answers: {parts}"


# --- text ---

def _text(report: AuditReport, rules: list[Rule] | None, violations: list[Violation],
          unmatched: int) -> None:
    out.print(summary_line(report), markup=False)
    out.print()
    m = matrix(report)
    if not m.rows:
        out.print("no function to audit", markup=False)
        if rules is not None:
            _intent(rules, violations, unmatched)
        return
    name_w = max([len("function"), *(len(n) for n, _ in m.rows)])
    widths = [max([len(c), *(len(_cell(cells[i])) for _, cells in m.rows)])
              for i, c in enumerate(m.columns)]
    out.print("  ".join(["function".ljust(name_w), *(c.ljust(w) for c, w in zip(m.columns, widths))])
              .rstrip(), markup=False)
    for name, cells in m.rows:
        line = Text(name.ljust(name_w))
        for cell, w in zip(cells, widths):
            line.append("  ")
            style = STYLE.get(Verdict(cell)) if cell in _VALUES else None
            line.append(_cell(cell).ljust(w), style or "")
        line.rstrip()
        out.print(line)
    out.print("  ".join(f"{MARK[v]} {v.value}" for v in ORDER) + f"  {NOT_ASKED} not audited",
              markup=False)
    _details(report)
    if rules is not None:
        _intent(rules, violations, unmatched)


_VALUES = {v.value for v in Verdict}


def _cell(cell: str | None) -> str:
    if cell is None:
        return NOT_ASKED
    return MARK[Verdict(cell)] if cell in _VALUES else cell


def answer_lines(a: Answer) -> list[str]:
    """Why an answer is not reachable, path by path, then its fixes and notes."""
    lines = []
    for p in a.paths:
        if p.verdict == Verdict.REACHABLE:
            continue
        where = f"{p.subnet_id} ({p.availability_zone})" if p.subnet_id else "Lambda service network"
        b = p.blocked_by
        lines.append(f"{where}: {p.verdict.value}" + (f" — {b.code} at {b.component_id}: {b.reason}"
                                                        if b else ""))
        lines.extend(f"  also {x.code} at {x.component_id}: {x.reason}" for x in p.blockers[1:])
        if p.reached:
            lines.append(f"  only {p.reached} gets through")
        if p.missing:
            lines.append(f"  missing from the snapshot: {', '.join(p.missing)}")
    fixes: list[str] = []
    for p in a.paths:
        for b in p.blockers:
            if p.verdict != Verdict.REACHABLE and b.fix_text and b.fix_text not in fixes:
                fixes.append(b.fix_text)
    lines.extend(f"fix: {f}" for f in fixes)
    lines.extend(f"note: {note_text(n)}" for n in a.notes)
    return lines


def detail_groups(report: AuditReport) -> list[tuple[Verdict, str, str, list[str], list[str]]]:
    """Answers not reachable, grouped when they fail alike: (verdict, target, flow, functions, lines)."""
    groups: dict[tuple, list[str]] = {}
    for a in report.results:
        if a.verdict == Verdict.REACHABLE:
            continue
        t = a.target
        key = (a.verdict, t["spec"], f"{t['protocol']}/{t['port']}", tuple(answer_lines(a)))
        groups.setdefault(key, []).append(row_name(a))
    return [(v, spec, flow, names, list(lines)) for (v, spec, flow, lines), names in groups.items()]


def _details(report: AuditReport) -> None:
    groups = detail_groups(report)
    if not groups:
        return
    n = sum(len(names) for *_, names, _ in groups)
    out.print()
    out.print(Text(f"not reachable ({n})", "bold"))
    for verdict, spec, flow, names, lines in groups:
        head = Text()
        head.append(verdict.value.upper(), STYLE[verdict])
        head.append(f"  {_names(names)} → {spec} ({flow})")
        out.print(head)
        for line in lines:
            out.print(f"  {line}", markup=False)


def _names(names: list[str], limit: int = 6) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


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
        lines.extend(f"  through {t}" for t in v.through)
    lines.extend(f"  fix: {f}" for f in v.fixes)
    return lines


def _intent(rules: list[Rule], violations: list[Violation], unmatched: int) -> None:
    broken = violation_groups(violations)
    out.print()
    kept = len(rules) - len(broken) - unmatched
    out.print(Text(f"intent: {len(rules)} rules: {kept} kept, {len(broken)} broken"
                   + (f", {unmatched} matching no function" if unmatched else ""), "bold"))
    for rule, vs in broken:
        head = Text()
        head.append("BROKEN", "bold red")
        head.append(f"  {rule_name(rule)}: {rule.function} → {rule.target}: expect {rule.expect}")
        out.print(head)
        if rule.why:
            out.print(f"  why: {rule.why}", markup=False)
        for v in vs:
            for line in violation_lines(v):
                out.print(f"  {line}", markup=False)
