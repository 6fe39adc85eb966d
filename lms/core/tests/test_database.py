"""`make run`'s SQLite file holds simultaneous writers: they wait for each other, none fails.

Each case starts `sqlite_writers` in a process of its own on a new file in tmp_path, under the
local settings, whatever database this run of the suite uses.
"""

import json
import os
import subprocess
import sys

from django.conf import settings

WRITERS = 8


def write_at_once(database_url: str) -> dict:
    env = {key: value for key, value in os.environ.items() if key != "CONN_MAX_AGE"}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.local", DATABASE_URL=database_url)
    result = subprocess.run(
        [sys.executable, "-m", "lms.core.tests.sqlite_writers", str(WRITERS)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_simultaneous_writers_on_the_local_sqlite_file_wait_for_each_other(tmp_path):
    outcome = write_at_once(f"sqlite:///{tmp_path / 'db.sqlite3'}")

    # No "database is locked", and no update lost: each transaction saw the one before it.
    assert outcome == {"errors": [], "value": WRITERS, "journal_mode": "wal"}


def test_with_django_s_default_deferred_transactions_the_same_writers_fail(tmp_path):
    """The control: what the writers met before the settings chose IMMEDIATE transactions."""
    outcome = write_at_once(f"sqlite:///{tmp_path / 'db.sqlite3'}?transaction_mode=DEFERRED")

    assert outcome["errors"]
    assert set(outcome["errors"]) == {"database is locked"}
    assert outcome["value"] == WRITERS - len(outcome["errors"])
