from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from lms.core.serializers import IdRelatedField, InputSerializer, MoneyField
from lms.courses.models import MAX_PRICE, Course
from lms.courses.selectors import PROFILE_COURSES
from lms.courses.viewer import NOBODY, PAYMENT_STATUSES
from lms.users.models import Role, User


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A course on sale",
            value={
                "id": 12,
                "title": "Django REST Framework Masterclass",
                "description": "Build and test a production API, from models to payments.",
                "price": "120.00",
                "instructor": 3,
                "instructor_name": "grace",
                "status": "published",
                "created_at": "2026-11-02T09:30:00Z",
                "updated_at": "2026-11-20T16:05:12Z",
                "rating_avg": 4.6,
                "rating_count": 37,
                "is_enrolled": False,
                "payment_status": None,
            },
            response_only=True,
        )
    ]
)
class CourseSerializer(serializers.ModelSerializer):
    price = MoneyField(read_only=True)
    instructor_name = serializers.CharField(source="instructor.username", read_only=True)
    rating_avg = serializers.DecimalField(
        max_digits=2,
        decimal_places=1,
        coerce_to_string=False,
        read_only=True,
        allow_null=True,
        help_text="The average rating of the visible reviews, 1.0 to 5.0; null when there is none.",
    )
    rating_count = serializers.IntegerField(read_only=True, help_text="How many visible reviews.")
    # The requesting student's own flags (viewer.py lays them over the shared page); false and
    # null for everyone else.
    is_enrolled = serializers.SerializerMethodField(
        help_text="Whether you (a student) are enrolled in the course now; false for anyone else."
    )
    payment_status = serializers.SerializerMethodField(
        help_text="The status of your (a student's) latest payment for the course; null when "
        "there is none, and for anyone else."
    )

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
            "rating_avg",
            "rating_count",
            "is_enrolled",
            "payment_status",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_is_enrolled(self, course: Course) -> bool:
        return NOBODY.is_enrolled

    @extend_schema_field({"type": "string", "enum": list(PAYMENT_STATUSES), "nullable": True})
    def get_payment_status(self, course: Course) -> str | None:
        return NOBODY.payment_status


class CourseSummarySerializer(serializers.ModelSerializer):
    """A course as a list of someone's courses shows it."""

    instructor_name = serializers.CharField(source="instructor.username", read_only=True)
    price = MoneyField(read_only=True)

    class Meta:
        model = Course
        fields = ["id", "title", "price", "instructor", "instructor_name", "status"]
        read_only_fields = fields


class InstructorProfileSerializer(serializers.Serializer):
    """An instructor's public profile: their name and their courses on sale (never their email)."""

    id = serializers.IntegerField(source="instructor.id")
    name = serializers.CharField(source="instructor.username", help_text="The instructor's username.")
    course_count = serializers.IntegerField(help_text="How many of their courses are on sale.")
    courses = CourseSerializer(
        many=True,
        help_text=f"The newest {PROFILE_COURSES}; GET /api/courses/?instructor={{id}} pages through all.",
    )


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A paid course",
            value={
                "title": "Django REST Framework Masterclass",
                "description": "Build and test a production API, from models to payments.",
                "price": "120.00",
            },
            request_only=True,
        ),
        OpenApiExample("A free course", value={"title": "Intro to Git", "price": "0"}, request_only=True),
    ]
)
class CourseInputSerializer(InputSerializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=10000, allow_blank=True, required=False)
    price = MoneyField(max_value=MAX_PRICE, help_text="0 for a free course, else at least LMS_MIN_CHARGE.")
    instructor = IdRelatedField(queryset=User.objects.filter(role=Role.INSTRUCTOR), required=False)
