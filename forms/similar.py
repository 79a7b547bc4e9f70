"""Similar projects in the same territory, so that duplicated services are noticed at screening.

`similar_projects` compares an application's title and summary with every
submitted application and funded project of organisations serving the same
region (an organisation serves the MRCs of its profile's territory, or its head
office's MRC when none is given); sharing an MRC is flagged. Drafts are never compared nor shown, nor are the
application's own co-funded copies (the same project by construction).

The score is the Jaccard index of the two texts' significant words (shared
words / words in either text), from 0 to 1:

- on PostgreSQL, the words are the 'french' text-search configuration's
  lexemes (stemmed, stop words removed), and full-text search (`@@` with an OR
  query of the application's words, ranked by `ts_rank`) picks the candidates;
- elsewhere (SQLite), the words are lower-cased, accent-folded, minus French and
  English stop words, with a light plural folding; every candidate is scored.

What the viewer may see of each result is decided here too, see `SimilarProject`.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import Mrc, User

from .models import Application

MIN_SCORE = 0.12
LIMIT = 10
# Region-wide comparisons stay bounded: the most recent submissions are the likeliest duplicates.
MAX_CANDIDATES = 2000
# Full-text retrieval keeps the best-ranked candidates before scoring them.
MAX_RANKED = 200
MAX_QUERY_WORDS = 60

STOP_WORDS = frozenset(
    """
    a afin ai aie ainsi alors au aucun aupres auquel aussi autre autres aux avec avoir c ca car ce ceci cela celle
    celles celui ces cet cette ceux chaque chez comme comment d dans de des deja depuis donc dont du elle elles en
    encore entre est et etc ete etre eu fait faire il ils j je l la le les leur leurs lors lui m ma mais me meme
    memes mes moi mon n ne ni nos notre nous on ont ou par parce pas peu peut plus pour pourquoi qu quand que quel
    quelle quelles quels qui quoi s sa sans se selon ses si sien son sont sous sur ta te tes toi ton tous tout toute
    toutes tres tu un une unes uns vers via vos votre vous y
    about after all also an and any are as at be been being both but by can could do does for from had has have he
    her his how if in into is it its more most no not of on only or other our out over own same she so some such
    than that the their them then there these they this those through to too under up very was we were what when
    where which while who why will with would you your
    projet projets project projects
    """.split()
)
WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class SimilarProject:
    """One similar project as the viewer may see it.

    `visible` is True when the viewer may open the application (it is in a fund
    they manage): the template links it and shows its status. Otherwise only what
    the open data of awarded grants would tell is shown: for a funded project its
    title, organisation, fund and year; for another fund's request, its fund and
    year only (see `disclosed`).
    """

    application: Application
    score: float
    same_mrc: bool
    visible: bool

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    @property
    def year(self) -> int:
        return timezone.localtime(self.application.submitted_at or self.application.created_at).year

    @property
    def funded(self) -> bool:
        return self.application.status in FUNDED

    @property
    def disclosed(self) -> bool:
        """Whether the title and organisation may be shown: the viewer's own fund, or a grant awarded
        (public, as in the open data). Another fund's request stays confidential: only its fund, year
        and similarity are shown, enough to ask that fund about a possible duplicate."""
        return self.visible or self.funded


FUNDED = {Application.Status.FUNDED, Application.Status.CLOSED}


def fold(text: str) -> str:
    """Lower-case, accents removed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def significant_words(text: str) -> set[str]:
    """The words that carry meaning: folded, no stop words, no numbers, plurals folded to singular."""
    words = set()
    for word in WORD.findall(fold(text)):
        if len(word) < 3 or word.isdigit() or word in STOP_WORDS:
            continue
        if len(word) > 4 and word[-1] in "sx":
            word = word[:-1]
        words.add(word)
    return words


def jaccard(a: set[str], b: set[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def _text(application) -> str:
    return f"{application.title}\n{application.summary}"


def served_mrcs(organisation) -> set[int]:
    """The MRCs an organisation serves: its profile's territory, or its head office's MRC."""
    served = {m.pk for m in organisation.mrcs_served.all()}
    return served or {organisation.mrc_id}


def _candidates(application: Application) -> QuerySet[Application]:
    """Submitted applications and funded projects in the application's regions, its own family left out."""
    family = application.lead_id or application.pk
    regions = set(Mrc.objects.filter(pk__in=served_mrcs(application.organisation)).values_list("region_id", flat=True))
    in_territory = Q(organisation__mrc__region_id__in=regions) | Q(organisation__mrcs_served__region_id__in=regions)
    pks = (
        Application.objects.filter(in_territory)
        .exclude(status=Application.Status.DRAFT)
        .exclude(submitted_at__isnull=True)
        .exclude(Q(pk=family) | Q(lead_id=family) | Q(pk=application.pk))
        .values("pk")
    )
    # A subquery rather than DISTINCT: an organisation serving several MRCs would repeat its rows.
    return Application.objects.filter(pk__in=pks)


def _scores_fallback(application: Application) -> dict[int, float]:
    ours = significant_words(_text(application))
    if not ours:
        return {}
    rows = _candidates(application).order_by("-submitted_at", "-pk").values_list("pk", "title", "summary")
    scores = {}
    for pk, title, summary in rows[:MAX_CANDIDATES]:
        score = jaccard(ours, significant_words(f"{title}\n{summary}"))
        if score >= MIN_SCORE:
            scores[pk] = score
    return scores


def _scores_postgresql(application: Application) -> dict[int, float]:
    from django.contrib.postgres.fields import ArrayField
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
    from django.db.models import Func, TextField

    vector = SearchVector("title", weight="A", config="french") + SearchVector("summary", weight="B", config="french")
    lexemes = Func(vector, function="tsvector_to_array", output_field=ArrayField(TextField()))
    ours = Application.objects.filter(pk=application.pk).annotate(lexemes=lexemes).values_list("lexemes", flat=True)
    ours = set(ours.first() or [])
    # The query's words keep their accents: the 'french' configuration does not fold them.
    words = [w for w in dict.fromkeys(WORD.findall(_text(application).casefold())) if len(w) > 2]
    words = [w for w in words if fold(w) not in STOP_WORDS and not w.isdigit()][:MAX_QUERY_WORDS]
    if not ours or not words:
        return {}
    query = SearchQuery(" or ".join(words), search_type="websearch", config="french")
    rows = (
        _candidates(application)
        .annotate(document=vector)
        .filter(document=query)
        .annotate(rank=SearchRank(vector, query), lexemes=lexemes)
        .order_by("-rank", "-pk")
        .values_list("pk", "lexemes")[:MAX_RANKED]
    )
    scores = {}
    for pk, theirs in rows:
        score = jaccard(ours, set(theirs or []))
        if score >= MIN_SCORE:
            scores[pk] = score
    return scores


def similar_projects(*, application: Application, user: User, limit: int = LIMIT) -> list[SimilarProject]:
    """The `limit` most similar projects of the territory, best first, as `user` may see them.

    A fixed number of queries whatever the number of candidates.
    """
    if connection.vendor == "postgresql":
        scores = _scores_postgresql(application)
    else:
        scores = _scores_fallback(application)
    best = sorted(scores, key=lambda pk: (-scores[pk], -pk))[:limit]
    if not best:
        return []
    found = (
        Application.objects.select_related("organisation__mrc", "call__fund")
        .prefetch_related("organisation__mrcs_served")
        .in_bulk(best)
    )
    managed = set(user.managed_funds.values_list("pk", flat=True)) if user.is_authenticated else set()
    ours = served_mrcs(application.organisation)
    return [
        SimilarProject(
            application=found[pk],
            score=scores[pk],
            same_mrc=bool(served_mrcs(found[pk].organisation) & ours),
            visible=found[pk].call.fund_id in managed,
        )
        for pk in best
        if pk in found
    ]
