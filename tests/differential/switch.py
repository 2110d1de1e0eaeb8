"""Whether the engine comparison covers transit (docs/semantics.md §6t): on unless REACH_DIFF_TRANSIT=0.

On, test_engine_vs_simulator also draws the transit gateway estates of transit_estates.py and the
simulator judges replies by their own route (T4, T5), as the engine does; off (only to replay an old
finding), it compares with the reading from before §6t.
"""
from __future__ import annotations

import os

TRANSIT = os.environ.get("REACH_DIFF_TRANSIT", "1") == "1"
