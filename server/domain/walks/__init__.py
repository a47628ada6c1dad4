"""Walks and stops: bundles on disk, records in the database, seeding, walking paths, opening hours."""
