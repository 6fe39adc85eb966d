"""The documentation keeps up with the code: every environment variable documented, a short README."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SETTINGS_DIR = ROOT / "config" / "settings"
OPERATIONS = ROOT / "docs" / "operations.md"
README = ROOT / "README.md"

_NAME = r"""["']([A-Z][A-Z0-9_]*)["']"""
# env.str("NAME", ...), env.int('NAME'), env("NAME"), os.environ["NAME"], os.environ.get("NAME"),
# os.environ.setdefault("NAME", ...), os.getenv("NAME").
READS = [
    re.compile(rf"\benv(?:\.\w+)?\(\s*{_NAME}"),
    re.compile(rf"\bos\.environ(?:\.(?:get|setdefault|pop))?[\[(]\s*{_NAME}"),
    re.compile(rf"\bos\.getenv\(\s*{_NAME}"),
]
# A row of the environment variable table: | `NAME` | default | meaning |
TABLE_ROW = re.compile(r"^\| `([A-Z][A-Z0-9_]*)` \|", re.MULTILINE)


def variables_read_by_settings() -> set[str]:
    names: set[str] = set()
    for path in sorted(SETTINGS_DIR.glob("*.py")):
        source = path.read_text()
        for pattern in READS:
            names.update(pattern.findall(source))
    return names


def variables_documented() -> set[str]:
    return set(TABLE_ROW.findall(OPERATIONS.read_text()))


def test_the_settings_scan_finds_the_variables():
    """Guards the regexes: a scan that finds nothing would let every variable go undocumented."""
    found = variables_read_by_settings()

    # One read of each kind: env.str, env.db, env.list, env.bool, and an f-string with single quotes.
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOWED_HOSTS", "DJANGO_DEBUG"} <= found
    assert "LOCALSTRIPE_PORT" in found
    assert len(found) >= 20


def test_every_environment_variable_of_the_settings_is_in_operations_md():
    undocumented = sorted(variables_read_by_settings() - variables_documented())

    assert undocumented == [], f"add these to the table in docs/operations.md: {undocumented}"


def test_the_readme_is_short_and_names_the_two_commands():
    text = README.read_text()

    assert len(text.splitlines()) < 200
    assert "make run" in text
    assert "make test" in text


def test_the_readme_links_the_other_documents():
    text = README.read_text()

    for target in ("docs/api.md", "docs/frontend.md", "docs/operations.md", "bench/README.md"):
        assert f"]({target})" in text, target
        assert (ROOT / target).is_file(), target
