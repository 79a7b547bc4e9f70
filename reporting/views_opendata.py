"""Open data: the awarded grants as a public 360Giving JSON package (no sign-in)."""

from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from .opendata import grants_package

FILENAME = "guichet-360giving.json"


@require_GET
def grants_360giving(request):
    package = grants_package(download_url=request.build_absolute_uri(reverse("reporting:open_data_360giving")))
    response = JsonResponse(
        package,
        content_type="application/json; charset=utf-8",
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    # Open data: any site or notebook may fetch it from a browser.
    response["Access-Control-Allow-Origin"] = "*"
    response["Content-Disposition"] = f'inline; filename="{FILENAME}"'
    return response
