"""Django serves the web app: index.html for client-side paths, never for /api/, /admin/ or /static/."""

import pytest
from django.test import Client

from lms.core.tests.test_settings import load_settings

pytestmark = pytest.mark.django_db

BUILT = '<!doctype html><html><script type="module" src="/static/app/assets/index-abc.js"></script></html>'


@pytest.fixture
def built_app(settings, tmp_path):
    (tmp_path / "index.html").write_text(BUILT)
    settings.LMS_FRONTEND_DIST = tmp_path
    return tmp_path


@pytest.fixture
def unbuilt_app(settings, tmp_path):
    settings.LMS_FRONTEND_DIST = tmp_path / "missing"


@pytest.mark.parametrize("path", ["/", "/courses", "/courses/12/", "/learn/3/lessons/9", "/login?next=/my"])
def test_client_side_paths_get_the_built_index(built_app, path):
    r = Client().get(path)

    assert r.status_code == 200
    assert r["Content-Type"] == "text/html; charset=utf-8"
    assert r.content.decode() == BUILT
    assert r["Cache-Control"] == "no-cache"
    assert "script-src 'self'" in r["Content-Security-Policy"]


def test_without_a_build_the_page_says_how_to_build_it(unbuilt_app):
    r = Client().get("/courses/1/")

    assert r.status_code == 200
    assert r["Content-Type"] == "text/html; charset=utf-8"
    assert "npm run build" in r.content.decode()
    assert "make run" in r.content.decode()


@pytest.mark.parametrize(
    "path",
    ["/api/nothing-here/", "/api/courses/999999/", "/api/nothing-here"],
)
def test_api_paths_keep_their_json_404(built_app, path):
    r = Client().get(path)

    assert r.status_code == 404
    assert r["Content-Type"] == "application/json"
    assert r.json()["code"] == "not_found"


@pytest.mark.parametrize("path", ["/api", "/api/"])
def test_the_api_index_is_the_apis_not_the_web_apps(built_app, path):
    r = Client().get(path)

    assert r.status_code == 200
    assert r["Content-Type"] == "application/json"
    assert "schema" in r.json()


def test_api_routes_still_answer(built_app):
    r = Client().get("/api/health/")

    assert r.status_code == 200
    assert r["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    "path", ["/static/app/assets/missing.js", "/static/", "/media/x.pdf", "/admin/nope/"]
)
def test_static_media_and_admin_paths_are_never_the_app(built_app, path):
    r = Client().get(path)

    assert BUILT not in r.content.decode(errors="replace")


def test_the_admin_site_still_answers(built_app):
    r = Client().get("/admin/")

    assert r.status_code == 302
    assert r["Location"].startswith("/admin/login/")


def test_the_app_page_takes_only_get_and_head(built_app):
    assert Client().head("/courses/").status_code == 200
    assert Client().post("/courses/").status_code == 405


def csp_directives(response) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))


STRIPE_FRAMES = "https://js.stripe.com https://*.js.stripe.com https://hooks.stripe.com"


def test_the_app_page_may_frame_only_the_video_players_and_stripe(built_app):
    """Lesson videos are embedded from YouTube's no-cookie player and Vimeo's player; the checkout's
    card form and 3-D Secure from Stripe; no other site."""
    r = Client().get("/courses/1/lessons/2")

    assert (
        csp_directives(r)["frame-src"]
        == f"'self' https://player.vimeo.com https://www.youtube-nocookie.com {STRIPE_FRAMES}"
    )


def test_the_app_page_may_load_stripe_js_and_call_only_stripes_api(built_app):
    """The checkout loads Stripe.js from Stripe and Stripe.js calls Stripe's API; nothing else is allowed."""
    directives = csp_directives(Client().get("/courses/1/checkout"))

    assert directives["script-src"] == "'self' https://js.stripe.com https://*.js.stripe.com"
    assert directives["connect-src"] == "'self' https://api.stripe.com"
    assert directives["default-src"] == "'self'"


def test_only_the_app_page_allows_stripe(built_app, admin_client):
    """The admin site and the API's pages keep the base policy: Stripe's origins are the checkout's alone."""
    for response in (admin_client.get("/admin/"), Client().get("/api/docs/"), Client().get("/api/health/")):
        assert "stripe.com" not in response["Content-Security-Policy"], response.request["PATH_INFO"]


@pytest.mark.parametrize(
    ("hosts", "frame_src"),
    [
        ("vimeo.com", ["'self'", "https://player.vimeo.com"]),
        ("youtu.be,www.youtube.com", ["'self'", "https://www.youtube-nocookie.com"]),
        ("videos.example.org", ["'self'"]),  # a host with no known player is linked, never framed
    ],
)
def test_frame_src_follows_the_allowed_video_hosts(hosts, frame_src):
    loaded = load_settings("base", LMS_VIDEO_HOSTS=hosts)

    assert loaded.CONTENT_SECURITY_POLICY["DIRECTIVES"]["frame-src"] == frame_src
