"""The N+1 guard shared by every list endpoint's query tests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_of(client, url: str) -> tuple[list[str], dict]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return [q["sql"] for q in queries.captured_queries], response.json()


def assert_no_n_plus_one(client, url: str, *, rows: int = 100) -> dict:
    """A page of 1 row and a page of `rows` rows cost the same queries; returns the large page.

    A first request warms what any request may cache (the user, a count), so both measured
    requests start alike.
    """
    separator = "&" if "?" in url else "?"
    queries_of(client, url)
    small, small_page = queries_of(client, f"{url}{separator}page_size=1")
    large, large_page = queries_of(client, f"{url}{separator}page_size={rows}")
    assert len(small_page["results"]) == 1
    assert len(large_page["results"]) == rows
    assert len(small) == len(large), "\n".join(large)
    return large_page
