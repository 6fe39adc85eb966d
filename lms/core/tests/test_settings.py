"""Project-wide guarantees: production settings pass Django's deploy checks, migrations are complete."""

import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def run_deploy_check(**env_vars: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    env.update(STRIPE_SECRET_KEY="sk_test_x", STRIPE_WEBHOOK_SECRET="whsec_x")
    env.update(env_vars)
    return subprocess.run(  # a fresh process: settings are read once, at import
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def secret_key() -> str:
    return secrets.token_urlsafe(45)  # 60 characters


def test_production_settings_pass_deploy_checks():
    result = run_deploy_check(DJANGO_SECRET_KEY=secret_key(), DJANGO_ALLOWED_HOSTS="example.com")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_production_without_secret_key_fails_with_e001():
    result = run_deploy_check(DJANGO_ALLOWED_HOSTS="example.com")

    assert result.returncode != 0
    assert "lms.E001" in result.stdout + result.stderr


@pytest.mark.parametrize("key", ["short-key", "django-insecure-" + "x" * 60])
def test_production_refuses_weak_secret_key(key):
    result = run_deploy_check(DJANGO_SECRET_KEY=key, DJANGO_ALLOWED_HOSTS="example.com")

    assert result.returncode != 0
    assert "lms.E001" in result.stderr


def test_production_without_allowed_hosts_fails_with_e002():
    result = run_deploy_check(DJANGO_SECRET_KEY=secret_key())

    assert result.returncode != 0
    assert "lms.E002" in result.stderr


def test_production_refuses_debug():
    result = run_deploy_check(
        DJANGO_SECRET_KEY=secret_key(), DJANGO_ALLOWED_HOSTS="example.com", DJANGO_DEBUG="true"
    )

    assert result.returncode != 0
    assert "lms.E003" in result.stderr


def test_migrations_are_complete():
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=0)
    except SystemExit as exc:  # makemigrations --check exits 1 when a model change has no migration
        pytest.fail(f"makemigrations --check found model changes without a migration (exit {exc.code})")


@pytest.mark.parametrize(
    ("variable", "check_id"),
    [("STRIPE_SECRET_KEY", "payments.E001"), ("STRIPE_WEBHOOK_SECRET", "payments.E002")],
)
def test_production_refuses_missing_stripe_secrets(variable, check_id):
    result = run_deploy_check(
        DJANGO_SECRET_KEY=secret_key(), DJANGO_ALLOWED_HOSTS="example.com", **{variable: ""}
    )

    assert result.returncode != 0
    assert check_id in result.stderr
