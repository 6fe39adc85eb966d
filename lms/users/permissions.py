"""Role permissions shared by every app's views."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from lms.users.models import Role


def _role(request: Request) -> str | None:
    user = request.user
    return getattr(user, "role", None) if user and user.is_authenticated else None


class IsAdmin(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return _role(request) == Role.ADMIN


class IsInstructorOrAdmin(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return _role(request) in (Role.INSTRUCTOR, Role.ADMIN)


class IsStudent(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return _role(request) == Role.STUDENT


class IsStudentOrAdmin(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return _role(request) in (Role.STUDENT, Role.ADMIN)
