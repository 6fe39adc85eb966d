"""Every list refuses a filter or ordering value it does not take (400, naming the parameter and
what it takes), and the schema describes each parameter with its type and its allowed values.

The lists are read from the schema, so a list added later is checked too.
"""

import pytest

from lms.core.tests.test_schema import schema_operations

pytestmark = pytest.mark.django_db


def list_parameters() -> list[tuple[str, dict]]:
    return [
        (path, parameter)
        for method, path, operation in schema_operations()
        if method == "GET" and "{" not in path
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query"
    ]


def parameters_of(kind: str) -> list[tuple[str, str]]:
    """(list, parameter) of the boolean or the choice (enum) query parameters the schema gives."""
    found = set()
    for path, parameter in list_parameters():
        schema = parameter["schema"]
        if (kind == "boolean" and schema["type"] == "boolean") or (kind == "choice" and "enum" in schema):
            found.add((path, parameter["name"]))
    return sorted(found)


LISTS = {"/api/courses/", "/api/enrollments/", "/api/payments/", "/api/users/", "/api/audit/"}
BOOLEANS = {("/api/courses/", "is_free"), ("/api/enrollments/", "active"), ("/api/users/", "is_active")}
TYPES = {"boolean", "integer", "number", "string", "array"}


def test_the_schema_types_the_boolean_filters_as_booleans():
    assert set(parameters_of("boolean")) >= BOOLEANS


def test_the_schema_types_every_filter_parameter():
    untyped = [(path, p["name"]) for path, p in list_parameters() if p["schema"].get("type") not in TYPES]

    assert untyped == []
    assert {path for path, _ in list_parameters()} >= LISTS


@pytest.mark.parametrize("path", sorted(LISTS))
def test_the_schema_lists_the_ordering_keys_of_every_list(path):
    ordering = [p for list_path, p in list_parameters() if list_path == path and p["name"] == "ordering"]

    assert len(ordering) == 1
    assert ordering[0]["schema"]["type"] == "array"
    assert ordering[0]["style"] == "form" and ordering[0]["explode"] is False  # comma-separated
    keys = ordering[0]["schema"]["items"]["enum"]
    assert keys and all(f"-{key}" in keys for key in keys if not key.startswith("-"))


@pytest.mark.parametrize(("path", "name"), parameters_of("boolean"))
@pytest.mark.parametrize("value", ["yes", "garbage", "no", "2", "truee"])
def test_a_boolean_filter_refuses_anything_but_true_or_false(admin_client_api, path, name, value):
    r = admin_client_api.get(path, {name: value})

    assert r.status_code == 400
    assert r.json() == {name: ["Must be one of: true, false."]}


@pytest.mark.parametrize(("path", "name"), parameters_of("boolean"))
@pytest.mark.parametrize("value", ["true", "false", "TRUE", "False", "1", "0", ""])
def test_a_boolean_filter_takes_true_and_false(admin_client_api, path, name, value):
    assert admin_client_api.get(path, {name: value}).status_code == 200


@pytest.mark.parametrize(("path", "name"), parameters_of("choice"))
def test_a_choice_filter_lists_its_choices_when_refusing_a_value(admin_client_api, path, name):
    parameter = next(p for list_path, p in list_parameters() if list_path == path and p["name"] == name)
    schema = parameter["schema"]
    allowed = schema["items"]["enum"] if schema["type"] == "array" else schema["enum"]

    r = admin_client_api.get(path, {name: "bogus"})

    assert r.status_code == 400
    (message,) = r.json()[name]
    assert all(value in message for value in allowed), message


@pytest.mark.parametrize("path", sorted(LISTS))
def test_every_ordering_key_of_the_schema_is_taken(admin_client_api, path):
    (ordering,) = [p for list_path, p in list_parameters() if list_path == path and p["name"] == "ordering"]
    keys = ordering["schema"]["items"]["enum"]

    for key in keys:
        assert admin_client_api.get(path, {"ordering": key}).status_code == 200, key
    assert admin_client_api.get(path, {"ordering": ",".join(keys)}).status_code == 200


@pytest.mark.parametrize("key", ["code", "-issued_at", "enrollment__student__password"])
def test_a_list_without_sort_keys_refuses_every_ordering(admin_client_api, key):
    # DRF would sort by any serializer field (`code`), and a refused key was a 500 here.
    response = admin_client_api.get("/api/certificates/", {"ordering": key})

    assert response.status_code == 400, response.content
    assert response.json()["ordering"] == ["This list has no sort keys."]
    assert not [
        p for path, p in list_parameters() if path == "/api/certificates/" and p["name"] == "ordering"
    ]
