"""The frame stage: official files joined into one table per municipality, with provenance and join
report.
"""
