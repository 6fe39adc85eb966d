"""The load benchmark, `make bench` (bench/README.md): seed, start gunicorn, wrk each endpoint, report.

Knobs: BENCH_DURATION (s, default 10), BENCH_COURSES (10000), BENCH_ONLY (comma-separated endpoint
names; hello always runs), BENCH_RESEED=1, BENCH_DATABASE_URL, BENCH_REDIS_URL.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import report, seed
from bench.report import RESULTS, ROOT

HOST = "127.0.0.1"
DURATION = max(1, round(float(os.environ.get("BENCH_DURATION", "10"))))
COURSES = int(os.environ.get("BENCH_COURSES", "10000"))
ONLY = {name.strip() for name in os.environ.get("BENCH_ONLY", "").split(",") if name.strip()}
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lms_bench")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")  # a database of its own
WORKERS, THREADS, CONNECTIONS, WEBHOOK_CONNECTIONS, USERS = 2, 2, 32, 16, 1000
WEBHOOK_PATH = "/api/payments/webhook/"

# The server's environment, read by config.settings exactly as in production; fresh secrets per run.
ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DATABASE_URL": DATABASE_URL,
    "REDIS_URL": REDIS_URL,
    "CACHE_KEY_PREFIX": "lms-bench",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DJANGO_DEBUG": "False",
    "STRIPE_SECRET_KEY": "sk_test_bench_never_used",  # production checks want one; never called
    "STRIPE_WEBHOOK_SECRET": f"whsec_bench_{secrets.token_hex(24)}",
    "STRIPE_PUBLISHABLE_KEY": "pk_test_bench_never_used",
    "JWT_ACCESS_MINUTES": "240",  # one token lasts the whole run
    # wrk's anonymous requests all come from 127.0.0.1: a rate it never reaches, still counted (INCR).
    "THROTTLE_ANON_RATE": "100000000/minute",
}


def setup_django() -> None:
    """Create the benchmark database when missing; configure this process like the server."""
    import django
    import psycopg

    parts = urllib.parse.urlsplit(DATABASE_URL)
    admin = urllib.parse.urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    name = parts.path.lstrip("/")
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))
    os.environ.update(ENV)
    django.setup()


def http(port: int, path: str, *, token: str = "", body: dict[str, Any] | None = None) -> tuple[int, bytes]:
    headers = {"Content-Type": "application/json"} | ({"Authorization": f"Bearer {token}"} if token else {})
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"http://{HOST}:{port}{path}", data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (http://127.0.0.1)
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except OSError:
        return 0, b""


# --- The server: gunicorn in its own process group ----------------------------------------------


def workers(server: subprocess.Popen[bytes]) -> list[int]:
    return [int(pid) for pid in Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()]


def start_server(port: int) -> subprocess.Popen[bytes]:
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    command = [gunicorn, "config.wsgi:application", "--bind", f"{HOST}:{port}", "--workers", str(WORKERS)]
    command += ["--worker-class", "sync", "--timeout", "30", "--log-level", "warning"]
    with (RESULTS / "gunicorn.log").open("wb") as log:  # the app's log too
        server = subprocess.Popen(
            command, cwd=ROOT, env={**os.environ, **ENV}, stdout=log, stderr=log, start_new_session=True
        )
    deadline = time.monotonic() + 30
    while http(port, "/bench/hello/")[0] != 200 or len(workers(server)) < WORKERS:
        if server.poll() is not None or time.monotonic() > deadline:
            stop_server(server)
            raise SystemExit(f"gunicorn did not start: see {RESULTS / 'gunicorn.log'}")
        time.sleep(0.2)
    return server


def peak_rss_mb(server: subprocess.Popen[bytes]) -> list[float]:
    """VmHWM of each worker, in MB."""
    peaks = []
    for pid in workers(server):
        status = Path(f"/proc/{pid}/status").read_text()
        peaks += [round(int(ln.split()[1]) / 1024, 1) for ln in status.splitlines() if ln.startswith("VmHWM")]
    return peaks


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


# --- Load ------------------------------------------------------------------------------------------


def wrk(
    port: int,
    path: str,
    *,
    duration: int,
    connections: int,
    tokens: Path | None,
    events: Path | None = None,
    method: str = "GET",
) -> dict[str, Any]:
    """wrk -t2 on one URL through bench/wrk.lua; non-2xx/3xx answers and socket errors are errors."""
    command = ["wrk", f"-t{THREADS}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s"]
    command += ["-s", str(ROOT / "bench" / "wrk.lua"), f"http://{HOST}:{port}{path}"]
    env = os.environ | {
        "BENCH_TOKENS": str(tokens or ""),
        "BENCH_EVENTS": str(events or ""),
        "BENCH_THREADS": str(THREADS),
        "BENCH_METHOD": method,
    }
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=duration + 60, check=True)
    raw = json.loads(done.stdout.rsplit("BENCH_JSON ", 1)[1])
    seconds = raw["duration_us"] / 1e6
    return {
        "rps": round(raw["requests"] / seconds, 1),
        "p50_ms": raw["p50_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "requests": raw["requests"],
        "status_errors": raw["status"],
        "errors": raw["status"] + raw["socket"],
        "repeated": raw["repeated"],
    }


def measure(port: int, name: str, request: str, tokens: Path) -> dict[str, Any]:
    """wrk one request, "<path>" (a GET) or "POST <path>" (an empty JSON body)."""
    method, path = request.split(" ", 1) if " " in request else ("GET", request)
    auth = not name.startswith(("hello", "anon_"))
    row: dict[str, Any] = {"name": name, "request": f"{method} {path}"}
    probe = {} if method == "POST" else None
    status, body = http(port, path, token=tokens.read_text().split()[0] if auth else "", body=probe)
    if status != 200:
        print(f"[bench] {name}: skipped, answers {status}: {body[:200]!r}")
        return row | {"skipped": f"answers {status}"}
    # A short unmeasured run first: both workers warm, every user's cache entries made.
    run = {"connections": CONNECTIONS, "tokens": tokens if auth else None, "method": method}
    wrk(port, path, duration=min(2, DURATION), **run)
    row |= wrk(port, path, duration=DURATION, **run)
    print(f"[bench] {name}: {row['rps']:,.0f} req/s, p99 {row['p99_ms']:.1f} ms, {row['errors']} errors")
    time.sleep(1)  # let the connections in TIME_WAIT and the database settle
    return row


def sign(body: bytes, timestamp: int) -> str:
    """Stripe-Signature: HMAC-SHA256 of "<timestamp>.<body>" under the endpoint secret."""
    secret = ENV["STRIPE_WEBHOOK_SECRET"].encode()
    return f"t={timestamp},v1={hmac.new(secret, f'{timestamp}.'.encode() + body, hashlib.sha256).hexdigest()}"


def pending_payments() -> list[tuple[Any, ...]]:
    from lms.payments.models import Payment

    fields = ("id", "stripe_payment_intent", "amount", "currency", "student_id", "course_id")
    return list(Payment.objects.filter(status="pending").order_by("id").values_list(*fields))


def event_body(event_id: str, payment: tuple[Any, ...], created: int) -> bytes:
    """A payment_intent.succeeded event, as Stripe sends it, paying one pending payment."""
    pk, intent, amount, currency, student, course = payment
    minor = int(amount * 100)
    metadata = {"payment_id": str(pk), "student_id": str(student), "course_id": str(course)}
    obj = {"id": intent, "object": "payment_intent", "amount": minor, "amount_received": minor}
    obj |= {"currency": currency, "status": "succeeded", "livemode": False, "metadata": metadata}
    event = {"id": event_id, "object": "event", "api_version": "2026-10-28.endive", "created": created}
    event |= {"livemode": False, "type": "payment_intent.succeeded", "data": {"object": obj}}
    return json.dumps(event, separators=(",", ":")).encode()


def measure_webhook(port: int) -> dict[str, Any]:
    """Distinct signed events through wrk, each sent once; then enrollments == acknowledged events."""
    from lms.enrollments.models import Enrollment

    events, run, now = RESULTS / "events.txt", secrets.token_hex(5), int(time.time())
    lines = []
    for i, payment in enumerate(pending_payments()):  # signed now: Stripe's tolerance is 5 minutes
        body = event_body(f"evt_bench_{run}_{i:08d}", payment, now)
        lines.append(f"{sign(body, now)}\t{body.decode()}\n")
    events.write_text("".join(lines))
    try:
        row = wrk(
            port, WEBHOOK_PATH, duration=DURATION, connections=WEBHOOK_CONNECTIONS, tokens=None, events=events
        )
    finally:
        events.unlink(missing_ok=True)
    time.sleep(2)  # the requests in flight when wrk stopped are still being applied
    acknowledged = row["requests"] - row["status_errors"]
    enrolled = Enrollment.objects.filter(source="payment").count()
    # Up to one request per connection may be applied after wrk stopped waiting for its answer.
    lost, duplicated = max(0, acknowledged - enrolled), max(0, enrolled - acknowledged - WEBHOOK_CONNECTIONS)
    ok = not (lost or duplicated or row["repeated"])
    check = {"acknowledged": acknowledged, "enrollments": enrolled, "lost": lost, "duplicated": duplicated}
    check |= {"repeated": row["repeated"], "ok": ok}
    print(f"[bench] webhook: {row['rps']:,.0f} req/s, {row['errors']} errors; check {check}")
    return {"name": "webhook", "request": f"POST {WEBHOOK_PATH}"} | row | {"check": check}


def tokens_for(port: int, plan: seed.Plan) -> list[str]:
    """One real login; the other users' tokens issued in-process (login is rate limited per IP)."""
    from lms.users.models import User
    from lms.users.services import user_tokens

    credentials = {"email": f"student0@{seed.EMAIL_DOMAIN}", "password": seed.PASSWORD}
    status, body = http(port, "/api/users/login/", body=credentials)
    if status != 200:
        raise SystemExit(f"login failed ({status}): {body[:200]!r}")
    first = plan.student_id(0)
    others = User.objects.filter(pk__gt=first, pk__lt=first + USERS).order_by("pk")
    return [json.loads(body)["access"], *(user_tokens(user=user)["access"] for user in others)]


def main() -> int:
    if shutil.which("wrk") is None:
        print(
            "wrk is missing: apt-get install -y wrk (Debian/Ubuntu) or brew install wrk (macOS)",
            file=sys.stderr,
        )
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that `finally` stops gunicorn
    RESULTS.mkdir(parents=True, exist_ok=True)
    setup_django()
    from django.core.management import call_command
    from django.db import connection, connections

    def wanted(name: str) -> bool:
        return not ONLY or name in ONLY or name.startswith("hello")

    load = os.getloadavg()[0]
    call_command("migrate", interactive=False, verbosity=0)
    plan = seed.Plan.for_courses(COURSES)
    seed.seed_catalog(plan, reset=os.environ.get("BENCH_RESEED") == "1")
    if wanted("webhook"):
        seed.seed_payments(plan, 1500 * DURATION)  # more than the webhook can take in DURATION
    curriculum, lesson = seed.seed_curriculum(plan, USERS)
    seed.clear_cache()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        database = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
    connections.close_all()

    page = min(400, COURSES // 20)
    endpoints = [
        ("hello", "/bench/hello/"),  # the floor: a Django request that does nothing
        ("catalog_page1", "/api/courses/"),
        ("anon_catalog_page1", "/api/courses/"),  # the public catalog, without a token
        ("catalog_deep", f"/api/courses/?page={page}"),
        ("catalog_search", f"/api/courses/?search={seed.SEARCH_TERM}"),
        ("catalog_filter", "/api/courses/?min_price=10&max_price=50"),
        ("course_detail", f"/api/courses/{COURSES // 2}/"),
        ("enrollments", "/api/enrollments/"),
        ("curriculum", f"/api/courses/{curriculum}/curriculum/"),  # 20 sections x 10 lessons
        ("lesson", f"/api/lessons/{lesson}/"),
        # Each user marks the lesson once; repeats (idempotent) follow once every user has.
        ("lesson_complete", f"POST /api/lessons/{lesson}/complete/"),
    ]
    if wanted("lcp") and app_measurable() is None:
        call_command("collectstatic", interactive=False, verbosity=0)  # production serves STATIC_ROOT
    port, tokens = free_port(), RESULTS / "tokens.txt"
    server = start_server(port)
    try:
        tokens.write_text("\n".join(tokens_for(port, plan)) + "\n")
        rows = [measure(port, name, path, tokens) for name, path in endpoints if wanted(name)]
        if wanted("webhook"):
            rows.append(measure_webhook(port))
        # Hello again: when the two differ much, something else was using the machine.
        rows.append(measure(port, "hello_end", "/bench/hello/", tokens))
        rss = peak_rss_mb(server)
        lcp = measure_lcp(port) if wanted("lcp") else None
    finally:
        stop_server(server)
        tokens.unlink(missing_ok=True)
    git = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)  # noqa: S607
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((ln.split(":")[1].strip() for ln in cpuinfo if ln.startswith("model name")), "?")
    config = {"workers": WORKERS, "threads": THREADS, "connections": CONNECTIONS, "duration": DURATION}
    config |= {"users": USERS, "webhook_connections": WEBHOOK_CONNECTIONS}
    results = {"date": datetime.now(UTC).isoformat(timespec="seconds"), "commit": git.stdout.strip() or "?"}
    machine = f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, load {load:.2f} before"
    results |= {"machine": machine}
    results |= {"database": database, "courses": COURSES, "config": config, "endpoints": rows, "rss_mb": rss}
    results |= {"lcp": lcp}
    print(f"\n{report.write(results)}")
    return 0


# --- The web app's first load in a browser -------------------------------------------------------


def app_measurable() -> str | None:
    """Why the catalog page's load cannot be measured here, or None when it can."""
    if not (ROOT / "frontend" / "dist" / "index.html").is_file():
        return "the web app is not built (make app)"
    if shutil.which("node") is None or not (ROOT / "frontend" / "node_modules" / "playwright-core").is_dir():
        return "Node.js or frontend/node_modules is missing (make app)"
    if shutil.which("chromium") is None:
        return "Chromium is missing (apt-get install -y chromium)"
    return None


def measure_lcp(port: int) -> dict[str, Any]:
    """Largest Contentful Paint of the catalog page, after the load runs (frontend/scripts/lcp.mjs):
    the median of 5 cold loads in Chromium, and the JavaScript the first one transferred."""
    if reason := app_measurable():
        return {"skipped": reason}
    script = ROOT / "frontend" / "scripts" / "lcp.mjs"
    done = subprocess.run(
        ["node", str(script), f"http://{HOST}:{port}/", "5"],  # noqa: S607
        cwd=ROOT / "frontend",
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode != 0:
        return {"skipped": f"lcp.mjs failed: {done.stderr.strip()[-300:]}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


if __name__ == "__main__":
    sys.exit(main())
