"""Render `reach invokers`: who may invoke a function, public ones first."""
from __future__ import annotations

import json

from ..questions.invokers import Invokers
from .console import out, print_json
from ..catalogue import INVOKERS


def render_invokers(answer: Invokers, fmt: str) -> None:
    if fmt == "json":
        print_json(json.dumps(answer.to_dict(), indent=2))
        return
    out.print(f"[bold]{answer.function}[/bold] {answer.arn or ''}", markup=True)
    for url in answer.urls:
        key = "url.public" if url["public"] else "url.iam"
        out.print("  " + INVOKERS[key].format(**url))
    if answer.policy != "present":
        out.print("  " + INVOKERS[f"policy.{answer.policy}"].format(gap=answer.gap))
    for inv in sorted(answer.invokers, key=lambda i: (not i.public, i.kind, i.principal)):
        conditions = "; ".join(f"{op} {key} {', '.join(vals)}" for op, block in inv.conditions.items()
                               for key, vals in block.items())
        key = "public" if inv.public else ("public.scoped" if inv.kind == "public" else inv.kind)
        line = INVOKERS[key].format(
            principal=inv.principal, actions=", ".join(inv.actions), sid=inv.sid or "(no sid)",
            effect=inv.effect)
        out.print(f"  {line}" + (f" when {conditions}" if conditions else ""), markup=False)
