from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "lms.core"
    label = "core"

    def ready(self) -> None:
        from lms.core import checks  # noqa: F401  (registers the system checks)
