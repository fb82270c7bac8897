"""Landing: files in the landing folder become raw warehouse tables, with a manifest."""

from .feeds import FEEDS, Feed
from .loader import ChecksumMismatch, LandingReport, land
from .warehouse import Warehouse, WarehouseError

__all__ = [
    "FEEDS",
    "ChecksumMismatch",
    "Feed",
    "LandingReport",
    "Warehouse",
    "WarehouseError",
    "land",
]
