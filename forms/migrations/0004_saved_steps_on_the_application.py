"""Each step's last save moves from its own table (StepSave) into the application row, so that a
save writes the version and the step's last save in one UPDATE."""

from django.db import migrations, models


def to_application(apps, schema_editor):
    Application = apps.get_model("forms", "Application")
    StepSave = apps.get_model("forms", "StepSave")
    steps: dict[int, dict] = {}
    for save in StepSave.objects.order_by("pk").iterator():
        steps.setdefault(save.application_id, {})[save.step] = {
            "version": save.version,
            "by": save.saved_by_id,
            "at": save.saved_at.isoformat(),
        }
    for pk, saved in steps.items():
        Application.objects.filter(pk=pk).update(saved_steps=saved)


def to_table(apps, schema_editor):
    from datetime import datetime

    Application = apps.get_model("forms", "Application")
    StepSave = apps.get_model("forms", "StepSave")
    for application in Application.objects.exclude(saved_steps={}).iterator():
        StepSave.objects.bulk_create(
            StepSave(
                application=application,
                step=step,
                version=entry["version"],
                saved_by_id=entry["by"],
                saved_at=datetime.fromisoformat(entry["at"]),
            )
            for step, entry in application.saved_steps.items()
        )


class Migration(migrations.Migration):
    dependencies = [
        ("forms", "0003_wizard_settings_questions_attachments"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="saved_steps",
            field=models.JSONField(blank=True, default=dict, editable=False, verbose_name="saved steps"),
        ),
        migrations.RunPython(to_application, to_table),
        migrations.DeleteModel(
            name="StepSave",
        ),
    ]
