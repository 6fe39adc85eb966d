from __future__ import annotations

from django.db.models import QuerySet

from lms.payments.models import Payment
from lms.users.models import User


def payment_list_for(*, user: User) -> QuerySet[Payment]:
    """The payments a user may see: their own, those for courses they teach, or all for admins."""
    qs = Payment.objects.order_by("-created_at", "-id")
    if user.is_admin:
        return qs
    if user.is_instructor:
        return qs.filter(course__instructor=user)
    return qs.filter(student=user)
