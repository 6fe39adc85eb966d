from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models

MAX_PRICE = Decimal("999999.99")


class Course(models.Model):
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, default="")
    price = models.DecimalField(max_digits=8, decimal_places=2)
    # PROTECT: an instructor with courses is deactivated, never deleted with their catalog.
    instructor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="courses")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="course_created_idx"),
            models.Index(fields=["price", "id"], name="course_price_idx"),
            models.Index(fields=["title", "id"], name="course_title_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price__gte=0) & models.Q(price__lte=MAX_PRICE),
                name="course_price_range",
            ),
            models.CheckConstraint(condition=~models.Q(title=""), name="course_title_not_blank"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_free(self) -> bool:
        return self.price == 0
