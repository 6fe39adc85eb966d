from __future__ import annotations

from django.urls import reverse
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from lms.core.serializers import InputSerializer
from lms.courses.models import Lesson, Section

# --- Output ------------------------------------------------------------------------------------


# The outline is built as plain rows by selectors.curriculum (its docstring says why); these
# serializers document its shape in the schema.
class LessonOutlineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=Lesson.Kind.choices)
    duration_minutes = serializers.IntegerField(allow_null=True, min_value=0)
    is_preview = serializers.BooleanField()
    is_completed = serializers.BooleanField(help_text="Whether the requesting student completed it.")


class SectionOutlineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    lessons = LessonOutlineSerializer(many=True)


class CurriculumSerializer(serializers.Serializer):
    course = serializers.IntegerField()
    sections = SectionOutlineSerializer(many=True)


class SectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Section
        fields = ["id", "course", "title", "position"]
        read_only_fields = fields


class LessonSerializer(serializers.ModelSerializer):
    """A lesson with its content: only for those who may see it."""

    course = serializers.IntegerField(source="section.course_id", read_only=True)
    video_url = serializers.SerializerMethodField()
    file_url = serializers.SerializerMethodField()

    class Meta:
        model = Lesson
        fields = [
            "id",
            "course",
            "section",
            "title",
            "kind",
            "duration_minutes",
            "is_preview",
            "position",
            "body",
            "body_html",
            "video_url",
            "file_url",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(build_basic_type(OpenApiTypes.URI) | {"nullable": True})
    def get_video_url(self, lesson: Lesson) -> str | None:
        return lesson.video_url or None

    def get_file_url(self, lesson: Lesson) -> str | None:
        if not lesson.file:
            return None
        path = reverse("lesson-file", kwargs={"pk": lesson.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ProgressSerializer(serializers.Serializer):
    completed_lessons = serializers.ListField(child=serializers.IntegerField())
    percent = serializers.IntegerField(min_value=0, max_value=100)
    last_lesson = serializers.IntegerField(allow_null=True)
    completed_at = serializers.DateTimeField(allow_null=True)


class CompletionSerializer(serializers.Serializer):
    lesson = serializers.IntegerField(source="lesson_id")
    completed_at = serializers.DateTimeField()


# --- Input -------------------------------------------------------------------------------------


class SectionInputSerializer(InputSerializer):
    title = serializers.CharField(max_length=200)


class LessonInputSerializer(InputSerializer):
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Lesson.Kind.choices, default=Lesson.Kind.TEXT)
    body = serializers.CharField(max_length=100_000, allow_blank=True, required=False, trim_whitespace=False)
    video_url = serializers.URLField(max_length=500, allow_blank=True, required=False)
    duration_minutes = serializers.IntegerField(
        min_value=0, max_value=100_000, allow_null=True, required=False
    )
    is_preview = serializers.BooleanField(required=False)


class LessonFileInputSerializer(InputSerializer):
    file = serializers.FileField(max_length=200, allow_empty_file=False)


class SectionOrderSerializer(InputSerializer):
    id = serializers.IntegerField(min_value=1)
    lessons = serializers.ListField(child=serializers.IntegerField(min_value=1), max_length=10_000)


class CurriculumOrderSerializer(InputSerializer):
    sections = SectionOrderSerializer(many=True, max_length=10_000)
