"""Kennisplein benchmarks (``make bench`` → ``python -m bench``).

Benchmarks are not timed tests: they never assert on time. Each scenario measures the app's own
code path and a baseline doing the same work the plainest way, in the same run on the same
database, and reports both figures and their ratio. Ratios travel between machines; absolute
figures do not.
"""
