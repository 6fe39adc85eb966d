from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import BaseParser
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

from lms.core.schema import errors
from lms.core.throttling import PaymentRateThrottle
from lms.payments import gateway, selectors, services
from lms.payments.filters import PaymentFilter
from lms.payments.models import Payment
from lms.payments.serializers import (
    PaymentCreateSerializer,
    PaymentRefundSerializer,
    PaymentSerializer,
    PaymentStartSerializer,
    WebhookAckSerializer,
)
from lms.payments.webhooks import webhook_process
from lms.users.permissions import IsAdmin, IsStudent

UPSTREAM_ERROR = errors("upstream_error", description="Stripe answered with an error.")
UPSTREAM_UNAVAILABLE = errors(
    "upstream_unavailable",
    "payment_provider_not_configured",
    description="Stripe is unreachable, or the server has no Stripe key.",
)


@extend_schema(tags=["payments"])
class PaymentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Payments, scoped to the requester; anything outside that scope is 404."""

    serializer_class = PaymentSerializer
    filterset_class = PaymentFilter
    ordering_fields = ["created_at", "amount"]

    def get_queryset(self) -> QuerySet[Payment]:
        if getattr(self, "swagger_fake_view", False):  # schema generation has no user
            return Payment.objects.none()
        return selectors.payment_list_for(user=self.request.user)

    def get_throttles(self) -> list[BaseThrottle]:
        throttles = super().get_throttles()
        if self.action == "create":  # each call may create a Stripe intent
            throttles.append(PaymentRateThrottle())
        return throttles

    def get_permissions(self) -> list[BasePermission]:
        if self.action == "create":
            return [IsStudent()]
        if self.action in ("destroy", "refund"):
            return [IsAdmin()]
        return [IsAuthenticated()]

    @extend_schema(
        request=PaymentCreateSerializer,
        responses={
            201: PaymentStartSerializer,
            200: OpenApiResponse(PaymentStartSerializer, description="The pending payment already open."),
            409: errors(
                "already_enrolled",
                "conflict",
                description="Already enrolled (`already_enrolled`), or an earlier payment for the course "
                "is still being settled (`conflict`).",
            ),
            502: UPSTREAM_ERROR,
            503: UPSTREAM_UNAVAILABLE,
        },
        description="Start paying for a course. The amount is the course's price; a differing "
        "`amount` is refused. Confirm the returned `client_secret` with Stripe.js. Asking again "
        "returns the open payment (200) while its intent can still be paid; after a declined card, "
        "a price change, or an intent Stripe no longer has, that payment is canceled and a new one "
        "is started (201).",
    )
    def create(self, request: Request) -> Response:
        serializer = PaymentCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        start = services.payment_create(student=request.user, **serializer.validated_data)
        body = {
            "client_secret": start.client_secret,
            "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
            "payment": PaymentSerializer(start.payment).data,
        }
        return Response(body, status=status.HTTP_201_CREATED if start.created else status.HTTP_200_OK)

    @extend_schema(
        responses={
            204: None,
            409: errors(
                "payment_has_money",
                "conflict",
                description="The payment took money (refund it), or is still being processed at Stripe.",
            ),
            502: UPSTREAM_ERROR,
            503: UPSTREAM_UNAVAILABLE,
        },
        description="Remove a pending, failed or canceled payment (its Stripe intent is canceled first).",
    )
    def destroy(self, request: Request, pk: str | None = None) -> Response:
        services.payment_delete(payment=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=None,
        responses={
            200: PaymentSerializer,
            409: errors(
                "conflict",
                "payment_intent_missing",
                description="The payment has not succeeded (`conflict`), or Stripe no longer has its "
                "intent (`payment_intent_missing`).",
            ),
            502: UPSTREAM_ERROR,
            503: UPSTREAM_UNAVAILABLE,
        },
        description="Refund a succeeded payment at Stripe and end the enrollment. The row stays.",
    )
    @action(detail=True, methods=["post"])
    def refund(self, request: Request, pk: str | None = None) -> Response:
        payment = self.get_object()
        PaymentRefundSerializer(data=request.data).is_valid(raise_exception=True)
        payment = services.payment_refund(payment=payment)
        return Response(PaymentSerializer(payment).data)


class RawBodyParser(BaseParser):
    """Leaves the body unread: the signature is checked on the exact bytes Stripe sent."""

    media_type = "*/*"

    def parse(self, stream, media_type=None, parser_context=None) -> None:  # noqa: ANN001
        return None


class StripeWebhookApi(APIView):
    """Stripe's events. No user authentication: the Stripe-Signature header is the credential."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    # Stripe's retries must never meet a rate limit: the signature is what keeps others out.
    throttle_classes: list = []
    parser_classes = [RawBodyParser]

    @extend_schema(
        tags=["payments"],
        request={"application/json": OpenApiTypes.OBJECT},
        parameters=[
            OpenApiParameter("Stripe-Signature", OpenApiTypes.STR, OpenApiParameter.HEADER, required=True)
        ],
        responses={
            200: WebhookAckSerializer,
            400: errors("invalid_signature", "invalid_payload", description="Missing or invalid signature."),
            500: errors(
                "webhook_failed", "server_error", description="Applying the event failed; Stripe retries it."
            ),
            503: errors(
                "payment_provider_not_configured", description="The webhook secret is not configured."
            ),
        },
    )
    def post(self, request: Request) -> Response:
        # A missing secret is 503 and a bad signature 400 (the gateway's errors); nothing is read before.
        event = gateway.construct_event(request.body, request.headers.get("Stripe-Signature"))
        outcome = webhook_process(event_id=event.id, event_type=event.type, data_object=event.data_object)
        return Response({"received": True, "outcome": outcome})
