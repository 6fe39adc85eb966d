from __future__ import annotations

from django.db.models import QuerySet
from django_filters import rest_framework as filters

from lms.core.filters import BooleanFilter, IdFilter
from lms.enrollments.models import Enrollment


class EnrollmentFilter(filters.FilterSet):
    course = IdFilter(field_name="course_id")
    student = IdFilter(field_name="student_id")
    active = BooleanFilter(method="filter_active")

    class Meta:
        model = Enrollment
        fields = ["course", "student", "active"]

    def filter_active(
        self, queryset: QuerySet[Enrollment], name: str, value: bool | None
    ) -> QuerySet[Enrollment]:
        if value is None:
            return queryset
        return queryset.filter(ended_at__isnull=value)
