from __future__ import annotations

from celery import shared_task

from lms.payments.services import payments_sync_pending


@shared_task(name="payments.sync_pending_payments", ignore_result=True)
def sync_pending_payments() -> dict[str, int]:
    """Celery beat's entry to `sync_payments`: apply Stripe's final state to stale pending payments."""
    return payments_sync_pending()
