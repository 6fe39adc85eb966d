"""Fixtures shared by every app: one user per role, and API clients that carry their JWT."""

import uuid

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from lms.users.services import user_tokens
from lms.users.tests.factories import AdminFactory, InstructorFactory, StudentFactory

# Shared fixtures: rate limits (throttle_rates, clock), the local Stripe (localstripe) and webhooks.
pytest_plugins = ["lms.core.tests.fixtures", "lms.payments.tests.fixtures"]


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {user_tokens(user=user)['access']}")
    return client


@pytest.fixture
def make_client():
    return client_for


@pytest.fixture
def anon_client():
    return APIClient()


@pytest.fixture
def student(db):
    return StudentFactory()


@pytest.fixture
def other_student(db):
    return StudentFactory()


@pytest.fixture
def instructor(db):
    return InstructorFactory()


@pytest.fixture
def other_instructor(db):
    return InstructorFactory()


@pytest.fixture
def admin_user(db):
    return AdminFactory()


@pytest.fixture
def student_client(student):
    return client_for(student)


@pytest.fixture
def instructor_client(instructor):
    return client_for(instructor)


@pytest.fixture
def admin_client_api(admin_user):
    return client_for(admin_user)


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    """Each test gets a cache namespace of its own: cached users, catalog pages and throttle history
    never leak between tests, nor between concurrent runs sharing one Redis database."""
    settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}}
    yield
    try:
        if hasattr(cache, "delete_pattern"):  # django-redis: only this test's keys
            cache.delete_pattern("*")
        else:
            cache.clear()
    except Exception:
        pass


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    """Uploaded lesson files land in this test's own folder, never in the checkout."""
    settings.MEDIA_ROOT = tmp_path / "media"
