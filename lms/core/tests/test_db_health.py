"""lms.core.db.health: a connection is health-checked before a request only when it may be stale.

A request's start and its first query are driven as Django's handlers drive them:
`close_old_connections` (on request_started) and then `_cursor`, which checks the connection.
"""

import time

import pytest
from django.db import DEFAULT_DB_ALIAS, Error, close_old_connections, connections

from lms.core.db.health import HealthCheckIntervalMixin

connection = connections[DEFAULT_DB_ALIAS]  # the wrapper itself (django.db.connection is a proxy)

pytestmark = [
    # Autocommit, as between requests: inside a test's transaction Django would drop the connection.
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not isinstance(connection, HealthCheckIntervalMixin),
        reason="SQLite has no server connection to lose, so settings keep Django's backend there; "
        "these tests run on PostgreSQL and MariaDB (DATABASE_URL)",
    ),
]


@pytest.fixture
def checks(monkeypatch):
    """Counts the health checks (`is_usable`, Django's SELECT 1), which still run for real."""
    calls = []
    real = connection.is_usable

    def is_usable():
        calls.append(time.monotonic())
        return real()

    monkeypatch.setattr(connection, "is_usable", is_usable)
    return calls


def request_with_a_query() -> int:
    close_old_connections()  # what request_started runs
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return cursor.fetchone()[0]


def drop_from_the_server_side() -> None:
    """End this connection's session from another connection, as a database restart would."""
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()" if postgres else "SELECT CONNECTION_ID()")
        session = int(cursor.fetchone()[0])
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with other.cursor() as cursor:
            cursor.execute(f"SELECT pg_terminate_backend({session})" if postgres else f"KILL {session}")
    finally:
        other.close()
    time.sleep(0.2)  # pg_terminate_backend only signals the session


def test_the_settings_use_the_interval_backend():
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True
    assert connection.settings_dict["HEALTH_CHECK_INTERVAL"] == 1.0
    assert type(connection).__module__.startswith("lms.core.db.backends.")


def test_a_connection_checked_within_the_interval_is_not_checked_again(checks):
    request_with_a_query()  # opens the connection, or checks it: either way it is fresh now

    for _ in range(5):
        assert request_with_a_query() == 1

    assert len(checks) <= 1


def test_a_connection_not_checked_for_longer_is_checked_before_its_first_query(checks):
    request_with_a_query()
    checks.clear()
    connection.health_checked_at = time.monotonic() - 2

    assert request_with_a_query() == 1
    assert request_with_a_query() == 1

    assert len(checks) == 1  # the second request is within the interval of that check


def test_a_stale_dead_connection_is_replaced_before_it_fails_a_request(checks):
    request_with_a_query()
    dead = connection.connection
    drop_from_the_server_side()  # while the connection sat idle
    checks.clear()
    connection.health_checked_at = time.monotonic() - 2

    assert request_with_a_query() == 1

    assert len(checks) == 1
    assert connection.connection is not dead


def test_a_connection_lost_within_the_interval_fails_one_request_and_is_replaced(checks):
    """The documented price of the interval: a database restart costs one request per connection."""
    request_with_a_query()
    dead = connection.connection
    drop_from_the_server_side()

    with pytest.raises(Error):
        request_with_a_query()
    close_old_connections()  # what request_finished runs: the error marked the connection

    assert request_with_a_query() == 1
    assert connection.connection is not dead


def test_an_interval_of_zero_checks_before_every_request(checks, monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "HEALTH_CHECK_INTERVAL", 0)
    request_with_a_query()
    checks.clear()

    for _ in range(3):
        request_with_a_query()

    assert len(checks) == 3
