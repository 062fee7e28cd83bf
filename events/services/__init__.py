"""Writes for the events app, one module per topic (rule 1: one entry point per state change)."""
