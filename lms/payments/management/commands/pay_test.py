from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from lms.payments import gateway
from lms.payments.models import Payment


class Command(BaseCommand):
    help = "Development only: confirm a pending payment's intent with a Stripe test card."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("payment_id", type=int)
        parser.add_argument("--decline", action="store_true", help="Use a card that is declined.")

    def handle(self, *args: Any, **options: Any) -> None:
        payment = Payment.objects.filter(pk=options["payment_id"]).first()
        if payment is None or not payment.stripe_payment_intent:
            raise CommandError("No payment with that id and a Stripe intent.")
        try:
            intent = gateway.confirm_test_payment(payment.stripe_payment_intent, decline=options["decline"])
        except gateway.GatewayError as exc:
            raise CommandError(f"Stripe refused: {exc.upstream_message or exc}") from exc
        except gateway.GatewayUnavailable as exc:
            raise CommandError(
                f"No Stripe answers at {settings.STRIPE_API_BASE or 'api.stripe.com'}. In development, "
                "start `make run` first: it starts localstripe and records where, and this command "
                "finds it. To name the port `make run` was given, run:\n"
                f"  LOCALSTRIPE_PORT=<port> .venv/bin/python manage.py pay_test {payment.pk}"
                + (" --decline" if options["decline"] else "")
            ) from exc
        except gateway.GatewayException as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"intent {intent.id}: {intent.status}. The webhook will update payment {payment.pk} shortly."
        )
