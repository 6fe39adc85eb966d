from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "lms.payments"
    label = "payments"

    def ready(self) -> None:
        from lms.payments import checks  # noqa: F401  (registers the system checks)
