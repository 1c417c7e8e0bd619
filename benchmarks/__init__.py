"""Benchmarks: `python benchmarks/run.py` (or `make bench`) runs them all."""
