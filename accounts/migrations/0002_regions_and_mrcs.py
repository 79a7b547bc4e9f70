"""Québec's 17 administrative regions, with the MRC (or equivalent territories) of several regions."""

from django.db import migrations

REGIONS = [
    ("01", "Bas-Saint-Laurent"),
    ("02", "Saguenay–Lac-Saint-Jean"),
    ("03", "Capitale-Nationale"),
    ("04", "Mauricie"),
    ("05", "Estrie"),
    ("06", "Montréal"),
    ("07", "Outaouais"),
    ("08", "Abitibi-Témiscamingue"),
    ("09", "Côte-Nord"),
    ("10", "Nord-du-Québec"),
    ("11", "Gaspésie–Îles-de-la-Madeleine"),
    ("12", "Chaudière-Appalaches"),
    ("13", "Laval"),
    ("14", "Lanaudière"),
    ("15", "Laurentides"),
    ("16", "Montérégie"),
    ("17", "Centre-du-Québec"),
]

# Geographic codes of the MRC and equivalent territories (TE).
MRCS = [
    # Lanaudière
    ("052", "D'Autray", "14"),
    ("060", "L'Assomption", "14"),
    ("061", "Joliette", "14"),
    ("062", "Matawinie", "14"),
    ("063", "Montcalm", "14"),
    ("064", "Les Moulins", "14"),
    # Outaouais
    ("080", "Papineau", "07"),
    ("081", "Gatineau", "07"),
    ("082", "Les Collines-de-l'Outaouais", "07"),
    ("083", "La Vallée-de-la-Gatineau", "07"),
    ("084", "Pontiac", "07"),
    # Estrie
    ("030", "Le Granit", "05"),
    ("040", "Les Sources", "05"),
    ("041", "Le Haut-Saint-François", "05"),
    ("042", "Le Val-Saint-François", "05"),
    ("043", "Sherbrooke", "05"),
    ("044", "Coaticook", "05"),
    ("045", "Memphrémagog", "05"),
    # Single-territory regions
    ("065", "Laval", "13"),
    ("066", "Montréal", "06"),
]


def load(apps, schema_editor):
    Region = apps.get_model("accounts", "Region")
    Mrc = apps.get_model("accounts", "Mrc")
    regions = {}
    for code, name in REGIONS:
        regions[code], _ = Region.objects.update_or_create(code=code, defaults={"name": name})
    for code, name, region in MRCS:
        Mrc.objects.update_or_create(code=code, defaults={"name": name, "region": regions[region]})


def unload(apps, schema_editor):
    apps.get_model("accounts", "Mrc").objects.filter(code__in=[c for c, _, _ in MRCS]).delete()
    apps.get_model("accounts", "Region").objects.filter(code__in=[c for c, _ in REGIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
