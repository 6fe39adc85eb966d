"""Filter backends shared by every list endpoint (the defaults in REST_FRAMEWORK), and the id filter."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django_filters import rest_framework as django_filters
from drf_spectacular.utils import extend_schema_field
from rest_framework import filters
from rest_framework.request import Request

# Each search word adds a LIKE per search field: the words and their length are capped, so a long
# `?search=` cannot make one request arbitrarily expensive. Words past the cap are ignored.
MAX_SEARCH_TERMS = 10
MAX_SEARCH_TERM_LENGTH = 100
# The largest value of the id columns (BigAutoField) on every supported database.
MAX_ID = 2**63 - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    """`?course=3`: an object id, a whole number within the id columns' range, else 400.

    A plain NumberFilter takes any decimal, and one past the 64-bit range reached the database
    driver, which raised (a 500) instead of matching nothing.
    """

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, min_value=1, max_value=MAX_ID, **kwargs)


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
