"""Scheduling: the FSRS adapter, the daily queue, limits, steps, leeches."""
