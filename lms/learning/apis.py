"""Curricula, lessons and progress. Object rules live in the services and selectors; each view
loads its object, checks who may see it (404) and who may act on it (403)."""

from __future__ import annotations

import os

from django.http import FileResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lms.core.exceptions import NotFound
from lms.core.schema import errors
from lms.courses import services as course_services
from lms.courses.catalog_cache import catalog_reads_cache
from lms.courses.models import Course, Lesson, Section
from lms.courses.serializers import CourseSerializer
from lms.enrollments.selectors import enrollment_list_for
from lms.learning import cache, selectors, services
from lms.learning.serializers import (
    CompletionSerializer,
    CurriculumOrderSerializer,
    CurriculumSerializer,
    LessonFileInputSerializer,
    LessonInputSerializer,
    LessonSerializer,
    ProgressSerializer,
    SectionInputSerializer,
    SectionSerializer,
)
from lms.users.permissions import IsInstructorOrAdmin, IsStudent

ENROLLMENT_REQUIRED = errors(
    "enrollment_required", description="`enrollment_required`: the lesson is for enrolled students only."
)

# On the reads whose answer depends on who asks (as on the catalog's).
VARY_AUTHORIZATION = {"Vary": "Authorization"}


def _course(pk: int) -> Course:
    course = Course.objects.select_related("instructor").filter(pk=pk).first()
    if course is None:
        raise NotFound("No such course.")
    return course


def _section(pk: int) -> Section:
    section = selectors.section_get(section_id=pk)
    if section is None:
        raise NotFound("No such section.")
    return section


def _lesson(pk: int) -> Lesson:
    lesson = selectors.lesson_get(lesson_id=pk)
    if lesson is None:
        raise NotFound("No such lesson.")
    return lesson


def _check_content_access(request: Request, lesson: Lesson) -> None:
    """404 to those who may not see the course; 403 `enrollment_required` to those who see its
    outline but not this lesson's content."""
    if not selectors.course_visible_to(user=request.user, course=lesson.section.course):
        raise NotFound("No such lesson.")
    if not selectors.lesson_content_visible_to(user=request.user, lesson=lesson):
        raise services.EnrollmentRequired()


def _visible_lesson(request: Request, pk: int) -> Lesson:
    """The lesson, or 404 to those who may not see its course (a draft's lessons stay unknown)."""
    lesson = _lesson(pk)
    if not selectors.course_visible_to(user=request.user, course=lesson.section.course):
        raise NotFound("No such lesson.")
    return lesson


def _lesson_with_content(request: Request, pk: int) -> Lesson:
    lesson = _lesson(pk)
    _check_content_access(request, lesson)
    return lesson


@extend_schema(tags=["curriculum"])
class CurriculumApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        responses={200: CurriculumSerializer},
        description="The course's sections and lessons in order, without their content. "
        "`is_completed` is the requesting student's; false for everyone else.",
    )
    def get(self, request: Request, course_id: int) -> Response:
        def read() -> tuple[Course, dict] | None:
            course = selectors.course_access_get(course_id=course_id)
            return None if course is None else (course, selectors.curriculum_outline(course_id=course_id))

        found = cache.cached_outline(course_id, read) if catalog_reads_cache(request) else read()
        if found is None or not selectors.course_visible_to(user=request.user, course=found[0]):
            raise NotFound("No such course.")
        course, outline = found
        completed = selectors.completed_lesson_ids(user=request.user, course_id=course.pk)
        # `is_completed` is the reader's own: a shared HTTP cache must not serve it to another.
        return Response(selectors.curriculum_with_completions(outline, completed), headers=VARY_AUTHORIZATION)


@extend_schema(tags=["curriculum"])
class CurriculumOrderApi(APIView):
    permission_classes = [IsInstructorOrAdmin]

    @extend_schema(
        request=CurriculumOrderSerializer,
        responses={200: CurriculumSerializer},
        description="The full new order in one request; lessons may move between sections. Every "
        "section and lesson of the course exactly once, or 400 and nothing changes.",
    )
    def put(self, request: Request, course_id: int) -> Response:
        course = _course(course_id)
        serializer = CurriculumOrderSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.curriculum_reorder(actor=request.user, course=course, **serializer.validated_data)
        return Response(selectors.curriculum(course=course, user=request.user))


@extend_schema(tags=["courses"])
class CoursePublishApi(APIView):
    """`publish` puts the course on sale (it needs a lesson); `unpublish` takes it off sale."""

    permission_classes = [IsInstructorOrAdmin]
    publish = True

    @extend_schema(request=None, responses={200: CourseSerializer})
    def post(self, request: Request, course_id: int) -> Response:
        change = course_services.course_publish if self.publish else course_services.course_unpublish
        course = change(course=_course(course_id), actor=request.user)
        return Response(CourseSerializer(course).data)


@extend_schema(tags=["curriculum"])
class SectionCreateApi(APIView):
    permission_classes = [IsInstructorOrAdmin]

    @extend_schema(request=SectionInputSerializer, responses={201: SectionSerializer})
    def post(self, request: Request, course_id: int) -> Response:
        course = _course(course_id)
        serializer = SectionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        section = services.section_create(actor=request.user, course=course, **serializer.validated_data)
        return Response(SectionSerializer(section).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["curriculum"])
class SectionApi(APIView):
    permission_classes = [IsInstructorOrAdmin]

    @extend_schema(request=SectionInputSerializer, responses={200: SectionSerializer})
    def patch(self, request: Request, pk: int) -> Response:
        section = _section(pk)
        serializer = SectionInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        title = serializer.validated_data.get("title", section.title)
        section = services.section_update(actor=request.user, section=section, title=title)
        return Response(SectionSerializer(section).data)

    @extend_schema(responses={204: None}, description="Deletes the section with its lessons.")
    def delete(self, request: Request, pk: int) -> Response:
        services.section_delete(actor=request.user, section=_section(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["curriculum"])
class LessonCreateApi(APIView):
    permission_classes = [IsInstructorOrAdmin]

    @extend_schema(request=LessonInputSerializer, responses={201: LessonSerializer})
    def post(self, request: Request, section_id: int) -> Response:
        section = _section(section_id)
        serializer = LessonInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        lesson = services.lesson_create(actor=request.user, section=section, **serializer.validated_data)
        return Response(
            LessonSerializer(lesson, context={"request": request}).data, status=status.HTTP_201_CREATED
        )


@extend_schema(tags=["curriculum"])
class LessonApi(APIView):
    def get_permissions(self) -> list[BasePermission]:
        return [AllowAny()] if self.request.method in ("GET", "HEAD") else [IsInstructorOrAdmin()]

    @extend_schema(responses={200: LessonSerializer, 403: ENROLLMENT_REQUIRED})
    def get(self, request: Request, pk: int) -> Response:
        def read() -> tuple[Lesson, dict] | None:
            lesson = selectors.lesson_get(lesson_id=pk)
            if lesson is None:
                return None
            return lesson, dict(LessonSerializer(lesson, context={"request": request}).data)

        if catalog_reads_cache(request):
            found = cache.cached_lesson(request, pk, lambda: selectors.lesson_course_id(lesson_id=pk), read)
        else:
            found = read()
        if found is None:
            raise NotFound("No such lesson.")
        lesson, content = found
        _check_content_access(request, lesson)
        return Response(content, headers=VARY_AUTHORIZATION)

    @extend_schema(request=LessonInputSerializer, responses={200: LessonSerializer})
    def patch(self, request: Request, pk: int) -> Response:
        lesson = _lesson(pk)
        serializer = LessonInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        lesson = services.lesson_update(actor=request.user, lesson=lesson, **serializer.validated_data)
        return Response(LessonSerializer(lesson, context={"request": request}).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, pk: int) -> Response:
        services.lesson_delete(actor=request.user, lesson=_lesson(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["curriculum"])
class LessonFileApi(APIView):
    """The lesson's file: uploaded by its instructor, downloaded by whoever may see the lesson.
    Files are never served from a public URL."""

    parser_classes = [MultiPartParser]

    def get_permissions(self) -> list[BasePermission]:
        return [AllowAny()] if self.request.method in ("GET", "HEAD") else [IsInstructorOrAdmin()]

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(description="The file."),
            403: ENROLLMENT_REQUIRED,
        },
    )
    def get(self, request: Request, pk: int) -> FileResponse:
        lesson = _lesson_with_content(request, pk)
        if not lesson.file:
            raise NotFound("This lesson has no file.")
        return FileResponse(
            lesson.file.open("rb"), as_attachment=True, filename=os.path.basename(lesson.file.name)
        )

    @extend_schema(
        request={"multipart/form-data": LessonFileInputSerializer}, responses={200: LessonSerializer}
    )
    def put(self, request: Request, pk: int) -> Response:
        lesson = _lesson(pk)
        serializer = LessonFileInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        lesson = services.lesson_attach_file(actor=request.user, lesson=lesson, **serializer.validated_data)
        return Response(LessonSerializer(lesson, context={"request": request}).data)


@extend_schema(tags=["curriculum"])
class LessonCompleteApi(APIView):
    permission_classes = [IsStudent]

    @extend_schema(request=None, responses={200: CompletionSerializer, 403: ENROLLMENT_REQUIRED})
    def post(self, request: Request, pk: int) -> Response:
        completion = services.lesson_complete(student=request.user, lesson=_visible_lesson(request, pk))
        return Response(CompletionSerializer(completion).data)

    @extend_schema(responses={204: None, 403: ENROLLMENT_REQUIRED})
    def delete(self, request: Request, pk: int) -> Response:
        services.lesson_uncomplete(student=request.user, lesson=_visible_lesson(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["enrollments"])
class EnrollmentProgressApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: ProgressSerializer})
    def get(self, request: Request, pk: int) -> Response:
        enrollment = enrollment_list_for(user=request.user).filter(pk=pk).first()
        if enrollment is None:
            raise NotFound("No such enrollment.")
        return Response(ProgressSerializer(selectors.enrollment_progress(enrollment=enrollment)).data)
