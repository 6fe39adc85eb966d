from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from lms.core.apis import ApiIndexApi, HealthApi
from lms.core.views import WebAppView
from lms.courses.apis import InstructorProfileApi
from lms.enrollments.apis import MyCoursesApi

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", ApiIndexApi.as_view(), name="api-index"),
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
    path("api/certificates/", include("lms.certificates.urls")),
    path("api/", include("lms.learning.urls")),
    path("api/", include("lms.reviews.urls")),
    # Last: every other path is the web app's (client-side routing), except these prefixes, which
    # keep their own 404s (JSON under /api/).
    re_path(r"^(?!(?:api|admin|static|media)(?:/|$))(?P<path>.*)$", WebAppView.as_view(), name="web-app"),
]
