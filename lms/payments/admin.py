from django.contrib import admin

from lms.payments.models import Payment, WebhookEvent


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
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
    readonly_fields = (
        "amount",
        "currency",
        "status",
        "stripe_payment_intent",
        "key",
        "created_at",
        "updated_at",
    )

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        # Money records are removed only through the API's rules (unpaid ones, intent canceled).
        return False


@admin.register(WebhookEvent)
class WebhookEventAdmin(admin.ModelAdmin):
    list_display = ("event_id", "type", "intent_id", "outcome", "received_at")
    list_filter = ("type", "outcome")
    search_fields = ("event_id", "intent_id")

    def has_change_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # noqa: ANN001
        return False
