from __future__ import annotations

from django.db.models import QuerySet

from lms.users.models import User


def user_list() -> QuerySet[User]:
    return User.objects.order_by("id")
