from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from lms.core.schema import ErrorSerializer
from lms.courses import selectors, services
from lms.courses.catalog_cache import CatalogPagination, catalog_page_get, catalog_page_set, catalog_version
from lms.courses.filters import CourseFilter
from lms.courses.models import Course
from lms.courses.serializers import CourseInputSerializer, CourseSerializer
from lms.users.permissions import IsInstructorOrAdmin


@extend_schema(tags=["courses"])
class CourseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The catalog. Every authenticated user reads it; instructors manage their own courses.

    Changing someone else's course is 403 (the catalog is public, so existence is no secret).
    """

    serializer_class = CourseSerializer
    pagination_class = CatalogPagination
    filterset_class = CourseFilter
    search_fields = ["title", "description"]
    ordering_fields = ["price", "created_at", "title"]

    def get_queryset(self) -> QuerySet[Course]:
        return selectors.course_list()

    def get_permissions(self) -> list[BasePermission]:
        if self.action in ("list", "retrieve"):
            return [IsAuthenticated()]
        return [IsInstructorOrAdmin()]

    def list(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._cached_read(request, super().list, *args, **kwargs)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._cached_read(request, super().retrieve, *args, **kwargs)

    def _cached_read(
        self, request: Request, read: Callable[..., Response], *args: Any, **kwargs: Any
    ) -> HttpResponse:
        """Serve students the rendered page from the catalog cache; everyone else reads the database.

        Runs after authentication and permissions, and every reader may see every course, so one
        cached page serves all students.
        """
        if not request.user.is_student:
            return read(request, *args, **kwargs)

        key, content = catalog_page_get(request)
        if content is None:
            version = catalog_version()  # read before the page, so a concurrent change retires it
            response = read(request, *args, **kwargs)
            if response.status_code != 200:
                return response
            content = JSONRenderer().render(response.data)
            catalog_page_set(key, content, version)
        return HttpResponse(content, content_type="application/json")

    @extend_schema(request=CourseInputSerializer, responses={201: CourseSerializer})
    def create(self, request: Request) -> Response:
        serializer = CourseInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        course = services.course_create(actor=request.user, **serializer.validated_data)
        return Response(CourseSerializer(course).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CourseInputSerializer, responses={200: CourseSerializer})
    def update(self, request: Request, pk: str | None = None) -> Response:
        return self._update(request, partial=False)

    @extend_schema(request=CourseInputSerializer, responses={200: CourseSerializer})
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        return self._update(request, partial=True)

    def _update(self, request: Request, *, partial: bool) -> Response:
        course = self.get_object()
        services.course_check_can_manage(course=course, actor=request.user)
        serializer = CourseInputSerializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        course = services.course_update(course=course, actor=request.user, **serializer.validated_data)
        return Response(CourseSerializer(course).data)

    @extend_schema(responses={204: None, 409: ErrorSerializer})
    def destroy(self, request: Request, pk: str | None = None) -> Response:
        services.course_delete(course=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
