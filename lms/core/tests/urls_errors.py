"""The application's URLs plus views that fail outside DRF's error handling, for test_routing.py."""

from django.http import HttpRequest, HttpResponse
from django.urls import path
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.views import APIView

from config.urls import urlpatterns as app_urlpatterns


def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug in a plain Django view")


class BrokenApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    def get(self, request: Request) -> HttpResponse:
        raise RuntimeError("a bug in an API view")


urlpatterns = [
    path("api/broken/", broken),
    path("api/broken-api/", BrokenApi.as_view()),
    path("broken/", broken),
    *app_urlpatterns,
]
