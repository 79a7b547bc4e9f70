"""Permission-matrix entries — Issue 4: advisors and the selection committee.

ENTRIES maps a URL name to its cases (see tests/matrix/base.py and tests/test_permission_matrix.py).
The `world` fixture of the matrix test holds the scenario `s` (tests/scenario.py) passed to each lambda.
Committee members of the scenario have not declared their conflicts yet: the committee's pages
send them to the declaration page (a redirect, counted as allowed).
"""

from django.urls import reverse

from .base import Case, app


def _thread(s):
    """An advisor's comment on the draft that is with the advisor (made once per scenario)."""
    comment = getattr(s, "thread", None)
    if comment is None:
        from reviewers.services import comment_add

        comment = comment_add(
            application=app("advise")(s), by=s.users["advisor"], section="project", body="Précisez le public."
        )
        s.thread = comment
    return comment


def _thread_url(name):
    return lambda s: reverse(f"reviewers:{name}", args=[app("advise")(s).pk, _thread(s).pk])


ENTRIES: dict[str, list[Case]] = {
    "reviewers:reassign": [
        Case("get", lambda s: reverse("reviewers:reassign", args=[app("advise")(s).pk]), ["manager"])
    ],
    "reviewers:comment_reply": [
        Case("post", _thread_url("comment_reply"), ["applicant", "advisor"], data=lambda s: {"body": "Merci !"})
    ],
    "reviewers:comment_resolve": [Case("post", _thread_url("comment_resolve"), ["applicant", "advisor"])],
    "reviewers:committee_home": [
        Case("get", lambda s: reverse("reviewers:committee_home"), ["reviewer1", "reviewer2"])
    ],
    "reviewers:declare": [
        Case("get", lambda s: reverse("reviewers:declare", args=[s.call.pk]), ["reviewer1", "reviewer2"])
    ],
    "reviewers:simulate": [
        Case(
            "post",
            lambda s: reverse("reviewers:simulate", args=[s.call.pk]),
            ["manager"],
            data=lambda s: {f"amount_{app('decide')(s).pk}": "12000"},
        )
    ],
    "reviewers:decision_sheet": [
        Case("get", lambda s: reverse("reviewers:decision_sheet", args=[s.call.pk]), ["manager"])
    ],
    "reviewers:scores": [
        Case(
            "get",
            lambda s: reverse("reviewers:scores", args=[app("decide")(s).pk]),
            ["manager", "reviewer1", "reviewer2"],
        )
    ],
}

ENTRIES.update(
    {
        "reviewers:advisors": [Case("get", lambda s: reverse("reviewers:advisors"), ["manager", "other_manager"])],
        "reviewers:advisor_rule": [
            Case(
                "get",
                lambda s: reverse("reviewers:advisor_rule", args=[s.users["advisor"].pk]),
                ["manager", "other_manager"],
            )
        ],
        "reviewers:committee": [Case("get", lambda s: reverse("reviewers:committee", args=[s.call.pk]), ["manager"])],
    }
)
