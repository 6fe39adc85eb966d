"""Writers at the same moment on one SQLite file, under the settings `DJANGO_SETTINGS_MODULE` names.

`python -m lms.core.tests.sqlite_writers N`, in a process of its own (test_database.py starts it),
with DATABASE_URL naming a new file: the settings are read at start, as under `make run`. Each of N
threads reads a counter, then writes it back plus one, in one transaction, as the services do
(`select_for_update`, then save). Prints one JSON line: the errors, the counter, the journal mode.
"""

import json
import sys
import threading
import time

import django
from django.db import connection, transaction


def write_at_once(n: int) -> list[str]:
    """n read-then-write transactions started together; the error of each that failed."""
    barrier = threading.Barrier(n)
    errors: list[str] = []

    def work() -> None:
        try:
            barrier.wait(timeout=30)
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT value FROM counter WHERE id = 1")
                (value,) = cursor.fetchone()
                time.sleep(0.05)  # the other threads begin their transactions meanwhile
                cursor.execute("UPDATE counter SET value = %s WHERE id = 1", [value + 1])
        except Exception as exc:
            errors.append(str(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def main(n: int) -> None:
    django.setup()
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)")
        cursor.execute("INSERT INTO counter VALUES (1, 0)")
    errors = write_at_once(n)
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM counter WHERE id = 1")
        (value,) = cursor.fetchone()
        cursor.execute("PRAGMA journal_mode")
        (journal_mode,) = cursor.fetchone()
    print(json.dumps({"errors": errors, "value": value, "journal_mode": journal_mode}))


if __name__ == "__main__":
    main(int(sys.argv[1]))
