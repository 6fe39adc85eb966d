from typing import Any

from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_delete, post_save


def _student_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    """An enrollment or payment changed: forget the student's cached catalog flags on commit."""
    from lms.courses.viewer import viewer_forget

    student_id = instance.student_id
    transaction.on_commit(lambda: viewer_forget(student_id))


class PaymentsConfig(AppConfig):
    name = "lms.payments"
    label = "payments"

    def ready(self) -> None:
        from lms.courses.viewer import register_reader
        from lms.enrollments.models import Enrollment
        from lms.payments import checks  # noqa: F401  (registers the system checks)
        from lms.payments.models import Payment
        from lms.payments.selectors import course_viewer_states

        # Courses show a student their enrollment and payment status; only this app knows both.
        register_reader(course_viewer_states)
        for model in (Enrollment, Payment):  # every write of them saves or deletes a row
            post_save.connect(_student_changed, sender=model, dispatch_uid=f"viewer.{model.__name__}.save")
            post_delete.connect(
                _student_changed, sender=model, dispatch_uid=f"viewer.{model.__name__}.delete"
            )
