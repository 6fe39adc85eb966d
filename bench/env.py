"""Where the benchmark's database and cache live, and the environment the server runs with.

The benchmark never touches the development database: PostgreSQL uses its own database
(`lms_bench`, created when missing) and SQLite a file under bench/results/.
"""

from __future__ import annotations

import os
import secrets
import socket
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
SQLITE_PATH = RESULTS_DIR / "bench.sqlite3"
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/lms_bench"
# A Redis database of its own, and a key prefix of its own, so clearing the benchmark's cache
# cannot touch anyone else's keys.
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"
CACHE_KEY_PREFIX = "lms-bench"
SETTINGS_MODULE = "bench.settings"


class BenchSetupError(RuntimeError):
    """The benchmark cannot run here (no database server, no wrk, ...); the message says why."""


@dataclass(frozen=True)
class BenchEnv:
    db: str  # postgres | sqlite
    database_url: str
    redis_url: str  # "" means Django's local-memory cache, one per worker process
    secret_key: str
    webhook_secret: str

    def variables(self) -> dict[str, str]:
        """The server's environment, read by config.settings.base exactly as in production."""
        return {
            "DJANGO_SETTINGS_MODULE": SETTINGS_MODULE,
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "CACHE_KEY_PREFIX": CACHE_KEY_PREFIX,
            "DJANGO_SECRET_KEY": self.secret_key,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_DEBUG": "False",
            # Never called: the webhook path does not talk to Stripe. Production checks want a key.
            "STRIPE_SECRET_KEY": "sk_test_bench_never_used",
            "STRIPE_WEBHOOK_SECRET": self.webhook_secret,
            # One token serves the whole run, however long it is.
            "JWT_ACCESS_MINUTES": "240",
            "LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "INFO"),
        }


def database_url(db: str) -> str:
    if db == "postgres":
        return os.environ.get("BENCH_DATABASE_URL", DEFAULT_POSTGRES_URL)
    if db == "sqlite":
        return f"sqlite:///{SQLITE_PATH}"
    raise BenchSetupError(f"Unknown database {db!r}: use postgres or sqlite.")


def redis_reachable(url: str, timeout: float = 0.5) -> bool:
    parts = urllib.parse.urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def cache_url(mode: str) -> str:
    """`auto`: Redis when one answers on 127.0.0.1, else local memory; `redis` insists; `locmem` never."""
    url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL)
    if mode == "locmem":
        return ""
    if redis_reachable(url):
        return url
    if mode == "redis":
        raise BenchSetupError(f"Redis does not answer at {url} (set BENCH_REDIS_URL or use --cache locmem).")
    return ""


def ensure_database(url: str) -> None:
    """Create the benchmark's PostgreSQL database when it is missing."""
    if url.startswith("sqlite"):
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        return
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urllib.parse.urlunsplit(parts._replace(path="/postgres", scheme="postgresql"))
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.OperationalError as exc:
        raise BenchSetupError(
            f"PostgreSQL is not reachable at {parts.hostname}:{parts.port or 5432} ({exc}).\n"
            "Start it, point BENCH_DATABASE_URL at one, or run with BENCH_DB=sqlite."
        ) from exc


def make_env(*, db: str, cache: str) -> BenchEnv:
    """A fresh random secret key and webhook secret per run: nothing here is a real credential."""
    return BenchEnv(
        db=db,
        database_url=database_url(db),
        redis_url=cache_url(cache),
        secret_key=secrets.token_urlsafe(64),
        webhook_secret=f"whsec_bench_{secrets.token_hex(24)}",
    )


def setup_django(env: BenchEnv) -> None:
    """Configure this process like the server (same settings and database), then django.setup()."""
    import django

    os.environ.update(env.variables())
    django.setup()
