from __future__ import annotations

from rest_framework import serializers

from lms.core.serializers import InputSerializer
from lms.courses.models import MAX_PRICE, Course
from lms.users.models import Role, User


class CourseSerializer(serializers.ModelSerializer):
    instructor_name = serializers.CharField(source="instructor.username", read_only=True)

    class Meta:
        model = Course
        fields = [
            "id",
            "title",
            "description",
            "price",
            "instructor",
            "instructor_name",
            "status",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CourseInputSerializer(InputSerializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=10000, allow_blank=True, required=False)
    price = serializers.DecimalField(max_digits=8, decimal_places=2, min_value=0, max_value=MAX_PRICE)
    instructor = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(role=Role.INSTRUCTOR), required=False
    )
