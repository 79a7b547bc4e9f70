"""Limits on requests that send e-mail (sign-up, password reset), per e-mail address and per IP address.

Same approach as throttle.py: fixed-window counters in Django's cache. The window
starts at the first request; once a counter reaches the limit, further requests are
refused until it expires. Refused requests are not counted.
"""

import hashlib
import math
import time

from django.core.cache import cache

PREFIX = "mail-requests"


def _keys(*, scope: str, email: str, ip: str) -> list[str]:
    keys = []
    if email.strip():
        # Hashed so an arbitrary typed string never becomes a cache key (length, characters).
        digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
        keys.append(f"{PREFIX}:{scope}:email:{digest}")
    if ip:
        keys.append(f"{PREFIX}:{scope}:ip:{ip}")
    return keys


def wait_seconds(*, scope: str, email: str, ip: str, limit: int, window: int) -> int:
    """Seconds before another request is allowed for this e-mail or address; 0 when allowed now."""
    wait = 0
    for key in _keys(scope=scope, email=email, ip=ip):
        if int(cache.get(key) or 0) >= limit:
            until = cache.get(f"{key}:until")
            left = window if until is None else max(1, math.ceil(until - time.time()))
            wait = max(wait, left)
    return wait


def wait_minutes(*, scope: str, email: str, ip: str, limit: int, window: int) -> int:
    """Same as wait_seconds, rounded up to whole minutes (0 when allowed now)."""
    return math.ceil(wait_seconds(scope=scope, email=email, ip=ip, limit=limit, window=window) / 60)


def hit(*, scope: str, email: str, ip: str, window: int) -> None:
    """Count one request for the e-mail (case-insensitive) and for the address."""
    for key in _keys(scope=scope, email=email, ip=ip):
        cache.add(f"{key}:until", time.time() + window, timeout=window)
        cache.add(key, 0, timeout=window)
        try:
            cache.incr(key)
        except ValueError:
            # Expired between add() and incr(): start a new window.
            cache.set(key, 1, timeout=window)
