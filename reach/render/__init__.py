"""Renderers: turn answers into text for people and JSON for programs. Wording lives here."""
