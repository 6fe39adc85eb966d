from django.urls import path
from rest_framework.routers import SimpleRouter

from lms.payments.apis import PaymentViewSet, StripeWebhookApi

router = SimpleRouter()
router.register("", PaymentViewSet, basename="payment")

urlpatterns = [
    path("webhook/", StripeWebhookApi.as_view(), name="stripe-webhook"),
    *router.urls,
]
