"""Hypothesis profiles for the differential test: "ci" (2000 examples, the default) and "deep"."""
from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow],
           "print_blob": True}
settings.register_profile("ci", max_examples=2000, **_COMMON)
settings.register_profile("deep", max_examples=20000, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
