"""The catalog's read cache: rendered pages and counts, keyed by a catalog version.

Every course change bumps the version after commit, so with a shared cache (Redis) no reader
ever sees a page older than the change. With per-process local memory, other worker processes
see it within CATALOG_CACHE_SECONDS, the lifetime of every entry. Instructors and admins, who
make the changes, always read the database.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from rest_framework.request import Request

from lms.core.pagination import PageNumberPagination

VERSION_KEY = "catalog:version"


def catalog_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return int(version)


def catalog_changed() -> None:
    """Retire every cached page and count; call it after the change commits."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (or evicted): start a new one
        cache.set(VERSION_KEY, catalog_version() + 1, timeout=None)


def _digest(request: Request, ignore: tuple[str, ...] = ()) -> str:
    params = sorted((k, v) for k, values in request.query_params.lists() if k not in ignore for v in values)
    return hashlib.sha256(f"{request.path}?{urlencode(params)}".encode()).hexdigest()[:32]


def catalog_key(kind: str, request: Request, *, ignore: tuple[str, ...] = ()) -> str:
    """A cache key for this request's view of the catalog, at the current version."""
    return f"catalog:{catalog_version()}:{kind}:{_digest(request, ignore)}"


def catalog_page_get(request: Request) -> tuple[str, bytes | None]:
    """(key, cached rendered page or None) in one cache round trip.

    The page is stored with the version it was built at, and is only served while that version
    is current, so reading it needs no second trip for the version.
    """
    key = f"catalog:page:{_digest(request)}"
    found = cache.get_many([VERSION_KEY, key])
    entry = found.get(key)
    if entry is not None and found.get(VERSION_KEY) == entry[0]:
        return key, entry[1]
    return key, None


def catalog_page_set(key: str, content: bytes, version: int) -> None:
    cache.set(key, (version, content), settings.CATALOG_CACHE_SECONDS)


class _CachedCountPaginator(Paginator):
    count_key = ""

    @cached_property
    def count(self) -> int:
        count = cache.get(self.count_key)
        if count is None:
            count = super().count
            cache.set(self.count_key, count, settings.CATALOG_CACHE_SECONDS)
        return count


class CatalogPagination(PageNumberPagination):
    """Counts each filtered catalog once per version, not once per page (COUNT(*) grows with it)."""

    def django_paginator_class(self, queryset, per_page):  # noqa: ANN001, ANN201 (Paginator's own signature)
        paginator = _CachedCountPaginator(queryset, per_page)
        paginator.count_key = catalog_key(
            "count", self.request, ignore=(self.page_query_param, self.page_size_query_param)
        )
        return paginator
