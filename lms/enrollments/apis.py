from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.generics import ListAPIView
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from lms.core.schema import errors
from lms.enrollments import selectors, services
from lms.enrollments.filters import EnrollmentFilter
from lms.enrollments.models import Enrollment
from lms.enrollments.serializers import (
    EnrollmentSerializer,
    EnrollSelfSerializer,
    EnrollStudentSerializer,
    MyCourseSerializer,
)
from lms.users.permissions import IsAdmin, IsStudent, IsStudentOrAdmin


@extend_schema(
    tags=["enrollments"],
    description="Your courses (a student's): your active enrollments, newest first, each with the "
    "course's summary and your progress.",
)
class MyCoursesApi(ListAPIView):
    permission_classes = [IsStudent]
    serializer_class = MyCourseSerializer
    filter_backends: list = []  # no filters, search or ordering: newest enrollment first

    def get_queryset(self) -> QuerySet[Enrollment]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Enrollment.objects.none()
        return selectors.my_courses(student=self.request.user)


@extend_schema(tags=["enrollments"])
class EnrollmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Enrollments, scoped to the requester; anything outside that scope is 404."""

    serializer_class = EnrollmentSerializer
    filterset_class = EnrollmentFilter
    ordering_fields = ["enrolled_at"]

    def get_queryset(self) -> QuerySet[Enrollment]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Enrollment.objects.none()
        return selectors.enrollment_list_for(user=self.request.user)

    def get_permissions(self) -> list[BasePermission]:
        if self.action == "create":
            return [IsStudentOrAdmin()]
        if self.action == "destroy":
            return [IsAdmin()]
        return [IsAuthenticated()]

    @extend_schema(
        request=PolymorphicProxySerializer(
            component_name="EnrollmentCreate",
            serializers=[EnrollSelfSerializer, EnrollStudentSerializer],
            resource_type_field_name=None,
        ),
        responses={
            201: EnrollmentSerializer,
            402: errors("payment_required", description="The course is paid: pay via /api/payments/."),
            409: errors("already_enrolled", description="Already enrolled."),
        },
        description="A student enrolls in a free course with `{course}`; an admin enrolls any student "
        "with `{student, course}` (complimentary). Paid courses are enrolled through payments.",
    )
    def create(self, request: Request) -> Response:
        if request.user.is_admin:
            serializer = EnrollStudentSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            enrollment = services.enrollment_grant(**serializer.validated_data)
        else:
            serializer = EnrollSelfSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            enrollment = services.enrollment_enroll_self(student=request.user, **serializer.validated_data)
        return Response(EnrollmentSerializer(enrollment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={204: None},
        description="Ends the enrollment (admin only). The row is kept for history, with `ended_at` set.",
    )
    def destroy(self, request: Request, pk: str | None = None) -> Response:
        services.enrollment_end(enrollment=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
