"""The public directory of funded projects ("bons coups"), for organisations that opted in.

Only projects with a signed agreement whose organisation set `share_projects`
are listed, with what is public anyway (title, summary, organisation, territory,
fund, call, amount and period: the 360Giving export publishes them too); never
reports, people or indicators' results. Themes and populations come from the
call (fonds.Theme, accounts.Population) when those lists exist.
"""

from django import forms
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from accounts.models import Mrc, Region
from config import fields as safe_fields
from fonds.models import Call
from forms.models import Application

from .models import AgreementYear

MONEY = DecimalField(max_digits=14, decimal_places=2)


def _model(label: str):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def vocabulary_fields() -> dict[str, tuple]:
    """{"theme": (model, lookup), "population": (model, lookups)} for the lists that exist in this install."""
    found = {}
    theme = _model("fonds.Theme")
    if theme is not None and _has_field(Call, "themes"):
        found["theme"] = (theme, ["call__themes__code"])
    population = _model("accounts.Population")
    if population is not None:
        lookups = []
        if _has_field(Call, "populations"):
            lookups.append("call__populations__code")
        if _has_field(Application._meta.get_field("organisation").related_model, "populations"):
            lookups.append("organisation__populations__code")
        if lookups:
            found["population"] = (population, lookups)
    return found


class DirectoryFilter(forms.Form):
    q = forms.CharField(
        label=_("Words"), required=False, max_length=100, widget=forms.TextInput(attrs={"type": "search"})
    )
    region = safe_fields.ModelChoiceField(
        queryset=Region.objects.order_by("code"),
        required=False,
        label=_("Region"),
        empty_label=_("Every region"),
        to_field_name="code",
    )
    mrc = safe_fields.ModelChoiceField(
        queryset=Mrc.objects.order_by("name"),
        required=False,
        label=_("MRC"),
        empty_label=_("Every MRC"),
        to_field_name="code",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {"theme": (_("Theme"), _("Every theme")), "population": (_("Population"), _("Every population"))}
        for name, (model, _lookups) in vocabulary_fields().items():
            label, empty = labels[name]
            self.fields[name] = safe_fields.ModelChoiceField(
                queryset=model.objects.all(), required=False, label=label, empty_label=empty, to_field_name="code"
            )


def shared_projects() -> QuerySet[Application]:
    committed = (
        AgreementYear.objects.filter(agreement__application=OuterRef("pk"))
        .order_by()
        .values("agreement__application")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return (
        Application.objects.filter(agreement__isnull=False, organisation__share_projects=True)
        .select_related("organisation__mrc__region", "call__fund__funder", "agreement")
        .annotate(committed=Coalesce(Subquery(committed, output_field=MONEY), Value(0), output_field=MONEY))
    )


def directory_search(*, q: str = "", region=None, mrc=None, theme=None, population=None) -> QuerySet[Application]:
    """Shared projects matching every filter given (words in title, summary or organisation), newest first."""
    projects = shared_projects()
    if q:
        for word in q.split()[:8]:
            projects = projects.filter(
                Q(title__icontains=word) | Q(summary__icontains=word) | Q(organisation__name__icontains=word)
            )
    if region is not None:
        projects = projects.filter(organisation__mrc__region=region)
    if mrc is not None:
        projects = projects.filter(organisation__mrc=mrc)
    vocab = vocabulary_fields()
    for name, value in (("theme", theme), ("population", population)):
        if value is not None and name in vocab:
            match = Q()
            for lookup in vocab[name][1]:
                match |= Q(**{lookup: value.code})
            projects = projects.filter(pk__in=Application.objects.filter(match).values("pk"))
    return projects.order_by("-agreement__signed_on", "title", "pk")


def similar_projects(application: Application, *, limit: int = 5) -> list[Application]:
    """Other shared projects in the same MRC or from the same call: practices to share, overlaps to see."""
    return list(
        shared_projects()
        .filter(Q(organisation__mrc=application.organisation.mrc_id) | Q(call=application.call_id))
        .exclude(pk=application.pk)
        .order_by("-agreement__signed_on", "pk")[:limit]
    )
