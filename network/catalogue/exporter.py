"""Exporting the catalogue in its own format, so that an export imports back to the same state."""

from matchmaking.models import Exchange
from members.models import MemberPage, Need
from network.catalogue import FORMAT
from solutions.models import Adoption, SolutionPage
from ssn4psi.richtext import html_to_markdown
from workshops.models import Session, WorkshopPage
from workshops.records import WorkshopMaterial, WorkshopOutcome


def _without_empty(record):
    return {name: value for name, value in record.items() if value not in (None, "", [], {})}


def member_record(page, parent_key=None):
    """The catalogue record of a member page, needs included."""
    needs = [
        _without_empty(
            {
                "key": need.key,
                "title": need.title,
                "description": need.description,
                "sdg_targets": [str(g.pk) for g in need.sdg_goals.all()] + [t.code for t in need.sdg_targets.all()],
                "themes": [theme.pk for theme in need.themes.all()],
                "priority": need.priority,
                "modalities": list(need.modalities or []),
            }
        )
        for need in page.needs.all()
    ]
    return _without_empty(
        {
            "key": page.key,
            "name": page.title,
            "kind": page.kind,
            "country": page.country,
            "subdivision": page.subdivision,
            "parent": parent_key,
            "languages": list(page.languages or []),
            "summary": page.summary,
            "description": html_to_markdown(page.description),
            "website": page.website,
            "needs": needs,
        }
    )


def solution_record(page):
    """The catalogue record of a solution page, key figures and adoptions included."""
    record = _without_empty(
        {
            "key": page.key,
            "name": page.title,
            "owner": page.member.key if page.member else None,
            "summary": page.summary,
            "problem": html_to_markdown(page.problem),
            "description": html_to_markdown(page.description),
            "sdg_targets": [str(g.pk) for g in page.sdg_goals.all()] + [t.code for t in page.sdg_targets.all()],
            "themes": [theme.pk for theme in page.themes.all()],
            "maturity": page.maturity,
            "launched": page.launched,
            "website": page.website,
            "licence": page.licence,
            "repository": page.repository,
            "languages": list(page.languages or []),
            "resources": page.resources,
            "key_figures": [{"value": f.value, "label": f.label} for f in page.key_figures.all()],
            "adoptions": [
                _without_empty({"member": a.member.key, "year": a.year, "status": a.status})
                for a in page.adoptions.all()
            ],
        }
    )
    record["dpg"] = page.dpg
    return record


def exchange_record(exchange):
    return _without_empty(
        {
            "key": exchange.key,
            "provider": exchange.provider.key,
            "learner": exchange.learner.key,
            "facilitator": exchange.facilitator.key if exchange.facilitator else None,
            "solutions": [solution.key for solution in exchange.solutions.all()],
            "status": exchange.status,
            "date": exchange.date.isoformat() if exchange.date else None,
            "summary": exchange.summary,
        }
    )


def _moment(value, zone, whole_days):
    """A datetime as the format writes it: the day alone for whole days, else the local time with its offset."""
    from django.utils import timezone

    if value is None:
        return None
    local = timezone.localtime(value, zone)
    return local.date().isoformat() if whole_days else local.isoformat()


def workshop_record(page):
    """The catalogue record of a workshop page, with its sessions, materials and outcomes."""
    zone = page.zone
    return _without_empty(
        {
            "key": page.key,
            "title": page.title,
            "kind": page.kind,
            "format": page.format,
            "start": _moment(page.start, zone, page.whole_days),
            "end": _moment(page.end, zone, page.whole_days),
            "time_zone": page.time_zone,
            "venue": page.venue,
            "online_link": page.online_link,
            "summary": page.summary,
            "organisers": [member.key for member in page.organisers.all()],
            "exchanges": [exchange.key for exchange in page.exchanges.all()],
            "sessions": [
                _without_empty(
                    {
                        "title": session.title,
                        "track": session.track,
                        "start": _moment(session.start, zone, False),
                        "end": _moment(session.end, zone, False),
                        "capacity": session.capacity,
                    }
                )
                for session in page.sessions.all()
            ],
            "capacity": page.capacity,
            "materials": [
                _without_empty(
                    {
                        "kind": material.kind,
                        "title": material.title,
                        "url": material.absolute_link,
                        "language": material.language,
                        "date": material.date.isoformat() if material.date else None,
                    }
                )
                for material in page.materials.all()
            ],
            "outcomes": [
                _without_empty(
                    {
                        "kind": outcome.kind,
                        "text": outcome.text,
                        "date": outcome.date.isoformat() if outcome.date else None,
                        "exchange": outcome.exchange.key if outcome.exchange_id else None,
                        "members": sorted(member.key for member in outcome.members.all()),
                    }
                )
                for outcome in page.outcomes.all()
            ],
        }
    ) | {"requires_approval": page.requires_approval}


def export_catalogue():
    """The whole live catalogue as a document in the catalogue format (members parents first)."""
    from django.db.models import Prefetch

    members = list(
        MemberPage.objects.order_by("path").prefetch_related(
            Prefetch(
                "needs",
                queryset=Need.objects.order_by("sort_order").prefetch_related("sdg_targets", "sdg_goals", "themes"),
            )
        )
    )
    by_path = {member.path: member for member in members}
    member_records = [
        member_record(member, getattr(by_path.get(member.path[: -member.steplen]), "key", None)) for member in members
    ]
    solutions = (
        SolutionPage.objects.select_related("member")
        .order_by("path")
        .prefetch_related(
            "sdg_targets",
            "sdg_goals",
            "themes",
            "key_figures",
            Prefetch("adoptions", queryset=Adoption.objects.select_related("member").order_by("sort_order")),
        )
    )
    exchanges = (
        Exchange.objects.select_related("provider", "learner", "facilitator")
        .prefetch_related("solutions")
        .order_by("key")
    )
    # Only workshops with a key can be named in a file; the others are left out of the export.
    workshops = (
        WorkshopPage.objects.filter(key__isnull=False)
        .order_by("path")
        .prefetch_related(
            Prefetch("organisers", queryset=MemberPage.objects.only("key").order_by("path")),
            Prefetch("exchanges", queryset=Exchange.objects.only("key").order_by("key")),
            Prefetch("sessions", queryset=Session.objects.order_by("sort_order", "pk")),
            Prefetch("materials", queryset=WorkshopMaterial.objects.for_display()),
            Prefetch(
                "outcomes",
                queryset=WorkshopOutcome.objects.select_related("exchange")
                .prefetch_related(Prefetch("members", queryset=MemberPage.objects.only("key")))
                .order_by("sort_order", "pk"),
            ),
        )
    )
    return {
        "format": FORMAT,
        "members": member_records,
        "solutions": [solution_record(page) for page in solutions],
        "exchanges": [exchange_record(exchange) for exchange in exchanges],
        "workshops": [workshop_record(page) for page in workshops],
    }
