"""Every string a client sends to the account endpoints has a maximum length, every number a range."""

import pytest

from lms.users.models import User
from lms.users.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

TOO_LONG_USERNAME = "u" * 151
TOO_LONG_EMAIL = "e" * 243 + "@example.com"  # 255 characters
TOO_LONG_PASSWORD = "p" * 129
GOOD = {"username": "newbie", "email": "newbie@example.com", "password": "a-Long-passphrase-1"}


@pytest.mark.parametrize(
    "field,value",
    [("username", TOO_LONG_USERNAME), ("email", TOO_LONG_EMAIL), ("password", TOO_LONG_PASSWORD)],
)
def test_register_refuses_over_long_values(anon_client, field, value):
    r = anon_client.post("/api/users/register/", {**GOOD, field: value})

    assert r.status_code == 400
    assert field in r.json()
    assert not User.objects.filter(email=GOOD["email"]).exists()


def test_register_accepts_values_at_the_limits(anon_client):
    body = {
        "username": "u" * 150,
        "email": "e" * 242 + "@example.com",  # 254 characters
        "password": "Pass-" + "x" * 123,  # 128 characters
    }

    r = anon_client.post("/api/users/register/", body)

    assert r.status_code == 201, r.json()


@pytest.mark.parametrize("field,value", [("email", TOO_LONG_EMAIL), ("password", TOO_LONG_PASSWORD)])
def test_login_refuses_over_long_values(anon_client, student, field, value):
    r = anon_client.post("/api/users/login/", {"email": student.email, "password": PASSWORD, field: value})

    assert r.status_code == 400
    assert field in r.json()


@pytest.mark.parametrize("field,value", [("username", TOO_LONG_USERNAME), ("email", TOO_LONG_EMAIL)])
def test_me_update_refuses_over_long_values(student_client, student, field, value):
    r = student_client.patch("/api/users/me/", {field: value})

    assert r.status_code == 400
    assert field in r.json()
    student.refresh_from_db()
    assert getattr(student, field) != value


@pytest.mark.parametrize("field", ["current_password", "new_password"])
def test_password_change_refuses_over_long_values(student_client, field):
    body = {"current_password": PASSWORD, "new_password": "a-Long-passphrase-1", field: TOO_LONG_PASSWORD}

    r = student_client.post("/api/users/me/password/", body)

    assert r.status_code == 400
    assert field in r.json()


@pytest.mark.parametrize(
    "field,value",
    [
        ("username", TOO_LONG_USERNAME),
        ("email", TOO_LONG_EMAIL),
        ("role", "superuser"),
        ("is_active", "perhaps"),
    ],
)
def test_admin_update_refuses_out_of_range_values(admin_client_api, student, field, value):
    body = {"username": student.username, "email": student.email, "role": "student", "is_active": True}

    r = admin_client_api.put(f"/api/users/{student.pk}/", {**body, field: value})

    assert r.status_code == 400
    assert field in r.json()


@pytest.mark.parametrize("pk", ["0", "-1", str(2**63), "9" * 40])
def test_out_of_range_ids_are_404(admin_client_api, pk):
    r = admin_client_api.get(f"/api/users/{pk}/")

    assert r.status_code == 404
    assert r.json()["code"] == "not_found"


@pytest.mark.parametrize("page", ["0", "-1", "9" * 40, "abc"])
def test_out_of_range_pages_are_404(admin_client_api, page):
    r = admin_client_api.get("/api/users/", {"page": page})

    assert r.status_code == 404
    assert r.json()["code"] == "not_found"


def test_unknown_role_filter_is_400(admin_client_api):
    r = admin_client_api.get("/api/users/", {"role": "superuser"})

    assert r.status_code == 400
    assert "role" in r.json()
