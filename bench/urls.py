"""The application's URLs plus `/bench/hello/`, which exists only in the benchmark settings."""

from django.http import HttpRequest, JsonResponse
from django.urls import include, path


def hello(request: HttpRequest) -> JsonResponse:
    """The floor: a Django request through the whole middleware stack that does no work."""
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/hello/", hello), path("", include("config.urls"))]
