"""The end-to-end suite's server (frontend/playwright.config.ts starts it): `make run`'s stack on
free ports with a fresh SQLite database.

    python scripts/e2e_server.py PORT

Runs scripts/run_local.py (localstripe, migrate, runserver with the local settings, which serve
the built app) with localstripe on a free port and a new database in a temporary directory,
removed on exit. Rate limits are raised: the suite registers and logs in many times from one
address.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run_local  # the sibling script, made importable above


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# The suite's admin account (frontend/e2e/fixtures.ts has the same): admins cannot register.
ADMIN = {"username": "e2e-admin", "email": "admin@e2e.example.com", "password": "e2e-Long-Passphrase-1"}


def create_admin() -> None:
    """Migrate the new database and add the admin account (run_local's migrate is then a no-op)."""
    manage = [sys.executable, str(run_local.ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], check=True)
    env = {**os.environ, **{f"DJANGO_SUPERUSER_{key.upper()}": value for key, value in ADMIN.items()}}
    subprocess.run([*manage, "createsuperuser", "--noinput"], env=env, check=True, stdout=subprocess.DEVNULL)


def main() -> int:
    if len(sys.argv) != 2:
        raise SystemExit("usage: e2e_server.py PORT")
    # Playwright stops the server with SIGTERM: end the children too (run_local's finally).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with tempfile.TemporaryDirectory(prefix="lms-e2e-") as tmp:
        os.environ.update(
            {
                "PORT": sys.argv[1],
                # playwright.config.ts chooses it, so the tests can reach localstripe too.
                "LOCALSTRIPE_PORT": os.environ.get("LMS_E2E_LOCALSTRIPE_PORT") or str(free_port()),
                "DATABASE_URL": f"sqlite:///{Path(tmp) / 'e2e.sqlite3'}",
                "LMS_MEDIA_ROOT": str(Path(tmp) / "media"),
                "DJANGO_SETTINGS_MODULE": "config.settings.local",
                "REDIS_URL": "",
            }
        )
        for scope in ("ANON", "USER", "LOGIN_IP", "LOGIN_ACCOUNT", "REGISTER_IP", "REGISTER_ACCOUNT"):
            os.environ[f"THROTTLE_{scope}_RATE"] = "10000/minute"
        os.environ.pop("STRIPE_SECRET_KEY", None)  # always the local Stripe
        # The suite serves its own Stripe.js for https://js.stripe.com, as the production page loads it.
        os.environ["LMS_LOCAL_CHECKOUT"] = "false"
        create_admin()
        return run_local.main()


if __name__ == "__main__":
    sys.exit(main())
