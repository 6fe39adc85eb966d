"""Account rules an outside review broke once; each test is named after the rule it guards."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient
from rest_framework_simplejwt.exceptions import TokenError

from lms.users.models import User
from lms.users.serializers import ClaimedRefreshToken
from lms.users.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

REFRESH = "/api/users/token/refresh/"


def login(client, user) -> dict:
    return client.post("/api/users/login/", {"email": user.email, "password": PASSWORD}).json()


def test_a_refresh_token_checked_by_two_redemptions_is_claimed_by_one(student, anon_client):
    refresh = login(anon_client, student)["refresh"]
    slower = ClaimedRefreshToken(refresh)  # has passed the blacklist check, like a concurrent request

    assert anon_client.post(REFRESH, {"refresh": refresh}).status_code == 200  # the faster one

    with pytest.raises(TokenError):
        slower.blacklist()


@pytest.mark.django_db(transaction=True)
def test_concurrent_redemptions_of_one_refresh_token_give_one_new_family(student):
    refresh = login(APIClient(), student)["refresh"]
    barrier = threading.Barrier(8)
    statuses = []

    def redeem() -> None:
        try:
            barrier.wait(timeout=30)
            statuses.append(APIClient().post(REFRESH, {"refresh": refresh}).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=redeem) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(statuses) == [200] + [401] * 7


def test_registration_checks_the_password_before_saying_an_email_is_taken(student, anon_client):
    body = {"username": "someone", "email": student.email, "password": "password"}

    response = anon_client.post("/api/users/register/", body)

    assert response.status_code == 400
    assert set(response.json()) == {"password"}  # not {"email", ...}: nothing about the address


def admin_login(client, email: str, password: str, ip: str = "192.0.2.50"):
    # The admin login form's field is named `username`; it takes the email address.
    return client.post(
        "/admin/login/?next=/admin/", {"username": email, "password": password}, REMOTE_ADDR=ip
    )


def test_the_admin_login_has_the_api_logins_limits(throttle_rates, admin_user):
    from django.test import Client

    throttle_rates(login_ip="100/minute", login_account="3/minute")
    client = Client()

    for _ in range(3):
        assert admin_login(client, admin_user.email, "wrong").status_code == 200  # the form again
    refused = admin_login(client, admin_user.email, PASSWORD)

    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session
    # From another address, the owner still gets in.
    assert admin_login(Client(), admin_user.email, PASSWORD, ip="192.0.2.51").status_code == 302


def test_the_admin_login_limit_per_account_ignores_letter_case(throttle_rates, admin_user):
    from django.test import Client

    throttle_rates(login_ip="100/minute", login_account="3/minute")
    client = Client()
    for variant in (admin_user.email.upper(), admin_user.email, f" {admin_user.email.title()} "):
        assert admin_login(client, variant, "wrong").status_code == 200

    assert admin_login(client, admin_user.email, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_admin_login_is_limited_per_ip(throttle_rates, admin_user):
    from django.test import Client

    throttle_rates(login_ip="2/minute")
    client = Client()
    admin_login(client, "a", "wrong")
    admin_login(client, "b", "wrong")

    assert admin_login(client, admin_user.email, PASSWORD).status_code == 429


def test_the_admin_site_never_shows_a_refresh_token(student, admin_user, anon_client):
    from django.test import Client
    from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

    refresh = login(anon_client, student)["refresh"]
    site = Client()
    site.force_login(admin_user)
    outstanding = OutstandingToken.objects.get(user=student)

    pages = [
        site.get("/admin/token_blacklist/outstandingtoken/"),
        site.get(f"/admin/token_blacklist/outstandingtoken/{outstanding.pk}/change/"),
    ]

    assert [page.status_code for page in pages] == [200, 200]
    assert outstanding.jti in pages[1].content.decode()
    for page in pages:
        assert refresh not in page.content.decode()
        assert refresh.split(".")[2] not in page.content.decode()  # not even its signature


REGISTER_BODY = {"email": "lookalike@example.com", "password": "a-Long-passphrase-1"}


def full_width(text: str) -> str:
    return "".join(chr(ord(char) + 0xFEE0) if "!" <= char <= "~" else char for char in text)


def test_a_full_width_username_is_stored_normalized(anon_client):
    r = anon_client.post("/api/users/register/", {**REGISTER_BODY, "username": full_width("ivan")})

    assert r.status_code == 201
    assert r.json()["username"] == "ivan"
    assert User.objects.get(email=REGISTER_BODY["email"]).username == "ivan"


def test_a_full_width_copy_of_a_taken_username_is_refused(anon_client, student_client, instructor):
    copy = full_width(instructor.username.upper())
    registered = anon_client.post("/api/users/register/", {**REGISTER_BODY, "username": copy})
    renamed = student_client.patch("/api/users/me/", {"username": copy})

    assert (registered.status_code, renamed.status_code) == (400, 400)
    assert registered.json()["username"] == ["A user with that username already exists."]
    assert renamed.json()["username"] == ["A user with that username already exists."]


# "iv" Cyrillic-a "n"; "paypal" with Cyrillic p, a, y; "abc" and a Greek capital alpha.
@pytest.mark.parametrize("name", ["iv\u0430n", "\u0440\u0430\u0443\u0440\u0430l", "abc\u0391"])
def test_a_username_mixing_look_alike_scripts_is_refused(anon_client, student_client, name):
    registered = anon_client.post("/api/users/register/", {**REGISTER_BODY, "username": name})
    renamed = student_client.patch("/api/users/me/", {"username": name})

    assert (registered.status_code, renamed.status_code) == (400, 400)
    assert "username" in registered.json()
    assert "username" in renamed.json()
    assert not User.objects.filter(username=name).exists()


@pytest.mark.parametrize("name", ["иван", "José", "李小龍", "Ελληνικά", "ivan_2.b-c"])
def test_a_username_in_one_script_is_accepted(anon_client, name):
    r = anon_client.post("/api/users/register/", {**REGISTER_BODY, "username": name})

    assert r.status_code == 201, r.content
    assert r.json()["username"] == name
