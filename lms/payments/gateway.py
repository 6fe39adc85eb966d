"""The only module that talks to Stripe. Amounts cross this boundary as integer minor units.

Callers get plain dataclasses and the exception family below, never a stripe type.
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import stripe
from django.conf import settings

from lms.core.exceptions import ApplicationError, UpstreamError, UpstreamUnavailable

logger = logging.getLogger(__name__)

# Sent with every request, so a library upgrade cannot silently change the shape of responses.
# It is the version stripe==16.1.0 is generated against; change both together.
STRIPE_API_VERSION = "2026-10-28.endive"
CONNECT_TIMEOUT_SECONDS = 5.0
READ_TIMEOUT_SECONDS = 20.0
# Retries reuse the request's idempotency key, so a retried POST cannot charge twice.
# settings.STRIPE_MAX_NETWORK_RETRIES overrides it (the test suite sets 0: no backoff sleeps).
MAX_NETWORK_RETRIES = 2

# https://docs.stripe.com/currencies#zero-decimal
ZERO_DECIMAL_CURRENCIES = frozenset("bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf".split())
# https://docs.stripe.com/currencies#three-decimal: Stripe wants 3 decimals with a last digit of 0.
THREE_DECIMAL_CURRENCIES = frozenset({"bhd", "jod", "kwd", "omr", "tnd"})

# Statuses from which Stripe accepts a cancel.
CANCELABLE_STATUSES = frozenset(
    {"requires_payment_method", "requires_confirmation", "requires_action", "requires_capture"}
)
# Test payment methods that behave the same on Stripe test mode and on localstripe 1.15.10.
# (`pm_card_chargeDeclined` is unknown to localstripe, and it lets `pm_card_visa_chargeDeclined` pay.)
TEST_CARD_SUCCESS = "pm_card_visa"
TEST_CARD_DECLINE = "pm_card_chargeCustomerFail"


class GatewayException(ApplicationError):
    """Base of every error raised by this module."""


class GatewayError(GatewayException, UpstreamError):
    """Stripe answered with an error (502). Its message stays in the log, not in the response."""

    def __init__(
        self,
        detail: str | None = None,
        *,
        stripe_code: str | None = None,
        http_status: int | None = None,
        upstream_message: str | None = None,
    ) -> None:
        super().__init__(detail)
        self.stripe_code = stripe_code
        self.http_status = http_status
        self.upstream_message = upstream_message


class MissingAtStripe(GatewayError):
    """Stripe has no such object (404 `resource_missing`): a restarted localstripe, or another key.

    Still a 502 where nobody handles it; the payment services turn it into a final state or a 409.
    """


class GatewayUnavailable(GatewayException, UpstreamUnavailable):
    """Stripe could not be reached, timed out or is rate limiting us (503)."""


class SignatureError(GatewayException):
    """A webhook whose signature is missing, wrong or stale, or whose body is not an event."""

    status_code = 400
    default_detail = "Invalid webhook signature."
    default_code = "invalid_signature"


class GatewayNotConfigured(GatewayException):
    """A Stripe setting is missing; refuse rather than act without it."""

    status_code = 503
    default_detail = "The payment provider is not configured."
    default_code = "payment_provider_not_configured"


class LiveModeRefused(GatewayException):
    """A test-only operation was attempted with a live key."""

    status_code = 403
    default_detail = "This operation is refused with a live Stripe key."
    default_code = "live_mode_refused"


@dataclass(frozen=True)
class Intent:
    id: str
    status: str
    amount: int
    # None when the server omits it (localstripe does); callers then fall back to `amount`.
    amount_received: int | None
    currency: str
    client_secret: str | None
    metadata: dict[str, str]
    # Why the last attempt to pay failed (a declined card), or None when none has.
    last_payment_error: str | None = None

    @property
    def cancelable(self) -> bool:
        return self.status in CANCELABLE_STATUSES


@dataclass(frozen=True)
class Refund:
    id: str
    status: str
    amount: int
    currency: str


@dataclass(frozen=True)
class Event:
    id: str
    type: str
    created: int
    livemode: bool
    data_object: dict[str, Any]


# --- Money -------------------------------------------------------------------


def _exponent(currency: str) -> int:
    code = currency.lower()
    if len(code) != 3 or not code.isascii() or not code.isalpha():
        raise ValueError(f"Not a currency code: {currency!r}.")
    if code in ZERO_DECIMAL_CURRENCIES:
        return 0
    if code in THREE_DECIMAL_CURRENCIES:
        return 3
    return 2


def to_minor_units(amount: Decimal, currency: str) -> int:
    """Decimal('10.50'), 'usd' -> 1050; exact, or ValueError when the currency has no such fraction."""
    if not isinstance(amount, Decimal):
        raise TypeError(f"amount must be a Decimal, not {type(amount).__name__}.")
    if not amount.is_finite():
        raise ValueError(f"amount must be finite, not {amount}.")
    exponent = _exponent(currency)
    # Integer arithmetic on the digits: Decimal arithmetic would round past 28 digits.
    sign, digits, decimal_exponent = amount.as_tuple()
    assert isinstance(decimal_exponent, int)  # finite, checked above
    coefficient = int("".join(map(str, digits)))
    shift = decimal_exponent + exponent
    if shift >= 0:
        minor = coefficient * 10**shift
    else:
        minor, remainder = divmod(coefficient, 10**-shift)
        if remainder:
            raise ValueError(f"{amount} has more decimal places than {currency.upper()} allows.")
    if currency.lower() in THREE_DECIMAL_CURRENCIES and minor % 10:
        raise ValueError(f"Stripe charges {currency.upper()} only in multiples of 0.010.")
    return -minor if sign else minor


# --- Client and error translation ---------------------------------------------


def _client() -> stripe.StripeClient:
    # Read on every call, so a settings change (or a test's override) takes effect at once.
    api_key = settings.STRIPE_SECRET_KEY
    if not api_key:
        logger.error("STRIPE_SECRET_KEY is not set; refusing to call Stripe.")
        raise GatewayNotConfigured()
    retries = getattr(settings, "STRIPE_MAX_NETWORK_RETRIES", MAX_NETWORK_RETRIES)
    return _build_client(api_key, settings.STRIPE_API_BASE or "", retries)


@functools.lru_cache(maxsize=4)
def _build_client(api_key: str, api_base: str, max_network_retries: int) -> stripe.StripeClient:
    return stripe.StripeClient(
        api_key,
        stripe_version=STRIPE_API_VERSION,
        base_addresses={"api": api_base} if api_base else None,
        max_network_retries=max_network_retries,
        http_client=stripe.RequestsClient(timeout=(CONNECT_TIMEOUT_SECONDS, READ_TIMEOUT_SECONDS)),
    )


@contextmanager
def _translate_errors(action: str) -> Iterator[None]:
    try:
        yield
    except (stripe.APIConnectionError, stripe.RateLimitError) as exc:
        logger.warning("Stripe %s: unavailable: %s", action, exc)
        raise GatewayUnavailable() from exc
    except stripe.StripeError as exc:
        # Stripe says `resource_missing`; localstripe answers a bare 404 with no code.
        missing = isinstance(exc, stripe.InvalidRequestError) and (
            exc.code == "resource_missing" or exc.http_status == 404
        )
        logger.warning(
            "Stripe %s: error %s (code=%s, request=%s): %s",
            action,
            exc.http_status,
            exc.code,
            exc.request_id,
            exc.user_message,
        )
        error = MissingAtStripe if missing else GatewayError
        raise error(
            stripe_code=exc.code, http_status=exc.http_status, upstream_message=exc.user_message
        ) from exc


def _intent(data: Mapping[str, Any]) -> Intent:
    amount_received = data.get("amount_received")
    error = data.get("last_payment_error")
    return Intent(
        id=str(data["id"]),
        status=str(data["status"]),
        amount=int(data["amount"]),
        amount_received=None if amount_received is None else int(amount_received),
        currency=str(data["currency"]).lower(),
        client_secret=data.get("client_secret"),
        metadata={str(key): str(value) for key, value in (data.get("metadata") or {}).items()},
        last_payment_error=None if not error else str(error.get("message") or error.get("code") or "failed"),
    )


def _is_live_key(api_key: str) -> bool:
    return api_key.startswith(("sk_live", "rk_live"))


# --- Payment intents ----------------------------------------------------------


def create_payment_intent(
    *, amount: Decimal, currency: str, metadata: Mapping[str, str], idempotency_key: str
) -> Intent:
    minor = to_minor_units(amount, currency)
    if minor <= 0:
        raise ValueError(f"A payment intent needs a positive amount, not {amount}.")
    client = _client()
    with _translate_errors("create payment intent"):
        intent = client.v1.payment_intents.create(
            params={
                "amount": minor,
                "currency": currency.lower(),
                # localstripe rejects automatic_payment_methods; cards are all the API offers.
                "payment_method_types": ["card"],
                "metadata": dict(metadata),
            },
            options={"idempotency_key": idempotency_key},
        )
    return _intent(intent.to_dict())


def retrieve_payment_intent(intent_id: str) -> Intent:
    client = _client()
    with _translate_errors("retrieve payment intent"):
        intent = client.v1.payment_intents.retrieve(intent_id)
    return _intent(intent.to_dict())


def cancel_payment_intent(intent_id: str) -> Intent:
    client = _client()
    with _translate_errors("cancel payment intent"):
        intent = client.v1.payment_intents.cancel(intent_id)
    return _intent(intent.to_dict())


def refund_payment_intent(intent_id: str, *, idempotency_key: str) -> Refund:
    client = _client()
    with _translate_errors("refund payment intent"):
        refund = client.v1.refunds.create(
            params={"payment_intent": intent_id}, options={"idempotency_key": idempotency_key}
        )
    return Refund(id=refund.id, status=refund.status, amount=refund.amount, currency=refund.currency.lower())


def confirm_test_payment(intent_id: str, *, decline: bool = False) -> Intent:
    """Development only: pay an intent with a test card, as a browser would. Refuses live keys."""
    client = _client()
    if _is_live_key(settings.STRIPE_SECRET_KEY):
        raise LiveModeRefused()
    payment_method = TEST_CARD_DECLINE if decline else TEST_CARD_SUCCESS
    with _translate_errors("confirm test payment"):
        # Set the card first, then confirm with no arguments: localstripe answers 500
        # to a confirm that carries payment_method.
        client.v1.payment_intents.update(intent_id, params={"payment_method": payment_method})
        try:
            intent = client.v1.payment_intents.confirm(intent_id)
        except stripe.CardError:
            # A declined card is an outcome, not a failure: the intent now says requires_payment_method.
            intent = client.v1.payment_intents.retrieve(intent_id)
    return _intent(intent.to_dict())


# --- Webhooks -------------------------------------------------------------------


def construct_event(payload: bytes, sig_header: str | None) -> Event:
    """Verify the Stripe-Signature header over the raw body, then parse it. Never parse before."""
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret or not secret.strip():
        logger.error("STRIPE_WEBHOOK_SECRET is not set; refusing every webhook.")
        raise GatewayNotConfigured()
    try:
        stripe.WebhookSignature.verify_header(payload, sig_header, secret, stripe.Webhook.DEFAULT_TOLERANCE)
    except stripe.SignatureVerificationError as exc:
        logger.warning("Stripe webhook rejected: %s", exc.user_message)
        raise SignatureError() from exc
    except UnicodeDecodeError as exc:  # the library decodes the body before it checks anything
        logger.warning("Stripe webhook rejected: body is not UTF-8")
        raise SignatureError() from exc
    except TypeError as exc:  # hmac.compare_digest refuses a signature that is not ASCII
        logger.warning("Stripe webhook rejected: the signature is not ASCII")
        raise SignatureError() from exc
    # Parsed here rather than by stripe.Webhook.construct_event, which crashes on a signed
    # body that is JSON but not an object, and would hand back a stripe type.
    try:
        data = json.loads(payload)
        return Event(
            id=str(data["id"]),
            type=str(data["type"]),
            created=int(data["created"]),
            livemode=bool(data.get("livemode", False)),
            data_object=dict(data["data"]["object"]),
        )
    except (ValueError, KeyError, TypeError, OverflowError) as exc:  # OverflowError: int(1e999)
        logger.warning("Stripe webhook rejected: malformed payload: %r", exc)
        raise SignatureError("The webhook payload is malformed.", code="invalid_payload") from exc
