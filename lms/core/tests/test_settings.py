"""Project-wide guarantees: production settings pass Django's deploy checks, migrations are complete."""

import json
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


# --- Settings read from the environment --------------------------------------------------------


def run_django(module: str, code: str, **env_vars: str):
    """Run `code` after django.setup() in a fresh process; return the JSON it prints last."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "THROTTLE_", "CORS_", "LOG_"))
    }
    env.update(DJANGO_SETTINGS_MODULE=module, **env_vars)
    result = subprocess.run(
        [sys.executable, "-c", f"import django, json\ndjango.setup()\n{code}"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def read_settings(module: str, expression: str, **env_vars: str):
    """The value of `expression` (over `settings`) under the given settings module and environment."""
    code = f"from django.conf import settings\nprint(json.dumps({expression}))"
    return run_django(module, code, **env_vars)


RATES = 'settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]'


def test_throttle_rates_default_to_the_documented_values():
    assert read_settings("config.settings.local", RATES) == {
        "anon": "120/minute",
        "user": "600/minute",
        "login_ip": "10/minute",
        "login_account": "10/minute",
        "login_account_total": "100/hour",
        "register_ip": "10/minute",
        "register_account": "10/minute",
        "payments": "10/minute",
    }


def test_throttle_rates_come_from_the_environment():
    rates = read_settings(
        "config.settings.local",
        RATES,
        THROTTLE_ANON_RATE="1/second",
        THROTTLE_USER_RATE="2/second",
        THROTTLE_LOGIN_IP_RATE="3/hour",
        THROTTLE_LOGIN_ACCOUNT_RATE="4/hour",
        THROTTLE_LOGIN_ACCOUNT_TOTAL_RATE="7/day",
        THROTTLE_REGISTER_IP_RATE="5/day",
        THROTTLE_REGISTER_ACCOUNT_RATE="6/day",
        THROTTLE_PAYMENTS_RATE="",
    )

    assert rates == {
        "anon": "1/second",
        "user": "2/second",
        "login_ip": "3/hour",
        "login_account": "4/hour",
        "login_account_total": "7/day",
        "register_ip": "5/day",
        "register_account": "6/day",
        "payments": None,  # empty: switched off
    }


def test_proxy_count_is_zero_locally_and_one_in_production():
    expression = 'settings.REST_FRAMEWORK["NUM_PROXIES"]'
    production = {"DJANGO_SECRET_KEY": secret_key(), "DJANGO_ALLOWED_HOSTS": "example.com"}
    production_without_proxy = {**production, "THROTTLE_NUM_PROXIES": "0"}

    assert read_settings("config.settings.local", expression) == 0
    assert read_settings("config.settings.production", expression, **production) == 1
    assert read_settings("config.settings.production", expression, **production_without_proxy) == 0


def test_cors_origins_come_from_the_environment_and_default_to_none():
    expression = "settings.CORS_ALLOWED_ORIGINS"

    assert read_settings("config.settings.local", expression) == []
    assert read_settings(
        "config.settings.local",
        expression,
        CORS_ALLOWED_ORIGINS="https://a.example.com,https://b.example.com",
    ) == ["https://a.example.com", "https://b.example.com"]


DB_OPTIONS = 'settings.DATABASES["default"].get("OPTIONS", {})'
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/lms_settings_never_connected"


def test_postgresql_prepares_statements_only_when_switched_on():
    # Django's default is client-side binding and no prepared statements.
    assert read_settings("config.settings.local", DB_OPTIONS, DATABASE_URL=POSTGRES_URL) == {}
    on = read_settings(
        "config.settings.local", DB_OPTIONS, DATABASE_URL=POSTGRES_URL, DB_PREPARED_STATEMENTS="true"
    )
    assert on == {"server_side_binding": True, "prepare_threshold": 5}


def test_other_databases_have_no_prepared_statement_options():
    options = read_settings("config.settings.local", DB_OPTIONS, DATABASE_URL="sqlite:///unused.sqlite3")
    assert "server_side_binding" not in options
    assert "prepare_threshold" not in options


def test_log_format_is_json_by_default_and_plain_locally():
    expression = 'settings.LOGGING["handlers"]["console"]["formatter"]'

    assert read_settings("config.settings.test", expression) == "json"
    assert read_settings("config.settings.local", expression) == "plain"
    assert read_settings("config.settings.local", expression, LOG_FORMAT="json") == "json"


PRODUCTION_GET = """
from django.test import Client
r = Client().get("{path}", secure={secure})
print(json.dumps({{"status": r.status_code, "headers": {{k.lower(): v for k, v in r.headers.items()}}}}))
"""


def production_get(path: str = "/api/users/me/", *, secure: bool) -> dict:
    return run_django(
        "config.settings.production",
        PRODUCTION_GET.format(path=path, secure=secure),
        DJANGO_SECRET_KEY=secret_key(),
        DJANGO_ALLOWED_HOSTS="testserver",
        DATABASE_URL="sqlite:///:memory:",  # the health check must not touch a real database
    )


def test_production_responses_carry_the_security_headers():
    headers = production_get(secure=True)["headers"]

    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-frame-options"] == "DENY"
    assert headers["cross-origin-opener-policy"] == "same-origin"


def test_production_redirects_plain_http_to_https():
    response = production_get(secure=False)

    assert response["status"] == 301
    assert response["headers"]["location"] == "https://testserver/api/users/me/"


def test_production_health_answers_plain_http_for_load_balancers():
    response = production_get("/api/health/", secure=False)

    assert response["status"] == 200
    assert "location" not in response["headers"]
