from __future__ import annotations

from celery import shared_task

from lms.certificates.services import certificate_render, certificates_render_pending


@shared_task(
    name="certificates.render",
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=5,
    ignore_result=True,
)
def render_certificate(certificate_id: int) -> None:
    """Queued after the certificate is issued; a failed render is retried, then left pending
    for the periodic sweep below."""
    certificate_render(certificate_id=certificate_id)


@shared_task(name="certificates.render_pending", ignore_result=True)
def render_pending_certificates() -> int:
    return certificates_render_pending()
