"""Aggregate figures and charts of participation (aggregates only, rule 11)."""
