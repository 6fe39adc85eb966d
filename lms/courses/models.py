from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

MAX_PRICE = Decimal("999999.99")


class Course(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, default="")
    price = models.DecimalField(max_digits=8, decimal_places=2)
    # PROTECT: an instructor with courses is deactivated, never deleted with their catalog.
    instructor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="courses")
    # Students see, buy and enroll in published courses only; a new course starts as a draft.
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The visible reviews' aggregate, kept by lms.reviews.services in the transaction of each
    # review change (course row locked): the catalog sorts and filters on it without a join.
    rating_count = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    rating_avg = models.DecimalField(max_digits=2, decimal_places=1, null=True, blank=True)  # NULL: none

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="course_created_idx"),
            models.Index(fields=["rating_avg", "id"], name="course_rating_idx"),
            models.Index(fields=["price", "id"], name="course_price_idx"),
            models.Index(fields=["title", "id"], name="course_title_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price__gte=0) & models.Q(price__lte=MAX_PRICE),
                name="course_price_range",
            ),
            models.CheckConstraint(condition=~models.Q(title=""), name="course_title_not_blank"),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "published"]), name="course_status_valid"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(rating_count=0) & models.Q(rating_sum=0) & models.Q(rating_avg__isnull=True)
                )
                | (
                    models.Q(rating_count__gt=0)
                    & models.Q(rating_sum__gte=models.F("rating_count"))
                    & models.Q(rating_sum__lte=models.F("rating_count") * 5)
                    & models.Q(rating_avg__gte=1)
                    & models.Q(rating_avg__lte=5)
                ),
                name="course_rating_consistent",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_free(self) -> bool:
        return self.price == 0

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Section(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(max_length=200)
    # The order within the course; the curriculum service keeps it 0, 1, 2, ... (ties fall back on id).
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["course", "position", "id"], name="section_course_order_idx")]
        constraints = [models.CheckConstraint(condition=~models.Q(title=""), name="section_title_not_blank")]

    def __str__(self) -> str:
        return self.title


class Lesson(models.Model):
    class Kind(models.TextChoices):
        TEXT = "text", "Text"
        VIDEO = "video", "Video"
        FILE = "file", "File"

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="lessons")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.TEXT)
    body = models.TextField(blank=True, default="")  # Markdown, as the instructor wrote it
    body_html = models.TextField(blank=True, default="")  # rendered and sanitized on every save
    video_url = models.URLField(max_length=500, blank=True, default="")
    file = models.FileField(upload_to="lessons/%Y/%m/", blank=True, default="", max_length=300)
    duration_minutes = models.PositiveIntegerField(null=True, blank=True)
    is_preview = models.BooleanField(default=False)
    position = models.PositiveIntegerField(default=0)  # the order within the section
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["section", "position", "id"], name="lesson_section_order_idx")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(title=""), name="lesson_title_not_blank"),
            models.CheckConstraint(
                condition=models.Q(kind__in=["text", "video", "file"]), name="lesson_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(video_url="") | models.Q(video_url__startswith="https://"),
                name="lesson_video_url_https",
            ),
        ]

    def __str__(self) -> str:
        return self.title
