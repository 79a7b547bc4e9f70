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
    ("colleague", "collegue@guichet.demo", "Hugo Landry", APPLICANT, "fr", False),
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

# Colleagues (person key: organisation key): invited by the organisation's administrator, invitation accepted.
COLLEAGUES = {"colleague": "carrefour"}

# Invitations nobody has answered yet (organisation key, e-mail, language of the e-mail). No account has
# these addresses; the invitation e-mail goes nowhere (see accounts.management.commands.demo).
PENDING_INVITATIONS = [("carrefour", "intervenante@guichet.demo", "fr")]

# Organisation key of every applicant account, for the printed logins.
ORGANISATION_OF = {**{member: key for key, member in ORGANISATION_MEMBER.items()}, **COLLEAGUES}

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
            {"name": "Hugo Landry", "role": "Coordonnateur des programmes", "email": "collegue@guichet.demo",
             "phone": "450 555-0102"},
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
    # Used by forms.demo (drafts at each wizard step, co-funding):
    lines: list[dict] = field(default_factory=list)  # expense budget: {label, year, amount}
    cofunding: dict[str, int] = field(default_factory=dict)  # other call key: amount asked of it
    author: str = ""  # person key; the organisation's administrator when empty
    reach: str = ""  # answer to the call's own question of the project step
    justifications: list[str] = field(default_factory=list)  # one per checklist item, in the rubric's order


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
        "ministry_open",  # the Fondation serves Lanaudière only; this organisation is in Gatineau
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

# Drafts stopped at each wizard step (`stage` is the step the applicant is on), loaded by forms.demo
# once the calls' forms are set up. Every step before it is saved; nothing after it is, except
# what the wizard itself copies from the organisation's earlier application.
WIZARD_DRAFTS = [
    ApplicationSpec(
        "releve",
        "foundation_open",
        "project",
        "Aide aux devoirs par les pairs",
        "Depuis 2024, des jeunes de 16 et 17 ans aident les plus jeunes à faire leurs devoirs deux soirs "
        "par semaine à la maison des jeunes. Nous voulons consolider l'activité et l'ouvrir aux élèves de "
        "l'école secondaire voisine.",
    ),
    ApplicationSpec(
        "grenier",
        "foundation_open",
        "partners",
        "Serre communautaire quatre saisons",
        "Prolonger de six mois la saison du jardin collectif de Saint-Jean-de-Matha grâce à une serre "
        "chauffée à l'énergie solaire, cultivée par les membres de la coopérative et des bénévoles.",
        amounts=[20_000, 15_000],
        # Not saved yet (the applicant is on this step): the project is carried with them.
        partners=[
            {"name": "Municipalité de Saint-Jean-de-Matha", "role": "Prête le terrain derrière l'hôtel de ville"},
            {"name": "Club des jardiniers de Matawinie (fictif)", "role": "Forme les bénévoles"},
        ],
        lines=[
            {"label": "Serre et installation", "year": 1, "amount": 22_000},
            {"label": "Animation horticole (0,4 ETC)", "year": 1, "amount": 8_000},
            {"label": "Animation horticole (0,4 ETC)", "year": 2, "amount": 12_000},
            {"label": "Semences, terreau et outils", "year": 1, "amount": 2_500},
            {"label": "Semences, terreau et outils", "year": 2, "amount": 2_500},
        ],
        reach="Les ménages à faible revenu et les personnes aînées de Saint-Jean-de-Matha et des villages "
        "voisins, qui cultivent ensemble et repartent avec une part des récoltes.",
    ),
    ApplicationSpec(
        "cuisines",
        "ministry_open",
        "attachments",
        "Groupes d'achats collectifs pour les familles de Gatineau",
        "Des groupes de dix familles qui commandent ensemble, chaque mois, des denrées de base en gros "
        "et les partagent au local des Cuisines collectives, pour payer leur épicerie 20 % moins cher.",
        amounts=[18_000, 16_000, 14_000],
        partners=[
            {"name": "Épicerie communautaire du Vieux-Hull (fictive)", "role": "Prête son entrepôt et son camion"},
            {"name": "Maison de la famille de Gatineau (fictive)", "role": "Recrute les familles, offre la halte"},
        ],
        indicators=[
            {"name": "Familles membres d'un groupe d'achat", "unit": "familles", "baseline": 0, "target": 90},
            {"name": "Économie moyenne sur l'épicerie", "unit": "%", "baseline": 0, "target": 20},
        ],
        sustainability="Dès la deuxième année, une cotisation de 5 $ par commande couvre le transport. Les "
        "familles formées animent elles-mêmes les groupes; la Ville de Gatineau étudie un soutien au local.",
        reach="Des familles à faible revenu des quartiers centraux de Gatineau, dont beaucoup de familles "
        "nouvellement arrivées.",
    ),
    ApplicationSpec(
        "carrefour",
        "foundation_open",
        "summary",
        "Papas en action : rencontres pour les pères de Joliette",
        "Consolider les rencontres de pères lancées en 2022 : un soir par semaine, des pères échangent "
        "sur leur rôle, préparent une activité avec leurs enfants le samedi et s'entraident.",
        amounts=[14_000, 11_000],
        lines=[
            {"label": "Intervenant (0,3 ETC)", "year": 1, "amount": 11_000},
            {"label": "Intervenant (0,3 ETC)", "year": 2, "amount": 9_000},
            {"label": "Activités du samedi avec les enfants", "year": 1, "amount": 3_000},
            {"label": "Activités du samedi avec les enfants", "year": 2, "amount": 2_000},
        ],
        partners=[
            {"name": "CLSC de Joliette (fictif)", "role": "Réfère les pères et coanime deux rencontres par session"},
            {"name": "Bibliothèque municipale de Joliette", "role": "Prête une salle le samedi"},
        ],
        indicators=[
            {"name": "Pères participants", "unit": "pères", "baseline": 18, "target": 40},
            {"name": "Rencontres tenues", "unit": "rencontres", "baseline": 0, "target": 70},
        ],
        sustainability="Deux pères formés coaniment déjà les rencontres. À partir de la troisième année, "
        "le Carrefour intègre l'activité à son budget de base (soutien à la mission) et une caisse locale "
        "commandite les activités du samedi.",
        author="colleague",
        reach="Des pères de la MRC de Joliette, surtout de jeunes pères et des pères séparés ou à faible revenu.",
        justifications=[
            "Aucun autre service de la MRC ne s'adresse aux pères comme parents.",
            "Inspiré du programme d'un organisme famille de Québec, adapté avec les pères eux-mêmes.",
            "Le CLSC coanime et réfère; la bibliothèque prête une salle.",
            "Un sondage auprès de 25 pères a fixé l'horaire et les thèmes des rencontres.",
            "Soutien à la mission du Carrefour et commandite d'une caisse locale dès la troisième année.",
            "Deux pères formés coaniment déjà; un guide d'animation sera écrit la première année.",
        ],
    ),
]

# One project written once and addressed to two funds (co-funding), loaded by forms.demo: submitted
# to `call`, with a copy for each call of `cofunding`. The Fondation has screened its copy eligible;
# the ministry has not screened yet.
COFUNDED = ApplicationSpec(
    "carrefour",
    "ministry_open",
    "submitted",
    "Ateliers « Bien manger à petit prix » pour les familles",
    "Deux ateliers par semaine où des parents à faible revenu cuisinent des repas économiques, apprennent "
    "à faire un budget d'épicerie et repartent avec des portions pour la semaine; une halte-garderie "
    "accueille les enfants pendant les ateliers.",
    amounts=[24_000, 16_000],
    cofunding={"foundation_open": 20_000},
    lines=[
        {"label": "Animatrice en cuisine (0,6 ETC)", "year": 1, "amount": 21_000},
        {"label": "Animatrice en cuisine (0,6 ETC)", "year": 2, "amount": 14_000},
        {"label": "Denrées et matériel de cuisine", "year": 1, "amount": 9_000},
        {"label": "Denrées et matériel de cuisine", "year": 2, "amount": 6_000},
        {"label": "Halte-garderie pendant les ateliers", "year": 1, "amount": 6_000},
        {"label": "Halte-garderie pendant les ateliers", "year": 2, "amount": 4_000},
    ],
    partners=[
        {"name": "Banque alimentaire régionale (fictive)", "role": "Fournit une partie des denrées"},
        {"name": "CLSC de Joliette (fictif)", "role": "Réfère les familles; une nutritionniste par session"},
    ],
    indicators=[
        {"name": "Familles participantes", "unit": "familles", "baseline": 25, "target": 60},
        {"name": "Ateliers offerts", "unit": "ateliers", "baseline": 0, "target": 140},
    ],
    sustainability="Les ateliers existent depuis 2023 grâce à des dons. Après deux ans, une contribution "
    "symbolique des familles, l'entente avec la banque alimentaire et le soutien à la mission du Carrefour "
    "couvriront les frais; deux mères formées coaniment déjà les ateliers.",
    reach="Des familles à faible revenu de Joliette, dont plusieurs familles nouvellement arrivées; près "
    "de la moitié sont monoparentales.",
    justifications=[
        "Aucune cuisine collective n'accueille les parents avec une halte-garderie à Joliette.",
        "Inspiré des cuisines collectives du Québec, avec un volet budget demandé par les parents.",
        "La banque alimentaire fournit des denrées; le CLSC réfère les familles.",
        "Les parents des ateliers de 2023 ont choisi l'horaire et les recettes.",
        "Contribution des familles, entente avec la banque alimentaire et soutien à la mission.",
        "Deux mères formées coaniment déjà; les recettes sont réunies dans un cahier remis aux familles.",
    ],
)

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
        "a draft stopped at the budget step, a draft an advisor is commenting, a project sent to two funds "
        "(co-funding: the Fondation found it eligible, the ministry has yet to screen it), a funded project "
        "whose year-2 report is due; the organisation's members: a colleague and a pending invitation",
    ),
    ("collegue@guichet.demo", "the same organisation: a draft ready to submit (summary step)"),
    (
        "releve@guichet.demo, demandeur2@guichet.demo, cuisines@guichet.demo",
        "one draft each, stopped at the project, the partners and the attachments step (in that order)",
    ),
    ("conseillere@guichet.demo", "a draft waiting for comments"),
    ("comite2@guichet.demo", "an application to score (this account reads the site in English)"),
    (
        "gestionnaire@guichet.demo",
        "manages every demo fund: screenings (one of a co-funded project), reviewer assignments, "
        "the decided applications",
    ),
    (
        "bailleur@guichet.demo",
        "staff of the MRC de Joliette and the Fondation Solidarité Lanaudière: "
        "dashboard with a funded project and its approved year-1 report",
    ),
]
