"""Filter backends shared by every list endpoint (the defaults in REST_FRAMEWORK), and the filters.

A filter or ordering value that is not allowed is a 400 naming the parameter and what it takes,
never ignored: a client that misspells `?is_free=yes` must not get the whole list back.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F, OrderBy, QuerySet
from django_filters import filters as plain_filters
from django_filters import rest_framework as django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, filters
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


class StrictBooleanField(forms.Field):
    """`true` or `false` (`1` or `0`, any letter case); empty means no filter; anything else is an error.

    django-filter's boolean widget turns any other value into "no filter", silently.
    """

    VALUES = {"true": True, "1": True, "false": False, "0": False}
    default_error_messages = {"invalid": "Must be one of: true, false."}

    def to_python(self, value: Any) -> bool | None:
        if value in self.empty_values:
            return None
        try:
            return self.VALUES[str(value).lower()]
        except KeyError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


@extend_schema_field(OpenApiTypes.BOOL)
class BooleanFilter(plain_filters.BooleanFilter):
    """`?is_free=true`: a boolean, else 400 (see StrictBooleanField)."""

    field_class = StrictBooleanField


class ChoiceFilter(django_filters.ChoiceFilter):
    """`?status=pending`: one of the choices, else a 400 that lists them."""

    def __init__(self, *args: Any, choices: Any, **kwargs: Any) -> None:
        allowed = ", ".join(str(value) for value, _label in choices)
        kwargs.setdefault("error_messages", {"invalid_choice": f"Must be one of: {allowed}."})
        super().__init__(*args, choices=choices, **kwargs)


class SearchFilter(filters.SearchFilter):
    """`?search=`, offered (and documented) only by views that name `search_fields`."""

    def get_search_terms(self, request: Request) -> list[str]:
        terms = super().get_search_terms(request)[:MAX_SEARCH_TERMS]
        return [term[:MAX_SEARCH_TERM_LENGTH] for term in terms]

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return super().get_schema_operation_parameters(view) if getattr(view, "search_fields", None) else []


class StableOrderingFilter(filters.OrderingFilter):
    """`?ordering=` with the primary key as the last key; a key the view does not offer is a 400.

    Without the key, rows with equal values (many courses cost 0) come back in whatever order the
    database likes, so paging can repeat some rows and skip others. A view offers sorting by
    naming its `ordering_fields`; without them it offers none (DRF would offer every field of the
    serializer, documented nowhere).
    """

    def get_valid_fields(
        self, queryset: QuerySet[Any], view: Any, context: Any = None
    ) -> list[tuple[str, str]]:
        if getattr(view, "ordering_fields", None) is None:
            return []
        return super().get_valid_fields(queryset, view, context)

    def remove_invalid_fields(
        self, queryset: QuerySet[Any], fields: list[str], view: Any, request: Request
    ) -> list[str]:
        valid = super().remove_invalid_fields(queryset, fields, view, request)
        if len(valid) != len(fields):
            allowed = ", ".join(ordering_values(view))
            message = (
                f"Must be one or more of (comma-separated): {allowed}."
                if allowed
                else "This list has no sort keys."
            )
            raise exceptions.ValidationError({self.ordering_param: [message]})
        return valid

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> list[str] | None:
        ordering = super().get_ordering(request, queryset, view)
        if not ordering or any(term.lstrip("-") in ("id", "pk") for term in ordering):
            return ordering
        return [*ordering, "-id" if ordering[-1].startswith("-") else "id"]

    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> QuerySet[Any]:
        """Keys the view names in `ordering_nulls_last` sort their NULLs last in both directions,
        on every database (SQLite and MariaDB put them first ascending, PostgreSQL descending)."""
        ordering = self.get_ordering(request, queryset, view)
        if not ordering:
            return queryset
        nulls_last = set(getattr(view, "ordering_nulls_last", ()))
        return queryset.order_by(
            *(_nulls_last(term) if term.lstrip("-") in nulls_last else term for term in ordering)
        )

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        """An array of the allowed keys, sent comma-separated (`?ordering=-price,title`)."""
        if not getattr(view, "ordering_fields", None):
            return []
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "Sort keys, comma-separated; `-` before a key sorts it in descending order.",
                "schema": {"type": "array", "items": {"type": "string", "enum": ordering_values(view)}},
                "style": "form",
                "explode": False,
            }
        ]


def _nulls_last(term: str) -> OrderBy:
    field = F(term.lstrip("-"))
    return field.desc(nulls_last=True) if term.startswith("-") else field.asc(nulls_last=True)


def ordering_values(view: Any) -> list[str]:
    """Every `?ordering=` key a view offers, ascending and descending: `price`, `-price`, ..."""
    return [key for field in getattr(view, "ordering_fields", None) or () for key in (field, f"-{field}")]
