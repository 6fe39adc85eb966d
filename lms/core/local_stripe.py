"""Where `make run` records the localstripe it started, so that a second terminal finds it.

scripts/run_local.py writes the address to `.localstripe-url` (gitignored) once localstripe
answers, and removes it when it stops; config/settings/local.py reads it, so `manage.py pay_test`
and every other command reach the same local Stripe with no configuration. Plain Python, no
Django: the settings and the launcher import this (not from `config`, whose package loads Celery).
"""

from __future__ import annotations

from pathlib import Path

DEFAULT_PORT = 8420
HOST = "127.0.0.1"
URL_FILE = Path(__file__).resolve().parents[2] / ".localstripe-url"


def url_for(port: int | str) -> str:
    return f"http://{HOST}:{int(port)}"


def api_base(port: str = "", url_file: Path | None = None) -> str:
    """LOCALSTRIPE_PORT's localstripe when it is set, else the one `make run` recorded, else 8420."""
    if port:
        return url_for(port)
    try:
        recorded = (url_file or URL_FILE).read_text().strip()
    except OSError:
        recorded = ""
    return recorded if recorded.startswith(f"http://{HOST}:") else url_for(DEFAULT_PORT)


def record(url: str, url_file: Path | None = None) -> None:
    (url_file or URL_FILE).write_text(url + "\n")


def forget(url: str, url_file: Path | None = None) -> None:
    """Remove the record, unless another `make run` has replaced it with its own since."""
    url_file = url_file or URL_FILE
    try:
        if url_file.read_text().strip() == url:
            url_file.unlink()
    except OSError:
        pass
