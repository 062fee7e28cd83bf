"""Reads for the events app, one module per topic; every read that can return private data takes
the viewing user (rule 3)."""
