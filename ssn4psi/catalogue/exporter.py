"""Exporting the catalogue in its own format, so that an export imports back to the same state."""

from ssn4psi.catalogue import FORMAT
from ssn4psi.richtext import html_to_markdown


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


def export_catalogue():
    """The whole live catalogue as a document in the catalogue format (members parents first)."""
    from django.db.models import Prefetch

    from matchmaking.models import Exchange
    from members.models import MemberPage, Need
    from solutions.models import Adoption, SolutionPage

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
    return {
        "format": FORMAT,
        "members": member_records,
        "solutions": [solution_record(page) for page in solutions],
        "exchanges": [exchange_record(exchange) for exchange in exchanges],
    }
