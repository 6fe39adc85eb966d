import pytest

pytestmark = pytest.mark.django_db


def test_register_login_me_refresh_logout(anon_client, make_client):
    r = anon_client.post(
        "/api/users/register/",
        {"username": "john", "email": "John@Example.com", "password": "s3cure-Pass-word", "role": "student"},
    )
    assert r.status_code == 201, r.content
    assert r.json() == {"id": r.json()["id"], "username": "john", "email": "john@example.com", "role": "student"}

    r = anon_client.post("/api/users/login/", {"email": "JOHN@example.com", "password": "s3cure-Pass-word"})
    assert r.status_code == 200, r.content
    tokens = r.json()
    anon_client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    r = anon_client.get("/api/users/me/")
    assert r.status_code == 200
    assert r.json()["username"] == "john"

    anon_client.credentials()
    r = anon_client.post("/api/users/token/refresh/", {"refresh": tokens["refresh"]})
    assert r.status_code == 200, r.content
    new = r.json()
    assert set(new) == {"access", "refresh"}

    r = anon_client.post("/api/users/logout/", {"refresh": new["refresh"]})
    assert r.status_code == 200, r.content
    r = anon_client.post("/api/users/token/refresh/", {"refresh": new["refresh"]})
    assert r.status_code == 401
    # The rotated-out token was blacklisted on rotation.
    r = anon_client.post("/api/users/token/refresh/", {"refresh": tokens["refresh"]})
    assert r.status_code == 401
