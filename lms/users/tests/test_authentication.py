"""CachedJWTAuthentication: with a shared cache no user-table read per request, and never stale access
after a change made through the services."""

import time

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from lms.users.authentication import _key
from lms.users.models import Role, User
from lms.users.services import user_update
from lms.users.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ME = "/api/users/me/"


@pytest.fixture
def user_cache(settings):
    """The user cache switched on, as it is with Redis (the suite's cache is Redis when REDIS_URL is set)."""
    settings.AUTH_USER_CACHE_SECONDS = 60


def test_the_user_cache_is_on_only_with_a_shared_cache(settings):
    # A per-process cache would keep a deactivated user's rights on the other workers.
    assert (settings.AUTH_USER_CACHE_SECONDS > 0) == bool(settings.REDIS_URL)


def test_without_the_user_cache_every_request_reads_the_user(settings, student, student_client):
    settings.AUTH_USER_CACHE_SECONDS = 0
    assert student_client.get(ME).status_code == 200
    cache.set(_key(student.pk), ["stale"], 60)  # what another worker's cache could still hold

    User.objects.filter(pk=student.pk).update(is_active=False)

    assert student_client.get(ME).status_code == 401


def test_a_warm_request_does_not_read_the_user_table(user_cache, student_client, django_assert_num_queries):
    assert student_client.get(ME).status_code == 200

    with django_assert_num_queries(0):
        response = student_client.get(ME)

    assert response.status_code == 200


def test_a_cached_user_is_forgotten_when_the_change_commits_not_before(
    user_cache, student, student_client, admin_user, django_capture_on_commit_callbacks
):
    student_client.get(ME)
    assert cache.get(_key(student.pk)) is not None

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        user_update(user=student, actor=admin_user, is_active=False)
        # A request racing this transaction would read and cache the old row again: not yet.
        assert cache.get(_key(student.pk)) is not None

    assert cache.get(_key(student.pk)) is None
    assert student_client.get(ME).status_code == 401


@pytest.mark.django_db(transaction=True)  # the cache is forgotten on commit
def test_deactivation_through_the_api_cuts_access_at_once(
    user_cache, student, student_client, admin_client_api
):
    assert student_client.get(ME).status_code == 200  # cached now

    assert admin_client_api.delete(f"/api/users/{student.pk}/").status_code == 204

    response = student_client.get(ME)
    assert response.status_code == 401
    assert response.json()["code"] == "user_inactive"


@pytest.mark.django_db(transaction=True)  # the cache is forgotten on commit
def test_a_role_change_through_the_api_applies_at_once(
    user_cache, instructor, instructor_client, admin_client_api
):
    assert instructor_client.get(ME).json()["role"] == "instructor"

    admin_client_api.patch(f"/api/users/{instructor.pk}/", {"role": "student"})

    assert instructor_client.get(ME).json()["role"] == "student"
    assert instructor_client.post("/api/courses/", {"title": "x", "price": "0"}).status_code == 403


def test_a_change_made_directly_in_the_database_applies_within_the_cache_bound(
    settings, student, student_client
):
    settings.AUTH_USER_CACHE_SECONDS = 1  # with a shared cache
    assert student_client.get(ME).status_code == 200
    User.objects.filter(pk=student.pk).update(is_active=False)

    assert student_client.get(ME).status_code == 200  # still cached: the documented bound
    time.sleep(1.2)
    assert student_client.get(ME).status_code == 401


def test_patching_me_with_the_cached_user_keeps_every_other_column(
    user_cache, student, student_client, anon_client
):
    before = User.objects.get(pk=student.pk)
    student_client.get(ME)

    response = student_client.patch(ME, {"username": "renamed"})

    assert response.status_code == 200
    after = User.objects.get(pk=student.pk)
    assert after.username == "renamed"
    assert (after.password, after.date_joined, after.role) == (
        before.password,
        before.date_joined,
        Role.STUDENT,
    )
    login = anon_client.post("/api/users/login/", {"email": student.email, "password": PASSWORD})
    assert login.status_code == 200


def test_a_deleted_user_is_refused(student, student_client):
    User.objects.filter(pk=student.pk).delete()

    response = student_client.get(ME)

    assert response.status_code == 401
    assert response.json()["code"] == "user_not_found"


def test_refreshing_the_token_of_a_deleted_user_is_401(student, anon_client):
    tokens = anon_client.post("/api/users/login/", {"email": student.email, "password": PASSWORD}).json()
    User.objects.filter(pk=student.pk).delete()

    response = anon_client.post("/api/users/token/refresh/", {"refresh": tokens["refresh"]})

    assert response.status_code == 401
    assert response.json()["code"] == "no_active_account"


@pytest.mark.parametrize("column", ["is_active", "role"])
def test_patching_me_never_writes_back_a_cached_role_or_active_flag(
    user_cache, admin_user, make_client, column
):
    """A deactivated user must not re-activate, nor a demoted admin re-promote, themselves."""
    client = make_client(admin_user)
    assert client.get(ME).status_code == 200  # role=admin, active: cached
    changed = {"is_active": False} if column == "is_active" else {"role": Role.STUDENT}
    User.objects.filter(pk=admin_user.pk).update(**changed)  # directly, so the cache still says admin

    client.patch(ME, {"username": "renamed"})

    row = User.objects.get(pk=admin_user.pk)
    assert (getattr(row, column), row.username) == (changed[column], "renamed")


def admin_site(admin_user) -> Client:
    site = Client()
    site.force_login(admin_user)
    return site


def change_form(user: User, **changes) -> dict:
    form = {
        "username": user.username,
        "email": user.email,
        "first_name": "",
        "last_name": "",
        "role": user.role,
        "is_active": "on" if user.is_active else "",
    }
    form.update(changes)
    return {key: value for key, value in form.items() if value != ""}


def live_refresh_tokens(user: User) -> int:
    return OutstandingToken.objects.filter(user=user, blacklistedtoken__isnull=True).count()


@pytest.mark.django_db(transaction=True)  # the cache is forgotten on commit
@pytest.mark.parametrize(
    ("changes", "refused_code"),
    [({"is_active": ""}, "user_inactive"), ({"role": "instructor"}, None)],
    ids=["deactivation", "role change"],
)
def test_the_admin_site_changes_an_account_through_the_service(
    user_cache, student, student_client, admin_user, anon_client, changes, refused_code
):
    refresh = anon_client.post("/api/users/login/", {"email": student.email, "password": PASSWORD}).json()
    assert student_client.get(ME).status_code == 200  # cached

    response = admin_site(admin_user).post(
        f"/admin/users/user/{student.pk}/change/", change_form(student, **changes)
    )

    assert response.status_code == 302, response.content
    assert live_refresh_tokens(student) == 0
    assert anon_client.post("/api/users/token/refresh/", {"refresh": refresh["refresh"]}).status_code == 401
    me = student_client.get(ME)
    if refused_code:
        assert (me.status_code, me.json()["code"]) == (401, refused_code)
    else:
        assert me.json()["role"] == "instructor"


def test_an_admin_site_password_reset_revokes_refresh_tokens(student, admin_user, anon_client):
    refresh = anon_client.post("/api/users/login/", {"email": student.email, "password": PASSWORD}).json()

    response = admin_site(admin_user).post(
        f"/admin/users/user/{student.pk}/password/",
        {"password1": "a-New-passphrase-42", "password2": "a-New-passphrase-42", "usable_password": "true"},
    )

    assert response.status_code == 302, response.content
    assert anon_client.post("/api/users/token/refresh/", {"refresh": refresh["refresh"]}).status_code == 401
    login = {"email": student.email, "password": "a-New-passphrase-42"}
    assert anon_client.post("/api/users/login/", login).status_code == 200


def test_the_admin_site_deactivates_accounts_but_never_deletes_them(student, admin_user):
    site = admin_site(admin_user)

    assert site.post(f"/admin/users/user/{student.pk}/delete/", {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=student.pk).exists()


def test_an_admin_cannot_demote_or_deactivate_themselves_in_the_admin_site(admin_user):
    response = admin_site(admin_user).post(
        f"/admin/users/user/{admin_user.pk}/change/", change_form(admin_user, role="student", is_active="")
    )

    assert response.status_code == 302, response.content
    row = User.objects.get(pk=admin_user.pk)
    assert (row.role, row.is_active) == (Role.ADMIN, True)


def test_the_admin_site_creates_accounts_through_the_service(admin_user):
    response = admin_site(admin_user).post(
        "/admin/users/user/add/",
        {
            "username": "newbie",
            "email": "NewBie@Example.com",
            "role": "instructor",
            "password1": "a-New-passphrase-42",
            "password2": "a-New-passphrase-42",
            "usable_password": "true",
        },
    )

    assert response.status_code == 302, response.content
    user = User.objects.get(username="newbie")
    assert (user.email, user.role, user.check_password("a-New-passphrase-42")) == (
        "newbie@example.com",
        Role.INSTRUCTOR,
        True,
    )


def test_a_verified_token_is_refused_once_it_expires(student, student_client):
    from datetime import timedelta
    from unittest import mock

    from rest_framework_simplejwt.utils import aware_utcnow

    assert student_client.get(ME).status_code == 200

    later = aware_utcnow() + timedelta(minutes=16)  # past the 15-minute access lifetime
    with mock.patch("rest_framework_simplejwt.tokens.aware_utcnow", return_value=later):
        response = student_client.get(ME)

    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


def test_a_tampered_token_is_refused_even_after_the_genuine_one_was_seen(student, student_client):
    assert student_client.get(ME).status_code == 200
    genuine = student_client._credentials["HTTP_AUTHORIZATION"]
    header, payload, signature = genuine.removeprefix("Bearer ").split(".")
    student_client.credentials(HTTP_AUTHORIZATION=f"Bearer {header}.{payload}.{signature[:-2]}xx")

    assert student_client.get(ME).status_code == 401
