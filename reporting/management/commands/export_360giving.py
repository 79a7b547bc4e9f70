"""Print (or write) every awarded grant as a 360Giving JSON package."""

import json

from django.core.management.base import BaseCommand

from reporting.opendata import grants_package


class Command(BaseCommand):
    help = "Export the awarded grants as a 360Giving Data Standard (1.4) JSON package."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")

    def handle(self, *args, output=None, **options):
        package = grants_package()
        text = json.dumps(package, ensure_ascii=False, indent=2) + "\n"
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stderr.write(f"{len(package['grants'])} grant(s) written to {output}")
        else:
            self.stdout.write(text, ending="")
