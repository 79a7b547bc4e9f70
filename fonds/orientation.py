"""Orientation: which open calls fit an organisation, best fit first, with the reasons."""

from dataclasses import dataclass
from datetime import datetime

from django.http import QueryDict

from accounts.selectors import OrganisationProfile

from . import eligibility as e
from .models import Call
from .rules import call_rules, vocabulary_get
from .selectors import calls_for_orientation


@dataclass(frozen=True)
class Match:
    call: Call
    verdict: e.Verdict


def orientation_results(*, answers: e.Answers, at: datetime | None = None) -> list[Match]:
    """Every open call with its verdict: eligible first, then fewest unanswered rules, most populations
    in common, most rules met, nearest deadline. A fixed number of queries, whatever the number of calls."""
    vocabulary = vocabulary_get()
    matches = [Match(call, e.evaluate(call_rules(call, vocabulary), answers)) for call in calls_for_orientation(at=at)]
    return sorted(matches, key=lambda m: (m.verdict.rank_key(), m.call.closes_at, m.call.pk))


def profile_answers(profile: OrganisationProfile) -> QueryDict:
    """The questionnaire's answers taken from an organisation's profile, as GET data for OrientationForm."""
    data = QueryDict(mutable=True)
    data["legal_form"] = profile.legal_form
    data.setlist("mrcs", profile.mrc_codes)
    data.setlist("populations", profile.population_codes)
    if profile.annual_budget is not None:
        data["annual_budget"] = str(profile.annual_budget)
    return data
