"""/pipeline: counts per stage, conversion, who is stuck, and a funnel chart."""
