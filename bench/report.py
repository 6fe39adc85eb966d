"""The benchmark's outputs: a console table, bench/results/latest.{json,md,png}, and a copy per scale."""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench import chart
from bench.env import RESULTS_DIR, ROOT

TARGET_CATALOG_RATIO = 0.30
TARGET_WEBHOOK_RATIO = 0.10
TARGET_SCALE_RATIO = 0.8
TARGET_PEAK_RSS_MB = 150
BASELINE_COURSES = 10_000
NOISY_DRIFT = 0.15
COLORS: dict[str, chart.Color] = {
    "hello": (134, 142, 150),
    "catalog": (28, 126, 214),
    "course": (12, 166, 120),
    "enrollments": (247, 103, 7),
    "webhook": (174, 62, 201),
}


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        # Other work on the machine skews the numbers; the load average says how much there was.
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        info["cpu"] = next(
            ln.split(":", 1)[1].strip() for ln in cpuinfo.splitlines() if ln.startswith("model name")
        )
        meminfo = Path("/proc/meminfo").read_text().splitlines()[0]
        info["memory_gb"] = round(int(meminfo.split()[1]) / 1024 / 1024, 1)
    except (OSError, StopIteration, ValueError, IndexError):
        pass
    return info


def git_revision() -> str:
    git = shutil.which("git")
    if git is None:
        return "unknown"
    try:
        head = subprocess.run(
            [git, "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            [git, "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head}{' (with uncommitted changes)' if dirty else ''}"


def _endpoint(results: dict[str, Any], name: str) -> dict[str, Any] | None:
    return next((e for e in results["endpoints"] if e["name"] == name and e.get("rps")), None)


def load_baseline(results: dict[str, Any]) -> dict[str, Any] | None:
    """The same database's 10,000-course results, when this run is at another scale."""
    config = results["config"]
    if config["courses"] == BASELINE_COURSES:
        return None
    path = RESULTS_DIR / f"{config['db']}-{BASELINE_COURSES}.json"
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None


def targets(results: dict[str, Any], baseline: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The issue's targets, as measured by this run (a report, not a pass/fail of the run)."""
    found: list[dict[str, Any]] = []
    page1 = _endpoint(results, "catalog_page1")
    if page1 is not None and page1.get("ratio") is not None:
        found.append(
            {
                "target": f"catalog page 1 >= {TARGET_CATALOG_RATIO:.2f}x hello",
                "measured": f"{page1['ratio']:.2f}x",
                "met": page1["ratio"] >= TARGET_CATALOG_RATIO,
            }
        )
    hook = _endpoint(results, "webhook")
    if hook is not None and hook.get("ratio") is not None:
        verified = results.get("webhook", {}).get("verification", {}).get("ok", False)
        found.append(
            {
                "target": f"webhook >= {TARGET_WEBHOOK_RATIO:.2f}x hello, no duplicate or lost enrollment",
                "measured": f"{hook['ratio']:.2f}x, verification {'ok' if verified else 'FAILED'}",
                "met": hook["ratio"] >= TARGET_WEBHOOK_RATIO and verified,
            }
        )
    peak = results.get("memory", {}).get("peak_mb")
    if peak:
        found.append(
            {
                "target": f"peak worker RSS < {TARGET_PEAK_RSS_MB} MB",
                "measured": f"{peak:.0f} MB",
                "met": peak < TARGET_PEAK_RSS_MB,
            }
        )
    if baseline is not None:
        for name in ("catalog_page1", "catalog_deep"):
            now, then = _endpoint(results, name), _endpoint(baseline, name)
            if now is None or then is None or now["path"] != then["path"]:
                continue
            ratio = now["rps"] / then["rps"]
            found.append(
                {
                    "target": f"{name} at {results['config']['courses']:,} courses >= "
                    f"{TARGET_SCALE_RATIO}x of {BASELINE_COURSES:,}",
                    "measured": f"{ratio:.2f}x ({now['rps']:,.0f} vs {then['rps']:,.0f} req/s)",
                    "met": ratio >= TARGET_SCALE_RATIO,
                }
            )
    return found


def console_table(results: dict[str, Any]) -> str:
    rows = [f"{'endpoint':<24} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'x hello':>8} {'errors':>7}  tool"]
    for e in results["endpoints"]:
        if e.get("skipped"):
            rows.append(f"{e['name']:<24} skipped: {e['skipped']}")
            continue
        ratio = f"{e['ratio']:.2f}" if e.get("ratio") is not None else "-"
        rows.append(
            f"{e['name']:<24} {e['rps']:>9,.0f} {e['p50_ms']:>8.1f} {e['p99_ms']:>8.1f} {ratio:>8} "
            f"{e['errors']:>7}  {e['tool']}"
        )
    return "\n".join(rows)


def markdown(results: dict[str, Any]) -> str:
    c, m = results["config"], results["machine"]
    lines = [
        f"# LMS API benchmark — {c['db']}, {c['courses']:,} courses",
        "",
        f"{results['generated_at']} · commit {results['git']} · `{results['command']}`",
        "",
        f"Machine: {m.get('cpu', '?')}, {m.get('cpus')} CPUs, {m.get('memory_gb', '?')} GB RAM, "
        f"{m.get('platform')}, Python {m.get('python')}. Database: {results.get('database_version', '?')}. "
        f"Cache: {c['cache']}. Load average before the run: {m.get('load_average_before')}.",
        "",
        f"Server: gunicorn, {c['workers']} sync workers, `bench.settings` (production settings, DEBUG off, "
        f"CONN_MAX_AGE={c['conn_max_age']}). Load: wrk `-t{c['threads']} -c{c['connections']} "
        f"-d{c['duration']}s`; webhook: wrk `-c{c['webhook_threads']}`, each event a distinct "
        "delivery signed just before the run.",
        "",
        f"Data: {c['instructors']:,} instructors, {c['students']:,} students, {c['courses']:,} courses, "
        f"{c['enrollments']:,} enrollments.",
        "",
        "| endpoint | request | req/s | p50 ms | p99 ms | x hello | errors | queries | tool |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for e in results["endpoints"]:
        if e.get("skipped"):
            lines.append(
                f"| {e['name']} | `{e.get('method', 'GET')} {e['path']}` | skipped: {e['skipped']} |||||||"
            )
            continue
        ratio = f"{e['ratio']:.2f}" if e.get("ratio") is not None else "-"
        queries = e.get("queries", "-")
        lines.append(
            f"| {e['name']} | `{e['method']} {e['path']}` | {e['rps']:,.0f} | {e['p50_ms']:.1f} | "
            f"{e['p99_ms']:.1f} | {ratio} | {e['errors']} | {queries} | {e['tool']} |"
        )
    hook = results.get("webhook")
    if hook and not hook.get("skipped"):
        v, r = hook["verification"], hook["redelivery"]
        lines += [
            "",
            f"Webhook: {hook['events_acknowledged']:,} distinct signed `payment_intent.succeeded` events "
            f"acknowledged, {hook['events_stored']:,} stored. Then {r['stored_events_replayed']} stored "
            f"events were replayed and {r['fresh_events_sent_twice']} fresh events sent twice at once "
            f"(Python threads): outcomes {r['outcomes']}.",
            f"Database check: {v['expected_enrollments']:,} enrollments expected, "
            f"{v['payment_enrollments']:,} found; lost {v['lost_enrollments']}, duplicate "
            f"{v['duplicate_enrollments']}, unexpected {v['unexpected_enrollments']}, payments not succeeded "
            f"{v['payments_not_succeeded']}, events not stored {v['events_not_stored']}, acknowledged but "
            f"not stored {v['acknowledged_not_stored']} → "
            f"**{'ok' if v['ok'] else 'FAILED'}**.",
        ]
    elif hook:
        lines += ["", f"Webhook: skipped — {hook['skipped']}."]
    memory = results.get("memory", {})
    if memory.get("workers"):
        per_worker = ", ".join(f"{w['peak_mb']:.0f} MB" for w in memory["workers"])
        lines += ["", f"Peak RSS (VmHWM) of the gunicorn workers: {per_worker}."]
    if results.get("targets"):
        lines += ["", "| target (issue 6) | measured | met |", "|---|---|---|"]
        for t in results["targets"]:
            lines.append(f"| {t['target']} | {t['measured']} | {'yes' if t['met'] else '**no**'} |")
    drift = results.get("hello_drift") or 0.0
    lines += [
        "",
        f"Ratios are to the bare hello view in the same run: the mean of its two measurements, at the "
        f"start and at the end ({results.get('hello_rps', 0):,.0f} req/s; they differ by {drift:.0%}). "
        "`queries`: SQL queries of one request, counted in-process after the load.",
    ]
    if drift > NOISY_DRIFT:
        lines.append(
            f"**The two hello measurements differ by more than {NOISY_DRIFT:.0%}: something else used the "
            "machine during the run; rerun on an idle machine before quoting these numbers.**"
        )
    lines.append("")
    return "\n".join(lines)


def draw(results: dict[str, Any], path: Path) -> None:
    c = results["config"]
    bars = []
    for e in results["endpoints"]:
        if e.get("skipped") or not e.get("rps"):
            continue
        ratio = f"  {e['ratio']:.2f}X" if e.get("ratio") is not None else ""
        color = COLORS.get(e["name"].split("_")[0], COLORS["catalog"])
        bars.append((e["label"], e["rps"], f"{e['rps']:,.0f}{ratio}", color))
    hello = results.get("hello_rps")
    markers = [(hello * TARGET_CATALOG_RATIO, "0.30X HELLO")] if hello else []
    chart.bar_chart(
        path,
        title=f"LMS API - REQUESTS/S ({c['db']}, {c['courses']:,} COURSES)",
        subtitle=f"GUNICORN {c['workers']} SYNC WORKERS, WRK -T{c['threads']} -C{c['connections']}, "
        f"{c['duration']}S EACH. X = RATIO TO HELLO",
        bars=bars,
        markers=markers,
    )


def render(results: dict[str, Any], stem: Path) -> list[Path]:
    """`<stem>.json`, `<stem>.md` and `<stem>.png` from one run's results."""
    paths = [stem.with_suffix(".json"), stem.with_suffix(".md"), stem.with_suffix(".png")]
    paths[0].write_text(json.dumps(results, indent=2, default=str))
    paths[1].write_text(markdown(results))
    draw(results, paths[2])
    return paths


def write(results: dict[str, Any]) -> list[Path]:
    """bench/results/latest.* and <db>-<courses>.* (the copy another scale compares with)."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    results["targets"] = targets(results, load_baseline(results))
    config = results["config"]
    return render(results, RESULTS_DIR / "latest") + render(
        results, RESULTS_DIR / f"{config['db']}-{config['courses']}"
    )


def main(argv: list[str] | None = None) -> int:
    """Render a results JSON again (its .md and .png), e.g. after changing this module."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("results", type=Path, nargs="+")
    for path in parser.parse_args(argv).results:
        results = json.loads(path.read_text())
        results["targets"] = targets(results, load_baseline(results))
        print(", ".join(str(p) for p in render(results, path.with_suffix(""))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
