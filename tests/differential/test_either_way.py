"""Engine and simulator agree when a route's prefix list is missing: decided only "either way"."""
from __future__ import annotations

import pytest

from tests.scenarios.estate import table
from tests.test_first_hour import _either_way_estate

from .simulator import simulate
from .test_engine_vs_simulator import check


@pytest.mark.parametrize("drop", ["list", "entries"])
@pytest.mark.parametrize("broken,expected", [(None, "reachable"), ("nat", "unknown"), ("endpoint", "unknown")])
@pytest.mark.parametrize("ip", ["52.94.0.10", "8.8.8.8"])
def test_missing_prefix_list_route_either_way(drop, broken, expected, ip):
    snap = _either_way_estate(drop)
    if broken == "nat":
        table(snap, "rt-pub")["Routes"] = []
    elif broken == "endpoint":
        snap["VpcEndpoints"][0]["State"] = "deleted"
    assert simulate(snap, "fn", "sn-priv", ip, 443, "tcp") == expected
    check(snap, "fn", (ip, 443, "tcp"))
