"""The user model: database constraints, the role as the source of staff flags, and the admin site."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from lms.users import services
from lms.users.models import Role, User, UserManager
from lms.users.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


# --- Database constraints ----------------------------------------------------------------------


@pytest.mark.skipif(
    connection.vendor == "mysql",
    reason="MariaDB compares with a case-insensitive collation, so LOWER(email) = email always holds.",
)
def test_db_refuses_uppercase_email():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="ada", email="Ada@example.com")

    assert not User.objects.filter(username="ada").exists()


def test_db_refuses_unknown_role():
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="ada", email="ada@example.com", role="owner")

    assert not User.objects.filter(username="ada").exists()


def test_db_refuses_duplicate_email(student):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="ada", email=student.email)

    assert User.objects.filter(email=student.email).count() == 1


def test_email_is_unique_across_case_on_every_database(student):
    # Lower-case storage plus a unique column: any spelling of a taken address is refused.
    with pytest.raises(ValidationError) as exc:
        services.user_create(username="ada", email=student.email.upper(), password="An0ther-Long-Passphrase")

    assert "email" in exc.value.message_dict
    assert User.objects.filter(email__iexact=student.email).count() == 1


def test_normalize_email_lowercases_the_whole_address():
    assert UserManager.normalize_email("  Ada.Lovelace@Example.COM ") == "ada.lovelace@example.com"
    assert UserManager.normalize_email(None) == ""


def test_clean_lowercases_email():
    user = User(username="ada", email="Ada@Example.com")

    user.clean()

    assert user.email == "ada@example.com"


# --- The role drives Django's staff flags ------------------------------------------------------


@pytest.mark.parametrize(
    "user_fixture,is_admin",
    [("student", False), ("instructor", False), ("admin_user", True)],
)
def test_staff_flags_follow_role(request, user_fixture, is_admin):
    user = request.getfixturevalue(user_fixture)

    assert user.is_staff is is_admin
    assert user.is_superuser is is_admin
    assert user.has_perm("users.change_user") is is_admin


def test_staff_flags_are_not_columns():
    names = {field.name for field in User._meta.get_fields()}

    assert "is_staff" not in names
    assert "is_superuser" not in names


def test_create_user_ignores_staff_flags():
    user = User.objects.create_user("ada", "Ada@Example.com", PASSWORD, is_staff=True, is_superuser=True)

    user.refresh_from_db()
    assert (user.role, user.is_staff, user.is_superuser) == (Role.STUDENT, False, False)
    assert user.email == "ada@example.com"


def test_createsuperuser_makes_an_admin(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Root-Passw0rd-long")

    call_command("createsuperuser", "--noinput", "--username", "root", "--email", "Root@Example.com")

    user = User.objects.get(username="root")
    assert (user.role, user.email) == (Role.ADMIN, "root@example.com")
    assert user.is_staff and user.is_superuser
    assert user.check_password("Root-Passw0rd-long")


# --- Django admin site -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "user_fixture,allowed",
    [("student", False), ("instructor", False), ("admin_user", True)],
)
def test_only_admin_role_reaches_admin_site(client, request, user_fixture, allowed):
    client.force_login(request.getfixturevalue(user_fixture))

    r = client.get("/admin/")

    if allowed:
        assert r.status_code == 200
    else:
        assert r.status_code == 302
        assert r["Location"].startswith("/admin/login/")


def test_admin_site_user_pages_render(client, admin_user, student):
    client.force_login(admin_user)

    assert client.get("/admin/users/user/").status_code == 200
    assert client.get("/admin/users/user/?role=student").status_code == 200
    assert client.get(f"/admin/users/user/{student.pk}/change/").status_code == 200
    assert client.get("/admin/users/user/add/").status_code == 200


def test_admin_site_adds_user_with_role_and_lowercase_email(client, admin_user):
    client.force_login(admin_user)

    r = client.post(
        "/admin/users/user/add/",
        {
            "username": "ada",
            "email": "Ada@Example.com",
            "role": Role.INSTRUCTOR,
            "password1": "An0ther-Long-Passphrase",
            "password2": "An0ther-Long-Passphrase",
        },
    )

    assert r.status_code == 302, r.content
    user = User.objects.get(username="ada")
    assert (user.email, user.role) == ("ada@example.com", Role.INSTRUCTOR)
    assert user.check_password("An0ther-Long-Passphrase")
