"""Data of bench/deadline.py, made through Guichet's services (run with the bench settings).

`python -m bench._deadline_setup prepare N [SPARE]` creates N applicants (plus SPARE more, who only
warm the server up before the clock starts), each in their own organisation with a complete draft to
one open call, and prints one JSON object: the session cookie of each applicant (a signed-in browser),
their draft, and how the browser saves (the autosave URL when it exists).

`python -m bench._deadline_setup check FILE` reads what the load acknowledged (JSON) and prints
what the database holds for each draft.
"""

import json
import sys

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from bench._deadline_urls import BASELINE_TABLE  # noqa: E402
from forms.models import Application  # noqa: E402
from tests import factories as f  # noqa: E402

MRCS = ["061", "062", "063", "064", "066", "081", "065"]


def _signed_in(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def prepare(users: int, spare: int = 0) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {BASELINE_TABLE} (id bigserial PRIMARY KEY, user_id bigint NOT NULL,"
            " n integer NOT NULL, payload text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())"
        )
    manager = f.make_user(email="manon@bench.example", role="fund_manager", full_name="Manon Bench")
    call = f.make_call(fund=f.make_fund(managers=[manager]), title="Appel du jour J", max_years=2)
    people = []
    for i in range(users + spare):
        user = f.make_user(email=f"applicant{i}@bench.example", role="applicant", full_name=f"Applicant {i}")
        organisation = f.make_organisation(name=f"Organisme {i}", mrc_code=MRCS[i % len(MRCS)], admin=user)
        draft = f.make_draft(call=call, organisation=organisation, by=user)
        draft.refresh_from_db()
        people.append({"user": user.pk, "application": draft.pk, "version": draft.version, "session": _signed_in(user)})
    try:
        reverse("forms:autosave", kwargs={"pk": 1, "step": "project"})
        autosave = True
    except NoReverseMatch:
        autosave = False
    return {
        "people": people[:users],
        "warmup": people[users:],
        "autosave": autosave,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "call_max_years": call.max_years,
    }


def check(pks: list[int]) -> dict:
    """What the database holds of each application: the fields the load saves, and its status."""
    found = {}
    for application in Application.objects.filter(pk__in=pks).prefetch_related("years"):
        found[str(application.pk)] = {
            "title": application.title,
            "summary": application.summary,
            "sustainability_plan": application.sustainability_plan,
            "years": {str(y.year): str(y.amount) for y in application.years.all()},
            "status": application.status,
            "submitted": application.submitted_at is not None,
            "version": application.version,
        }
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT user_id, n FROM {BASELINE_TABLE}")
        baseline = [[u, n] for u, n in cursor.fetchall()]
    return {"applications": found, "baseline": baseline}


if __name__ == "__main__":
    if sys.argv[1] == "prepare":
        print(json.dumps(prepare(*(int(n) for n in sys.argv[2:4]))))
    else:
        with open(sys.argv[2]) as handle:
            print(json.dumps(check(json.load(handle))))
