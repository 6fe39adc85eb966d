from __future__ import annotations

from django.db.models import QuerySet

from lms.certificates.models import Certificate
from lms.users.models import User


def certificate_list_for(*, user: User) -> QuerySet[Certificate]:
    """A student's own certificates, an instructor's courses' certificates, or all for admins."""
    certificates = Certificate.objects.select_related("enrollment")
    if user.is_admin:
        return certificates
    if user.is_instructor:
        return certificates.filter(enrollment__course__instructor=user)
    return certificates.filter(enrollment__student=user)


def certificate_by_code(*, code: str) -> Certificate | None:
    return Certificate.objects.filter(code=code).first()
