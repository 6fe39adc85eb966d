from django.urls import path

from lms.learning import apis

urlpatterns = [
    path("courses/<int:course_id>/curriculum/", apis.CurriculumApi.as_view(), name="curriculum"),
    path(
        "courses/<int:course_id>/curriculum/order/",
        apis.CurriculumOrderApi.as_view(),
        name="curriculum-order",
    ),
    path(
        "courses/<int:course_id>/publish/", apis.CoursePublishApi.as_view(publish=True), name="course-publish"
    ),
    path(
        "courses/<int:course_id>/unpublish/",
        apis.CoursePublishApi.as_view(publish=False),
        name="course-unpublish",
    ),
    path("courses/<int:course_id>/sections/", apis.SectionCreateApi.as_view(), name="section-create"),
    path("sections/<int:pk>/", apis.SectionApi.as_view(), name="section"),
    path("sections/<int:section_id>/lessons/", apis.LessonCreateApi.as_view(), name="lesson-create"),
    path("lessons/<int:pk>/", apis.LessonApi.as_view(), name="lesson"),
    path("lessons/<int:pk>/file/", apis.LessonFileApi.as_view(), name="lesson-file"),
    path("lessons/<int:pk>/complete/", apis.LessonCompleteApi.as_view(), name="lesson-complete"),
    path("enrollments/<int:pk>/progress/", apis.EnrollmentProgressApi.as_view(), name="enrollment-progress"),
]
