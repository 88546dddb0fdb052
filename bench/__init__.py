"""Benchmarks of the book: `make bench` (see run.py). Reports, never asserts."""
