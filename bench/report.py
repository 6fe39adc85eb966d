"""The report of one run: the targets, bench/results/postgres-<courses>.{json,md}, and the chart."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
BASE, LARGE = 10_000, 1_000_000

# The product's performance targets: what each means, and its threshold.
TARGETS = {
    "catalog": ("catalog page 1 at 10,000 courses >= 0.30x hello", 0.30),
    "scale": ("catalog page 1 at 1,000,000 courses >= 0.8x its req/s at 10,000", 0.8),
    "webhook": ("webhook >= 0.06x hello, 0 enrollments lost or duplicated", 0.06),
    "rss": ("worker peak RSS < 150 MB", 150),
    "anon_catalog_page1": ("catalog page 1, anonymous, at 10,000 courses >= 0.30x hello", 0.30),
    "curriculum": ("curriculum of 20 x 10 lessons, as a student >= 0.25x hello", 0.25),
    "lesson": ("a lesson, for an enrolled student >= 0.25x hello", 0.25),
    "lesson_complete": ("marking a lesson complete >= 0.08x hello", 0.08),
    "lcp": ("catalog page's Largest Contentful Paint in Chromium < 1.5 s", 1500),
    "js": ("catalog page's first-load JavaScript < 200 KB gzipped", 200_000),
}
# Targets met by one endpoint's ratio to hello in this run: target key = endpoint name.
RATIO_TARGETS = ("anon_catalog_page1", "curriculum", "lesson", "lesson_complete")


def _row(results: dict[str, Any] | None, name: str) -> dict[str, Any] | None:
    return next((r for r in (results or {}).get("endpoints", []) if r["name"] == name and "rps" in r), None)


def _saved(courses: int) -> dict[str, Any] | None:
    try:
        return json.loads((RESULTS / f"postgres-{courses}.json").read_text())
    except (OSError, ValueError):
        return None


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Each target met or not (None: not measured). Catalog and webhook are judged at 10,000 courses,
    the scale target on page 1 at both scales: this run at its own, the saved results at the other."""
    at = {courses: _saved(courses) for courses in (BASE, LARGE)} | {results["courses"]: results}
    page1, large = _row(at[BASE], "catalog_page1"), _row(at[LARGE], "catalog_page1")
    hook = _row(results, "webhook") if results["courses"] == BASE else None
    rss = max(results["rss_mb"], default=0)
    found: dict[str, tuple[str, bool]] = {}
    if page1:
        saved = "" if at[BASE] is results else " (saved 10,000-course run)"
        found["catalog"] = (f"{page1['ratio']:.2f}x{saved}", page1["ratio"] >= TARGETS["catalog"][1])
    if page1 and large:
        scale = large["rps"] / page1["rps"]
        found["scale"] = (
            f"{scale:.2f}x ({large['rps']:,.0f} / {page1['rps']:,.0f} req/s)",
            scale >= TARGETS["scale"][1],
        )
    if hook:
        check = hook["check"]
        measured = f"{hook['ratio']:.2f}x, {check['lost']} lost, {check['duplicated']} duplicated"
        found["webhook"] = (measured, hook["ratio"] >= TARGETS["webhook"][1] and check["ok"])
    if rss:
        found["rss"] = (f"{rss:.0f} MB", rss < TARGETS["rss"][1])
    if (lcp := results.get("lcp")) and "lcp_ms" in lcp:
        median = f"{lcp['lcp_ms']} ms (median of {len(lcp['runs_ms'])})"
        found["lcp"] = (median, lcp["lcp_ms"] < TARGETS["lcp"][1])
        found["js"] = (f"{lcp['js_bytes'] / 1000:.0f} KB", lcp["js_bytes"] < TARGETS["js"][1])
    for key in RATIO_TARGETS:
        if row := _row(results, key):
            found[key] = (f"{row['ratio']:.2f}x", row["ratio"] >= TARGETS[key][1])
    return [
        {
            "target": text,
            "measured": found.get(key, ("not measured",))[0],
            "met": found.get(key, ("", None))[1],
        }
        for key, (text, _) in TARGETS.items()
    ]


def markdown(results: dict[str, Any]) -> str:
    c = results["config"]
    lines = [
        f"# Benchmark: PostgreSQL, {results['courses']:,} courses",
        "",
        f"{results['date']}, commit {results['commit']}. {results['machine']}. {results['database']}.",
        f"gunicorn {c['workers']} sync workers (`bench.settings`); wrk `-t{c['threads']} "
        f"-c{c['connections']} -d{c['duration']}s` per endpoint, {c['users']:,} users' tokens; "
        f"webhook `-c{c['webhook_connections']}`.",
        "",
        "| endpoint | request | req/s | p50 ms | p99 ms | x hello | errors |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for r in results["endpoints"]:
        if "rps" in r:
            numbers = (
                f"{r['rps']:,.0f} | {r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['ratio']:.2f} | {r['errors']}"
            )
        else:
            numbers = f"{r['skipped']} | | | |"
        lines.append(f"| {r['name']} | `{r['request']}` | {numbers} |")
    hook = next((r["check"] for r in results["endpoints"] if "check" in r), None)
    if hook:
        repeated = f", {hook['repeated']} sent twice (too few seeded)" if hook["repeated"] else ""
        lines += [
            "",
            f"Webhook check: {hook['acknowledged']:,} events acknowledged, {hook['enrollments']:,} paid "
            f"enrollments: {hook['lost']} lost, {hook['duplicated']} duplicated{repeated}: "
            f"**{'ok' if hook['ok'] else 'FAILED'}**.",
        ]
    lines += ["", f"Worker peak RSS (VmHWM): {', '.join(f'{mb:.0f} MB' for mb in results['rss_mb'])}."]
    if lcp := results.get("lcp"):
        if "lcp_ms" in lcp:
            runs = ", ".join(f"{ms} ms" for ms in lcp["runs_ms"])
            lines += [
                "",
                f"The catalog page (`{lcp['url']}`) in Chromium, 5 cold loads after the load runs: "
                f"Largest Contentful Paint {runs}; {lcp['js_bytes']:,} bytes of JavaScript on the wire.",
            ]
        else:
            lines += ["", f"The catalog page's load in a browser was not measured: {lcp['skipped']}."]
    lines += ["", "| target | measured | met |", "|---|---|---|"]
    for t in results["targets"]:
        lines.append(
            f"| {t['target']} | {t['measured']} | {({True: 'yes', False: '**no**'}).get(t['met'], '-')} |"
        )
    drift = f"{results['hello_drift']:.0%}"
    lines += ["", f"x hello: to the mean of hello at the start and at the end (they differ by {drift})."]
    if results["hello_drift"] > 0.15:
        lines.append("**Hello moved by more than 15%: the machine was busy; rerun before quoting these.**")
    return "\n".join(lines) + "\n"


def chart(results: dict[str, Any], path: Path) -> None:
    import matplotlib

    logging.getLogger("matplotlib").setLevel(logging.WARNING)  # Django's logging config shows INFO
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = [r for r in results["endpoints"] if "rps" in r]
    colors = {"hello": "#868e96", "catalog": "#1c7ed6", "course": "#0ca678", "enrollments": "#f76707"}
    fig, ax = plt.subplots(figsize=(9, 1.5 + 0.4 * len(rows)))
    names, rps = [r["name"] for r in rows], [r["rps"] for r in rows]
    ax.barh(names, rps, color=[colors.get(name.split("_")[0], "#ae3ec9") for name in names])
    for i, r in enumerate(rows):
        ax.text(r["rps"], i, f" {r['rps']:,.0f}  {r['ratio']:.2f}x", va="center", fontsize=9)
    for key, style in (("catalog", "--"), ("webhook", ":")):
        ratio = TARGETS[key][1]
        ax.axvline(
            results["hello_rps"] * ratio, color="#d6336c", ls=style, label=f"{key} target: {ratio:.2f}x hello"
        )
    ax.legend(loc="best", fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, max(rps) * 1.22)
    ax.set_xlabel("requests/s (x: ratio to hello)")
    c = results["config"]
    ax.set_title(
        f"LMS API on PostgreSQL, {results['courses']:,} courses: gunicorn {c['workers']} sync workers, "
        f"wrk -c{c['connections']} -d{c['duration']}s",
        fontsize=10,
    )
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def write(results: dict[str, Any]) -> str:
    """Ratios, targets, the JSON and Markdown (git-ignored), the chart (docs/); returns the Markdown."""
    rows = [r for r in results["endpoints"] if "rps" in r]
    hellos = [r["rps"] for r in rows if r["name"].startswith("hello")]
    results["hello_rps"] = hello = sum(hellos) / len(hellos)
    results["hello_drift"] = (max(hellos) - min(hellos)) / max(hellos)
    for r in rows:
        r["ratio"] = round(r["rps"] / hello, 3)
    results["targets"] = targets(results)
    stem = RESULTS / f"postgres-{results['courses']}"
    png = ROOT / "docs" / f"bench-postgres-{results['courses']}.png"
    stem.with_suffix(".json").write_text(json.dumps(results, indent=2))
    stem.with_suffix(".md").write_text(text := markdown(results))
    chart(results, png)
    return f"{text}\nWritten: {stem.relative_to(ROOT)}.json and .md, {png.relative_to(ROOT)}"
