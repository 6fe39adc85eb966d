"""Login and registration are limited per client IP and per account (the submitted email)."""

import pytest

from lms.users.models import User
from lms.users.tests.factories import PASSWORD, StudentFactory

pytestmark = pytest.mark.django_db

LOGIN = "/api/users/login/"
REGISTER = "/api/users/register/"
NEW_PASSWORD = "a-Long-passphrase-1"


def login(client, email: str, password: str = PASSWORD, ip: str = "192.0.2.1"):
    return client.post(LOGIN, {"email": email, "password": password}, REMOTE_ADDR=ip)


def register(client, n: int, email: str | None = None, ip: str = "192.0.2.1"):
    body = {"username": f"new{n}", "email": email or f"new{n}@example.com", "password": NEW_PASSWORD}
    return client.post(REGISTER, body, REMOTE_ADDR=ip)


def assert_throttled(response) -> None:
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert set(response.json()) == {"detail", "code"}
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "access" not in response.json()


# --- Login -------------------------------------------------------------------------------------


def test_login_is_limited_per_ip(throttle_rates, anon_client, student):
    throttle_rates(login_ip="3/minute")

    for n in range(3):
        assert login(anon_client, f"nobody{n}@example.com").status_code == 401

    # Even the right password for a real account is refused from that IP now...
    assert_throttled(login(anon_client, student.email))
    # ...but not from another IP.
    r = login(anon_client, student.email, ip="192.0.2.2")
    assert r.status_code == 200
    assert "access" in r.json()


def test_login_is_limited_per_account_and_address(throttle_rates, anon_client, student):
    throttle_rates(login_account="3/minute")
    # The account throttle compares addresses as the login does: without case or spaces.
    variants = [student.email, student.email.upper(), f"  {student.email.title()} "]

    for email in variants:
        assert login(anon_client, email, password="wrong", ip="198.51.100.7").status_code == 401

    assert_throttled(login(anon_client, student.email, ip="198.51.100.7"))
    # Another account from the same IP still logs in.
    other = StudentFactory()
    assert login(anon_client, other.email, ip="198.51.100.7").status_code == 200


def test_guesses_from_elsewhere_do_not_lock_the_owner_out(throttle_rates, anon_client, student):
    throttle_rates(login_account="10/minute")

    for _ in range(10):
        assert login(anon_client, student.email, password="wrong", ip="203.0.113.66").status_code == 401
    assert_throttled(login(anon_client, student.email, password="wrong", ip="203.0.113.66"))

    assert login(anon_client, student.email, ip="192.0.2.10").status_code == 200  # the owner, at home


def test_guesses_spread_over_many_addresses_meet_the_per_account_ceiling(
    throttle_rates, anon_client, student
):
    throttle_rates(login_account="10/minute", login_account_total="5/hour")

    for n in range(5):
        assert login(anon_client, student.email, password="wrong", ip=f"198.51.100.{n}").status_code == 401

    r = login(anon_client, student.email, ip="198.51.100.99")  # even the right password, now
    assert (r.status_code, r.json()["code"]) == (429, "throttled")


def test_password_change_guesses_meet_the_login_limit(throttle_rates, student, student_client):
    throttle_rates(login_account="3/minute")
    body = {"current_password": "wrong", "new_password": NEW_PASSWORD}

    for _ in range(3):
        assert student_client.post("/api/users/me/password/", body).status_code == 400

    assert_throttled(student_client.post("/api/users/me/password/", {**body, "current_password": PASSWORD}))
    assert User.objects.get(pk=student.pk).check_password(PASSWORD)


def test_successful_logins_count_too(throttle_rates, anon_client, student):
    throttle_rates(login_account="2/minute")

    assert login(anon_client, student.email).status_code == 200
    assert login(anon_client, student.email).status_code == 200
    assert_throttled(login(anon_client, student.email))


def test_login_without_an_email_is_left_to_validation(throttle_rates, anon_client):
    throttle_rates(login_account="1/minute")

    for _ in range(3):
        r = anon_client.post(LOGIN, {"password": "x"}, REMOTE_ADDR="192.0.2.3")
        assert r.status_code == 400
        assert r.json() == {"email": ["This field is required."]}


def test_malformed_login_body_is_still_a_parse_error(throttle_rates, anon_client):
    throttle_rates(login_account="1/minute")

    r = anon_client.post(LOGIN, '{"email": ', content_type="application/json")

    assert r.status_code == 400
    assert r.json()["code"] == "parse_error"


def test_login_limit_ignores_the_general_anon_rate(throttle_rates, anon_client, student):
    throttle_rates(anon="1/minute", login_ip="5/minute", login_account="5/minute")

    assert [login(anon_client, student.email).status_code for _ in range(3)] == [200, 200, 200]


# --- Registration ------------------------------------------------------------------------------


def test_registration_is_limited_per_ip(throttle_rates, anon_client):
    throttle_rates(register_ip="2/minute")

    assert register(anon_client, 1).status_code == 201
    assert register(anon_client, 2).status_code == 201
    assert_throttled(register(anon_client, 3))
    assert not User.objects.filter(username="new3").exists()

    assert register(anon_client, 4, ip="192.0.2.9").status_code == 201


def test_registration_is_limited_per_email_across_ips(throttle_rates, anon_client, student):
    throttle_rates(register_account="2/minute")

    # Probing whether an address has an account is limited like guessing its password.
    assert register(anon_client, 1, email=student.email, ip="198.51.100.1").status_code == 400
    assert register(anon_client, 2, email=student.email.upper(), ip="198.51.100.2").status_code == 400
    assert_throttled(register(anon_client, 3, email=student.email, ip="198.51.100.3"))

    assert register(anon_client, 4, ip="198.51.100.3").status_code == 201
