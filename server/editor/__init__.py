"""The heritage staff editor (/editor): server-rendered pages and a small JSON API for saves."""

from . import (
    account_views,
    deletion_views,
    expired_forms,
    json_views,
    page_views,
    path_views,
    transfer_views,
    user_views,
    walk_views,
)
from .blueprint import bp

__all__ = [
    "bp",
    "account_views",
    "deletion_views",
    "expired_forms",
    "json_views",
    "page_views",
    "path_views",
    "transfer_views",
    "user_views",
    "walk_views",
]
