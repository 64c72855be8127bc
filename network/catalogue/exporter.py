"""Exporting the catalogue in its own format, so that an export imports back to the same state.

Each record is built through its model (network.catalogue.records), which names its fields. References (an
owner, an adoption's member, a facilitator, an organiser...) are written only to records of the same export, so
that a public export, which leaves hidden pages out, still imports into an empty database."""

from django.db.models import Prefetch
from django.utils import timezone

from matchmaking.models import Exchange
from members.models import MemberPage, Need
from network.catalogue import FORMAT, records
from solutions.models import Adoption, SolutionPage
from ssn4psi.richtext import html_to_markdown
from workshops.models import Session, WorkshopPage
from workshops.records import WorkshopMaterial, WorkshopOutcome


def _sdg_codes(page):
    """A need's or a solution's SDG codes as the format writes them: whole goals, then targets."""
    return [str(goal.pk) for goal in page.sdg_goals.all()] + [target.code for target in page.sdg_targets.all()]


def need_record(need):
    return records.Need.of(
        key=need.key,
        title=need.title,
        description=need.description,
        sdg_targets=_sdg_codes(need),
        themes=[theme.pk for theme in need.themes.all()],
        priority=need.priority,
        modalities=list(need.modalities or []),
    )


def member_record(page, parent_key=None):
    """The catalogue record of a member page, needs included."""
    return records.Member.of(
        key=page.key,
        name=page.title,
        kind=page.kind,
        country=page.country,
        subdivision=page.subdivision,
        parent=parent_key,
        languages=list(page.languages or []),
        summary=page.summary,
        description=html_to_markdown(page.description),
        website=page.website,
        needs=[need_record(need) for need in page.needs.all()],
    )


def solution_record(page, member_keys):
    """The catalogue record of a solution page, key figures and adoptions included; `member_keys` ({pk: key} of
    the members exported) gives its owner and the adopters written."""
    return records.Solution.of(
        key=page.key,
        name=page.title,
        owner=member_keys.get(page.member_id),
        summary=page.summary,
        problem=html_to_markdown(page.problem),
        description=html_to_markdown(page.description),
        sdg_targets=_sdg_codes(page),
        themes=[theme.pk for theme in page.themes.all()],
        maturity=page.maturity,
        launched=page.launched,
        website=page.website,
        licence=page.licence,
        repository=page.repository,
        languages=list(page.languages or []),
        resources=page.resources,
        key_figures=[records.KeyFigure.of(value=f.value, label=f.label) for f in page.key_figures.all()],
        adoptions=[
            records.Adoption.of(member=member_keys[a.member_id], year=a.year, status=a.status)
            for a in page.adoptions.all()
            if a.member_id in member_keys
        ],
        dpg=page.dpg,
    )


def exchange_record(exchange, member_keys, solution_keys):
    """The catalogue record of an exchange; its facilitator and solutions only where they are exported."""
    return records.Exchange.of(
        key=exchange.key,
        provider=member_keys[exchange.provider_id],
        learner=member_keys[exchange.learner_id],
        facilitator=member_keys.get(exchange.facilitator_id),
        solutions=[solution_keys[s.pk] for s in exchange.solutions.all() if s.pk in solution_keys],
        status=exchange.status,
        date=exchange.date.isoformat() if exchange.date else None,
        summary=exchange.summary,
    )


def _moment(value, zone, whole_days):
    """A datetime as the format writes it: the day alone for whole days, else the local time with its offset."""
    if value is None:
        return None
    local = timezone.localtime(value, zone)
    return local.date().isoformat() if whole_days else local.isoformat()


def session_record(session, zone):
    return records.Session.of(
        title=session.title,
        track=session.track,
        start=_moment(session.start, zone, False),
        end=_moment(session.end, zone, False),
        capacity=session.capacity,
    )


def material_record(material):
    return records.Material.of(
        kind=material.kind,
        title=material.title,
        url=material.absolute_link,
        language=material.language,
        date=material.date.isoformat() if material.date else None,
    )


def outcome_record(outcome, member_keys, exchange_keys):
    return records.Outcome.of(
        kind=outcome.kind,
        text=outcome.text,
        date=outcome.date.isoformat() if outcome.date else None,
        exchange=exchange_keys.get(outcome.exchange_id),
        members=sorted(member_keys[m.pk] for m in outcome.members.all() if m.pk in member_keys),
    )


def workshop_record(page, member_keys, exchange_keys, *, public=False):
    """The catalogue record of a workshop page, with its sessions, materials and outcomes; its online link only
    when not `public` (the site shows it to confirmed participants alone)."""
    zone = page.zone
    return records.Workshop.of(
        key=page.key,
        title=page.title,
        kind=page.kind,
        format=page.format,
        start=_moment(page.start, zone, page.whole_days),
        end=_moment(page.end, zone, page.whole_days),
        time_zone=page.time_zone,
        venue=page.venue,
        online_link=None if public else page.online_link,
        summary=page.summary,
        organisers=[member_keys[m.pk] for m in page.organisers.all() if m.pk in member_keys],
        exchanges=[exchange_keys[e.pk] for e in page.exchanges.all() if e.pk in exchange_keys],
        sessions=[session_record(session, zone) for session in page.sessions.all()],
        capacity=page.capacity,
        materials=[material_record(material) for material in page.materials.all()],
        outcomes=[outcome_record(outcome, member_keys, exchange_keys) for outcome in page.outcomes.all()],
        requires_approval=page.requires_approval,
    )


def _pages(public):
    """The member, solution and workshop pages (with a key) to export: all of them, or only those an anonymous
    visitor may see when `public` (live and public; a solution's owner too)."""
    members = MemberPage.objects.all()
    solutions = SolutionPage.objects.all()
    workshops = WorkshopPage.objects.filter(key__isnull=False)
    if public:
        members = members.live().public()
        solutions = solutions.live().public().filter(member__in=members)
        workshops = workshops.live().public()
    return members, solutions, workshops


def export_catalogue(public=False):
    """The catalogue as a document in the catalogue format (members parents first), as a dict.

    With `public`, only what an anonymous visitor may see: member, solution and workshop pages that are live and
    public (docs/architecture.md, "Visibility"), the exchanges between two of those members, and no workshop's
    online link. The published fields are read, never a draft. References to what is left out (a parent, a
    facilitator, an adopter, an organiser...) are dropped, so that the file imports into an empty database."""
    members, solutions, workshops = _pages(public)
    member_pages = list(
        members.order_by("path").prefetch_related(
            Prefetch(
                "needs",
                queryset=Need.objects.order_by("sort_order").prefetch_related("sdg_targets", "sdg_goals", "themes"),
            )
        )
    )
    member_keys = {page.pk: page.key for page in member_pages}
    by_path = {page.path: page for page in member_pages}
    solution_pages = list(
        solutions.order_by("path").prefetch_related(
            "sdg_targets",
            "sdg_goals",
            "themes",
            "key_figures",
            Prefetch("adoptions", queryset=Adoption.objects.order_by("sort_order")),
        )
    )
    solution_keys = {page.pk: page.key for page in solution_pages}
    exchanges = [
        exchange
        for exchange in Exchange.objects.prefetch_related("solutions").order_by("key")
        if exchange.provider_id in member_keys and exchange.learner_id in member_keys
    ]
    exchange_keys = {exchange.pk: exchange.key for exchange in exchanges}
    workshop_pages = workshops.order_by("path").prefetch_related(
        Prefetch("organisers", queryset=MemberPage.objects.only("key").order_by("path")),
        Prefetch("exchanges", queryset=Exchange.objects.only("key").order_by("key")),
        Prefetch("sessions", queryset=Session.objects.order_by("sort_order", "pk")),
        Prefetch("materials", queryset=WorkshopMaterial.objects.for_display()),
        Prefetch(
            "outcomes",
            queryset=WorkshopOutcome.objects.prefetch_related(
                Prefetch("members", queryset=MemberPage.objects.only("key"))
            ).order_by("sort_order", "pk"),
        ),
    )
    document = records.Document.model_construct(
        format=FORMAT,
        members=[
            member_record(page, getattr(by_path.get(page.path[: -page.steplen]), "key", None)) for page in member_pages
        ],
        solutions=[solution_record(page, member_keys) for page in solution_pages],
        exchanges=[exchange_record(exchange, member_keys, solution_keys) for exchange in exchanges],
        workshops=[workshop_record(page, member_keys, exchange_keys, public=public) for page in workshop_pages],
    )
    return document.as_data()
