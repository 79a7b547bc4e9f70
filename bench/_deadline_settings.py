"""Settings of bench/deadline.py: Guichet's own settings, plus a bench-only URL for the baseline.

Everything else is production-like (DEBUG off, same middleware); differences, each for a reason:
- static files served without the collected manifest (no collectstatic in a throwaway run);
- MD5 password hashing (100 users are created before the clock starts, never signed in by password);
- Celery publishes to the bench's private Redis (REDIS_URL, set by bench/deadline.py) and its
  worker runs the tasks, as in production; e-mails go to Django's in-memory backend, so nothing
  leaves the machine.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench._deadline_urls"
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
