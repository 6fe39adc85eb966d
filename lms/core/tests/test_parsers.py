"""Request bodies that JSON allows but the stack cannot take get a 400, never a 500."""

import pytest

pytestmark = pytest.mark.django_db

LOGIN = "/api/users/login/"
REGISTER = "/api/users/register/"


def post_raw(client, path: str, body: str):
    return client.generic("POST", path, body.encode("utf-8"), content_type="application/json")


@pytest.mark.parametrize("depth", [1000, 100_000])
def test_json_nested_too_deeply_is_refused_with_a_400(anon_client, depth):
    body = "[" * depth + "]" * depth  # 1,000 levels: a 2 KB body

    r = post_raw(anon_client, LOGIN, body)

    assert r.status_code == 400
    assert r.json() == {
        "detail": "JSON parse error - the document is nested too deeply.",
        "code": "parse_error",
    }


def test_json_nested_a_little_is_still_parsed(anon_client):
    r = post_raw(anon_client, LOGIN, '{"email": [[[["a"]]]], "password": "x"}')

    assert r.status_code == 400
    assert "email" in r.json()  # the serializer saw the body and refused the field


@pytest.mark.parametrize(
    "body",
    [
        '{"email": "\\ud800@example.com", "password": "x"}',
        '{"email": "a@example.com", "password": "\\udfff"}',
        '{"\\ud800": "key", "email": "a@example.com", "password": "x"}',
        '{"username": "x", "email": "x@example.com", "password": "a-Long-passphrase-1", "n": ["\\udc00"]}',
    ],
)
def test_a_lone_surrogate_in_a_string_is_refused_with_a_400(anon_client, body):
    r = post_raw(anon_client, LOGIN, body)

    assert r.status_code == 400
    assert r.json()["code"] == "parse_error"
    assert "surrogate" in r.json()["detail"]


def test_a_lone_surrogate_in_a_registration_is_refused_before_any_write(anon_client, django_user_model):
    body = '{"username": "sur\\ud800", "email": "s@example.com", "password": "a-Long-passphrase-1"}'

    r = post_raw(anon_client, REGISTER, body)

    assert r.status_code == 400
    assert not django_user_model.objects.filter(email="s@example.com").exists()


def test_a_surrogate_pair_is_an_ordinary_character(anon_client):
    r = post_raw(anon_client, LOGIN, '{"email": "\\ud83d\\ude00@example.com", "password": "x"}')

    assert r.status_code in (400, 401)
    assert r.json().get("code") != "parse_error"


@pytest.mark.parametrize("query", ["search=%ED%A0%80", "search=%FF%FE", "ordering=%ED%A0%80"])
def test_invalid_utf8_in_a_query_string_is_never_a_500(admin_client_api, query):
    # Django decodes query strings with replacement characters: nothing invalid reaches the database.
    r = admin_client_api.get(f"/api/users/?{query}")

    assert r.status_code in (200, 400)
