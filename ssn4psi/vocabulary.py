"""The controlled vocabularies of the network (docs/catalogue-format.md): themes, member kinds, maturity,
priorities, modalities and statuses. Their keys are part of the catalogue format; their labels are translatable."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# (key, label, description). The keys are stable: the catalogue format and URLs use them.
THEMES = (
    ("e-services", _("E-services"), _("One-stop portals and online public services")),
    ("service-centres", _("Service centres"), _("Assisted, in-person digital service points")),
    ("digital-identity", _("Digital identity"), _("Identification and civil registration")),
    ("digital-payments", _("Digital payments"), _("Payments and financial inclusion")),
    ("e-commerce", _("E-commerce"), _("Online markets for small producers and businesses")),
    ("skills-employment", _("Skills and employment"), _("Skills, jobs, labour-market data")),
    ("education", _("Education"), _("Schools, e-learning, teacher support")),
    ("health", _("Health"), _("Health services and health information")),
    ("justice", _("Justice"), _("Courts, legal aid, dispute resolution")),
    ("social-protection", _("Social protection"), _("Safety nets, allowances, social registries")),
    ("agriculture", _("Agriculture"), _("Farmers, food systems, rural markets")),
    ("local-governance", _("Local governance"), _("Municipalities, regions and local public services")),
    ("civil-service", _("Civil service"), _("Public administration, e-filing, civil-service capacity")),
    ("public-finance", _("Public finance"), _("Budgeting, procurement, revenue")),
    ("data-statistics", _("Data and statistics"), _("Open data, SDG monitoring, statistics")),
    ("postal-logistics", _("Postal services and logistics"), _("Postal networks, delivery, logistics")),
    ("innovation-capacity", _("Innovation capacity"), _("Innovation labs, design, change management")),
)
THEME_KEYS = frozenset(key for key, _label, _description in THEMES)
THEME_LABELS = {key: label for key, label, _description in THEMES}


class MemberKind(models.TextChoices):
    NATIONAL_GOVERNMENT = "national_government", _("National government")
    SUBNATIONAL_GOVERNMENT = "subnational_government", _("Subnational government")
    GOVERNMENT_AGENCY = "government_agency", _("Government agency or programme")
    INTERNATIONAL_ORGANISATION = "international_organisation", _("International organisation")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
    ACADEMIA = "academia", _("Academia")
    CIVIL_SOCIETY = "civil_society", _("Civil society")


#: Members the matcher recommends partners to: governments and their agencies (the learners).
#: matchmaking.scoring.GOVERNMENT_KINDS holds the same keys for the pure matcher.
LEARNER_KINDS = (MemberKind.NATIONAL_GOVERNMENT, MemberKind.SUBNATIONAL_GOVERNMENT, MemberKind.GOVERNMENT_AGENCY)


class Maturity(models.TextChoices):
    IDEA = "idea", _("Idea")
    PILOT = "pilot", _("Pilot")
    SCALED = "scaled", _("Scaled")
    NATIONAL = "national", _("National")
    REPLICATED = "replicated", _("Replicated abroad")


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Modality(models.TextChoices):
    VIRTUAL_SESSION = "virtual_session", _("Virtual session")
    STUDY_VISIT = "study_visit", _("Study visit")
    TECHNICAL_ASSISTANCE = "technical_assistance", _("Technical assistance")
    WORKSHOP = "workshop", _("Workshop")


class AdoptionStatus(models.TextChoices):
    EXPLORING = "exploring", _("Exploring")
    PILOTING = "piloting", _("Piloting")
    ADOPTED = "adopted", _("Adopted")


class ExchangeStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    AGREED = "agreed", _("Agreed")
    KNOWLEDGE_SHARED = "knowledge_shared", _("Knowledge shared")
    AGREEMENT_SIGNED = "agreement_signed", _("Agreement signed")
    REPLICATING = "replicating", _("Replicating")
    COMPLETED = "completed", _("Completed")
    DROPPED = "dropped", _("Dropped")
