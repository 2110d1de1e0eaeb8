"""Render an Answer: verdict and blockers first, then the path hop by hop, then the fixes."""
from __future__ import annotations


from textwrap import indent

from rich.text import Text

from ..answer import Answer, Decision, Verdict
from ..catalogue import (HOPS_OF_OTHERS, PERMISSION, fix_lines, note_text, permission_lines, reached_name,
                         reached_text)
from .console import out

STYLE = {Verdict.REACHABLE: "bold green", Verdict.UNREACHABLE: "bold red",
         Verdict.PARTIAL: "bold yellow", Verdict.UNKNOWN: "bold magenta"}
MARK = {Decision.ALLOW: ("✓", "green"), Decision.DENY: ("✗", "red"), Decision.UNKNOWN: ("?", "magenta")}


def render_answer(answer: Answer, fix_format=None) -> None:
    """An answer for people: verdict and blockers first, then the path hop by hop, then the fixes
    (worded, or with `fix_format` as commands or HCL to paste, render/fix_commands.py)."""
    src = answer.source.get("function") or "what-if placement"
    moved = answer.source.get("what_if")
    if moved and answer.source.get("function"):
        src += (f", moved to {', '.join(moved['subnet_ids'])} with "
                f"{', '.join(moved['security_group_ids'])}")
    head = Text()
    head.append(answer.verdict.value.upper(), STYLE[answer.verdict])
    port = f" ({answer.target['protocol']}/{answer.target['port']})" if answer.target["port"] else ""
    head.append(f"  {src} → {answer.target['spec']}{port}")
    out.print(head)
    if answer.permission is not None:
        _render_permission(answer.permission.to_dict())
    _path_lines(answer)
    if answer.ipv6 is not None:
        six = Text("  over IPv6 ")
        six.append(answer.ipv6.verdict.value.upper(), STYLE[answer.ipv6.verdict])
        endpoint = answer.ipv6.target.get("endpoint")
        six.append(f"  {answer.ipv6.target['spec']}" + (f" by its dual-stack endpoint {endpoint}" if endpoint else ""))
        out.print(six)
        _path_lines(answer.ipv6, indent="    ")
    out.print()
    for p in answer.paths:
        _hops(p)
    if answer.ipv6 is not None:
        for p in answer.ipv6.paths:
            _hops(p, " over IPv6")
    blockers = [b for p in answer.every_path() for b in p.blockers]
    if fix_format is not None:
        from .fix_commands import fix_blocks
        blocks = fix_blocks(blockers, fix_format, region=answer.source.get("region"))
        if blocks:
            out.print()
            out.print("[bold]fix[/bold]")
            for block in blocks:
                out.print(Text(indent(block, "  ")))
    else:
        fixes = list(dict.fromkeys(b.fix_text for b in blockers if b.fix_text))
        if fixes:
            out.print()
            out.print("[bold]fix[/bold]")
            for f in fixes:
                out.print(f"  • {f}")
    for n in answer.notes:
        out.print(f"[dim]note: {note_text(n)}[/dim]")


def _path_lines(answer: Answer, indent: str = "  ") -> None:
    for p in answer.paths:
        where = f"{p.subnet_id} ({p.availability_zone or 'AZ unknown'})" if p.subnet_id else "Lambda service network"
        line = Text(f"{indent}{where}: ")
        line.append(p.verdict.value, STYLE[p.verdict])
        if p.blocked_by:
            line.append(f" — {p.blocked_by.code} at {p.blocked_by.component_id}: {p.blocked_by.reason}")
        out.print(line)
        for b in p.blockers[1:]:
            out.print(f"      also {b.code} at {b.component_id}: {b.reason}")
        if p.reached:
            out.print(f"      {reached_text(p.reached, p.reached_prefix_lists)}")
        if p.missing:
            out.print(f"      missing from the snapshot: {', '.join(p.missing)}")


def _hops(p, suffix: str = "") -> None:
    """The path hop by hop. On a path that does not get through, the packets stopped at the first
    ✗ (or ?) are followed to its end; hops of other packets, which went on, come after under
    their own heading."""
    out.print(f"[bold]path[/bold] {p.subnet_id or 'Lambda service network'}{suffix}")
    stop = next((i for i, h in enumerate(p.hops) if h.decision != Decision.ALLOW), None)
    if p.verdict == Verdict.REACHABLE or stop is None:
        stopped, others = p.hops, []
    else:
        rest = p.hops[stop + 1:]
        stopped = p.hops[:stop + 1] + [h for h in rest if h.blocked_upstream]
        others = [h for h in rest if not h.blocked_upstream]
    for h in stopped:
        _hop(h, "  ")
    if others:
        heading = HOPS_OF_OTHERS["reached" if p.reached else "other"].format(
            what=reached_name(p.reached or "", p.reached_prefix_lists))
        out.print(Text(f"  {heading}", style="bold"))
        for h in others:
            _hop(h, "    ")


def _hop(h, indent: str) -> None:
    mark, style = MARK[h.decision]
    # After the ✗, the stopped packets are followed only to name what else would stop them: dim.
    out.print(Text.assemble((f"{indent}{mark} ", "dim" if h.blocked_upstream else style),
                            (f"{h.kind} {h.component_id}: {h.detail}", "dim" if h.blocked_upstream else "")))


PERMISSION_STYLE = {"allowed": ("✓", "green"), "denied": ("✗", "red"), "unknown": ("?", "magenta")}


def _render_permission(permission: dict) -> None:
    verdict = permission["verdict"]
    out.print(Text.assemble("  permission: ", (verdict, PERMISSION_STYLE[verdict][1])))
    for action in permission["actions"]:
        line, why, _ = permission_lines(action)
        mark, style = PERMISSION_STYLE[action["verdict"]]
        out.print(Text.assemble((f"    {mark} ", style), line))
        for w in why:
            out.print(f"        {w}")
    for f in fix_lines(permission.get("fix", [])):
        out.print(f"    fix: {f}")
    for key in permission.get("not_judged", []):
        out.print(f"[dim]    note: {PERMISSION['not_judged.' + key]}[/dim]")
