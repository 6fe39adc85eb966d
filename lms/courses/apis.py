from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.utils.cache import patch_vary_headers
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from lms.core.exceptions import NotFound
from lms.core.filters import MAX_ID
from lms.core.schema import errors
from lms.courses import selectors, services
from lms.courses.catalog_cache import CatalogPagination, catalog_cached_read, catalog_check_params
from lms.courses.filters import CourseFilter
from lms.courses.models import Course
from lms.courses.serializers import CourseInputSerializer, CourseSerializer, InstructorProfileSerializer
from lms.courses.viewer import apply_states, viewer_states
from lms.users.permissions import IsInstructorOrAdmin


@extend_schema(tags=["courses"])
class InstructorProfileApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        responses={200: InstructorProfileSerializer},
        description="An instructor's public profile: their name and their courses on sale. 404 for "
        "anyone who is not an active instructor with a course on sale.",
    )
    def get(self, request: Request, pk: int) -> Response:
        profile = selectors.instructor_profile(instructor_id=pk)
        if profile is None:
            raise NotFound("No such instructor.")
        data = InstructorProfileSerializer(profile).data
        courses = data["courses"]
        apply_states(courses, viewer_states(user=request.user, course_ids=[c["id"] for c in courses]))
        return Response(data, headers={"Vary": "Authorization"})


@extend_schema(tags=["courses"])
class CourseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The catalog. Anyone reads it, without a token; instructors manage their own courses.

    Changing someone else's course is 403 (the catalog is public, so existence is no secret).
    """

    serializer_class = CourseSerializer
    pagination_class = CatalogPagination
    filterset_class = CourseFilter
    search_fields = ["title", "description"]
    ordering_fields = ["price", "created_at", "title", "rating_avg"]
    ordering_nulls_last = ["rating_avg"]  # unrated courses come last, whichever the direction

    def get_queryset(self) -> QuerySet[Course]:
        return selectors.course_list(user=self.request.user)

    def get_permissions(self) -> list[BasePermission]:
        if self.action in ("list", "retrieve"):
            return [AllowAny()]
        return [IsInstructorOrAdmin()]

    def finalize_response(self, request: Request, response: HttpResponse, *args: Any, **kwargs: Any) -> Any:
        # A course reads differently with a student's token (their flags): shared HTTP caches
        # must not serve one answer for another.
        patch_vary_headers(response, ("Authorization",))
        return super().finalize_response(request, response, *args, **kwargs)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
        catalog_check_params(request, self.list_params())
        return catalog_cached_read(
            request, lambda: super(CourseViewSet, self).list(request, *args, **kwargs), many=True
        )

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponse:
        catalog_check_params(request, ())
        try:
            return catalog_cached_read(
                request, lambda: super(CourseViewSet, self).retrieve(request, *args, **kwargs), many=False
            )
        except Http404:
            return self._retrieve_for_enrolled_student(request, kwargs["pk"])

    def _retrieve_for_enrolled_student(self, request: Request, pk: str) -> Response:
        """A student enrolled in a course taken off sale (unpublished, or its instructor gone) still
        sees it, as they see its outline; anyone else hears 404. Never cached: it is theirs alone."""
        course_id = int(pk) if pk.isascii() and pk.isdigit() and int(pk) <= MAX_ID else None
        state = viewer_states(user=request.user, course_ids=[course_id]).get(course_id) if course_id else None
        course = selectors.course_get(course_id=course_id) if state and state.is_enrolled else None
        if course is None:
            raise NotFound("No such course.")
        data = CourseSerializer(course).data
        apply_states([data], {course.pk: state})
        return Response(data)

    def list_params(self) -> set[str]:
        """The query parameters the list reads: its filters, search, ordering and paging."""
        paging = self.paginator
        return {
            *self.filterset_class.base_filters,
            api_settings.SEARCH_PARAM,
            api_settings.ORDERING_PARAM,
            paging.page_query_param,
            paging.page_size_query_param,
        }

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

    @extend_schema(
        responses={
            204: None,
            409: errors("course_has_history", description="It has enrollments or payments."),
        }
    )
    def destroy(self, request: Request, pk: str | None = None) -> Response:
        services.course_delete(course=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
