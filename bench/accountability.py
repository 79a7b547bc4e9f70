"""Benchmark: the fund-year accountability PDF of 500 funded projects, on PostgreSQL.

Builds, in a throwaway test database (created and dropped here), one fund whose
500 projects all start their first funded year in the same calendar year, each
with two indicators and an approved year-1 report; then asks for the fund-year
PDF exactly as the product does (`export_request`, which queues the Celery task
`render_export`; eager here, as in `make run`) and times it until the file is
stored (after one tiny warm-up render, as in a long-lived worker). The baseline renders the same final HTML with bare WeasyPrint (same PDF
options), in the same run. Peak memory is the process's peak resident set size
(`resource.getrusage(RUSAGE_SELF).ru_maxrss`), read right after the product's render.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/guichet_bench .venv/bin/python bench/accountability.py

The last line printed is one JSON object: projects, pages, seconds, peak_mb,
baseline_seconds, ratio (targets: seconds ≤ 60, peak_mb ≤ 1024, ratio ≤ 1.3).
"""

import json
import os
import resource
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/guichet_bench")
os.environ.pop("REDIS_URL", None)  # Celery eager: the render runs in this process, measured as a whole

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402

PROJECTS = int(os.environ.get("BENCH_PROJECTS", "500"))
YEAR = 2026


def build() -> object:
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from accounts.models import Membership, Mrc, Organisation, User
    from fonds.models import Call, Fund, Funder
    from forms.models import Application, Indicator
    from reporting.models import Agreement, AgreementYear, IndicatorResult, PaymentTranche, Report, SpendingLine

    funder_user = User.objects.create_user("bench-funder@example.org", "x")
    funder_user.groups.add(Group.objects.get_or_create(name="funder")[0])
    funder = Funder.objects.create(name="Fondation du banc d'essai", kind=Funder.Kind.FOUNDATION)
    funder.staff.add(funder_user)
    fund = Fund.objects.create(funder=funder, name="Fonds du banc d'essai")
    now = timezone.now()
    call = Call.objects.create(
        fund=fund, title="Appel 2025", opens_at=now.replace(year=2025, month=1, day=5),
        closes_at=now.replace(year=2025, month=3, day=1), envelope=Decimal("50000000"),
        min_amount=Decimal("1000"), max_amount=Decimal("100000"), max_years=2,
    )  # fmt: skip
    mrcs = list(Mrc.objects.select_related("region").order_by("code"))
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Organisme communautaire nº {i:03d}", mrc=mrcs[i % len(mrcs)], neq=f"11{i:08d}")
        for i in range(PROJECTS)
    )
    Membership.objects.bulk_create(Membership(user=funder_user, organisation=o) for o in organisations[:1])
    applications = Application.objects.bulk_create(
        Application(
            organisation=o,
            call=call,
            created_by=funder_user,
            status=Application.Status.FUNDED,
            title=f"Projet de sécurité alimentaire et d'inclusion nº {i:03d}",
            summary="Des repas partagés, de l'entraide et un jardin collectif.",
            submitted_at=now,
        )  # fmt: skip
        for i, o in enumerate(organisations)
    )
    signed = date(YEAR, 4, 1)
    agreements = Agreement.objects.bulk_create(Agreement(application=a, signed_on=signed) for a in applications)
    AgreementYear.objects.bulk_create(
        AgreementYear(
            agreement=ag,
            year=y,
            amount=Decimal(amount),
            starts_on=date(YEAR + y - 1, 4, 1),
            report_due_on=date(YEAR + y, 4, 1),
        )  # fmt: skip
        for ag in agreements
        for y, amount in ((1, 20000), (2, 15000))
    )
    PaymentTranche.objects.bulk_create(
        PaymentTranche(
            agreement=ag,
            position=p,
            amount=Decimal(amount),
            planned_on=date(YEAR + p - 1, 4, 1),
            after_report_year=after,
            released_at=now if p == 1 else None,
        )  # fmt: skip
        for ag in agreements
        for p, amount, after in ((1, 20000, None), (2, 15000, 1))
    )
    indicators = Indicator.objects.bulk_create(
        Indicator(application=a, name=name, unit=unit, baseline=Decimal(0), target=Decimal(target), position=n)
        for a in applications
        for n, (name, unit, target) in enumerate(
            (("Familles rejointes", "familles", 40), ("Repas servis", "repas", 3000))
        )
    )
    reports = Report.objects.bulk_create(
        Report(
            agreement=ag,
            year=1,
            status=Report.Status.APPROVED,
            narrative="Une bonne année, bien remplie.",
            submitted_by=funder_user,
            approved_at=now,
        )  # fmt: skip
        for ag in agreements
    )
    by_application = {r.agreement.application_id: r for r in reports}
    IndicatorResult.objects.bulk_create(
        IndicatorResult(
            report=by_application[i.application_id],
            indicator=i,
            target=i.target,
            actual=i.target * Decimal("0.85") if i.pk % 3 else i.target,
            off_target=bool(i.pk % 3),
            comment="Démarrage plus lent que prévu." if i.pk % 3 else "",
        )  # fmt: skip
        for i in indicators
    )
    SpendingLine.objects.bulk_create(
        SpendingLine(report=r, label="", planned=Decimal(20000), spent=Decimal(19000)) for r in reports
    )
    return fund, funder_user


def main() -> None:
    from weasyprint import HTML

    if connection.vendor != "postgresql":
        sys.exit("bench/accountability.py runs on PostgreSQL: set DATABASE_URL=postgres://...")
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    settings.MEDIA_ROOT = Path(os.environ.get("BENCH_MEDIA", "/tmp/guichet-bench-media"))
    try:
        from reporting.models import AccountabilityExport
        from reporting.pdf import PDF_OPTIONS, render_accountability_html
        from reporting.services import export_request

        started = time.perf_counter()
        fund, user = build()
        print(f"built {PROJECTS} funded projects in {time.perf_counter() - started:.1f} s")

        # A Celery worker is long-lived: load pango and the fonts once before timing, as a warm worker has.
        HTML(string='<html lang="fr"><p>warm-up</p></html>').write_pdf(**PDF_OPTIONS)
        started = time.perf_counter()
        export = export_request(fund=fund, by=user, language="fr", kind="fund_year", year=YEAR)
        export.refresh_from_db()
        seconds = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if export.status != AccountabilityExport.Status.READY:
            sys.exit(f"export failed: {export.error}")
        size = export.file.size
        print(f"product: {export.pages} pages, {size / 1e6:.1f} MB in {seconds:.1f} s (peak RSS {peak_mb:.0f} MB)")

        html = render_accountability_html(fund=fund, language="fr", kind="fund_year", year=YEAR)
        started = time.perf_counter()
        HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(**PDF_OPTIONS)
        baseline = time.perf_counter() - started
        print(f"baseline: bare WeasyPrint on the same HTML ({len(html) / 1e6:.1f} MB) in {baseline:.1f} s")
        result = {
            "projects": PROJECTS,
            "pages": export.pages,
            "seconds": round(seconds, 2),
            "peak_mb": round(peak_mb, 1),
            "baseline_seconds": round(baseline, 2),
            "ratio": round(seconds / baseline, 3),
        }
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
