"""The test suite: `make test`."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env.str(
    "DJANGO_SECRET_KEY", default="django-insecure-test-only-key-long-enough-for-hmac-sha256-signing"
)
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# A fast hasher: the suite creates many users; production keeps Django's default.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Limits high enough that no test meets them by accident; tests of throttling set their own rates.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {scope: "100000/minute" for scope in REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]},
}
# No retries when Stripe (localstripe, or a test's unreachable address) fails: each would first
# sleep a backoff. The gateway reads this; production keeps its default of two.
STRIPE_MAX_NETWORK_RETRIES = 0
# Nothing is collected for the suite: templates link the plain file names (no manifest needed), and
# WhiteNoise has no STATIC_ROOT to scan in each test's client. Tests of static files collect into a
# temporary STATIC_ROOT under the production settings (lms/core/tests/test_static.py).
STATIC_ROOT = None
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# Tasks run in the test's process, with or without REDIS_URL: no worker runs during the suite.
CELERY_TASK_ALWAYS_EAGER = True

# SQLite's test database is a file, not Django's default shared in-memory one: the concurrency tests'
# threads open connections of their own, and those must meet the WAL file and the busy timeout that
# `make run` has, not an in-memory database's table locks. One file per run (Django deletes it after).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"lms-test-{os.getpid()}.sqlite3"),
    }
