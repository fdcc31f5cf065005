"""Benchmarks of Paradip beside what a user would otherwise use (``make bench``; issue 6)."""
