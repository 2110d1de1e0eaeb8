"""The report's Terraform part: what the plan changes by address, what stays unknown, and addresses beside ids."""
from __future__ import annotations

import re
from html import escape
from typing import Any

from ..console import SYNTHETIC_ID

_SEGMENTS = re.compile(r"(<svg\b.*?</svg>|<style\b.*?</style>|<[^>]*>)", re.S)


def terraform_section(info: Any) -> str:
    """A section listing the plan's changes (address, action, AWS id), unknowns and unread types."""
    rows = "".join(f"<tr><td><code>{escape(c.addresses[0] if c.addresses else '')}</code></td>"
                   f"<td>{escape(c.action)}</td><td>{escape(c.key)}</td><td><code>{escape(c.id)}</code></td></tr>"
                   for c in info.changes)
    unknown = "".join(f"<li><code>{escape(v)}</code> (id <code>{escape(k)}</code>)</li>"
                      for k, v in sorted(info.unknown.items()))
    unread = ", ".join(f"<code>{escape(t)}</code> ×{n}" for t, n in sorted(info.unread.items()))
    parts = [f'<section id="terraform"><h2>Terraform {escape(info.kind)}</h2>',
             f"<p><code>{escape(info.source)}</code>, format {escape(info.format_version)}. Ids known "
             "only after apply are shown with the address that will create them.</p>"]
    if rows:
        parts.append("<table><thead><tr><th>address</th><th>action</th><th>AWS objects</th>"
                     f"<th>id</th></tr></thead><tbody>{rows}</tbody></table>")
    if unknown:
        parts.append("<h3>Unknown until apply</h3><p>Answers that depend on these are "
                     f"<b>unknown</b>, never guessed.</p><ul>{unknown}</ul>")
    if unread:
        parts.append(f"<p>Types reach does not read: {unread}.</p>")
    return "".join(parts) + "</section>"


def annotate_html(html: str, addresses: dict[str, str]) -> str:
    """Put the Terraform address beside each synthetic id in the page's text (not in tags, styles
    or diagrams, whose boxes are sized for the id)."""
    def text(segment: str) -> str:
        return SYNTHETIC_ID.sub(lambda m: f"{m.group(0)} ({escape(addresses[m.group(0)])})"
                                if m.group(0) in addresses else m.group(0), segment)
    return "".join(part if i % 2 else text(part) for i, part in enumerate(_SEGMENTS.split(html)))
