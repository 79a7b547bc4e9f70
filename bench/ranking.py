"""Ranking page benchmark: 2,000 applications scored by 3 reviewers each, on PostgreSQL.

Builds the data in a throwaway test database (`test_<name>` of BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/bench_ranking), renders the ranking page with the test
Client as the fund's manager, and compares it with a baseline page listing the same 2,000
applications with no scores (rendered in the same run, same base template). Prints its
figures, then one JSON line: applications, reviewers_per_application, queries, ms, baseline_ms, ratio.
Targets: queries ≤ 12, ratio ≤ 2.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_ranking")
os.environ.pop("REDIS_URL", None)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.template import engines  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

APPLICATIONS = 2000
REVIEWERS = 3
RUNS = 7

BASELINE = engines["django"].from_string(
    """{% extends "base.html" %}{% block content %}<h1>{{ call.title }}</h1><table><tbody>
{% for a in applications %}<tr><td>{{ forloop.counter }}</td><th scope="row"><a href="{{ a.get_absolute_url }}">{{ a }}</a>
<br><span class="muted">{{ a.organisation.name }}</span></th><td>{{ a.get_status_display }}</td></tr>{% endfor %}
</tbody></table>{% endblock %}"""
)


def build():
    from django.urls import reverse

    from tests import factories as f
    from tests.reviewers.bulk import scored_applications

    manager = f.make_user(email="bench-manager@fonds.example", role="fund_manager")
    applicant = f.make_user(email="bench-applicant@org.example", role="applicant")
    reviewers = [f.make_user(email=f"bench-r{i}@comite.example", role="committee") for i in range(REVIEWERS)]
    fund = f.make_fund(managers=[manager])
    call = f.make_call(fund=fund, committee=reviewers, envelope=5_000_000)
    organisation = f.make_organisation(admin=applicant)
    scored_applications(call=call, organisation=organisation, by=applicant, reviewers=reviewers, count=APPLICATIONS)
    return manager, call, reverse("reviewers:ranking", args=[call.pk])


def timed(*fns) -> list[tuple[float, int]]:
    """Median time (ms) and query count of each function, runs interleaved so that load affects both alike."""
    times = [[] for _ in fns]
    queries = [0 for _ in fns]
    for _ in range(RUNS):
        for i, fn in enumerate(fns):
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                fn()
                times[i].append((time.perf_counter() - start) * 1000)
            queries[i] = len(ctx)
    return [(statistics.median(t), q) for t, q in zip(times, queries, strict=True)]


def main() -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from forms.models import Application

    setup_test_environment()
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DEBUG = False
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        manager, call, url = build()
        client = Client()
        client.force_login(manager)
        client.get(url)  # warm-up: templates, translations

        def ranking():
            response = client.get(url)
            assert response.status_code == 200 and len(response.context["rows"]) == APPLICATIONS

        request = RequestFactory().get("/")
        request.user = AnonymousUser()

        def baseline():
            applications = list(Application.objects.filter(call=call).select_related("organisation").order_by("title"))
            assert len(applications) == APPLICATIONS
            BASELINE.render({"call": call, "applications": applications}, request)

        baseline()
        (ms, queries), (baseline_ms, _) = timed(ranking, baseline)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"ranking page: {ms:.1f} ms (median of {RUNS}), {queries} queries")
    print(f"baseline list: {baseline_ms:.1f} ms (median of {RUNS})")
    print(
        json.dumps(
            {
                "applications": APPLICATIONS,
                "reviewers_per_application": REVIEWERS,
                "queries": queries,
                "ms": round(ms, 1),
                "baseline_ms": round(baseline_ms, 1),
                "ratio": round(ms / baseline_ms, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
