from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from lms.core.apis import HealthApi
from lms.courses.apis import InstructorProfileApi
from lms.enrollments.apis import MyCoursesApi

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # An HTML page has no metadata to describe: DRF's OPTIONS answer crashed its template renderer.
    # The split view serves its start-up script as a file (?script), so the CSP needs no inline script.
    path(
        "api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema", metadata_class=None), name="docs"
    ),
    path("api/health/", HealthApi.as_view(), name="health"),
    # "My courses" reads enrollments, which the users app knows nothing of.
    path("api/users/me/courses/", MyCoursesApi.as_view(), name="my-courses"),
    path("api/users/", include("lms.users.urls")),
    path("api/courses/", include("lms.courses.urls")),
    path("api/instructors/<int:pk>/", InstructorProfileApi.as_view(), name="instructor-profile"),
    path("api/enrollments/", include("lms.enrollments.urls")),
    path("api/payments/", include("lms.payments.urls")),
    path("api/audit/", include("lms.audit.urls")),
    path("api/", include("lms.learning.urls")),
]

handler404 = "lms.core.views.not_found"
handler500 = "lms.core.views.server_error"
