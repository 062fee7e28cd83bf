"""Writes of series: scheduling and the standing answers."""
