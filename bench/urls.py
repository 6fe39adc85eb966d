"""The application's URLs plus `/bench/hello/`, which exists only in the benchmark settings."""

from django.urls import include, path

from bench.views import hello

urlpatterns = [
    path("bench/hello/", hello, name="bench-hello"),
    path("", include("config.urls")),
]

handler404 = "lms.core.views.not_found"
handler500 = "lms.core.views.server_error"
