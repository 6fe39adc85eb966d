from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lms.core import selectors
from lms.core.serializers import HealthSerializer


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
