"""The Celery beat entry runs the same sync as `manage.py sync_payments`, and a run that fails says so.

The Celery app itself (config/celery.py) reads the same settings module as manage.py unless
DJANGO_SETTINGS_MODULE names another: checked in fresh processes, as `celery -A config` finds it.
"""

import os
import subprocess
import sys
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import timezone

from lms.courses.tests.factories import CourseFactory
from lms.payments import gateway
from lms.payments.models import Payment
from lms.payments.services import payment_create
from lms.payments.tasks import SyncIncomplete, sync_pending_payments
from lms.payments.tests.factories import PaymentFactory
from lms.payments.tests.fixtures import _free_port

pytestmark = pytest.mark.django_db


def make_old(payment: Payment) -> None:
    Payment.objects.filter(pk=payment.pk).update(created_at=timezone.now() - timedelta(minutes=10))


def test_beat_schedule_names_the_task():
    entry = settings.CELERY_BEAT_SCHEDULE["sync-pending-payments"]
    assert entry["task"] == sync_pending_payments.name


def test_task_applies_a_succeeded_intent_whose_webhook_was_lost(localstripe_settings, student, instructor):
    course = CourseFactory(instructor=instructor, price=Decimal("30.00"))
    payment = payment_create(student=student, course=course).payment
    gateway.confirm_test_payment(payment.stripe_payment_intent)  # no webhook is registered: it is "lost"
    make_old(payment)

    result = sync_pending_payments.apply()

    assert result.state == "SUCCESS"
    assert result.get() == {"processed": 1}
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert student.enrollments.filter(course=course, ended_at__isnull=True).count() == 1


def test_task_with_nothing_pending_succeeds(localstripe_settings):
    result = sync_pending_payments.apply()

    assert (result.state, result.get()) == ("SUCCESS", {})


def test_task_fails_when_stripe_is_unreachable(settings):
    payment = PaymentFactory()
    make_old(payment)
    settings.STRIPE_SECRET_KEY = "sk_test_unreachable"
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{_free_port()}"  # nothing listens there

    result = sync_pending_payments.apply()

    assert result.state == "FAILURE"
    assert isinstance(result.result, SyncIncomplete)
    assert "1 payment(s) could not be synced" in str(result.result)
    with pytest.raises(SyncIncomplete):
        result.get()
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING  # nothing half-applied; the next run retries


def test_task_fails_without_a_stripe_key(settings, caplog):
    """The reported case: a worker whose settings have no STRIPE_SECRET_KEY logged the error and
    still reported success."""
    make_old(PaymentFactory())
    settings.STRIPE_SECRET_KEY = ""

    result = sync_pending_payments.apply()

    assert result.state == "FAILURE"
    assert isinstance(result.result, SyncIncomplete)
    assert "STRIPE_SECRET_KEY is not set" in caplog.text


# --- The Celery app's settings module ---------------------------------------------------------------

# What `celery -A config` does to find the app, then the settings module it ended up with and
# whether Celery's Django fix-up (django.setup() in each worker) is installed.
FIND_APP = (
    "from celery.app.utils import find_app\n"
    "app = find_app('config')\n"
    "app.loader.import_default_modules()\n"
    "from django.conf import settings\n"
    "print(app.main, settings.SETTINGS_MODULE, [type(f).__name__ for f in app._fixups])\n"
)


def run_clean(*args: str, **env_vars: str) -> str:
    """`python <args>` in the repository, with none of this process's Django or app variables."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp")}
    env.update(env_vars)
    result = subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_celery_uses_the_settings_module_of_manage_py_by_default():
    manage_py = run_clean(
        "manage.py", "shell", "-c", "from django.conf import settings; print(settings.SETTINGS_MODULE)"
    )
    celery = run_clean("-c", FIND_APP)

    assert manage_py == "config.settings.local"
    assert celery == f"lms {manage_py} ['DjangoFixup']"


def test_celery_uses_the_settings_module_the_environment_names():
    celery = run_clean("-c", FIND_APP, DJANGO_SETTINGS_MODULE="config.settings.test")

    assert celery == "lms config.settings.test ['DjangoFixup']"
