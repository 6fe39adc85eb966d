"""The OpenAPI schema builds without warnings and documents the errors of every operation."""

import re

import jsonschema
import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator

from lms.courses.tests.factories import CourseFactory
from lms.learning.services import section_create

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


def test_swagger_ui_loads_its_files_from_this_server_and_runs_no_inline_script(anon_client):
    page = anon_client.get("/api/docs/").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    script = anon_client.get("/api/docs/", {"script": ""})

    assert sources, page
    assert all(source.startswith(("/static/drf_spectacular_sidecar/", "/api/docs/?")) for source in sources)
    assert "cdn" not in page.lower()
    assert re.findall(r"<script>", page) == []  # every script has a src, as the CSP demands
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_swagger_ui_files_are_in_the_installed_sidecar_package():
    for name in ("swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"):
        assert finders.find(f"drf_spectacular_sidecar/swagger-ui-dist/{name}"), name


@pytest.mark.parametrize("path", ["/api/docs/", "/admin/login/", "/api/health/", "/api/courses/"])
def test_every_response_sends_a_content_security_policy(anon_client, path):
    policy = anon_client.get(path)["Content-Security-Policy"]

    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"


def test_schema_validates_without_warnings(tmp_path):
    path = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))

    assert "openapi:" in path.read_text()


# Takes no input, needs no authentication and is not throttled: it cannot answer 4xx.
NO_CLIENT_ERROR = {"GET /api/health/"}
# Callers that must never be turned away: monitors, and Stripe (which retries, and whose
# deliveries a limit kept in the cache would drop exactly when the cache is down).
NOT_THROTTLED = {"GET /api/health/", "POST /api/payments/webhook/"}


def schema_operations() -> list[tuple[str, str, dict]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (method.upper(), path, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    ]


def test_every_operation_documents_a_client_error():
    operations = schema_operations()

    assert len(operations) > 10
    undocumented = [
        f"{method} {path}"
        for method, path, operation in operations
        if not any(code.startswith("4") for code in operation["responses"])
    ]
    assert set(undocumented) == NO_CLIENT_ERROR


def test_every_throttled_operation_documents_429_with_retry_after():
    operations = schema_operations()

    undocumented = [
        f"{method} {path}"
        for method, path, operation in operations
        if "429" not in operation["responses"]
        or "Retry-After" not in operation["responses"]["429"].get("headers", {})
    ]
    assert set(undocumented) == NOT_THROTTLED


def test_health_documents_200_and_503_without_authentication():
    schema = SchemaGenerator().get_schema(request=None, public=True)

    operation = schema["paths"]["/api/health/"]["get"]
    assert set(operation["responses"]) == {"200", "503"}
    assert "security" not in operation and "security" not in schema  # no credentials asked for
    body = operation["responses"]["503"]["content"]["application/json"]["schema"]
    assert body == operation["responses"]["200"]["content"]["application/json"]["schema"]


@pytest.mark.parametrize(
    "method,path,codes",
    [
        ("post", "/api/users/register/", {"400", "413", "415", "429"}),
        ("post", "/api/users/login/", {"400", "401", "429"}),
        ("get", "/api/users/me/", {"401", "403", "429"}),
        ("patch", "/api/users/{id}/", {"400", "401", "403", "404", "409", "429"}),
        ("put", "/api/users/{id}/", {"400", "401", "403", "404", "409", "429"}),
        ("delete", "/api/users/{id}/", {"401", "403", "404", "409", "429"}),
        # simplejwt's views: a malformed, expired or revoked refresh token is 401.
        ("post", "/api/users/token/refresh/", {"400", "401", "429"}),
        ("post", "/api/users/logout/", {"400", "401", "429"}),
        # Lists: a filter value refused is 400, a page past the last one 404.
        # The catalog is public: 401 only for a token that is sent and invalid.
        ("get", "/api/courses/", {"400", "401", "404", "429"}),
        ("get", "/api/enrollments/", {"400", "401", "403", "404", "429"}),
        ("get", "/api/payments/", {"400", "401", "403", "404", "429"}),
        ("get", "/api/audit/", {"400", "401", "403", "404", "429"}),
        ("get", "/api/users/", {"400", "401", "403", "404", "429"}),
    ],
)
def test_operation_documents_its_errors(method, path, codes):
    schema = SchemaGenerator().get_schema(request=None, public=True)

    assert codes <= set(schema["paths"][path][method]["responses"])


def test_every_400_is_field_errors_or_the_error_shape():
    # A body that is not JSON is 400 {detail, code}; a refused field is 400 {field: [messages]}.
    schema = SchemaGenerator().get_schema(request=None, public=True)

    components = schema["components"]["schemas"]
    validation, _ = components["BadRequest"]["oneOf"]
    assert validation == {"$ref": "#/components/schemas/ValidationError"}
    assert conforms({"detail": "JSON parse error.", "code": "parse_error"}, "BadRequest")
    assert conforms({"detail": "Invalid Content-Length header.", "code": "invalid_length"}, "BadRequest")
    assert not conforms({"detail": "Not found.", "code": "not_found"}, "BadRequest")
    bodies = [
        operation["responses"]["400"]["content"]["application/json"]["schema"]
        for _, path, operation in schema_operations()
        if "400" in operation["responses"] and path != "/api/payments/webhook/"  # only a bad signature
    ]
    assert len(bodies) > 10
    assert all(body == {"$ref": "#/components/schemas/BadRequest"} for body in bodies)


def test_id_filters_document_their_range():
    schema = SchemaGenerator().get_schema(request=None, public=True)

    parameters = {p["name"]: p["schema"] for p in schema["paths"]["/api/payments/"]["get"]["parameters"]}
    assert parameters["course"] == {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}


def conforms(body, component: str) -> bool:
    """Whether a body matches a component of the live schema (its $refs resolved in place)."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validator = jsonschema.Draft202012Validator(
        {"components": schema["components"], "$ref": f"#/components/schemas/{component}"}
    )
    return validator.is_valid(body)


def test_nested_field_errors_match_the_documented_400(instructor, instructor_client):
    # The curriculum order is a list of objects: an item's errors nest under its index.
    course = CourseFactory(instructor=instructor)
    section = section_create(actor=instructor, course=course, title="One")

    r = instructor_client.put(
        f"/api/courses/{course.pk}/curriculum/order/", {"sections": [{"id": section.pk}]}
    )

    assert r.status_code == 400
    assert r.json() == {"sections": {"0": {"lessons": ["This field is required."]}}}
    assert conforms(r.json(), "BadRequest")
    assert conforms({"title": ["This field is required."]}, "BadRequest")
    assert conforms({"detail": "JSON parse error.", "code": "parse_error"}, "BadRequest")
    assert not conforms({"title": "not a list"}, "BadRequest")


def error_responses(schema):
    for method, path, operation in schema_operations():
        for status, response in operation["responses"].items():
            if int(status) >= 400 and path != "/api/health/":  # health's 503 is its own report
                yield method, path, status, response["content"]["application/json"]["schema"]


def test_every_error_response_lists_its_codes():
    schema = SchemaGenerator().get_schema(request=None, public=True)

    for method, path, status, body in error_responses(schema):
        if body == {"$ref": "#/components/schemas/BadRequest"}:
            continue
        assert sorted(body["required"]) == ["code", "detail"], (method, path, status)
        assert body["properties"]["code"]["enum"], (method, path, status)


@pytest.mark.parametrize(
    "method,path,status,codes",
    [
        ("post", "/api/enrollments/", "409", ["already_enrolled"]),
        ("post", "/api/enrollments/", "402", ["payment_required"]),
        ("post", "/api/payments/", "409", ["already_enrolled", "conflict"]),
        ("post", "/api/payments/", "503", ["payment_provider_not_configured", "upstream_unavailable"]),
        # An operation's own code and the common ones of the same status, together.
        ("post", "/api/lessons/{id}/complete/", "403", ["enrollment_required", "permission_denied"]),
        ("post", "/api/users/login/", "401", ["no_active_account"]),
        ("get", "/api/courses/", "429", ["throttled"]),
        # A public endpoint: no `not_authenticated`, but a token sent must be valid.
        (
            "get",
            "/api/courses/",
            "401",
            [
                "authentication_failed",
                "bad_authorization_header",
                "token_not_valid",
                "user_inactive",
                "user_not_found",
            ],
        ),
    ],
)
def test_an_operation_lists_the_codes_it_gives(method, path, status, codes):
    schema = SchemaGenerator().get_schema(request=None, public=True)

    body = schema["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]
    assert body["properties"]["code"]["enum"] == codes


def test_a_shared_error_response_is_not_changed_by_the_operations_using_it():
    # ENROLLMENT_REQUIRED serves GET /api/lessons/{id}/ (public: no permission_denied) and the
    # completion endpoints (students only): merging the latter's codes must not reach the former.
    schema = SchemaGenerator().get_schema(request=None, public=True)

    lesson = schema["paths"]["/api/lessons/{id}/"]["get"]["responses"]["403"]["content"]["application/json"]
    assert lesson["schema"]["properties"]["code"]["enum"] == ["enrollment_required"]


def test_request_bodies_carry_no_internal_docstrings():
    # drf-spectacular describes each component with its serializer's docstring (inherited too).
    schema = SchemaGenerator().get_schema(request=None, public=True)

    descriptions = {name: c.get("description", "") for name, c in schema["components"]["schemas"].items()}
    internal = ("DRF", "drf", "simplejwt", "serializer", "Validates request bodies", "500")
    assert [name for name, text in descriptions.items() if any(word in text for word in internal)] == []
    assert descriptions["CourseInputRequest"] == (
        "A request body. A field not listed here is refused (400), never silently ignored."
    )


@pytest.mark.parametrize(
    ("component", "field"),
    [
        ("Course", "price"),
        ("CourseInputRequest", "price"),
        ("CourseSummary", "price"),
        ("Payment", "amount"),
        ("PaymentCreateRequest", "amount"),
    ],
)
def test_money_is_documented_as_a_non_negative_decimal_with_an_example(component, field):
    schema = SchemaGenerator().get_schema(request=None, public=True)

    money = schema["components"]["schemas"][component]["properties"][field]
    assert money["pattern"] == r"^\d{1,6}(?:\.\d{1,2})?$"  # no minus sign
    assert money["example"] == "49.00"
    assert re.fullmatch(money["pattern"], "120.00")
    assert not re.fullmatch(money["pattern"], "-717805.3")


def test_the_course_examples_are_realistic():
    schema = SchemaGenerator().get_schema(request=None, public=True)

    create = schema["paths"]["/api/courses/"]["post"]["requestBody"]["content"]["application/json"]
    examples = [example["value"] for example in create["examples"].values()]
    assert {"title": "Intro to Git", "price": "0"} in examples
    assert all(not example["price"].startswith("-") for example in examples)
