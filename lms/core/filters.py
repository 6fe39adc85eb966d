"""Filter backends shared by every list endpoint (the defaults in REST_FRAMEWORK)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import filters
from rest_framework.request import Request

# Each search word adds a LIKE per search field: the words and their length are capped, so a long
# `?search=` cannot make one request arbitrarily expensive. Words past the cap are ignored.
MAX_SEARCH_TERMS = 10
MAX_SEARCH_TERM_LENGTH = 100


class SearchFilter(filters.SearchFilter):
    """`?search=`, offered (and documented) only by views that name `search_fields`."""

    def get_search_terms(self, request: Request) -> list[str]:
        terms = super().get_search_terms(request)[:MAX_SEARCH_TERMS]
        return [term[:MAX_SEARCH_TERM_LENGTH] for term in terms]

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return super().get_schema_operation_parameters(view) if getattr(view, "search_fields", None) else []


class StableOrderingFilter(filters.OrderingFilter):
    """`?ordering=` with the primary key as the last key.

    Without it, rows with equal values (many courses cost 0) come back in whatever order the
    database likes, so paging can repeat some rows and skip others.
    """

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> list[str] | None:
        ordering = super().get_ordering(request, queryset, view)
        if not ordering or any(term.lstrip("-") in ("id", "pk") for term in ordering):
            return ordering
        return [*ordering, "-id" if ordering[-1].startswith("-") else "id"]

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return super().get_schema_operation_parameters(view) if getattr(view, "ordering_fields", None) else []
