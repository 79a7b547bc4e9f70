from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("applications/", include("forms.urls")),
    path("tasks/", include("workflow.urls")),
    path("reviews/", include("reviewers.urls")),
    path("funders/", include("reporting.urls")),
    path("", include("fonds.urls")),
]

# Uploaded files and generated PDFs are never served from MEDIA_URL: each download
# goes through a view that checks who is asking.
