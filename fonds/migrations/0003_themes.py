from django.db import migrations

from accounts.vocabulary import THEMES, vocabulary_load


def load(apps, schema_editor):
    vocabulary_load(apps.get_model("fonds", "Theme"), THEMES)


class Migration(migrations.Migration):
    dependencies = [
        ("fonds", "0002_catalogue_and_eligibility"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
