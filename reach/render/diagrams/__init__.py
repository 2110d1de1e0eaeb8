"""Diagrams of answers and VPCs: the picture as data, then Mermaid, DOT or SVG text."""
