"""Reads of "wie weet wat"; every one takes the viewing user (rule 3)."""
