"""`manage.py pay_test`, the development-only confirm. (`sync_payments` is tested with the services.)"""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from lms.courses.tests.factories import CourseFactory
from lms.payments import gateway
from lms.payments.services import payment_create
from lms.payments.tests.factories import PaymentFactory
from lms.payments.tests.fixtures import _free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def payment(localstripe_settings, student, instructor):
    return payment_create(
        student=student, course=CourseFactory(instructor=instructor, price=Decimal("15.00"))
    ).payment


@pytest.mark.parametrize("key", ["sk_live_123", "rk_live_123"])
def test_pay_test_refuses_a_live_key(settings, key):
    payment = PaymentFactory()
    settings.STRIPE_SECRET_KEY = key
    settings.STRIPE_API_BASE = (
        f"http://127.0.0.1:{_free_port()}"  # it would be 'unavailable' if it called out
    )

    with pytest.raises(CommandError, match="live Stripe key"):
        call_command("pay_test", str(payment.pk))


def test_pay_test_refuses_a_live_key_before_touching_the_intent(payment, settings):
    settings.STRIPE_SECRET_KEY = "sk_live_against_localstripe"

    with pytest.raises(CommandError):
        call_command("pay_test", str(payment.pk))

    settings.STRIPE_SECRET_KEY = "sk_test_localstripe"
    assert gateway.retrieve_payment_intent(payment.stripe_payment_intent).status == "requires_payment_method"


def test_pay_test_confirms_with_a_test_card(payment, capsys):
    call_command("pay_test", str(payment.pk))

    assert f"intent {payment.stripe_payment_intent}: succeeded" in capsys.readouterr().out
    assert gateway.retrieve_payment_intent(payment.stripe_payment_intent).status == "succeeded"


def test_pay_test_declines(payment, capsys):
    call_command("pay_test", str(payment.pk), "--decline")

    assert "requires_payment_method" in capsys.readouterr().out
    intent = gateway.retrieve_payment_intent(payment.stripe_payment_intent)
    assert (intent.status, intent.amount_received) == ("requires_payment_method", None)


def test_pay_test_needs_a_payment_with_an_intent(localstripe_settings):
    with pytest.raises(CommandError, match="No payment"):
        call_command("pay_test", "999999")
    without_intent = PaymentFactory(stripe_payment_intent=None)
    with pytest.raises(CommandError, match="No payment"):
        call_command("pay_test", str(without_intent.pk))


@pytest.mark.parametrize("decline", [False, True])
def test_pay_test_without_a_local_stripe_prints_the_command_to_use(settings, decline):
    payment = PaymentFactory()
    settings.STRIPE_SECRET_KEY = "sk_test_localstripe"
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{_free_port()}"  # nothing listens there

    with pytest.raises(CommandError) as info:
        call_command("pay_test", str(payment.pk), *(["--decline"] if decline else []))

    message = str(info.value)
    assert f"No Stripe answers at {settings.STRIPE_API_BASE}" in message
    assert "make run" in message
    command = f"LOCALSTRIPE_PORT=<port> .venv/bin/python manage.py pay_test {payment.pk}"
    assert message.endswith(command + (" --decline" if decline else ""))
