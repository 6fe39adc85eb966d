"""`make run`: migrate and serve on 127.0.0.1:$PORT, with a local Stripe when no key is configured.

When STRIPE_SECRET_KEY is unset, localstripe (a stateful fake Stripe) is started on
127.0.0.1:$LOCALSTRIPE_PORT (8420), the app is pointed at it, and the app's webhook is
registered there, so the whole pay-and-enroll workflow runs offline. Its address is recorded in
`.localstripe-url` while it runs (lms/core/local_stripe.py), for commands run in another terminal.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for `lms`, as manage.py sees it

from lms.core import local_stripe  # noqa: E402

# localstripe on 127.0.0.1 only (its own command binds every interface).
LOCALSTRIPE = ROOT / "scripts" / "localstripe_loopback.py"
WEBHOOK_EVENTS = [
    "payment_intent.succeeded",
    "payment_intent.payment_failed",
    "payment_intent.canceled",
    "charge.refunded",
]


def wait_until_up(url: str, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=1)  # noqa: S310 (a loopback URL we built)
            return
        except urllib.error.HTTPError:
            return  # it answered, even if with an error status
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"localstripe did not start at {url}")


def register_webhook(base: str, app_port: str, secret: str) -> None:
    form = [("url", f"http://127.0.0.1:{app_port}/api/payments/webhook/"), ("secret", secret)]
    form += [("events[]", event) for event in WEBHOOK_EVENTS]
    request = urllib.request.Request(  # noqa: S310 (a loopback URL we built)
        f"{base}/_config/webhooks/lms", data=urllib.parse.urlencode(form).encode(), method="POST"
    )
    urllib.request.urlopen(request, timeout=5)  # noqa: S310


def main() -> int:
    # A `kill` stops the children and forgets the record as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    port = env.get("PORT", "8000")
    children: list[subprocess.Popen[bytes]] = []
    base = ""
    try:
        if not env.get("STRIPE_SECRET_KEY"):
            # config/settings/local.py points the app at this same address and secret.
            ls_port = env.setdefault("LOCALSTRIPE_PORT", str(local_stripe.DEFAULT_PORT))
            base = local_stripe.url_for(ls_port)
            secret = env.get("STRIPE_WEBHOOK_SECRET") or "whsec_localstripe_development"
            print(f"STRIPE_SECRET_KEY is unset: starting localstripe on {base}", flush=True)
            children.append(subprocess.Popen([sys.executable, str(LOCALSTRIPE), "--port", ls_port], cwd=ROOT))
            wait_until_up(f"{base}/v1/balance")
            register_webhook(base, port, secret)
            local_stripe.record(base)
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "--noinput"], cwd=ROOT, env=env, check=True)
        server = subprocess.Popen([*manage, "runserver", f"127.0.0.1:{port}"], cwd=ROOT, env=env)
        children.append(server)
        return server.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        if base:
            local_stripe.forget(base)
        for child in reversed(children):
            child.terminate()
        for child in children:
            try:
                child.wait(timeout=5)
            except subprocess.TimeoutExpired:
                child.kill()


if __name__ == "__main__":
    sys.exit(main())
