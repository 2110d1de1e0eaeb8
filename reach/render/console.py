"""The rich consoles every renderer prints through: results to stdout, diagnostics to stderr.

`out` and `err` are made, and rich imported, on first use (PEP 562): JSON printed by
`print_json` needs neither (docs/performance.md, "A cold reach can")."""
from __future__ import annotations

import json
import re
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.text import Text

_CONSOLES: dict[str, Console] = {}


def __getattr__(name: str) -> Console:
    if name not in ("out", "err"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return _console(name)


def _console(name: str) -> Console:
    console = _CONSOLES.get(name)
    if console is None:
        from rich.console import Console
        console = _CONSOLES[name] = Console(stderr=name == "err", soft_wrap=True, highlight=False)
    return console


# Ids known only after a Terraform apply (model/terraform): prefix-tf plus twelve hex digits.
SYNTHETIC_ID = re.compile(r"\b(?:[a-z]+-)+tf[0-9a-f]{12}\b")


class _Terraform:
    """The addresses behind the ids of a snapshot built from Terraform, shown beside each id."""

    def __init__(self) -> None:
        self.addresses: dict[str, str] = {}
        self.extra: dict[str, Any] = {}

    def annotate_text(self, text: str, *, markup: bool = False, sep: str = " ") -> str:
        def add(m: re.Match) -> str:
            address = self.addresses.get(m.group(0))
            if not address or text.startswith(f" ({address})", m.end()):
                return m.group(0)
            if markup:
                from rich.markup import escape
                address = escape(address)
            return f"{m.group(0)}{sep}({address})"
        return SYNTHETIC_ID.sub(add, text)

    def annotate(self, r: Any, sep: str = " ") -> Any:
        from rich.table import Table
        from rich.text import Text
        if isinstance(r, str):
            return self.annotate_text(r, markup=True, sep=sep)
        if isinstance(r, Text):
            return self._text(r, sep)
        if isinstance(r, Table):  # in a table cell the address goes on its own line
            for column in r.columns:
                column._cells = [self.annotate(c, "\n") for c in column._cells]
        return r

    def _text(self, t: Text, sep: str = " ") -> Text:
        from rich.text import Text
        matches = [m for m in SYNTHETIC_ID.finditer(t.plain) if m.group(0) in self.addresses]
        if not matches:
            return t
        result, at = Text(style=t.style, end=t.end), 0
        for m in matches:
            result.append_text(t[at:m.end()])
            result.append(f"{sep}({self.addresses[m.group(0)]})", style="dim")
            at = m.end()
        result.append_text(t[at:])
        return result


TERRAFORM = _Terraform()


def reset_terraform() -> None:
    """Forget the addresses of an earlier command (one process may run several, as tests do)."""
    TERRAFORM.addresses.clear()
    TERRAFORM.extra.clear()


class _Hook:
    def process_renderables(self, renderables: list[RenderableType]) -> list[RenderableType]:
        return [TERRAFORM.annotate(r) for r in renderables]


def show_terraform(*snapshots: Any) -> None:
    """Show the Terraform address beside every synthetic id printed from now on, and add the
    addresses, unknown values and notes of these snapshots to JSON output."""
    infos = [s.terraform for s in snapshots if s is not None and getattr(s, "terraform", None)]
    if not infos:
        return
    for info in infos:
        if info.unread and info.source not in TERRAFORM.extra.get("sources", []):
            kinds = ", ".join(f"{t} ({n})" for t, n in sorted(info.unread.items()))
            _console("err").print(f"reach: note: {info.source}: resource types reach does not read: "
                                  f"{kinds}", markup=False, highlight=False)
        TERRAFORM.addresses.update(info.addresses)
        TERRAFORM.extra.setdefault("sources", []).append(info.source)
        TERRAFORM.extra.setdefault("unknown", {}).update(info.unknown)
        for note in info.notes():
            if note not in TERRAFORM.extra.setdefault("notes", []):
                TERRAFORM.extra["notes"].append(note)
    out = _console("out")
    if not getattr(out, "_reach_hooked", False):
        out.push_render_hook(_Hook())
        out._reach_hooked = True  # type: ignore[attr-defined]


def print_json(text: str) -> None:
    """Print JSON verbatim, untouched by rich markup (with the Terraform block when one applies)."""
    if TERRAFORM.addresses or TERRAFORM.extra:
        text = _with_terraform(text)
    # What `out.file` is when `out` was never made: the standard output of the moment.
    file = _CONSOLES["out"].file if "out" in _CONSOLES else sys.stdout
    file.write(text + "\n")
    file.flush()


def terraform_block(text: str | None = None) -> dict[str, Any] | None:
    """The JSON block of Terraform addresses (of the ids in `text`, if given), unknowns and notes."""
    if not (TERRAFORM.addresses or TERRAFORM.extra):
        return None
    return {"addresses": {k: v for k, v in sorted(TERRAFORM.addresses.items()) if text is None or k in text},
            **TERRAFORM.extra}


def _with_terraform(text: str) -> str:
    try:
        obj = json.loads(text)
    except ValueError:
        return TERRAFORM.annotate_text(text)  # markdown: addresses beside the ids
    block = terraform_block(text)
    if isinstance(obj, dict) and isinstance(obj.get("runs"), list):  # SARIF: a property bag
        for run in obj["runs"]:
            run.setdefault("properties", {})["terraform"] = block
    elif isinstance(obj, dict):
        obj["terraform"] = block
    else:
        return text
    return json.dumps(obj, indent=2)
