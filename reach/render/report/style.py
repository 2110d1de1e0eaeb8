"""The report's inline style sheet: readable on a laptop screen, and printable in black on white."""
from __future__ import annotations

# A glyph beside every colour, so a verdict reads without colour too.
MARKS = {"reachable": "✓", "partial": "◐", "unreachable": "✗", "unknown": "?"}

CSS = """
:root { --ink:#1f2937; --muted:#6b7280; --line:#e5e7eb; --soft:#f9fafb;
  --ok:#137333; --ok-bg:#e6f4ea; --part:#8a4b00; --part-bg:#fef3d6; --no:#b3261e; --no-bg:#fce8e6;
  --unk:#7b1fa2; --unk-bg:#f5e6fa; --link:#1a56db; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
main { max-width: 1200px; margin: 0 auto; padding: 20px 28px 56px; }
h1 { font-size: 26px; margin: 8px 0 4px; }
h2 { font-size: 21px; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 18px; margin: 26px 0 4px; }
h4 { font-size: 15px; margin: 0 0 6px; font-weight: 600; }
a { color: var(--link); }
code { font: 13px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
.muted { color: var(--muted); }
nav { position: sticky; top: 0; z-index: 1; display: flex; flex-wrap: wrap; gap: 4px 18px;
  padding: 8px 0; background: #fff; border-bottom: 1px solid var(--line); }
nav a { text-decoration: none; font-weight: 600; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; }
.card { min-width: 120px; padding: 10px 14px; border: 1px solid var(--line); border-radius: 8px;
  background: var(--soft); }
.card b { display: block; font-size: 24px; line-height: 1.1; }
.card span { font-size: 13px; }
.v-reachable { background: var(--ok-bg); color: var(--ok); }
.v-partial { background: var(--part-bg); color: var(--part); }
.v-unreachable { background: var(--no-bg); color: var(--no); }
.v-unknown { background: var(--unk-bg); color: var(--unk); }
.badge { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 13px; font-weight: 600;
  white-space: nowrap; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; }
.matrix th, .matrix td, .plain th, .plain td { border: 1px solid var(--line); padding: 5px 10px;
  text-align: left; vertical-align: top; }
.matrix thead th, .plain thead th { background: var(--soft); font-size: 13px; }
.matrix td { min-width: 118px; font-weight: 600; font-size: 14px; }
.matrix tbody th { white-space: nowrap; position: sticky; left: 0; background: #fff; }
.matrix td a { color: inherit; text-decoration: none; }
.matrix td small { display: block; font: 11px/1.3 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  font-weight: 400; opacity: .9; }
.matrix td.na { color: var(--muted); text-align: center; font-weight: 400; }
.plain td { font-size: 13px; }
.legend .badge { margin-right: 4px; }
details.group { margin: 10px 0; }
details.group > summary { cursor: pointer; padding: 6px 0; font-size: 16px; }
details.function { margin: 0 0 0 18px; border-top: 1px solid var(--line); }
details.function > summary { cursor: pointer; padding: 5px 0; }
details.function[open] { padding-bottom: 8px; }
.tally { display: inline-block; margin-left: 4px; padding: 0 6px; border-radius: 8px; font-size: 12px;
  font-weight: 600; }
.same-figure { margin: 8px 0 0; font-size: 13px; color: var(--muted); }
.also { display: block; }
.answer { margin: 12px 0; padding: 10px 14px; border: 1px solid var(--line); border-radius: 8px; }
.paths { margin: 4px 0; padding-left: 20px; }
.blocker { margin: 2px 0 0 4px; font-size: 14px; }
.fix-head { margin: 6px 0 0; font-weight: 600; }
.fixes { margin: 2px 0; padding-left: 20px; }
.note { margin: 4px 0; font-size: 13px; color: var(--muted); }
.hops summary { cursor: pointer; color: var(--muted); font-size: 13px; }
.hops ol { margin: 2px 0 6px; padding-left: 22px; font-size: 13px; }
.hops li.no { color: var(--no); } .hops li.unk { color: var(--unk); }
.hops p { margin: 4px 0 0; }
.figure { margin: 10px 0 0; padding: 8px; overflow-x: auto; border: 1px solid var(--line);
  border-radius: 6px; }
.figure svg { display: block; max-width: 100%; height: auto; }
figcaption { font-size: 13px; color: var(--muted); margin-top: 4px; }
.warnings { font-size: 14px; }
footer { margin-top: 40px; font-size: 13px; }
@media print {
  @page { margin: 14mm; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  nav, .hops { display: none; }
  a { color: inherit; text-decoration: none; }
  h2 { break-after: avoid; }
  .answer, .card, tr, figure { break-inside: avoid; }
  .scroll, .figure { overflow: visible; }
  .figure svg { max-width: 100%; height: auto; }
  .matrix, .plain { width: 100%; table-layout: fixed; }
  .matrix td { min-width: 0; font-size: 8.5pt; }
  .matrix td small { font-size: 6.5pt; }
  .matrix th, .matrix td, .plain th, .plain td { padding: 3px 5px; overflow-wrap: anywhere; }
}
"""

# Added only to a page made --against a baseline: the "What changed" section and the matrix's marks.
DIFF_CSS = """
.since { margin: 16px 0 8px; }
.badge.na { background: var(--soft); color: var(--muted); border: 1px solid var(--line); }
.matrix td.changed { outline: 2px dashed currentColor; outline-offset: -4px; }
.matrix td small.was { font: italic 12px/1.3 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial,
  sans-serif; }
.changed-key { padding: 0 6px; font-size: 13px; border: 2px dashed var(--muted); border-radius: 4px; }
.was-tag { display: inline-block; margin-left: 6px; padding: 0 6px; border: 1px dashed var(--muted);
  border-radius: 4px; font-size: 12px; font-weight: 400; color: var(--muted); }
.changelist td { vertical-align: top; }
.changelist td.verdicts, .changelist td.question { white-space: nowrap; }
.chg { font-weight: 700; font-size: 12px; letter-spacing: .03em; }
.chg-lost .chg { color: var(--no); } .chg-gained .chg { color: var(--ok); }
.chg-changed .chg, .chg-new .chg, .chg-gone .chg { color: var(--part); }
.cause .block, .cause .fix { margin-top: 2px; }
@media print { .matrix td.changed { outline-width: 1.5px; } .matrix td small.was { font-size: 6.5pt; } }
"""
