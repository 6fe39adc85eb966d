"""The server under test: gunicorn with sync workers on 127.0.0.1, started and stopped by us alone."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from bench.env import ROOT

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def http(
    port: int,
    path: str,
    *,
    method: str = "GET",
    body: dict[str, Any] | None = None,
    token: str | None = None,
    timeout: float = 10.0,
) -> tuple[int, bytes]:
    """One request to the server under test; returns (status, body), errors included."""
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(
        f"http://{HOST}:{port}{path}",
        data=json.dumps(body).encode() if body is not None else None,
        headers=headers,
        method=method,
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http://127.0.0.1)
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


class Gunicorn:
    """gunicorn config.wsgi in its own process group, so stopping it stops its workers too."""

    def __init__(self, *, env: dict[str, str], workers: int, log_path: Path) -> None:
        self.port = free_port()
        self.workers = workers
        self.log_path = log_path
        self.env = {**os.environ, **env}
        self.process: subprocess.Popen[bytes] | None = None
        self.worker_pids: list[int] = []

    def start(self, timeout: float = 30.0) -> None:
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        command = [
            gunicorn,
            "config.wsgi:application",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(self.workers),
            "--worker-class",
            "sync",
            "--timeout",
            "30",
            "--graceful-timeout",
            "5",
            "--log-level",
            "warning",
        ]
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        # The app logs to stderr; keep it (and gunicorn's own messages) out of the report.
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, start_new_session=True, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited ({self.process.returncode}):\n{self.log_tail()}")
            try:
                status, _ = http(self.port, "/bench/hello/", timeout=1)
                if status == 200:
                    self.worker_pids = self.children()
                    if len(self.worker_pids) >= self.workers:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within {timeout:.0f}s:\n{self.log_tail()}")

    def children(self) -> list[int]:
        """The worker processes: children of the gunicorn master, read from /proc."""
        if self.process is None:
            return []
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # The command name may contain spaces and parentheses: fields start after the last ')'.
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == self.process.pid:
                pids.append(int(entry.name))
        return sorted(pids)

    def memory(self) -> dict[str, Any]:
        """Peak (VmHWM) and current (VmRSS) resident memory of each worker, in MB."""
        workers = []
        for pid in self.children():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            values = {
                line.split(":")[0]: int(line.split()[1]) / 1024
                for line in status.splitlines()
                if line.startswith(("VmHWM:", "VmRSS:"))
            }
            workers.append(
                {"pid": pid, "peak_mb": round(values["VmHWM"], 1), "rss_mb": round(values["VmRSS"], 1)}
            )
        return {
            "workers": workers,
            "peak_mb": max((w["peak_mb"] for w in workers), default=0.0),
            # A worker replaced during the run (crash, timeout) would hide its peak.
            "workers_replaced": sorted(set(self.worker_pids) - {w["pid"] for w in workers}),
        }

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text().splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        except ProcessLookupError:
            pass
