"""Guides' tours: a chosen order of published stops, planned, mapped, exported and saved."""
