from django.urls import path

from lms.reviews import apis

urlpatterns = [
    path("courses/<int:course_id>/reviews/", apis.CourseReviewsApi.as_view(), name="course-reviews"),
    path(
        "courses/<int:course_id>/reviews/summary/",
        apis.CourseReviewSummaryApi.as_view(),
        name="course-review-summary",
    ),
    path(
        "courses/<int:course_id>/reviews/mine/", apis.MyCourseReviewApi.as_view(), name="course-review-mine"
    ),
    path("reviews/<int:pk>/", apis.ReviewApi.as_view(), name="review"),
]
