"""Writes of "wie weet wat": keyword-only ``<entity>_<verb>`` functions (rule 1)."""
