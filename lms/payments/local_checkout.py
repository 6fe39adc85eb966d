"""Development only: the web app's checkout without Stripe, on `make run`'s localstripe.

Offline, the real Stripe.js cannot load, and localstripe's own script has no Payment Element. With
LMS_LOCAL_CHECKOUT on (config/settings/local.py turns it on when it uses localstripe; no other
settings can), the app's page loads a stand-in for Stripe.js (static/payments/local-stripe.js) that
posts the card number here, where Stripe.js would post it to Stripe. This pays the intent at
localstripe with Stripe's test card for that number, and localstripe then sends the signed webhook
that enrolls the student, exactly as in production. The client secret is the credential, as it is at
Stripe: only the student who started the payment received it. With the setting off, 404.
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.utils.crypto import constant_time_compare
from drf_spectacular.utils import extend_schema
from rest_framework.parsers import FormParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lms.payments import gateway

CARD_PAYS = "4242424242424242"
CARD_DECLINED = "4000000000000002"


def card_error(code: str, message: str) -> Response:
    """The body Stripe answers a refused confirm with, which the stand-in hands to the checkout."""
    return Response({"error": {"type": "card_error", "code": code, "message": message}}, status=402)


@extend_schema(exclude=True)
class LocalStripeConfirmApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes = [FormParser]

    def post(self, request: Request, intent_id: str) -> Response:
        if not settings.LMS_LOCAL_CHECKOUT:
            raise Http404
        number = str(request.data.get("payment_method_data[card][number]", ""))
        secret = str(request.data.get("client_secret", ""))
        if number not in (CARD_PAYS, CARD_DECLINED):
            return card_error(
                "incorrect_number",
                f"Use a test card: {CARD_PAYS} pays, {CARD_DECLINED} is declined.",
            )
        try:
            intent = gateway.retrieve_payment_intent(intent_id)
        except gateway.MissingAtStripe:
            raise Http404 from None
        if not intent.client_secret or not constant_time_compare(intent.client_secret, secret):
            raise Http404
        intent = gateway.confirm_test_payment(intent_id, decline=number == CARD_DECLINED)
        if intent.status != "succeeded":
            return card_error("card_declined", "Your card was declined.")
        return Response({"id": intent.id, "status": intent.status})
