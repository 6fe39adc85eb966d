"""Where one webhook event's time goes: its SQL, and a cProfile of N signed events, in-process.

    .venv/bin/python -m bench.profile_webhook                 # after `make bench` seeded the database
    .venv/bin/python -m bench.profile_webhook -n 1000 --sort tottime

Replaces the benchmark's pending payments with fresh ones, then posts distinct signed
`payment_intent.succeeded` events through Django's test client (the whole middleware stack, no
network), as the benchmark's senders do, one after the other.
"""

from __future__ import annotations

import argparse
import time
import uuid

from bench import env as bench_env
from bench import seed, webhook
from bench.profile_request import timed_and_profiled


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("-n", "--events", type=int, default=500)
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--cache", choices=["auto", "redis", "locmem"], default="auto")
    parser.add_argument("--courses", type=int, default=10_000, help="the seeded catalog's size")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key: cumulative, tottime, ...")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args(argv)

    env = bench_env.make_env(db=args.db, cache=args.cache)
    bench_env.setup_django(env)
    import logging

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    logging.disable(logging.INFO)  # the server logs to a pipe; here the console would dominate
    plan = seed.Plan.for_courses(args.courses)
    seed.seed_catalog(plan)
    seed.seed_payments(plan, 2 * args.events + 1)
    payments = webhook.pending_payments()
    signed = webhook.SignedEvents([(f"evt_{uuid.uuid4().hex}", p) for p in payments], env.webhook_secret)
    client = Client(HTTP_HOST="127.0.0.1")

    def post(index: int) -> None:
        _method, path, body, headers = signed(index)
        response = client.generic("POST", path, body, content_type=headers["Content-Type"], headers=headers)
        if response.status_code != 200:
            raise SystemExit(f"event {index}: {response.status_code} {response.content[:200]!r}")

    with CaptureQueriesContext(connection) as queries:
        post(0)
    print(f"one event: {len(queries.captured_queries)} SQL statements")
    for query in queries.captured_queries:
        print(f"  {float(query['time']) * 1000:7.2f} ms  {query['sql'][:200]}")

    sent = 1  # event 0 went above; every run posts events never posted before

    def run() -> float:
        nonlocal sent
        started = time.perf_counter()
        for i in range(sent, sent + args.events):
            post(i)
        sent += args.events
        return (time.perf_counter() - started) / args.events * 1000

    timed_and_profiled(run, what=f"{args.events} events", sort=args.sort, top=args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
