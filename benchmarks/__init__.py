"""Benchmark and load test of the dashboard (not part of the installed package): `python -m benchmarks --help`."""
