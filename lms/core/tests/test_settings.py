"""Project-wide guarantees: production settings refuse to load without what they require and pass
Django's deploy checks, migrations are complete, and settings read from the environment.

Settings are read once, at import. Rather than a new Python process per case, `load_settings`
executes the settings modules afresh (base included) under a given environment, and `running_with`
makes their values Django's settings for a moment, so that `manage.py check --deploy` and requests
run in this process. A few smoke tests still start processes, as a real start does: the deploy
checks, importing config.wsgi and config.asgi, and gunicorn without a secret key.
"""

import importlib
import os
import secrets
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import global_settings, settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client, override_settings

from lms.core.checks import production_shared_cache_check
from lms.payments import gateway

pytestmark = pytest.mark.django_db

SETTINGS_PACKAGE = "config.settings"
# Variables that would change what the settings under test read; every case sets its own.
CLEARED_PREFIXES = ("DJANGO_", "THROTTLE_", "CORS_", "LOG_", "DB_", "CONN_", "STRIPE_", "REDIS_")
# Kept from the test settings while another module's values are in force: the test database
# (connections are open on it) and this test's cache namespace.
KEPT = {"DATABASES", "CACHES", "SETTINGS_MODULE"}


def load_settings(name: str, **env_vars: str) -> SimpleNamespace:
    """The settings that `config.settings.<name>` defines when imported under this environment.

    The settings modules are executed again (`from .base import *` too, else base would keep the
    values it read at the first import), then the modules imported before are put back.
    """
    package = importlib.import_module(SETTINGS_PACKAGE)
    prefix = f"{SETTINGS_PACKAGE}."
    saved_modules = {key: module for key, module in sys.modules.items() if key.startswith(prefix)}
    saved_attributes = dict(vars(package))
    try:
        with pytest.MonkeyPatch.context() as patch:
            for key in list(os.environ):
                if key.startswith(CLEARED_PREFIXES):
                    patch.delenv(key)
            for key, value in env_vars.items():
                patch.setenv(key, value)
            for key in saved_modules:
                del sys.modules[key]
            module = importlib.import_module(prefix + name)
        return SimpleNamespace(**{key: getattr(module, key) for key in dir(module) if key.isupper()})
    finally:
        for key in [key for key in sys.modules if key.startswith(prefix)]:
            del sys.modules[key]
        sys.modules.update(saved_modules)
        for key in set(vars(package)) - saved_attributes.keys():  # modules imported just now
            delattr(package, key)
        vars(package).update(saved_attributes)


@contextmanager
def running_with(loaded: SimpleNamespace) -> Iterator[None]:
    """Django's settings are `loaded` (but for KEPT) until the block ends: what they do not define
    is Django's default, or absent."""
    values = {key: value for key, value in vars(loaded).items() if key not in KEPT}
    current = {key for key in dir(settings) if key.isupper()} - KEPT
    defaults = {
        key: getattr(global_settings, key) for key in current - values.keys() if hasattr(global_settings, key)
    }
    test_only = current - values.keys() - defaults.keys()
    wanted = {**defaults, **values}
    # Only what differs is overridden: each override is a setting_changed signal (and some warn).
    changed = {
        key: value for key, value in wanted.items() if key not in current or getattr(settings, key) != value
    }
    with override_settings(**changed):
        for key in test_only:
            delattr(settings, key)
        yield


def secret_key() -> str:
    return secrets.token_urlsafe(45)  # 60 characters


# Production settings with a shared cache (its address is only read here; the test cache is KEPT).
PRODUCTION_BASICS = {
    "STRIPE_SECRET_KEY": "sk_test_x",
    "STRIPE_WEBHOOK_SECRET": "whsec_x",
    "STRIPE_PUBLISHABLE_KEY": "pk_test_x",
    "REDIS_URL": "redis://127.0.0.1:6379/1",
}


def production(**env_vars: str) -> SimpleNamespace:
    """config.settings.production with the Stripe secrets and Redis set, unless a case overrides them."""
    return load_settings("production", **{**PRODUCTION_BASICS, **env_vars})


def deploy_check(loaded: SimpleNamespace) -> str:
    """`manage.py check --deploy --fail-level WARNING` under `loaded`: its output, or SystemCheckError."""
    out = StringIO()
    with running_with(loaded):
        call_command("check", deploy=True, fail_level="WARNING", stdout=out, stderr=out)
    return out.getvalue()


def deploy_check_errors(loaded: SimpleNamespace) -> str:
    """The report of a deploy check that must fail (as `check` exits non-zero and writes to stderr)."""
    with pytest.raises(SystemCheckError) as failure:
        deploy_check(loaded)
    return str(failure.value)


# --- Production system checks -----------------------------------------------------------------


def test_production_settings_pass_deploy_checks_in_a_fresh_process():
    """The smoke test: a real start imports the production settings and passes the deploy checks."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(CLEARED_PREFIXES)}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secret_key(),
        DJANGO_ALLOWED_HOSTS="example.com",
        **PRODUCTION_BASICS,
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_production_settings_pass_deploy_checks():
    output = deploy_check(production(DJANGO_SECRET_KEY=secret_key(), DJANGO_ALLOWED_HOSTS="example.com"))

    assert "System check identified no issues" in output
    assert "WARNING" not in output


def test_production_without_a_shared_cache_warns_loudly_with_w001():
    loaded = production(DJANGO_SECRET_KEY=secret_key(), DJANGO_ALLOWED_HOSTS="example.com", REDIS_URL="")

    report = deploy_check_errors(loaded)

    assert "lms.W001" in report
    assert "rate limits and cached pages are kept per worker process" in report


def test_development_without_a_shared_cache_does_not_warn():
    with running_with(load_settings("local")):
        assert production_shared_cache_check() == []


# --- What production requires: refused when the settings load, before anything serves ----------
# gunicorn and uvicorn never run the system checks, so the production settings themselves refuse to
# load (ImproperlyConfigured) without what they require.

REQUIRED = (
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "STRIPE_SECRET_KEY",
    "STRIPE_WEBHOOK_SECRET",
    "STRIPE_PUBLISHABLE_KEY",
)


def required_env() -> dict[str, str]:
    """Every required variable, with values easy to find in an output that must not show them."""
    return {
        "DJANGO_SECRET_KEY": secret_key(),
        "DJANGO_ALLOWED_HOSTS": "example.com",
        "STRIPE_SECRET_KEY": f"sk_test_{secrets.token_hex(12)}",
        "STRIPE_WEBHOOK_SECRET": f"whsec_{secrets.token_hex(12)}",
        "STRIPE_PUBLISHABLE_KEY": f"pk_test_{secrets.token_hex(12)}",
        "REDIS_URL": PRODUCTION_BASICS["REDIS_URL"],
    }


def refusal(**env_vars: str) -> str:
    """The message of the ImproperlyConfigured that loading the production settings raises."""
    with pytest.raises(ImproperlyConfigured) as refused:
        load_settings("production", **env_vars)
    return str(refused.value)


def test_production_loads_with_everything_it_requires():
    env = required_env()

    loaded = load_settings("production", **env)

    assert loaded.SECRET_KEY == env["DJANGO_SECRET_KEY"]
    assert loaded.STRIPE_WEBHOOK_SECRET == env["STRIPE_WEBHOOK_SECRET"]


@pytest.mark.parametrize("variable", REQUIRED)
def test_production_refuses_to_load_without_a_required_variable(variable):
    env = required_env()

    message = refusal(**{**env, variable: ""})

    assert f"{variable} is not set" in message
    assert [name for name in REQUIRED if f"{name} is not set" in message] == [variable]
    for name in ("DJANGO_SECRET_KEY", "STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"):
        assert env[name] not in message  # names, never values


def test_production_names_every_missing_variable_at_once():
    message = refusal()

    assert message.startswith("config.settings.production refuses to load: ")
    for name in REQUIRED:
        assert f"{name} is not set" in message


@pytest.mark.parametrize("key", ["short-secret-key-value", "django-insecure-" + "x" * 60])
def test_production_refuses_a_weak_secret_key_without_showing_it(key):
    message = refusal(**{**required_env(), "DJANGO_SECRET_KEY": key})

    assert "DJANGO_SECRET_KEY is too weak" in message
    assert key not in message


def test_production_refuses_debug():
    assert "DJANGO_DEBUG is on" in refusal(**required_env(), DJANGO_DEBUG="true")


def start(*command: str, **env_vars: str) -> subprocess.CompletedProcess:
    """`command` in the repository as a real start would run it: none of this process's Django, Stripe
    or cache variables (so no DJANGO_SETTINGS_MODULE: the entry point's default), then `env_vars`."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(CLEARED_PREFIXES)}
    env.update(env_vars)
    return subprocess.run(
        command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize("module", ["config.wsgi", "config.asgi"])
def test_the_application_refuses_to_load_without_the_secret_key(module):
    env = required_env()
    del env["DJANGO_SECRET_KEY"]

    result = start(sys.executable, "-c", f"import {module}", **env)

    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "ImproperlyConfigured: config.settings.production refuses to load" in output
    assert "DJANGO_SECRET_KEY is not set" in output
    assert env["STRIPE_SECRET_KEY"] not in output
    assert env["STRIPE_WEBHOOK_SECRET"] not in output


@pytest.mark.parametrize("module", ["config.wsgi", "config.asgi"])
def test_the_application_loads_with_production_settings_by_default(module):
    result = start(
        sys.executable,
        "-c",
        f"import {module}; from django.conf import settings; print(settings.SETTINGS_MODULE)",
        **required_env(),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "config.settings.production"


def test_gunicorn_without_the_secret_key_exits_instead_of_serving():
    """The reported case: each worker made up a key of its own and served requests with it."""
    env = required_env()
    del env["DJANGO_SECRET_KEY"]
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))

    result = start(gunicorn, "config.wsgi", "--bind", "127.0.0.1:0", "--workers", "2", **env)

    assert result.returncode != 0  # 3: "Worker failed to boot"
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


# The same rules stay Django system checks, for a settings module that imports the production one
# and then changes a value: `check --deploy` (and every management command) still refuses it.
@pytest.mark.parametrize(
    ("setting", "value", "check_id"),
    [
        ("SECRET_KEY", "short-key", "lms.E001"),
        ("SECRET_KEY", "django-insecure-" + "x" * 60, "lms.E001"),
        ("ALLOWED_HOSTS", [], "lms.E002"),
        ("DEBUG", True, "lms.E003"),
        ("STRIPE_SECRET_KEY", "", "payments.E001"),
        ("STRIPE_WEBHOOK_SECRET", "", "payments.E002"),
    ],
)
def test_system_checks_refuse_a_derived_module_that_drops_a_requirement(setting, value, check_id):
    loaded = production(DJANGO_SECRET_KEY=secret_key(), DJANGO_ALLOWED_HOSTS="example.com")
    setattr(loaded, setting, value)

    assert check_id in deploy_check_errors(loaded)


def test_migrations_are_complete():
    try:
        call_command("makemigrations", "--check", "--dry-run", verbosity=0)
    except SystemExit as exc:  # makemigrations --check exits 1 when a model change has no migration
        pytest.fail(f"makemigrations --check found model changes without a migration (exit {exc.code})")


def test_checks_run_on_the_settings_in_force_and_then_the_test_settings_return():
    """The in-process checks above are only worth as much as `running_with`: it must change what
    the checks see, and undo it."""
    before = (settings.SECRET_KEY, settings.DEBUG, settings.PASSWORD_HASHERS)
    key = secret_key()

    with running_with(production(DJANGO_SECRET_KEY=key, DJANGO_ALLOWED_HOSTS="example.com")):
        assert settings.LMS_REQUIRE_PRODUCTION_SECRETS is True
        assert settings.SECRET_KEY == key
        assert settings.PASSWORD_HASHERS == global_settings.PASSWORD_HASHERS  # not the test suite's
        assert not hasattr(settings, "STRIPE_MAX_NETWORK_RETRIES")  # set by the test settings only

    assert (settings.SECRET_KEY, settings.DEBUG, settings.PASSWORD_HASHERS) == before
    assert not getattr(settings, "LMS_REQUIRE_PRODUCTION_SECRETS", False)
    assert settings.STRIPE_MAX_NETWORK_RETRIES == 0


# --- Settings read from the environment --------------------------------------------------------


def rates(loaded: SimpleNamespace) -> dict[str, Any]:
    return loaded.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]


def test_throttle_rates_default_to_the_documented_values():
    assert rates(load_settings("local")) == {
        "anon": "120/minute",
        "user": "600/minute",
        "login_ip": "10/minute",
        "login_account": "10/minute",
        "login_account_total": "100/hour",
        "register_ip": "10/minute",
        "register_account": "10/minute",
        "payments": "10/minute",
        "reviews": "10/minute",
        "certificate_verify": "30/minute",
    }


def test_throttle_rates_come_from_the_environment():
    loaded = load_settings(
        "local",
        THROTTLE_ANON_RATE="1/second",
        THROTTLE_USER_RATE="2/second",
        THROTTLE_LOGIN_IP_RATE="3/hour",
        THROTTLE_LOGIN_ACCOUNT_RATE="4/hour",
        THROTTLE_LOGIN_ACCOUNT_TOTAL_RATE="7/day",
        THROTTLE_REGISTER_IP_RATE="5/day",
        THROTTLE_REGISTER_ACCOUNT_RATE="6/day",
        THROTTLE_PAYMENTS_RATE="",
        THROTTLE_REVIEWS_RATE="9/hour",
        THROTTLE_CERTIFICATE_VERIFY_RATE="8/hour",
    )

    assert rates(loaded) == {
        "anon": "1/second",
        "user": "2/second",
        "login_ip": "3/hour",
        "login_account": "4/hour",
        "login_account_total": "7/day",
        "register_ip": "5/day",
        "register_account": "6/day",
        "payments": None,  # empty: switched off
        "reviews": "9/hour",
        "certificate_verify": "8/hour",
    }


def test_forwarded_headers_are_trusted_only_with_a_proxy_in_front():
    production_env = {"DJANGO_SECRET_KEY": secret_key(), "DJANGO_ALLOWED_HOSTS": "example.com"}

    assert load_settings("local").REST_FRAMEWORK["NUM_PROXIES"] == 0
    direct = production(**production_env)
    assert direct.REST_FRAMEWORK["NUM_PROXIES"] == 0
    assert getattr(direct, "SECURE_PROXY_SSL_HEADER", None) is None
    proxied = production(**production_env, THROTTLE_NUM_PROXIES="1")
    assert proxied.REST_FRAMEWORK["NUM_PROXIES"] == 1
    assert proxied.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")


def test_cors_origins_come_from_the_environment_and_default_to_none():
    assert load_settings("local").CORS_ALLOWED_ORIGINS == []
    assert load_settings(
        "local", CORS_ALLOWED_ORIGINS="https://a.example.com,https://b.example.com"
    ).CORS_ALLOWED_ORIGINS == ["https://a.example.com", "https://b.example.com"]


POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/lms_settings_never_connected"


def database_options(**env_vars: str) -> dict[str, Any]:
    return load_settings("local", **env_vars).DATABASES["default"].get("OPTIONS", {})


def test_postgresql_prepares_statements_only_when_switched_on():
    # Django's default: client-side binding and no prepared statements.
    assert database_options(DATABASE_URL=POSTGRES_URL) == {}
    on = database_options(DATABASE_URL=POSTGRES_URL, DB_PREPARED_STATEMENTS="true")
    assert on == {"server_side_binding": True, "prepare_threshold": 5}


def test_other_databases_have_no_prepared_statement_options():
    options = database_options(DATABASE_URL="sqlite:///unused.sqlite3", DB_PREPARED_STATEMENTS="true")
    assert "server_side_binding" not in options
    assert "prepare_threshold" not in options


SQLITE_URL = "sqlite:///unused.sqlite3"


def database(name: str, **env_vars: str) -> dict[str, Any]:
    """DATABASES["default"] of config.settings.<name> (production with what it requires)."""
    if name == "production":
        env_vars = {"DJANGO_SECRET_KEY": secret_key(), "DJANGO_ALLOWED_HOSTS": "example.com", **env_vars}
        return production(**env_vars).DATABASES["default"]
    return load_settings(name, **env_vars).DATABASES["default"]


@pytest.mark.parametrize("name", ["local", "test", "production"])
def test_sqlite_writers_wait_for_the_lock_and_reads_go_on_alongside(name):
    options = database(name, DATABASE_URL=SQLITE_URL)["OPTIONS"]

    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] == 20
    assert options["init_command"] == "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"


def test_sqlite_options_in_the_database_url_win():
    url = f"{SQLITE_URL}?timeout=5&transaction_mode=EXCLUSIVE"
    options = database("local", DATABASE_URL=url)["OPTIONS"]

    assert (options["timeout"], options["transaction_mode"]) == (5, "EXCLUSIVE")


def test_sqlite_tests_run_on_a_file_that_threads_can_share():
    test_database = database("test", DATABASE_URL=SQLITE_URL)["TEST"]["NAME"]

    assert os.path.isabs(test_database)
    assert test_database.endswith(".sqlite3")  # not ":memory:", whose connections cannot wait
    assert not database("test", DATABASE_URL=POSTGRES_URL).get("TEST", {}).get("NAME")


def test_connections_persist_under_gunicorn_only():
    # The development server serves each request in a new thread; a kept connection would outlive it.
    assert database("local")["CONN_MAX_AGE"] == 0
    assert database("test")["CONN_MAX_AGE"] == 0
    assert database("production")["CONN_MAX_AGE"] == 60
    assert database("local", CONN_MAX_AGE="30")["CONN_MAX_AGE"] == 30
    assert database("production", CONN_MAX_AGE="0")["CONN_MAX_AGE"] == 0


def test_log_format_is_json_by_default_and_plain_locally():
    def formatter(loaded: SimpleNamespace) -> str:
        return loaded.LOGGING["handlers"]["console"]["formatter"]

    assert formatter(load_settings("test")) == "json"
    assert formatter(load_settings("local")) == "plain"
    assert formatter(load_settings("local", LOG_FORMAT="json")) == "json"


def test_loading_settings_leaves_the_imported_modules_and_the_environment_alone():
    base = sys.modules["config.settings.base"]
    environment = dict(os.environ)

    load_settings("local", THROTTLE_ANON_RATE="1/second", DATABASE_URL=POSTGRES_URL)

    assert sys.modules["config.settings.base"] is base
    assert importlib.import_module("config.settings").base is base
    assert dict(os.environ) == environment
    assert rates(base)["anon"] != "1/second"


# --- Production responses ------------------------------------------------------------------------


def production_get(path: str = "/api/users/me/", *, secure: bool):
    """A request through the whole middleware stack under the production settings."""
    loaded = production(DJANGO_SECRET_KEY=secret_key(), DJANGO_ALLOWED_HOSTS="testserver")
    with tempfile.TemporaryDirectory() as static_root:  # collected files are test_static.py's
        loaded.STATIC_ROOT = static_root
        with running_with(loaded):
            return Client().get(path, secure=secure)


def test_production_responses_carry_the_security_headers():
    headers = production_get(secure=True).headers

    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-frame-options"] == "DENY"
    assert headers["cross-origin-opener-policy"] == "same-origin"


def test_production_redirects_plain_http_to_https():
    response = production_get(secure=False)

    assert response.status_code == 301
    assert response.headers["location"] == "https://testserver/api/users/me/"


def test_production_health_answers_plain_http_for_load_balancers():
    response = production_get("/api/health/", secure=False)

    assert response.status_code == 200
    assert "location" not in response.headers


# --- The test settings ----------------------------------------------------------------------------


class AlwaysRetry(BaseHTTPRequestHandler):
    """A Stripe that answers every request with a conflict it asks the client to retry."""

    requests = 0

    def do_GET(self) -> None:
        type(self).requests += 1
        body = b'{"error": {"type": "api_error", "message": "try again"}}'
        self.send_response(409)
        self.send_header("Stripe-Should-Retry", "true")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_the_suite_never_retries_stripe(settings):
    """Production retries a failed request twice, with backoff sleeps; every test would wait them out."""
    assert settings.STRIPE_MAX_NETWORK_RETRIES == 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), AlwaysRetry)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    settings.STRIPE_SECRET_KEY = "sk_test_retries"
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        assert gateway._client()._requestor._options.max_network_retries == 0
        with pytest.raises(gateway.GatewayError):
            gateway.retrieve_payment_intent("pi_retried")
        assert AlwaysRetry.requests == 1
    finally:
        server.shutdown()
        server.server_close()


def test_stripe_retries_twice_outside_the_test_settings(settings):
    del settings.STRIPE_MAX_NETWORK_RETRIES
    settings.STRIPE_SECRET_KEY = "sk_test_retries"

    assert gateway._client()._requestor._options.max_network_retries == 2


def test_the_certificate_page_size_is_a4_or_letter():
    assert load_settings("local").LMS_CERTIFICATE_PAGE_SIZE == "a4"
    assert load_settings("local", LMS_CERTIFICATE_PAGE_SIZE="Letter").LMS_CERTIFICATE_PAGE_SIZE == "letter"
    with pytest.raises(ImproperlyConfigured, match="LMS_CERTIFICATE_PAGE_SIZE"):
        load_settings("local", LMS_CERTIFICATE_PAGE_SIZE="A5")
