from __future__ import annotations

from rest_framework import serializers

from lms.core.serializers import InputSerializer
from lms.courses.models import Course
from lms.enrollments.models import Enrollment
from lms.users.models import Role, User


class EnrollmentSerializer(serializers.ModelSerializer):
    course_title = serializers.CharField(source="course.title", read_only=True)
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = Enrollment
        fields = ["id", "student", "course", "course_title", "source", "enrolled_at", "ended_at", "is_active"]
        read_only_fields = fields


class EnrollSelfSerializer(InputSerializer):
    course = serializers.PrimaryKeyRelatedField(queryset=Course.objects.all())


class EnrollStudentSerializer(InputSerializer):
    student = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(role=Role.STUDENT, is_active=True)
    )
    course = serializers.PrimaryKeyRelatedField(queryset=Course.objects.all())
