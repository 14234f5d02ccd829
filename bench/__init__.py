"""Benchmarks and load tests for the portal (make bench, make loadtest). See docs/performance.md."""
