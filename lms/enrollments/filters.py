from __future__ import annotations

import django_filters
from django.db.models import QuerySet

from lms.enrollments.models import Enrollment


class EnrollmentFilter(django_filters.FilterSet):
    course = django_filters.NumberFilter(field_name="course_id", min_value=1)
    student = django_filters.NumberFilter(field_name="student_id", min_value=1)
    active = django_filters.BooleanFilter(method="filter_active")

    class Meta:
        model = Enrollment
        fields = ["course", "student", "active"]

    def filter_active(
        self, queryset: QuerySet[Enrollment], name: str, value: bool | None
    ) -> QuerySet[Enrollment]:
        if value is None:
            return queryset
        return queryset.filter(ended_at__isnull=value)
