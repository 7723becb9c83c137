"""Benchmarks, run by `make bench` (`python -m benchmarks [name ...]`).

Each `bench_*.py` module has a `main() -> list[str]` that measures something and returns
lines of results; the runner prints them and writes them to benchmarks/results/.
"""
