"""The development checkout: the stand-in for Stripe.js pays at localstripe, and only in development."""

from urllib.parse import urlencode

import pytest
from django.test import Client

from lms.core.tests.test_settings import load_settings, production, secret_key
from lms.courses.tests.factories import CourseFactory
from lms.payments import gateway
from lms.payments.local_checkout import CARD_DECLINED, CARD_PAYS

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def local_checkout(settings, localstripe_settings):
    settings.LMS_LOCAL_CHECKOUT = True
    return localstripe_settings


@pytest.fixture
def started(student_client, instructor):
    """A payment the student started: its intent id and the client secret only they received."""
    course = CourseFactory(instructor=instructor, price="30.00")
    body = student_client.post("/api/payments/", {"course": course.pk}).json()
    return body["payment"]["stripe_payment_intent"], body["client_secret"]


def confirm(intent_id: str, client_secret: str, number: str):
    """What the stand-in posts, as Stripe.js would: a urlencoded form, with no user credential."""
    return Client().post(
        f"/api/payments/local-stripe/v1/payment_intents/{intent_id}/confirm",
        urlencode({"payment_method_data[card][number]": number, "client_secret": client_secret}),
        content_type="application/x-www-form-urlencoded",
    )


def test_the_good_test_card_pays_the_intent(local_checkout, started):
    intent_id, secret = started

    response = confirm(intent_id, secret, CARD_PAYS)

    assert response.status_code == 200, response.content
    assert response.json() == {"id": intent_id, "status": "succeeded"}
    assert gateway.retrieve_payment_intent(intent_id).status == "succeeded"


def test_the_declined_test_card_is_a_card_error_and_pays_nothing(local_checkout, started):
    intent_id, secret = started

    response = confirm(intent_id, secret, CARD_DECLINED)

    assert response.status_code == 402
    assert response.json()["error"] == {
        "type": "card_error",
        "code": "card_declined",
        "message": "Your card was declined.",
    }
    assert gateway.retrieve_payment_intent(intent_id).status != "succeeded"


def test_another_card_number_is_refused_before_stripe_is_asked(local_checkout, started):
    intent_id, secret = started

    response = confirm(intent_id, secret, "4111111111111111")

    assert response.status_code == 402
    assert response.json()["error"]["code"] == "incorrect_number"
    assert gateway.retrieve_payment_intent(intent_id).status == "requires_payment_method"


@pytest.mark.parametrize("secret", ["", "pi_other_secret_guess"])
def test_without_the_payments_client_secret_nothing_is_paid(local_checkout, started, secret):
    """The client secret is the credential: knowing an intent's id is not enough to pay it."""
    intent_id, _ = started

    response = confirm(intent_id, secret, CARD_PAYS)

    assert response.status_code == 404
    assert gateway.retrieve_payment_intent(intent_id).status == "requires_payment_method"


def test_with_the_setting_off_the_endpoint_does_not_exist(localstripe_settings, settings, started):
    settings.LMS_LOCAL_CHECKOUT = False
    intent_id, secret = started

    response = confirm(intent_id, secret, CARD_PAYS)

    assert response.status_code == 404
    assert gateway.retrieve_payment_intent(intent_id).status == "requires_payment_method"


def test_the_app_page_loads_the_stand_in_only_with_the_setting_on(settings, tmp_path):
    (tmp_path / "index.html").write_text("<html><head><title>LMS</title></head><body></body></html>")
    settings.LMS_FRONTEND_DIST = tmp_path

    settings.LMS_LOCAL_CHECKOUT = False
    assert "local-stripe.js" not in Client().get("/courses/1/checkout").content.decode()

    settings.LMS_LOCAL_CHECKOUT = True
    page = Client().get("/courses/1/checkout").content.decode()
    stand_in = '<script src="/static/payments/local-stripe.js" data-api="/api/payments/local-stripe">'
    assert f"{stand_in}</script></head>" in page


def test_only_local_development_on_localstripe_turns_it_on():
    assert load_settings("local").LMS_LOCAL_CHECKOUT is True
    # With a real Stripe key, development uses the real Stripe.js.
    assert load_settings("local", STRIPE_SECRET_KEY="sk_test_real").LMS_LOCAL_CHECKOUT is False
    # Production cannot: no variable turns it on there.
    loaded = production(
        DJANGO_SECRET_KEY=secret_key(), DJANGO_ALLOWED_HOSTS="example.com", LMS_LOCAL_CHECKOUT="true"
    )
    assert loaded.LMS_LOCAL_CHECKOUT is False


def test_an_unknown_intent_is_not_found(local_checkout):
    response = confirm("pi_unknown", "pi_unknown_secret_x", CARD_PAYS)

    assert response.status_code == 404
    assert set(response.json()) == {"detail", "code"}
