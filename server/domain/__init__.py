"""Kotoji's domain: walks, stops, revisions, publishing and exports, in plain Python (no Flask).

The CLI, the public API, the editor and the guide tools all call these modules, so every rule
about the data lives here once.
"""
