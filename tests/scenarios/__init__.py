"""Scenario tests: one small snapshot per rule of the rule book."""
