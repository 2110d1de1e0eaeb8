"""Tests for reach."""
