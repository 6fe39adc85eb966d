"""Account services: the business rules, without HTTP."""

import pytest
from django.core.exceptions import ValidationError
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import AccessToken

from lms.core.exceptions import AuthenticationFailed, Conflict
from lms.users import services
from lms.users.models import Role, User
from lms.users.tests.factories import PASSWORD, AdminFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "An0ther-Long-Passphrase"


def live_refresh_tokens(user: User) -> int:
    return OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True).count()


# --- user_create -------------------------------------------------------------------------------


def test_user_create_defaults_to_student_and_lowercases_email():
    user = services.user_create(username="ada", email=" Ada@Example.COM ", password=NEW_PASSWORD)

    user.refresh_from_db()
    assert (user.username, user.email, user.role) == ("ada", "ada@example.com", Role.STUDENT)
    assert user.check_password(NEW_PASSWORD)


@pytest.mark.parametrize("creator_fixture", [None, "student", "instructor"])
def test_user_create_admin_refused_unless_created_by_admin(request, creator_fixture):
    creator = request.getfixturevalue(creator_fixture) if creator_fixture else None

    with pytest.raises(ValidationError) as exc:
        services.user_create(
            username="ada",
            email="ada@example.com",
            password=NEW_PASSWORD,
            role=Role.ADMIN,
            created_by=creator,
        )

    assert "role" in exc.value.message_dict
    assert not User.objects.filter(username="ada").exists()


def test_user_create_admin_by_admin(admin_user):
    user = services.user_create(
        username="ada", email="ada@example.com", password=NEW_PASSWORD, role=Role.ADMIN, created_by=admin_user
    )

    assert User.objects.get(pk=user.pk).role == Role.ADMIN


@pytest.mark.parametrize("password", ["password123", "short", "12345678901", "ada-example"])
def test_user_create_runs_password_validators(password):
    with pytest.raises(ValidationError) as exc:
        services.user_create(username="ada-example", email="ada@example.com", password=password)

    assert "password" in exc.value.message_dict
    assert not User.objects.filter(username="ada-example").exists()


def test_user_create_duplicate_email_in_any_case(student):
    with pytest.raises(ValidationError) as exc:
        services.user_create(username="ada", email=student.email.title(), password=NEW_PASSWORD)

    assert "email" in exc.value.message_dict
    assert User.objects.count() == 1


def test_user_create_duplicate_username_in_any_case(student):
    with pytest.raises(ValidationError) as exc:
        services.user_create(
            username=student.username.upper(), email="ada@example.com", password=NEW_PASSWORD
        )

    assert "username" in exc.value.message_dict
    assert User.objects.count() == 1


def test_lost_unique_race_becomes_a_field_error(student):
    # The row that wins the race is already committed when the loser saves: the database refuses
    # it, and the caller gets the same field error the up-front check would have given.
    loser = User(username=student.username, email="ada@example.com")

    with pytest.raises(ValidationError) as exc:
        services._save_unique(loser)

    assert "username" in exc.value.message_dict
    assert User.objects.count() == 1


# --- user_update -------------------------------------------------------------------------------


def test_user_update_changes_fields_and_lowercases_email(student, admin_user):
    services.user_update(
        user=student, actor=admin_user, username="renamed", email="Renamed@Example.com", role=Role.INSTRUCTOR
    )

    student.refresh_from_db()
    assert (student.username, student.email, student.role) == ("renamed", "renamed@example.com", "instructor")


def test_user_update_duplicate_email(student, other_student):
    with pytest.raises(ValidationError) as exc:
        services.user_update(user=student, email=other_student.email.upper())

    assert "email" in exc.value.message_dict
    student.refresh_from_db()
    assert student.email != other_student.email


@pytest.mark.parametrize("change", [{"role": Role.STUDENT}, {"role": Role.INSTRUCTOR}, {"is_active": False}])
def test_admin_cannot_demote_or_deactivate_self(admin_user, change):
    with pytest.raises(Conflict):
        services.user_update(user=admin_user, actor=admin_user, **change)

    admin_user.refresh_from_db()
    assert (admin_user.role, admin_user.is_active) == (Role.ADMIN, True)


def test_admin_may_resend_own_unchanged_role(admin_user):
    services.user_update(user=admin_user, actor=admin_user, role=Role.ADMIN, is_active=True, username="boss")

    admin_user.refresh_from_db()
    assert (admin_user.username, admin_user.role) == ("boss", Role.ADMIN)


def test_user_update_role_change_revokes_refresh_tokens(student, admin_user):
    services.user_tokens(user=student)
    assert live_refresh_tokens(student) == 1

    services.user_update(user=student, actor=admin_user, role=Role.INSTRUCTOR)

    assert live_refresh_tokens(student) == 0


def test_user_update_profile_change_keeps_refresh_tokens(student):
    services.user_tokens(user=student)

    services.user_update(user=student, username="renamed", email="renamed@example.com")

    assert live_refresh_tokens(student) == 1


def test_user_deactivate_keeps_the_row_and_revokes_tokens(student, admin_user):
    services.user_tokens(user=student)
    services.user_tokens(user=student)

    services.user_deactivate(user=student, actor=admin_user)

    student.refresh_from_db()
    assert student.is_active is False
    assert live_refresh_tokens(student) == 0
    assert BlacklistedToken.objects.filter(token__user=student).count() == 2


def test_admin_can_deactivate_another_admin(admin_user):
    other = AdminFactory()

    services.user_deactivate(user=other, actor=admin_user)

    other.refresh_from_db()
    assert other.is_active is False


def test_user_deactivate_self_refused(admin_user):
    with pytest.raises(Conflict):
        services.user_deactivate(user=admin_user, actor=admin_user)

    admin_user.refresh_from_db()
    assert admin_user.is_active is True


# --- user_change_password ----------------------------------------------------------------------


def test_change_password_wrong_current(student):
    with pytest.raises(ValidationError) as exc:
        services.user_change_password(
            user=student, current_password="Wrong-Passw0rd", new_password=NEW_PASSWORD
        )

    assert "current_password" in exc.value.message_dict
    student.refresh_from_db()
    assert student.check_password(PASSWORD)


def test_change_password_weak_new(student):
    with pytest.raises(ValidationError) as exc:
        services.user_change_password(user=student, current_password=PASSWORD, new_password="password123")

    assert "new_password" in exc.value.message_dict
    student.refresh_from_db()
    assert student.check_password(PASSWORD)


def test_change_password_sets_it_and_revokes_refresh_tokens(student, other_student):
    services.user_tokens(user=student)
    services.user_tokens(user=other_student)

    services.user_change_password(user=student, current_password=PASSWORD, new_password=NEW_PASSWORD)

    student.refresh_from_db()
    assert student.check_password(NEW_PASSWORD)
    assert live_refresh_tokens(student) == 0
    assert live_refresh_tokens(other_student) == 1


# --- user_login and user_tokens ----------------------------------------------------------------


def test_user_login_ignores_email_case(student):
    tokens = services.user_login(email=student.email.upper(), password=PASSWORD)

    assert str(AccessToken(tokens["access"])["user_id"]) == str(student.pk)


@pytest.mark.parametrize("case", ["wrong-password", "unknown-email", "inactive"])
def test_user_login_failures_are_indistinguishable(student, case):
    email, password = student.email, PASSWORD
    if case == "wrong-password":
        password = "Wrong-Passw0rd"
    elif case == "unknown-email":
        email = "nobody@example.com"
    else:
        student.is_active = False
        student.save(update_fields=["is_active"])

    with pytest.raises(AuthenticationFailed) as exc:
        services.user_login(email=email, password=password)

    assert (exc.value.status_code, exc.value.detail, exc.value.code) == (
        401,
        services.LOGIN_FAILED,
        "no_active_account",
    )


@pytest.mark.parametrize("user_fixture", ["student", "instructor", "admin_user"])
def test_user_tokens_carry_id_and_role(request, user_fixture):
    user = request.getfixturevalue(user_fixture)

    tokens = services.user_tokens(user=user)

    access = AccessToken(tokens["access"])
    assert (str(access["user_id"]), access["role"]) == (str(user.pk), user.role)
    assert live_refresh_tokens(user) == 1
