"""Every URL pattern of the project, for anonymous and each role: allowed or denied.

A URL pattern without an entry in MATRIX fails `test_it_has_an_entry_for_every_url`.
Outcomes: "ok" (200, or a redirect that is not to a login page), "login" (redirect to
sign in), "deny" (403 or 404). Allowed roles are tried last, because some of the
requests change state (submit, comment, return...).
"""

import pytest
from django.contrib.admin.sites import site
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from forms.models import Application
from reporting.services import export_request

from . import scenario
from .matrix import committee, followup, onedoor, submission, wizard
from .matrix.base import LOGGED_IN, ROLES, Case, app, task

MATRIX: dict[str, list[Case]] = {
    "set_language": [
        Case("post", lambda s: reverse("set_language"), ROLES, data=lambda s: {"language": "en", "next": "/"})
    ],
    "accounts:login": [Case("get", lambda s: reverse("accounts:login"), ROLES)],
    "accounts:logout": [Case("post", lambda s: reverse("accounts:logout"), ROLES)],
    "accounts:signup": [Case("get", lambda s: reverse("accounts:signup"), ROLES)],
    "accounts:signup_done": [Case("get", lambda s: reverse("accounts:signup_done"), ROLES)],
    "accounts:signup_confirm": [
        Case("get", lambda s: reverse("accounts:signup_confirm", args=["MA", "bad-token"]), ROLES)
    ],
    "accounts:password_reset": [Case("get", lambda s: reverse("accounts:password_reset"), ROLES)],
    "accounts:password_reset_done": [Case("get", lambda s: reverse("accounts:password_reset_done"), ROLES)],
    "accounts:password_reset_confirm": [
        Case("get", lambda s: reverse("accounts:password_reset_confirm", args=["MA", "bad-token"]), ROLES)
    ],
    "accounts:password_reset_complete": [Case("get", lambda s: reverse("accounts:password_reset_complete"), ROLES)],
    "accounts:profile": [Case("get", lambda s: reverse("accounts:profile"), LOGGED_IN)],
    "fonds:catalogue": [Case("get", lambda s: reverse("fonds:catalogue"), ROLES)],
    "fonds:call": [Case("get", lambda s: s.call.get_absolute_url(), ROLES)],
    "forms:list": [Case("get", lambda s: reverse("forms:list"), LOGGED_IN)],
    "forms:create": [
        Case(
            "post",
            lambda s: reverse("forms:create", args=[s.call.pk]),
            ["applicant", "outsider"],
            refused=["advisor", "reviewer1", "reviewer2", "manager", "other_manager", "funder", "admin"],
        )
    ],
    "forms:detail": [
        Case("get", lambda s: app("score")(s).get_absolute_url(), ["applicant", "reviewer1", "reviewer2", "manager"]),
        Case("get", lambda s: app("advise")(s).get_absolute_url(), ["applicant", "advisor", "manager"]),
    ],
    "forms:wizard": [Case("get", lambda s: reverse("forms:wizard", args=[app("draft")(s).pk]), ["applicant"])],
    "forms:wizard_step": [
        Case("get", lambda s: reverse("forms:wizard_step", args=[app("draft")(s).pk, "budget"]), ["applicant"]),
        Case(
            "post",
            lambda s: reverse("forms:wizard_step", args=[app("draft")(s).pk, "project"]),
            ["applicant"],
            data=lambda s: {
                "application_wizard-current_step": "project",
                "version": str(Application.objects.values_list("version", flat=True).get(pk=app("draft")(s).pk)),
                "project-title": "Cuisine collective",
                "project-summary": "Un résumé enregistré à l'étape.",
            },
        ),
    ],
    "forms:submit": [Case("post", lambda s: reverse("forms:submit", args=[app("draft")(s).pk]), ["applicant"])],
    "forms:support": [Case("post", lambda s: reverse("forms:support", args=[app("draft")(s).pk]), ["applicant"])],
    "workflow:inbox": [Case("get", lambda s: reverse("workflow:inbox"), LOGGED_IN)],
    "workflow:task": [
        Case("get", task("draft"), ["applicant"]),
        Case("get", task("advise"), ["advisor"]),
        Case("get", task("screen"), ["manager"]),
        Case("get", task("assign_reviewers"), ["manager"]),
        Case("get", task("score"), ["reviewer1"]),
        Case("get", task("decide"), ["manager"]),
        Case("get", task("agreement"), ["manager"]),
        Case("get", task("report"), ["applicant"]),
        Case("get", task("review_report"), ["manager"]),
    ],
    "reviewers:advisor_home": [Case("get", lambda s: reverse("reviewers:advisor_home"), ["advisor"])],
    "reviewers:draft": [Case("get", lambda s: reverse("reviewers:draft", args=[app("advise")(s).pk]), ["advisor"])],
    "reviewers:comment": [
        Case(
            "post",
            lambda s: reverse("reviewers:comment", args=[app("advise")(s).pk]),
            ["advisor"],
            data=lambda s: {"section": "project", "body": "Précisez le public visé."},
        )
    ],
    "reviewers:return": [Case("post", lambda s: reverse("reviewers:return", args=[app("advise")(s).pk]), ["advisor"])],
    "reviewers:ranking": [
        Case("get", lambda s: reverse("reviewers:ranking", args=[s.call.pk]), ["manager", "reviewer1", "reviewer2"])
    ],
    "reporting:dashboard": [Case("get", lambda s: reverse("reporting:dashboard"), ["funder"])],
    "reporting:export_create": [
        Case("post", lambda s: reverse("reporting:export_create", args=[s.call.fund_id]), ["funder", "manager"])
    ],
    "reporting:open_data_360giving": [Case("get", lambda s: reverse("reporting:open_data_360giving"), ROLES)],
    "reporting:export": [Case("get", lambda s: reverse("reporting:export", args=[s.export.pk]), ["funder", "manager"])],
    "reporting:export_download": [
        Case("get", lambda s: reverse("reporting:export_download", args=[s.export.pk]), ["funder", "manager"])
    ],
}


# Each area adds the entries of its own URLs.
for _area in (onedoor, wizard, submission, committee, followup):
    for _name, _cases in _area.ENTRIES.items():
        assert _name not in MATRIX, f"{_name} has two entries"
        MATRIX[_name] = _cases


def _all_url_names(patterns=None, namespace=""):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            yield from _all_url_names(p.url_patterns, namespace + (f"{p.namespace}:" if p.namespace else ""))
        elif isinstance(p, URLPattern):
            yield namespace + p.name if p.name else f"{namespace}<unnamed {p.pattern}>"


def test_it_has_an_entry_for_every_url():
    names = set(_all_url_names())
    missing = sorted(n for n in names if n not in MATRIX and not n.startswith("admin:"))
    assert missing == [], f"URL patterns without a permission-matrix entry: {missing}"
    assert not [n for n in MATRIX if n not in names], "matrix entries for URLs that no longer exist"


@pytest.fixture
def world(
    db,
    applicant,
    organisation,
    outsider,
    advisor,
    reviewer1,
    reviewer2,
    manager,
    other_manager,
    funder_user,
    admin_user,
    call,
):
    users = {
        "applicant": applicant,
        "outsider": outsider,
        "advisor": advisor,
        "reviewer1": reviewer1,
        "reviewer2": reviewer2,
        "manager": manager,
        "other_manager": other_manager,
        "funder": funder_user,
        "admin": admin_user,
    }
    s = scenario.build(users, organisation=organisation, call=call)
    s.export = export_request(fund=call.fund, by=funder_user, language="fr")
    # The committee members have declared their conflicts (none): allowed pages must really open.
    from reviewers.services import conflicts_declare

    for member in (reviewer1, reviewer2):
        conflicts_declare(call=call, member=member)
    return s


def _outcome(response) -> str:
    if response.status_code in (403, 404):
        return "deny"
    if response.status_code == 401:
        return "login"  # a JSON endpoint (autosave) says "sign in" instead of redirecting
    if response.status_code in (301, 302):
        location = response["Location"]
        if location.startswith(reverse("accounts:login")) or location.startswith("/admin/login/"):
            return "login"
        if "/conflicts/" in location:
            return "gate"  # sent to the conflict-of-interest declaration: not in yet
        return "ok"
    if response.status_code == 200:
        return "ok"
    return f"status {response.status_code}"


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_it_allows_and_denies_each_role(world, name):
    for i, case in enumerate(MATRIX[name]):
        order = sorted(ROLES, key=lambda r: r in case.allowed)  # denied roles first: they must change nothing
        for role in order:
            client = Client()
            if role != "anonymous":
                client.force_login(world.users[role])
            url = case.url(world)
            data = case.data(world) if case.data else {}
            before = Application.objects.count()
            response = getattr(client, case.method)(url, data)
            got = _outcome(response)
            expected = case.expected(role)
            if expected == "refused":
                assert response.status_code == 302 and got == "ok", (name, i, role, response.status_code)
                assert Application.objects.count() == before, (name, i, role, "refused but wrote")
                continue
            assert got == expected, f"{name}[{i}] as {role}: expected {expected}, got {got} ({response.status_code})"


ADMIN_LIST_URLS = [f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist" for model in site._registry] + [
    "admin:index"
]


# What a fund manager configures in the admin, scoped to their funds (fonds/admin_scope.py).
MANAGER_ADMIN_URLS = {
    "admin:index",
    "admin:fonds_call_changelist",
    "admin:fonds_criterion_changelist",
    "admin:fonds_checklistitem_changelist",
    "admin:fonds_eligibilityrule_changelist",
    "admin:forms_callformsettings_changelist",
    "admin:forms_callquestion_changelist",
}


@pytest.mark.parametrize("name", ADMIN_LIST_URLS)
def test_it_keeps_the_admin_to_staff_and_fund_managers(
    client, db, admin_user, applicant, advisor, reviewer1, funder_user, manager, name
):
    url = reverse(name)
    assert _outcome(client.get(url)) == "login"
    for user in (applicant, advisor, reviewer1, funder_user):
        client.force_login(user)
        assert _outcome(client.get(url)) == "login", user
    client.force_login(manager)
    if name in MANAGER_ADMIN_URLS:
        assert client.get(url).status_code == 200
    else:
        assert _outcome(client.get(url)) == "deny"
    client.force_login(admin_user)
    assert client.get(url).status_code == 200
