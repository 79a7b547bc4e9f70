"""Settings of bench/deadline.py: Guichet's own settings, plus a bench-only URL for the baseline.

Everything else is production-like (DEBUG off, same middleware); differences, each for a reason:
- static files served without the collected manifest (no collectstatic in a throwaway run);
- MD5 password hashing (100 users are created before the clock starts, never signed in by password);
- Celery tasks are published, not run in the request: production hands them to Redis and a worker
  sends the e-mails; here the in-memory broker of each gunicorn process takes them and nothing
  consumes them (the outbox rows stay unsent). A request pays what it pays in production: the
  outbox rows and one publish per message. Nothing leaves the machine; nothing touches the shared Redis.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench._deadline_urls"
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_BROKER_URL = "memory://"
CELERY_TASK_ALWAYS_EAGER = False
