"""Where one request's time goes: its SQL, then N requests timed and under cProfile, in-process.

    .venv/bin/python -m bench.profiler /api/courses/ [-n 300] [--sort tottime]
    .venv/bin/python -m bench.profiler webhook [-n 500]   # distinct signed payment_intent.succeeded events
    .venv/bin/python -m bench.profiler /api/lessons/{lesson}/   # {curriculum}, {lesson}: the bench's course

Django's test client (the whole middleware stack, no network) on the benchmark database and
settings; GETs rotate through the first 1,000 students' tokens. The webhook mode replaces the
pending payments with fresh ones.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import itertools
import logging
import pstats
import sys
import time
from collections.abc import Callable
from typing import Any

from bench import run, seed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("path", help="a GET path, or `webhook`")
    parser.add_argument("-n", "--requests", type=int, default=300)
    parser.add_argument("--sort", default="cumulative", help="pstats sort key: cumulative, tottime, ...")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args(argv)
    run.setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from lms.users.models import User
    from lms.users.services import user_tokens

    logging.disable(logging.INFO)  # the app logs every webhook event
    call_command("migrate", interactive=False, verbosity=0)
    plan = seed.Plan.for_courses(run.COURSES)
    seed.seed_catalog(plan)
    if "{" in args.path:
        curriculum, lesson = seed.seed_curriculum(plan, run.USERS)
        args.path = args.path.format(curriculum=curriculum, lesson=lesson)
    client = Client(HTTP_HOST="127.0.0.1")
    request: Callable[[int], Any]
    if args.path == "webhook":
        seed.seed_payments(plan, 2 * args.requests + 1)
        payments = run.pending_payments()

        def request(i: int) -> Any:
            now = int(time.time())
            body = run.event_body(f"evt_profile_{i}", payments[i], now)
            headers = {"Stripe-Signature": run.sign(body, now)}
            return client.post(run.WEBHOOK_PATH, body, content_type="application/json", headers=headers)
    else:
        students = User.objects.filter(role="student").order_by("pk")[: run.USERS]
        headers = [{"Authorization": f"Bearer {user_tokens(user=u)['access']}"} for u in students]

        def request(i: int) -> Any:
            return client.get(args.path, headers=headers[i % len(headers)])

    with CaptureQueriesContext(connection) as queries:
        first = request(0)
    print(f"{args.path}: {first.status_code}, {len(first.content)} bytes, {len(queries)} SQL statements")
    for query in queries.captured_queries:
        print(f"  {float(query['time']) * 1000:7.2f} ms  {query['sql'][:200]}")
    numbers = itertools.count(1)

    def batch() -> float:
        started = time.perf_counter()
        for _ in range(args.requests):
            i = next(numbers)
            if (response := request(i)).status_code != first.status_code:
                raise SystemExit(f"request {i}: {response.status_code} {response.content[:200]!r}")
        return (time.perf_counter() - started) / args.requests * 1000

    print(f"\n{args.requests} requests: {batch():.2f} ms each (not profiled)")
    profiler = cProfile.Profile()
    each = profiler.runcall(batch)
    print(f"{args.requests} requests: {each:.2f} ms each (profiled)\n")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.top)
    print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
