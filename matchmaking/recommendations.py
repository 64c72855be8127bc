"""Recommendations as a service: load the network from the database, run the pure matcher, keep the
results in PartnerRecommendation / SolutionRecommendation rows that pages read (matchmaking.listings).

Pages never compute the graph, and never import this module (it loads networkx, numpy and scipy):
`refresh_recommendations()` runs in a Celery task queued when published content changes (see
matchmaking/signals.py), and `recommend` computes afresh for the command line.

The matcher sees the live and public network only: what it names in its reasons (members, solutions) is
shown on public pages."""

from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page

from matchmaking import graph as g
from matchmaking.explain import describe_all
from matchmaking.models import Exchange, PartnerRecommendation, SolutionRecommendation
from matchmaking.scoring import Matcher, Weights, gc_paused
from members.models import MemberPage, Need
from solutions.models import Adoption, KeyFigure, SolutionPage
from ssn4psi.page_cache import content_changed
from ssn4psi.richtext import html_to_text
from ssn4psi.vocabulary import LEARNER_KINDS


def load_network():
    """The live and public network as plain records (matchmaking.graph), in a fixed number of queries."""
    members = _members()
    live_member_ids = {pk for pk, _member in members}
    key_of = {pk: member.key for pk, member in members}

    needs_targets, needs_goals, needs_themes = _tags(Need, "need")
    needs = [
        g.Need(
            key=key,
            member=key_of[member_id],
            title=title,
            text=f"{title}. {description}",
            targets=tuple(needs_targets[pk]),
            goals=tuple(needs_goals[pk]),
            themes=tuple(needs_themes[pk]),
            priority=priority,
        )
        for pk, key, member_id, title, description, priority in Need.objects.order_by("pk").values_list(
            "pk", "key", "member_id", "title", "description", "priority"
        )
        if member_id in live_member_ids
    ]

    solution_rows = list(
        SolutionPage.objects.live()
        .public()
        .filter(locale__language_code=settings.LANGUAGE_CODE, member_id__in=live_member_ids)
        .order_by("pk")
        .values_list("pk", "key", "title", "member_id", "summary", "problem", "description", "maturity", "languages")
    )
    solution_key = {row[0]: row[1] for row in solution_rows}
    figures = defaultdict(list)
    for solution_id, value, label in KeyFigure.objects.order_by("solution_id", "sort_order").values_list(
        "solution_id", "value", "label"
    ):
        figures[solution_id].append((value, label))
    targets, goals, themes = _tags(SolutionPage, "solutionpage")
    solutions = [
        g.Solution(
            key=key,
            name=title,
            owner=key_of[member_id],
            text=" ".join([title, summary, html_to_text(problem), html_to_text(description)]),
            targets=tuple(targets[pk]),
            goals=tuple(goals[pk]),
            themes=tuple(themes[pk]),
            maturity=maturity,
            languages=tuple(languages or ()),
            figures=tuple(figures[pk]),
        )
        for pk, key, title, member_id, summary, problem, description, maturity, languages in solution_rows
    ]
    adoptions = [
        g.Adoption(member=key_of[member_id], solution=solution_key[solution_id], year=year, status=status)
        for member_id, solution_id, year, status in Adoption.objects.order_by("pk").values_list(
            "member_id", "solution_id", "year", "status"
        )
        if member_id in key_of and solution_id in solution_key
    ]
    exchange_solutions = defaultdict(list)
    for exchange_id, solution_id in Exchange.solutions.through.objects.values_list("exchange_id", "solutionpage_id"):
        if solution_id in solution_key:
            exchange_solutions[exchange_id].append(solution_key[solution_id])
    exchanges = [
        g.Exchange(
            key=key,
            provider=key_of[provider_id],
            learner=key_of[learner_id],
            facilitator=key_of.get(facilitator_id),
            solutions=tuple(sorted(exchange_solutions[pk])),
            status=status,
        )
        for pk, key, provider_id, learner_id, facilitator_id, status in Exchange.objects.order_by("pk").values_list(
            "pk", "key", "provider_id", "learner_id", "facilitator_id", "status"
        )
        if provider_id in key_of and learner_id in key_of
    ]
    return g.Network(
        members=[member for _pk, member in members],
        needs=needs,
        solutions=solutions,
        adoptions=adoptions,
        exchanges=exchanges,
    )


def _members():
    rows = list(
        MemberPage.objects.live()
        .public()
        .filter(locale__language_code=settings.LANGUAGE_CODE)
        .order_by("pk")
        .values_list("pk", "key", "title", "kind", "country", "region", "subregion", "languages", "path")
    )
    # A member page's parent member is its parent page, when that is a member page (Bangladesh > a2i).
    key_at = {row[-1]: row[1] for row in rows}
    return [
        (
            pk,
            g.Member(
                key=key,
                name=title,
                kind=kind,
                country=country,
                region=region,
                subregion=subregion,
                languages=tuple(languages or ()),
                parent=key_at.get(path[: -Page.steplen]),
            ),
        )
        for pk, key, title, kind, country, region, subregion, languages, path in rows
    ]


def _tags(model, name):
    """{pk: [target codes]}, {pk: [goal numbers]}, {pk: [theme keys]} of a tagged model, one query each."""
    targets, goals, themes = defaultdict(list), defaultdict(list), defaultdict(list)
    for pk, code in model.sdg_targets.through.objects.order_by("pk").values_list(f"{name}_id", "sdgtarget__code"):
        targets[pk].append(code)
    for pk, number in model.sdg_goals.through.objects.order_by("pk").values_list(f"{name}_id", "sdggoal_id"):
        goals[pk].append(number)
    for pk, theme in model.themes.through.objects.order_by("pk").values_list(f"{name}_id", "theme_id"):
        themes[pk].append(theme)
    return targets, goals, themes


def matcher_weights(overrides=None):
    """The weights from settings.MATCHMAKING_WEIGHTS, with `overrides` (a dict) on top."""
    return Weights.from_dict({**settings.MATCHMAKING_WEIGHTS, **(overrides or {})})


def build_matcher(weights=None):
    """A Matcher over the live network, as the database holds it now."""
    network = load_network()
    with gc_paused():
        return Matcher(network, weights or matcher_weights())


def learners(matcher):
    """Members recommendations are computed for: governments and their agencies (international
    organisations, companies and universities provide and facilitate; they do not adopt)."""
    return [m.key for m in matcher.members if m.kind in LEARNER_KINDS]


def refresh_recommendations(top=None, matcher=None):
    """Compute every learner's recommendations and replace the stored ones, in one transaction.

    Returns {"learners": n, "partners": n, "solutions": n}. Readers see the old set until the commit."""
    top = top or settings.MATCHMAKING_TOP
    matcher = matcher or build_matcher()
    keys = learners(matcher)
    page_id = dict(_member_ids())
    solution_id = dict(_solution_ids())
    now = timezone.now()
    partners, solutions = [], []
    for start in range(0, len(keys), 200):  # in blocks, so memory stays flat at any size
        block = keys[start : start + 200]
        with gc_paused():
            found = matcher.recommend_many(block, top=top, by=("provider", "adopters"))
        for learner, results in found["provider"].items():
            partners.extend(
                PartnerRecommendation(
                    learner_id=page_id[learner],
                    provider_id=page_id[result.key],
                    rank=rank,
                    score=result.score,
                    solutions=list(result.solutions),
                    reasons=[reason.as_dict() for reason in result.reasons],
                    facilitators=[
                        {
                            "key": key,
                            "reasons": [r.as_dict() for r in result.facilitator_reasons if _names(r, matcher, key)],
                        }
                        for key in result.facilitators
                    ],
                    computed_at=now,
                )
                for rank, result in enumerate(results, start=1)
            )
        for kind, by in (("adopters", "adopters"),):
            for learner, results in found[by].items():
                solutions.extend(
                    SolutionRecommendation(
                        learner_id=page_id[learner],
                        solution_id=solution_id[result.key],
                        kind=kind,
                        rank=rank,
                        score=result.score,
                        reasons=[reason.as_dict() for reason in result.reasons],
                        computed_at=now,
                    )
                    for rank, result in enumerate(results, start=1)
                )
    with transaction.atomic():
        PartnerRecommendation.objects.all().delete()
        SolutionRecommendation.objects.all().delete()
        PartnerRecommendation.objects.bulk_create(partners, batch_size=500)
        SolutionRecommendation.objects.bulk_create(solutions, batch_size=500)
        content_changed()  # member pages show them; bulk writes send no signal
    return {"learners": len(keys), "partners": len(partners), "solutions": len(solutions)}


def _names(reason, matcher, key):
    """Whether a facilitator reason is about the member `key`."""
    return reason.params.get("facilitator") == matcher.member_by_key[key].name


def _member_ids():
    return MemberPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).values_list("key", "pk")


def _solution_ids():
    return SolutionPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).values_list("key", "pk")


def recommend(member_key, top=10, by="provider", matcher=None):
    """Fresh recommendations for one member (for the command line): a list of plain dicts as in the
    `recommend --json` output. Raises scoring.UnknownMember for an unknown key."""
    matcher = matcher or build_matcher()
    if by == "provider":
        return [
            {
                "key": result.key,
                "score": result.score,
                "solutions": list(result.solutions),
                "reasons": describe_all(result.reasons),
                "facilitators": list(result.facilitators),
            }
            for result in matcher.recommend(member_key, top=top, by="provider")
        ]
    return [
        {"key": result.key, "provider": result.provider, "score": result.score, "reasons": describe_all(result.reasons)}
        for result in matcher.recommend(member_key, top=top, by="solution")
    ]
