"""The demo content `setup_site --demo` (and so `make run`) loads into an empty catalogue.

- `catalogue.json`: the seeds' network, in the catalogue format (members, needs, solutions with their figures,
  adoptions, exchanges and the past workshops, each as the seed documents tell it).
- The Digital Public Goods registry shipped in ssn4psi/data/dpg-registry (181 products, their owners and about
  2,500 deployments), through `import_dpg`: the recommendations then have real providers to propose.
- Two upcoming workshops, in the catalogue format but dated from the day of loading (a demo loaded next year
  still shows what is coming): a virtual knowledge-sharing session open for registration, and a matchmaking
  workshop in Dhaka around the seeds' exchanges, with the delegations of their members registered (demo people
  at example.org, through the registration services) and its meeting agenda proposed by the optimiser.
"""

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from network.catalogue import FORMAT
from network.catalogue.importer import import_catalogue, load_document
from network.services import import_dpg

DEMO_CATALOGUE = Path(__file__).resolve().parent / "catalogue.json"
SESSION_KEY = "demo-digital-services-learning-session"
MATCHMAKING_KEY = "demo-dhaka-matchmaking-workshop"
#: The delegations registered to the matchmaking workshop: the provider and the learners of its exchanges.
DELEGATIONS = ("bgd-a2i", "cod", "phl-barmm", "som", "jor")


@dataclass
class DemoReport:
    lines: list = field(default_factory=list)


def upcoming_workshops(today):
    """The two upcoming workshops as a catalogue document, dated from `today` (a date)."""
    session_day = today + datetime.timedelta(days=21)
    matchmaking_day = today + datetime.timedelta(days=42)
    return {
        "format": FORMAT,
        "workshops": [
            {
                "key": SESSION_KEY,
                "title": "One-stop digital services: a learning session with a2i",
                "kind": "knowledge_sharing",
                "format": "virtual",
                "time_zone": "Africa/Kinshasa",
                "start": f"{session_day.isoformat()}T10:00",
                "end": f"{session_day.isoformat()}T12:30",
                "capacity": 80,
                "summary": (
                    "How Bangladesh's a2i brought 2,500+ government services to one portal (myGov) and to 8,100+ "
                    "Union Digital Centres, for the network's members preparing their own one-stop service "
                    "delivery. Open to officials of member governments and their partners."
                ),
                "organisers": ["unossc", "bgd-a2i"],
                "exchanges": ["cod-a2i-knowledge-session"],
                "sessions": [
                    {
                        "title": "myGov: one portal for 2,500+ services",
                        "start": f"{session_day.isoformat()}T10:00",
                        "end": f"{session_day.isoformat()}T11:00",
                    },
                    {
                        "title": "Union Digital Centres: services where people live",
                        "start": f"{session_day.isoformat()}T11:15",
                        "end": f"{session_day.isoformat()}T12:30",
                    },
                ],
            },
            {
                "key": MATCHMAKING_KEY,
                "title": "South-South matchmaking workshop on digital public services, Dhaka",
                "kind": "matchmaking",
                "format": "in_person",
                "time_zone": "Asia/Dhaka",
                "venue": "Dhaka, Bangladesh",
                "start": f"{matchmaking_day.isoformat()}T09:00",
                "end": f"{matchmaking_day.isoformat()}T13:00",
                "capacity": 40,
                "summary": (
                    "Delegations meet the counterparts the network's matchmaking proposes for them, table by "
                    "table, to turn the exchanges under way into plans: DR Congo and BARMM with a2i on one-stop "
                    "services, Somalia and Jordan on the National Intelligence for Skills, Education, Employment "
                    "and Entrepreneurship (NISE)."
                ),
                "organisers": ["unossc", "bgd-a2i", "undp-bgd"],
                "exchanges": [
                    "cod-a2i-knowledge-session",
                    "barmm-a2i-learning-visit",
                    "nise-somalia",
                    "nise-jordan",
                ],
            },
        ],
    }


def load_demo(*, today=None):
    """Load the demo content (see the module's docstring); returns what each part did, line by line. Each import is
    atomic and idempotent; the delegations and the agenda are written in one transaction."""
    from members.models import MemberPage
    from workshops.agenda import propose_agenda
    from workshops.models import Registration, WorkshopPage
    from workshops.services import confirm, register

    today = today or datetime.date.today()
    report = DemoReport()
    report.lines += import_catalogue(load_document(DEMO_CATALOGUE)).lines()
    dpg = import_dpg()
    report.lines.append("Digital Public Goods registry: " + "; ".join(dpg.summary.lines()[:3]))
    import_catalogue(upcoming_workshops(today))
    with transaction.atomic():
        workshop = WorkshopPage.objects.get(key=MATCHMAKING_KEY)
        for member in MemberPage.objects.filter(key__in=DELEGATIONS).order_by("title"):
            registration = register(
                workshop,
                name=f"{member.title} delegate (demo)",
                email=f"delegate-{member.key}@example.org",
                member=member,
                organisation=member.title,
                country=member.country,
                role=Registration.Role.DELEGATE,
                privacy_consent=True,
            )
            confirm(registration)
        proposal = propose_agenda(workshop, max_per_provider=len(DELEGATIONS), user=None)  # a2i meets all four
    report.lines.append(
        f"Upcoming workshops: 2, with {len(DELEGATIONS)} delegations and {proposal.meetings} meetings proposed"
    )
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    congo = MemberPage.objects.get(key="cod")
    report.lines.append(f"DR Congo, its needs and recommended partners: {base}{congo.get_url()}")
    session = WorkshopPage.objects.get(key=SESSION_KEY)
    report.lines.append(f"Open for registration: {base}{session.get_url()}")
    return report
