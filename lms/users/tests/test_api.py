"""The accounts API: registration, tokens, the caller's own profile and admin user management."""

from datetime import timedelta

import pytest
from django.conf import settings
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from lms.users.models import Role, User
from lms.users.services import LOGIN_FAILED
from lms.users.tests.factories import PASSWORD, AdminFactory

pytestmark = pytest.mark.django_db

REGISTER = "/api/users/register/"
LOGIN = "/api/users/login/"
REFRESH = "/api/users/token/refresh/"
LOGOUT = "/api/users/logout/"
ME = "/api/users/me/"
PASSWORD_CHANGE = "/api/users/me/password/"
USERS = "/api/users/"
NEW_PASSWORD = "An0ther-Long-Passphrase"


def detail_url(user: User) -> str:
    return f"{USERS}{user.pk}/"


def login(client, email: str, password: str = PASSWORD) -> dict:
    r = client.post(LOGIN, {"email": email, "password": password})
    assert r.status_code == 200, r.content
    return r.json()


def register_body(**overrides) -> dict:
    return {"username": "jane", "email": "jane@example.com", "password": "s3cure-Pass-word", **overrides}


# --- Registration ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.STUDENT, Role.INSTRUCTOR])
def test_register_self_service_roles(anon_client, role):
    r = anon_client.post(REGISTER, register_body(role=role))

    assert r.status_code == 201, r.content
    user = User.objects.get(username="jane")
    assert r.json() == {"id": user.pk, "username": "jane", "email": "jane@example.com", "role": role}
    assert user.role == role
    assert user.check_password("s3cure-Pass-word")


def test_register_role_defaults_to_student(anon_client):
    r = anon_client.post(REGISTER, register_body())

    assert r.status_code == 201, r.content
    assert r.json()["role"] == Role.STUDENT
    assert User.objects.get(username="jane").role == Role.STUDENT


def test_register_stores_email_in_lower_case(anon_client):
    r = anon_client.post(REGISTER, register_body(email="Jane@Example.COM"))

    assert r.status_code == 201, r.content
    assert r.json()["email"] == "jane@example.com"
    assert User.objects.get(username="jane").email == "jane@example.com"


def test_register_admin_refused_to_anonymous(anon_client):
    r = anon_client.post(REGISTER, register_body(role=Role.ADMIN))

    assert r.status_code == 400
    assert "role" in r.json()
    assert not User.objects.filter(username="jane").exists()


@pytest.mark.parametrize("client_fixture", ["student_client", "instructor_client"])
def test_register_admin_refused_to_non_admin(request, client_fixture):
    client = request.getfixturevalue(client_fixture)

    r = client.post(REGISTER, register_body(role=Role.ADMIN))

    assert r.status_code == 400
    assert "role" in r.json()
    assert not User.objects.filter(username="jane").exists()


def test_register_admin_allowed_to_admin(admin_client_api):
    r = admin_client_api.post(REGISTER, register_body(role=Role.ADMIN))

    assert r.status_code == 201, r.content
    assert r.json()["role"] == Role.ADMIN
    assert User.objects.get(username="jane").role == Role.ADMIN


def test_register_applies_password_validators(anon_client):
    r = anon_client.post(REGISTER, register_body(password="password123"))

    assert r.status_code == 400
    assert "password" in r.json()
    assert not User.objects.filter(username="jane").exists()


def test_register_duplicate_email_in_other_case(anon_client, student):
    r = anon_client.post(REGISTER, register_body(email=student.email.upper()))

    assert r.status_code == 400
    assert "email" in r.json()
    assert User.objects.filter(email=student.email).count() == 1
    assert not User.objects.filter(username="jane").exists()


def test_register_duplicate_username_in_other_case(anon_client, student):
    r = anon_client.post(REGISTER, register_body(username=student.username.upper()))

    assert r.status_code == 400
    assert "username" in r.json()
    assert not User.objects.filter(email="jane@example.com").exists()


def test_register_refuses_unknown_fields(anon_client):
    r = anon_client.post(REGISTER, register_body(is_staff=True))

    assert r.status_code == 400
    assert "is_staff" in r.json()
    assert not User.objects.filter(username="jane").exists()


# --- Login and tokens --------------------------------------------------------------------------


def test_login_returns_token_pair(anon_client, student):
    r = anon_client.post(LOGIN, {"email": student.email, "password": PASSWORD})

    assert r.status_code == 200, r.content
    tokens = r.json()
    assert set(tokens) == {"refresh", "access"}
    assert str(AccessToken(tokens["access"])["user_id"]) == str(student.pk)


def test_login_email_ignores_letter_case(anon_client, student):
    r = anon_client.post(LOGIN, {"email": student.email.upper(), "password": PASSWORD})

    assert r.status_code == 200, r.content
    assert str(AccessToken(r.json()["access"])["user_id"]) == str(student.pk)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(lambda u: {"username": u.username, "password": PASSWORD}, id="username-only"),
        pytest.param(lambda u: {"username": u.username, "email": u.email, "password": PASSWORD}, id="both"),
    ],
)
def test_login_with_a_username_says_that_email_is_expected(anon_client, student, body):
    r = anon_client.post(LOGIN, body(student))

    assert r.status_code == 400
    assert r.json() == {"username": ['Log in with "email" (your email address), not "username".']}


def test_other_unknown_login_fields_keep_the_general_message(anon_client, student):
    r = anon_client.post(LOGIN, {"email": student.email, "password": PASSWORD, "remember": True})

    assert r.json() == {"remember": ["This field cannot be set."]}


def _inactive_credentials(user: User) -> dict:
    user.is_active = False
    user.save(update_fields=["is_active"])
    return {"email": user.email, "password": PASSWORD}


@pytest.mark.parametrize(
    "credentials",
    [
        pytest.param(lambda u: {"email": u.email, "password": "Wrong-Passw0rd-x"}, id="wrong-password"),
        pytest.param(lambda u: {"email": "nobody@example.com", "password": PASSWORD}, id="unknown-email"),
        pytest.param(_inactive_credentials, id="inactive-account"),
    ],
)
def test_login_failures_share_one_generic_401(anon_client, student, credentials):
    r = anon_client.post(LOGIN, credentials(student))

    assert r.status_code == 401
    assert r.json() == {"detail": LOGIN_FAILED, "code": "no_active_account"}


def test_token_claims_carry_user_id_and_role(anon_client, instructor):
    tokens = login(anon_client, instructor.email)

    access = AccessToken(tokens["access"])
    assert str(access["user_id"]) == str(instructor.pk)
    assert access["role"] == Role.INSTRUCTOR


def test_token_lifetimes(anon_client, student):
    assert settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"] == timedelta(minutes=15)
    assert settings.SIMPLE_JWT["REFRESH_TOKEN_LIFETIME"] == timedelta(days=7)

    tokens = login(anon_client, student.email)

    access = AccessToken(tokens["access"])
    refresh = RefreshToken(tokens["refresh"])
    assert access["exp"] - access["iat"] == 15 * 60
    assert refresh["exp"] - refresh["iat"] == 7 * 24 * 60 * 60


def test_refresh_rotates_and_blacklists_the_old_token(anon_client, student):
    tokens = login(anon_client, student.email)

    r = anon_client.post(REFRESH, {"refresh": tokens["refresh"]})

    assert r.status_code == 200, r.content
    new = r.json()
    assert set(new) == {"access", "refresh"}
    assert new["refresh"] != tokens["refresh"]
    assert AccessToken(new["access"])["role"] == Role.STUDENT
    assert anon_client.post(REFRESH, {"refresh": tokens["refresh"]}).status_code == 401
    assert anon_client.post(REFRESH, {"refresh": new["refresh"]}).status_code == 200


def test_access_token_cannot_refresh(anon_client, student):
    tokens = login(anon_client, student.email)

    r = anon_client.post(REFRESH, {"refresh": tokens["access"]})

    assert r.status_code == 401
    assert r.json()["code"] == "token_not_valid"


def test_logout_blacklists_the_refresh_token(anon_client, student):
    tokens = login(anon_client, student.email)

    r = anon_client.post(LOGOUT, {"refresh": tokens["refresh"]})

    assert r.status_code == 204, r.content
    assert r.content == b""
    r = anon_client.post(REFRESH, {"refresh": tokens["refresh"]})
    assert r.status_code == 401
    assert r.json()["code"] == "token_not_valid"


def test_logging_out_twice_is_401(anon_client, student):
    refresh = login(anon_client, student.email)["refresh"]
    anon_client.post(LOGOUT, {"refresh": refresh})

    r = anon_client.post(LOGOUT, {"refresh": refresh})

    assert r.status_code == 401
    assert r.json()["code"] == "token_not_valid"


def test_logout_is_204_without_a_body_in_the_schema():
    from drf_spectacular.generators import SchemaGenerator

    operation = SchemaGenerator().get_schema(request=None, public=True)["paths"][LOGOUT]["post"]

    assert "200" not in operation["responses"]
    assert "content" not in operation["responses"]["204"]
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/TokenBlacklistRequest"}


def test_register_login_me_refresh_logout_flow(anon_client, make_client):
    r = anon_client.post(REGISTER, register_body(email="Jane@Example.com"))
    assert r.status_code == 201, r.content

    tokens = login(anon_client, "JANE@example.com", "s3cure-Pass-word")
    me = anon_client.get(ME, HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    assert me.status_code == 200
    assert me.json()["username"] == "jane"

    new = anon_client.post(REFRESH, {"refresh": tokens["refresh"]}).json()
    assert anon_client.get(ME, HTTP_AUTHORIZATION=f"Bearer {new['access']}").status_code == 200
    assert anon_client.post(LOGOUT, {"refresh": new["refresh"]}).status_code == 204
    assert anon_client.post(REFRESH, {"refresh": new["refresh"]}).status_code == 401
    assert anon_client.post(REFRESH, {"refresh": tokens["refresh"]}).status_code == 401


# --- The caller's own account ------------------------------------------------------------------


@pytest.mark.parametrize("user_fixture", ["student", "instructor", "admin_user"])
def test_me_returns_own_profile(request, make_client, user_fixture):
    user = request.getfixturevalue(user_fixture)

    r = make_client(user).get(ME)

    assert r.status_code == 200
    assert r.json() == {"id": user.pk, "username": user.username, "email": user.email, "role": user.role}


@pytest.mark.parametrize("method", ["get", "patch"])
def test_me_requires_authentication(anon_client, method):
    r = getattr(anon_client, method)(ME)

    assert r.status_code == 401
    assert set(r.json()) == {"detail", "code"}


def test_me_update_username_and_email(student_client, student):
    r = student_client.patch(ME, {"username": "renamed", "email": "Renamed@Example.com"})

    assert r.status_code == 200, r.content
    assert r.json() == {
        "id": student.pk,
        "username": "renamed",
        "email": "renamed@example.com",
        "role": "student",
    }
    student.refresh_from_db()
    assert (student.username, student.email) == ("renamed", "renamed@example.com")


def test_me_update_refuses_taken_email(student_client, student, other_student):
    r = student_client.patch(ME, {"email": other_student.email.upper()})

    assert r.status_code == 400
    assert "email" in r.json()
    student.refresh_from_db()
    assert student.email != other_student.email


def test_me_update_refuses_taken_username(student_client, student, other_student):
    r = student_client.patch(ME, {"username": other_student.username.upper()})

    assert r.status_code == 400
    assert "username" in r.json()
    student.refresh_from_db()
    assert student.username.lower() != other_student.username.lower()


@pytest.mark.parametrize(
    "client_fixture,user_fixture", [("student_client", "student"), ("instructor_client", "instructor")]
)
def test_me_update_cannot_change_role(request, client_fixture, user_fixture):
    client = request.getfixturevalue(client_fixture)
    user = request.getfixturevalue(user_fixture)
    role = user.role

    r = client.patch(ME, {"role": Role.ADMIN})

    assert r.status_code == 400
    assert "role" in r.json()
    user.refresh_from_db()
    assert user.role == role


def test_password_change_wrong_current(student_client, student):
    r = student_client.post(
        PASSWORD_CHANGE, {"current_password": "Wrong-Passw0rd-x", "new_password": NEW_PASSWORD}
    )

    assert r.status_code == 400
    assert "current_password" in r.json()
    student.refresh_from_db()
    assert student.check_password(PASSWORD)


def test_password_change_weak_new(student_client, student):
    r = student_client.post(PASSWORD_CHANGE, {"current_password": PASSWORD, "new_password": "password123"})

    assert r.status_code == 400
    assert "new_password" in r.json()
    student.refresh_from_db()
    assert student.check_password(PASSWORD)


def test_password_change_success_revokes_refresh_tokens(anon_client, make_client, student):
    old = login(anon_client, student.email)

    r = make_client(student).post(
        PASSWORD_CHANGE, {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    )

    assert r.status_code == 204
    assert anon_client.post(REFRESH, {"refresh": old["refresh"]}).status_code == 401
    login(anon_client, student.email, NEW_PASSWORD)
    assert anon_client.post(LOGIN, {"email": student.email, "password": PASSWORD}).status_code == 401


def test_password_change_requires_authentication(anon_client):
    r = anon_client.post(PASSWORD_CHANGE, {"current_password": PASSWORD, "new_password": NEW_PASSWORD})

    assert r.status_code == 401


# --- Admin user management ---------------------------------------------------------------------

ADMIN_ONLY_CALLS = [
    ("get", "list", None),
    ("post", "list", {"username": "new", "email": "new@example.com", "password": NEW_PASSWORD}),
    ("get", "detail", None),
    ("put", "detail", {"username": "x", "email": "x@example.com", "role": "admin", "is_active": True}),
    ("patch", "detail", {"role": "admin"}),
    ("delete", "detail", None),
]


@pytest.mark.parametrize(
    "client_fixture,status",
    [("anon_client", 401), ("student_client", 403), ("instructor_client", 403)],
)
@pytest.mark.parametrize("method,target,body", ADMIN_ONLY_CALLS)
def test_user_management_is_admin_only(request, other_student, client_fixture, status, method, target, body):
    client = request.getfixturevalue(client_fixture)
    url = USERS if target == "list" else detail_url(other_student)

    r = getattr(client, method)(url, body) if body is not None else getattr(client, method)(url)

    assert r.status_code == status
    assert set(r.json()) == {"detail", "code"}
    other_student.refresh_from_db()
    assert (other_student.role, other_student.is_active) == (Role.STUDENT, True)
    assert not User.objects.filter(username__in=["new", "x"]).exists()


def test_admin_lists_users(admin_client_api, admin_user, student, instructor, django_assert_num_queries):
    # One query authenticates the token, one counts, one fetches the page.
    with django_assert_num_queries(3):
        r = admin_client_api.get(USERS)

    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 3
    assert [u["id"] for u in body["results"]] == [admin_user.pk, student.pk, instructor.pk]
    assert set(body["results"][0]) == {"id", "username", "email", "role", "is_active", "date_joined"}


def test_admin_filters_users_by_role(admin_client_api, student, instructor):
    r = admin_client_api.get(USERS, {"role": Role.INSTRUCTOR})

    assert r.status_code == 200
    assert [u["id"] for u in r.json()["results"]] == [instructor.pk]


def test_admin_creates_user(admin_client_api):
    r = admin_client_api.post(
        USERS, {"username": "new", "email": "New@Example.com", "password": NEW_PASSWORD}
    )

    assert r.status_code == 201, r.content
    user = User.objects.get(username="new")
    assert r.json()["id"] == user.pk
    assert (user.email, user.role, user.is_active) == ("new@example.com", Role.STUDENT, True)


def test_admin_retrieves_user(admin_client_api, student):
    r = admin_client_api.get(detail_url(student))

    assert r.status_code == 200
    assert r.json()["email"] == student.email


def test_admin_retrieve_unknown_user_is_404(admin_client_api):
    r = admin_client_api.get(f"{USERS}999999/")

    assert r.status_code == 404
    assert r.json() == {"detail": "Not found.", "code": "not_found"}


def test_admin_replaces_user(admin_client_api, student):
    body = {"username": "replaced", "email": "Replaced@Example.com", "role": "instructor", "is_active": True}

    r = admin_client_api.put(detail_url(student), body)

    assert r.status_code == 200, r.content
    student.refresh_from_db()
    assert (student.username, student.email, student.role) == (
        "replaced",
        "replaced@example.com",
        "instructor",
    )


def test_admin_put_requires_every_field(admin_client_api, student):
    r = admin_client_api.put(detail_url(student), {"role": "instructor"})

    assert r.status_code == 400
    assert {"username", "email", "is_active"} <= set(r.json())
    student.refresh_from_db()
    assert student.role == Role.STUDENT


def test_admin_promotes_user(admin_client_api, anon_client, student):
    r = admin_client_api.patch(detail_url(student), {"role": Role.INSTRUCTOR})

    assert r.status_code == 200, r.content
    assert r.json()["role"] == Role.INSTRUCTOR
    student.refresh_from_db()
    assert student.role == Role.INSTRUCTOR
    # A new login carries the new role.
    assert AccessToken(login(anon_client, student.email)["access"])["role"] == Role.INSTRUCTOR


def test_role_change_revokes_refresh_tokens_with_the_old_role(admin_client_api, anon_client, student):
    old = login(anon_client, student.email)

    r = admin_client_api.patch(detail_url(student), {"role": Role.INSTRUCTOR})

    assert r.status_code == 200, r.content
    assert anon_client.post(REFRESH, {"refresh": old["refresh"]}).status_code == 401


def test_admin_delete_deactivates(admin_client_api, anon_client, student):
    tokens = login(anon_client, student.email)

    r = admin_client_api.delete(detail_url(student))

    assert r.status_code == 204
    student.refresh_from_db()
    assert student.is_active is False
    r = anon_client.post(LOGIN, {"email": student.email, "password": PASSWORD})
    assert r.status_code == 401
    assert r.json() == {"detail": LOGIN_FAILED, "code": "no_active_account"}
    assert anon_client.post(REFRESH, {"refresh": tokens["refresh"]}).status_code == 401
    assert anon_client.get(ME, HTTP_AUTHORIZATION=f"Bearer {tokens['access']}").status_code == 401


def test_admin_cannot_deactivate_self(admin_client_api, admin_user):
    r = admin_client_api.delete(detail_url(admin_user))

    assert r.status_code == 409
    assert r.json()["code"] == "self_change"
    admin_user.refresh_from_db()
    assert admin_user.is_active is True


@pytest.mark.parametrize("body", [{"role": Role.INSTRUCTOR}, {"is_active": False}])
def test_admin_cannot_demote_or_deactivate_self_by_patch(admin_client_api, admin_user, body):
    r = admin_client_api.patch(detail_url(admin_user), body)

    assert r.status_code == 409
    assert set(r.json()) == {"detail", "code"}
    admin_user.refresh_from_db()
    assert (admin_user.role, admin_user.is_active) == (Role.ADMIN, True)


def test_admin_can_deactivate_another_admin(admin_client_api):
    other = AdminFactory()

    r = admin_client_api.delete(detail_url(other))

    assert r.status_code == 204
    other.refresh_from_db()
    assert other.is_active is False
