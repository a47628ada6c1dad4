"""Guide tools (/guide): plan a tour, print its handout, export GPX, share it by link and QR code."""

from . import saved_views, tour_views
from .blueprint import bp

__all__ = ["bp", "saved_views", "tour_views"]
