"""Reproducible benchmarks, run as modules (python -m bench.<name>); not timed tests."""
