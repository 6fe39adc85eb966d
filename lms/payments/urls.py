from django.urls import path
from rest_framework.routers import SimpleRouter

from lms.payments.apis import PaymentViewSet, StripeWebhookApi
from lms.payments.local_checkout import LocalStripeConfirmApi

router = SimpleRouter()
router.register("", PaymentViewSet, basename="payment")

urlpatterns = [
    path("webhook/", StripeWebhookApi.as_view(), name="stripe-webhook"),
    # Development only (404 unless LMS_LOCAL_CHECKOUT): lms/payments/local_checkout.py.
    path(
        "local-stripe/v1/payment_intents/<str:intent_id>/confirm",
        LocalStripeConfirmApi.as_view(),
        name="local-stripe-confirm",
    ),
    *router.urls,
]
