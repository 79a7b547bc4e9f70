"""Builders for test data: one function per object, keyword arguments only."""

from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import Membership, Mrc, Organisation, User
from fonds.models import Call, Fund, Funder
from fonds.services import call_create
from forms.models import Application
from forms.services import (
    application_create,
    application_save_budget,
    application_save_partners,
    application_save_project,
    application_save_sustainability,
)

PASSWORD = "correct-horse-battery-staple"


def make_user(*, email: str, role: str | None = None, language: str = "fr", **extra) -> User:
    user = User.objects.create_user(email, PASSWORD, language=language, full_name=extra.pop("full_name", ""), **extra)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def make_organisation(
    *, name: str = "Carrefour familial", mrc_code: str = "061", admin: User | None = None
) -> Organisation:
    organisation = Organisation.objects.create(name=name, mrc=Mrc.objects.get(code=mrc_code), neq="1140000000")
    if admin:
        Membership.objects.create(user=admin, organisation=organisation, is_admin=True)
    return organisation


def make_fund(*, managers=(), staff=(), name: str = "Fonds de développement des territoires") -> Fund:
    funder = Funder.objects.create(name=f"Funder of {name}", kind=Funder.Kind.MRC)
    funder.staff.add(*staff)
    fund = Fund.objects.create(funder=funder, name=name)
    fund.managers.add(*managers)
    return fund


def make_call(*, fund: Fund, committee=(), open_now: bool = True, **fields) -> Call:
    now = timezone.now()
    defaults = {
        "title": "Appel de projets 2026",
        "description": "Soutenir les projets structurants.",
        "opens_at": now - timedelta(days=10) if open_now else now - timedelta(days=60),
        "closes_at": now + timedelta(days=20) if open_now else now - timedelta(days=1),
        "envelope": Decimal("250000"),
        "min_amount": Decimal("5000"),
        "max_amount": Decimal("50000"),
        "max_years": 3,
    }
    defaults.update(fields)
    call = call_create(fund=fund, **defaults)
    call.committee.add(*committee)
    return call


def make_draft(*, call: Call, organisation: Organisation, by: User, complete: bool = True) -> Application:
    application = application_create(organisation=organisation, call=call, by=by)
    if complete:
        application_save_project(
            application=application,
            title="Cuisine collective de Joliette",
            summary="Des repas partagés.",
            concerted=True,
        )
        application_save_budget(application=application, amounts=[Decimal("20000"), Decimal("15000")])
        application_save_partners(
            application=application,
            partners=[{"name": "CISSS de Lanaudière", "role": "Référence des familles"}],
            indicators=[{"name": "Familles rejointes", "unit": "familles", "baseline": 0, "target": 40}],
        )
        application_save_sustainability(application=application, sustainability_plan="Autofinancement.", answers={})
        application.refresh_from_db()
    return application


def signed_on() -> date:
    return timezone.localdate()
