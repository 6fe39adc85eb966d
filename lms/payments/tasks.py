from __future__ import annotations

from celery import shared_task

from lms.payments.services import SYNC_ERROR, payments_sync_pending


class SyncIncomplete(Exception):
    """Some payments could not be settled (their errors are logged); the next run tries them again."""


@shared_task(name="payments.sync_pending_payments", ignore_result=True)
def sync_pending_payments() -> dict[str, int]:
    """Celery beat's entry to `sync_payments`: apply Stripe's final state to stale pending payments.

    A run that could not settle every payment fails (Celery records FAILURE, the worker logs it).
    It is not retried: beat runs it again every LMS_SYNC_PAYMENTS_SECONDS.
    """
    counts = payments_sync_pending()
    if counts.get(SYNC_ERROR):
        raise SyncIncomplete(f"{counts[SYNC_ERROR]} payment(s) could not be synced: {counts}")
    return counts
