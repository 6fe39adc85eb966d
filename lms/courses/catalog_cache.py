"""The catalog's read cache: the rendered pages and counts that anonymous visitors and students
share, keyed by a catalog version.

Every course change bumps the version after commit, so with a shared cache (Redis) no reader
ever sees a page older than the change. With per-process local memory, other worker processes
see it within CATALOG_CACHE_SECONDS, the lifetime of every entry. Instructors and admins, who
make the changes, always read the database, pages and counts alike.

A page is keyed by everything its body depends on: scheme and host (its next/previous links are
absolute), path, and the query parameters the view reads; the list refuses any other parameter.
It is nobody's own: a student's `is_enrolled` and `payment_status` are laid over it (viewer.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.utils.functional import cached_property
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from lms.core.pagination import PageNumberPagination
from lms.courses.viewer import course_ids_of, personalize, viewer_key

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


def catalog_check_params(request: Request, allowed: Iterable[str]) -> None:
    """Refuse query parameters the catalog does not read (400), so none of them makes a new page."""
    unknown = sorted(set(request.query_params) - set(allowed))
    if unknown:
        raise ValidationError({name: ["Unknown query parameter."] for name in unknown})


def _normalized(name: str, value: str) -> str:
    """Paging values as the view reads them: `?page_size=junk` is the default size, `?page=01` is
    page 1, so neither makes a page of its own in the cache."""
    if name == PAGE_SIZE:
        return str(PageNumberPagination().get_page_size(_SizeOnly(value)))
    if name == PAGE and value.isascii() and value.isdigit():
        return str(int(value))
    return value


class _SizeOnly:
    """A stand-in request that carries only a page size, for DRF's `get_page_size`."""

    def __init__(self, value: str) -> None:
        self.query_params = {PAGE_SIZE: value}


PAGE, PAGE_SIZE = PageNumberPagination.page_query_param, PageNumberPagination.page_size_query_param


def _digest(request: Request, ignore: tuple[str, ...] = ()) -> str:
    params = sorted(
        (k, _normalized(k, v))
        for k, values in request.query_params.lists()
        if k not in ignore
        for v in values
    )
    url = f"{request.scheme}://{request.get_host()}{request.path}?{urlencode(params)}"
    return hashlib.sha256(url.encode()).hexdigest()[:32]


def catalog_reads_cache(request: Request) -> bool:
    """Anonymous visitors and students see the same catalog (the courses on sale): the cache's."""
    return not request.user.is_authenticated or request.user.is_student


def catalog_cached_read(request: Request, read: Callable[[], Response], *, many: bool) -> HttpResponse:
    """Serve the shared rendered page (`many`) or course from the cache, else `read()` it and
    store it; instructors and admins always read. A student's flags are then laid over it.

    Runs after authentication and permissions. The entry is stored with the version it was
    built at and served only while that version is current: a hit is one cache round trip,
    plus for a student their flags: in the same round trip when cached (viewer.py), else a query.
    """
    if not catalog_reads_cache(request):
        return read()
    key, flags_key = f"catalog:entry:{_digest(request)}", viewer_key(request.user)
    found = cache.get_many([VERSION_KEY, key, *([flags_key] if flags_key else [])])
    entry = found.get(key)
    if entry is not None and found.get(VERSION_KEY) == entry[0]:
        _, content, course_ids = entry
    else:
        version = catalog_version()  # read before the page, so a concurrent change retires it
        response = read()
        if response.status_code != 200:
            return response
        content = JSONRenderer().render(response.data)
        course_ids = course_ids_of(response.data, many=many)
        cache.set(key, (version, content, course_ids), settings.CATALOG_CACHE_SECONDS)
    cached_flags = found.get(flags_key) if flags_key else None
    content = personalize(content, user=request.user, course_ids=course_ids, many=many, cached=cached_flags)
    return HttpResponse(content, content_type="application/json")


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
    """Counts each filtered catalog once per version for the cache's readers, not once per page."""

    def django_paginator_class(self, queryset, per_page):  # noqa: ANN001, ANN201 (Paginator's own signature)
        if not catalog_reads_cache(self.request):
            return Paginator(queryset, per_page)
        paginator = _CachedCountPaginator(queryset, per_page)
        ignore = (self.page_query_param, self.page_size_query_param)
        paginator.count_key = f"catalog:{catalog_version()}:count:{_digest(self.request, ignore)}"
        return paginator
