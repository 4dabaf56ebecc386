"""The time rules (R16b, R16c, docs/time-rules.md), run every day by `jobs/time_rules.py`."""
