"""CORS: only the origins in CORS_ALLOWED_ORIGINS may read API responses from a browser."""

import pytest

pytestmark = pytest.mark.django_db

ALLOWED = "https://app.example.com"
OTHER = "https://evil.example.net"


@pytest.fixture
def allowed_origin(settings):
    settings.CORS_ALLOWED_ORIGINS = [ALLOWED]


def test_configured_origin_gets_the_header(allowed_origin, student_client):
    r = student_client.get("/api/users/me/", HTTP_ORIGIN=ALLOWED)

    assert r.status_code == 200
    assert r["Access-Control-Allow-Origin"] == ALLOWED
    assert "Access-Control-Allow-Credentials" not in r  # bearer tokens, never cookies
    exposed = {h.strip().lower() for h in r["Access-Control-Expose-Headers"].split(",")}
    assert {"retry-after", "x-request-id"} <= exposed


def test_other_origin_gets_no_header(allowed_origin, student_client):
    r = student_client.get("/api/users/me/", HTTP_ORIGIN=OTHER)

    assert r.status_code == 200  # the server answers; the browser withholds it from the page
    assert "Access-Control-Allow-Origin" not in r


def test_preflight_from_configured_origin_allows_the_authorization_header(allowed_origin, anon_client):
    r = anon_client.options(
        "/api/users/me/",
        HTTP_ORIGIN=ALLOWED,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="PATCH",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )

    assert r.status_code == 200
    assert r["Access-Control-Allow-Origin"] == ALLOWED
    allowed_headers = {h.strip().lower() for h in r["Access-Control-Allow-Headers"].split(",")}
    assert {"authorization", "content-type", "x-request-id"} <= allowed_headers
    assert "PATCH" in r["Access-Control-Allow-Methods"]


def test_preflight_from_other_origin_is_not_allowed(allowed_origin, anon_client):
    r = anon_client.options("/api/users/me/", HTTP_ORIGIN=OTHER, HTTP_ACCESS_CONTROL_REQUEST_METHOD="PATCH")

    assert "Access-Control-Allow-Origin" not in r
    assert "Access-Control-Allow-Methods" not in r


def test_error_responses_carry_the_header_too(allowed_origin, anon_client):
    # A browser app must be able to read a 401 or a 413 to react to it.
    unauthorized = anon_client.get("/api/users/me/", HTTP_ORIGIN=ALLOWED)
    too_large = anon_client.generic(
        "POST",
        "/api/users/login/",
        b"{}",
        content_type="application/json",
        HTTP_ORIGIN=ALLOWED,
        CONTENT_LENGTH=str(10 * 1024 * 1024),
    )

    assert unauthorized.status_code == 401
    assert unauthorized["Access-Control-Allow-Origin"] == ALLOWED
    assert too_large.status_code == 413
    assert too_large["Access-Control-Allow-Origin"] == ALLOWED


def test_only_api_urls_answer_cors(allowed_origin, client):
    r = client.get("/admin/login/", HTTP_ORIGIN=ALLOWED)

    assert "Access-Control-Allow-Origin" not in r


def test_an_empty_list_allows_no_origin(settings, student_client):
    settings.CORS_ALLOWED_ORIGINS = []

    r = student_client.get("/api/users/me/", HTTP_ORIGIN=ALLOWED)

    assert "Access-Control-Allow-Origin" not in r
