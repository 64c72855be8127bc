"""What the search indexes, taken from the database: public objects turned into `SearchDocument`s.

Pure reads over model instances, batched: building the documents of N objects of one kind runs a fixed
number of queries (the rows with their tags prefetched, the view restrictions, the live translations),
whatever N is. Only live pages outside every view-restricted section become documents; everything else
asked for (a draft, an unpublished or private page, a deleted row) comes back in `removed`, so the index
drops it. A need lives inside its member's page: it is public when that page is.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.html import strip_tags

from search.backends.base import LANGUAGES, SearchDocument

#: How many objects one batch of `all_documents` loads.
BATCH_SIZE = 200


@dataclass(frozen=True)
class IndexedDocument(SearchDocument):
    """A SearchDocument with what a backend needs to show each page once, in the reader's language: the key
    shared by a page's translations and the languages its live translations exist in. Backends that do not
    need them (the database one reads the tables) ignore them."""

    translation_key: str = ""
    translations: tuple[str, ...] = ()


def _text(*parts):
    """Plain text of rich-text or plain fields, whitespace collapsed."""
    return " ".join(" ".join(strip_tags(part or "").split()) for part in parts if part).strip()


def _tag_titles(targets, goals, language):
    """Titles of SDG targets and whole goals in the site languages other than `language`."""
    others = [code for code in LANGUAGES if code != language]
    return tuple(
        title for item in [*targets, *goals] for code in others if (title := (item.titles or {}).get(code, "").strip())
    )


def _goal_numbers(targets, goals):
    return tuple(sorted({str(target.goal_id) for target in targets} | {str(goal.pk) for goal in goals}, key=int))


class _Context:
    """What every document of a batch shares, loaded once: view-restricted paths and live translations."""

    def __init__(self, translation_keys=()):
        from wagtail.models import Page, PageViewRestriction

        self.private_paths = tuple(PageViewRestriction.objects.values_list("page__path", flat=True))
        self.languages = defaultdict(set)
        if translation_keys:
            rows = Page.objects.filter(translation_key__in=set(translation_keys), live=True).values_list(
                "translation_key", "locale__language_code"
            )
            for key, language in rows:
                self.languages[key].add(language)

    def is_public(self, page):
        return page.live and not any(page.path.startswith(path) for path in self.private_paths)

    def translations(self, page):
        return tuple(sorted(self.languages.get(page.translation_key, ()) or {page.locale.language_code}))


def _page_fields(page, context):
    language = page.locale.language_code
    return {
        "pk": page.pk,
        "language": language,
        "title": page.title,
        "url": page.get_url() or "",
        "translation_key": str(page.translation_key),
        "translations": context.translations(page),
    }


def _targets_in_order():
    from ssn4psi.models import SdgTarget

    return Prefetch("sdg_targets", queryset=SdgTarget.objects.order_by("position"))


def _solutions(pks):
    from solutions.models import SolutionPage

    rows = list(
        SolutionPage.objects.filter(pk__in=pks)
        .select_related("locale", "member")
        .prefetch_related("themes", "sdg_goals", "key_figures", _targets_in_order())
    )
    context = _Context(page.translation_key for page in rows)
    documents = []
    for page in rows:
        if not context.is_public(page):
            continue
        targets, goals = list(page.sdg_targets.all()), list(page.sdg_goals.all())
        fields = _page_fields(page, context)
        member = page.member
        documents.append(
            IndexedDocument(
                type="solution",
                summary=page.summary,
                body=_text(page.problem, page.description, page.resources, *map(str, page.key_figures.all())),
                goals=tuple(str(n) for n in page.goal_numbers),
                targets=tuple(target.code for target in targets),
                themes=tuple(theme.pk for theme in page.themes.all()),
                countries=(member.country,) if member and member.country else (),
                regions=(member.region,) if member and member.region else (),
                maturity=page.maturity,
                dpg="yes" if page.dpg else "no",
                target_titles=_tag_titles(targets, goals, fields["language"]),
                **fields,
            )
        )
    return documents


def _members(pks):
    from members.models import MemberPage

    rows = list(MemberPage.objects.filter(pk__in=pks).select_related("locale"))
    context = _Context(page.translation_key for page in rows)
    return [
        IndexedDocument(
            type="member",
            summary=page.summary,
            body=_text(page.description),
            countries=(page.country,) if page.country else (),
            regions=(page.region,) if page.region else (),
            **_page_fields(page, context),
        )
        for page in rows
        if context.is_public(page)
    ]


def _needs(pks):
    from members.models import Need

    rows = list(
        Need.objects.filter(pk__in=pks)
        .select_related("member", "member__locale")
        .prefetch_related("themes", "sdg_goals", _targets_in_order())
    )
    context = _Context()
    documents = []
    for need in rows:
        member = need.member
        if not context.is_public(member):
            continue
        targets, goals = list(need.sdg_targets.all()), list(need.sdg_goals.all())
        language = member.locale.language_code
        documents.append(
            IndexedDocument(
                type="need",
                pk=need.pk,
                language=language,
                title=need.title,
                url=f"{member.get_url() or ''}#need-{need.key}",
                summary=need.description,
                goals=_goal_numbers(targets, goals),
                targets=tuple(target.code for target in targets),
                themes=tuple(theme.pk for theme in need.themes.all()),
                countries=(member.country,) if member.country else (),
                regions=(member.region,) if member.region else (),
                target_titles=_tag_titles(targets, goals, language),
                # A need is its own translation group: the database backend does not merge needs either.
                translation_key=f"need-{need.pk}",
                translations=(language,),
            )
        )
    return documents


def _workshops(pks):
    from members.models import MemberPage
    from workshops.models import WorkshopPage

    organisers = MemberPage.objects.only("country", "region")
    rows = list(
        WorkshopPage.objects.filter(pk__in=pks)
        .select_related("locale")
        .prefetch_related(Prefetch("organisers", queryset=organisers))
    )
    context = _Context(page.translation_key for page in rows)
    documents = []
    for page in rows:
        if not context.is_public(page):
            continue
        members = list(page.organisers.all())
        documents.append(
            IndexedDocument(
                type="workshop",
                summary=page.summary,
                body=_text(page.description, page.venue),
                countries=tuple(sorted({m.country for m in members if m.country})),
                regions=tuple(sorted({m.region for m in members if m.region})),
                **_page_fields(page, context),
            )
        )
    return documents


def _outcomes(pks):
    from matchmaking.models import OUTCOME_STATUSES, Exchange
    from search.kinds import outcome_title
    from solutions.models import SolutionPage

    solutions = SolutionPage.objects.only("title", "goal_index").prefetch_related("themes")
    rows = list(
        Exchange.objects.filter(pk__in=pks, status__in=OUTCOME_STATUSES)
        .select_related("provider", "learner", "learner__locale")
        .prefetch_related(Prefetch("solutions", queryset=solutions), "workshop_outcomes")
    )
    context = _Context()
    documents = []
    for exchange in rows:
        provider, learner = exchange.provider, exchange.learner
        if not (context.is_public(provider) and context.is_public(learner)):
            continue
        solution_rows = list(exchange.solutions.all())
        partners = (provider, learner)
        language = learner.locale.language_code
        documents.append(
            IndexedDocument(
                type="outcome",
                pk=exchange.pk,
                language=language,
                title=outcome_title(provider.title, learner.title),
                url=f"{learner.get_url() or ''}#exchange-{exchange.key}",
                summary=exchange.summary or exchange.get_status_display(),
                body=_text(
                    *(solution.title for solution in solution_rows),
                    *(outcome.text for outcome in exchange.workshop_outcomes.all()),
                ),
                goals=tuple(sorted({str(n) for s in solution_rows for n in s.goal_numbers}, key=int)),
                themes=tuple(sorted({theme.pk for s in solution_rows for theme in s.themes.all()})),
                countries=tuple(sorted({m.country for m in partners if m.country})),
                regions=tuple(sorted({m.region for m in partners if m.region})),
                # An exchange is its own translation group, shown in its learner's language.
                translation_key=f"outcome-{exchange.pk}",
                translations=(language,),
            )
        )
    return documents


#: type -> (model label, builder of the public documents among some pks)
KINDS = {
    "solution": ("solutions.SolutionPage", _solutions),
    "member": ("members.MemberPage", _members),
    "need": ("members.Need", _needs),
    "workshop": ("workshops.WorkshopPage", _workshops),
    "outcome": ("matchmaking.Exchange", _outcomes),
}
TYPE_OF_LABEL = {label: type_ for type_, (label, _builder) in KINDS.items()}


def documents_of_type(type_, pks):
    """(documents, removed) for objects of one type: the public ones as documents, the rest of `pks`
    (drafts, private or gone) as (type, pk) pairs to take out of the index."""
    pks = set(pks)
    documents = KINDS[type_][1](pks) if pks else []
    removed = [(type_, pk) for pk in sorted(pks - {document.pk for document in documents})]
    return documents, removed


def documents_for(model_label, pks):
    """(documents, removed) for the objects of `model_label` among `pks`, and for what their change touches:
    a page's translations (which languages exist decides which one a reader sees), a member's needs and
    solutions (they carry its country and are public only when it is). Other models give nothing."""
    from django.apps import apps
    from wagtail.models import Page

    type_ = TYPE_OF_LABEL.get(model_label)
    if type_ is None:
        return [], []
    pks = set(pks)
    model = apps.get_model(model_label)
    wanted = defaultdict(set, {type_: set(pks)})
    if type_ in ("solution", "member", "workshop"):
        keys = Page.objects.filter(pk__in=pks).values("translation_key")
        wanted[type_] |= set(model._default_manager.filter(translation_key__in=keys).values_list("pk", flat=True))
    if type_ == "member":
        from members.models import Need
        from solutions.models import SolutionPage

        members = wanted["member"]
        wanted["need"] |= set(Need.objects.filter(member_id__in=members).values_list("pk", flat=True))
        wanted["solution"] |= set(SolutionPage.objects.filter(member_id__in=members).values_list("pk", flat=True))
    if type_ in ("member", "solution"):
        from django.db.models import Q

        from matchmaking.models import Exchange

        touched = wanted[type_]
        involved = (
            Q(provider_id__in=touched) | Q(learner_id__in=touched) if type_ == "member" else Q(solutions__in=touched)
        )
        wanted["outcome"] |= set(Exchange.objects.filter(involved).values_list("pk", flat=True))
    documents, removed = [], []
    for kind, kind_pks in wanted.items():
        found, gone = documents_of_type(kind, kind_pks)
        documents += found
        removed += gone
    return documents, removed


def public_pks():
    """{type: [pk, ...]} of every object that should be in the index (live, outside private sections)."""
    from wagtail.models import PageViewRestriction

    from matchmaking.models import OUTCOME_STATUSES, Exchange
    from members.models import MemberPage, Need
    from solutions.models import SolutionPage
    from workshops.models import WorkshopPage

    private = list(PageViewRestriction.objects.values_list("page__path", flat=True))

    def public(rows, *prefixes):
        for prefix in prefixes or ("",):
            rows = rows.filter(**{f"{prefix}live": True})
            for path in private:
                rows = rows.exclude(**{f"{prefix}path__startswith": path})
        return list(rows.order_by("pk").values_list("pk", flat=True))

    return {
        "solution": public(SolutionPage.objects.all()),
        "member": public(MemberPage.objects.all()),
        "need": public(Need.objects.all(), "member__"),
        "workshop": public(WorkshopPage.objects.all()),
        "outcome": public(Exchange.objects.filter(status__in=OUTCOME_STATUSES), "provider__", "learner__"),
    }


def all_documents(pks=None, batch_size=BATCH_SIZE):
    """Every public document, loaded `batch_size` objects at a time (for a rebuild). `pks`: the result of
    `public_pks()` when the caller counted them already."""
    for type_, type_pks in (pks if pks is not None else public_pks()).items():
        for start in range(0, len(type_pks), batch_size):
            yield from documents_of_type(type_, type_pks[start : start + batch_size])[0]
