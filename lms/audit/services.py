"""Writing the audit trail. Services call `audit_record` inside the transaction of the change.

Who caused a change comes from the context: `AuditContextMiddleware` names the request (its
user, once DRF has authenticated it), and `audit_cause` names a Stripe event or a job.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse

from lms.audit.models import AuditRecord


@dataclass(frozen=True)
class Cause:
    via: str
    stripe_event_id: str = ""


_cause: ContextVar[Cause | None] = ContextVar("audit_cause", default=None)
_request: ContextVar[HttpRequest | None] = ContextVar("audit_request", default=None)


@contextmanager
def audit_cause(*, via: str, stripe_event_id: str = "") -> Iterator[None]:
    """Attribute the changes made inside the block to a Stripe event or a job, not to a user."""
    token = _cause.set(Cause(via=via, stripe_event_id=stripe_event_id))
    try:
        yield
    finally:
        _cause.reset(token)


class AuditContextMiddleware:
    """Makes the current request (and so its authenticated user) known to `audit_record`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)


def audit_record(*, entity: str, entity_id: int, from_status: str, to_status: str) -> AuditRecord:
    """Append one status change to the audit trail, in the transaction of the change."""
    request = _request.get()
    user = getattr(request, "user", None)
    actor = user if user is not None and user.is_authenticated else None
    cause = _cause.get() or Cause(via="api" if request is not None else "system")
    if cause.stripe_event_id:
        actor = None  # Stripe caused it, whoever's request happened to run the code
    return AuditRecord.objects.create(
        entity=entity,
        entity_id=entity_id,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        stripe_event_id=cause.stripe_event_id,
        via=cause.via,
    )
