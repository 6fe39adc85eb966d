from __future__ import annotations

from django.db.models import QuerySet
from django_filters import rest_framework as filters

from lms.core.filters import BooleanFilter, IdFilter
from lms.courses.models import MAX_PRICE, Course


class CourseFilter(filters.FilterSet):
    instructor = IdFilter(field_name="instructor_id")
    min_price = filters.NumberFilter(field_name="price", lookup_expr="gte", min_value=0, max_value=MAX_PRICE)
    max_price = filters.NumberFilter(field_name="price", lookup_expr="lte", min_value=0, max_value=MAX_PRICE)
    is_free = BooleanFilter(method="filter_is_free")
    # Courses without a rating (NULL) never match.
    min_rating = filters.NumberFilter(field_name="rating_avg", lookup_expr="gte", min_value=1, max_value=5)

    class Meta:
        model = Course
        fields = ["instructor", "min_price", "max_price", "is_free", "min_rating"]

    def filter_is_free(self, queryset: QuerySet[Course], name: str, value: bool | None) -> QuerySet[Course]:
        if value is None:
            return queryset
        return queryset.filter(price=0) if value else queryset.filter(price__gt=0)
