"""The starting vocabularies (populations served, call themes), loaded by data migrations and the demo.

Fund managers add, rename and reorder terms in the admin afterwards; loading again only
adds the terms that are missing and never renames one someone edited.
"""

POPULATIONS = [
    # code, French, English
    ("youth", "Jeunes", "Youth"),
    ("families", "Familles et enfants", "Families and children"),
    ("seniors", "Personnes aînées", "Seniors"),
    ("newcomers", "Personnes immigrantes et nouvellement arrivées", "Immigrants and newcomers"),
    ("indigenous", "Peuples autochtones", "Indigenous peoples"),
    ("disabilities", "Personnes en situation de handicap", "People with disabilities"),
    ("low-income", "Personnes à faible revenu", "People with low income"),
    ("women", "Femmes", "Women"),
    ("caregivers", "Proches aidants", "Caregivers"),
]

THEMES = [
    ("food-security", "Sécurité alimentaire", "Food security"),
    ("housing", "Logement", "Housing"),
    ("social-inclusion", "Inclusion sociale", "Social inclusion"),
    ("mobility", "Transport et mobilité", "Transport and mobility"),
    ("education", "Éducation et persévérance scolaire", "Education and school perseverance"),
    ("health", "Santé et saines habitudes de vie", "Health and healthy living"),
    ("culture", "Culture et loisirs", "Culture and recreation"),
    ("environment", "Environnement", "Environment"),
    ("employment", "Emploi et insertion", "Employment and integration"),
    ("volunteering", "Action bénévole", "Volunteering"),
]


def vocabulary_load(model, terms) -> int:
    """Create the missing terms of `terms` in `model` (a Vocabulary subclass). Returns how many were created."""
    existing = set(model.objects.values_list("code", flat=True))
    missing = [
        model(code=code, name_fr=fr, name_en=en, position=i)
        for i, (code, fr, en) in enumerate(terms)
        if code not in existing
    ]
    model.objects.bulk_create(missing)
    return len(missing)
