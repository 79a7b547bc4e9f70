"""Awarded grants as open data, in the 360Giving Data Standard (version 1.4).

One grant per agreement: only applications that reached a signed agreement are
published, never drafts, refusals or anything about people (no names, e-mails
or reports). Identifiers:

- grant ids are `<GRANTS_360_PREFIX>-<agreement pk>`; the prefix must start with
  "360G-" (the default `360G-guichet` is a placeholder until the publisher
  registers its own prefix with 360Giving);
- a recipient with a Québec enterprise number (NEQ) is `<ORG_ID_PREFIX>-<NEQ>`
  (org-id.guide's list code for the NEQ register is not verified, hence a
  setting); without one it is `<GRANTS_360_PREFIX>-org-<pk>`;
- funders are `<GRANTS_360_PREFIX>-funder-<pk>`, calls are programmes `call-<pk>`.
"""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Agreement

STANDARD_VERSION = "1.4"
CURRENCY = "CAD"
COUNTRY = "CA"


def grants_prefix() -> str:
    prefix = getattr(settings, "GRANTS_360_PREFIX", "360G-guichet")
    if not prefix.startswith("360G-"):
        # 360Giving grant identifiers must carry a registered 360G- publisher prefix.
        raise ValueError(f"GRANTS_360_PREFIX must start with '360G-', not {prefix!r}")
    return prefix


def org_id_prefix() -> str:
    return getattr(settings, "ORG_ID_PREFIX", "XI-NEQ")


def grants_package(*, at: datetime | None = None, download_url: str | None = None) -> dict:
    """Every awarded grant as a 360Giving package `{"grants": [...], ...}`.

    `at` is the moment the package is issued (now by default); `download_url`,
    when given, is where the package can be fetched. Grants are ordered by award
    date, then agreement. Two queries, whatever the number of grants.
    """
    at = timezone.localtime(at or timezone.now())
    prefix = grants_prefix()
    agreements = (
        Agreement.objects.select_related(
            "application__organisation__mrc__region",
            "application__call__fund__funder",
        )
        .prefetch_related("years")
        .order_by("signed_on", "pk")
    )
    package = {
        "version": STANDARD_VERSION,
        "title": _("Grants awarded through Guichet"),
        "description": _(
            "Every grant awarded through Guichet's calls for projects: one grant per signed funding agreement."
        ),
        "issued": at.isoformat(timespec="seconds"),
        "modified": at.isoformat(timespec="seconds"),
        "publisher": {"name": getattr(settings, "GRANTS_360_PUBLISHER_NAME", "Guichet")},
        "grants": [_grant(agreement, prefix=prefix) for agreement in agreements],
    }
    license_url = getattr(settings, "GRANTS_360_LICENSE", "")
    if license_url:
        package["license"] = license_url
    if download_url:
        package["downloadURL"] = download_url
    return package


def _grant(agreement: Agreement, *, prefix: str) -> dict:
    application = agreement.application
    call = application.call
    funder = call.fund.funder
    grant = {
        "id": f"{prefix}-{agreement.pk}",
        "title": application.title,
        "description": application.summary,
        "currency": CURRENCY,
        "amountAwarded": _amount(agreement.total),
        "awardDate": agreement.signed_on.isoformat(),
        "recipientOrganization": [_recipient(application.organisation, prefix=prefix)],
        "fundingOrganization": [{"id": f"{prefix}-funder-{funder.pk}", "name": funder.name}],
        "grantProgramme": [{"code": f"call-{call.pk}", "title": call.title}],
        # Every Guichet grant comes from a published call for projects.
        "fromOpenCall": "Yes",
        # The organisation's MRC stands for the territory served: projects record no other place.
        "beneficiaryLocation": [_location(application.organisation.mrc)],
    }
    years = list(agreement.years.all())
    if years:
        end = max(year.report_due_on for year in years)
        grant["plannedDates"] = [
            {
                "startDate": agreement.signed_on.isoformat(),
                "endDate": end.isoformat(),
                "duration": _months_between(agreement.signed_on, end),
            }
        ]
    return grant


def _recipient(organisation, *, prefix: str) -> dict:
    neq = organisation.neq.strip()
    return {
        "id": f"{org_id_prefix()}-{neq}" if neq else f"{prefix}-org-{organisation.pk}",
        "name": organisation.name,
        "addressRegion": organisation.mrc.region.name,
        "addressCountry": "Canada",
        "location": [_location(organisation.mrc)],
    }


def _location(mrc) -> dict:
    # geoCode is the MRC's geographic code (MAMH); 360Giving's geoCodeType codelist is British, so it is left out.
    return {"name": mrc.name, "countryCode": COUNTRY, "geoCode": mrc.code}


def _amount(value: Decimal) -> int | float:
    """A JSON number: an integer when there are no cents, else a float with two decimals."""
    value = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return int(value) if value == value.to_integral_value() else float(value)


def _months_between(start: date, end: date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return max(months, 0)
