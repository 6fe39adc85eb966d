from __future__ import annotations

from rest_framework import serializers

from lms.core.serializers import IdRelatedField, InputSerializer
from lms.courses.models import Course
from lms.courses.serializers import CourseSummarySerializer
from lms.enrollments.models import Enrollment
from lms.enrollments.selectors import progress_percent, with_progress
from lms.users.models import Role, User


class EnrollmentSerializer(serializers.ModelSerializer):
    course_title = serializers.CharField(source="course.title", read_only=True)
    is_active = serializers.BooleanField(read_only=True)
    percent = serializers.SerializerMethodField(help_text="Completed lessons ÷ current lessons, 0-100.")

    class Meta:
        model = Enrollment
        fields = [
            "id",
            "student",
            "course",
            "course_title",
            "source",
            "enrolled_at",
            "ended_at",
            "is_active",
            "percent",
            "completed_at",
        ]
        read_only_fields = fields

    def get_percent(self, enrollment: Enrollment) -> int:
        if not hasattr(enrollment, "lessons_total"):  # one just created or reactivated, not from a list
            enrollment = with_progress(Enrollment.objects.filter(pk=enrollment.pk)).get()
        return progress_percent(done=enrollment.lessons_done, total=enrollment.lessons_total)


class MyCourseSerializer(serializers.ModelSerializer):
    """One of your courses: the course, and your enrollment in it with your progress."""

    enrollment = serializers.IntegerField(source="id", read_only=True, help_text="The enrollment's id.")
    course = CourseSummarySerializer(read_only=True)
    percent = serializers.SerializerMethodField(help_text="Completed lessons ÷ current lessons, 0-100.")

    class Meta:
        model = Enrollment
        fields = ["enrollment", "course", "source", "enrolled_at", "percent", "completed_at"]
        read_only_fields = fields

    def get_percent(self, enrollment: Enrollment) -> int:
        return progress_percent(done=enrollment.lessons_done, total=enrollment.lessons_total)


class EnrollSelfSerializer(InputSerializer):
    course = IdRelatedField(queryset=Course.objects.all())


class EnrollStudentSerializer(InputSerializer):
    """An admin's grant. Any account's id is found, so that one that is no student hears why."""

    student = IdRelatedField(
        queryset=User.objects.all(), error_messages={"does_not_exist": "No user with id {pk_value}."}
    )
    course = IdRelatedField(queryset=Course.objects.all())

    def validate_student(self, student: User) -> User:
        if student.role != Role.STUDENT:
            raise serializers.ValidationError(
                f"User {student.pk} is not a student: their role is {student.role}."
            )
        if not student.is_active:
            raise serializers.ValidationError(f"User {student.pk} is deactivated.")
        return student
