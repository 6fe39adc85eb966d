"""The load benchmark of issue 6: `make bench`, or `.venv/bin/python -m bench.run [options]`.

Seeds the database, starts gunicorn (production settings plus a bare hello view) on 127.0.0.1,
logs a student in, measures each endpoint with wrk (the webhook with events signed just before),
verifies the webhook's enrollments in the database, and writes
bench/results/latest.{json,md,png}. Every option has an environment variable (BENCH_*), shown
by --help. Everything is bounded in time, and every process it starts is stopped when it ends.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shlex
import signal
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Any

from bench import env as bench_env
from bench import loadgen, report, seed
from bench.server import Gunicorn, http


@dataclass(frozen=True)
class Endpoint:
    name: str
    label: str  # for the chart
    path: str
    auth: bool = True


ALL = ["hello", "catalog_page1", "catalog_deep", "catalog_search", "catalog_filter", "course_detail"]
ALL += ["enrollments", "webhook"]


def endpoints(plan: seed.Plan, deep_page: int) -> list[Endpoint]:
    page = min(deep_page, math.ceil(plan.courses / seed.PAGE_SIZE))
    detail = seed.course_id(plan.courses // 2)
    return [
        Endpoint("hello", "hello", "/bench/hello/", auth=False),
        Endpoint("catalog_page1", "catalog page 1", "/api/courses/"),
        Endpoint("catalog_deep", f"catalog page {page}", f"/api/courses/?page={page}"),
        Endpoint("catalog_search", "catalog search", f"/api/courses/?search={seed.search_term()}"),
        Endpoint("catalog_filter", "catalog filter", "/api/courses/?min_price=10&max_price=50"),
        Endpoint("course_detail", "course detail", f"/api/courses/{detail}/"),
        Endpoint("enrollments", "my enrollments", "/api/enrollments/"),
    ]


def _env(name: str, default: str) -> str:
    return os.environ.get(f"BENCH_{name}", default)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", choices=["postgres", "sqlite"], default=_env("DB", "postgres"), help="BENCH_DB")
    p.add_argument("--courses", type=int, default=int(_env("COURSES", "10000")), help="BENCH_COURSES")
    p.add_argument("--duration", type=float, default=float(_env("DURATION", "10")), help="BENCH_DURATION: s")
    p.add_argument("--threads", type=int, default=int(_env("THREADS", "2")), help="BENCH_THREADS: wrk -t")
    p.add_argument(
        "--connections", type=int, default=int(_env("CONNECTIONS", "32")), help="BENCH_CONNECTIONS: wrk -c"
    )
    p.add_argument(
        "--users",
        type=int,
        default=int(_env("USERS", "1000")),
        help="BENCH_USERS: students whose tokens the authenticated requests rotate through",
    )
    p.add_argument("--workers", type=int, default=int(_env("WORKERS", "2")), help="BENCH_WORKERS")
    p.add_argument(
        "--webhook-threads",
        type=int,
        default=int(_env("WEBHOOK_THREADS", "16")),
        help="BENCH_WEBHOOK_THREADS: concurrent webhook senders (wrk -c)",
    )
    p.add_argument(
        "--webhook-events",
        type=int,
        default=int(_env("WEBHOOK_EVENTS", "0")),
        help="BENCH_WEBHOOK_EVENTS: pending payments to pay (default 1,500 per second of duration)",
    )
    p.add_argument(
        "--only",
        default=_env("ONLY", ""),
        help=f"BENCH_ONLY: comma-separated subset of {','.join(ALL)} (hello always runs)",
    )
    p.add_argument("--deep-page", type=int, default=int(_env("DEEP_PAGE", "400")), help="BENCH_DEEP_PAGE")
    p.add_argument(
        "--cache", choices=["auto", "redis", "locmem"], default=_env("CACHE", "auto"), help="BENCH_CACHE"
    )
    p.add_argument("--reseed", action="store_true", default=_env("RESEED", "") == "1", help="BENCH_RESEED=1")
    p.add_argument(
        "--max-seconds",
        type=int,
        default=int(_env("MAX_SECONDS", "1800")),
        help="BENCH_MAX_SECONDS: stop everything after this long",
    )
    args = p.parse_args(argv)
    # URLs may hold passwords: the report names them without their value.
    settings = " ".join(
        f"{k}={'...' if k.endswith('_URL') else shlex.quote(v)}"
        for k, v in sorted(os.environ.items())
        if k.startswith("BENCH_")
    )
    args.command = (
        f"{settings} python -m bench.run {shlex.join(sys.argv[1:] if argv is None else argv)}".strip()
    )
    args.only = [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = set(args.only) - set(ALL)
    if unknown:
        p.error(f"unknown endpoint(s) {', '.join(sorted(unknown))}; choose from {', '.join(ALL)}")
    return args


def summary(result: loadgen.LoadResult) -> str:
    errors = f", {result.errors} errors {result.error_detail}" if result.errors else ""
    return f"{result.rps:,.0f} req/s, p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms{errors}"


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


class Interrupted(Exception):
    pass


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(signal.Signals(signum).name)


def login(port: int) -> str:
    status, body = http(
        port,
        "/api/users/login/",
        method="POST",
        body={"email": seed.student_email(0), "password": seed.BENCH_PASSWORD},
    )
    if status != 200:
        raise RuntimeError(f"login failed ({status}): {body[:300]!r}")
    return json.loads(body)["access"]


def mint_tokens(plan: seed.Plan, count: int) -> list[str]:
    """Access tokens for the first `count` students, issued as the app issues them at login.

    Issued in-process (same secret key as the server) because login is rate limited per IP.
    """
    from lms.users.models import User

    try:
        from lms.users.services import user_tokens
    except ImportError:  # the app's own issuer when it has one, else simplejwt's
        from rest_framework_simplejwt.tokens import RefreshToken

        def user_tokens(*, user: User) -> dict[str, str]:
            return {"access": str(RefreshToken.for_user(user).access_token)}

    first = seed.student_id(plan, 0)
    students = User.objects.filter(pk__gte=first, pk__lt=first + count).order_by("pk")
    return [user_tokens(user=user)["access"] for user in students]


def probe(port: int, endpoint: Endpoint, token: str) -> tuple[str | None, int]:
    """One request before the load: None and the body size if it answers 200, else why not."""
    status, body = http(port, endpoint.path, token=token if endpoint.auth else None)
    if status != 200:
        return f"answers {status}: {body[:200]!r}", len(body)
    return None, len(body)


def count_queries(endpoint: Endpoint, token: str) -> tuple[int, float]:
    """SQL queries (and their total ms) of one request, run in this process against the same database."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    headers = {"Authorization": f"Bearer {token}"} if endpoint.auth else {}
    client.get(endpoint.path, headers=headers)  # warm the caches that a running server also has warm
    with CaptureQueriesContext(connection) as queries:
        client.get(endpoint.path, headers=headers)
    return len(queries), round(sum(float(q["time"]) for q in queries.captured_queries) * 1000, 2)


def database_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]}"
        cursor.execute("SELECT version()")
        return str(cursor.fetchone()[0]).split(" on ")[0].split(",")[0]


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    wrk = loadgen.find_wrk()
    if wrk is None:
        print(
            "wrk is not installed. Debian/Ubuntu: sudo apt-get install -y wrk; macOS: brew install wrk.\n"
            "`make bench` installs it by itself when run as root.",
            file=sys.stderr,
        )
        return 2
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGALRM, _interrupt)
    signal.alarm(args.max_seconds)
    try:
        env = bench_env.make_env(db=args.db, cache=args.cache)
        bench_env.ensure_database(env.database_url)
        bench_env.setup_django(env)
        return _run(args, wrk, env)
    except bench_env.BenchSetupError as exc:
        print(f"[bench] {exc}", file=sys.stderr)
        return 2
    except (Interrupted, KeyboardInterrupt) as exc:
        print(f"[bench] stopped ({exc or 'interrupted'})", file=sys.stderr)
        return 130
    finally:
        signal.alarm(0)


def _run(args: argparse.Namespace, wrk: str, env: bench_env.BenchEnv) -> int:
    from django.core.management import call_command
    from django.db import connections

    machine = report.machine()  # before the seeding and the load change the load average
    call_command("migrate", interactive=False, verbosity=0)
    plan = seed.Plan.for_courses(args.courses)
    seed.seed_catalog(plan, reset=args.reseed, log=log)
    wanted = set(args.only or ALL) | {"hello"}
    hook_skip = seed.payments_available() if "webhook" in wanted else None
    if "webhook" in wanted and hook_skip is None:
        seed.seed_payments(plan, args.webhook_events or int(1500 * args.duration), log=log)
    elif hook_skip:
        log(f"webhook benchmark skipped: {hook_skip}")
    seed.clear_cache()
    db_version = database_version()
    connections.close_all()

    server = Gunicorn(
        env=env.variables(), workers=args.workers, log_path=bench_env.RESULTS_DIR / "gunicorn.log"
    )
    tokens_file = bench_env.RESULTS_DIR / "tokens.txt"
    webhook: dict[str, Any] = {}
    try:
        server.start()
        cache = env.redis_url or "locmem"
        log(f"gunicorn on 127.0.0.1:{server.port}, workers {server.worker_pids}, cache {cache}")
        token = login(server.port)  # one real login; the other users' tokens are minted
        tokens = [token, *mint_tokens(plan, min(args.users, plan.students))[1:]]
        tokens_file.write_text("\n".join(tokens) + "\n")
        log(f"requests rotate through {len(tokens):,} students' tokens")
        # Hello again at the end: if the two differ much, something else was using the machine.
        again = Endpoint("hello_end", "hello (again)", "/bench/hello/", auth=False)
        chosen = [e for e in [*endpoints(plan, args.deep_page), again] if e.name in wanted | {again.name}]
        measured = [measure(args, wrk, server.port, e, token, tokens_file) for e in chosen]
        if "webhook" in wanted:
            entries, webhook = measure_webhook(args, wrk, server.port, env.webhook_secret, hook_skip)
            measured += entries
        memory = server.memory()
    finally:
        server.stop()
        tokens_file.unlink(missing_ok=True)

    for endpoint in endpoints(plan, args.deep_page):
        entry = next((e for e in measured if e["name"] == endpoint.name and e.get("rps")), None)
        if entry is not None:
            entry["queries"], entry["sql_ms"] = count_queries(endpoint, token)
    results = collect(args, plan, env, machine=machine, db_version=db_version, measured=measured)
    results |= {"webhook": webhook, "memory": memory}
    paths = report.write(results)
    print()
    print(report.console_table(results))
    print()
    for target in results["targets"]:
        print(f"  {'met ' if target['met'] else 'MISS'}  {target['target']}: {target['measured']}")
    if (results["hello_drift"] or 0) > report.NOISY_DRIFT:
        print(
            f"\n  WARNING: hello moved by {results['hello_drift']:.0%} during the run: the machine was busy."
        )
    print(f"\nPeak worker RSS: {memory['peak_mb']:.0f} MB. Written: {', '.join(str(p) for p in paths)}")
    return 0


def measure(
    args: argparse.Namespace, wrk: str, port: int, endpoint: Endpoint, token: str, tokens_file: Path
) -> dict[str, Any]:
    """Check that the endpoint answers 200, warm it up, then run wrk on it."""
    entry: dict[str, Any] = {
        "name": endpoint.name,
        "label": endpoint.label,
        "method": "GET",
        "path": endpoint.path,
    }
    problem, size = probe(port, endpoint, token)
    if problem:
        log(f"{endpoint.name}: skipped, {problem}")
        return entry | {"skipped": problem}
    # Warm both workers (imports, connections) and every user's caches, as on a server that has
    # been up a while: a short unmeasured run of the same load.
    loadgen.run_wrk(
        wrk,
        port,
        endpoint.path,
        threads=args.threads,
        connections=args.connections,
        duration=min(2, args.duration),
        tokens_file=tokens_file if endpoint.auth else None,
    )
    result = loadgen.run_wrk(
        wrk,
        port,
        endpoint.path,
        threads=args.threads,
        connections=args.connections,
        duration=args.duration,
        tokens_file=tokens_file if endpoint.auth else None,
    )
    log(f"{endpoint.name}: {summary(result)}")
    time.sleep(1)  # let connections in TIME_WAIT and the database settle between endpoints
    return entry | result.as_dict() | {"response_bytes": size}


def measure_webhook(
    args: argparse.Namespace, wrk: str, port: int, secret: str, skip: str | None
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The webhook with wrk and `webhook_threads` concurrent senders, then its database check."""
    from bench.webhook import WEBHOOK_PATH, benchmark_webhook

    entry: dict[str, Any] = {"name": "webhook", "label": "webhook", "method": "POST", "path": WEBHOOK_PATH}
    if skip:
        return [entry | {"skipped": skip}], {"skipped": skip}
    webhook = benchmark_webhook(
        wrk=wrk,
        port=port,
        secret=secret,
        threads=args.threads,
        connections=args.webhook_threads,
        duration=args.duration,
        events_file=bench_env.RESULTS_DIR / "webhook_events.txt",
    )
    if "skipped" in webhook:
        return [entry | {"skipped": webhook["skipped"]}], webhook
    result = webhook.pop("result")
    if webhook.get("queries"):
        entry |= {"queries": webhook["queries"]["queries"], "sql_ms": webhook["queries"]["sql_ms"]}
    verification = webhook["verification"]
    log(f"webhook: {summary(result)}; {'ok' if verification['ok'] else 'FAILED'}: {verification}")
    return [entry | result.as_dict()], webhook


def collect(
    args: argparse.Namespace,
    plan: seed.Plan,
    env: bench_env.BenchEnv,
    *,
    machine: dict[str, Any],
    db_version: str,
    measured: list[dict[str, Any]],
) -> dict[str, Any]:
    """The run's results; every ratio is to the mean of the two hello measurements."""
    from django.conf import settings

    from lms.enrollments.models import Enrollment

    hellos = [e["rps"] for e in measured if e["name"] in ("hello", "hello_end") and e.get("rps")]
    hello = sum(hellos) / len(hellos) if hellos else 0.0
    for entry in measured:
        if entry.get("rps") and hello:
            entry["ratio"] = round(entry["rps"] / hello, 3)
    return {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": args.command,
        "git": report.git_revision(),
        "machine": machine,
        "database_version": db_version,
        "config": {
            "db": args.db,
            "courses": plan.courses,
            "instructors": plan.instructors,
            "students": plan.students,
            "enrollments": Enrollment.objects.exclude(source="payment").count(),
            "users": min(args.users, plan.students),
            "duration": args.duration,
            "threads": args.threads,
            "connections": args.connections,
            "workers": args.workers,
            "webhook_threads": args.webhook_threads,
            "cache": "redis" if env.redis_url else "locmem",
            "conn_max_age": settings.DATABASES["default"].get("CONN_MAX_AGE"),
        },
        "hello_rps": round(hello, 1),
        "hello_drift": round((max(hellos) - min(hellos)) / max(hellos), 3) if hellos else None,
        "endpoints": measured,
    }


if __name__ == "__main__":
    sys.exit(main())
