"""Where one endpoint's time goes: its SQL, and a cProfile of N requests, in-process.

    .venv/bin/python -m bench.profile_request /api/courses/       # after `make bench` seeded the database
    .venv/bin/python -m bench.profile_request "/api/courses/?page=400" -n 500 --sort tottime

Runs against the benchmark database with the benchmark settings, through Django's test client
(the whole middleware stack, no network), authenticated as the first seeded student.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from collections.abc import Callable

from bench import env as bench_env
from bench import seed


def timed_and_profiled(run: Callable[[], float], *, what: str, sort: str, top: int) -> None:
    """Call `run` (it returns ms per item) once as is and once under cProfile; print both, and the profile."""
    print(f"\n{what}: {run():.2f} ms each (not profiled)")
    profiler = cProfile.Profile()
    profiler.enable()
    each = run()
    profiler.disable()
    print(f"{what}: {each:.2f} ms each (profiled)\n")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(sort).print_stats(top)
    print(out.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("path")
    parser.add_argument("-n", "--requests", type=int, default=300)
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--cache", choices=["auto", "redis", "locmem"], default="auto")
    parser.add_argument("--anonymous", action="store_true")
    parser.add_argument(
        "--users", type=int, default=1000, help="students whose tokens requests rotate through"
    )
    parser.add_argument("--sort", default="cumulative", help="pstats sort key: cumulative, tottime, ...")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args(argv)

    env = bench_env.make_env(db=args.db, cache=args.cache)
    bench_env.setup_django(env)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from lms.users.models import User

    # Requests rotate through many students, as in the benchmark, so no per-user rate limit is met.
    headers: list[dict[str, str]] = [{}]
    if not args.anonymous:
        from rest_framework_simplejwt.tokens import RefreshToken

        students = User.objects.filter(email__endswith=f"@{seed.BENCH_EMAIL_DOMAIN}", role="student")
        headers = [
            {"Authorization": f"Bearer {RefreshToken.for_user(user).access_token}"}
            for user in students.order_by("pk")[: args.users]
        ]
    client = Client(HTTP_HOST="127.0.0.1")
    first = client.get(args.path, headers=headers[0])
    print(f"{args.path}: {first.status_code}, {len(first.content)} bytes")
    with CaptureQueriesContext(connection) as queries:
        client.get(args.path, headers=headers[0])
    for query in queries.captured_queries:
        print(f"  {float(query['time']) * 1000:7.2f} ms  {query['sql'][:300]}")

    def run(count: int) -> float:
        started = time.perf_counter()
        for i in range(count):
            response = client.get(args.path, headers=headers[i % len(headers)])
            if response.status_code != first.status_code:
                raise SystemExit(f"request {i}: {response.status_code} {response.content[:200]!r}")
        return (time.perf_counter() - started) / count * 1000

    what = f"{args.requests} requests"
    timed_and_profiled(lambda: run(args.requests), what=what, sort=args.sort, top=args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
