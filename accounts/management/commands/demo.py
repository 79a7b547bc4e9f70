"""`python manage.py demo`: load realistic demo data and print the logins. Safe to run again."""

from collections import Counter

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone, translation

from accounts.demo_data import DEFAULT_PASSWORD, ORGANISATION_OF, ORGANISATIONS, PEOPLE, TOUR
from accounts.demo_loader import demo_load
from accounts.roles import ROLES
from forms.models import Application

SITE = "http://127.0.0.1:8000"
# Apps add their own demo content with `<app>/demo.py: demo_extend(*, result)`; each must be idempotent.
# fonds runs last: it gives eligibility rules to every call, including calls the other apps add.
DEMO_APPS = ("forms", "reviewers", "reporting", "fonds")


def demo_extensions():
    import importlib
    import importlib.util

    for app in DEMO_APPS:
        if importlib.util.find_spec(f"{app}.demo") is not None:
            yield importlib.import_module(f"{app}.demo").demo_extend


class Command(BaseCommand):
    help = "Load demo funders, calls, organisations, accounts and applications (idempotent) and print the logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=DEFAULT_PASSWORD,
            help=f"Password of every demo account (default: {DEFAULT_PASSWORD}). Existing accounts are reset to it.",
        )

    def handle(self, *args, password: str, **options):
        # The site's default language, whatever the calling thread last activated (a test's request).
        with translation.override(settings.LANGUAGE_CODE):
            self._load_and_print(password)

    def _load_and_print(self, password: str) -> None:
        if not password.strip():
            raise CommandError("The demo password cannot be blank.")
        # Demo addresses are fictional: the services still write their outbox rows, but
        # nothing leaves the machine, whatever EMAIL_BACKEND says.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            with transaction.atomic():
                result = demo_load(password=password)
                for extend in demo_extensions():
                    extend(result=result)
        self._summary(result)
        self._logins(password)

    def _summary(self, result) -> None:
        now = timezone.now()
        calls = result.calls.values()
        open_calls = sum(c.opens_at <= now < c.closes_at for c in calls)
        upcoming = sum(c.opens_at > now for c in calls)
        self.stdout.write(self.style.MIGRATE_HEADING("Guichet demo data"))
        self.stdout.write(
            f"  calls: {open_calls} open, {len(calls) - open_calls - upcoming} closed, {upcoming} upcoming"
        )
        self.stdout.write(
            f"  applications: {len(result.created)} created, {len(result.kept)} already there (left as they are)"
        )
        statuses = Counter(
            Application.objects.filter(pk__in=[a.pk for a in result.created + result.kept]).values_list(
                "status", flat=True
            )
        )
        labels = dict(Application.Status.choices)
        for status, count in sorted(statuses.items()):
            self.stdout.write(f"    {labels[status]}: {count}")
        self.stdout.write("")

    def _logins(self, password: str) -> None:
        names = {key: name for key, name, *_rest in ORGANISATIONS}
        organisation_of = {person: names[key] for person, key in ORGANISATION_OF.items()}
        rows = [
            (email, str(ROLES[role]), f"{name} ({organisation_of[key]})" if key in organisation_of else name)
            for key, email, name, role, _lang, _admin in PEOPLE
        ]
        header = ("E-mail", "Role", "Password", "Who")
        table = [header] + [(email, role, password, who) for email, role, who in rows]
        widths = [max(len(row[i]) for row in table) for i in range(3)]
        self.stdout.write(self.style.MIGRATE_HEADING("Logins (same password for every account)"))
        for n, row in enumerate(table):
            self.stdout.write(
                "  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths + [0], strict=True)).rstrip()
            )
            if n == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths + [len(header[3])]))
        self.stdout.write("")
        self.stdout.write(self.style.MIGRATE_HEADING("Where to look"))
        for email, what in TOUR:
            self.stdout.write(f"  {email}: {what}")
        self.stdout.write("")
        self.stdout.write(f"Open {SITE} and sign in with one of the e-mails above.")
