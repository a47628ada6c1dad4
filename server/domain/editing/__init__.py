"""Editing by staff: validated saves against a known revision, history and restore, imports."""
