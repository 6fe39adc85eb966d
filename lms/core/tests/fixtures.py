"""Fixtures shared with every app's tests (through the root conftest): rate limits, and the cast
of the authorization tests."""

import uuid

import pytest
from django.core.cache import cache


@pytest.fixture
def throttle_rates(settings):
    """Set throttle rates for one test: ``throttle_rates(login_ip="3/minute")``.

    The test gets a cache namespace of its own (a fresh KEY_PREFIX), so no history leaks between
    tests, runs or concurrent runs sharing a Redis database; its keys are deleted afterwards.
    Flushing the whole cache instead would wipe what other runs on the same Redis keep there.
    """
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"},
    }

    def set_rates(**rates: str | None) -> None:
        current = settings.REST_FRAMEWORK
        settings.REST_FRAMEWORK = {
            **current,
            "DEFAULT_THROTTLE_RATES": {**current["DEFAULT_THROTTLE_RATES"], **rates},
        }

    yield set_rates

    if hasattr(cache, "delete_pattern"):  # django-redis: only this test's keys
        cache.delete_pattern("*")
    else:
        cache.clear()


@pytest.fixture
def clock(monkeypatch):
    """A settable clock for the throttles: ``clock.now = 30.0``."""
    from lms.core.throttling import RateThrottle

    class Clock:
        now = 1_000_000.0

    monkeypatch.setattr(RateThrottle, "timer", staticmethod(lambda: Clock.now))
    return Clock


@pytest.fixture
def users_by_role(student, other_student, instructor, other_instructor, admin_user) -> dict:
    """The authorization tests' cast; `owner` is the instructor whose courses the tests act on."""
    return {
        "anonymous": None,
        "student": student,
        "other_student": other_student,
        "owner": instructor,
        "other_instructor": other_instructor,
        "admin": admin_user,
    }
