from __future__ import annotations

from django_filters import rest_framework as filters

from lms.core.filters import BooleanFilter, ChoiceFilter
from lms.users.models import Role, User


class UserFilter(filters.FilterSet):
    role = ChoiceFilter(choices=Role.choices)
    is_active = BooleanFilter()

    class Meta:
        model = User
        fields = ["role", "is_active"]
