from __future__ import annotations

from django_filters import rest_framework as filters

from lms.core.filters import ChoiceFilter, IdFilter
from lms.payments.models import Payment


class PaymentFilter(filters.FilterSet):
    course = IdFilter(field_name="course_id")
    student = IdFilter(field_name="student_id")
    status = ChoiceFilter(choices=Payment.Status.choices)

    class Meta:
        model = Payment
        fields = ["course", "student", "status"]
