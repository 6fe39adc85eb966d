"""A real local Stripe (localstripe) for the whole session, and a server that receives its webhooks.

localstripe 1.15.10 keeps its objects in memory and also pickles them, after every write, to the
fixed path /tmp/localstripe.pickle, shared by every instance on the machine. The launcher
(scripts/localstripe_loopback.py, as `--from-scratch`) never loads that file, so parallel runs never
see each other's objects; but when the file belongs to another user, every write request answers
500. `localstripe` fails fast then.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from lms.courses.models import Course
from lms.payments import gateway
from lms.payments.models import Payment
from lms.payments.services import payment_create, payment_sync
from lms.users.models import User

STATE_FILE = Path("/tmp/localstripe.pickle")
# The launcher `make run` uses too: localstripe on 127.0.0.1, not on every interface.
LAUNCHER = Path(__file__).resolve().parents[3] / "scripts" / "localstripe_loopback.py"
LOOPBACK = "127.0.0.1"
SECRET_KEY = "sk_test_localstripe"
WEBHOOK_SECRET = "whsec_localstripe_test"
STARTUP_SECONDS = 15.0


def _free_port() -> int:
    # scripts/localstripe_loopback.py listens on 127.0.0.1 only, so ask for a port free there.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


@dataclass
class LocalStripe:
    url: str
    secret_key: str = SECRET_KEY
    webhook_secret: str = WEBHOOK_SECRET
    _webhooks: set[str] = field(default_factory=set)

    def _config(self, method: str, path: str, body: dict | None = None) -> None:
        request = urllib.request.Request(
            self.url + path,
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 200, response.status

    def register_webhook(
        self, url: str, *, name: str = "lms", events: list[str] | None = None, secret: str | None = None
    ) -> None:
        """Send events (all types when `events` is None) to `url`, signed with `secret`.

        Registering a name again replaces it. Webhooks live in memory only, outside the data reset.
        """
        body: dict = {"url": url, "secret": secret or self.webhook_secret}
        if events is not None:
            body["events"] = events
        self._config("POST", f"/_config/webhooks/{name}", body)
        self._webhooks.add(name)

    def _get(self, path: str) -> dict:
        request = urllib.request.Request(
            self.url + path, headers={"Authorization": f"Bearer {self.secret_key}"}
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.loads(response.read())

    def payment_intents(self) -> list[dict]:
        """Every intent localstripe holds (since the last reset), read behind the gateway's back."""
        return self._get("/v1/payment_intents?limit=1000")["data"]

    def refunds(self, intent_id: str) -> list[dict]:
        return self._get(f"/v1/refunds?payment_intent={intent_id}&limit=100")["data"]

    def reset(self) -> None:
        """Forget every object, and silence the webhooks registered so far (localstripe can't delete one)."""
        self._config("DELETE", "/_config/data")
        for name in self._webhooks:
            self._config(
                "POST",
                f"/_config/webhooks/{name}",
                {"url": "http://127.0.0.1:9/", "secret": "x", "events": []},
            )
        self._webhooks.clear()


def _answers(url: str) -> bool:
    request = urllib.request.Request(
        f"{url}/v1/events?limit=1", headers={"Authorization": f"Bearer {SECRET_KEY}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=1) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def _start(log_path: Path) -> tuple[subprocess.Popen, str]:
    for _ in range(3):  # another process may take the port between choosing and binding it
        port = _free_port()
        url = f"http://{LOOPBACK}:{port}"
        with log_path.open("ab") as log:
            process = subprocess.Popen(
                [sys.executable, str(LAUNCHER), "--port", str(port)],
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=log_path.parent,
            )
        deadline = time.monotonic() + STARTUP_SECONDS
        while process.poll() is None and time.monotonic() < deadline:
            if _answers(url):
                return process, url
            time.sleep(0.1)
        if process.poll() is None:
            process.kill()
            process.wait()
            break
    pytest.fail(f"localstripe did not start; see {log_path}:\n{log_path.read_text()[-2000:]}")


@pytest.fixture(scope="session")
def localstripe(tmp_path_factory):
    """A localstripe server on a free port of 127.0.0.1 for the whole session."""
    if STATE_FILE.exists() and not os.access(STATE_FILE, os.W_OK):
        pytest.fail(f"{STATE_FILE} belongs to another user; localstripe would answer 500 to every write.")
    process, url = _start(tmp_path_factory.mktemp("localstripe") / "localstripe.log")
    try:
        yield LocalStripe(url=url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def localstripe_settings(settings, localstripe):
    """Point the gateway at the session's localstripe, with its data reset and no webhooks."""
    localstripe.reset()
    settings.STRIPE_API_BASE = localstripe.url
    settings.STRIPE_SECRET_KEY = localstripe.secret_key
    settings.STRIPE_WEBHOOK_SECRET = localstripe.webhook_secret
    return localstripe


def succeeded_payment(*, student: User, course: Course) -> Payment:
    """A payment paid at localstripe and applied: the student is enrolled. Needs localstripe_settings."""
    payment = payment_create(student=student, course=course).payment
    gateway.confirm_test_payment(payment.stripe_payment_intent)
    payment_sync(payment=payment)
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    return payment


@dataclass
class Delivery:
    headers: dict[str, str]
    body: bytes

    @property
    def event(self) -> dict:
        return json.loads(self.body)


class WebhookReceiver:
    """An HTTP server that records every POST and answers 200, as a webhook endpoint would."""

    def __init__(self) -> None:
        self.deliveries: list[Delivery] = []
        self._arrived = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver._arrived:
                    receiver.deliveries.append(Delivery(dict(self.headers), body))
                    receiver._arrived.notify_all()
                self.send_response(200)
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/webhook/"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    def wait_for(self, event_type: str, object_id: str, timeout: float = 10.0) -> Delivery:
        """The first delivery of `event_type` about `object_id`; other tests' late events are ignored."""

        def find() -> Delivery | None:
            for delivery in self.deliveries:
                event = delivery.event
                if event["type"] == event_type and event["data"]["object"]["id"] == object_id:
                    return delivery
            return None

        with self._arrived:
            delivery = self._arrived.wait_for(find, timeout=timeout)
            if delivery is None:
                seen = [d.event["type"] for d in self.deliveries]
                raise AssertionError(f"no {event_type} for {object_id} within {timeout}s; got {seen}")
            return delivery

    def received(self) -> list[Delivery]:
        """The deliveries so far, in the order they arrived."""
        with self._arrived:
            return list(self.deliveries)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def forward(delivery: Delivery, url: str) -> tuple[int, dict]:
    """POST a recorded delivery's exact bytes and signature to `url`: its status and JSON answer."""
    request = urllib.request.Request(
        url,
        method="POST",
        data=delivery.body,
        headers={
            "Content-Type": delivery.headers.get("Content-Type", "application/json"),
            "Stripe-Signature": delivery.headers.get("Stripe-Signature", ""),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


@pytest.fixture
def webhook_receiver():
    receiver = WebhookReceiver()
    yield receiver
    receiver.close()


@dataclass
class StripeRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@contextmanager
def fake_stripe(
    settings, answer: Callable[[StripeRequest], dict | tuple[int, dict]]
) -> Iterator[list[StripeRequest]]:
    """A stand-in Stripe on a free port, for what localstripe cannot show (headers, a `processing`
    intent, real Stripe's error bodies): `answer` gives the JSON reply to each request, or its
    (status, JSON), and every request is recorded."""
    requests: list[StripeRequest] = []

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            request = StripeRequest(self.command, self.path, dict(self.headers), body)
            requests.append(request)
            reply = answer(request)
            status, body = reply if isinstance(reply, tuple) else (200, reply)
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = _answer

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    settings.STRIPE_SECRET_KEY = "sk_test_fake"
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield requests
    finally:
        server.shutdown()
        server.server_close()
