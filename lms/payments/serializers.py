from __future__ import annotations

from rest_framework import serializers

from lms.core.serializers import IdRelatedField, InputSerializer, MoneyField
from lms.courses.models import MAX_PRICE, Course
from lms.payments.models import Payment


class PaymentSerializer(serializers.ModelSerializer):
    course_title = serializers.CharField(source="course.title", read_only=True)
    amount = MoneyField(read_only=True)

    class Meta:
        model = Payment
        fields = [
            "id",
            "student",
            "course",
            "course_title",
            "amount",
            "currency",
            "status",
            "stripe_payment_intent",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PaymentCreateSerializer(InputSerializer):
    course = IdRelatedField(queryset=Course.objects.all())
    amount = MoneyField(
        max_value=MAX_PRICE,
        required=False,
        help_text="Optional: the price you expect to pay; a differing one is 400.",
    )


class PaymentRefundSerializer(InputSerializer):
    """A refund is always of the whole payment: a partial `amount`, or any other field, is refused."""


class PaymentStartSerializer(serializers.Serializer):
    client_secret = serializers.CharField()
    publishable_key = serializers.CharField(help_text="Stripe.js's key for confirming this payment.")
    payment = PaymentSerializer()


class WebhookAckSerializer(serializers.Serializer):
    received = serializers.BooleanField()
    outcome = serializers.CharField()
