"""Static files under the production settings: collected with hashed names, served by WhiteNoise
through the WSGI application, and loadable under the Content-Security-Policy (the admin site's
styles, Swagger UI's files from drf-spectacular-sidecar)."""

import re
from collections.abc import Iterator

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client

from lms.core.tests.test_settings import production, running_with, secret_key

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def static_root(tmp_path_factory) -> str:
    root = tmp_path_factory.mktemp("static")
    return str(root)


@pytest.fixture
def production_site(static_root) -> Iterator[Client]:
    """A client of the WSGI application under the production settings (test values for the
    secrets), after `collectstatic` into a temporary STATIC_ROOT, once for the module."""
    loaded = production(DJANGO_SECRET_KEY=secret_key(), DJANGO_ALLOWED_HOSTS="testserver")
    loaded.STATIC_ROOT = static_root
    with running_with(loaded):
        if not staticfiles_storage.exists("staticfiles.json"):
            call_command("collectstatic", "--noinput", verbosity=0)
        yield Client()  # built after collectstatic: WhiteNoise indexes STATIC_ROOT when it starts


def policy(response) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))


def test_the_admin_stylesheet_is_served(production_site):
    response = production_site.get("/static/admin/css/base.css", secure=True)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert b"body" in b"".join(response.streaming_content)


def test_the_admin_pages_link_hashed_stylesheets_that_are_served_and_cached_for_good(production_site):
    page = production_site.get("/admin/login/", secure=True)
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page.content.decode())

    assert page.status_code == 200
    assert "/static/admin/css/base.css" not in stylesheets  # the hashed name instead
    assert any(re.fullmatch(r"/static/admin/css/base\.[0-9a-f]{12}\.css", href) for href in stylesheets)
    for href in stylesheets:
        response = production_site.get(href, secure=True)
        assert response.status_code == 200, href
        assert "immutable" in response["Cache-Control"], href


def test_the_content_security_policy_lets_the_admin_load_its_styles(production_site):
    page = production_site.get("/admin/login/", secure=True)
    stylesheets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page.content.decode())

    assert stylesheets
    assert all(href.startswith("/static/") for href in stylesheets)  # this origin: 'self'
    assert "'self'" in policy(page)["style-src"].split()


def test_swagger_ui_files_are_served_under_the_production_settings(production_site):
    page = production_site.get("/api/docs/", secure=True)
    files = re.findall(r'(?:src|href)="(/static/[^"]+)"', page.content.decode())

    assert page.status_code == 200
    assert {"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js"} <= {
        re.sub(r"\.[0-9a-f]{12}\.", ".", href.rsplit("/", 1)[-1]) for href in files
    }
    for href in files:
        assert href.startswith("/static/drf_spectacular_sidecar/swagger-ui-dist/"), href
        assert production_site.get(href, secure=True).status_code == 200, href
    directives = policy(page)
    assert directives["script-src"] == "'self'"
    assert "'self'" in directives["style-src"].split()
    script = production_site.get("/api/docs/", {"script": ""}, secure=True)
    assert script.status_code == 200
    assert "SwaggerUIBundle" in script.content.decode()


def test_compressed_copies_are_served_to_clients_that_accept_them(production_site):
    response = production_site.get("/static/admin/css/base.css", secure=True, HTTP_ACCEPT_ENCODING="gzip")

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"


def test_a_missing_static_file_is_a_404(production_site):
    assert production_site.get("/static/admin/css/nope.css", secure=True).status_code == 404
