"""Every answer under /api/ is JSON, with or without DEBUG; every API route takes both slash forms."""

import logging

import pytest
from django.test import Client

from lms.core.tests.test_errors import assert_error_shape
from lms.courses.tests.factories import CourseFactory

pytestmark = pytest.mark.django_db

# local.py turns DEBUG on, production.py and test.py off: Django's error pages differ between the two.
DEBUG_MODES = [pytest.param(True, id="debug"), pytest.param(False, id="no-debug")]


@pytest.fixture(params=DEBUG_MODES)
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


@pytest.mark.parametrize(
    "path",
    [
        "/api/nope/",
        "/api/nope",
        "/api/users/me/nope/",
        "/api/courses/0.5/",  # an id the URL pattern refuses
        "/api/courses/0.5",
        "/api/courses/abc/curriculum/",
        "/api/lessons/-1/",
    ],
)
def test_an_unknown_api_path_is_the_json_404(debug, anon_client, path):
    r = anon_client.get(path)

    assert_error_shape(r, 404, "not_found")
    assert r.json()["detail"] == "Not found."


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_write_to_an_unknown_api_path_is_the_json_404(debug, anon_client, method):
    r = getattr(anon_client, method)("/api/nope", {"a": 1})

    assert_error_shape(r, 404, "not_found")


def test_the_json_404_keeps_the_security_and_cors_headers(debug, anon_client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]

    r = anon_client.get("/api/nope/", HTTP_ORIGIN="https://app.example.com")

    assert_error_shape(r, 404, "not_found")
    assert r["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["X-Request-ID"]


# Other paths outside /api/, /admin/ and /static/ are the web app's (test_web_app.py).
@pytest.mark.parametrize("path", ["/static/nope.js", "/admin/login/nope/"])
def test_other_paths_keep_djangos_404_page(debug, path):
    r = Client().get(path)

    assert r.status_code in (404, 302)  # the admin site sends an anonymous visitor to its login
    if r.status_code == 404:
        assert r["Content-Type"].startswith("text/html")


@pytest.mark.urls("lms.core.tests.urls_errors")
@pytest.mark.parametrize("path", ["/api/broken/", "/api/broken-api/", "/api/broken"])
def test_a_bug_under_api_is_the_json_500_and_is_logged(debug, path, caplog):
    client = Client(raise_request_exception=False)

    with caplog.at_level(logging.ERROR, logger="django.request"):
        r = client.get(path)

    assert_error_shape(r, 500, "server_error")
    assert "RuntimeError" not in r.content.decode()  # no traceback for the client, even with DEBUG
    logged = [record for record in caplog.records if record.name == "django.request"]
    assert logged and logged[0].exc_info and logged[0].exc_info[0] is RuntimeError


@pytest.mark.urls("lms.core.tests.urls_errors")
def test_a_bug_elsewhere_keeps_djangos_500_page(debug):
    r = Client(raise_request_exception=False).get("/broken/")

    assert r.status_code == 500
    assert r["Content-Type"].startswith("text/")
    assert not r["Content-Type"].startswith("application/json")


def test_a_bad_host_under_api_is_a_json_400(debug):
    r = Client().get("/api/health/", HTTP_HOST="evil.example.com")

    assert_error_shape(r, 400, "bad_request")


# --- The trailing slash ------------------------------------------------------------------------


def test_post_without_the_trailing_slash_creates(debug, instructor_client):
    body = {"title": "No slash", "description": "d", "price": "0.00"}

    r = instructor_client.post("/api/courses", body)

    assert r.status_code == 201, r.content
    assert r.json()["title"] == "No slash"


def test_every_method_takes_the_path_without_the_slash(debug, instructor, instructor_client):
    course = CourseFactory(instructor=instructor)

    assert instructor_client.get(f"/api/courses/{course.pk}").status_code == 200
    assert instructor_client.patch(f"/api/courses/{course.pk}", {"title": "New"}).json()["title"] == "New"
    assert instructor_client.get(f"/api/courses/{course.pk}/curriculum").status_code == 200
    assert instructor_client.get("/api/users/me").json()["id"] == instructor.pk
    assert instructor_client.delete(f"/api/courses/{course.pk}").status_code == 204


def test_the_query_string_is_kept_and_links_use_the_slash_form(admin_client_api):
    for _ in range(3):
        CourseFactory()

    r = admin_client_api.get("/api/courses?page_size=2&ordering=title")

    assert r.status_code == 200
    body = r.json()
    assert len(body["results"]) == 2
    assert body["next"] == "http://testserver/api/courses/?ordering=title&page=2&page_size=2"


def test_the_schema_lists_only_the_slash_form(anon_client):
    paths = anon_client.get("/api/schema/", {"format": "json"}).json()["paths"]

    assert paths
    assert [path for path in paths if not path.endswith("/")] == []
