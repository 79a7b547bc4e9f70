"""Guichet's URLs plus the baseline of bench/deadline.py: the cheapest signed-in write Django can serve."""

from django.db import connection
from django.http import HttpResponseForbidden, JsonResponse
from django.urls import include, path
from django.views.decorators.http import require_POST

BASELINE_TABLE = "bench_deadline_baseline"


@require_POST
def baseline(request):
    """Same middleware (session, CSRF, auth) as the real pages, then one INSERT, then a small JSON answer."""
    if not request.user.is_authenticated:
        return HttpResponseForbidden()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {BASELINE_TABLE} (user_id, n, payload) VALUES (%s, %s, %s) RETURNING id",
            [request.user.pk, int(request.POST.get("n", "0")), request.POST.get("payload", "")[:2000]],
        )
        (row,) = cursor.fetchone()
    return JsonResponse({"saved": True, "id": row})


urlpatterns = [
    path("bench/baseline/", baseline, name="bench_baseline"),
    path("", include("config.urls")),
]
