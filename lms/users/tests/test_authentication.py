"""CachedJWTAuthentication: no user-table read per request, and no stale access after a change."""

import time

import pytest

from lms.users.models import Role, User
from lms.users.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ME = "/api/users/me/"


def test_a_warm_request_does_not_read_the_user_table(student_client, django_assert_num_queries):
    assert student_client.get(ME).status_code == 200

    with django_assert_num_queries(0):
        response = student_client.get(ME)

    assert response.status_code == 200


def test_deactivation_through_the_api_cuts_access_at_once(student, student_client, admin_client_api):
    assert student_client.get(ME).status_code == 200  # cached now

    assert admin_client_api.delete(f"/api/users/{student.pk}/").status_code == 204

    response = student_client.get(ME)
    assert response.status_code == 401
    assert response.json()["code"] == "user_inactive"


def test_a_role_change_through_the_api_applies_at_once(instructor, instructor_client, admin_client_api):
    assert instructor_client.get(ME).json()["role"] == "instructor"

    admin_client_api.patch(f"/api/users/{instructor.pk}/", {"role": "student"})

    assert instructor_client.get(ME).json()["role"] == "student"
    assert instructor_client.post("/api/courses/", {"title": "x", "price": "0"}).status_code == 403


def test_a_change_made_directly_in_the_database_applies_within_the_cache_bound(
    settings, student, student_client
):
    settings.AUTH_USER_CACHE_SECONDS = 1
    assert student_client.get(ME).status_code == 200
    User.objects.filter(pk=student.pk).update(is_active=False)

    assert student_client.get(ME).status_code == 200  # still cached: the documented bound
    time.sleep(1.2)
    assert student_client.get(ME).status_code == 401


def test_patching_me_with_the_cached_user_keeps_every_other_column(student, student_client, anon_client):
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


def test_deleting_a_user_in_the_admin_site_cuts_access_at_once(student, student_client, admin_user):
    from django.test import Client

    assert student_client.get(ME).status_code == 200
    site = Client()
    site.force_login(admin_user)

    response = site.post(f"/admin/users/user/{student.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert student_client.get(ME).status_code == 401


def test_a_verified_token_is_refused_once_it_expires(student, student_client):
    from datetime import timedelta
    from unittest import mock

    from rest_framework_simplejwt.utils import aware_utcnow

    assert student_client.get(ME).status_code == 200  # verified once, remembered

    later = aware_utcnow() + timedelta(minutes=16)  # past the 15-minute access lifetime
    with (
        mock.patch("lms.users.authentication.aware_utcnow", return_value=later),
        mock.patch("rest_framework_simplejwt.tokens.aware_utcnow", return_value=later),
    ):
        response = student_client.get(ME)

    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


def test_a_tampered_token_is_refused_even_after_the_genuine_one_was_seen(student, student_client):
    assert student_client.get(ME).status_code == 200
    genuine = student_client._credentials["HTTP_AUTHORIZATION"]
    header, payload, signature = genuine.removeprefix("Bearer ").split(".")
    student_client.credentials(HTTP_AUTHORIZATION=f"Bearer {header}.{payload}.{signature[:-2]}xx")

    assert student_client.get(ME).status_code == 401
