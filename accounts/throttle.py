"""Sign-in throttling: count failed attempts per e-mail and per IP address in Django's cache.

A counter starts at the first failure and lives settings.LOGIN_FAILURE_WINDOW seconds
(a fixed window: later failures do not extend it). Once either counter reaches
settings.LOGIN_MAX_FAILURES, sign-in is refused without checking the password
until the counter expires. Refused attempts are not counted, so the wait shown
to the person is the real one.
"""

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

PREFIX = "login-failures"


def _email_key(email: str) -> str:
    # Hashed so an arbitrary typed string never becomes a cache key (length, characters).
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    return f"{PREFIX}:email:{digest}"


def _ip_key(ip: str) -> str:
    return f"{PREFIX}:ip:{ip}"


def _keys(*, email: str, ip: str) -> list[str]:
    keys = []
    if email.strip():
        keys.append(_email_key(email))
    if ip:
        keys.append(_ip_key(ip))
    return keys


def client_ip(request: HttpRequest) -> str:
    """The address the request came from.

    REMOTE_ADDR only: X-Forwarded-For can be forged by the client. Behind a proxy,
    the proxy (or a middleware trusting it) must set REMOTE_ADDR.
    """
    return request.META.get("REMOTE_ADDR", "") or ""


def _count(key: str) -> int:
    return int(cache.get(key) or 0)


def _seconds_left(key: str) -> int:
    until = cache.get(f"{key}:until")
    if until is None:
        return settings.LOGIN_FAILURE_WINDOW
    return max(1, math.ceil(until - time.time()))


def login_wait_seconds(*, email: str, ip: str) -> int:
    """Seconds before sign-in is allowed again for this e-mail or address; 0 when allowed now."""
    wait = 0
    for key in _keys(email=email, ip=ip):
        if _count(key) >= settings.LOGIN_MAX_FAILURES:
            wait = max(wait, _seconds_left(key))
    return wait


def login_wait_minutes(*, email: str, ip: str) -> int:
    """Same as login_wait_seconds, rounded up to whole minutes (0 when allowed now)."""
    return math.ceil(login_wait_seconds(email=email, ip=ip) / 60)


def login_failed(*, email: str, ip: str) -> None:
    """Count one failed attempt for the e-mail (case-insensitive) and for the address."""
    window = settings.LOGIN_FAILURE_WINDOW
    for key in _keys(email=email, ip=ip):
        # add() only writes when the key is missing: the window starts at the first failure.
        cache.add(f"{key}:until", time.time() + window, timeout=window)
        cache.add(key, 0, timeout=window)
        try:
            cache.incr(key)
        except ValueError:
            # Expired between add() and incr(): start a new window.
            cache.set(key, 1, timeout=window)


def login_succeeded(*, email: str) -> None:
    """Forget the failures of this e-mail. The address keeps its count (it may be guessing other accounts)."""
    key = _email_key(email)
    cache.delete_many([key, f"{key}:until"])
