"""The local Stripe of the development loop: localstripe listens on 127.0.0.1 only, and a second
terminal finds the one `make run` started (lms/core/local_stripe.py, scripts/run_local.py)."""

import socket

import pytest

from lms.core import local_stripe as local
from lms.core.tests.test_settings import load_settings
from lms.payments.tests.fixtures import LOOPBACK


def port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def accepts(host: str, port: int, family: int = socket.AF_INET) -> bool:
    try:
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.settimeout(2)
            sock.connect((host, port))
            return True
    except OSError:
        return False


def test_localstripe_listens_on_127_0_0_1_only(localstripe):
    port = port_of(localstripe.url)

    assert localstripe.url == f"http://{LOOPBACK}:{port}"
    assert accepts(LOOPBACK, port)
    # Bound to every interface ([::], as `localstripe` itself binds), these would connect: on
    # Linux all of 127.0.0.0/8 is this host, and [::] is dual stack.
    assert not accepts("127.0.0.2", port)
    assert not accepts("::1", port, socket.AF_INET6)


def test_the_recorded_address_is_found_and_forgotten(tmp_path):
    url_file = tmp_path / ".localstripe-url"
    assert local.api_base(url_file=url_file) == "http://127.0.0.1:8420"  # nothing recorded

    local.record("http://127.0.0.1:38420", url_file)

    assert local.api_base(url_file=url_file) == "http://127.0.0.1:38420"
    assert local.api_base("9420", url_file) == "http://127.0.0.1:9420"  # LOCALSTRIPE_PORT wins
    local.forget("http://127.0.0.1:38420", url_file)
    assert not url_file.exists()
    assert local.api_base(url_file=url_file) == "http://127.0.0.1:8420"


def test_a_second_make_run_keeps_its_record_when_the_first_stops(tmp_path):
    url_file = tmp_path / ".localstripe-url"
    local.record("http://127.0.0.1:38420", url_file)
    local.record("http://127.0.0.1:38421", url_file)

    local.forget("http://127.0.0.1:38420", url_file)

    assert local.api_base(url_file=url_file) == "http://127.0.0.1:38421"


@pytest.mark.parametrize("content", ["", "garbage", "https://api.stripe.com", "http://10.0.0.5:8420"])
def test_only_a_loopback_address_is_taken_from_the_record(tmp_path, content):
    url_file = tmp_path / ".localstripe-url"
    url_file.write_text(content)

    assert local.api_base(url_file=url_file) == "http://127.0.0.1:8420"


def test_the_local_settings_use_the_address_make_run_recorded(tmp_path, monkeypatch):
    url_file = tmp_path / ".localstripe-url"
    monkeypatch.setattr(local, "URL_FILE", url_file)
    monkeypatch.delenv("LOCALSTRIPE_PORT", raising=False)
    local.record("http://127.0.0.1:38420")

    assert load_settings("local").STRIPE_API_BASE == "http://127.0.0.1:38420"
    assert load_settings("local", LOCALSTRIPE_PORT="9420").STRIPE_API_BASE == "http://127.0.0.1:9420"
    # A real key means real Stripe: the record is not used.
    assert load_settings("local", STRIPE_SECRET_KEY="sk_test_real").STRIPE_API_BASE == ""
