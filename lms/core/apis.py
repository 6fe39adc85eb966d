from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lms.core import selectors
from lms.core.serializers import ApiIndexSerializer, HealthSerializer


class HealthApi(APIView):
    """For load balancers and monitors: no authentication, and no secret in the answer."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    # Monitors poll it, and a limit kept in the cache would fail exactly when the cache is down.
    throttle_classes: list = []

    @extend_schema(
        auth=[],
        responses={
            200: OpenApiResponse(HealthSerializer, description="The database and the cache answer."),
            503: OpenApiResponse(HealthSerializer, description="The database or the cache does not."),
        },
        tags=["health"],
    )
    def get(self, request: Request) -> Response:
        health = selectors.health_check()
        body = {
            "status": "ok" if health.ok else "unavailable",
            "database": {"ok": health.database},
            "cache": {"ok": health.cache},
            "stripe": {
                "secret_key_configured": health.stripe_secret_key_configured,
                "webhook_secret_configured": health.stripe_webhook_secret_configured,
            },
        }
        code = status.HTTP_200_OK if health.ok else status.HTTP_503_SERVICE_UNAVAILABLE
        return Response(HealthSerializer(body).data, status=code, headers={"Cache-Control": "no-store"})


class ApiIndexApi(APIView):
    """`/api/`: where the documentation and the schema are, and the API's version."""

    authentication_classes: list = []  # the same answer for everyone; a stale token is no error here
    permission_classes = [AllowAny]

    @extend_schema(auth=[], responses={200: ApiIndexSerializer}, tags=["api"])
    def get(self, request: Request) -> Response:
        body = {
            "version": settings.API_VERSION,
            "docs": request.build_absolute_uri(reverse("docs")),
            "schema": request.build_absolute_uri(reverse("schema")),
            "health": request.build_absolute_uri(reverse("health")),
        }
        return Response(ApiIndexSerializer(body).data)
