"""Tests of the permission layer: the evaluator's properties, AWS's documented scenarios, the catalogue."""
