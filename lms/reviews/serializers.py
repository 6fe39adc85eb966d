from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from lms.core.serializers import InputSerializer
from lms.reviews.models import MAX_TEXT, Review


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A review with the instructor's reply",
            value={
                "id": 7,
                "course": 12,
                "student_name": "ada",
                "rating": 5,
                "text": "Clear, and every lesson builds on the last.",
                "reply": "Thank you, Ada!",
                "replied_at": "2026-11-21T10:00:00Z",
                "is_current_student": True,
                "is_hidden": False,
                "is_own": False,
                "created_at": "2026-11-20T16:05:12Z",
                "updated_at": "2026-11-21T10:00:00Z",
            },
            response_only=True,
        )
    ]
)
class ReviewSerializer(serializers.ModelSerializer):
    student_name = serializers.CharField(source="student.username", help_text="The reviewer's username.")
    is_current_student = serializers.BooleanField(
        help_text="Whether the reviewer is enrolled in the course now (false after a refund or an "
        "ended enrollment)."
    )
    is_own = serializers.SerializerMethodField(help_text="Whether you wrote this review.")

    class Meta:
        model = Review
        fields = [
            "id",
            "course",
            "student_name",
            "rating",
            "text",
            "reply",
            "replied_at",
            "is_current_student",
            "is_hidden",
            "is_own",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_is_own(self, review: Review) -> bool:
        user = self.context.get("user")
        return bool(user is not None and user.is_authenticated and user.pk == review.student_id)


class ReviewCreateSerializer(InputSerializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    text = serializers.CharField(max_length=MAX_TEXT, allow_blank=True, required=False, trim_whitespace=False)


class ReviewUpdateSerializer(InputSerializer):
    """Send only the fields your role may change: the author `rating` and `text`, the course's
    instructor `reply` (empty to remove it), an admin `is_hidden`."""

    rating = serializers.IntegerField(min_value=1, max_value=5, required=False)
    text = serializers.CharField(max_length=MAX_TEXT, allow_blank=True, required=False, trim_whitespace=False)
    reply = serializers.CharField(max_length=MAX_TEXT, allow_blank=True, required=False)
    is_hidden = serializers.BooleanField(required=False)


class ReviewSummarySerializer(serializers.Serializer):
    rating_avg = serializers.DecimalField(
        max_digits=2, decimal_places=1, coerce_to_string=False, allow_null=True, help_text="Null when none."
    )
    rating_count = serializers.IntegerField()
    distribution = serializers.DictField(
        child=serializers.IntegerField(),
        help_text='How many visible reviews give each rating: {"1": n, ..., "5": n}.',
    )
