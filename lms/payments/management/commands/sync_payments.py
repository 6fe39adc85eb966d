from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lms.payments.services import SYNC_ERROR, payments_sync_pending


class Command(BaseCommand):
    help = "Re-read pending payments from Stripe and apply their final state (covers lost webhooks)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than-minutes", type=int, default=5, help="Only payments pending for longer than this."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = payments_sync_pending(older_than=timedelta(minutes=options["older_than_minutes"]))
        summary = ", ".join(f"{outcome}={n}" for outcome, n in sorted(counts.items())) or "nothing pending"
        self.stdout.write(f"sync_payments: {summary}")
        if counts.get(SYNC_ERROR):
            # A non-zero exit, so that cron (or whoever runs it) sees the run did not finish its work.
            raise CommandError(f"{counts[SYNC_ERROR]} payment(s) could not be synced; see the log.")
