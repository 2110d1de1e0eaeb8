"""Benchmarks: a generator of estates in AWS shapes and a runner that measures reach on them."""
