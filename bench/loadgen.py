"""Load generators, both bounded in time and aimed only at 127.0.0.1: wrk, and a Python sender.

wrk measures every endpoint, the webhook with deliveries signed just before the run (wrk's Lua
has no HMAC). The Python sender (threads, each on its own keep-alive http.client connection)
sends the webhook's untimed redeliveries, whose every answer is checked.
"""

from __future__ import annotations

import http.client
import json
import math
import os
import shutil
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HOST = "127.0.0.1"
WRK_SCRIPT = Path(__file__).resolve().parent / "wrk_report.lua"
REQUEST_TIMEOUT_SECONDS = 10.0


@dataclass
class LoadResult:
    tool: str
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    mean_ms: float
    max_ms: float
    errors: int
    error_detail: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def find_wrk() -> str | None:
    return shutil.which("wrk")


def run_wrk(
    wrk: str,
    port: int,
    path: str,
    *,
    threads: int,
    connections: int,
    duration: float,
    headers: dict[str, str] | None = None,
    tokens_file: Path | None = None,
    events_file: Path | None = None,
) -> LoadResult:
    """`wrk -tT -cC -dDs` against one URL; non-2xx/3xx answers and socket errors count as errors.

    With tokens_file, requests rotate through its JWTs; with events_file, they POST its signed
    webhook deliveries, each once (see wrk_report.lua).
    """
    command = [
        wrk,
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(duration))}s",
        "--timeout",
        f"{int(REQUEST_TIMEOUT_SECONDS)}s",
        "-s",
        str(WRK_SCRIPT),
    ]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://{HOST}:{port}{path}")
    env = {
        **os.environ,
        "BENCH_WRK_TOKENS": str(tokens_file) if tokens_file else "",
        "BENCH_WRK_EVENTS": str(events_file) if events_file else "",
        "BENCH_WRK_THREADS": str(threads),
    }
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=duration + 60, check=False, env=env
    )
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    seconds = raw["duration_us"] / 1e6
    detail = {
        key: raw[key]
        # "repeated": events sent twice because the file had too few; their answers prove nothing.
        for key in ("status_errors", "connect_errors", "read_errors", "write_errors", "timeouts", "repeated")
        if raw.get(key)
    }
    return LoadResult(
        tool="wrk",
        requests=raw["requests"],
        seconds=round(seconds, 3),
        rps=round(raw["requests"] / seconds, 1) if seconds else 0.0,
        p50_ms=raw["p50_us"] / 1000,
        p90_ms=raw["p90_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        mean_ms=round(raw["mean_us"] / 1000, 3),
        max_ms=raw["max_us"] / 1000,
        errors=sum(detail.values()),
        error_detail=detail,
    )


# A request to send: (method, path, body, headers), built when it is sent (so it can be signed then).
Request = tuple[str, str, bytes | None, dict[str, str]]


@dataclass
class Reply:
    status: int  # 0: no answer (connection error or timeout)
    body: bytes


def _percentile(ordered: list[float], pct: float) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, math.ceil(pct / 100 * len(ordered)) - 1))]


def run_python(
    port: int,
    make_request: Callable[[int], Request],
    *,
    threads: int,
    duration: float,
    total: int | None = None,
    keep_replies: bool = False,
) -> tuple[LoadResult, dict[int, Reply]]:
    """Send requests 0, 1, 2, ... from `threads` threads until `total` are sent or `duration` is over.

    Returns the measurement and, with keep_replies, each request's reply by index.
    """
    lock = threading.Lock()
    next_index = 0
    latencies: list[float] = []
    replies: dict[int, Reply] = {}
    statuses: Counter[str] = Counter()
    start = threading.Event()
    deadline = 0.0

    def take() -> int | None:
        nonlocal next_index
        with lock:
            if (total is not None and next_index >= total) or time.monotonic() >= deadline:
                return None
            next_index += 1
            return next_index - 1

    def worker() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_SECONDS)
        mine: list[float] = []
        mine_status: Counter[str] = Counter()
        start.wait()
        try:
            while (index := take()) is not None:
                method, path, body, headers = make_request(index)
                began = time.perf_counter()
                try:
                    conn.request(method, path, body=body, headers=headers)
                    response = conn.getresponse()
                    reply = Reply(response.status, response.read())
                except (OSError, http.client.HTTPException):
                    conn.close()  # the next request opens a new connection
                    reply = Reply(0, b"")
                mine.append(time.perf_counter() - began)
                mine_status[str(reply.status)] += 1
                if keep_replies:
                    replies[index] = reply  # distinct keys per thread: no lock needed
        finally:
            conn.close()
            with lock:
                latencies.extend(mine)
                statuses.update(mine_status)

    pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
    for thread in pool:
        thread.start()
    began = time.monotonic()
    deadline = began + duration
    start.set()
    for thread in pool:
        thread.join(timeout=duration + REQUEST_TIMEOUT_SECONDS + 5)
    seconds = time.monotonic() - began
    ordered = sorted(latencies)
    errors = sum(n for code, n in statuses.items() if not code.startswith("2"))
    result = LoadResult(
        tool=f"python x{threads}",
        requests=len(ordered),
        seconds=round(seconds, 3),
        rps=round(len(ordered) / seconds, 1) if seconds else 0.0,
        p50_ms=round(_percentile(ordered, 50) * 1000, 2),
        p90_ms=round(_percentile(ordered, 90) * 1000, 2),
        p99_ms=round(_percentile(ordered, 99) * 1000, 2),
        mean_ms=round(sum(ordered) / len(ordered) * 1000, 3) if ordered else 0.0,
        max_ms=round(ordered[-1] * 1000, 2) if ordered else 0.0,
        errors=errors,
        error_detail={f"status_{code}": n for code, n in statuses.items() if not code.startswith("2")},
    )
    return result, replies
