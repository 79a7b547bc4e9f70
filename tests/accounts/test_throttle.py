from django.conf import settings
from django.test import RequestFactory

from accounts import throttle


def fail(times: int, *, email: str = "a@example.org", ip: str = "198.51.100.1") -> None:
    for _ in range(times):
        throttle.login_failed(email=email, ip=ip)


def test_it_allows_until_the_limit():
    fail(settings.LOGIN_MAX_FAILURES - 1)
    assert throttle.login_wait_seconds(email="a@example.org", ip="198.51.100.1") == 0
    fail(1)
    wait = throttle.login_wait_seconds(email="a@example.org", ip="198.51.100.1")
    assert 0 < wait <= settings.LOGIN_FAILURE_WINDOW
    assert throttle.login_wait_minutes(email="a@example.org", ip="198.51.100.1") == settings.LOGIN_FAILURE_WINDOW // 60


def test_it_blocks_the_email_from_any_address_and_any_case():
    fail(settings.LOGIN_MAX_FAILURES, email="A@Example.org")
    assert throttle.login_wait_seconds(email="a@example.org", ip="203.0.113.9") > 0


def test_it_blocks_the_address_for_any_email():
    fail(settings.LOGIN_MAX_FAILURES, email="a@example.org")
    assert throttle.login_wait_seconds(email="b@example.org", ip="198.51.100.1") > 0
    assert throttle.login_wait_seconds(email="b@example.org", ip="198.51.100.2") == 0


def test_it_forgets_the_email_after_a_success_but_not_the_address():
    fail(settings.LOGIN_MAX_FAILURES)
    throttle.login_succeeded(email="A@example.org")
    assert throttle.login_wait_seconds(email="a@example.org", ip="203.0.113.9") == 0
    assert throttle.login_wait_seconds(email="a@example.org", ip="198.51.100.1") > 0


def test_it_reads_the_remote_address_not_forwarded_headers():
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert throttle.client_ip(request) == "192.0.2.1"
