"""The general limits: per user when authenticated, per client IP when anonymous; 429 with Retry-After."""

import pytest
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from lms.core.throttling import PaymentRateThrottle, UserRateThrottle
from lms.users.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db

ME = "/api/users/me/"
REFRESH = "/api/users/token/refresh/"  # public: an anonymous request reaches the throttles


def assert_throttled(response) -> int:
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert set(response.json()) == {"detail", "code"}
    retry_after = int(response["Retry-After"])
    assert 1 <= retry_after <= 60
    return retry_after


def anon_post(client, ip: str, **extra):
    return client.post(REFRESH, {"refresh": "not-a-token"}, REMOTE_ADDR=ip, **extra)


# --- Per user ----------------------------------------------------------------------------------


def test_user_rate_limits_each_user(throttle_rates, student_client, make_client):
    throttle_rates(user="3/minute")

    for _ in range(3):
        assert student_client.get(ME).status_code == 200
    assert_throttled(student_client.get(ME))

    # Another user is counted apart.
    assert make_client(StudentFactory()).get(ME).status_code == 200


def test_user_rate_counts_every_endpoint_together(throttle_rates, student_client):
    throttle_rates(user="2/minute")

    assert student_client.get(ME).status_code == 200
    assert student_client.get("/api/courses/").status_code == 200
    assert_throttled(student_client.get("/api/enrollments/"))


def test_user_rate_follows_the_user_not_the_ip(throttle_rates, student_client):
    throttle_rates(user="2/minute")

    assert student_client.get(ME, REMOTE_ADDR="192.0.2.1").status_code == 200
    assert student_client.get(ME, REMOTE_ADDR="192.0.2.2").status_code == 200
    assert_throttled(student_client.get(ME, REMOTE_ADDR="192.0.2.3"))


# --- Per IP, anonymous -------------------------------------------------------------------------


def test_anon_rate_limits_each_ip(throttle_rates, anon_client):
    throttle_rates(anon="2/minute")

    assert anon_post(anon_client, "192.0.2.10").status_code == 401
    assert anon_post(anon_client, "192.0.2.10").status_code == 401
    assert_throttled(anon_post(anon_client, "192.0.2.10"))

    assert anon_post(anon_client, "192.0.2.11").status_code == 401


def test_authenticated_requests_do_not_use_the_anon_budget_of_their_ip(
    throttle_rates, anon_client, student_client
):
    throttle_rates(anon="1/minute")
    assert anon_post(anon_client, "192.0.2.12").status_code == 401
    assert_throttled(anon_post(anon_client, "192.0.2.12"))

    assert student_client.get(ME, REMOTE_ADDR="192.0.2.12").status_code == 200


def test_client_sent_forwarded_for_does_not_change_the_ip(throttle_rates, anon_client):
    throttle_rates(anon="1/minute")
    assert anon_post(anon_client, "192.0.2.13", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 401

    r = anon_post(anon_client, "192.0.2.13", HTTP_X_FORWARDED_FOR="198.51.100.2")

    assert_throttled(r)


def test_behind_one_proxy_the_ip_it_appends_is_the_client(throttle_rates, settings, anon_client):
    throttle_rates(anon="1/minute")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    proxy = "10.0.0.1"

    # The client's own (forged) entries come first; the proxy appends the address it saw.
    first = anon_post(anon_client, proxy, HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.7")
    assert first.status_code == 401
    assert_throttled(anon_post(anon_client, proxy, HTTP_X_FORWARDED_FOR="2.2.2.2, 198.51.100.7"))
    assert anon_post(anon_client, proxy, HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 401


def test_a_scope_without_rate_is_not_limited(throttle_rates, student_client):
    throttle_rates(user=None)

    assert all(student_client.get(ME).status_code == 200 for _ in range(5))


# --- Retry-After -------------------------------------------------------------------------------


def test_retry_after_is_the_time_until_the_window_ends(throttle_rates, clock, student_client):
    throttle_rates(user="2/minute")
    clock.now = 60 * 1000.0  # the start of a window
    assert student_client.get(ME).status_code == 200
    clock.now += 10
    assert student_client.get(ME).status_code == 200

    clock.now += 10
    assert assert_throttled(student_client.get(ME)) == 40  # the window ends at +60
    clock.now += 39.5
    assert assert_throttled(student_client.get(ME)) == 1

    clock.now += 0.5  # a new window: a new budget
    assert student_client.get(ME).status_code == 200
    assert student_client.get(ME).status_code == 200
    assert assert_throttled(student_client.get(ME)) == 60


def test_rates_are_read_when_the_request_arrives(throttle_rates, student_client):
    throttle_rates(user="1/minute")
    assert student_client.get(ME).status_code == 200
    assert student_client.get(ME).status_code == 429

    throttle_rates(user="5/minute")

    assert student_client.get(ME).status_code == 200


# --- Payment creation (attached by the payments API) -------------------------------------------


class PaymentLikeApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [UserRateThrottle, PaymentRateThrottle]

    def post(self, request):
        return Response(status=201)


def post_payment(user):
    request = APIRequestFactory().post("/api/payments/", {}, format="json")
    if user is not None:
        force_authenticate(request, user=user)
    return PaymentLikeApi.as_view()(request)


def test_payment_rate_limits_each_user(throttle_rates):
    throttle_rates(payments="2/minute")
    student, other = StudentFactory(), StudentFactory()

    assert [post_payment(student).status_code for _ in range(3)] == [201, 201, 429]
    throttled = post_payment(student)
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) >= 1
    assert post_payment(other).status_code == 201


def test_payment_scope_is_its_own(throttle_rates):
    throttle_rates(payments="1/minute", user="100/minute")
    student = StudentFactory()

    assert PaymentRateThrottle.scope == "payments"
    assert post_payment(student).status_code == 201
    assert post_payment(student).status_code == 429
    assert post_payment(None).status_code == 201  # keyed on the user: an anonymous request has no key
