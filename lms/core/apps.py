from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.core.signals import request_finished


class AdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with lms.core.admin.AdminSite as `admin.site`."""

    default = False  # "lms.core" names CoreConfig
    default_site = "lms.core.admin.AdminSite"


class CoreConfig(AppConfig):
    name = "lms.core"
    label = "core"

    def ready(self) -> None:
        from lms.core import checks  # noqa: F401  (registers the system checks)
        from lms.core.log import clear_request_id

        request_finished.connect(clear_request_id, dispatch_uid="lms.core.clear_request_id")
