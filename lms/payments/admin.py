from django.contrib import admin

from lms.core.admin import ReadOnlyModelAdmin
from lms.payments.models import Payment, WebhookEvent


@admin.register(Payment)
class PaymentAdmin(ReadOnlyModelAdmin):
    """Refund or remove through the API, which asks Stripe first and keeps money records."""

    list_display = (
        "id",
        "student",
        "course",
        "amount",
        "currency",
        "status",
        "stripe_payment_intent",
        "created_at",
    )
    list_filter = ("status", "currency", "created_at")
    search_fields = ("stripe_payment_intent", "student__username", "course__title")
    raw_id_fields = ("student", "course")
    list_select_related = ("student", "course")


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyModelAdmin):
    list_display = ("event_id", "type", "intent_id", "outcome", "received_at")
    list_filter = ("type", "outcome")
    search_fields = ("event_id", "intent_id")
