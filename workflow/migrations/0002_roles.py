"""The six roles as groups, with the permissions each role's tasks need."""

from django.db import migrations

ROLE_PERMISSIONS = {
    "applicant": [],
    "advisor": [],
    "committee": [],
    "fund_manager": [
        "screen_application",
        "assign_reviewers",
        "decide_application",
        "manage_agreement",
        "review_report",
    ],
    "funder": [],
    "administrator": [],
}

LABELS = {
    "screen_application": "Can screen eligibility",
    "assign_reviewers": "Can assign reviewers",
    "decide_application": "Can record decisions",
    "manage_agreement": "Can set up agreements",
    "review_report": "Can approve reports",
}


def load(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.get_or_create(app_label="workflow", model="applicationprocess")
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        for codename in codenames:
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type, codename=codename, defaults={"name": LABELS[codename]}
            )
            group.permissions.add(permission)


class Migration(migrations.Migration):
    dependencies = [("workflow", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
