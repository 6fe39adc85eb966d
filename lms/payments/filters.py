from __future__ import annotations

from django_filters import rest_framework as filters

from lms.payments.models import Payment


class PaymentFilter(filters.FilterSet):
    course = filters.NumberFilter(field_name="course_id", min_value=1)
    student = filters.NumberFilter(field_name="student_id", min_value=1)
    status = filters.ChoiceFilter(choices=Payment.Status.choices)

    class Meta:
        model = Payment
        fields = ["course", "student", "status"]
