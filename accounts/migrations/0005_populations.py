from django.db import migrations

from accounts.vocabulary import POPULATIONS, vocabulary_load


def load(apps, schema_editor):
    vocabulary_load(apps.get_model("accounts", "Population"), POPULATIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_organisation_profile"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
