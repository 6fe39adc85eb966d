"""The OpenAPI schema generates TypeScript types without a warning, and they compile (make test).

Writes the schema with `manage.py spectacular` (which fails on any warning of its own), runs the
pinned openapi-typescript from frontend/ on it, and fails when it prints anything but its banner and
its one "schema → types" line: openapi-typescript reports a warning and carries on. The types
must then pass `tsc --strict`. Needs frontend/node_modules (the make target installs them).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FRONTEND = ROOT / "frontend"
SETTINGS = {"DJANGO_SETTINGS_MODULE": "config.settings.test"}  # as gen-api.mjs: no local environment


def run(*command: str) -> str:
    env = {**os.environ, **SETTINGS}
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False, env=env)
    output = result.stdout + result.stderr
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({result.returncode}):\n{output}")
    return output


def unexpected_lines(output: str) -> list[str]:
    """What openapi-typescript printed besides "✨ openapi-typescript X" and "🚀 a → b [t]"."""
    lines = [line for line in output.splitlines() if line.strip()]
    return [line for line in lines if not line.startswith(("✨ openapi-typescript", "🚀 "))]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        schema, types = Path(tmp) / "openapi.yaml", Path(tmp) / "api.ts"
        run(sys.executable, "manage.py", "spectacular", "--file", str(schema), "--fail-on-warn", "--validate")
        output = run("npx", "--prefix", str(FRONTEND), "openapi-typescript", str(schema), "-o", str(types))
        extra = unexpected_lines(output)
        if extra:
            sys.exit("openapi-typescript warned:\n" + "\n".join(extra))
        run("npx", "--prefix", str(FRONTEND), "tsc", "--noEmit", "--strict", "--skipLibCheck", str(types))
    print("api-types: the schema generates TypeScript types without warnings, and they compile")


if __name__ == "__main__":
    main()
