"""The OpenAPI schema builds without warnings and documents the errors of every operation."""

import pytest
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db

HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


def test_schema_endpoint(anon_client):
    r = anon_client.get("/api/schema/", {"format": "json"})

    assert r.status_code == 200
    schema = r.json()
    assert schema["info"]["title"] == "LMS API"
    assert "/api/users/login/" in schema["paths"]


def test_docs_endpoint(anon_client):
    r = anon_client.get("/api/docs/")

    assert r.status_code == 200
    assert b"swagger" in r.content.lower()


def test_schema_validates_without_warnings(tmp_path):
    path = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))

    assert "openapi:" in path.read_text()


def test_every_operation_documents_a_client_error():
    schema = SchemaGenerator().get_schema(request=None, public=True)

    operations = [
        (method.upper(), path, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    ]
    assert len(operations) > 10
    undocumented = [
        f"{method} {path}"
        for method, path, operation in operations
        if not any(code.startswith("4") for code in operation["responses"])
    ]
    assert undocumented == []


@pytest.mark.parametrize(
    "method,path,codes",
    [
        ("post", "/api/users/register/", {"400", "413", "415"}),
        ("post", "/api/users/login/", {"400", "401"}),
        ("get", "/api/users/me/", {"401", "403"}),
        ("patch", "/api/users/{id}/", {"400", "401", "403", "404"}),
        ("delete", "/api/users/{id}/", {"401", "403", "404", "409"}),
    ],
)
def test_operation_documents_its_errors(method, path, codes):
    schema = SchemaGenerator().get_schema(request=None, public=True)

    assert codes <= set(schema["paths"][path][method]["responses"])
