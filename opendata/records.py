"""The API's payloads: each object as the catalogue format writes it (network.catalogue.exporter, the same records
`import_catalogue` reads), plus what a reader on the web needs beside it: its page's address, when it was last
published, and the labels of its coded values in the chosen language (`?lang=`).

A list gives each solution and member in short (no long texts, no nested lists); its detail gives the whole
record."""

import functools

from members.models import country_name
from network.catalogue import records as catalogue
from network.catalogue.exporter import (
    exchange_record,
    member_record,
    need_record,
    solution_record,
    workshop_record,
)
from ssn4psi.languages import localised_country_name
from ssn4psi.models.vocabulary import translated
from ssn4psi.regions import REGIONS
from ssn4psi.vocabulary import THEME_LABELS, AdoptionStatus, ExchangeStatus, Maturity, MemberKind, Priority
from workshops.models import WorkshopFormat, WorkshopKind
from workshops.records import MaterialKind, OutcomeKind

REGION_LABELS = dict(REGIONS)


@functools.cache
def _labels_of(choices):
    return dict(choices.choices)


def _label(choices, value):
    """The label of `value` among `choices` (a TextChoices) in the active language; the value when unknown."""
    label = _labels_of(choices).get(value)
    return value if label is None else str(label)


def _country_label(code):
    return localised_country_name(code, country_name(code)) if code else ""


def _web(page, request):
    """The page's address, whole (on the host the request came to; without a request, as the site is configured:
    a download built for everyone), and when it was last published. The path comes from Wagtail's
    get_url_parts(), which reads the sites' root paths once per request."""
    if request is None:
        url = page.get_full_url()
    else:
        _site, _root, path = page.get_url_parts(request) or (None, None, None)
        url = request.build_absolute_uri(path) if path else None
    return {"url": url, "updated": page.last_published_at.isoformat() if page.last_published_at else None}


def _tags(obj):
    """The SDG codes of a listed solution (its `tag_goals` and `tag_targets`), as the catalogue format writes
    them: whole goals, then targets."""
    return [str(goal.number) for goal in obj.tag_goals] + [target.code for target in obj.tag_targets]


def _theme_labels(keys):
    return {key: str(THEME_LABELS.get(key, key)) for key in keys}


# -- members ----------------------------------------------------------------------------------------------------


def member_summary(page, request):
    record = catalogue.Member.of(
        key=page.key,
        name=page.title,
        kind=page.kind,
        country=page.country,
        subdivision=page.subdivision,
        parent=page.parent_key,
        languages=list(page.languages or []),
        summary=page.summary,
        website=page.website,
    )
    return {**record.as_data(), "region": page.region or None, **_web(page, request), "labels": _member_labels(page)}


def _member_labels(page):
    return {
        "kind": _label(MemberKind, page.kind),
        "country": _country_label(page.country),
        "region": str(REGION_LABELS.get(page.region, "")),
    }


def member_detail(page, request):
    record = member_record(page, page.parent_key)
    return {
        **record.as_data(),
        "region": page.region or None,
        **_web(page, request),
        "labels": _member_labels(page),
    }


# -- needs ------------------------------------------------------------------------------------------------------


def need_payload(need):
    """A need's catalogue record (network.catalogue.exporter.need_record()), with its member's key."""
    themes = [theme.key for theme in need.themes.all()]
    return {
        **need_record(need).as_data(),
        "member": need.member.key,
        "labels": {
            "member": need.member.title,
            "priority": _label(Priority, need.priority),
            "themes": _theme_labels(themes),
            "country": _country_label(need.member.country),
        },
    }


# -- solutions --------------------------------------------------------------------------------------------------


def solution_summary(page, request):
    """A listed solution (Public.solution_rows(): its owner as values)."""
    themes = [theme.key for theme in page.tag_themes]
    record = catalogue.Solution.of(
        key=page.key,
        name=page.title,
        owner=page.owner_key,
        summary=page.summary,
        sdg_targets=_tags(page),
        themes=themes,
        maturity=page.maturity,
        launched=page.launched,
        dpg=page.dpg,
    )
    return {
        **record.as_data(),
        "country": page.owner_country,
        "region": page.owner_region or None,
        **_web(page, request),
        "labels": _solution_labels(page.owner_title, page.owner_country, page.maturity, themes),
    }


def _solution_labels(owner, country, maturity, themes):
    return {
        "owner": owner,
        "country": _country_label(country),
        "maturity": _label(Maturity, maturity),
        "themes": _theme_labels(themes),
    }


def solution_detail(page, request):
    """The whole record: its owner, and the adoptions by the members the prefetch kept (the public ones)."""
    members = {page.member_id: page.member.key} | {a.member_id: a.member.key for a in page.adoptions.all()}
    return {
        **solution_record(page, members).as_data(),
        "country": page.member.country,
        "region": page.member.region or None,
        **_web(page, request),
        "labels": _solution_labels(
            page.member.title, page.member.country, page.maturity, [theme.key for theme in page.themes.all()]
        ),
    }


def adoption_payload(adoption):
    record = catalogue.Adoption.of(member=adoption.member.key, year=adoption.year, status=adoption.status)
    return {
        "solution": adoption.solution.key,
        **record.as_data(),
        "country": adoption.member.country,
        "region": adoption.member.region or None,
        "labels": {
            "solution": adoption.solution.title,
            "member": adoption.member.title,
            "status": _label(AdoptionStatus, adoption.status),
        },
    }


# -- exchanges and outcomes -------------------------------------------------------------------------------------


def exchange_payload(exchange):
    """The record of a public exchange: its facilitator only when public too (`facilitator_listed`), its public
    solutions (those the prefetch kept)."""
    members = {exchange.provider_id: exchange.provider.key, exchange.learner_id: exchange.learner.key}
    if exchange.facilitator_listed and exchange.facilitator_id:
        members[exchange.facilitator_id] = exchange.facilitator.key
    solutions = {solution.pk: solution.key for solution in exchange.solutions.all()}
    record = exchange_record(exchange, members, solutions).as_data()
    labels = {
        "provider": exchange.provider.title,
        "learner": exchange.learner.title,
        "status": _label(ExchangeStatus, exchange.status),
    }
    if exchange.facilitator_listed and exchange.facilitator_id:
        labels["facilitator"] = exchange.facilitator.title
    return {**record, "labels": labels}


def outcome_payload(outcome):
    exchange = outcome.listed_exchange
    record = catalogue.Outcome.of(
        kind=outcome.kind,
        text=outcome.text,
        date=outcome.date.isoformat() if outcome.date else None,
        exchange=exchange.key if exchange is not None else None,
        members=[member.key for member in outcome.members_involved],
    )
    return {
        "workshop": outcome.workshop.key,
        "position": outcome.sort_order,
        **record.as_data(),
        "labels": {"workshop": outcome.workshop.title, "kind": _label(OutcomeKind, outcome.kind)},
    }


# -- workshops --------------------------------------------------------------------------------------------------


def workshop_payload(page, request):
    """The public record of a workshop (no online link): the organisers, exchanges and outcome members the
    prefetches kept (the public ones), an outcome's exchange only when both its partners are public."""
    outcomes = page.outcomes.all()
    members = {m.pk: m.key for m in page.organisers.all()}
    members |= {m.pk: m.key for outcome in outcomes for m in outcome.members.all()}
    exchanges = {e.pk: e.key for e in page.exchanges.all()}
    exchanges |= {o.exchange_id: o.exchange.key for o in outcomes if o.listed_exchange is not None and o.exchange_id}
    record = workshop_record(page, members, exchanges, public=True)
    return {
        **record.as_data(),
        **_web(page, request),
        "labels": {
            "kind": _label(WorkshopKind, page.kind),
            "format": _label(WorkshopFormat, page.format),
            "materials": {material.kind: _label(MaterialKind, material.kind) for material in page.materials.all()},
        },
    }


# -- the vocabulary ---------------------------------------------------------------------------------------------


def goal_payload(goal, language, targets=None):
    payload = {
        "number": goal.number,
        "title": translated(goal.titles, language),
        "short_title": translated(goal.short_titles, language) or translated(goal.titles, language),
        "titles": goal.titles,
    }
    if targets is not None:
        payload["targets"] = [target_payload(target, language, target.indicators.all()) for target in targets]
    return payload


def target_payload(target, language, indicators=None):
    payload = {
        "code": target.code,
        "goal": target.goal_id,
        "title": translated(target.titles, language),
        "titles": target.titles,
    }
    if indicators is not None:
        payload["indicators"] = [indicator_payload(indicator, language) for indicator in indicators]
    return payload


def indicator_payload(indicator, language):
    return {
        "code": indicator.code,
        "target": indicator.target.code,
        "title": translated(indicator.titles, language),
        "titles": indicator.titles,
    }


def theme_payload(theme):
    return {"key": theme.key, "label": str(theme.label), "description": str(theme.description)}
