from __future__ import annotations

from django.db.models import QuerySet
from django_filters import rest_framework as filters

from lms.enrollments.models import Enrollment


class EnrollmentFilter(filters.FilterSet):
    course = filters.NumberFilter(field_name="course_id", min_value=1)
    student = filters.NumberFilter(field_name="student_id", min_value=1)
    active = filters.BooleanFilter(method="filter_active")

    class Meta:
        model = Enrollment
        fields = ["course", "student", "active"]

    def filter_active(
        self, queryset: QuerySet[Enrollment], name: str, value: bool | None
    ) -> QuerySet[Enrollment]:
        if value is None:
            return queryset
        return queryset.filter(ended_at__isnull=value)
