"""The Stripe gateway: exact minor units, and every call against a real localstripe.

None of these tests touches the database.
"""

import hashlib
import hmac
import json
import time
import urllib.parse
from decimal import Decimal

import pytest

from lms.core.exceptions import UpstreamError, UpstreamUnavailable
from lms.payments import gateway
from lms.payments.gateway import (
    GatewayError,
    GatewayNotConfigured,
    GatewayUnavailable,
    LiveModeRefused,
    MissingAtStripe,
    SignatureError,
    to_minor_units,
)
from lms.payments.tests.fixtures import _free_port, fake_stripe

# --- Minor units ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [
        ("10.50", "usd", 1050),
        ("10.5", "usd", 1050),
        ("10.500", "usd", 1050),  # trailing zeros are not extra precision
        ("10", "USD", 1000),
        ("0.01", "eur", 1),
        ("0", "usd", 0),
        ("-1.50", "usd", -150),
        ("1E+2", "usd", 10000),
        ("500", "jpy", 500),
        ("500.00", "jpy", 500),
        ("1000", "krw", 1000),
        ("1.230", "kwd", 1230),
        ("12345678901234567890123456789.99", "usd", 1234567890123456789012345678999),
    ],
)
def test_to_minor_units(amount, currency, minor):
    result = to_minor_units(Decimal(amount), currency)
    assert result == minor
    assert type(result) is int


@pytest.mark.parametrize(
    ("amount", "currency"),
    [
        ("10.005", "usd"),
        ("0.001", "eur"),
        ("500.5", "jpy"),
        ("0.1", "clp"),
        ("1.234", "kwd"),
        ("1.2345", "kwd"),
    ],
)
def test_to_minor_units_rejects_more_decimals_than_the_currency_has(amount, currency):
    with pytest.raises(ValueError, match=r"decimal places|multiples"):
        to_minor_units(Decimal(amount), currency)


@pytest.mark.parametrize("amount", [10.5, 10, "10.50", None])
def test_to_minor_units_accepts_only_decimal(amount):
    with pytest.raises(TypeError):
        to_minor_units(amount, "usd")


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "-Infinity"])
def test_to_minor_units_rejects_non_finite(amount):
    with pytest.raises(ValueError):
        to_minor_units(Decimal(amount), "usd")


@pytest.mark.parametrize("currency", ["", "us", "usdd", "12a", "€ur"])
def test_unknown_currency_format_is_rejected(currency):
    with pytest.raises(ValueError):
        to_minor_units(Decimal("1"), currency)


# --- Configuration and errors without a server -----------------------------------


def test_error_family_maps_to_the_api_statuses():
    assert issubclass(GatewayError, UpstreamError) and GatewayError().status_code == 502
    assert issubclass(GatewayUnavailable, UpstreamUnavailable) and GatewayUnavailable().status_code == 503
    assert SignatureError().status_code == 400
    assert GatewayNotConfigured().status_code == 503
    for cls in (GatewayError, GatewayUnavailable, SignatureError, GatewayNotConfigured, LiveModeRefused):
        assert issubclass(cls, gateway.GatewayException)


def test_missing_secret_key_is_a_configuration_error(settings):
    settings.STRIPE_SECRET_KEY = ""
    with pytest.raises(GatewayNotConfigured):
        gateway.retrieve_payment_intent("pi_123")


def test_unreachable_stripe_is_unavailable(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{_free_port()}"  # nothing listens there
    with pytest.raises(GatewayUnavailable):
        gateway.retrieve_payment_intent("pi_123")


def test_confirm_test_payment_refuses_a_live_key(settings):
    settings.STRIPE_SECRET_KEY = "sk_live_123"
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{_free_port()}"  # would be unavailable if it called out
    with pytest.raises(LiveModeRefused):
        gateway.confirm_test_payment("pi_123")


def test_create_rejects_a_non_positive_amount_before_calling_stripe(settings):
    settings.STRIPE_SECRET_KEY = ""  # would raise GatewayNotConfigured if it got that far
    with pytest.raises(ValueError):
        gateway.create_payment_intent(amount=Decimal("0"), currency="usd", metadata={}, idempotency_key="k")


@pytest.fixture
def recording_stripe(settings):
    """A stand-in Stripe that records requests; localstripe ignores the headers checked here."""
    intent = {
        "id": "pi_recorded",
        "object": "payment_intent",
        "status": "requires_payment_method",
        "amount": 1050,
        "amount_received": 0,
        "currency": "usd",
        "client_secret": "pi_recorded_secret_x",
        "metadata": {"payment_id": "7"},
    }
    with fake_stripe(settings, lambda request: intent) as requests:
        yield requests


def test_create_sends_pinned_version_idempotency_key_and_card_only(recording_stripe):
    intent = gateway.create_payment_intent(
        amount=Decimal("10.50"), currency="USD", metadata={"payment_id": "7"}, idempotency_key="payment-7"
    )

    assert intent.amount_received == 0
    [request] = recording_stripe
    assert (request.method, request.path) == ("POST", "/v1/payment_intents")
    assert request.headers["Stripe-Version"] == gateway.STRIPE_API_VERSION
    assert request.headers["Idempotency-Key"] == "payment-7"
    assert request.headers["Authorization"] == "Bearer sk_test_fake"
    assert urllib.parse.parse_qs(request.body.decode()) == {
        "amount": ["1050"],
        "currency": ["usd"],
        "payment_method_types[0]": ["card"],
        "metadata[payment_id]": ["7"],
    }


# --- Against localstripe --------------------------------------------------------

METADATA = {"student_id": "1", "course_id": "2", "payment_id": "3"}


def _create(amount="10.50"):
    return gateway.create_payment_intent(
        amount=Decimal(amount),
        currency="usd",
        metadata=METADATA,
        idempotency_key=f"test-{time.monotonic_ns()}",
    )


def test_create_and_retrieve(localstripe_settings):
    intent = _create()

    assert intent.id.startswith("pi_")
    assert intent.status == "requires_payment_method"
    assert intent.amount == 1050
    assert intent.currency == "usd"
    assert intent.metadata == METADATA
    assert intent.client_secret.startswith(f"{intent.id}_secret_")
    assert intent.amount_received is None  # localstripe omits it
    assert intent.cancelable
    assert gateway.retrieve_payment_intent(intent.id) == intent


def test_an_intent_localstripe_does_not_have_is_missing(localstripe_settings):
    # localstripe answers a bare 404, without Stripe's `resource_missing` code.
    with pytest.raises(MissingAtStripe) as info:
        gateway.retrieve_payment_intent("pi_doesnotexist")
    assert info.value.http_status == 404
    assert info.value.status_code == 502  # a GatewayError wherever nobody handles it
    with pytest.raises(MissingAtStripe):
        gateway.cancel_payment_intent("pi_doesnotexist")
    with pytest.raises(MissingAtStripe):
        gateway.refund_payment_intent("pi_doesnotexist", idempotency_key="refund-pi_doesnotexist")


def test_stripes_resource_missing_is_missing(settings):
    body = {
        "error": {
            "code": "resource_missing",
            "message": "No such payment_intent: 'pi_gone'",
            "param": "intent",
            "type": "invalid_request_error",
        }
    }
    with fake_stripe(settings, lambda request: (404, body)):
        with pytest.raises(MissingAtStripe) as info:
            gateway.retrieve_payment_intent("pi_gone")
    assert info.value.stripe_code == "resource_missing"


def test_other_invalid_requests_are_not_missing(localstripe_settings):
    intent = _create()
    gateway.cancel_payment_intent(intent.id)

    with pytest.raises(GatewayError) as info:
        gateway.cancel_payment_intent(intent.id)  # already canceled: 400
    assert not isinstance(info.value, MissingAtStripe)


def test_a_declined_intent_carries_its_last_payment_error(localstripe_settings):
    intent = _create()
    assert intent.last_payment_error is None

    declined = gateway.confirm_test_payment(intent.id, decline=True)

    assert declined.status == "requires_payment_method"
    assert declined.last_payment_error
    assert gateway.retrieve_payment_intent(intent.id).last_payment_error == declined.last_payment_error


def test_confirm_success_sends_a_signed_succeeded_event(localstripe_settings, webhook_receiver):
    localstripe_settings.register_webhook(webhook_receiver.url)
    intent = _create()

    paid = gateway.confirm_test_payment(intent.id)

    assert paid.status == "succeeded"
    assert not paid.cancelable
    delivery = webhook_receiver.wait_for("payment_intent.succeeded", intent.id)
    event = gateway.construct_event(delivery.body, delivery.headers["Stripe-Signature"])
    assert event.type == "payment_intent.succeeded"
    assert event.id.startswith("evt_")
    assert event.livemode is False
    carried = event.data_object
    assert (carried["id"], carried["status"], carried["amount"]) == (intent.id, "succeeded", 1050)
    assert carried["metadata"] == METADATA


def test_confirm_decline_sends_a_signed_failed_event(localstripe_settings, webhook_receiver):
    localstripe_settings.register_webhook(webhook_receiver.url, events=["payment_intent.payment_failed"])
    intent = _create()

    declined = gateway.confirm_test_payment(intent.id, decline=True)

    assert declined.status == "requires_payment_method"
    delivery = webhook_receiver.wait_for("payment_intent.payment_failed", intent.id)
    event = gateway.construct_event(delivery.body, delivery.headers["Stripe-Signature"])
    assert event.data_object["status"] == "requires_payment_method"
    assert event.data_object["last_payment_error"]["code"] == "card_declined"


def test_cancel(localstripe_settings):
    intent = _create()

    canceled = gateway.cancel_payment_intent(intent.id)

    assert canceled.status == "canceled"
    assert gateway.retrieve_payment_intent(intent.id).status == "canceled"
    with pytest.raises(GatewayError) as info:
        gateway.cancel_payment_intent(intent.id)
    assert info.value.http_status == 400


def test_cannot_cancel_a_succeeded_intent(localstripe_settings):
    intent = _create()
    gateway.confirm_test_payment(intent.id)

    with pytest.raises(GatewayError):
        gateway.cancel_payment_intent(intent.id)


def test_refund(localstripe_settings):
    intent = _create("25.00")
    gateway.confirm_test_payment(intent.id)

    refund = gateway.refund_payment_intent(intent.id, idempotency_key=f"refund-{intent.id}")

    assert refund.id.startswith("re_")
    assert refund.status == "succeeded"
    assert (refund.amount, refund.currency) == (2500, "usd")


def test_refund_of_a_declined_payment_is_a_gateway_error(localstripe_settings):
    intent = _create()
    gateway.confirm_test_payment(intent.id, decline=True)

    with pytest.raises(GatewayError) as info:
        gateway.refund_payment_intent(intent.id, idempotency_key=f"refund-{intent.id}")
    assert info.value.http_status == 400


# --- construct_event with signatures computed here --------------------------------

SECRET = "whsec_unit_test"
BODY = json.dumps(
    {
        "id": "evt_1",
        "object": "event",
        "type": "payment_intent.succeeded",
        "created": 1700000000,
        "livemode": False,
        "data": {
            "object": {
                "id": "pi_1",
                "object": "payment_intent",
                "status": "succeeded",
                "amount": 1050,
                "amount_received": 1050,
                "currency": "usd",
                "client_secret": "pi_1_secret_x",
                "metadata": {"payment_id": "3"},
            }
        },
    }
).encode()


def sign(body: bytes, *, secret: str = SECRET, timestamp: int | None = None) -> str:
    t = int(time.time()) if timestamp is None else timestamp
    signature = hmac.new(secret.encode(), f"{t}.{body.decode()}".encode(), hashlib.sha256).hexdigest()
    return f"t={t},v1={signature}"


@pytest.fixture
def webhook_secret(settings):
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    return SECRET


def test_construct_event_with_a_valid_signature(webhook_secret):
    event = gateway.construct_event(BODY, sign(BODY))

    assert (event.id, event.type, event.created, event.livemode) == (
        "evt_1",
        "payment_intent.succeeded",
        1700000000,
        False,
    )
    carried = event.data_object
    assert (carried["id"], carried["amount"], carried["amount_received"], carried["currency"]) == (
        "pi_1",
        1050,
        1050,
        "usd",
    )


def test_construct_event_accepts_any_matching_signature_among_several(webhook_secret):
    header = sign(BODY, secret="whsec_old") + "," + sign(BODY).split(",")[1]
    assert gateway.construct_event(BODY, header).id == "evt_1"


@pytest.mark.parametrize(
    "header",
    [
        pytest.param(None, id="missing"),
        pytest.param("", id="empty"),
        pytest.param("garbage", id="unparsable"),
        pytest.param(sign(BODY, secret="whsec_other"), id="other-secret"),
        pytest.param(sign(BODY).replace("v1=", "v0="), id="other-scheme"),
        pytest.param(sign(BODY, timestamp=int(time.time()) - 301), id="stale"),
    ],
)
def test_construct_event_rejects_bad_signatures(webhook_secret, header):
    with pytest.raises(SignatureError):
        gateway.construct_event(BODY, header)


def test_construct_event_rejects_a_tampered_body(webhook_secret):
    header = sign(BODY)
    tampered = BODY.replace(b'"amount": 1050', b'"amount": 1')
    assert tampered != BODY

    with pytest.raises(SignatureError):
        gateway.construct_event(tampered, header)


def test_construct_event_checks_the_raw_bytes_not_the_json(webhook_secret):
    header = sign(BODY)
    reserialised = json.dumps(json.loads(BODY), indent=2).encode()

    with pytest.raises(SignatureError):
        gateway.construct_event(reserialised, header)


def test_construct_event_rejects_a_signed_body_that_is_not_an_event(webhook_secret):
    overflowing = (
        b'{"id": "evt_1", "type": "payment_intent.succeeded", "created": 1e999, "data": {"object": {}}}'
    )
    for body in (b"not json", b"[]", b'{"object": "event"}', overflowing):
        with pytest.raises(SignatureError) as info:
            gateway.construct_event(body, sign(body))
        assert info.value.code == "invalid_payload"


def test_construct_event_rejects_a_body_that_is_not_utf8(webhook_secret):
    with pytest.raises(SignatureError):
        gateway.construct_event(b"\xff\xfe", sign(b"{}"))


@pytest.mark.parametrize("secret", ["", "  "])
def test_construct_event_refuses_without_a_secret(settings, secret):
    settings.STRIPE_WEBHOOK_SECRET = secret

    with pytest.raises(GatewayNotConfigured):
        gateway.construct_event(BODY, sign(BODY, secret=secret))
