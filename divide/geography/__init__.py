"""The geography stage: counters, distance to them, remoteness, evacuation context, spatial
clusters.
"""
