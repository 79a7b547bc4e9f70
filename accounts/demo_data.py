"""The content of the demo: fictional people, organisations, funders, calls and applications.

Québec community sector, in French, as applicants would write it. Loaded by
accounts.demo_loader (`python manage.py demo`). Call dates are in days from the
day of the first load, at local (America/Toronto) times.
"""

from dataclasses import dataclass, field
from datetime import time

from accounts.models import Organisation
from accounts.roles import ADMINISTRATOR, ADVISOR, APPLICANT, COMMITTEE, FUND_MANAGER, FUNDER
from fonds.models import Funder

DEFAULT_PASSWORD = "guichet-demo-2026"

# --- people -------------------------------------------------------------------

# key, e-mail, full name, role, language, staff/superuser
PEOPLE = [
    ("applicant", "demandeur@guichet.demo", "Sophie Tremblay", APPLICANT, "fr", False),
    ("applicant2", "demandeur2@guichet.demo", "Marc-Antoine Gagnon", APPLICANT, "fr", False),
    ("releve", "releve@guichet.demo", "Jérémie Côté", APPLICANT, "fr", False),
    ("cab", "cab@guichet.demo", "Louise Lalonde", APPLICANT, "fr", False),
    ("cuisines", "cuisines@guichet.demo", "Fatima Benali", APPLICANT, "fr", False),
    ("advisor", "conseillere@guichet.demo", "Julie Bergeron", ADVISOR, "fr", False),
    ("committee1", "comite1@guichet.demo", "Pierre Lavoie", COMMITTEE, "fr", False),
    ("committee2", "comite2@guichet.demo", "Nadia Roy", COMMITTEE, "en", False),
    ("manager", "gestionnaire@guichet.demo", "Isabelle Fortin", FUND_MANAGER, "fr", False),
    ("funder", "bailleur@guichet.demo", "Martin Pelletier", FUNDER, "fr", False),
    ("admin", "admin@guichet.demo", "Administration Guichet", ADMINISTRATOR, "fr", True),
]

# --- organisations (fictional) --------------------------------------------------

# key, name, legal form, NEQ, MRC code, mission, member key
ORGANISATIONS = [
    (
        "carrefour",
        "Carrefour familial Joliette-Lanaudière",
        Organisation.LegalForm.NONPROFIT,
        "1149876501",
        "061",
        "Accueillir les familles de la MRC de Joliette, briser leur isolement et soutenir les parents "
        "par des activités de groupe, une halte-garderie et de l'accompagnement individuel.",
        "applicant",
    ),
    (
        "grenier",
        "Coopérative de solidarité Le Grenier de Matawinie",
        Organisation.LegalForm.COOP,
        "1168432209",
        "062",
        "Rendre une alimentation saine et abordable accessible aux ménages des villages de Matawinie, "
        "en circuit court avec les producteurs de la région.",
        "applicant2",
    ),
    (
        "releve",
        "Maison des jeunes La Relève de Terrebonne",
        Organisation.LegalForm.NONPROFIT,
        "1142277305",
        "064",
        "Offrir aux jeunes de 12 à 17 ans un lieu de rencontre sécuritaire, animé par et pour eux, "
        "où ils deviennent des citoyens critiques, actifs et responsables.",
        "releve",
    ),
    (
        "cab",
        "Centre d'action bénévole de la Petite-Nation",
        Organisation.LegalForm.NONPROFIT,
        "1153390418",
        "080",
        "Promouvoir l'action bénévole et soutenir le maintien à domicile des aînés de la Petite-Nation : "
        "transport-accompagnement, popote roulante, appels d'amitié.",
        "cab",
    ),
    (
        "cuisines",
        "Cuisines collectives de l'Outaouais urbain",
        Organisation.LegalForm.NONPROFIT,
        "1177015532",
        "081",
        "Regrouper des personnes qui cuisinent ensemble pour économiser, apprendre et créer des liens, "
        "dans les quartiers de Gatineau.",
        "cuisines",
    ),
]

ORGANISATION_MEMBER = {o[0]: o[6] for o in ORGANISATIONS}

# The rest of each profile: address, territory served (MRC codes), annual budget,
# populations served (accounts.vocabulary codes) and contact people (fictional).
PROFILES = {
    "carrefour": {
        "street_address": "200, rue De Lanaudière",
        "city": "Joliette",
        "postal_code": "J6E 3L6",
        "mrcs_served": ["061", "052"],
        "annual_budget": 420_000,
        "populations": ["families", "low-income", "newcomers"],
        "contacts": [
            {"name": "Sophie Tremblay", "role": "Directrice générale", "email": "demandeur@guichet.demo",
             "phone": "450 555-0101"},
            {"name": "Hugo Landry", "role": "Coordonnateur des programmes", "email": "", "phone": "450 555-0102"},
        ],
    },
    "grenier": {
        "street_address": "45, rue Principale",
        "city": "Saint-Jean-de-Matha",
        "postal_code": "J0K 2S0",
        "mrcs_served": ["062"],
        "annual_budget": 310_000,
        "populations": ["low-income", "seniors", "families"],
        "contacts": [
            {"name": "Marc-Antoine Gagnon", "role": "Coordonnateur", "email": "demandeur2@guichet.demo",
             "phone": "450 555-0201"},
        ],
    },
    "releve": {
        "street_address": "1200, boulevard des Seigneurs",
        "city": "Terrebonne",
        "postal_code": "J6W 1T5",
        "mrcs_served": ["064"],
        "annual_budget": 260_000,
        "populations": ["youth"],
        "contacts": [
            {"name": "Jérémie Côté", "role": "Directeur", "email": "releve@guichet.demo", "phone": "450 555-0301"},
        ],
    },
    "cab": {
        "street_address": "14, rue Henri-Bourassa",
        "city": "Papineauville",
        "postal_code": "J0V 1R0",
        "mrcs_served": ["080"],
        "annual_budget": 680_000,
        "populations": ["seniors", "caregivers", "disabilities"],
        "contacts": [
            {"name": "Louise Lalonde", "role": "Directrice générale", "email": "cab@guichet.demo",
             "phone": "819 555-0401"},
            {"name": "Gilles Proulx", "role": "Responsable des bénévoles", "email": "", "phone": "819 555-0402"},
        ],
    },
    "cuisines": {
        "street_address": "85, rue Saint-Rédempteur",
        "city": "Gatineau",
        "postal_code": "J8X 2T4",
        "mrcs_served": ["081"],
        "annual_budget": 190_000,
        "populations": ["newcomers", "families", "low-income"],
        "contacts": [
            {"name": "Fatima Benali", "role": "Coordonnatrice", "email": "cuisines@guichet.demo",
             "phone": "819 555-0501"},
        ],
    },
}  # fmt: skip

# --- funders, funds and calls -------------------------------------------------------

FUNDERS = [
    # key, funder name, kind, fund name, fund description, staff keys
    (
        "mess",
        "Ministère de l'Emploi et de la Solidarité sociale",
        Funder.Kind.MINISTRY,
        "Programme de soutien aux initiatives sociales",
        "Soutien financier aux organismes qui luttent contre la pauvreté et l'exclusion sociale partout au Québec.",
        [],
    ),
    (
        "mrc",
        "MRC de Joliette",
        Funder.Kind.MRC,
        "Fonds de développement des territoires — Joliette",
        "Projets structurants qui améliorent les milieux de vie de la MRC de Joliette.",
        ["funder"],
    ),
    (
        "fondation",
        "Fondation Solidarité Lanaudière",
        Funder.Kind.FOUNDATION,
        "Fonds Pérennité",
        "Aider les organismes de Lanaudière à consolider des projets qui ont fait leurs preuves, "
        "sur un ou deux ans, avec un plan pour la suite.",
        ["funder"],
    ),
]


@dataclass
class CallSpec:
    key: str
    fund: str
    title: str
    description: str
    opens: tuple[int, time]  # days from today, local time
    closes: tuple[int, time]
    envelope: int
    min_amount: int
    max_amount: int
    max_years: int


CALLS = [
    CallSpec(
        "ministry_open",
        "mess",
        "Initiatives sociales 2026",
        "Projets qui améliorent les conditions de vie des personnes en situation de pauvreté : "
        "sécurité alimentaire, transport, accès aux services. Jusqu'à trois ans de financement.",
        (-30, time(9, 0)),
        (21, time(23, 59)),
        1_200_000,
        10_000,
        150_000,
        3,
    ),
    CallSpec(
        "foundation_open",
        "fondation",
        "Fonds Pérennité — appel 2026",
        "Consolider un projet existant et préparer son financement à long terme. "
        "Un plan de pérennité est demandé dès le dépôt.",
        (-14, time(9, 0)),
        (42, time(17, 0)),
        300_000,
        5_000,
        60_000,
        2,
    ),
    CallSpec(
        "foundation_closed",
        "fondation",
        "Fonds Pérennité — appel 2025",
        "Consolider un projet existant et préparer son financement à long terme.",
        (-470, time(9, 0)),
        (-400, time(17, 0)),
        250_000,
        5_000,
        60_000,
        2,
    ),
    CallSpec(
        "mrc_upcoming",
        "mrc",
        "Projets structurants 2026-2027",
        "Projets qui renforcent la vitalité des municipalités de la MRC de Joliette. "
        "Une séance d'information aura lieu avant l'ouverture de l'appel.",
        (30, time(9, 0)),
        (90, time(23, 59)),
        400_000,
        5_000,
        75_000,
        1,
    ),
]

COMMITTEE = ["committee1", "committee2"]


# --- applications ---------------------------------------------------------------------


@dataclass
class ApplicationSpec:
    organisation: str
    call: str
    stage: str
    title: str
    summary: str
    amounts: list[int] = field(default_factory=list)
    partners: list[dict] = field(default_factory=list)
    indicators: list[dict] = field(default_factory=list)
    sustainability: str = ""
    scores: dict[str, list[int]] = field(default_factory=dict)
    report_actuals: list[int] = field(default_factory=list)  # year-1 value of each indicator


APPLICATIONS = [
    ApplicationSpec(
        "carrefour",
        "ministry_open",
        "draft_step2",
        "Halte-garderie pour parents aux études",
        "Une halte-garderie de 12 places, trois soirs par semaine, pour que les parents de Joliette "
        "puissent suivre une formation ou terminer leurs études.",
    ),
    ApplicationSpec(
        "carrefour",
        "foundation_open",
        "advised",
        "Jardin collectif et frigo partagé",
        "Un jardin collectif de 40 parcelles et un frigo partagé, entretenus par les familles du quartier, "
        "pour réduire le gaspillage et mieux manger.",
        amounts=[18_000, 12_000],
        partners=[{"name": "Ville de Joliette", "role": "Prête le terrain et l'accès à l'eau"}],
        indicators=[
            {"name": "Familles participantes", "unit": "familles", "baseline": 0, "target": 35},
            {"name": "Nourriture redistribuée", "unit": "kg", "baseline": 0, "target": 2500},
        ],
        sustainability="Les familles prendront en charge le jardin dès la deuxième année.",
    ),
    ApplicationSpec(
        "grenier",
        "ministry_open",
        "submitted",
        "Épicerie solidaire mobile en Matawinie",
        "Un camion-épicerie qui dessert chaque semaine huit villages sans épicerie, avec des prix "
        "solidaires pour les ménages à faible revenu.",
        amounts=[40_000, 35_000, 25_000],
        partners=[
            {"name": "Table de concertation en sécurité alimentaire de Matawinie", "role": "Repère les ménages"},
            {"name": "Producteurs maraîchers de Saint-Côme", "role": "Approvisionnement local"},
        ],
        indicators=[
            {"name": "Villages desservis", "unit": "villages", "baseline": 0, "target": 8},
            {"name": "Ménages rejoints", "unit": "ménages", "baseline": 0, "target": 300},
        ],
        sustainability="Les ventes couvriront 60 % des frais dès la troisième année; la coopérative "
        "cherche des commandites d'entreprises locales pour le reste.",
    ),
    ApplicationSpec(
        "cab",
        "ministry_open",
        "scoring",
        "Transport bénévole vers les soins pour les aînés",
        "Des bénévoles conduisent les aînés de la Petite-Nation à leurs rendez-vous médicaux à Gatineau "
        "et les accompagnent sur place.",
        amounts=[28_000, 24_000],
        partners=[{"name": "CISSS de l'Outaouais", "role": "Réfère les aînés et forme les bénévoles"}],
        indicators=[
            {"name": "Transports réalisés", "unit": "transports", "baseline": 420, "target": 900},
            {"name": "Bénévoles actifs", "unit": "bénévoles", "baseline": 12, "target": 25},
        ],
        sustainability="Une contribution volontaire des usagers et une entente avec le CISSS prendront le relais.",
        scores={"committee1": [4, 5, 4]},
    ),
    ApplicationSpec(
        "cuisines",
        "foundation_open",
        "eligible",
        "Cuisines collectives pour familles nouvellement arrivées",
        "Des ateliers de cuisine collective en français pour les familles immigrantes de Gatineau, "
        "avec une halte-enfants sur place.",
        amounts=[22_000, 14_000],
        partners=[{"name": "Centre d'intégration des nouveaux arrivants (fictif)", "role": "Recrute les familles"}],
        indicators=[{"name": "Familles participantes", "unit": "familles", "baseline": 0, "target": 60}],
        sustainability="Les groupes formés deviendront autonomes; l'organisme demandera un soutien à la mission.",
    ),
    ApplicationSpec(
        "carrefour",
        "foundation_closed",
        "funded",
        "Répit pour proches aidants de Joliette",
        "Des après-midis de répit animés pour les personnes aînées, pendant que leurs proches aidants "
        "prennent du temps pour eux ou participent à un groupe de soutien.",
        amounts=[30_000, 25_000],
        partners=[
            {"name": "Société Alzheimer (section fictive de Lanaudière)", "role": "Forme l'équipe d'animation"},
            {"name": "Centre communautaire Saint-Pierre", "role": "Prête les locaux"},
        ],
        indicators=[
            {"name": "Proches aidants soutenus", "unit": "personnes", "baseline": 0, "target": 45},
            {"name": "Heures de répit offertes", "unit": "heures", "baseline": 0, "target": 1200},
        ],
        sustainability="La MRC s'est engagée à intégrer le répit à sa politique des aînés; une campagne "
        "de dons annuelle financera l'animation à partir de la troisième année.",
        scores={"committee1": [5, 4, 4], "committee2": [4, 5, 5]},
        report_actuals=[38, 1050],
    ),
    ApplicationSpec(
        "releve",
        "foundation_closed",
        "declined",
        "Café-rencontre jeunesse",
        "Transformer le sous-sol de la maison des jeunes en café étudiant ouvert le midi.",
        amounts=[45_000],
        indicators=[{"name": "Jeunes fréquentant le café", "unit": "jeunes par semaine", "target": 80}],
        sustainability="Les ventes du café couvriront les frais courants.",
        scores={"committee1": [2, 1, 2], "committee2": [3, 2, 1]},
    ),
]

SCORE_COMMENTS = {
    5: "Très solide sur ce critère.",
    4: "Bien appuyé par la demande.",
    3: "Correct, quelques précisions seraient utiles.",
    2: "Peu démontré dans la demande.",
    1: "Ce critère n'est presque pas abordé.",
}

# Printed after the logins: where each account's work is waiting.
TOUR = [
    (
        "demandeur@guichet.demo",
        "a draft stopped at the budget step, a draft an advisor is commenting, "
        "a funded project whose year-2 report is due",
    ),
    ("conseillere@guichet.demo", "a draft waiting for comments"),
    ("comite2@guichet.demo", "an application to score (this account reads the site in English)"),
    (
        "gestionnaire@guichet.demo",
        "manages every demo fund: a screening, a reviewer assignment, the decided applications",
    ),
    (
        "bailleur@guichet.demo",
        "staff of the MRC de Joliette and the Fondation Solidarité Lanaudière: "
        "dashboard with a funded project and its approved year-1 report",
    ),
]
