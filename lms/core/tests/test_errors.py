"""Every error reaches the client as JSON in one of two stable shapes; list endpoints paginate alike."""

import json

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions as drf_exceptions

from lms.core import exceptions
from lms.core.exception_handler import exception_handler
from lms.users.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/api/users/login/"
USERS = "/api/users/"


def assert_error_shape(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"detail", "code"}
    assert body["detail"]
    if code is not None:
        assert body["code"] == code
    return body


# --- Request parsing ---------------------------------------------------------------------------


def test_malformed_json_is_400(anon_client):
    r = anon_client.post(LOGIN, '{"email": ', content_type="application/json")

    assert_error_shape(r, 400, "parse_error")


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({"data": "email=a@example.com", "content_type": "text/plain"}, id="text-plain"),
        pytest.param(
            {"data": "email=a%40example.com&password=x", "content_type": "application/x-www-form-urlencoded"},
            id="form-urlencoded",
        ),
        pytest.param(
            {"data": {"email": "a@example.com", "password": "x"}, "format": "multipart"}, id="multipart"
        ),
    ],
)
def test_non_json_body_is_415(anon_client, kwargs):
    r = anon_client.post(LOGIN, **kwargs)

    assert_error_shape(r, 415, "unsupported_media_type")


def test_body_over_limit_is_413_before_parsing(anon_client):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 1024 * 1024
    body = json.dumps({"email": "a@example.com", "password": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE})

    r = anon_client.post(LOGIN, body, content_type="application/json")

    assert_error_shape(r, 413, "payload_too_large")


def test_body_under_limit_is_parsed(anon_client):
    body = json.dumps(
        {"email": "a@example.com", "password": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 2)}
    )

    r = anon_client.post(LOGIN, body, content_type="application/json")

    # Parsed and validated: the password is longer than the field allows.
    assert r.status_code == 400
    assert "password" in r.json()


class UnreadableStream:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("a body without Content-Length was read")

    readline = read


def test_body_without_content_length_is_never_read(anon_client):
    # A chunked upload reaches a WSGI app (gunicorn) with no Content-Length. Django reads at most
    # Content-Length bytes, so the body is treated as empty and its size cannot matter.
    r = anon_client.generic(
        "POST",
        LOGIN,
        content_type="application/json",
        CONTENT_LENGTH="",
        HTTP_TRANSFER_ENCODING="chunked",
        **{"wsgi.input": UnreadableStream()},
    )

    assert r.status_code == 400
    assert r.json() == {"email": ["This field is required."], "password": ["This field is required."]}


def test_invalid_content_length_is_400(anon_client):
    r = anon_client.generic("POST", LOGIN, b"{}", content_type="application/json", CONTENT_LENGTH="abc")

    assert_error_shape(r, 400, "invalid_length")


# --- Routing -----------------------------------------------------------------------------------


# Unknown paths, ids the URL refuses, Django's 500 and the trailing slash: test_routing.py; other
# paths are the web app's (client-side routes): test_web_app.py.


@pytest.mark.parametrize(
    "method,path",
    [("delete", "/api/users/me/"), ("get", LOGIN), ("put", "/api/users/register/")],
)
def test_wrong_method_is_json_405(student_client, method, path):
    r = getattr(student_client, method)(path)

    body = assert_error_shape(r, 405, "method_not_allowed")
    assert method.upper() in body["detail"]


def test_validation_errors_are_keyed_by_field(anon_client):
    r = anon_client.post(LOGIN, {"email": "a@example.com"})

    assert r.status_code == 400
    assert r.json() == {"password": ["This field is required."]}


def test_non_object_body_gives_non_field_errors(anon_client):
    r = anon_client.post(LOGIN, [1, 2], format="json")

    assert r.status_code == 400
    assert list(r.json()) == ["non_field_errors"]


# --- The exception handler maps each error class -----------------------------------------------


@pytest.mark.parametrize(
    "exc_class,status",
    [
        (exceptions.ApplicationError, 400),
        (exceptions.AuthenticationFailed, 401),
        (exceptions.PaymentRequired, 402),
        (exceptions.Forbidden, 403),
        (exceptions.NotFound, 404),
        (exceptions.Conflict, 409),
        (exceptions.UpstreamError, 502),
        (exceptions.UpstreamUnavailable, 503),
    ],
)
def test_application_errors_map_to_status_and_shape(exc_class, status):
    response = exception_handler(exc_class(), {})

    assert response.status_code == status
    assert response.data == {"detail": exc_class.default_detail, "code": exc_class.default_code}
    assert ("WWW-Authenticate" in response.headers) is (status == 401)


def test_application_error_keeps_custom_detail_and_code():
    response = exception_handler(exceptions.Conflict("Already enrolled.", code="already_enrolled"), {})

    assert (response.status_code, response.data) == (
        409,
        {"detail": "Already enrolled.", "code": "already_enrolled"},
    )


@pytest.mark.parametrize(
    "exc,status,code",
    [
        (Http404(), 404, "not_found"),
        (DjangoPermissionDenied(), 403, "permission_denied"),
        (RequestDataTooBig(), 413, "payload_too_large"),
        (drf_exceptions.Throttled(wait=3), 429, "throttled"),
    ],
)
def test_django_errors_map_to_shape(exc, status, code):
    response = exception_handler(exc, {})

    assert response.status_code == status
    assert set(response.data) == {"detail", "code"}
    assert response.data["code"] == code


def test_django_validation_error_becomes_field_errors():
    response = exception_handler(DjangoValidationError({"email": ["Taken."]}), {})

    assert (response.status_code, response.data) == (400, {"email": ["Taken."]})


def test_django_validation_error_without_field_becomes_non_field_errors():
    response = exception_handler(DjangoValidationError("Broken."), {})

    assert (response.status_code, response.data) == (400, {"non_field_errors": ["Broken."]})


def test_unknown_exception_is_left_to_django():
    assert exception_handler(RuntimeError("boom"), {}) is None


# --- Pagination --------------------------------------------------------------------------------


def test_list_pagination_shape_and_default_page_size(admin_client_api):
    UserFactory.create_batch(24)  # 25 users with the admin

    r = admin_client_api.get(USERS)

    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 25
    assert len(body["results"]) == 20
    assert body["previous"] is None
    assert "page=2" in body["next"]

    second = admin_client_api.get(body["next"]).json()
    assert len(second["results"]) == 5
    assert second["next"] is None
    assert second["previous"] is not None


def test_list_page_size_is_capped_at_100(admin_client_api):
    UserFactory.create_batch(104)  # 105 users with the admin

    r = admin_client_api.get(USERS, {"page_size": 1000})

    body = r.json()
    assert body["count"] == 105
    assert len(body["results"]) == 100

    r = admin_client_api.get(USERS, {"page_size": 7})
    assert len(r.json()["results"]) == 7
