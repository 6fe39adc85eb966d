"""/api/health/: database, cache and Stripe configuration, without authentication or secrets."""

import pytest
from django.db import OperationalError

from lms.core import selectors

pytestmark = pytest.mark.django_db

HEALTH = "/api/health/"
SECRET_KEY = "sk_test_51VerySecretValue"
WEBHOOK_SECRET = "whsec_VerySecretSigningValue"


def test_healthy_service_answers_200(anon_client, settings):
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET

    r = anon_client.get(HEALTH)

    assert r.status_code == 200
    assert r.json() == {
        "status": "ok",
        "database": {"ok": True},
        "cache": {"ok": True},
        "stripe": {"secret_key_configured": True, "webhook_secret_configured": True},
    }
    assert r["Cache-Control"] == "no-store"
    assert SECRET_KEY.encode() not in r.content
    assert WEBHOOK_SECRET.encode() not in r.content


def test_missing_stripe_settings_are_reported_but_do_not_fail(anon_client, settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = ""

    r = anon_client.get(HEALTH)

    assert r.status_code == 200
    assert r.json()["stripe"] == {"secret_key_configured": False, "webhook_secret_configured": False}


def test_needs_no_authentication_and_ignores_a_bad_token(anon_client):
    r = anon_client.get(HEALTH, HTTP_AUTHORIZATION="Bearer not-a-token")

    assert r.status_code == 200


def test_is_not_throttled(throttle_rates, anon_client):
    throttle_rates(anon="1/minute", user="1/minute")

    assert [anon_client.get(HEALTH).status_code for _ in range(5)] == [200] * 5


class BrokenConnection:
    def cursor(self):
        raise OperationalError("could not connect to server: Connection refused")


def test_database_down_is_503(anon_client, monkeypatch):
    monkeypatch.setattr(selectors, "connection", BrokenConnection())

    r = anon_client.get(HEALTH)

    assert r.status_code == 503
    assert r.json()["status"] == "unavailable"
    assert r.json()["database"] == {"ok": False}
    assert r.json()["cache"] == {"ok": True}
    assert "Connection refused" not in r.content.decode()


def test_unreachable_redis_is_503(anon_client, settings):
    # A real django-redis client pointed at a port where nothing listens.
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    }

    r = anon_client.get(HEALTH)

    assert r.status_code == 503
    assert r.json()["status"] == "unavailable"
    assert r.json()["cache"] == {"ok": False}
    assert r.json()["database"] == {"ok": True}


class ForgetfulCache:
    def set(self, key, value, timeout=None):
        pass

    def get(self, key, default=None):
        return default

    def delete(self, key):
        pass


def test_cache_that_loses_values_is_503(anon_client, monkeypatch):
    monkeypatch.setattr(selectors, "cache", ForgetfulCache())

    r = anon_client.get(HEALTH)

    assert r.status_code == 503
    assert r.json()["cache"] == {"ok": False}
