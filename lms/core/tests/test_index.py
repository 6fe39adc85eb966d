"""/api/: the index the README points to, with the links to the docs and the schema and the version."""

import pytest
from django.conf import settings

from lms.core.tests.test_schema import schema_operations

pytestmark = pytest.mark.django_db

INDEX = {
    "version": settings.API_VERSION,
    "docs": "http://testserver/api/docs/",
    "schema": "http://testserver/api/schema/",
    "health": "http://testserver/api/health/",
}


@pytest.mark.parametrize("path", ["/api/", "/api"])
def test_the_index_links_the_docs_and_the_schema(anon_client, path):
    r = anon_client.get(path)

    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/json")
    assert r.json() == INDEX


def test_every_link_of_the_index_answers(anon_client):
    for name, url in anon_client.get("/api/").json().items():
        if name != "version":
            assert anon_client.get(url.removeprefix("http://testserver")).status_code == 200, name


def test_the_index_and_the_schema_give_one_version(anon_client):
    schema = anon_client.get("/api/schema/", {"format": "json"}).json()

    assert anon_client.get("/api/").json()["version"] == schema["info"]["version"] == "1.0.0"


def test_a_stale_token_does_not_turn_the_index_away(anon_client):
    anon_client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")

    assert anon_client.get("/api/").json() == INDEX


def test_the_index_is_in_the_schema():
    operations = {f"{method} {path}": op for method, path, op in schema_operations()}

    assert set(operations["GET /api/"]["responses"]) == {"200", "429"}
    assert "security" not in operations["GET /api/"]  # no credentials asked for
