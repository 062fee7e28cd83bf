"""Reads of takeaways: who may read what, search, freshness, recognition."""
