from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models.functions import Lower


class Role(models.TextChoices):
    STUDENT = "student", "Student"
    INSTRUCTOR = "instructor", "Instructor"
    ADMIN = "admin", "Admin"


class UserManager(DjangoUserManager):
    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        # The whole address is compared without letter case, so it is stored in lower case.
        return (email or "").strip().lower()

    def create_user(
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> User:
        extra.pop("is_staff", None)
        extra.pop("is_superuser", None)
        return self._create_user(username, email, password, **extra)

    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> User:
        extra.pop("is_staff", None)
        extra.pop("is_superuser", None)
        extra["role"] = Role.ADMIN
        return self._create_user(username, email, password, **extra)


class User(AbstractUser):
    """An account. `role` is the single source of truth for what the user may do.

    Django's `is_staff` and `is_superuser` are derived from it (role=admin), so the admin
    site, `has_perm` and DRF's `IsAdminUser` all follow the role and cannot drift from it.
    """

    email = models.EmailField("email address", max_length=254, unique=True)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.STUDENT, db_index=True)
    is_staff = None  # type: ignore[assignment]
    is_superuser = None  # type: ignore[assignment]

    objects = UserManager()

    REQUIRED_FIELDS = ["email"]

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="users_user_role_valid"),
            models.CheckConstraint(
                condition=models.Q(email=Lower("email")), name="users_user_email_lowercase"
            ),
        ]

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_instructor(self) -> bool:
        return self.role == Role.INSTRUCTOR

    @property
    def is_student(self) -> bool:
        return self.role == Role.STUDENT

    @property
    def is_staff(self) -> bool:  # noqa: F811
        return self.role == Role.ADMIN

    @property
    def is_superuser(self) -> bool:  # noqa: F811
        return self.role == Role.ADMIN

    def clean(self) -> None:
        super().clean()
        self.email = UserManager.normalize_email(self.email)
