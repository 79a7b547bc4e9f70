"""Reads of organisations and their members."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from .models import Contact, Invitation, Membership, Mrc, Organisation, Population, Region, User


@dataclass(frozen=True)
class ContactInfo:
    name: str
    role: str
    email: str
    phone: str


@dataclass(frozen=True)
class OrganisationProfile:
    """What the platform knows about an organisation, for prefilling forms (wizard, orientation, reports)."""

    organisation_id: int
    name: str
    neq: str
    legal_form: str
    legal_form_label: str
    mission: str
    mrc: Mrc  # head office
    mrcs_served: list[Mrc]  # the head office's MRC when none was given
    regions: list[Region]  # derived from mrcs_served
    street_address: str
    city: str
    postal_code: str
    annual_budget: Decimal | None
    populations: list[Population]
    contacts: list[ContactInfo] = field(default_factory=list)

    @property
    def mrc_codes(self) -> list[str]:
        return [m.code for m in self.mrcs_served]

    @property
    def population_codes(self) -> list[str]:
        return [p.code for p in self.populations]

    @property
    def address(self) -> str:
        """One line: « 123, rue Principale, Joliette H2X 1Y4 » (blank parts left out)."""
        return ", ".join(p for p in (self.street_address, f"{self.city} {self.postal_code}".strip()) if p)


def organisation_profile(*, organisation: Organisation) -> OrganisationProfile:
    """The organisation's profile as plain values (four queries, whatever its size).

    Territory served falls back to the head office's MRC; regions are those of the
    MRC served, without duplicates, by code. Contacts keep their order.
    """
    organisation = (
        Organisation.objects.select_related("mrc__region")
        .prefetch_related(
            Prefetch("mrcs_served", queryset=Mrc.objects.select_related("region").order_by("region__code", "name")),
            "populations",
            Prefetch("contacts", queryset=Contact.objects.order_by("position", "pk")),
        )
        .get(pk=organisation.pk)
    )
    served = list(organisation.mrcs_served.all()) or [organisation.mrc]
    regions = list({m.region.code: m.region for m in served}.values())
    return OrganisationProfile(
        organisation_id=organisation.pk,
        name=organisation.name,
        neq=organisation.neq,
        legal_form=organisation.legal_form,
        legal_form_label=str(organisation.get_legal_form_display()),
        mission=organisation.mission,
        mrc=organisation.mrc,
        mrcs_served=served,
        regions=regions,
        street_address=organisation.street_address,
        city=organisation.city,
        postal_code=organisation.postal_code,
        annual_budget=organisation.annual_budget,
        populations=list(organisation.populations.all()),
        contacts=[ContactInfo(c.name, c.role, c.email, c.phone) for c in organisation.contacts.all()],
    )


def organisations_of(*, user: User) -> list[Organisation]:
    """The organisations `user` belongs to, by name."""
    if not user.is_authenticated:
        return []
    return [m.organisation for m in user.memberships.select_related("organisation").order_by("organisation__name")]


def members_of(*, organisation: Organisation) -> QuerySet[Membership]:
    """Memberships with their users, administrators first, then by name."""
    return organisation.memberships.select_related("user").order_by("-is_admin", "user__full_name", "user__email")


def invitations_pending(*, organisation: Organisation) -> QuerySet[Invitation]:
    """Invitations not accepted, revoked nor expired, newest first."""
    return organisation.invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("invited_by")
