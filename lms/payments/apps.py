from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "lms.payments"
    label = "payments"

    def ready(self) -> None:
        from lms.courses.viewer import register_reader
        from lms.payments import checks  # noqa: F401  (registers the system checks)
        from lms.payments.selectors import course_viewer_states

        # Courses show a student their enrollment and payment status; only this app knows both.
        register_reader(course_viewer_states)
