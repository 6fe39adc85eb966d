from typing import Any

from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_save


class CoursesConfig(AppConfig):
    name = "lms.courses"
    label = "courses"

    def ready(self) -> None:
        from lms.users.models import User

        post_save.connect(_instructor_saved, sender=User, dispatch_uid="courses.instructor_saved")


def _instructor_saved(
    sender: type, instance: Any, created: bool = False, update_fields: Any = None, **kwargs: Any
) -> None:
    """A deactivated (or reactivated) instructor's courses leave (or rejoin) the catalog: retire the
    cached pages, as a course change does. The users app knows nothing of courses, hence a signal.
    `user_update`, the one way to change `is_active` and `role`, saves with `update_fields`. The
    new role is not asked: an instructor deactivated and demoted at once still had courses."""
    from lms.courses.catalog_cache import catalog_changed

    if created:
        return  # a new account has no courses yet
    if update_fields is not None and {"is_active", "role"} & set(update_fields):
        transaction.on_commit(catalog_changed)
