"""Benchmarks: `make bench` runs every module listed in BENCHES (see __main__)."""
