from __future__ import annotations

from django import forms
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema_field

from lms.reviews.models import Review


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 5})
class RatingFilter(filters.NumberFilter):
    """`?rating=4`: a whole number of stars, 1 to 5, else 400."""

    field_class = forms.IntegerField

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, min_value=1, max_value=5, **kwargs)


class ReviewFilter(filters.FilterSet):
    rating = RatingFilter()

    class Meta:
        model = Review
        fields = ["rating"]
