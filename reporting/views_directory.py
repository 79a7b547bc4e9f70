"""Public pages: the directory of funded projects ("bons coups"), no sign-in needed."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .directory import DirectoryFilter, directory_search, shared_projects, similar_projects, vocabulary_fields

PER_PAGE = 20


@require_GET
def directory(request):
    form = DirectoryFilter(request.GET or None)
    filters = {k: v for k, v in form.cleaned_data.items() if v} if form.is_valid() else {}
    paginator = Paginator(directory_search(**filters), PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "filtered": bool(filters)}
    return render(request, "reporting/directory.html", context)


@require_GET
def directory_project(request, pk: int):
    application = shared_projects().filter(pk=pk).first()
    if application is None:
        raise Http404
    vocab = vocabulary_fields()
    themes = list(application.call.themes.all()) if "theme" in vocab else []
    populations = (
        list(application.call.populations.all())
        if "population" in vocab and hasattr(application.call, "populations")
        else []
    )
    context = {
        "project": application,
        "years": list(application.agreement.years.all()),
        "themes": themes,
        "populations": populations,
        "similar": similar_projects(application),
    }
    return render(request, "reporting/directory_project.html", context)
