"""The web app's cookie endpoints: the refresh token in an httpOnly cookie, guarded by Origin."""

import pytest
from django.test import override_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from lms.users.cookies import REFRESH_COOKIE, REFRESH_COOKIE_PATH
from lms.users.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/api/users/cookie/login/"
REFRESH = "/api/users/cookie/refresh/"
LOGOUT = "/api/users/cookie/logout/"
ME = "/api/users/me/"
SAME_ORIGIN = {"HTTP_ORIGIN": "http://testserver"}


def cookie_login(client, user, **headers):
    return client.post(LOGIN, {"email": user.email, "password": PASSWORD}, **{**SAME_ORIGIN, **headers})


def test_login_sets_an_httponly_strict_secure_cookie_and_answers_only_the_access_token(anon_client, student):
    r = cookie_login(anon_client, student)

    assert r.status_code == 200, r.content
    assert set(r.json()) == {"access"}
    assert AccessToken(r.json()["access"])["user_id"] == str(student.pk)
    cookie = r.cookies[REFRESH_COOKIE]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Strict"
    assert cookie["secure"] is True  # the default outside local development
    assert cookie["path"] == REFRESH_COOKIE_PATH
    assert RefreshToken(cookie.value)["user_id"] == str(student.pk)


@override_settings(LMS_REFRESH_COOKIE_SECURE=False)
def test_development_may_drop_secure_only(anon_client, student):
    cookie = cookie_login(anon_client, student).cookies[REFRESH_COOKIE]

    assert not cookie["secure"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Strict"


def test_the_access_token_authenticates_api_requests(anon_client, student):
    access = cookie_login(anon_client, student).json()["access"]

    r = anon_client.get(ME, HTTP_AUTHORIZATION=f"Bearer {access}")

    assert r.status_code == 200
    assert r.json()["email"] == student.email


def test_wrong_password_is_the_login_error_and_sets_no_cookie(anon_client, student):
    r = anon_client.post(LOGIN, {"email": student.email, "password": "wrong"}, **SAME_ORIGIN)

    assert r.status_code == 401
    assert r.json()["code"] == "no_active_account"
    assert REFRESH_COOKIE not in r.cookies


@pytest.mark.parametrize("path", [LOGIN, REFRESH, LOGOUT])
@pytest.mark.parametrize("origin", [None, "https://evil.example", "http://testserver.evil.example", "null"])
def test_another_origin_or_none_is_refused_with_403_json(anon_client, student, path, origin):
    anon_client.cookies[REFRESH_COOKIE] = str(RefreshToken.for_user(student))
    headers = {} if origin is None else {"HTTP_ORIGIN": origin}

    r = anon_client.post(path, {"email": student.email, "password": PASSWORD}, **headers)

    assert r.status_code == 403
    assert r.json() == {
        "detail": "This endpoint answers only the web app's own origin.",
        "code": "origin_refused",
    }
    assert REFRESH_COOKIE not in r.cookies
    assert not BlacklistedToken.objects.exists()  # a refused logout or refresh revokes nothing


@override_settings(CSRF_TRUSTED_ORIGINS=["http://localhost:5173"])
def test_a_trusted_origin_is_accepted(anon_client, student):
    r = cookie_login(anon_client, student, HTTP_ORIGIN="http://localhost:5173")

    assert r.status_code == 200


def test_refresh_rotates_the_cookie_and_the_old_token_is_revoked(anon_client, student):
    old = cookie_login(anon_client, student).cookies[REFRESH_COOKIE].value

    r = anon_client.post(REFRESH, **SAME_ORIGIN)  # the client sends the cookie it was given

    assert r.status_code == 200, r.content
    assert set(r.json()) == {"access"}
    assert AccessToken(r.json()["access"])["user_id"] == str(student.pk)
    new = r.cookies[REFRESH_COOKIE]
    assert new.value != old
    assert new["httponly"] is True and new["samesite"] == "Strict"
    assert BlacklistedToken.objects.filter(token__jti=RefreshToken(old, verify=False)["jti"]).exists()

    anon_client.cookies[REFRESH_COOKIE] = old
    reused = anon_client.post(REFRESH, **SAME_ORIGIN)
    assert reused.status_code == 401
    assert set(reused.json()) == {"detail", "code"}
    assert reused.cookies[REFRESH_COOKIE]["max-age"] == 0  # the revoked cookie is cleared


def test_refresh_without_a_cookie_is_401(anon_client):
    r = anon_client.post(REFRESH, **SAME_ORIGIN)

    assert r.status_code == 401
    assert r.json()["code"] == "no_refresh_cookie"


def test_refresh_with_a_garbage_cookie_is_401_and_clears_it(anon_client):
    anon_client.cookies[REFRESH_COOKIE] = "not-a-token"

    r = anon_client.post(REFRESH, **SAME_ORIGIN)

    assert r.status_code == 401
    assert r.json()["code"] == "token_not_valid"
    cleared = r.cookies[REFRESH_COOKIE]
    assert cleared.value == "" and cleared["max-age"] == 0
    assert cleared["path"] == REFRESH_COOKIE_PATH


def test_refresh_for_a_deactivated_account_is_401(anon_client, student):
    cookie_login(anon_client, student)
    student.is_active = False
    student.save(update_fields=["is_active"])

    r = anon_client.post(REFRESH, **SAME_ORIGIN)

    assert r.status_code == 401
    assert r.json() == {"detail": "No active account found for the given token.", "code": "no_active_account"}
    assert r.cookies[REFRESH_COOKIE]["max-age"] == 0


def test_logout_revokes_the_token_and_clears_the_cookie(anon_client, student):
    token = cookie_login(anon_client, student).cookies[REFRESH_COOKIE].value

    r = anon_client.post(LOGOUT, **SAME_ORIGIN)

    assert r.status_code == 204
    cleared = r.cookies[REFRESH_COOKIE]
    assert cleared.value == ""
    assert cleared["max-age"] == 0
    assert cleared["path"] == REFRESH_COOKIE_PATH
    assert BlacklistedToken.objects.filter(token__jti=RefreshToken(token, verify=False)["jti"]).exists()
    anon_client.cookies[REFRESH_COOKIE] = token
    assert anon_client.post(REFRESH, **SAME_ORIGIN).status_code == 401


def test_logout_without_a_cookie_or_with_a_revoked_one_is_still_204(anon_client, student):
    assert anon_client.post(LOGOUT, **SAME_ORIGIN).status_code == 204
    anon_client.cookies[REFRESH_COOKIE] = "not-a-token"
    assert anon_client.post(LOGOUT, **SAME_ORIGIN).status_code == 204


def test_the_json_token_endpoints_are_unchanged(anon_client, student):
    r = anon_client.post("/api/users/login/", {"email": student.email, "password": PASSWORD})

    assert r.status_code == 200
    assert set(r.json()) == {"access", "refresh"}
    assert REFRESH_COOKIE not in r.cookies
    refreshed = anon_client.post("/api/users/token/refresh/", {"refresh": r.json()["refresh"]})
    assert refreshed.status_code == 200
    assert set(refreshed.json()) == {"access", "refresh"}
