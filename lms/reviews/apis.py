"""Reviews. Each view loads its object and checks who may see it (404); the services decide who
may change it (403)."""

from __future__ import annotations

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from lms.core.exceptions import NotFound
from lms.core.schema import errors
from lms.courses.models import Course
from lms.reviews import selectors, services
from lms.reviews.filters import ReviewFilter
from lms.reviews.models import Review
from lms.reviews.serializers import (
    ReviewCreateSerializer,
    ReviewSerializer,
    ReviewSummarySerializer,
    ReviewUpdateSerializer,
)
from lms.reviews.throttling import ReviewRateThrottle


def _course(request: Request, course_id: int) -> Course:
    course = selectors.course_for_reviews(course_id=course_id, user=request.user)
    if course is None:
        raise NotFound("No such course.")
    return course


@extend_schema(tags=["reviews"])
class CourseReviewsApi(GenericAPIView):
    """A course's reviews: anyone who may see the course reads them (hidden ones left out);
    a student enrolled in it writes one."""

    serializer_class = ReviewSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ReviewFilter

    def get_permissions(self) -> list[BasePermission]:
        return [IsAuthenticated()] if self.request.method == "POST" else [AllowAny()]

    def get_throttles(self) -> list[BaseThrottle]:
        throttles = super().get_throttles()
        if self.request.method == "POST":
            throttles.append(ReviewRateThrottle())
        return throttles

    def get_queryset(self) -> QuerySet[Review]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no course
            return Review.objects.none()
        return selectors.review_list(course=_course(self.request, self.kwargs["course_id"]))

    @extend_schema(responses={200: ReviewSerializer(many=True)})
    def get(self, request: Request, course_id: int) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        data = ReviewSerializer(page, many=True, context={"user": request.user}).data
        return self.get_paginated_response(data)

    @extend_schema(
        request=ReviewCreateSerializer,
        responses={
            201: ReviewSerializer,
            403: errors(
                "students_only",
                "enrollment_required",
                description="`students_only`: instructors and admins do not review; "
                "`enrollment_required`: only students enrolled in the course now do.",
            ),
            409: errors("review_exists", description="You reviewed this course already: edit that review."),
        },
    )
    def post(self, request: Request, course_id: int) -> Response:
        course = _course(request, course_id)
        serializer = ReviewCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        review = services.review_create(student=request.user, course=course, **serializer.validated_data)
        review = selectors.review_get(review_id=review.pk)
        data = ReviewSerializer(review, context={"user": request.user}).data
        return Response(data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["reviews"])
class MyCourseReviewApi(APIView):
    """The signed-in user's own review of the course, hidden or not; 404 when they have none."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: ReviewSerializer})
    def get(self, request: Request, course_id: int) -> Response:
        review = selectors.review_of(student=request.user, course=_course(request, course_id))
        if review is None:
            raise NotFound("You have not reviewed this course.")
        return Response(ReviewSerializer(review, context={"user": request.user}).data)


@extend_schema(tags=["reviews"])
class CourseReviewSummaryApi(APIView):
    """The course's average, count and distribution of ratings (visible reviews only)."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: ReviewSummarySerializer})
    def get(self, request: Request, course_id: int) -> Response:
        course = _course(request, course_id)
        data = {
            "rating_avg": course.rating_avg,
            "rating_count": course.rating_count,
            "distribution": {str(k): v for k, v in selectors.review_distribution(course=course).items()},
        }
        return Response(ReviewSummarySerializer(data).data)


@extend_schema(tags=["reviews"])
class ReviewApi(APIView):
    """One review. The author edits (`rating`, `text`) and deletes it; the course's instructor
    replies; an admin hides it. A hidden review is seen only by admins and its author."""

    def get_permissions(self) -> list[BasePermission]:
        return [AllowAny()] if self.request.method in ("GET", "HEAD") else [IsAuthenticated()]

    def _review(self, request: Request, pk: int) -> Review:
        review = selectors.review_get(review_id=pk)
        if review is None or not selectors.review_visible_to(user=request.user, review=review):
            raise NotFound("No such review.")
        return review

    def _out(self, request: Request, review: Review) -> Response:
        return Response(ReviewSerializer(review, context={"user": request.user}).data)

    @extend_schema(responses={200: ReviewSerializer})
    def get(self, request: Request, pk: int) -> Response:
        return self._out(request, self._review(request, pk))

    @extend_schema(
        request=ReviewUpdateSerializer,
        responses={
            200: ReviewSerializer,
            403: errors(
                "review_field_forbidden",
                description="`review_field_forbidden`: a field your role may not change.",
            ),
        },
    )
    def patch(self, request: Request, pk: int) -> Response:
        review = self._review(request, pk)
        serializer = ReviewUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.review_update(review=review, actor=request.user, **serializer.validated_data)
        return self._out(request, selectors.review_get(review_id=pk))

    @extend_schema(
        responses={
            204: None,
            403: errors(
                "review_delete_forbidden",
                "review_hidden",
                description="`review_delete_forbidden`: only the author deletes; an admin hides instead. "
                "`review_hidden`: an admin hid it, so it stays.",
            ),
        }
    )
    def delete(self, request: Request, pk: int) -> Response:
        services.review_delete(review=self._review(request, pk), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
