"""Opening Paradip on a store: the application with its read models plugged in."""

from __future__ import annotations

from domain.application import Paradip
from domain.store import StoreLocation, resolve_store_url
from projections.queries import ReadModels


def open_app(store_url: str | None = None) -> Paradip:
    """The application on the store named by ``store_url`` (else ``PARADIP_STORE``, else the default)."""
    return Paradip(StoreLocation.parse(resolve_store_url(store_url)), views=ReadModels)
